package quality

import (
	"image"
	"math"
	"math/rand"
)

// fixture draws a simple synthetic card (light, with dark bars for "text" and
// a photo box) under a homography on a textured background, 4x4 supersampled.
// It is independent of internal/synth so the algorithms can be tested alone.
func fixture(w, h int, q Quad, f Format, seed int64) *image.Gray {
	rng := rand.New(rand.NewSource(seed))
	g := image.NewGray(image.Rect(0, 0, w, h))
	W := 1000.0
	Hh := W / f.Aspect()
	hm, _ := rectToQuad(q, W, Hh)
	inv := invertH(hm)
	// background: smooth gradient + random rectangles
	type rect struct{ x0, y0, x1, y1, v float64 }
	var rs []rect
	for i := 0; i < 12; i++ {
		x0, y0 := rng.Float64()*float64(w), rng.Float64()*float64(h)
		rs = append(rs, rect{x0, y0, x0 + rng.Float64()*200, y0 + rng.Float64()*120, 30 + rng.Float64()*120})
	}
	// card content: bars
	type bar struct{ x0, y0, x1, y1 float64 }
	var bars []bar
	bars = append(bars, bar{60, 160, 330, 520}) // photo box
	for i := 0; i < 9; i++ {
		y := 150 + float64(i)*45
		bars = append(bars, bar{380, y, 380 + 150 + rng.Float64()*400, y + 18})
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			acc := 0.0
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					px, py := float64(x)+(float64(sx)+0.5)/4, float64(y)+(float64(sy)+0.5)/4
					u, v := inv.apply(px, py)
					var val float64
					if u >= 0 && u < W && v >= 0 && v < Hh {
						val = 225
						for _, b := range bars {
							if u >= b.x0 && u < b.x1 && v >= b.y0 && v < b.y1 {
								val = 40
								break
							}
						}
					} else {
						val = 90 + 40*math.Sin(px/37)*math.Cos(py/53)
						for _, r := range rs {
							if px >= r.x0 && px < r.x1 && py >= r.y0 && py < r.y1 {
								val = r.v
							}
						}
					}
					acc += val
				}
			}
			g.Pix[y*g.Stride+x] = uint8(acc/16 + 0.5)
		}
	}
	return g
}

// invertH inverts a homography (as a 3x3 with h8 = 1, renormalised).
func invertH(h homography) homography {
	a, b, c := h[0], h[1], h[2]
	d, e, f := h[3], h[4], h[5]
	g, hh, i := h[6], h[7], 1.0
	A := e*i - f*hh
	B := -(d*i - f*g)
	C := d*hh - e*g
	D := -(b*i - c*hh)
	E := a*i - c*g
	F := -(a*hh - b*g)
	G := b*f - c*e
	H := -(a*f - c*d)
	I := a*e - b*d
	return homography{A / I, D / I, G / I, B / I, E / I, H / I, C / I, F / I}
}

// blurGray applies a separable Gaussian blur (test helper).
func blurGray(g *image.Gray, sigma float64) *image.Gray {
	if sigma <= 0 {
		return g
	}
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	s := 0.0
	for i := range k {
		x := float64(i - r)
		k[i] = math.Exp(-x * x / (2 * sigma * sigma))
		s += k[i]
	}
	for i := range k {
		k[i] /= s
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 0.0
			for i, kv := range k {
				xx := min(max(x+i-r, 0), w-1)
				v += kv * float64(g.Pix[y*g.Stride+xx])
			}
			tmp[y*w+x] = v
		}
	}
	out := image.NewGray(g.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 0.0
			for i, kv := range k {
				yy := min(max(y+i-r, 0), h-1)
				v += kv * tmp[yy*w+x]
			}
			out.Pix[y*out.Stride+x] = uint8(v + 0.5)
		}
	}
	return out
}
