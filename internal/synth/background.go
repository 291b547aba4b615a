package synth

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// vnoise is smooth value noise: random values on a coarse grid, bilinearly
// interpolated with a smoothstep.
type vnoise struct {
	g      []float32
	gw, gh int
	inv    float64
}

func newNoise(r *rand.Rand, w, h int, cell float64) *vnoise {
	gw, gh := int(float64(w)/cell)+3, int(float64(h)/cell)+3
	n := &vnoise{g: make([]float32, gw*gh), gw: gw, gh: gh, inv: 1 / cell}
	for i := range n.g {
		n.g[i] = r.Float32()
	}
	return n
}

// at returns the noise in [0,1] at pixel (x,y); coordinates wrap.
func (n *vnoise) at(x, y float64) float64 {
	x, y = x*n.inv, y*n.inv
	fx, fy := math.Floor(x), math.Floor(y)
	ix, iy := int(fx)%(n.gw-1), int(fy)%(n.gh-1)
	if ix < 0 {
		ix += n.gw - 1
	}
	if iy < 0 {
		iy += n.gh - 1
	}
	tx, ty := x-fx, y-fy
	tx = tx * tx * (3 - 2*tx)
	ty = ty * ty * (3 - 2*ty)
	i := iy*n.gw + ix
	a := float64(n.g[i]) + (float64(n.g[i+1])-float64(n.g[i]))*tx
	b := float64(n.g[i+n.gw]) + (float64(n.g[i+n.gw+1])-float64(n.g[i+n.gw]))*tx
	return a + (b-a)*ty
}

const sinBits = 12

var sinLUT = func() (t [1 << sinBits]float32) {
	for i := range t {
		t[i] = float32(math.Sin(2 * math.Pi * float64(i) / (1 << sinBits)))
	}
	return
}()

// fastSin is sin(2*pi*turns) from a table (~0.2 % error).
func fastSin(turns float64) float64 {
	return float64(sinLUT[int(turns*(1<<sinBits))&(1<<sinBits-1)])
}

func setPix(o []uint8, r, g, b float64) {
	o[0] = clamp8(r)
	o[1] = clamp8(g)
	o[2] = clamp8(b)
	o[3] = 255
}

func clamp8(v float64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

func drawBackground(img *image.RGBA, d *Doc, r *rand.Rand) {
	switch d.Background {
	case Clutter:
		drawClutter(img, d, r)
	case Wood:
		drawWood(img, r, true)
	case Fabric:
		drawFabric(img, r)
	case Desk:
		drawDesk(img, d, r)
	default:
		drawPlain(img, d, r)
	}
}

func drawPlain(img *image.RGBA, d *Doc, r *rand.Rand) {
	var c color.RGBA
	if d.BackgroundColor != nil {
		c = color.RGBAModel.Convert(d.BackgroundColor).(color.RGBA)
	} else {
		c = hsv(r.Float64()*360, 0.05+0.2*r.Float64(), 0.12+0.3*r.Float64())
	}
	W, H := img.Rect.Dx(), img.Rect.Dy()
	lx, ly := r.Float64()*float64(W), r.Float64()*float64(H)
	diag2 := float64(W*W + H*H)
	parallelRows(H, func(ya, yb int) {
		for y := ya; y < yb; y++ {
			row := img.Pix[y*img.Stride:]
			dy2 := (float64(y) - ly) * (float64(y) - ly)
			for x := 0; x < W; x++ {
				f := 1 - 0.25*((float64(x)-lx)*(float64(x)-lx)+dy2)/diag2
				setPix(row[x*4:x*4+4], float64(c.R)*f, float64(c.G)*f, float64(c.B)*f)
			}
		}
	})
}

// field is a smooth scalar function sampled every step px and bilinearly
// interpolated, so per-pixel backgrounds pay ~2 ns for it instead of a noise
// evaluation.
type field struct {
	g        []float32
	gw, step int
}

func makeField(w, h, step int, f func(x, y float64) float64) *field {
	gw, gh := w/step+2, h/step+2
	fl := &field{g: make([]float32, gw*gh), gw: gw, step: step}
	for j := 0; j < gh; j++ {
		for i := 0; i < gw; i++ {
			fl.g[j*fl.gw+i] = float32(f(float64(i*step), float64(j*step)))
		}
	}
	return fl
}

// row writes the field's values along row y into dst.
func (fl *field) row(y int, dst []float32) {
	j := y / fl.step
	fy := float32(y-j*fl.step) / float32(fl.step)
	g0, g1 := fl.g[j*fl.gw:(j+1)*fl.gw], fl.g[(j+1)*fl.gw:(j+2)*fl.gw]
	inv := 1 / float32(fl.step)
	for x0 := 0; x0 < len(dst); x0 += fl.step {
		i := x0 / fl.step
		a := g0[i] + (g1[i]-g0[i])*fy
		b := g0[i+1] + (g1[i+1]-g0[i+1])*fy
		d := (b - a) * inv
		end := min(x0+fl.step, len(dst))
		for x := x0; x < end; x++ {
			dst[x] = a
			a += d
		}
	}
}

func clampF(v float32) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// hash2 is a cheap integer hash of a pixel position and a seed, 0..255.
func hash2(x, y int, seed uint32) uint32 {
	h := uint32(x)*0x27d4eb2d ^ uint32(y)*0x165667b1 ^ seed
	h ^= h >> 15
	h *= 0x2c1b3c6d
	h ^= h >> 12
	return h & 255
}

func drawWood(img *image.RGBA, r *rand.Rand, seams bool) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	a := (r.Float64() - 0.5) * 0.6
	if r.IntN(2) == 0 {
		a += math.Pi / 2
	}
	sa, ca := math.Sin(a), math.Cos(a)
	light := hsv(22+12*r.Float64(), 0.45+0.2*r.Float64(), 0.55+0.3*r.Float64())
	dark := lerpC(light, color.RGBA{30, 15, 5, 255}, 0.45+0.2*r.Float64())
	n1 := newNoise(r, W*2, H*2, 90)
	period := 9 + 10*r.Float64()
	// ring phase (in turns): distorted by smooth noise stretched along the grain
	phase := makeField(W, H, 8, func(x, y float64) float64 {
		u := x*ca + y*sa
		v := -x*sa + y*ca
		return (v + 30*n1.at(u*0.25+1000, v)) / period
	})
	// fine straight streaks across the grain: 1-D noise of v
	var streak [4096]float32
	{
		prev, next := r.Float32(), r.Float32()
		for i := range streak {
			if i%5 == 0 {
				prev, next = next, r.Float32()
			}
			t := float32(i%5) / 5
			streak[i] = (prev + (next-prev)*t - 0.5) * 0.3
		}
	}
	plank := 110 + 140*r.Float64()
	off := r.Float64() * plank
	var tints, joints [64]float32
	for i := range tints {
		tints[i] = float32(0.85 + 0.3*r.Float64())
		joints[i] = float32(r.Float64() * 1500)
	}
	dr, dg, db := float32(dark.R), float32(dark.G), float32(dark.B)
	lr, lg, lb := float32(light.R)-dr, float32(light.G)-dg, float32(light.B)-db
	fsa, fca := float32(sa), float32(ca)
	parallelRows(H, func(ya, yb int) {
		ph := make([]float32, W)
		for y := ya; y < yb; y++ {
			phase.row(y, ph)
			row := img.Pix[y*img.Stride:]
			u := float32(y) * fsa
			v := float32(y)*fca + float32(off)
			for x := 0; x < W; x, u, v = x+1, u+fca, v-fsa {
				ring := sinLUT[int(ph[x]*(1<<sinBits)+(1<<30))&(1<<sinBits-1)]
				t := 0.5 + 0.35*ring + streak[int(v*2+1<<20)&4095]
				t = min(max(t, 0), 1)
				pv := v / float32(plank)
				pi := int(pv + 1<<20)
				f := tints[pi&63]
				if seams {
					// dark plank seams (straight, strong edges) and end joints
					dv := (pv + 1<<20 - float32(pi)) * float32(plank)
					dv = min(dv, float32(plank)-dv)
					if dv < 2 {
						f *= 0.35 + 0.65*dv/2
					}
					du := u + joints[pi&63] + 1500*64
					du -= 1500 * float32(int(du/1500))
					if du < 2 {
						f *= 0.45 + 0.55*du/2
					}
				}
				o := row[x*4 : x*4+4 : x*4+4]
				o[0], o[1], o[2], o[3] = clampF((dr+lr*t)*f), clampF((dg+lg*t)*f), clampF((db+lb*t)*f), 255
			}
		}
	})
}

func drawFabric(img *image.RGBA, r *rand.Rand) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	base := hsv(r.Float64()*360, 0.2+0.5*r.Float64(), 0.3+0.5*r.Float64())
	alt := lerpC(base, hsv(r.Float64()*360, 0.5, 0.8), 0.25)
	p := 3 + r.IntN(4)
	n := newNoise(r, W, H, 160)
	folds := makeField(W, H, 8, func(x, y float64) float64 { return 0.7 + 0.6*n.at(x, y) })
	seed := r.Uint32()
	seamY := float64(H) * (0.15 + 0.7*r.Float64())
	seamSlope := (r.Float64() - 0.5) * 0.4
	sinT := make([]float32, 2*p)
	for i := range sinT {
		sinT[i] = float32(0.8 + 0.2*math.Sin(math.Pi*float64(i)/float64(p)))
	}
	cols := [2][3]float32{{float32(base.R), float32(base.G), float32(base.B)}, {float32(alt.R), float32(alt.G), float32(alt.B)}}
	parallelRows(H, func(ya, yb int) {
		sh := make([]float32, W)
		for y := ya; y < yb; y++ {
			folds.row(y, sh)
			row := img.Pix[y*img.Stride:]
			cellY := (y / p) & 1
			wy := sinT[y%(2*p)]
			for x := 0; x < W; x++ {
				cell := ((x / p) & 1) ^ cellY
				weave := wy
				if cell == 1 {
					weave = sinT[x%(2*p)]
				}
				f := weave * (sh[x] + 0.08*(float32(hash2(x, y, seed))/255-0.5))
				// a hem: straight seam, the cloth beyond it darker (strong edge)
				dy := float64(y) - (seamY + seamSlope*float64(x))
				if dy > 0 {
					f *= 0.7
				}
				if dy > 6 && dy < 8 && (x/6)&1 == 0 {
					f *= 1.6 // stitches
				}
				c := &cols[cell]
				o := row[x*4 : x*4+4 : x*4+4]
				o[0], o[1], o[2], o[3] = clampF(c[0]*f), clampF(c[1]*f), clampF(c[2]*f), 255
			}
		}
	})
}

var words = []string{"INVOICE", "Total", "Meeting 10:30", "RECEIPT", "Dear customer,", "www.example.com",
	"Qty 2  12.99", "NOTES", "To do:", "Call Anna", "Order #48213", "Thank you", "2026-11-25", "VISA **** 4821",
	"Boarding pass", "GATE B12", "SEAT 14C", "Flight GG 102"}

func textLines(cv *canvas, r *rand.Rand, x, y, w, h float64, c color.RGBA) {
	fs, err := goFonts()
	if err != nil {
		return
	}
	sz := 9 + r.Float64()*10
	fc := face(fs.regular, sz)
	for yy := y + sz*1.5; yy < y+h-sz*0.3; yy += sz * 1.6 {
		s := ""
		for textWidth(fc, s, 1) < w*0.6 {
			s += pick(r, words) + " "
		}
		cv.text(fc, x+sz, yy, s, c)
	}
}

func randColor(r *rand.Rand) color.RGBA {
	switch r.IntN(5) {
	case 0:
		g := uint8(220 + r.IntN(36))
		return color.RGBA{g, g, g - uint8(r.IntN(10)), 255} // white paper
	case 1:
		g := uint8(r.IntN(40))
		return color.RGBA{g, g, g, 255} // black
	}
	return hsv(r.Float64()*360, r.Float64(), 0.2+0.8*r.Float64())
}

func gradientFill(img *image.RGBA, c0, c1 color.RGBA, r *rand.Rand, noiseAmp float64) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	n := newNoise(r, W, H, 120)
	a := r.Float64() * 2 * math.Pi
	gx, gy := math.Cos(a)/float64(W), math.Sin(a)/float64(H)
	t := makeField(W, H, 8, func(x, y float64) float64 {
		return 0.5 + (x-float64(W)/2)*gx + (y-float64(H)/2)*gy
	})
	f := makeField(W, H, 8, func(x, y float64) float64 { return 1 + noiseAmp*(n.at(x, y)-0.5) })
	a0 := [3]float32{float32(c0.R), float32(c0.G), float32(c0.B)}
	d := [3]float32{float32(c1.R) - a0[0], float32(c1.G) - a0[1], float32(c1.B) - a0[2]}
	parallelRows(H, func(ya, yb int) {
		tr, fr := make([]float32, W), make([]float32, W)
		for y := ya; y < yb; y++ {
			t.row(y, tr)
			f.row(y, fr)
			row := img.Pix[y*img.Stride:]
			for x := 0; x < W; x++ {
				tt, ff := tr[x], fr[x]
				o := row[x*4 : x*4+4 : x*4+4]
				o[0], o[1], o[2], o[3] = clampF((a0[0]+d[0]*tt)*ff), clampF((a0[1]+d[1]*tt)*ff), clampF((a0[2]+d[2]*tt)*ff), 255
			}
		}
	})
}

func drawClutter(img *image.RGBA, d *Doc, r *rand.Rand) {
	W, H := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	gradientFill(img, randColor(r), randColor(r), r, 0.3)
	cv := &canvas{img: img, k: 1}
	docW := d.DPI * d.Format.WidthInches()
	fs, _ := goFonts()
	n := 18 + r.IntN(14)
	for i := 0; i < n; i++ {
		c := randColor(r)
		x, y := r.Float64()*W, r.Float64()*H
		switch r.IntN(7) {
		case 0, 1: // rectangle, possibly rotated, with text
			w, h := 40+r.Float64()*W*0.45, 30+r.Float64()*H*0.45
			a := 0.0
			if r.IntN(2) == 0 {
				a = (r.Float64() - 0.5) * math.Pi
			}
			cv.fillPoly(rotRectPts(x, y, w, h, a), c)
			if a == 0 && r.IntN(2) == 0 {
				textLines(cv, r, x-w/2, y-h/2, w, h, lerpC(c, color.RGBA{0, 0, 0, 255}, 0.7))
			}
		case 2: // thick straight line
			l := 100 + r.Float64()*W
			a := r.Float64() * math.Pi
			cv.strokeLine(x, y, x+l*math.Cos(a), y+l*math.Sin(a), 1+r.Float64()*8, c)
		case 3: // circle / ellipse
			rr := 10 + r.Float64()*H*0.2
			cv.fillPoly(ellipsePts(x, y, rr, rr*(0.6+0.4*r.Float64()), r.Float64()*math.Pi, 48), c)
		case 4: // text snippet
			if fs != nil {
				sz := 10 + r.Float64()*40
				ft := fs.regular
				if r.IntN(2) == 0 {
					ft = fs.bold
				}
				cv.text(face(ft, sz), x, y, pick(r, words), c)
			}
		case 5: // card-sized decoy: rounded rectangle of similar aspect, smaller
			s := docW * (0.18 + 0.22*r.Float64())
			asp := 1.3 + 0.5*r.Float64()
			pts := roundRectPts(0, 0, s, s/asp, s*0.04)
			a := (r.Float64() - 0.5) * math.Pi
			sa, ca := math.Sin(a), math.Cos(a)
			for j := range pts {
				px, py := pts[j][0]-s/2, pts[j][1]-s/asp/2
				pts[j] = [2]float64{x + px*ca - py*sa, y + px*sa + py*ca}
			}
			cv.fillPoly(pts, c)
		default: // grid of small squares (tiles, keyboard-like)
			sz := 8 + r.Float64()*20
			for gy := 0; gy < 4; gy++ {
				for gx := 0; gx < 8; gx++ {
					cv.fillPoly(rectPts(x+float64(gx)*sz*1.3, y+float64(gy)*sz*1.3, sz, sz), c)
				}
			}
		}
	}
}

func drawDesk(img *image.RGBA, d *Doc, r *rand.Rand) {
	W, H := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	switch r.IntN(3) {
	case 0:
		drawWood(img, r, false)
	default:
		c := hsv(r.Float64()*360, 0.1*r.Float64(), 0.15+0.75*r.Float64())
		gradientFill(img, c, lerpC(c, color.RGBA{0, 0, 0, 255}, 0.2), r, 0.15)
	}
	cv := &canvas{img: img, k: 1}
	ink := color.RGBA{40, 40, 50, 255}
	// paper sheets (A4 aspect), large, with text lines
	for i, n := 0, 1+r.IntN(2); i < n; i++ {
		h := H * (0.5 + 0.45*r.Float64())
		w := h / 1.414
		if r.IntN(2) == 0 {
			w, h = h, w
		}
		x, y := r.Float64()*W, r.Float64()*H
		a := (r.Float64() - 0.5) * 0.8
		g := uint8(225 + r.IntN(30))
		cv.fillPoly(rotRectPts(x+6, y+6, w, h, a), color.RGBA{0, 0, 0, 60}) // shadow
		cv.fillPoly(rotRectPts(x, y, w, h, a), color.RGBA{g, g, g - uint8(r.IntN(12)), 255})
		sa, ca := math.Sin(a), math.Cos(a)
		for ly := -h/2 + 30; ly < h/2-20; ly += 14 {
			lw := w * (0.3 + 0.5*r.Float64())
			x0, y0 := x+(-w/2+25)*ca-ly*sa, y+(-w/2+25)*sa+ly*ca
			cv.strokeLine(x0, y0, x0+lw*ca, y0+lw*sa, 2.5, withAlpha(ink, 0.5))
		}
	}
	// keyboard
	if r.IntN(3) > 0 {
		kw, kh := W*(0.35+0.2*r.Float64()), H*(0.18+0.1*r.Float64())
		x, y := r.Float64()*W, []float64{-kh * 0.3, H - kh*0.7}[r.IntN(2)]
		a := (r.Float64() - 0.5) * 0.3
		body := hsv(0, 0, 0.1+0.7*r.Float64())
		key := lerpC(body, color.RGBA{255, 255, 255, 255}, 0.3)
		cv.fillPoly(rotRectPts(x, y+kh/2, kw, kh, a), body)
		sa, ca := math.Sin(a), math.Cos(a)
		ks := kh / 6
		for j := 0; j < 5; j++ {
			for i := 0; i < int(kw/ks/1.15)-1; i++ {
				lx, ly := -kw/2+ks*0.8+float64(i)*ks*1.15, -kh/2+ks*0.8+float64(j)*ks*1.1
				cv.fillPoly(rotRectPts(x+lx*ca-ly*sa, y+kh/2+lx*sa+ly*ca, ks*0.9, ks*0.85, a), key)
			}
		}
	}
	// pen
	{
		x, y := r.Float64()*W, r.Float64()*H
		a := r.Float64() * math.Pi
		l := H * (0.3 + 0.2*r.Float64())
		cv.strokeLine(x, y, x+l*math.Cos(a), y+l*math.Sin(a), 9, randColor(r))
	}
	// mug from above
	if r.IntN(2) == 0 {
		x, y := r.Float64()*W, r.Float64()*H
		rr := H * (0.08 + 0.06*r.Float64())
		c := randColor(r)
		cv.fillPoly(ellipsePts(x, y, rr, rr, 0, 64), c)
		cv.fillPoly(ellipsePts(x, y, rr*0.82, rr*0.82, 0, 64), hsv(25, 0.7, 0.2+0.2*r.Float64()))
	}
	// phone
	if r.IntN(2) == 0 {
		x, y := r.Float64()*W, r.Float64()*H
		pw := H * 0.2
		pts := roundRectPts(-pw/2, -pw, pw, pw*2, pw*0.15)
		a := r.Float64() * math.Pi
		sa, ca := math.Sin(a), math.Cos(a)
		for j := range pts {
			pts[j] = [2]float64{x + pts[j][0]*ca - pts[j][1]*sa, y + pts[j][0]*sa + pts[j][1]*ca}
		}
		cv.fillPoly(pts, color.RGBA{15, 15, 18, 255})
	}
	_ = d
}
