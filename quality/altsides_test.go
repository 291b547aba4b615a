package quality

import (
	"fmt"
	"image"
	"math"
	"testing"

	"github.com/globalgateway/ggcapture/internal/synth"
)

// TestAltSides: generated captures where a card side lies beside a stronger
// parallel edge and has no Hough line of its own (a duplicate of the
// stronger line, or past its direction's cap). Without the alternative sides
// (detect.go, altSides) their outline misses the card; with them it is
// within 1.5 % and ±3 %. (If a later change finds these without the
// alternatives, pick other captures: TestDebugCategories lists the misses.)
func TestAltSides(t *testing.T) {
	stepNeeded(t, "the alternative sides", []int{3190, 3381, 13790}, func(d *detector, off bool) { d.noAlt = off })
}

// TestCloseByPeaks: generated captures of a pale card lying partly on white
// paper, one side of which has a Hough peak too weak for a line. Without
// the closing on weak peaks (detect.go, closeByPeaks) the outline runs out
// to the paper's edge; with it the outline is within 1.5 % and ±3 %.
// (#13501 was the third until 2026-11-27: with more three-sided outlines
// completed and closed by the format, it is found without; #25158 the
// second until the closings by the format for a shorter focal length,
// which find it without.)
func TestCloseByPeaks(t *testing.T) {
	stepNeeded(t, "the closing on weak peaks", []int{17351}, func(d *detector, off bool) { d.noPeaks = off })
}

// TestInnerSides: generated captures whose winning outline, without the
// inner fourth sides (detect.go, innerSides), is four strong lines closed on
// the edge of the sheet of paper the card lies on, the card's own side over
// the sheet being too faint for a line (#3249: a pale card's left side).
// With them the outline is within 1.5 % and ±3 %.
func TestInnerSides(t *testing.T) {
	stepNeeded(t, "the inner fourth sides", []int{3249, 442, 17053}, func(d *detector, off bool) { d.noInner = off })
}

// TestInnerSidesThree: generated captures whose card's three-sided outline
// closes on the edge of the sheet of paper under the card, beyond the
// card's own side (faint: a pale card over white paper), with a strong
// fourth side, so that only the search inside it (detect.go, threeSided:
// innerSide) finds the card's: a few pixels out at an aspect the format
// allows (#15387, DPI +5.5 % without it; #21305), or far out, too long for
// findSide, which searches only behind weak sides (#25267, DPI -8.1 %).
func TestInnerSidesThree(t *testing.T) {
	stepNeeded(t, "the inner sides of strong three-sided outlines", []int{15387, 21305, 25267}, func(d *detector, off bool) { d.noInner3 = off })
}

// TestWalkCut: generated captures whose card's three-sided outline was
// dropped because its sides' walks ran on past the card (along a sheet's
// edge or text in line with them) and their support thinned out; cut to the
// longest the format allows, they keep it (#11107).
func TestWalkCut(t *testing.T) {
	stepNeeded(t, "the cut of thinned-out walks", []int{11107}, func(d *detector, off bool) { d.noCut = off })
}

// TestCloseFocals: generated captures whose card's fourth side has no edge
// and whose closing by the format needs a shorter focal length than the
// prior's to tilt the side right (#21333: with the prior's, no position
// within 2 % of the aspect; the outline picked then had DPI −9.8 %).
func TestCloseFocals(t *testing.T) {
	stepNeeded(t, "the closings for a shorter focal length", []int{21333}, func(d *detector, off bool) { d.oneFocal = off })
}

// TestNearSides: generated captures whose coarse outline is on the card,
// but refinement moves one side to a stronger parallel edge a few px away
// (#354: the inner edge of the header band and photo beside a pale card's
// left side; #429: a dark seam in the wood beside the card's right
// side). Fitted again near the coarse side (detect.go, nearSides), the
// outline is within 1.5 % and ±3 %.
func TestNearSides(t *testing.T) {
	stepNeeded(t, "the second fit near the coarse side", []int{354, 429, 17007}, func(d *detector, off bool) { d.noNear = off })
}

// stepNeeded checks that each generated capture of cases misses the card
// (1.5 % corner error, ±3 % DPI, colour) with the detector step that set
// switches off, and is within tolerance with it.
func stepNeeded(t *testing.T, step string, cases []int, set func(d *detector, off bool)) {
	t.Helper()
	for _, i := range cases {
		s, d := renderCapture(t, i)
		g, ch := yuv420(s.Image)
		var within [2]bool
		var errs [2]string
		for k, off := range []bool{true, false} {
			within[k], errs[k] = analyseColour(t, s, d, g, ch, func(dt *detector) { set(dt, off) })
		}
		t.Logf("#%d %v %v: without %s %s, with %s", i, d.Background, d.Format, step, errs[0], errs[1])
		if within[0] {
			t.Errorf("#%d is found within tolerance without %s: it no longer tests it", i, step)
		}
		if !within[1] {
			t.Errorf("#%d: with %s %s, want within 1.5 %% and ±3 %%", i, step, errs[1])
		}
	}
}

func formatErr(corner, dpi float64) string {
	return fmt.Sprintf("corner error %.2f %%, DPI %+.2f %%", 100*corner, 100*dpi)
}

// TestClosedLate: generated captures whose card's three-sided outline came
// too late for the three-sided searches (detect.go, threeSided) when they
// completed 12 outlines a frame and closed 3 by the format, and skipped an
// outline whole past the sixth pivot: #11103, a pale card on a white sheet
// that sticks out beyond it, whose outline came thirteenth of 75, after ten
// with gaps; every outline the searches had was the sheet's (DPI +24 %).
func TestClosedLate(t *testing.T) { pinnedWithin(t, []int{11103}) }

// TestRefinedKept: generated captures whose refined outline is on the card
// but whose aspect estimate is off by a few per cent (the focal prior); the
// outward search after refinement (detect.go, locate) found a parallel edge
// beside the card that put the aspect as far off the other way: #5177 (an
// ID-3 page refined within 0.01 % moved out to an object's edge, DPI
// +3.31 %) and #5030 (corner error 2.10 %). That search now keeps a move
// only when it brings the aspect nearer the format's by 0.01 in ln.
func TestRefinedKept(t *testing.T) { pinnedWithin(t, []int{5177, 5030}) }

// pinnedWithin checks that each generated capture of cases is found within
// 1.5 % corner error and ±3 % DPI (colour).
func pinnedWithin(t *testing.T, cases []int) {
	t.Helper()
	for _, i := range cases {
		s, d := renderCapture(t, i)
		g, ch := yuv420(s.Image)
		within, e := analyseColour(t, s, d, g, ch, func(*detector) {})
		t.Logf("#%d %v %v: %s", i, d.Background, d.Format, e)
		if !within {
			t.Errorf("#%d: %s, want within 1.5 %% and ±3 %%", i, e)
		}
	}
}

// analyseColour analyses capture s (its luma g and chroma ch) with a fresh
// analyser that set adjusts, and reports whether the outline is within
// 1.5 % corner error and ±3 % DPI, and its errors ("not found" if none).
func analyseColour(t *testing.T, s synth.Sample, d synth.Doc, g *image.Gray, ch *Chroma, set func(*detector)) (bool, string) {
	t.Helper()
	a := NewAnalyzer(nil)
	set(a.det)
	var r FrameResult
	if err := a.AnalyzeColor(&r, g, ch, qfmt(d.Format)); err != nil {
		t.Fatal(err)
	}
	if !r.Found {
		return false, "not found"
	}
	m, dg := cornerErr(r.Quad, toQuad(s.Corners))
	dp := r.DPI/s.DPI - 1
	return m/dg <= 0.015 && math.Abs(dp) <= 0.03, formatErr(m/dg, dp)
}

// TestPortraitWeight: a generated capture whose winning outline, with the
// rank's fitted portrait weight (-0.96), was a sheet of paper lying upright
// beside the card (#7008, corner error 71 %, DPI +11.4 %). With the weight
// set for the landscape guide (rank.go) the card's outline wins.
func TestPortraitWeight(t *testing.T) { pinnedWithin(t, []int{7008}) }
