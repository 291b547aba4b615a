package quality

import (
	"errors"
	"fmt"
	"math"
)

// Point is a position in image pixels (X right, Y down).
type Point struct{ X, Y float64 }

// Quad is a document outline: corners TL, TR, BR, BL (clockwise from top-left).
type Quad [4]Point

// Format is a physical document format.
type Format int

const (
	// FormatID1 is an ID-1 card (driver's licence, ID card): 85.60 x 53.98 mm.
	FormatID1 Format = iota
	// FormatID3 is an ID-3 passport data page: 125 x 88 mm.
	FormatID3
)

// PhysicalWidthInches is the width of the document's long side in inches
// (0 for an unknown format).
func (f Format) PhysicalWidthInches() float64 {
	switch f {
	case FormatID1:
		return 85.60 / 25.4 // 3.370
	case FormatID3:
		return 125.0 / 25.4 // 4.921
	}
	return 0
}

// Aspect is long side / short side (1.586 for ID-1, 1.420 for ID-3; 0 if unknown).
func (f Format) Aspect() float64 {
	switch f {
	case FormatID1:
		return 85.60 / 53.98
	case FormatID3:
		return 125.0 / 88.0
	}
	return 0
}

// Valid reports whether f is a known format.
func (f Format) Valid() bool { return f == FormatID1 || f == FormatID3 }

// String returns "ID1", "ID3" or "Format(n)".
func (f Format) String() string {
	switch f {
	case FormatID1:
		return "ID1"
	case FormatID3:
		return "ID3"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ErrUnknownFormat is returned for a Format other than FormatID1 / FormatID3.
var ErrUnknownFormat = errors.New("quality: unknown document format")

// ErrBadQuad is returned for a quad that is not finite, convex and non-degenerate.
var ErrBadQuad = errors.New("quality: quad is not a finite convex quadrilateral")

// ErrBadImage is returned for a nil, empty or inconsistent image.
var ErrBadImage = errors.New("quality: bad image (nil, empty or inconsistent buffer)")

func dist(a, b Point) float64 {
	dx, dy := a.X-b.X, a.Y-b.Y
	return math.Sqrt(dx*dx + dy*dy) // (an instruction in wasm; math.Hypot is a call)
}

// Top is the length of the TL-TR side.
func (q Quad) Top() float64 { return dist(q[0], q[1]) }

// Bottom is the length of the BL-BR side.
func (q Quad) Bottom() float64 { return dist(q[3], q[2]) }

// Left is the length of the TL-BL side.
func (q Quad) Left() float64 { return dist(q[0], q[3]) }

// Right is the length of the TR-BR side.
func (q Quad) Right() float64 { return dist(q[1], q[2]) }

// Width is mean(len(top), len(bottom)): the document's width in pixels.
func (q Quad) Width() float64 { return (q.Top() + q.Bottom()) / 2 }

// Area is the quad's area in square pixels (positive when clockwise in image coordinates).
func (q Quad) Area() float64 {
	s := 0.0
	for i := 0; i < 4; i++ {
		a, b := q[i], q[(i+1)&3]
		s += a.X*b.Y - b.X*a.Y
	}
	return s / 2
}

// Center is the mean of the four corners.
func (q Quad) Center() Point {
	return Point{(q[0].X + q[1].X + q[2].X + q[3].X) / 4, (q[0].Y + q[1].Y + q[2].Y + q[3].Y) / 4}
}

// Valid reports whether every coordinate is finite and the quad is a strictly
// convex, clockwise (in image coordinates, Y down), non-degenerate quadrilateral.
func (q Quad) Valid() bool {
	for _, p := range q {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) ||
			math.Abs(p.X) > 1e7 || math.Abs(p.Y) > 1e7 {
			return false
		}
	}
	for i := 0; i < 4; i++ {
		a, b, c := q[i], q[(i+1)&3], q[(i+2)&3]
		cr := (b.X-a.X)*(c.Y-b.Y) - (b.Y-a.Y)*(c.X-b.X)
		if !(cr > 0) {
			return false
		}
	}
	return q.Area() >= 1
}

// Scale returns the quad with every coordinate multiplied by s.
func (q Quad) Scale(s float64) Quad {
	for i := range q {
		q[i].X *= s
		q[i].Y *= s
	}
	return q
}

// DPI is the document resolution implied by q: mean(len(top), len(bottom))
// divided by the format's physical width in inches. It is 0 for an unknown
// format or an invalid quad.
func DPI(q Quad, f Format) float64 {
	w := f.PhysicalWidthInches()
	if w == 0 || !q.Valid() {
		return 0
	}
	return q.Width() / w
}

// homography maps (u, v) -> (x, y) projectively: x = (h0 u + h1 v + h2)/(h6 u + h7 v + 1), ...
type homography [8]float64

func (h *homography) apply(u, v float64) (float64, float64) {
	w := h[6]*u + h[7]*v + 1
	return (h[0]*u + h[1]*v + h[2]) / w, (h[3]*u + h[4]*v + h[5]) / w
}

// rectToQuad returns the homography taking the rectangle (0,0),(W,0),(W,H),(0,H)
// to q's corners TL, TR, BR, BL (Heckbert's square-to-quad, scaled).
func rectToQuad(q Quad, W, H float64) (homography, bool) {
	x0, y0 := q[0].X, q[0].Y
	x1, y1 := q[1].X, q[1].Y
	x2, y2 := q[2].X, q[2].Y
	x3, y3 := q[3].X, q[3].Y
	sx := x0 - x1 + x2 - x3
	sy := y0 - y1 + y2 - y3
	var a, b, c, d, e, f, g, h float64
	if math.Abs(sx) < 1e-12 && math.Abs(sy) < 1e-12 {
		a, b, c = x1-x0, x2-x1, x0
		d, e, f = y1-y0, y2-y1, y0
	} else {
		dx1, dx2 := x1-x2, x3-x2
		dy1, dy2 := y1-y2, y3-y2
		den := dx1*dy2 - dx2*dy1
		if math.Abs(den) < 1e-12 {
			return homography{}, false
		}
		g = (sx*dy2 - dx2*sy) / den
		h = (dx1*sy - sx*dy1) / den
		a, b, c = x1-x0+g*x1, x3-x0+h*x3, x0
		d, e, f = y1-y0+g*y1, y3-y0+h*y3, y0
	}
	// unit square -> quad; compose with (u,v) -> (u/W, v/H).
	return homography{a / W, b / H, c, d / W, e / H, f, g / W, h / H}, true
}

// estimateAspect estimates the physical aspect (width/height, width = TL-TR
// direction) of the rectangle whose perspective image is q, using the
// rectangle-from-projection construction of Zhang & He (whiteboard scanning):
// principal point at (cx, cy), square pixels, focal length estimated from
// the quad when the perspective is strong enough, else the prior fPrior.
func estimateAspect(q Quad, cx, cy, fPrior float64) float64 {
	// m1 = TL, m2 = TR, m3 = BL, m4 = BR (paper's naming), relative to principal point.
	m1 := [3]float64{q[0].X - cx, q[0].Y - cy, 1}
	m2 := [3]float64{q[1].X - cx, q[1].Y - cy, 1}
	m3 := [3]float64{q[3].X - cx, q[3].Y - cy, 1}
	m4 := [3]float64{q[2].X - cx, q[2].Y - cy, 1}
	c14 := cross3(m1, m4)
	d2 := dot3(cross3(m2, m4), m3)
	d3 := dot3(cross3(m3, m4), m2)
	simple := q.Width() / ((q.Left() + q.Right()) / 2)
	if d2 == 0 || d3 == 0 {
		return simple
	}
	k2 := dot3(c14, m3) / d2
	k3 := dot3(c14, m2) / d3
	n2 := [3]float64{k2*m2[0] - m1[0], k2*m2[1] - m1[1], k2 - 1}
	n3 := [3]float64{k3*m3[0] - m1[0], k3*m3[1] - m1[1], k3 - 1}
	f2 := fPrior * fPrior
	if math.Abs(n2[2]) > 1e-3 && math.Abs(n3[2]) > 1e-3 {
		est := -(n2[0]*n3[0] + n2[1]*n3[1]) / (n2[2] * n3[2])
		// Accept the estimate only in a plausible range around the prior:
		// with little perspective it is noise, and a wider range lets it
		// swing the aspect by 20 %.
		if est > f2*0.49 && est < f2/0.49 { // f within 0.7..1.43 x the prior
			f2 = est
		}
	}
	num := n2[0]*n2[0] + n2[1]*n2[1] + f2*n2[2]*n2[2]
	den := n3[0]*n3[0] + n3[1]*n3[1] + f2*n3[2]*n3[2]
	if !(num > 0) || !(den > 0) {
		return simple
	}
	r := math.Sqrt(num / den)
	if math.IsNaN(r) || math.IsInf(r, 0) || r <= 0 {
		return simple
	}
	return r
}

func cross3(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

func dot3(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
