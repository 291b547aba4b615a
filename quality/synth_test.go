package quality

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/globalgateway/ggcapture/internal/synth"
)

var accWorst = flag.Int("quality.worst", 8, "worst cases to log")
var accN = flag.Int("quality.n", 0, "number of synthetic captures in TestSynthAccuracy (0 = default)")
var accFrom = flag.Int("quality.from", 0, "offset of the first synthetic capture in the accuracy tests (debugging other sets)")

// accFloor is the minimum rate of captures that are each within both
// tolerances, asserted by TestSynthAccuracy next to the set's means.
const accFloor = 0.86 // (175/200 reached from luma, 176 before the second fit near the coarse side, 175 before the closing on weak peaks, 177 before the alternative sides; 0.84 until the texture-aware support)

// accFloorColour is accFloor with colour (200/200 reached since the run-on
// check of 2026-11-28, 199 before it; 0.97 until the surround suppression).
const accFloorColour = 0.98

// accFloorFresh is accFloorColour on the fresh set (199/200 reached; 0.95
// until 2026-11-26, when 192 were, then 0.97).
const accFloorFresh = 0.98

func qfmt(f synth.Format) Format {
	if f == synth.ID3 {
		return FormatID3
	}
	return FormatID1
}

func toQuad(c [4][2]float64) Quad {
	var q Quad
	for i := range c {
		q[i] = Point{c[i][0], c[i][1]}
	}
	return q
}

func grayOf(img image.Image) *image.Gray { return toGray(img) }

// captureDoc draws the i-th random capture of the accuracy set: perspective
// tilts up to ±20° on both axes, roll up to ±12°, document 40-70 % of the frame
// width, every background (mostly cluttered ones), noise, mild blur, lighting.
func captureDoc(i int) synth.Doc {
	rng := rand.New(rand.NewSource(int64(1000 + i)))
	f := synth.ID1
	if i%3 == 2 {
		f = synth.ID3
	}
	side := "Front"
	if i%2 == 1 {
		side = "Back"
	}
	bgs := []synth.Background{synth.Clutter, synth.Desk, synth.Wood, synth.Fabric, synth.Clutter, synth.Desk, synth.Plain}
	frac := 0.40 + 0.30*rng.Float64()
	if f == synth.ID3 {
		frac = 0.40 + 0.25*rng.Float64()
	}
	return synth.Doc{
		Format:     f,
		Side:       side,
		Seed:       int64(i + 1),
		Width:      1280,
		Height:     720,
		DPI:        frac * 1280 / f.WidthInches(),
		CenterX:    0.5 + 0.12*(rng.Float64()-0.5),
		CenterY:    0.5 + 0.10*(rng.Float64()-0.5),
		TiltX:      40 * (rng.Float64() - 0.5),
		TiltY:      40 * (rng.Float64() - 0.5),
		Roll:       24 * (rng.Float64() - 0.5),
		Background: bgs[i%len(bgs)],
		Noise:      3 * rng.Float64(),
		BlurSigma:  0.8 * rng.Float64(),
		Vignette:   0.4 * rng.Float64(),
		Shadow:     0.5 * rng.Float64(),
	}
}

// renderCapture renders capture i, shrinking it (DPI -10 %) until every corner
// lies inside the frame with a 2 % margin: a capture with a corner out of the
// frame is not one the analyser should be asked to measure.
func renderCapture(t testing.TB, i int) (synth.Sample, synth.Doc) {
	d := captureDoc(i)
	for k := 0; ; k++ {
		s, err := synth.Render(d)
		if err != nil {
			t.Fatalf("render %d: %v", i, err)
		}
		in := true
		for _, c := range s.Corners {
			if c[0] < 0.02*float64(d.Width) || c[0] > 0.98*float64(d.Width) || c[1] < 0.02*float64(d.Height) || c[1] > 0.98*float64(d.Height) {
				in = false
			}
		}
		if in || k == 8 {
			return s, d
		}
		d.DPI *= 0.9
	}
}

func cornerErr(q, truth Quad) (mean, diag float64) {
	for i := range q {
		mean += dist(q[i], truth[i])
	}
	mean /= 4
	diag = (dist(truth[0], truth[2]) + dist(truth[1], truth[3])) / 2
	return mean, diag
}

type accCase struct {
	i        int
	doc      synth.Doc
	found    bool
	cerr     float64 // mean corner error / diagonal
	dpiErr   float64 // relative
	pass     bool
	describe string
}

// TestSynthAccuracy is the quad / DPI accuracy check on generated captures:
// over the set, the mean corner error is <= 1.5 % of the document diagonal
// and the mean |DPI error| <= 3 % (a capture not found counts as 100 % of
// both), every capture is found, and at least accFloor of the captures are
// each within both tolerances.
func TestSynthAccuracy(t *testing.T) { synthAccuracy(t, false, *accFrom) }

// TestSynthAccuracyColor is TestSynthAccuracy on the same captures with
// their 4:2:0 chroma (AnalyzeColor), as the frame sources deliver frames;
// with colour, every capture's DPI must also be within ±3 %.
func TestSynthAccuracyColor(t *testing.T) { synthAccuracy(t, true, *accFrom) }

// TestSynthAccuracyFresh is TestSynthAccuracyColor on the next 200
// captures (200-399), which no constant of the detector was tuned on: the
// same limits for the set's means, and its own per-capture floor
// (accFloorFresh), since the first 200 were used to choose between
// detector variants and fit them better.
func TestSynthAccuracyFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("fresh set: 200 more captures (not in -short)")
	}
	synthAccuracy(t, true, 200+*accFrom)
}

// yuv420 converts img to a full-range BT.601 luma plane and 4:2:0 chroma
// planes (2x2 averages), as a camera's I420 frame holds it.
func yuv420(img image.Image) (*image.Gray, *Chroma) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := image.NewGray(image.Rect(0, 0, w, h))
	cw, ch := (w+1)/2, (h+1)/2
	cb := make([]byte, cw*ch)
	cr := make([]byte, cw*ch)
	sb := make([]int, cw*ch)
	sr := make([]int, cw*ch)
	n := make([]int, cw*ch)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, gg, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			yy, u, v := color.RGBToYCbCr(uint8(r>>8), uint8(gg>>8), uint8(bb>>8))
			g.Pix[y*g.Stride+x] = yy
			i := (y/2)*cw + x/2
			sb[i] += int(u)
			sr[i] += int(v)
			n[i]++
		}
	}
	for i := range cb {
		cb[i] = byte((sb[i] + n[i]/2) / n[i])
		cr[i] = byte((sr[i] + n[i]/2) / n[i])
	}
	return g, &Chroma{Cb: cb, Cr: cr, Stride: cw, Step: 1, W: cw, H: ch}
}

func synthAccuracy(t *testing.T, colour bool, from int) {
	n := 200
	if testing.Short() {
		n = 24
	}
	if *accN > 0 {
		n = *accN
	}
	a := NewAnalyzer(nil)
	var cases []accCase
	byBG := map[string]int{}
	var cornerOK, dpiOK int
	var errs []float64
	pass, found := 0, 0
	var sumErr, allCorner, allDPI float64
	for i := from; i < from+n; i++ {
		s, d := renderCapture(t, i)
		truth := toQuad(s.Corners)
		f := qfmt(d.Format)
		var r FrameResult
		if colour {
			g, ch := yuv420(s.Image)
			if err := a.AnalyzeColor(&r, g, ch, f); err != nil {
				t.Fatal(err)
			}
		} else if err := a.Analyze(&r, grayOf(s.Image), f); err != nil {
			t.Fatal(err)
		}
		c := accCase{i: i, doc: d, found: r.Found, cerr: math.Inf(1), dpiErr: math.Inf(1)}
		if r.Found {
			found++
			m, diag := cornerErr(r.Quad, truth)
			c.cerr = m / diag
			c.dpiErr = r.DPI/s.DPI - 1
			c.pass = c.cerr <= 0.015 && math.Abs(c.dpiErr) <= 0.03
			sumErr += c.cerr
			allCorner += c.cerr
			allDPI += math.Abs(c.dpiErr)
			if c.cerr <= 0.015 {
				cornerOK++
			}
			if math.Abs(c.dpiErr) <= 0.03 {
				dpiOK++
			}
			errs = append(errs, c.cerr)
		}
		if !r.Found {
			allCorner++
			allDPI++
		}
		if c.pass {
			pass++
			byBG[d.Background.String()+"/pass"]++
		}
		byBG[d.Background.String()]++
		c.describe = fmt.Sprintf("#%d %v %s bg=%v tilt=(%.1f,%.1f) roll=%.1f dpi=%.0f", i, d.Format, d.Side, d.Background, d.TiltX, d.TiltY, d.Roll, s.DPI)
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].cerr > cases[j].cerr })
	for _, c := range cases[:min(*accWorst, len(cases))] {
		t.Logf("worst: %s found=%v cornerErr=%.2f%% dpiErr=%+.2f%%", c.describe, c.found, 100*c.cerr, 100*c.dpiErr)
	}
	for _, bg := range synth.Backgrounds {
		k := bg.String()
		if byBG[k] > 0 {
			t.Logf("background %-7s: %d/%d pass", k, byBG[k+"/pass"], byBG[k])
		}
	}
	sort.Float64s(errs)
	if len(errs) > 0 {
		t.Logf("corner error <= 1.5 %%: %d/%d; DPI within ±3 %%: %d/%d; median corner error of found %.3f %% of diagonal",
			cornerOK, n, dpiOK, n, 100*errs[len(errs)/2])
	}
	rate := float64(pass) / float64(n)
	meanCorner, meanDPI := allCorner/float64(n), allDPI/float64(n)
	t.Logf("synth accuracy over %d captures: mean corner error %.3f %% of diagonal (limit 1.5 %%), mean |DPI error| %.3f %% (limit 3 %%), found %d/%d",
		n, 100*meanCorner, 100*meanDPI, found, n)
	t.Logf("synth accuracy per capture: %d/%d (%.1f %%) within both 1.5 %% corner error and ±3 %% DPI", pass, n, 100*rate)
	// The targets hold for the full set; the first 24 (-short) are a
	// sample where one wrong pick weighs 8x more: twice the limits.
	lim := 1.0
	if n < 200 {
		lim = 2
	}
	if meanCorner > 0.015*lim {
		t.Errorf("mean corner error %.3f %% > %.1f %%", 100*meanCorner, 1.5*lim)
	}
	if meanDPI > 0.03*lim {
		t.Errorf("mean |DPI error| %.3f %% > %.0f %%", 100*meanDPI, 3*lim)
	}
	if found < n {
		t.Errorf("found %d/%d", found, n)
	}
	// Per capture the aim is every one within both tolerances; this floor is
	// what the detector reaches (see docs/quality.md), so that a regression
	// fails the test.
	floor := accFloor
	switch {
	case from >= 200:
		floor = accFloorFresh
	case colour:
		floor = accFloorColour
	}
	if testing.Short() {
		floor = 0.8 // 20 of the first 24
	}
	if rate < floor {
		t.Errorf("per-capture pass rate %.1f %% < %.0f %%", 100*rate, 100*floor)
	}
	// On the two sets make test runs (captures 0-399), with colour, as every
	// live frame source and every still delivers it, each capture's DPI is
	// within ±3 %. (Other sets, -quality.from, still miss a few: the
	// figures are in docs/quality.md.)
	if colour && !testing.Short() && *accN == 0 && (from == 0 || from == 200) && dpiOK < n {
		t.Errorf("DPI within ±3 %%: %d/%d captures, want every one", dpiOK, n)
	}
}

// TestSynthAccuracyHeld: captures as the live guide produces them (document
// about 70 % of the frame width, tilts and roll within ±6°), every background.
func TestSynthAccuracyHeld(t *testing.T) {
	for _, colour := range []bool{false, true} {
		t.Run(map[bool]string{false: "luma", true: "colour"}[colour], func(t *testing.T) { heldAccuracy(t, colour) })
	}
}

// heldDoc is the i-th held capture.
func heldDoc(i int) synth.Doc {
	rng := rand.New(rand.NewSource(int64(5000 + i)))
	f := synth.ID1
	if i%3 == 2 {
		f = synth.ID3
	}
	return synth.Doc{Format: f, Seed: int64(500 + i), Side: []string{"Front", "Back"}[i%2],
		Background: synth.Backgrounds[i%len(synth.Backgrounds)],
		TiltX:      12 * (rng.Float64() - 0.5), TiltY: 12 * (rng.Float64() - 0.5), Roll: 12 * (rng.Float64() - 0.5),
		Noise: 2 * rng.Float64(), Vignette: 0.3 * rng.Float64()}
}

func heldAccuracy(t *testing.T, colour bool) {
	n := 60
	if testing.Short() {
		n = 10
	}
	a := NewAnalyzer(nil)
	pass := 0
	for i := 0; i < n; i++ {
		d := heldDoc(i)
		f := d.Format
		s, err := synth.Render(d)
		if err != nil {
			t.Fatal(err)
		}
		var r FrameResult
		if colour {
			g, c := yuv420(s.Image)
			if err := a.AnalyzeColor(&r, g, c, qfmt(f)); err != nil {
				t.Fatal(err)
			}
		} else if err := a.Analyze(&r, toGray(s.Image), qfmt(f)); err != nil {
			t.Fatal(err)
		}
		ok := false
		if r.Found {
			m, diag := cornerErr(r.Quad, toQuad(s.Corners))
			ok = m/diag <= 0.015 && math.Abs(r.DPI/s.DPI-1) <= 0.03
			if !ok {
				t.Logf("#%d %v %v: corner error %.2f %%, DPI error %+.2f %%", i, f, d.Background, 100*m/diag, 100*(r.DPI/s.DPI-1))
			}
		} else {
			t.Logf("#%d %v %v: not found", i, f, d.Background)
		}
		if ok {
			pass++
		}
	}
	t.Logf("held captures: %d/%d within 1.5 %% corner error and ±3 %% DPI", pass, n)
	floor := int(0.85 * float64(n)) // floor at the reached rate (see docs/quality.md)
	if n < 60 {
		floor = 7 // the first 10 (-short): luma 7, colour 9
	}
	if pass < floor {
		t.Errorf("only %d/%d held captures within tolerance", pass, n)
	}
}
