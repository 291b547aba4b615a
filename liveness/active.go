package liveness

import (
	"image"
	"math"
)

// Active (burst) test. While the user moves from the first oval to the
// closer one, the SDK records a burst of frames (full camera frames, or crops
// in frame coordinates, all at the same scale — not face-normalised crops).
//
// Physical model: a camera at distance Z from a face point at depth d
// (towards the camera) images it with magnification ∝ 1/(Z − d). Between a
// far frame (Z1) and a near frame (Z2) a point's image grows by
// Z1−d / Z2−d, which is larger for the nose (d ≈ 3 cm in front of the cheeks)
// than for the cheeks and face outline: the centre of a real face "bulges"
// relative to its periphery as it approaches (≈ 5–8 % from 60 cm to 30 cm).
// A flat photo or screen is a plane: every point grows by the same factor up
// to a homography, and after the best similarity alignment the centre and
// periphery scale alike.
//
// Measurement: the face of the first and last burst frames is cut out
// (square 1.6·Size around the box centre) and resampled to a 96×96 patch; the
// best similarity (scale, shift) aligning them is found by maximising the
// normalised cross-correlation (NCC) of the face disc; then the scale is
// re-estimated separately on the inner disc (nose, inner eyes, mouth centre;
// r < 0.13 of the patch) and on the outer ring (cheeks, temples, jaw;
// 0.17..0.30). Perspective = s_inner / s_outer − 1.
const (
	// MinBurst is the number of frames from which the active test runs.
	MinBurst = 3
	// MinMotion is the face size ratio (last / first burst frame) that the
	// approach must reach; less is "no_motion" (the challenge was not met).
	MinMotion = 1.8
	// PerspectiveFire: a perspective bulge below this is a flat object.
	PerspectiveFire = 0.02
	patchN          = 96
)

// active runs the burst test and returns the cues that fired.
func (d *Detector) active(frames []image.Image, ev *Evidence) []string {
	type obs struct {
		g *image.Gray
		k int
		f Face
	}
	saved := d.Still.Angles
	d.Still.Angles = []float64{0} // upright pass only: the face is already known to be straight
	defer func() { d.Still.Angles = saved }()
	var seen []obs
	for _, fr := range frames {
		g, k, ok := d.stillGray(fr)
		if !ok {
			continue
		}
		faces := d.stillFaces(g, k)
		if len(faces) == 0 {
			continue
		}
		// the largest face is the user (the selfie itself passed the 9007
		// check; a spurious second box in one frame must not decide)
		seen = append(seen, obs{g, k, faces[0]})
	}
	ev.BurstFaces = len(seen)
	if len(seen) < MinBurst {
		return []string{"burst_no_face"}
	}
	a, b := seen[0], seen[len(seen)-1]
	pa := facePatch(a.g, a.f, a.k)
	pb := facePatch(b.g, b.f, b.k)
	var gs float64
	ev.Perspective, ev.Planarity, gs = perspective(pa, pb)
	// the patches are normalised by the face boxes; the aligning scale
	// corrects the boxes' own size error
	ev.Motion = b.f.Size / a.f.Size * gs
	var cues []string
	if ev.Motion < MinMotion {
		cues = append(cues, "no_motion")
	}
	if ev.Motion >= MinMotion && ev.Perspective < PerspectiveFire {
		cues = append(cues, "flat_burst")
	}
	return cues
}

// facePatch resamples the square of side 1.6·Size around the face centre of
// the working plane g (input pixels / k) to patchN×patchN, averaging over
// each patch pixel's footprint (bilinear taps on a sub-grid).
func facePatch(g *image.Gray, f Face, k int) []float64 {
	fk := float64(k)
	cx, cy, side := f.X/fk, f.Y/fk, 1.6*f.Size/fk
	step := side / patchN
	sub := int(math.Ceil(step))
	if sub < 1 {
		sub = 1
	}
	if sub > 8 {
		sub = 8
	}
	out := make([]float64, patchN*patchN)
	for py := 0; py < patchN; py++ {
		for px := 0; px < patchN; px++ {
			var acc float64
			for sy := 0; sy < sub; sy++ {
				for sx := 0; sx < sub; sx++ {
					x := cx - side/2 + (float64(px)+(float64(sx)+0.5)/float64(sub))*step
					y := cy - side/2 + (float64(py)+(float64(sy)+0.5)/float64(sub))*step
					acc += bilinear(g, x-0.5, y-0.5)
				}
			}
			out[py*patchN+px] = acc / float64(sub*sub)
		}
	}
	// equalise the optical blur of near and far crops: a 1-2-1 binomial
	// filter in both directions
	tmp := make([]float64, len(out))
	for y := 0; y < patchN; y++ {
		for x := 0; x < patchN; x++ {
			l, r := max(x-1, 0), min(x+1, patchN-1)
			tmp[y*patchN+x] = (out[y*patchN+l] + 2*out[y*patchN+x] + out[y*patchN+r]) / 4
		}
	}
	for y := 0; y < patchN; y++ {
		u, d := max(y-1, 0), min(y+1, patchN-1)
		for x := 0; x < patchN; x++ {
			out[y*patchN+x] = (tmp[u*patchN+x] + 2*tmp[y*patchN+x] + tmp[d*patchN+x]) / 4
		}
	}
	return out
}

// bilinear samples g at (x, y) (pixel centres at integers), clamped.
func bilinear(g *image.Gray, x, y float64) float64 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	x = math.Max(0, math.Min(float64(w-1), x))
	y = math.Max(0, math.Min(float64(h-1), y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	p := func(xx, yy int) float64 { return float64(g.Pix[yy*g.Stride+xx]) }
	return (p(x0, y0)*(1-fx)+p(x1, y0)*fx)*(1-fy) + (p(x0, y1)*(1-fx)+p(x1, y1)*fx)*fy
}

// samplePatch reads patch p at (x, y) bilinearly (clamped).
func samplePatch(p []float64, x, y float64) float64 {
	x = math.Max(0, math.Min(patchN-1, x))
	y = math.Max(0, math.Min(patchN-1, y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, patchN-1), min(y0+1, patchN-1)
	fx, fy := x-float64(x0), y-float64(y0)
	return (p[y0*patchN+x0]*(1-fx)+p[y0*patchN+x1]*fx)*(1-fy) + (p[y1*patchN+x0]*(1-fx)+p[y1*patchN+x1]*fx)*fy
}

// ncc is the normalised cross-correlation between patch a on the points of
// mask and patch b at c + s·(p − c) + t.
func ncc(a, b []float64, mask []int, s, tx, ty float64) float64 {
	const c = (patchN - 1) / 2.0
	var sa, sb, saa, sbb, sab float64
	for _, i := range mask {
		x, y := float64(i%patchN), float64(i/patchN)
		va := a[i]
		vb := samplePatch(b, c+s*(x-c)+tx, c+s*(y-c)+ty)
		sa += va
		sb += vb
		saa += va * va
		sbb += vb * vb
		sab += va * vb
	}
	n := float64(len(mask))
	cov := sab - sa*sb/n
	va := saa - sa*sa/n
	vb := sbb - sb*sb/n
	if va <= 0 || vb <= 0 {
		return 0
	}
	return cov / math.Sqrt(va*vb)
}

func ringMask(r0, r1 float64) []int {
	const c = (patchN - 1) / 2.0
	var m []int
	for y := 0; y < patchN; y++ {
		for x := 0; x < patchN; x++ {
			r := math.Hypot(float64(x)-c, float64(y)-c) / patchN
			if r >= r0 && r < r1 {
				m = append(m, y*patchN+x)
			}
		}
	}
	return m
}

// perspective aligns patch b to patch a with the best similarity and returns
// the inner/outer scale ratio − 1, the NCC of the global alignment and its
// scale.
func perspective(a, b []float64) (persp, planar, scale float64) {
	disc := ringMask(0, 0.34)
	inner := ringMask(0, 0.13)
	outer := ringMask(0.17, 0.30)
	// global search: coarse on every other disc pixel, then fine
	sparse := make([]int, 0, len(disc)/2+1)
	for i, v := range disc {
		if i%2 == 0 {
			sparse = append(sparse, v)
		}
	}
	bs, btx, bty, bv := 1.0, 0.0, 0.0, -2.0
	for s := 0.8; s <= 1.25; s += 0.025 {
		for ty := -8.0; ty <= 8; ty += 2 {
			for tx := -8.0; tx <= 8; tx += 2 {
				if v := ncc(a, b, sparse, s, tx, ty); v > bv {
					bs, btx, bty, bv = s, tx, ty, v
				}
			}
		}
	}
	s0, tx0, ty0 := bs, btx, bty
	bv = -2
	for s := s0 - 0.025; s <= s0+0.025; s += 0.005 {
		for ty := ty0 - 1.5; ty <= ty0+1.5; ty += 0.5 {
			for tx := tx0 - 1.5; tx <= tx0+1.5; tx += 0.5 {
				if v := ncc(a, b, disc, s, tx, ty); v > bv {
					bs, btx, bty, bv = s, tx, ty, v
				}
			}
		}
	}
	// local scales about the aligned centre, each with a ±0.5 px shift
	local := func(mask []int) float64 {
		best, bestV := bs, -2.0
		for s := bs - 0.12; s <= bs+0.12; s += 0.004 {
			for dy := -0.5; dy <= 0.5; dy += 0.5 {
				for dx := -0.5; dx <= 0.5; dx += 0.5 {
					if v := ncc(a, b, mask, s, btx+dx, bty+dy); v > bestV {
						best, bestV = s, v
					}
				}
			}
		}
		return best
	}
	si, so := local(inner), local(outer)
	return si/so - 1, bv, bs
}
