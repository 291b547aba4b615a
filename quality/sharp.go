package quality

import (
	"image"
	"math"
)

// Sharpness model.
//
// For every sampled pixel two consecutive first differences are taken along x
// (d0 = I[x+1]-I[x], d1 = I[x+2]-I[x+1]) and along y. Their normalised
// lag-1 autocorrelation over the edge pixels,
//
//	a = sum(d0*d1) / sum((d0²+d1²)/2),
//
// does not depend on edge contrast (it is a ratio of quadratic forms of the
// same differences) nor on how many edges there are (it is energy-weighted):
// it only depends on the edge profile's width. A step edge between two pixels
// gives a = 0, a thin line a < 0 (clamped to 0), and a step blurred by a
// Gaussian of spread s gives a = exp(-1/(4 s²)). The inverse,
// s = sqrt(-1/(4 ln a)), is the "equivalent Gaussian edge spread" in pixels,
// which grows monotonically with blur. The score is 100/(1+(s/s50)^3) with
// s50 = 1.6 px (a synthetic card blurred with sigma = 2 px measures s ≈ 2.1 and
// scores ≈ 30; a crisp one measures s ≈ 0.6 and scores ≈ 95).
//
// Only pairs whose larger difference exceeds a noise gate take part: the gate
// is max(8, 3 x the median of all pairs' larger difference), so sensor noise
// (whose differences are anti-correlated, which would read as "sharp") and
// flat paper do not dilute the measure. An image with no edge above the gate
// scores 0.
const (
	sharpS50      = 1.45
	sharpMinGate  = 12
	sharpGateMult = 3
	sharpP99Frac  = 0.3
)

// sharpAcc accumulates difference pairs binned by their larger magnitude.
type sharpAcc struct {
	b [256]sharpBin
}

type sharpBin struct {
	cnt int64
	s2  int64 // sum of d0²+d1²
	c   int64 // sum of d0*d1
}

func (a *sharpAcc) reset() { *a = sharpAcc{} }

func iabs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// addRow accumulates horizontal pairs on row y and vertical pairs from rows
// y, y+1, y+2 for x in [x0, x1) with column step xs. The caller guarantees
// x1+2 <= row width and y+2 < height.
func (a *sharpAcc) addRow(pix []byte, stride, y, x0, x1, xs int) {
	n := x1 - x0
	o0, o1, o2 := y*stride+x0, (y+1)*stride+x0, (y+2)*stride+x0
	if n <= 0 || x0 < 0 || o0+n+2 > len(pix) || o1+n > len(pix) || o2+n > len(pix) {
		return
	}
	r0 := pix[o0 : o0+n+2]
	r1 := pix[o1 : o1+n]
	r2 := pix[o2 : o2+n]
	for x := 0; x < n; x += xs {
		p := int(r0[x])
		q := int(r0[x+1])
		// horizontal
		d0 := q - p
		d1 := int(r0[x+2]) - q
		m := iabs(d0)
		if m1 := iabs(d1); m1 > m {
			m = m1
		}
		b := &a.b[m&255]
		b.cnt++
		if m >= sharpMinGate {
			b.s2 += int64(d0*d0 + d1*d1)
			b.c += int64(d0 * d1)
		}
		// vertical
		v := int(r1[x])
		e0 := v - p
		e1 := int(r2[x]) - v
		m = iabs(e0)
		if m1 := iabs(e1); m1 > m {
			m = m1
		}
		b = &a.b[m&255]
		b.cnt++
		if m >= sharpMinGate {
			b.s2 += int64(e0*e0 + e1*e1)
			b.c += int64(e0 * e1)
		}
	}
}

// spread returns the equivalent Gaussian edge spread s in pixels (see the
// model above) and whether there was any edge energy above the gate.
func (a *sharpAcc) spread() (float64, bool) {
	var total int64
	for i := range a.b {
		total += a.b[i].cnt
	}
	if total == 0 {
		return 0, false
	}
	half := (total + 1) / 2
	med := 0
	var run int64
	for i := range a.b {
		run += a.b[i].cnt
		if run >= half {
			med = i
			break
		}
	}
	// 99th percentile of the larger difference: the strongest edges
	p99 := 0
	run = 0
	for i := 255; i >= 0; i-- {
		run += a.b[i].cnt
		if run*100 >= total {
			p99 = i
			break
		}
	}
	gate := sharpGateMult * med
	if g := int(sharpP99Frac * float64(p99)); g > gate {
		gate = g
	}
	if gate < sharpMinGate {
		gate = sharpMinGate
	}
	if gate > 255 {
		return 0, false
	}
	var s2, c, n int64
	for i := gate; i < 256; i++ {
		s2 += a.b[i].s2
		c += a.b[i].c
		n += a.b[i].cnt
	}
	// Too few edge pairs (< 0.2 % of the samples): no real edges, only
	// noise or compression steps, as in a heavily defocused image.
	if s2 == 0 || n*500 < total {
		return 0, false
	}
	r := 2 * float64(c) / float64(s2)
	if r <= 1e-9 {
		return 0, true
	}
	if r >= 1-1e-9 {
		return math.Inf(1), true
	}
	return math.Sqrt(-1 / (4 * math.Log(r))), true
}

// score maps the accumulated statistics to 0..100.
func (a *sharpAcc) score() float64 {
	s, ok := a.spread()
	if !ok {
		return 0
	}
	return sharpFromSpread(s)
}

func sharpFromSpread(s float64) float64 {
	if math.IsInf(s, 1) {
		return 0
	}
	x := s / sharpS50
	return 100 / (1 + x*x*x)
}

// sharpBudget is the number of sampled pixels the public Sharpness aims for.
const sharpBudget = 1 << 19

// Sharpness scores the sharpness of g inside r (clipped to g's bounds) from
// 0 (no edges / fully blurred) to 100 (crisp). See the package comment and
// docs/quality.md for the model. Large regions are subsampled by rows.
func Sharpness(g *image.Gray, r image.Rectangle) float64 {
	if !grayOK(g) {
		return 0
	}
	var acc sharpAcc
	sharpRect(&acc, g, r, sharpBudget)
	return acc.score()
}

// sharpRect accumulates a rectangle, using every row/column when it fits the
// budget, else a uniform row step.
func sharpRect(acc *sharpAcc, g *image.Gray, r image.Rectangle, budget int) {
	r = r.Intersect(g.Rect)
	w, h := r.Dx()-2, r.Dy()-2
	if w <= 0 || h <= 0 {
		return
	}
	step := 1
	for (w * h / step) > budget {
		step++
	}
	x0 := r.Min.X - g.Rect.Min.X
	y0 := r.Min.Y - g.Rect.Min.Y
	for y := 0; y < h; y += step {
		acc.addRow(g.Pix, g.Stride, y0+y, x0, x0+w, 1)
	}
}

// grayOK reports whether g is non-nil, non-empty and its buffer is consistent.
func grayOK(g *image.Gray) bool {
	if g == nil {
		return false
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w <= 0 || h <= 0 || g.Stride < w {
		return false
	}
	need := (h-1)*g.Stride + w
	return need > 0 && len(g.Pix) >= need
}
