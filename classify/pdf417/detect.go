package pdf417

import (
	"image"
	"math"
	"sort"
)

// plane is an 8-bit luminance image.
type plane struct {
	pix  []uint8
	w, h int
}

func toPlane(img image.Image) plane {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	p := plane{pix: make([]uint8, w*h), w: w, h: h}
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			copy(p.pix[y*w:(y+1)*w], m.Pix[(y)*m.Stride:(y)*m.Stride+w])
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride:]
			for x := 0; x < w; x++ {
				r, g, bb := int(row[4*x]), int(row[4*x+1]), int(row[4*x+2])
				a := int(row[4*x+3])
				l := (299*r + 587*g + 114*bb) / 1000
				l = (l*a + 255*(255-a)) / 255 // over white
				p.pix[y*w+x] = uint8(l)
			}
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride:]
			for x := 0; x < w; x++ {
				r, g, bb := int(row[4*x]), int(row[4*x+1]), int(row[4*x+2])
				a := int(row[4*x+3])
				l := (299*r+587*g+114*bb)/1000 + 255 - a // premultiplied, over white
				if l > 255 {
					l = 255
				}
				p.pix[y*w+x] = uint8(l)
			}
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			copy(p.pix[y*w:(y+1)*w], m.Y[y*m.YStride:y*m.YStride+w])
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				r, g, bb, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				l := (299*r + 587*g + 114*bb) / 1000 // 0..65535 premultiplied
				l += 0xffff - a
				if l > 0xffff {
					l = 0xffff
				}
				p.pix[y*w+x] = uint8(l >> 8)
			}
		}
	}
	return p
}

// rotate returns p rotated by 90° steps clockwise (1, 2 or 3).
func (p plane) rotate(q int) plane {
	switch q & 3 {
	case 0:
		return p
	case 2:
		o := plane{pix: make([]uint8, len(p.pix)), w: p.w, h: p.h}
		n := len(p.pix)
		for i, v := range p.pix {
			o.pix[n-1-i] = v
		}
		return o
	}
	o := plane{pix: make([]uint8, len(p.pix)), w: p.h, h: p.w}
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			v := p.pix[y*p.w+x]
			if q&3 == 1 { // clockwise: (x,y) -> (h-1-y, x)
				o.pix[x*o.w+(p.h-1-y)] = v
			} else { // counter-clockwise: (x,y) -> (y, w-1-x)
				o.pix[(p.w-1-x)*o.w+y] = v
			}
		}
	}
	return o
}

// at samples p bilinearly (outside = white).
func (p plane) at(x, y float64) float64 {
	if x < 0 || y < 0 || x > float64(p.w-1) || y > float64(p.h-1) {
		return 255
	}
	x0, y0 := int(x), int(y)
	fx, fy := x-float64(x0), y-float64(y0)
	x1, y1 := x0+1, y0+1
	if x1 >= p.w {
		x1 = x0
	}
	if y1 >= p.h {
		y1 = y0
	}
	a := float64(p.pix[y0*p.w+x0])
	b := float64(p.pix[y0*p.w+x1])
	c := float64(p.pix[y1*p.w+x0])
	d := float64(p.pix[y1*p.w+x1])
	return (a*(1-fx)+b*fx)*(1-fy) + (c*(1-fx)+d*fx)*fy
}

// run is a bar (dark) or space (light) with a fractional start and width.
type run struct {
	dark       bool
	start, len float64
}

// runsOf thresholds a profile (samples at unit spacing) with a moving-average
// threshold over win samples and returns runs with sub-sample edges.
func runsOf(prof []float64, win int, runs []run, scratch *[]float64) []run {
	runs = runs[:0]
	n := len(prof)
	if n < 2 {
		return runs
	}
	if win < 4 {
		win = 4
	}
	// Threshold: the moving average blended with the mid-level of the local
	// minimum and maximum (blocks of half a window, ±2 blocks), so that a
	// bright glare patch or a shadow across the line moves the threshold
	// with it. Hysteresis follows the local contrast; flat or low-contrast
	// stretches (< 20 levels) make no runs.
	if cap(*scratch) < 3*n+1 {
		*scratch = make([]float64, 3*n+1)
	}
	pre := (*scratch)[:n+1]
	th := (*scratch)[n+1 : 2*n+1]
	hy := (*scratch)[2*n+1 : 3*n+1]
	pre[0] = 0
	lo, hi := 255.0, 0.0
	for i, v := range prof {
		pre[i+1] = pre[i] + v
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	if hi-lo < 20 {
		return runs
	}
	B := win / 2
	if B < 2 {
		B = 2
	}
	nb := (n + B - 1) / B
	var bmin, bmax [64]float64
	var bminS, bmaxS []float64
	if nb <= len(bmin) {
		bminS, bmaxS = bmin[:nb], bmax[:nb]
	} else {
		bminS, bmaxS = make([]float64, nb), make([]float64, nb)
	}
	for b := 0; b < nb; b++ {
		mn, mx := 255.0, 0.0
		for i := b * B; i < (b+1)*B && i < n; i++ {
			if prof[i] < mn {
				mn = prof[i]
			}
			if prof[i] > mx {
				mx = prof[i]
			}
		}
		bminS[b], bmaxS[b] = mn, mx
	}
	for i := range prof {
		a, b := i-win, i+win+1
		if a < 0 {
			a = 0
		}
		if b > n {
			b = n
		}
		m := (pre[b] - pre[a]) / float64(b-a)
		bi := i / B
		mn, mx := 255.0, 0.0
		for k := bi - 2; k <= bi+2; k++ {
			if k < 0 || k >= nb {
				continue
			}
			if bminS[k] < mn {
				mn = bminS[k]
			}
			if bmaxS[k] > mx {
				mx = bmaxS[k]
			}
		}
		th[i] = 0.5*m + 0.25*(mn+mx)
		if mx-mn < 20 {
			hy[i] = 1e9 // flat: no edges
		} else {
			hy[i] = math.Max(4, 0.05*(mx-mn))
		}
	}
	dark := prof[0] < th[0]
	start := 0.0
	for i := 1; i < n; i++ {
		var d bool
		if dark {
			d = !(prof[i] > th[i]+hy[i])
			if d {
				continue
			}
		} else {
			d = prof[i] < th[i]-hy[i]
			if !d {
				continue
			}
		}
		// Walk back to the actual threshold crossing.
		j := i
		for j > 1 && (prof[j-1] < th[j-1]) == d && float64(j) > start+1 {
			j--
		}
		i = j
		// Edge between i-1 and i: interpolate where prof - th crosses 0.
		a := prof[i-1] - th[i-1]
		b := prof[i] - th[i]
		f := 0.5
		if a != b {
			f = a / (a - b)
		}
		e := float64(i-1) + f
		runs = append(runs, run{dark, start, e - start})
		dark, start = d, e
	}
	runs = append(runs, run{dark, start, float64(n-1) - start})
	return runs
}

// matchPattern checks runs rs (starting with a bar) against the expected
// module widths and returns the module size.
func matchPattern(rs []run, exp []int, total int) (float64, bool) {
	if len(rs) < len(exp) || !rs[0].dark {
		return 0, false
	}
	T := 0.0
	for i := range exp {
		T += rs[i].len
	}
	m := T / float64(total)
	if m <= 0.3 {
		return 0, false
	}
	dev := 0.0
	for i, e := range exp {
		d := math.Abs(rs[i].len - float64(e)*m)
		if d > 0.75*m+0.2*float64(e)*m {
			return 0, false
		}
		dev += d
	}
	return m, dev/T < 0.2
}

type hit struct{ x, y, m float64 }

// findPatterns scans horizontal lines for start (left edge) and stop
// (right edge) patterns.
func findPatterns(p plane) (starts, stops []hit) {
	step := p.h / 400
	if step < 1 {
		step = 1
	}
	prof := make([]float64, p.w)
	var rs []run
	var scratch []float64
	win := p.w / 24
	if win < 8 {
		win = 8
	}
	for y := 0; y < p.h; y += step {
		row := p.pix[y*p.w : (y+1)*p.w]
		for x, v := range row {
			prof[x] = float64(v)
		}
		rs = runsOf(prof, win, rs, &scratch)
		for i := 0; i+8 <= len(rs); i++ {
			if !rs[i].dark {
				continue
			}
			if m, ok := matchPattern(rs[i:], startPattern[:], 17); ok {
				// The bar before must not be a wide space-less region: require a
				// light run (quiet zone or image edge) before.
				starts = append(starts, hit{rs[i].start, float64(y), m})
			}
			if i+9 <= len(rs) {
				if m, ok := matchPattern(rs[i:], stopPattern[:], 18); ok {
					e := rs[i+8].start + rs[i+8].len
					stops = append(stops, hit{e, float64(y), m})
				}
			}
		}
	}
	return starts, stops
}

// line is x = a*y + b over [y0, y1].
type line struct{ a, b, y0, y1, m float64 }

// fitLine finds the line through most hits (RANSAC over deterministic pairs,
// then least squares on the inliers).
func fitLine(hs []hit) (line, int) {
	if len(hs) < 3 {
		return line{}, 0
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].y < hs[j].y })
	bestN := 0
	var best line
	n := len(hs)
	stride := 1
	if n > 60 {
		stride = n / 60
	}
	tol := func(h hit) float64 { return math.Max(2, 1.5*h.m) }
	for i := 0; i < n; i += stride {
		for j := i + 1; j < n; j += stride {
			dy := hs[j].y - hs[i].y
			if dy < 2 {
				continue
			}
			a := (hs[j].x - hs[i].x) / dy
			if math.Abs(a) > 1.05 {
				continue
			}
			b := hs[i].x - a*hs[i].y
			cnt := 0
			for _, h := range hs {
				if math.Abs(a*h.y+b-h.x) <= tol(h) {
					cnt++
				}
			}
			if cnt > bestN {
				bestN, best = cnt, line{a: a, b: b}
			}
		}
	}
	if bestN < 3 {
		return line{}, 0
	}
	// Keep the longest stretch of inliers without a large vertical gap:
	// stray matches elsewhere on the same line are not part of the symbol.
	ms := make([]float64, 0, len(hs))
	for _, h := range hs {
		ms = append(ms, h.m)
	}
	sort.Float64s(ms)
	gap := math.Max(15, 12*ms[len(ms)/2])
	lo, hi := math.Inf(-1), math.Inf(1)
	{
		bestCnt, segStart, segCnt, last := 0, -1.0, 0, math.Inf(-1)
		for _, h := range hs {
			if math.Abs(best.a*h.y+best.b-h.x) > tol(h) {
				continue
			}
			if h.y-last > gap {
				segStart, segCnt = h.y, 0
			}
			segCnt++
			last = h.y
			if segCnt > bestCnt {
				bestCnt, lo, hi = segCnt, segStart, h.y
			}
		}
	}
	// Least squares refinement on inliers, twice.
	for it := 0; it < 2; it++ {
		var sy, sx, syy, sxy, sm float64
		cnt := 0.0
		y0, y1 := math.Inf(1), math.Inf(-1)
		for _, h := range hs {
			if math.Abs(best.a*h.y+best.b-h.x) > tol(h) || h.y < lo || h.y > hi {
				continue
			}
			sy += h.y
			sx += h.x
			syy += h.y * h.y
			sxy += h.x * h.y
			sm += h.m
			cnt++
			y0 = math.Min(y0, h.y)
			y1 = math.Max(y1, h.y)
		}
		if cnt < 3 {
			break
		}
		den := cnt*syy - sy*sy
		if den > 1e-9 {
			a := (cnt*sxy - sx*sy) / den
			if math.Abs(a) <= 1.05 {
				best.a, best.b = a, (sx-a*sy)/cnt
			}
		}
		best.y0, best.y1, best.m = y0, y1, sm/cnt
		bestN = int(cnt)
	}
	return best, bestN
}
