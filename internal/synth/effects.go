package synth

import (
	"image"
	"math"
	"math/rand/v2"
)

func quadArea(q [4][2]float64) float64 {
	a := 0.0
	for i := range 4 {
		j := (i + 1) % 4
		a += q[i][0]*q[j][1] - q[j][0]*q[i][1]
	}
	return math.Abs(a) / 2
}

// glareProfile is the hotspot intensity at normalised elliptical radius rho:
// 1 inside the core (rho <= 1), a Gaussian halo outside.
func glareProfile(rho float64) float64 {
	if rho <= 1 {
		return 1
	}
	t := (rho - 1) / 0.35
	return math.Exp(-t * t)
}

// applyGlare adds spots elliptical specular hotspots on the document: their
// cores (where the profile is 1) together cover frac of the document area
// and are pushed toward white by strength (1 = exactly 255 in the core).
// Light only falls on document pixels, weighted by the coverage mask.
func applyGlare(img *image.RGBA, cov []uint8, q [4][2]float64, frac, strength float64, spots int, r *rand.Rand) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	area := frac * quadArea(q) / float64(spots)
	toOut := squareToQuad(q)
	for s := 0; s < spots; s++ {
		asp := 1.2 + 0.8*r.Float64()
		a := math.Sqrt(area * asp / math.Pi)
		b := math.Sqrt(area / (asp * math.Pi))
		ang := r.Float64() * math.Pi
		// centre: somewhere well inside the document
		cx, cy := toOut.apply(0.25+0.5*r.Float64(), 0.25+0.5*r.Float64())
		sa, ca := math.Sin(ang), math.Cos(ang)
		ext := 2.3 * a
		x0, y0 := max(int(cx-ext), 0), max(int(cy-ext), 0)
		x1, y1 := min(int(cx+ext)+1, W), min(int(cy+ext)+1, H)
		for y := y0; y < y1; y++ {
			dy := float64(y) + 0.5 - cy
			row := img.Pix[y*img.Stride:]
			for x := x0; x < x1; x++ {
				c := cov[y*W+x]
				if c == 0 {
					continue
				}
				dx := float64(x) + 0.5 - cx
				u := (dx*ca + dy*sa) / a
				v := (-dx*sa + dy*ca) / b
				rho := math.Sqrt(u*u + v*v)
				if rho > 2.3 {
					continue
				}
				p := strength * glareProfile(rho) * float64(c) / 255
				o := row[x*4 : x*4+3 : x*4+3]
				for i := range o {
					o[i] = clamp8(float64(o[i]) + (255-float64(o[i]))*p)
				}
			}
		}
	}
}

// applyVignette darkens toward the corners (up to v*35 %) and adds a linear
// lighting gradient of ±v*15 % in a random direction.
func applyVignette(img *image.RGBA, v float64, r *rand.Rand) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	a := r.Float64() * 2 * math.Pi
	gx, gy := math.Cos(a), math.Sin(a)
	fx := make([]float64, W)
	fy := make([]float64, H)
	for x := range fx {
		t := (float64(x)+0.5)/float64(W)*2 - 1
		fx[x] = v*0.35*t*t/2 + v*0.15*gx*t
	}
	for y := range fy {
		t := (float64(y)+0.5)/float64(H)*2 - 1
		fy[y] = v*0.35*t*t/2 + v*0.15*gy*t
	}
	parallelRows(H, func(ya, yb int) {
		for y := ya; y < yb; y++ {
			row := img.Pix[y*img.Stride:]
			for x := 0; x < W; x++ {
				f := int32((1 - fx[x] - fy[y]) * 1024)
				o := row[x*4 : x*4+3 : x*4+3]
				for i := range o {
					n := (int32(o[i])*f + 512) >> 10
					if n > 255 {
						n = 255
					}
					if n < 0 {
						n = 0
					}
					o[i] = uint8(n)
				}
			}
		}
	})
}

// Blur arithmetic is SWAR: the three colour channels of a pixel travel in
// one uint64 as 21-bit lanes, with 13-bit weights (sum 8192), so a lane
// never exceeds 255*8192 + 4096 < 2^21 and a tap costs one multiply for all
// three channels.
const (
	blurShift = 13
	laneBits  = 21
	laneMask  = 1<<laneBits - 1
	laneRound = 1<<(blurShift-1) | 1<<(blurShift-1)<<laneBits | 1<<(blurShift-1)<<(2*laneBits)
)

func spread(r, g, b uint8) uint64 {
	return uint64(r) | uint64(g)<<laneBits | uint64(b)<<(2*laneBits)
}

// unspread rounds and scales the weighted lane sums back to bytes.
func unspread(acc uint64) (r, g, b uint8) {
	acc += laneRound
	return uint8((acc & laneMask) >> blurShift), uint8((acc >> laneBits & laneMask) >> blurShift), uint8((acc >> (2 * laneBits) & laneMask) >> blurShift)
}

// gaussianKernel returns the weights w[0..rad] (centre first) of a Gaussian
// of the given sigma, radius ceil(3 sigma), scaled so the full symmetric
// kernel sums to exactly 1<<blurShift.
func gaussianKernel(sigma float64) []uint64 {
	rad := int(math.Ceil(3 * sigma))
	if rad < 1 {
		rad = 1
	}
	f := make([]float64, rad+1)
	sum := 0.0
	for i := range f {
		f[i] = math.Exp(-float64(i*i) / (2 * sigma * sigma))
		sum += f[i]
		if i > 0 {
			sum += f[i]
		}
	}
	k := make([]uint64, rad+1)
	tot := uint64(0)
	for i := range f {
		k[i] = uint64(math.Round(f[i] / sum * (1 << blurShift)))
		tot += k[i]
		if i > 0 {
			tot += k[i]
		}
	}
	k[0] = k[0] + (1 << blurShift) - tot
	return k
}

// gaussianBlur blurs the RGB channels with a separable Gaussian of the given
// sigma (px); borders are clamped.
func gaussianBlur(img *image.RGBA, sigma float64) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	k := gaussianKernel(sigma)
	rad := len(k) - 1
	tmp := make([]uint64, W*H)
	// horizontal: image -> tmp (spread, already rounded to 8 bits per lane)
	parallelRows(H, func(ya, yb int) {
		pad := make([]uint64, W+2*rad)
		for y := ya; y < yb; y++ {
			src := img.Pix[y*img.Stride : y*img.Stride+W*4]
			for x := 0; x < W; x++ {
				pad[rad+x] = spread(src[x*4], src[x*4+1], src[x*4+2])
			}
			for i := 0; i < rad; i++ {
				pad[i] = pad[rad]
				pad[W+rad+i] = pad[W+rad-1]
			}
			dst := tmp[y*W : (y+1)*W]
			w0, kk := k[0], k[1:]
			for x := range dst {
				acc := pad[x+rad] * w0
				lo, hi := x+rad-1, x+rad+1
				for _, w := range kk {
					acc += (pad[lo] + pad[hi]) * w
					lo--
					hi++
				}
				dst[x] = spread(unspread(acc))
			}
		}
	})
	// vertical: tmp -> image, row by row with an accumulator
	parallelRows(H, func(ya, yb int) {
		acc := make([]uint64, W)
		for y := ya; y < yb; y++ {
			c := tmp[y*W : (y+1)*W]
			w0 := k[0]
			for x, v := range c {
				acc[x] = v * w0
			}
			for j := 1; j <= rad; j++ {
				s0, s1 := max(y-j, 0), min(y+j, H-1)
				lo, hi := tmp[s0*W:(s0+1)*W], tmp[s1*W:(s1+1)*W]
				hi = hi[:len(lo)]
				a := acc[:len(lo)]
				w := k[j]
				for x, v := range lo {
					a[x] += (v + hi[x]) * w
				}
			}
			dst := img.Pix[y*img.Stride : y*img.Stride+W*4]
			for x, v := range acc {
				r, g, b := unspread(v)
				d := dst[x*4 : x*4+4 : x*4+4]
				d[0], d[1], d[2], d[3] = r, g, b, 255
			}
		}
	})
}

// addNoise adds zero-mean Gaussian noise of stddev sigma (0..255 units),
// independently per RGB channel, from a seeded table so it stays cheap.
// Each row has its own generator so the result does not depend on threading.
func addNoise(img *image.RGBA, sigma float64, seed uint64) {
	const tblBits = 12
	// Table of exact normal quantiles, picked by a uniform random index.
	var tbl [1 << tblBits]int16
	for i := range tbl {
		p := (float64(i) + 0.5) / (1 << tblBits)
		tbl[i] = int16(math.Round(math.Sqrt2 * math.Erfinv(2*p-1) * sigma))
	}
	W, H := img.Rect.Dx(), img.Rect.Dy()
	parallelRows(H, func(ya, yb int) {
		for y := ya; y < yb; y++ {
			// splitmix64 of (seed, row) seeds a xorshift64* stream
			s := seed + uint64(y+1)*0x9e3779b97f4a7c15
			s = (s ^ s>>30) * 0xbf58476d1ce4e5b9
			s = (s ^ s>>27) * 0x94d049bb133111eb
			s ^= s >> 31
			s |= 1
			var bits uint64
			nb := 0
			row := img.Pix[y*img.Stride : y*img.Stride+W*4]
			for i := 0; i < len(row); i++ {
				if i&3 == 3 {
					continue
				}
				if nb == 0 {
					s ^= s >> 12
					s ^= s << 25
					s ^= s >> 27
					bits = s * 2685821657736338717
					nb = 5
				}
				v := int32(row[i]) + int32(tbl[bits>>(64-tblBits)])
				bits <<= tblBits
				nb--
				if v < 0 {
					v = 0
				} else if v > 255 {
					v = 255
				}
				row[i] = uint8(v)
			}
		}
	})
}

// drawShadow darkens the background around the document quad: a soft drop
// shadow offset down-right, opacity up to 0.5*strength.
func drawShadow(img *image.RGBA, q [4][2]float64, strength float64) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	diag := math.Hypot(q[2][0]-q[0][0], q[2][1]-q[0][1])
	soft := 0.03 * diag
	off := 0.015 * diag
	var s [4][2]float64
	for i := range q {
		s[i] = [2]float64{q[i][0] + off, q[i][1] + off}
	}
	// edge normals (clockwise quad in y-down coordinates: inside is to the right)
	var nx, ny, nc [4]float64
	for i := range 4 {
		j := (i + 1) % 4
		dx, dy := s[j][0]-s[i][0], s[j][1]-s[i][1]
		l := math.Hypot(dx, dy)
		nx[i], ny[i] = dy/l, -dx/l // outward
		nc[i] = -(nx[i]*s[i][0] + ny[i]*s[i][1])
	}
	minX, minY, maxX, maxY := s[0][0], s[0][1], s[0][0], s[0][1]
	for _, c := range s[1:] {
		minX, maxX = math.Min(minX, c[0]), math.Max(maxX, c[0])
		minY, maxY = math.Min(minY, c[1]), math.Max(maxY, c[1])
	}
	x0, y0 := max(int(minX-2*soft), 0), max(int(minY-2*soft), 0)
	x1, y1 := min(int(maxX+2*soft)+1, W), min(int(maxY+2*soft)+1, H)
	inv2s := 1 / (2 * soft)
	parallelRows(y1-y0, func(ya, yb int) {
		for y := y0 + ya; y < y0+yb; y++ {
			py := float64(y) + 0.5
			row := img.Pix[y*img.Stride:]
			px := float64(x0) + 0.5
			var e [4]float64
			for i := range e {
				e[i] = nx[i]*px + ny[i]*py + nc[i]
			}
			for x := x0; x < x1; x++ {
				d := max(e[0], e[1], e[2], e[3])
				e[0] += nx[0]
				e[1] += nx[1]
				e[2] += nx[2]
				e[3] += nx[3]
				a := 0.5 * strength * (0.5 - d*inv2s)
				if a <= 0 {
					continue
				}
				a = min(a, 0.5*strength)
				f := int32((1 - a) * 256)
				o := row[x*4 : x*4+3 : x*4+3]
				o[0] = uint8((int32(o[0])*f + 128) >> 8)
				o[1] = uint8((int32(o[1])*f + 128) >> 8)
				o[2] = uint8((int32(o[2])*f + 128) >> 8)
			}
		}
	})
}
