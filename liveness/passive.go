package liveness

import (
	"image"
	"math"
)

// Passive (single image) cue thresholds, documented in docs/liveness.md.
// Scores are log10 of a spectral peak-to-background power ratio.
const (
	// SpectralFire: a periodic peak in the luma of the face region this
	// strong (log10 ratio: ten times its spectral neighbourhood) is a screen
	// pixel grid, resampling moiré or a halftone screen. A natural face has
	// a smooth, power-law spectrum.
	SpectralFire = 1.0
	// ChromaFire: the same in the colour-difference planes (R−G, B−G): an
	// RGB sub-pixel stripe grid or a CMY halftone rosette. Higher than the
	// luma bar: colour planes of camera JPEGs carry demosaicing and 4:2:0
	// subsampling structure.
	ChromaFire = 1.35
	// BorderFire: fraction of a straight line's length that must be a
	// consistent edge for one side of an enclosing frame (bezel, paper edge)
	// to count; BorderSides sides must count.
	BorderFire  = 0.72
	BorderSides = 3
	// GraySkinFire: median HSV saturation of the face below this is a
	// monochrome reproduction (a grey print or a black-and-white photo on a
	// screen): no colour camera sees living skin this grey.
	GraySkinFire = 0.045
	// SpecularFire: fraction of clipped (≥ 250) pixels in the face box; a
	// glossy screen or photo paper reflecting a light source.
	SpecularFire = 0.15
)

// passive measures the single-image cues of face f (input pixels) in img;
// g is the working gray plane (input downsampled by k).
func passive(img image.Image, f Face, g *image.Gray, k int, ev *Evidence) {
	b := img.Bounds()
	// inner face region: cheeks, nose, eyes; skin, no hair or background
	side := 0.7 * f.Size
	r := image.Rect(int(f.X-side/2), int(f.Y-side/2), int(f.X+side/2), int(f.Y+side/2)).Add(b.Min).Intersect(b)
	if r.Dx() >= 64 && r.Dy() >= 64 {
		crop := cropNRGBA(img, r)
		ev.Spectral, ev.Chroma, ev.SpectralPeriod = spectral(crop)
	}
	// colour and clipping on the face box
	fr := image.Rect(int(f.X-0.35*f.Size), int(f.Y-0.3*f.Size), int(f.X+0.35*f.Size), int(f.Y+0.4*f.Size)).Add(b.Min).Intersect(b)
	if !fr.Empty() {
		ev.Saturation, ev.Specular = colour(cropNRGBA(img, fr))
	}
	if g != nil && k > 0 {
		fk := float64(k)
		ev.BorderSides, ev.Border = border(g, f.X/fk, f.Y/fk, f.Size/fk)
	}
}

// spectral returns the strongest periodic-peak scores (log10) of the luma
// and of the colour-difference planes of a face crop, and the period in
// pixels of the luma/chroma peak with the higher score.
func spectral(m *image.NRGBA) (luma, chroma, period float64) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	n := 64
	if min(w, h) < 128 {
		n = 32
	}
	// tiles with 50 % overlap, at most 6 per axis, spread over the region
	pos := func(size int) []int {
		cnt := (size-n)/(n/2) + 1
		if cnt > 6 {
			cnt = 6
		}
		out := make([]int, cnt)
		for i := range out {
			if cnt > 1 {
				out[i] = i * (size - n) / (cnt - 1)
			}
		}
		return out
	}
	xs, ys := pos(w), pos(h)
	fy, fc1, fc2 := newFFT2(n), newFFT2(n), newFFT2(n)
	for _, y0 := range ys {
		for _, x0 := range xs {
			px := func(x, y int) []uint8 {
				o := (y0+y)*m.Stride + (x0+x)*4
				return m.Pix[o : o+3 : o+3]
			}
			fy.add(func(x, y int) float64 {
				p := px(x, y)
				return 0.299*float64(p[0]) + 0.587*float64(p[1]) + 0.114*float64(p[2])
			})
			fc1.add(func(x, y int) float64 { p := px(x, y); return float64(p[0]) - float64(p[1]) })
			fc2.add(func(x, y int) float64 { p := px(x, y); return float64(p[2]) - float64(p[1]) })
		}
	}
	rmin, rmax := float64(n)/10, float64(n)/2-1
	ly, uy, vy := fy.peak(rmin, rmax)
	c1, u1, v1 := fc1.peak(rmin, rmax)
	c2, u2, v2 := fc2.peak(rmin, rmax)
	uc, vc := u1, v1
	if c2 > c1 {
		c1, uc, vc = c2, u2, v2
	}
	luma, chroma = math.Log10(math.Max(ly, 1)), math.Log10(math.Max(c1, 1))
	u, v := uy, vy
	if chroma > luma {
		u, v = uc, vc
	}
	if r := math.Hypot(float64(u), float64(v)); r > 0 {
		period = float64(n) / r
	}
	return luma, chroma, period
}

// colour returns the median HSV saturation and the fraction of clipped
// pixels (luma ≥ 250) of a face crop.
func colour(m *image.NRGBA) (sat, clipped float64) {
	var hist [101]int
	n, clip := 0, 0
	for y := 0; y < m.Rect.Dy(); y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+4*m.Rect.Dx()]
		for i := 0; i+3 < len(row); i += 4 {
			r, g, b := int(row[i]), int(row[i+1]), int(row[i+2])
			mx, mn := max(r, g, b), min(r, g, b)
			s := 0
			if mx > 0 {
				s = 100 * (mx - mn) / mx
			}
			hist[s]++
			if (299*r+587*g+114*b)/1000 >= 250 {
				clip++
			}
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	acc := 0
	for s, c := range hist {
		acc += c
		if 2*acc >= n {
			sat = float64(s) / 100
			break
		}
	}
	return sat, float64(clip) / float64(n)
}

// border looks for a straight frame edge (screen bezel, paper or photo edge)
// on each side of the face (X, Y, S in g's pixels), between the face and the
// image border, tilted by at most ±8.5°. A side's score is the largest
// fraction of a line's samples (over the face-centred span 2S) that are
// edges across the line with one consistent polarity. It returns how many
// sides reach BorderFire and the mean of the three best side scores.
func border(g *image.Gray, X, Y, S float64) (sides int, score float64) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 16 || h < 16 || S <= 0 {
		return 0, 0
	}
	const thr = 40 // Sobel magnitude (×4 scale) of a real edge
	at := func(x, y int) int { return int(g.Pix[y*g.Stride+x]) }
	// gradient across a vertical line (d/dx) or a horizontal one (d/dy)
	gx := func(x, y int) (int, int) {
		a := at(x+1, y-1) + 2*at(x+1, y) + at(x+1, y+1) - at(x-1, y-1) - 2*at(x-1, y) - at(x-1, y+1)
		b := at(x-1, y+1) + 2*at(x, y+1) + at(x+1, y+1) - at(x-1, y-1) - 2*at(x, y-1) - at(x+1, y-1)
		return a, b
	}
	slopes := [...]float64{-0.15, -0.1, -0.05, 0, 0.05, 0.1, 0.15}
	// line scores one candidate: vertical (x = c + t·(y − Y)) or horizontal.
	line := func(vertical bool, c, t float64) float64 {
		var pos, neg, n int
		lo, hi := Y-S, Y+S
		if !vertical {
			lo, hi = X-S, X+S
		}
		for s := lo; s <= hi; s++ {
			var x, y int
			if vertical {
				x, y = int(c+t*(s-Y)), int(s)
			} else {
				x, y = int(s), int(c+t*(s-X))
			}
			if x < 1 || y < 1 || x >= w-1 || y >= h-1 {
				continue
			}
			n++
			a, b := gx(x, y)
			if !vertical {
				a, b = b, a
			}
			if abs(a) > thr && abs(a) > 2*abs(b) {
				if a > 0 {
					pos++
				} else {
					neg++
				}
			}
		}
		// lines mostly outside the image do not count
		if float64(n) < 0.6*2*S {
			return 0
		}
		return float64(max(pos, neg)) / float64(n)
	}
	best := func(vertical bool, from, to float64) float64 {
		b := 0.0
		if from < 2 {
			from = 2
		}
		lim := float64(w - 3)
		if !vertical {
			lim = float64(h - 3)
		}
		if to > lim {
			to = lim
		}
		for c := from; c <= to; c++ {
			for _, t := range slopes {
				if v := line(vertical, c, t); v > b {
					b = v
				}
			}
		}
		return b
	}
	sc := [4]float64{
		best(true, 0, X-0.65*S),           // left
		best(true, X+0.65*S, float64(w)),  // right
		best(false, 0, Y-0.75*S),          // top
		best(false, Y+0.85*S, float64(h)), // bottom
	}
	for _, v := range sc {
		if v >= BorderFire {
			sides++
		}
	}
	// mean of the best three
	s := sc[:]
	for i := 1; i < 4; i++ {
		for j := i; j > 0 && s[j] > s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return sides, (s[0] + s[1] + s[2]) / 3
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
