package mrz

import (
	"errors"
	"image"
	"math"
	"sort"
)

// Line is one located MRZ text line: the centre line of its characters from
// the left edge of the first to the right edge of the last, in pixels of the
// image given to Locate.
type Line struct {
	X0, Y0, X1, Y1 float64
	CharH          float64 // character (cap) height, px
	N              int     // characters in the line (30, 36 or 44)
}

// Zone is a located MRZ: 2 or 3 lines, top to bottom.
type Zone struct {
	Lines []Line
	Score float64
}

// ErrNotFound is returned when no machine readable zone is found.
var ErrNotFound = errors.New("mrz: no machine readable zone found")

// maxLocateSide is the longest side the locator works at; larger images are
// box-downscaled by an integer factor first.
const maxLocateSide = 1400

type comp struct {
	x0, y0, x1, y1 int // inclusive bbox
	n              int
}

func (c *comp) w() int                 { return c.x1 - c.x0 + 1 }
func (c *comp) h() int                 { return c.y1 - c.y0 + 1 }
func (c *comp) cx() float64            { return float64(c.x0+c.x1) / 2 }
func (c *comp) cy() float64            { return float64(c.y0+c.y1) / 2 }
func absf(v float64) float64           { return math.Abs(v) }
func maxi(a, b int) int                { return max(a, b) }
func clampf(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// Locate finds candidate machine readable zones in g, best first.
func Locate(g *image.Gray) ([]Zone, error) {
	if g == nil || g.Rect.Dx() < 16 || g.Rect.Dy() < 16 {
		return nil, ErrNotFound
	}
	if g.Rect.Min != (image.Point{}) {
		g = ToGray(g, nil)
	}
	f := 1
	if s := max(g.Rect.Dx(), g.Rect.Dy()); s > maxLocateSide {
		f = (s + maxLocateSide - 1) / maxLocateSide
	}
	w := downscale(g, f)
	bin := binarize(w)
	comps := components(bin, w.Rect.Dx(), w.Rect.Dy())
	lines := chainLines(comps, w.Rect.Dy())
	zones := groupZones(lines)
	if len(zones) == 0 {
		return nil, ErrNotFound
	}
	for zi := range zones {
		for li := range zones[zi].Lines {
			l := &zones[zi].Lines[li]
			s := float64(f)
			l.X0, l.Y0, l.X1, l.Y1, l.CharH = (l.X0+0.5)*s-0.5, (l.Y0+0.5)*s-0.5, (l.X1+0.5)*s-0.5, (l.Y1+0.5)*s-0.5, l.CharH*s
		}
	}
	return zones, nil
}

func downscale(g *image.Gray, f int) *image.Gray {
	if f <= 1 {
		return g
	}
	W, H := g.Rect.Dx()/f, g.Rect.Dy()/f
	out := image.NewGray(image.Rect(0, 0, W, H))
	ff := f * f
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			s := 0
			for dy := 0; dy < f; dy++ {
				row := g.Pix[(y*f+dy)*g.Stride+x*f:]
				for dx := 0; dx < f; dx++ {
					s += int(row[dx])
				}
			}
			out.Pix[y*W+x] = uint8((s + ff/2) / ff)
		}
	}
	return out
}

// binarize marks dark text (1) with a Sauvola threshold over integral images.
func binarize(g *image.Gray) []uint8 {
	W, H := g.Rect.Dx(), g.Rect.Dy()
	iw := W + 1
	sum := make([]int64, iw*(H+1))
	sq := make([]int64, iw*(H+1))
	for y := 0; y < H; y++ {
		var rs, rq int64
		for x := 0; x < W; x++ {
			v := int64(g.Pix[y*g.Stride+x])
			rs += v
			rq += v * v
			sum[(y+1)*iw+x+1] = sum[y*iw+x+1] + rs
			sq[(y+1)*iw+x+1] = sq[y*iw+x+1] + rq
		}
	}
	r := max(7, min(W, H)/30)
	out := make([]uint8, W*H)
	for y := 0; y < H; y++ {
		y0, y1 := max(0, y-r), min(H, y+r+1)
		for x := 0; x < W; x++ {
			x0, x1 := max(0, x-r), min(W, x+r+1)
			n := float64((y1 - y0) * (x1 - x0))
			s := float64(sum[y1*iw+x1] - sum[y0*iw+x1] - sum[y1*iw+x0] + sum[y0*iw+x0])
			q := float64(sq[y1*iw+x1] - sq[y0*iw+x1] - sq[y1*iw+x0] + sq[y0*iw+x0])
			m := s / n
			sd := math.Sqrt(math.Max(0, q/n-m*m))
			if sd < 12 {
				continue
			}
			t := m * (1 + 0.15*(sd/128-1))
			if float64(g.Pix[y*g.Stride+x]) < t {
				out[y*W+x] = 1
			}
		}
	}
	return out
}

// components labels 8-connected foreground regions.
func components(bin []uint8, W, H int) []comp {
	lab := make([]int32, W*H)
	parent := []int32{0}
	find := func(a int32) int32 {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	union := func(a, b int32) {
		a, b = find(a), find(b)
		if a < b {
			parent[b] = a
		} else if b < a {
			parent[a] = b
		}
	}
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			if bin[y*W+x] == 0 {
				continue
			}
			var l int32
			try := func(nx, ny int) {
				if nx < 0 || nx >= W || ny < 0 {
					return
				}
				if o := lab[ny*W+nx]; o != 0 {
					if l == 0 {
						l = o
					} else if o != l {
						union(l, o)
					}
				}
			}
			try(x-1, y)
			try(x-1, y-1)
			try(x, y-1)
			try(x+1, y-1)
			if l == 0 {
				l = int32(len(parent))
				parent = append(parent, l)
			}
			lab[y*W+x] = l
		}
	}
	idx := make([]int32, len(parent))
	var cs []comp
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			l := lab[y*W+x]
			if l == 0 {
				continue
			}
			r := find(l)
			if idx[r] == 0 {
				cs = append(cs, comp{x, y, x, y, 0})
				idx[r] = int32(len(cs))
			}
			c := &cs[idx[r]-1]
			c.x0, c.x1 = min(c.x0, x), max(c.x1, x)
			c.y1 = max(c.y1, y)
			c.n++
		}
	}
	return cs
}

type lineCand struct {
	Line
	members []comp
	pitch   float64
}

// chainLines links character-like components into text lines.
func chainLines(cs []comp, H int) []lineCand {
	var keep []comp
	for _, c := range cs {
		h, w := c.h(), c.w()
		if h < 4 || h > H/5 || w > 40*h || c.n < 6 {
			continue
		}
		keep = append(keep, c)
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i].x0 < keep[j].x0 })
	n := len(keep)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(a int) int {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	for i := 0; i < n; i++ {
		a := &keep[i]
		best, bestGap := -1, math.MaxFloat64
		for j := i + 1; j < n; j++ {
			b := &keep[j]
			hm := float64(max(a.h(), b.h()))
			if float64(b.x0) > float64(a.x1)+1.0*hm {
				break
			}
			gap := float64(b.x0 - a.x1)
			if gap < -0.25*hm || b.x1 <= a.x1 {
				continue
			}
			r := float64(a.h()) / float64(b.h())
			if r < 0.35 || r > 2.9 {
				continue
			}
			if absf(a.cy()-b.cy()) > 0.3*hm {
				continue
			}
			if gap < bestGap {
				best, bestGap = j, gap
			}
		}
		if best >= 0 {
			ra, rb := find(i), find(best)
			if ra != rb {
				parent[rb] = ra
			}
		}
	}
	groups := map[int][]comp{}
	for i := range keep {
		r := find(i)
		groups[r] = append(groups[r], keep[i])
	}
	var out []lineCand
	for _, m := range groups {
		if len(m) < 8 {
			continue
		}
		sort.Slice(m, func(i, j int) bool { return m[i].x0 < m[j].x0 })
		hs := make([]int, len(m))
		for i, c := range m {
			hs[i] = c.h()
		}
		sort.Ints(hs)
		ch := float64(hs[len(hs)*3/4])
		x0, x1 := m[0].x0, m[0].x1
		for _, c := range m {
			x0, x1 = min(x0, c.x0), max(x1, c.x1)
		}
		L := float64(x1 - x0 + 1)
		if L < 15*ch {
			continue
		}
		// Least squares centre line through full-height members.
		var sw, sx, sy, sxx, sxy float64
		for _, c := range m {
			if float64(c.h()) < 0.6*ch || float64(c.h()) > 1.3*ch {
				continue
			}
			sw++
			sx += c.cx()
			sy += c.cy()
			sxx += c.cx() * c.cx()
			sxy += c.cx() * c.cy()
		}
		if sw < 4 {
			continue
		}
		den := sw*sxx - sx*sx
		b := 0.0
		if den > 0 {
			b = (sw*sxy - sx*sy) / den
		}
		a := (sy - b*sx) / sw
		// Pitch: median distance between neighbouring narrow members.
		var ds []float64
		for i := 1; i < len(m); i++ {
			p, q := m[i-1], m[i]
			if float64(p.w()) > 1.3*ch || float64(q.w()) > 1.3*ch {
				continue
			}
			d := q.cx() - p.cx()
			if d > 0.5*ch && d < 2.2*ch {
				ds = append(ds, d)
			}
		}
		pitch := 0.0
		if len(ds) >= 4 {
			sort.Float64s(ds)
			pitch = ds[len(ds)/2]
		}
		// Project the extent onto the fitted direction.
		cos := 1 / math.Sqrt(1+b*b)
		lc := lineCand{members: m, pitch: pitch}
		lc.X0, lc.X1 = float64(x0), float64(x1+1)
		lc.Y0, lc.Y1 = a+b*lc.X0, a+b*lc.X1
		lc.CharH = ch * cos
		out = append(out, lc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Y0+out[i].Y1 < out[j].Y0+out[j].Y1 })
	return out
}

func (l *Line) length() float64 { return math.Hypot(l.X1-l.X0, l.Y1-l.Y0) }

// groupZones finds sets of 2 or 3 parallel, equally long, evenly spaced lines.
func groupZones(ls []lineCand) []Zone {
	compatible := func(a, b *lineCand) bool {
		r := a.CharH / b.CharH
		if r < 0.75 || r > 1.33 {
			return false
		}
		h := (a.CharH + b.CharH) / 2
		la, lb := a.length(), b.length()
		ux, uy := (a.X1-a.X0)/la, (a.Y1-a.Y0)/la
		// b's ends in a's frame; one line may be broken (glare, a stain,
		// a glyph touching the edge), so the shorter one only has to lie
		// within the longer one's extent.
		s0 := (b.X0-a.X0)*ux + (b.Y0-a.Y0)*uy
		s1 := (b.X1-a.X0)*ux + (b.Y1-a.Y0)*uy
		across := -(b.X0-a.X0)*uy + (b.Y0-a.Y0)*ux
		if across < 1.1*h || across > 3.0*h {
			return false
		}
		short := math.Min(la, lb)
		ov := math.Min(la, s1) - math.Max(0, s0)
		if ov < 0.9*short || short < 0.45*math.Max(la, lb) {
			return false
		}
		ub := [2]float64{(b.X1 - b.X0) / lb, (b.Y1 - b.Y0) / lb}
		return ux*ub[0]+uy*ub[1] > 0.995
	}
	var zones []Zone
	n := len(ls)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if !compatible(&ls[i], &ls[j]) {
				continue
			}
			added3 := false
			for k := j + 1; k < n; k++ {
				if compatible(&ls[j], &ls[k]) {
					if z, ok := makeZone([]*lineCand{&ls[i], &ls[j], &ls[k]}); ok {
						zones = append(zones, z)
						added3 = true
					}
				}
			}
			if z, ok := makeZone([]*lineCand{&ls[i], &ls[j]}); ok {
				if added3 {
					z.Score *= 0.5
				}
				zones = append(zones, z)
			}
		}
	}
	sort.SliceStable(zones, func(i, j int) bool { return zones[i].Score > zones[j].Score })
	if len(zones) > 4 {
		zones = zones[:4]
	}
	return zones
}

// charsPerCap is the MRZ character pitch divided by the cap height of OCR-B
// at the ICAO size; it is a fallback when the pitch cannot be measured.
const pitchPerCap = 1.45

func makeZone(ls []*lineCand) (Zone, bool) {
	var z Zone
	// Common extent along the longest line's direction.
	ref := ls[0]
	for _, l := range ls {
		if l.length() > ref.length() {
			ref = l
		}
	}
	lr := ref.length()
	ux, uy := (ref.X1-ref.X0)/lr, (ref.Y1-ref.Y0)/lr
	S0, S1 := math.MaxFloat64, -math.MaxFloat64
	var pitches []float64
	h, sumL := 0.0, 0.0
	for _, l := range ls {
		s0 := (l.X0-ref.X0)*ux + (l.Y0-ref.Y0)*uy
		s1 := (l.X1-ref.X0)*ux + (l.Y1-ref.Y0)*uy
		S0, S1 = math.Min(S0, s0), math.Max(S1, s1)
		h += l.CharH
		sumL += l.length()
		if l.pitch > 0 {
			pitches = append(pitches, l.pitch)
		}
	}
	h /= float64(len(ls))
	L := S1 - S0
	pitch := h * pitchPerCap
	if len(pitches) > 0 {
		sort.Float64s(pitches)
		pitch = pitches[len(pitches)/2]
	}
	est := L/pitch + 0.3
	var n int
	if len(ls) == 3 {
		if est < 22 || est > 38 {
			return z, false
		}
		n = 30
	} else {
		if est < 33 || est > 52 {
			return z, false
		}
		n = 36
		if absf(est-44) < absf(est-36) {
			n = 44
		}
	}
	for _, l := range ls {
		ln := l.Line
		s0 := (l.X0-ref.X0)*ux + (l.Y0-ref.Y0)*uy
		s1 := (l.X1-ref.X0)*ux + (l.Y1-ref.Y0)*uy
		ll := l.length()
		lx, ly := (l.X1-l.X0)/ll, (l.Y1-l.Y0)/ll
		ln.X0, ln.Y0 = l.X0+(S0-s0)*lx, l.Y0+(S0-s0)*ly
		ln.X1, ln.Y1 = l.X1+(S1-s1)*lx, l.Y1+(S1-s1)*ly
		ln.N = n
		z.Lines = append(z.Lines, ln)
	}
	fit := 1 - math.Min(1, absf(est-float64(n))/float64(n))
	z.Score = sumL * fit
	return z, true
}
