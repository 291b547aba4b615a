package synth

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// canvas draws in a unit (mm for documents, px for backgrounds) scaled by k.
type canvas struct {
	img *image.RGBA
	k   float64
	z   vector.Rasterizer
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

// fillPoly fills a polygon given in canvas units (premultiplied colour c).
func (cv *canvas) fillPoly(pts [][2]float64, c color.RGBA) {
	if len(pts) < 3 {
		return
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		x, y := p[0]*cv.k, p[1]*cv.k
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	r := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1)
	clip := r.Intersect(cv.img.Rect)
	if clip.Empty() || !(maxX-minX < 1e6 && maxY-minY < 1e6) {
		return
	}
	cv.z.Reset(clip.Dx(), clip.Dy())
	ox, oy := float64(clip.Min.X), float64(clip.Min.Y)
	for i, p := range pts {
		x, y := float32(p[0]*cv.k-ox), float32(p[1]*cv.k-oy)
		if i == 0 {
			cv.z.MoveTo(x, y)
		} else {
			cv.z.LineTo(x, y)
		}
	}
	cv.z.ClosePath()
	cv.z.DrawOp = draw.Over
	cv.z.Draw(cv.img, clip, image.NewUniform(c), image.Point{})
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
