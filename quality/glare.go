package quality

import (
	"image"
	"math"
)

// Glare model.
//
// The document's own paper white is the 60th percentile P of the luma inside
// the (slightly shrunk) quad. A pixel is a hotspot candidate when its luma L
// reaches t0 = max(P + max(16, 0.35*(255-P)), 170): clearly brighter than the
// document itself and near the top of the range, so a white card on its own is
// not glare. It counts only when the pixels at distance r up, down, left and
// right are also >= t0 (a solid blob, not a thin bright stroke or noise),
// with r about 1/160 of the document width (≈ 0.5 mm on an ID-1 card). Its
// weight is the strength (L-t0)/(t1-t0) clamped to 0..1, t1 = max(t0+6, 248)
// (capped at 255), so a saturated core weighs 1. A is the weighted hotspot
// area as a fraction of the document area; Glare = 100*exp(-A/glareA0), so
// 0 hotspot area scores 100, 1 % scores 84, 4 % scores 50, 10 % scores 18;
// the score falls strictly as the hotspot grows. With colour (AnalyzeColor)
// a hotspot pixel must also be nearly colourless (|Cb-128| + |Cr-128| <=
// 24): a reflection of the light is near white, bright printed colour (a
// yellow seal) is not glare.
const (
	glareA0       = 0.0577 // 4 % of the document fully saturated -> 50
	glareShrink   = 0.96   // quad shrink towards its centre (avoids background)
	glareMinT0    = 170
	glarePctl     = 0.60
	glareMinDelta = 16
	// glareMaxChroma is the largest |Cb-128| + |Cr-128| of a hotspot pixel
	// when the frame has colour: a specular reflection takes the light's
	// colour (near white), bright printed colour does not count.
	glareMaxChroma = 24
)

// quadSpans calls fn(y, x0, x1) for every row y (step ys) of the w x h buffer
// whose pixel centres in [x0, x1) lie inside the convex quad q.
func quadSpans(q Quad, w, h, ys int, fn func(y, x0, x1 int)) {
	minY, maxY := q[0].Y, q[0].Y
	for _, p := range q[1:] {
		minY = math.Min(minY, p.Y)
		maxY = math.Max(maxY, p.Y)
	}
	y0 := int(math.Max(0, math.Ceil(minY-0.5)))
	y1 := int(math.Min(float64(h-1), math.Floor(maxY-0.5)))
	for y := y0; y <= y1; y += ys {
		x0, x1, ok := quadRow(q, float64(y)+0.5)
		if !ok {
			continue
		}
		ix0 := int(math.Max(0, math.Ceil(x0-0.5)))
		ix1 := int(math.Min(float64(w), math.Floor(x1-0.5)+1))
		if ix1 > ix0 {
			fn(y, ix0, ix1)
		}
	}
}

// quadRow intersects the horizontal line y = yc with convex quad q.
func quadRow(q Quad, yc float64) (float64, float64, bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < 4; i++ {
		a, b := q[i], q[(i+1)&3]
		if (a.Y <= yc && b.Y >= yc) || (b.Y <= yc && a.Y >= yc) {
			var x float64
			if a.Y == b.Y {
				lo = math.Min(lo, math.Min(a.X, b.X))
				hi = math.Max(hi, math.Max(a.X, b.X))
				continue
			}
			x = a.X + (yc-a.Y)*(b.X-a.X)/(b.Y-a.Y)
			lo = math.Min(lo, x)
			hi = math.Max(hi, x)
		}
	}
	return lo, hi, hi >= lo
}

func shrinkQuad(q Quad, s float64) Quad {
	c := q.Center()
	for i := range q {
		q[i].X = c.X + (q[i].X-c.X)*s
		q[i].Y = c.Y + (q[i].Y-c.Y)*s
	}
	return q
}

// glareCalc holds the scratch state of one glare measurement (no allocation).
type glareCalc struct {
	hist  [256]int64
	pix   []byte
	cb    []byte // chroma on pix's grid (same stride), or nil: luma only
	cr    []byte
	str   int
	w, h  int
	r     int
	t0    int
	t1    int
	sumW  float64
	count int64
}

// glareArea measures the weighted hotspot area fraction of the quad q
// (coordinates of the buffer) with row/column step st. ok is false when the
// quad covers no pixel.
func (gc *glareCalc) glareArea(pix []byte, stride, w, h int, q Quad, st int) (float64, bool) {
	q = shrinkQuad(q, glareShrink)
	gc.hist = [256]int64{}
	gc.pix, gc.str, gc.w, gc.h = pix, stride, w, h
	gc.sumW, gc.count = 0, 0
	if st < 1 {
		st = 1
	}
	quadSpans(q, w, h, st, gc.histSpan)
	var n int64
	for _, c := range gc.hist {
		n += c
	}
	if n == 0 {
		return 0, false
	}
	target := int64(math.Ceil(glarePctl * float64(n)))
	p, run := 0, int64(0)
	for i, c := range gc.hist {
		run += c
		if run >= target {
			p = i
			break
		}
	}
	delta := int(math.Max(glareMinDelta, 0.35*float64(255-p)))
	gc.t0 = p + delta
	if gc.t0 < glareMinT0 {
		gc.t0 = glareMinT0
	}
	if gc.t0 > 255 {
		return 0, true
	}
	gc.t1 = gc.t0 + 6
	if gc.t1 < 248 {
		gc.t1 = 248
	}
	if gc.t1 > 255 {
		gc.t1 = 255
	}
	gc.r = int(math.Round(q.Width() / glareShrink / 160))
	if gc.r < 1 {
		gc.r = 1
	}
	quadSpans(q, w, h, st, gc.blobSpan)
	if gc.count == 0 {
		return 0, false
	}
	return gc.sumW / float64(gc.count), true
}

func (gc *glareCalc) histSpan(y, x0, x1 int) {
	row := gc.pix[y*gc.str : y*gc.str+x1]
	st := 1
	for x := x0; x < x1; x += st {
		gc.hist[row[x]]++
	}
}

func (gc *glareCalc) blobSpan(y, x0, x1 int) {
	s := gc.str
	row := gc.pix[y*s : y*s+x1]
	t0 := byte(gc.t0)
	r := gc.r
	gc.count += int64(x1 - x0)
	for x := x0; x < x1; x++ {
		l := row[x]
		if l < t0 {
			continue
		}
		// solid-blob test: the four pixels at distance r (clamped to the image)
		xl, xr, yu, yd := x-r, x+r, y-r, y+r
		if xl < 0 {
			xl = 0
		}
		if xr >= gc.w {
			xr = gc.w - 1
		}
		if yu < 0 {
			yu = 0
		}
		if yd >= gc.h {
			yd = gc.h - 1
		}
		if row[xl] < t0 || gc.pix[y*s+xr] < t0 || gc.pix[yu*s+x] < t0 || gc.pix[yd*s+x] < t0 {
			continue
		}
		if gc.cb != nil && iabs(int(gc.cb[y*s+x])-128)+iabs(int(gc.cr[y*s+x])-128) > glareMaxChroma {
			continue // bright but coloured: print (a yellow seal), not a reflection of the light
		}
		wgt := float64(int(l)-gc.t0) / float64(gc.t1-gc.t0)
		if wgt > 1 {
			wgt = 1
		}
		if wgt <= 0 {
			wgt = 0.05 // at threshold: still a (weak) hotspot pixel
		}
		gc.sumW += wgt
	}
}

func glareScore(area float64) float64 {
	if area <= 0 {
		return 100
	}
	return 100 * math.Exp(-area/glareA0)
}

// Glare scores specular glare inside the quad q of g from 0 (document blown
// out) to 100 (no glare). Quad coordinates are in g's coordinate space (the
// same as g.At). When nothing can be measured (nil or empty image, invalid
// quad) it returns 100, so callers should check q.Valid() first.
func Glare(g *image.Gray, q Quad) float64 {
	if !grayOK(g) || !q.Valid() {
		return 100
	}
	return glareWith(g, nil, q)
}

// glareWith is Glare with the image's chroma c when c has one sample per
// pixel of g on g's stride (nil: luma only).
func glareWith(g *image.Gray, c *Chroma, q Quad) float64 {
	q = q.translate(-float64(g.Rect.Min.X), -float64(g.Rect.Min.Y))
	var gc glareCalc
	if c != nil && c.Step == 1 && c.W == g.Rect.Dx() && c.H == g.Rect.Dy() && c.Stride == g.Stride {
		gc.cb, gc.cr = c.Cb, c.Cr
	}
	a, _ := gc.glareArea(g.Pix, g.Stride, g.Rect.Dx(), g.Rect.Dy(), q, 1)
	return glareScore(a)
}

func (q Quad) translate(dx, dy float64) Quad {
	for i := range q {
		q[i].X += dx
		q[i].Y += dy
	}
	return q
}
