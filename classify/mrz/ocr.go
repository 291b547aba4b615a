package mrz

import (
	"math"
	"sort"
)

// Strip geometry: a located line is resampled so that the cap height is
// capN pixels, into a strip stripH pixels tall centred on the line.
const (
	capN    = 16
	stripH  = 32
	stripM  = 12 // horizontal margin, strip px
	cellW   = 16 // cell size after resampling
	cellH   = 24
	hogCell = 4
	hogBins = 8
	// NumFeatures is the length of a character cell's feature vector.
	NumFeatures = (cellW/2)*(cellH/2) + (cellW/hogCell)*(cellH/hogCell)*hogBins
)

// Alphabet is the MRZ character set in recogniser class order.
const Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// strip is an ink map (0 = paper, 1 = ink) of one line.
type strip struct {
	w   int
	pix []float32 // w*stripH
	k   float64   // strip px per image px
}

// sampleStrip resamples line l of g into an ink strip.
func sampleStrip(g grayView, l *Line) strip {
	L := l.length()
	if L < 1 || l.CharH < 1 {
		return strip{}
	}
	k := capN / l.CharH
	ux, uy := (l.X1-l.X0)/L, (l.Y1-l.Y0)/L
	nx, ny := -uy, ux
	w := int(L*k) + 2*stripM
	if w > 4000 {
		return strip{}
	}
	s := strip{w: w, pix: make([]float32, w*stripH), k: k}
	ss := int(math.Ceil(1 / k))
	if ss < 1 {
		ss = 1
	}
	if ss > 4 {
		ss = 4
	}
	inv := 1 / k
	raw := make([]float32, w*stripH)
	for v := 0; v < stripH; v++ {
		for u := 0; u < w; u++ {
			sum := float32(0)
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					du := (float64(u-stripM) + (float64(sx)+0.5)/float64(ss)) * inv
					dv := (float64(v-stripH/2) + (float64(sy)+0.5)/float64(ss)) * inv
					x := l.X0 + du*ux + dv*nx
					y := l.Y0 + du*uy + dv*ny
					sum += g.at(x, y)
				}
			}
			raw[v*w+u] = sum / float32(ss*ss)
		}
	}
	// Normalise: paper = high percentile, ink = low percentile.
	tmp := append([]float32(nil), raw...)
	sort.Slice(tmp, func(i, j int) bool { return tmp[i] < tmp[j] })
	fg := tmp[len(tmp)*3/100]
	bg := tmp[len(tmp)*60/100]
	if bg-fg < 8 {
		bg = fg + 8
	}
	for i, v := range raw {
		t := (bg - v) / (bg - fg)
		if t < 0 {
			t = 0
		} else if t > 1 {
			t = 1
		}
		s.pix[i] = t
	}
	return s
}

// cells finds the n character cells of a strip: a grid whose boundaries
// fall on the least inked columns. The pitch may change linearly along the
// line (perspective foreshortening): boundary i is at
// x0 + p*(i + q*(i*i/n - i)), so the local pitch goes from p*(1-q) to
// p*(1+q). It returns the n+1 boundaries in strip pixels.
func (s *strip) cells(n int) []float64 {
	hs := s.cellHypotheses(n)
	return hs[0]
}

// cellHypotheses returns grids for the ink extent found and, when an
// isolated blob sits at either end (a mark, a hologram edge, the document
// border), for the extent without it. The first is the default.
func (s *strip) cellHypotheses(n int) [][]float64 {
	col := make([]float64, s.w)
	for u := 0; u < s.w; u++ {
		t := 0.0
		for v := 4; v < stripH-4; v++ {
			if s.pix[v*s.w+u] > 0.5 {
				t++
			}
		}
		col[u] = t
	}
	// Ink extent near the located ends. Columns inked over most of the strip
	// height are background (document edge, dark surround), never text.
	solid := func(u int) bool { return col[u] > 0.7*float64(stripH-8) }
	mx := 0.0
	for u := stripM; u < s.w-stripM; u++ {
		if !solid(u) {
			mx = math.Max(mx, col[u])
		}
	}
	lo, hi := max(0, stripM-6), min(s.w-1, s.w-stripM+5)
	th := math.Max(2, 0.15*mx)
	ink := func(u int) bool { return col[u] >= th && !solid(u) }
	for lo < s.w-1 && !ink(lo) {
		lo++
	}
	for hi > 0 && !ink(hi) {
		hi--
	}
	if hi-lo < s.w/2 {
		return [][]float64{uniform(float64(stripM), float64(s.w-2*stripM)/float64(n), n)}
	}
	out := [][]float64{s.fitGrid(n, lo, hi, col, mx)}
	p0 := float64(hi-lo+1) / float64(n)
	// the next ink start after a gap of at least 0.35 pitch, within 2.5
	// pitches of the end
	gap := int(math.Max(2, 0.35*p0))
	for u, run := lo, 0; u < lo+int(2.5*p0) && u < hi; u++ {
		if ink(u) {
			if run >= gap {
				out = append(out, s.fitGrid(n, u, hi, col, mx))
				break
			}
			run = 0
		} else {
			run++
		}
	}
	for u, run := hi, 0; u > hi-int(2.5*p0) && u > lo; u-- {
		if ink(u) {
			if run >= gap {
				out = append(out, s.fitGrid(n, lo, u, col, mx))
				break
			}
			run = 0
		} else {
			run++
		}
	}
	return out
}

func uniform(x0, p float64, n int) []float64 {
	b := make([]float64, n+1)
	for i := range b {
		b[i] = x0 + p*float64(i)
	}
	return b
}

// fitGrid fits the grid to the ink extent [lo, hi].
func (s *strip) fitGrid(n, lo, hi int, col []float64, mx float64) []float64 {
	at := func(x float64) float64 {
		if x < 0 || x >= float64(s.w-1) {
			return 0
		}
		i := int(x)
		f := x - float64(i)
		return col[i]*(1-f) + col[i+1]*f
	}
	// The first cell holds the first ink column and the last cell the last
	// one (glyphs leave at most ~0.6 pitch of bearing); within that, the
	// boundaries go where the columns hold least ink.
	ext := float64(hi - lo + 1)
	pMin, pMax := ext/float64(n), ext/(float64(n)-1.2)
	best := math.MaxFloat64
	x0, pitch, q := float64(lo)-0.2*pMin, (pMin+pMax)/2, 0.0
	nf := float64(n)
	for qi := -4; qi <= 4; qi++ {
		qq := float64(qi) * 0.015
		for pi := 0; pi <= 30; pi++ {
			p := pMin + (pMax-pMin)*float64(pi)/30
			a := math.Max(float64(lo)-0.6*p*(1-qq), float64(hi+1)-nf*p)
			b := math.Min(float64(lo), float64(hi+1)+0.6*p*(1+qq)-nf*p)
			for x := a; x <= b; x += 0.25 {
				cost := 0.0
				for i := 0; i <= n; i++ {
					fi := float64(i)
					cost += at(x + p*(fi+qq*(fi*fi/nf-fi)))
				}
				// a slight preference for a uniform pitch
				cost += math.Abs(qq) * mx
				if cost < best {
					best, x0, pitch, q = cost, x, p, qq
				}
			}
		}
	}
	b := make([]float64, n+1)
	for i := range b {
		fi := float64(i)
		b[i] = x0 + pitch*(fi+q*(fi*fi/nf-fi))
	}
	return b
}

// features computes the feature vector of the cell [x, x+p) of the strip
// into f (len NumFeatures).
func (s *strip) features(x, p float64, f []float32) {
	var c [cellH][cellW]float32
	// Area-sample the cell into cellW x cellH.
	sx := p / cellW
	sy := float64(stripH) / cellH
	for j := 0; j < cellH; j++ {
		for i := 0; i < cellW; i++ {
			sum := float32(0)
			for a := 0; a < 2; a++ {
				for b := 0; b < 2; b++ {
					u := x + (float64(i)+0.25+0.5*float64(a))*sx - 0.5
					v := (float64(j)+0.25+0.5*float64(b))*sy - 0.5
					sum += s.at(u, v)
				}
			}
			c[j][i] = sum / 4
		}
	}
	k := 0
	for j := 0; j < cellH; j += 2 {
		for i := 0; i < cellW; i += 2 {
			f[k] = (c[j][i] + c[j][i+1] + c[j+1][i] + c[j+1][i+1]) / 4
			k++
		}
	}
	// Orientation histograms (signed gradient, hogBins) per hogCell block.
	hog := f[k:]
	for i := range hog {
		hog[i] = 0
	}
	bw := cellW / hogCell
	for j := 1; j < cellH-1; j++ {
		for i := 1; i < cellW-1; i++ {
			gx := c[j][i+1] - c[j][i-1]
			gy := c[j+1][i] - c[j-1][i]
			m := float32(math.Sqrt(float64(gx*gx + gy*gy)))
			if m < 1e-3 {
				continue
			}
			a := math.Atan2(float64(gy), float64(gx))
			bin := int(math.Floor((a + math.Pi) / (2 * math.Pi) * hogBins))
			if bin >= hogBins {
				bin = hogBins - 1
			}
			hog[((j/hogCell)*bw+i/hogCell)*hogBins+bin] += m
		}
	}
	// Normalise the histogram part to unit L2 (times a scale).
	n := float32(0)
	for _, v := range hog {
		n += v * v
	}
	if n > 0 {
		n = float32(math.Sqrt(float64(n))) / 4
		for i := range hog {
			hog[i] /= n
		}
	}
}

func (s *strip) at(x, y float64) float32 {
	if x < 0 || y < 0 || x > float64(s.w-1) || y > float64(stripH-1) {
		return 0
	}
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, s.w-1), min(y0+1, stripH-1)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	a := s.pix[y0*s.w+x0]*(1-fx) + s.pix[y0*s.w+x1]*fx
	b := s.pix[y1*s.w+x0]*(1-fx) + s.pix[y1*s.w+x1]*fx
	return a*(1-fy) + b*fy
}
