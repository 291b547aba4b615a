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
	n2 := newNoise(r, W*2, H*2, 7)
	period := 9 + 10*r.Float64()
	plank := 110 + 140*r.Float64()
	off := r.Float64() * plank
	tints := make([]float64, 64)
	joints := make([]float64, 64)
	for i := range tints {
		tints[i] = 0.85 + 0.3*r.Float64()
		joints[i] = r.Float64() * 1500
	}
	dr, dg, db := float64(dark.R), float64(dark.G), float64(dark.B)
	lr, lg, lb := float64(light.R), float64(light.G), float64(light.B)
	parallelRows(H, func(ya, yb int) {
		for y := ya; y < yb; y++ {
			row := img.Pix[y*img.Stride:]
			for x := 0; x < W; x++ {
				u := float64(x)*ca + float64(y)*sa
				v := -float64(x)*sa + float64(y)*ca + off
				pv := v / plank
				pi := int(math.Floor(pv))
				tint := tints[pi&63]
				ring := fastSin((v+30*n1.at(u*0.25+1000, v))/period + 1e6)
				t := 0.5 + 0.35*ring + 0.3*(n2.at(u*0.08+2000, v*1.5)-0.5)
				t = math.Max(0, math.Min(1, t))
				f := tint
				if seams {
					// dark plank seams (straight, strong edges) and end joints
					dv := (pv - float64(pi)) * plank
					dv = math.Min(dv, plank-dv)
					if dv < 2 {
						f *= 0.35 + 0.65*dv/2
					}
					du := u + joints[pi&63] + 4000
					du -= 1500 * math.Floor(du/1500)
					if du < 2 {
						f *= 0.45 + 0.55*du/2
					}
				}
				setPix(row[x*4:x*4+4], (dr+(lr-dr)*t)*f, (dg+(lg-dg)*t)*f, (db+(lb-db)*t)*f)
			}
		}
	})
}

func drawFabric(img *image.RGBA, r *rand.Rand) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	base := hsv(r.Float64()*360, 0.2+0.5*r.Float64(), 0.3+0.5*r.Float64())
	alt := lerpC(base, hsv(r.Float64()*360, 0.5, 0.8), 0.25)
	p := 3 + r.IntN(4)
	folds := newNoise(r, W, H, 160)
	fine := newNoise(r, W, H, 2)
	seamY := float64(H) * (0.15 + 0.7*r.Float64())
	seamSlope := (r.Float64() - 0.5) * 0.4
	sinT := make([]float64, 2*p)
	for i := range sinT {
		sinT[i] = math.Sin(math.Pi * float64(i) / float64(p))
	}
	parallelRows(H, func(ya, yb int) {
		for y := ya; y < yb; y++ {
			row := img.Pix[y*img.Stride:]
			for x := 0; x < W; x++ {
				weave := 1.0
				cellX, cellY := (x/p)&1, (y/p)&1
				if cellX^cellY == 0 {
					weave = 0.8 + 0.2*sinT[y%(2*p)]
				} else {
					weave = 0.8 + 0.2*sinT[x%(2*p)]
				}
				c := base
				if cellX^cellY == 1 {
					c = alt
				}
				sh := 0.7 + 0.6*folds.at(float64(x), float64(y)) + 0.08*(fine.at(float64(x), float64(y))-0.5)
				f := weave * sh
				// a hem: straight seam, the cloth beyond it darker (strong edge)
				dy := float64(y) - (seamY + seamSlope*float64(x))
				if dy > 0 {
					f *= 0.7
				}
				if dy > 6 && dy < 8 && (x/6)&1 == 0 {
					f *= 1.6 // stitches
				}
				setPix(row[x*4:x*4+4], float64(c.R)*f, float64(c.G)*f, float64(c.B)*f)
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
	parallelRows(H, func(ya, yb int) {
		for y := ya; y < yb; y++ {
			row := img.Pix[y*img.Stride:]
			for x := 0; x < W; x++ {
				t := 0.5 + (float64(x)-float64(W)/2)*gx + (float64(y)-float64(H)/2)*gy
				f := 1 + noiseAmp*(n.at(float64(x), float64(y))-0.5)
				setPix(row[x*4:x*4+4],
					(float64(c0.R)+(float64(c1.R)-float64(c0.R))*t)*f,
					(float64(c0.G)+(float64(c1.G)-float64(c0.G))*t)*f,
					(float64(c0.B)+(float64(c1.B)-float64(c0.B))*t)*f)
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
