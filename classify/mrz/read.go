package mrz

import (
	"image"
	"math"
	"strings"
)

// Result is a machine readable zone read from an image.
type Result struct {
	Doc        *Document // parsed after check-digit correction
	Raw        []string  // lines as recognised, before correction
	Zone       Zone      // where the lines are, in input image pixels
	Confidence float64   // mean recogniser probability of the chosen characters
}

// refine re-estimates a line's cap height and vertical centre from the ink
// rows of a first strip.
func refine(g grayView, l Line) Line {
	s := sampleStrip(g, &l)
	if s.w == 0 {
		return l
	}
	var rows [stripH]float64
	mx := 0.0
	for v := 0; v < stripH; v++ {
		t := 0.0
		for u := 0; u < s.w; u++ {
			if s.pix[v*s.w+u] > 0.5 {
				t++
			}
		}
		rows[v] = t
		mx = math.Max(mx, t)
	}
	if mx == 0 {
		return l
	}
	c := stripH / 2
	t, b := c, c
	for t > 0 && rows[t-1] > 0.25*mx {
		t--
	}
	for b < stripH-1 && rows[b+1] > 0.25*mx {
		b++
	}
	hb := float64(b - t + 1)
	if hb < capN*0.6 || hb > capN*1.6 {
		return l
	}
	off := ((float64(t+b)+1)/2 - stripH/2) / s.k // image px along the normal
	L := l.length()
	ux, uy := (l.X1-l.X0)/L, (l.Y1-l.Y0)/L
	nx, ny := -uy, ux
	l.X0 += off * nx
	l.Y0 += off * ny
	l.X1 += off * nx
	l.Y1 += off * ny
	l.CharH *= hb / capN
	return l
}

// lineFeatures returns the feature vectors of the N cells of line l
// (already refined).
func lineFeatures(g grayView, l Line) [][]float32 {
	s := sampleStrip(g, &l)
	if s.w == 0 || l.N <= 0 {
		return nil
	}
	bd := s.cells(l.N)
	out := make([][]float32, l.N)
	buf := make([]float32, l.N*NumFeatures)
	for i := range out {
		out[i] = buf[i*NumFeatures : (i+1)*NumFeatures]
		s.features(bd[i], bd[i+1]-bd[i], out[i])
	}
	return out
}

// refineZone refines every line of z. The lines of one zone share the font
// size, and the line with the most full-height glyphs measures it best
// (filler chevrons are shorter), so all take the largest refined height.
func refineZone(v grayView, z *Zone) []Line {
	ls := make([]Line, len(z.Lines))
	h := 0.0
	for i, l := range z.Lines {
		ls[i] = refine(v, l)
		h = math.Max(h, ls[i].CharH)
	}
	for i := range ls {
		ls[i].CharH = h
	}
	return ls
}

// CellFeatures returns the feature vectors of every character cell of z in
// g, line by line (used by the recogniser's generator).
func CellFeatures(g *image.Gray, z *Zone) [][][]float32 {
	if g.Rect.Min != (image.Point{}) {
		g = ToGray(g, nil)
	}
	v := viewOf(g)
	ls := refineZone(v, z)
	out := make([][][]float32, len(ls))
	for i, l := range ls {
		out[i] = lineFeatures(v, l)
	}
	return out
}

// cellShifts are the horizontal offsets (fractions of the pitch) tried for
// every cell; the most confident reading wins. This absorbs small pitch and
// phase errors of the fixed grid.
var cellShifts = [...]float64{0, -0.12, 0.12}

// Recognise reads the characters of zone z in g with model m (nil = the
// embedded OCR-B model). It returns the lines, the runner-up character of
// every position (0 when improbable), and the mean probability of the
// chosen characters.
func Recognise(g *image.Gray, z *Zone, m *Model) (lines []string, second [][]byte, conf float64, err error) {
	if m == nil {
		if defaultModelErr != nil {
			return nil, nil, 0, defaultModelErr
		}
		m = defaultModel
	}
	if g.Rect.Min != (image.Point{}) {
		g = ToGray(g, nil)
	}
	v := viewOf(g)
	h := make([]float32, m.Hidden)
	p := make([]float32, m.Out)
	f := make([]float32, NumFeatures)
	n := 0
	for _, l := range refineZone(v, z) {
		s := sampleStrip(v, &l)
		if s.w == 0 || l.N <= 0 {
			return nil, nil, 0, ErrNotFound
		}
		var b, sec []byte
		lineConf := -1.0
		for hi, bd := range s.cellHypotheses(l.N) {
			if hi > 0 && lineConf >= 0.97 {
				break // the default grid reads confidently
			}
			hb, hsec, hc := readCells(&s, bd, m, f, h, p)
			if hc > lineConf {
				b, sec, lineConf = hb, hsec, hc
			}
		}
		conf += lineConf * float64(l.N)
		n += l.N
		lines = append(lines, string(b))
		second = append(second, sec)
	}
	if n > 0 {
		conf /= float64(n)
	}
	return lines, second, conf, nil
}

// readCells recognises the cells with boundaries bd; it returns the
// characters, the runner-ups and the mean probability.
func readCells(s *strip, bd []float64, m *Model, f, h, p []float32) (b, sec []byte, conf float64) {
	n := len(bd) - 1
	b = make([]byte, n)
	sec = make([]byte, n)
	for i := range b {
		bestP := float32(-1)
		for _, d := range cellShifts {
			if bestP >= 0.9 {
				break // the centred cell is confidently read
			}
			pitch := bd[i+1] - bd[i]
			s.features(bd[i]+d*pitch, pitch, f)
			m.Forward(f, h, p)
			b1, b2 := 0, -1
			for k := 1; k < m.Out; k++ {
				if p[k] > p[b1] {
					b2, b1 = b1, k
				} else if b2 < 0 || p[k] > p[b2] {
					b2 = k
				}
			}
			if p[b1] > bestP+0.02 { // prefer the unshifted cell on near ties
				bestP = p[b1]
				b[i] = Alphabet[b1]
				sec[i] = 0
				if p[b2] >= 0.05 {
					sec[i] = Alphabet[b2]
				}
			}
		}
		conf += float64(bestP)
	}
	return b, sec, conf / float64(max(1, n))
}

// flip returns z read the other way round (document upside down).
func flip(z Zone) Zone {
	out := Zone{Score: z.Score}
	for i := len(z.Lines) - 1; i >= 0; i-- {
		l := z.Lines[i]
		l.X0, l.Y0, l.X1, l.Y1 = l.X1, l.Y1, l.X0, l.Y0
		out.Lines = append(out.Lines, l)
	}
	return out
}

// Read locates, recognises and parses the machine readable zone of img. It
// returns ErrNotFound when no zone reads as a plausible MRZ: a mean
// recogniser confidence of at least MinConfidence and at least two passing
// check digits, or one and a known issuing state.
func Read(img image.Image) (*Result, error) {
	if img == nil || img.Bounds().Empty() {
		return nil, ErrNotFound
	}
	g := ToGray(img, nil)
	zones, err := Locate(g)
	if err != nil {
		return nil, err
	}
	var best *Result
	bestScore := 0.0
	for _, z0 := range zones {
		for _, z := range []Zone{z0, flip(z0)} {
			lines, second, conf, err := Recognise(g, &z, nil)
			if err != nil {
				return nil, err
			}
			fixed := Correct(lines, second)
			d, err := Parse(fixed)
			if err != nil {
				continue
			}
			score := float64(d.ChecksPassed()) + 10*conf
			if _, ok := Alpha2(d.IssuingState); ok {
				score += 0.5
			}
			if !plausible(d, conf) {
				continue
			}
			if best == nil || score > bestScore {
				best = &Result{Doc: d, Raw: lines, Zone: z, Confidence: conf}
				bestScore = score
			}
			if d.Valid() {
				return best, nil
			}
		}
	}
	if best == nil {
		return nil, ErrNotFound
	}
	return best, nil
}

// dateOK accepts YYMMDD with a real month and day, or an unknown date
// (fillers, also for unknown month/day parts).
func dateOK(s string) bool {
	if len(s) != 6 {
		return false
	}
	part := func(p string, lo, hi int) bool {
		if p == "<<" {
			return true
		}
		if p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' {
			return false
		}
		v := int(p[0]-'0')*10 + int(p[1]-'0')
		return v >= lo && v <= hi
	}
	return part(s[0:2], 0, 99) && part(s[2:4], 1, 12) && part(s[4:6], 1, 31)
}

// MinConfidence is the least mean recogniser probability of an accepted MRZ.
const MinConfidence = 0.8

func plausible(d *Document, conf float64) bool {
	if conf < MinConfidence || d.DocumentCode == "" || !strings.ContainsRune("PIACV", rune(d.DocumentCode[0])) {
		return false
	}
	if !dateOK(d.BirthDate) || !dateOK(d.ExpiryDate) || !strings.Contains("MFX<", d.Sex) {
		return false
	}
	_, known := Alpha2(d.IssuingState)
	n := d.ChecksPassed()
	return n >= 2 || (n >= 1 && known)
}
