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
	alts, err := recogniseShifted(g, z, m, []float64{0})
	if err != nil {
		return nil, nil, 0, err
	}
	n := 0
	for _, a := range alts {
		lines = append(lines, string(a[0].chars))
		second = append(second, a[0].sec)
		conf += a[0].conf * float64(len(a[0].chars))
		n += len(a[0].chars)
	}
	if n > 0 {
		conf /= float64(n)
	}
	return lines, second, conf, nil
}

// lineRead is one reading of a line.
type lineRead struct {
	chars, sec []byte
	conf       float64
}

// recogniseShifted reads every line of z once per grid shift (a fraction
// of the pitch applied to every cell boundary); result[line][shift].
func recogniseShifted(g *image.Gray, z *Zone, m *Model, shifts []float64) ([][]lineRead, error) {
	if m == nil {
		if defaultModelErr != nil {
			return nil, defaultModelErr
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
	var out [][]lineRead
	for _, l := range refineZone(v, z) {
		s := sampleStrip(v, &l)
		if s.w == 0 || l.N <= 0 {
			return nil, ErrNotFound
		}
		hyps := s.cellHypotheses(l.N)
		var reads []lineRead
		for _, sh := range shifts {
			best := lineRead{conf: -1}
			for hi, bd := range hyps {
				if hi > 0 && best.conf >= 0.97 {
					break // the default grid reads confidently
				}
				if sh != 0 {
					pitch := (bd[len(bd)-1] - bd[0]) / float64(len(bd)-1)
					sb := make([]float64, len(bd))
					for i := range bd {
						sb[i] = bd[i] + sh*pitch
					}
					bd = sb
				}
				b, sec, c := readCells(&s, bd, m, f, h, p)
				if c > best.conf {
					best = lineRead{b, sec, c}
				}
			}
			reads = append(reads, best)
		}
		out = append(out, reads)
	}
	return out, nil
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
	var retry []Zone
	bestScore := 0.0
	consider := func(z Zone, lines []string, second [][]byte, conf float64) bool {
		fixed := Correct(lines, second)
		d, err := Parse(fixed)
		if err != nil || !plausible(d, conf) {
			return false
		}
		score := float64(d.ChecksPassed()) + 10*conf
		if _, ok := Alpha2(d.IssuingState); ok {
			score += 0.5
		}
		if best == nil || score > bestScore {
			best = &Result{Doc: d, Raw: lines, Zone: z, Confidence: conf}
			bestScore = score
		}
		return d.Valid()
	}
	for _, z0 := range zones {
		for _, z := range []Zone{z0, flip(z0)} {
			lines, second, conf, err := Recognise(g, &z, nil)
			if err != nil {
				return nil, err
			}
			if consider(z, lines, second, conf) {
				return best, nil
			}
			if conf >= MinConfidence && Detect(lines) != FormatUnknown {
				retry = append(retry, z)
			}
		}
	}
	// No zone verifies: a line may be segmented a fraction of a cell off.
	// Re-read the candidates with shifted grids and keep a combination whose
	// check digits verify.
	for _, z := range retry {
		if r := shiftedRead(g, z); r != nil {
			return r, nil
		}
	}
	if best == nil {
		return nil, ErrNotFound
	}
	return best, nil
}

var gridShifts = []float64{0, -0.3, 0.3, -0.15, 0.15}

// shiftedRead tries every combination of per-line grid shifts and returns
// the reading whose check digits all verify with the fewest shifted lines,
// then the most confident (nil if none verifies).
func shiftedRead(g *image.Gray, z Zone) *Result {
	reads, err := recogniseShifted(g, &z, nil, gridShifts)
	if err != nil {
		return nil
	}
	L := len(reads)
	idx := make([]int, L)
	var best *Result
	bestMoved := 0
	for {
		lines := make([]string, L)
		second := make([][]byte, L)
		conf, n := 0.0, 0
		for li, k := range idx {
			r := reads[li][k]
			lines[li], second[li] = string(r.chars), r.sec
			conf += r.conf * float64(len(r.chars))
			n += len(r.chars)
		}
		conf /= float64(max(1, n))
		if d, err := Parse(Correct(lines, second)); err == nil && d.Valid() && plausible(d, conf) {
			moved := 0 // prefer the fewest shifted lines, then confidence
			for _, k := range idx {
				if k != 0 {
					moved++
				}
			}
			if best == nil || moved < bestMoved || (moved == bestMoved && conf > best.Confidence) {
				best = &Result{Doc: d, Raw: lines, Zone: z, Confidence: conf}
				bestMoved = moved
			}
		}
		// next combination
		i := 0
		for ; i < L; i++ {
			idx[i]++
			if idx[i] < len(gridShifts) {
				break
			}
			idx[i] = 0
		}
		if i == L {
			return best
		}
	}
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
