package synth

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// canvas draws in a unit (mm for documents, px for backgrounds) scaled by k.
type canvas struct {
	img *image.RGBA
	k   float64
}

func newCanvas(w, h int, k float64) *canvas {
	return &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h)), k: k}
}

func lerpC(a, b color.RGBA, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	return color.RGBA{
		uint8(float64(a.R) + (float64(b.R)-float64(a.R))*t + 0.5),
		uint8(float64(a.G) + (float64(b.G)-float64(a.G))*t + 0.5),
		uint8(float64(a.B) + (float64(b.B)-float64(a.B))*t + 0.5),
		255,
	}
}

func withAlpha(c color.RGBA, a float64) color.RGBA {
	a = math.Max(0, math.Min(1, a))
	return color.RGBA{uint8(float64(c.R)*a + 0.5), uint8(float64(c.G)*a + 0.5), uint8(float64(c.B)*a + 0.5), uint8(255*a + 0.5)}
}

// fillRect fills an axis-aligned rectangle (canvas units) with an opaque
// colour, snapping its edges to whole pixels.
func (cv *canvas) fillRect(x, y, w, h float64, c color.RGBA) {
	r := image.Rect(int(math.Round(x*cv.k)), int(math.Round(y*cv.k)), int(math.Round((x+w)*cv.k)), int(math.Round((y+h)*cv.k))).Intersect(cv.img.Rect)
	for yy := r.Min.Y; yy < r.Max.Y; yy++ {
		row := cv.img.Pix[yy*cv.img.Stride+r.Min.X*4 : yy*cv.img.Stride+r.Max.X*4]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, 255
		}
	}
}

// fillPoly fills a convex polygon given in canvas units with colour c
// (premultiplied alpha), anti-aliased: pixels whose centre is at least half a
// pixel inside every edge are filled solid, boundary pixels get the coverage
// clamp(0.5 + signed distance to the nearest edge line).
func (cv *canvas) fillPoly(pts [][2]float64, c color.RGBA) {
	n := len(pts)
	if n < 3 || n > 1024 {
		return
	}
	var buf [80][3]float64 // edge lines a*x + b*y + c >= 0 inside, |(a,b)| = 1
	lines := buf[:0]
	area := 0.0
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range pts {
		x, y := pts[i][0]*cv.k, pts[i][1]*cv.k
		j := (i + 1) % n
		area += x*pts[j][1]*cv.k - pts[j][0]*cv.k*y
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	if !(maxX-minX < 1e6 && maxY-minY < 1e6) || area == 0 {
		return
	}
	sign := 1.0
	if area < 0 {
		sign = -1
	}
	for i := range pts {
		j := (i + 1) % n
		x0, y0, x1, y1 := pts[i][0]*cv.k, pts[i][1]*cv.k, pts[j][0]*cv.k, pts[j][1]*cv.k
		dx, dy := x1-x0, y1-y0
		l := math.Hypot(dx, dy)
		if l < 1e-9 {
			continue
		}
		// inside is to the right of the edge for clockwise (area > 0, y down)
		a, b := -dy/l*sign, dx/l*sign
		lines = append(lines, [3]float64{a, b, -(a*x0 + b*y0)})
	}
	img := cv.img
	ys, ye := max(int(math.Floor(minY)), img.Rect.Min.Y), min(int(math.Ceil(maxY)), img.Rect.Max.Y)
	xs0, xe0 := max(int(math.Floor(minX)), img.Rect.Min.X), min(int(math.Ceil(maxX)), img.Rect.Max.X)
	ca := int32(c.A)
	opaque := c.A == 255
	inv := 255 - ca
	blend := func(o []uint8, cov float64) {
		if cov >= 1 {
			if opaque {
				o[0], o[1], o[2], o[3] = c.R, c.G, c.B, 255
				return
			}
			// premultiplied "over": dst = src + dst*(1-srcA)
			o[0] = uint8(int32(c.R) + (int32(o[0])*inv+127)/255)
			o[1] = uint8(int32(c.G) + (int32(o[1])*inv+127)/255)
			o[2] = uint8(int32(c.B) + (int32(o[2])*inv+127)/255)
			o[3] = uint8(ca + (int32(o[3])*inv+127)/255)
			return
		}
		k := 1 - float64(ca)/255*cov
		o[0] = clamp8(float64(c.R)*cov + float64(o[0])*k)
		o[1] = clamp8(float64(c.G)*cov + float64(o[1])*k)
		o[2] = clamp8(float64(c.B)*cov + float64(o[2])*k)
		o[3] = clamp8(float64(ca)*cov + float64(o[3])*k)
	}
	for y := ys; y < ye; y++ {
		py := float64(y) + 0.5
		// Interval of pixel centres strictly inside (distance >= 0.5) on this
		// row; everything within 0.5 px of an edge is a boundary pixel.
		in0, in1 := float64(xs0), float64(xe0)
		out0, out1 := float64(xs0), float64(xe0)
		for _, L := range lines {
			// a*x + b*py + c >= t  <=>  x >= or <= ...
			base := L[1]*py + L[2]
			if math.Abs(L[0]) < 1e-12 {
				if base < 0.5 {
					in1 = in0 - 1 // no solid pixels
				}
				if base < -0.5 {
					out1 = out0 - 1
				}
				continue
			}
			xi := (0.5 - base) / L[0]
			xo := (-0.5 - base) / L[0]
			if L[0] > 0 {
				in0, out0 = math.Max(in0, xi), math.Max(out0, xo)
			} else {
				in1, out1 = math.Min(in1, xi), math.Min(out1, xo)
			}
		}
		if out1 < out0 {
			continue
		}
		row := img.Pix[y*img.Stride:]
		xa, xb := max(int(math.Floor(out0-0.5)), xs0), min(int(math.Ceil(out1+0.5)), xe0)
		ia, ib := int(math.Ceil(in0-0.5)), int(math.Floor(in1-0.5))+1
		for x := xa; x < xb; x++ {
			o := row[x*4 : x*4+4 : x*4+4]
			if x >= ia && x < ib {
				blend(o, 1)
				continue
			}
			px := float64(x) + 0.5
			d := math.Inf(1)
			for _, L := range lines {
				d = math.Min(d, L[0]*px+L[1]*py+L[2])
			}
			if cov := d + 0.5; cov > 0 {
				blend(o, math.Min(cov, 1))
			}
		}
	}
}

func rectPts(x, y, w, h float64) [][2]float64 {
	return [][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
}

// rotRectPts is a w x h rectangle centred on (cx,cy) rotated by a radians.
func rotRectPts(cx, cy, w, h, a float64) [][2]float64 {
	s, c := math.Sin(a), math.Cos(a)
	var p [][2]float64
	for _, d := range [4][2]float64{{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}} {
		p = append(p, [2]float64{cx + d[0]*c - d[1]*s, cy + d[0]*s + d[1]*c})
	}
	return p
}

func ellipsePts(cx, cy, rx, ry, a float64, n int) [][2]float64 {
	s, c := math.Sin(a), math.Cos(a)
	p := make([][2]float64, n)
	for i := range p {
		t := 2 * math.Pi * float64(i) / float64(n)
		x, y := rx*math.Cos(t), ry*math.Sin(t)
		p[i] = [2]float64{cx + x*c - y*s, cy + x*s + y*c}
	}
	return p
}

func roundRectPts(x, y, w, h, r float64) [][2]float64 {
	r = math.Min(r, math.Min(w, h)/2)
	var p [][2]float64
	arc := func(cx, cy, a0 float64) {
		for i := 0; i <= 6; i++ {
			t := a0 + float64(i)/6*math.Pi/2
			p = append(p, [2]float64{cx + r*math.Cos(t), cy + r*math.Sin(t)})
		}
	}
	arc(x+w-r, y+r, -math.Pi/2)
	arc(x+w-r, y+h-r, 0)
	arc(x+r, y+h-r, math.Pi/2)
	arc(x+r, y+r, math.Pi)
	return p
}

// strokeLine draws a line of width wd (canvas units).
func (cv *canvas) strokeLine(x0, y0, x1, y1, wd float64, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*wd/2, dx/l*wd/2
	cv.fillPoly([][2]float64{{x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x1 - nx, y1 - ny}, {x0 - nx, y0 - ny}}, c)
}

// strokePath draws a polyline of width wd as one polygon per segment.
func (cv *canvas) strokePath(pts [][2]float64, wd float64, c color.RGBA) {
	for i := 1; i < len(pts); i++ {
		cv.strokeLine(pts[i-1][0], pts[i-1][1], pts[i][0], pts[i][1], wd, c)
	}
}

// text draws s with its baseline starting at (x,y) canvas units and returns
// the advance in canvas units.
func (cv *canvas) text(f font.Face, x, y float64, s string, c color.RGBA) float64 {
	d := font.Drawer{Dst: cv.img, Src: image.NewUniform(c), Face: f,
		Dot: fixed.Point26_6{X: fixed.Int26_6(x * cv.k * 64), Y: fixed.Int26_6(y * cv.k * 64)}}
	d.DrawString(s)
	return float64(d.Dot.X)/64/cv.k - x
}

func textWidth(f font.Face, s string, k float64) float64 {
	return float64(font.MeasureString(f, s)) / 64 / k
}
