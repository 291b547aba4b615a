package quality

import "math"

// The final choice between candidate outlines (best) ranks each
// candidate's outlines (expanded two ways, and as found) by a log-linear
// score: the dot product of rankW with the features below. The weights
// were fit on generated captures 1000-2999 (none of the accuracy tests'
// sets) by maximising the softmax probability of the candidates within
// 1.5 % of the true corners, over all candidates of each capture
// (TestFitRank in rank_fit_test.go prints them again).
//
// Per capture, the outline it picks was within 1.5 % before refinement on
// 1695 of 2000 fitting captures against 1654 with the former score
// (support x aspect and centre priors), and on 517 of 600 held-out captures
// (3000-3599) against 488. With the split-polarity support (segSupportT)
// and the chroma weight 1.6 (chroma.go) that came after, 1873 and 557 (of
// 1927 and 570 with a good candidate); fits after each did no better held
// out (docs/quality.md, step 6b). (Until 2026-11-26 the fit measured the
// side contrast on luma alone, the frames' chroma having been let go, and
// reported 1848 and 546 for these weights.) With the detector of the
// second round that day (96 lines, 600 pairs, the clean leader's aspect):
// 1892 of 1947 and 568 of 579; a refit 1901 and 563. With the surface
// contrast (rSurface, 2026-11-26, third round) and these weights fitted
// with it: 1919 and 574. Frames without chroma have weights of their own
// (rankWLuma, fitted on the same captures analysed as luma): 1596 of 1765
// and 475 of 529, against 1574 and 467 for the colour weights of before.
// With the three-sided outlines kept when far too long and those closed by
// the format (detect.go, closeByAspect): 1926 of 1954 and 573 of 578; a
// refit the same. With each candidate also ranked as found (rAsFound,
// modeAsFound) and a refit: 1940 of 1966 and 578 of 584. For luma
// the weights before it stay, with the refit's as-found weight: a full luma
// refit picked 1610 and 477 (1600 and 476 before) but lost 2 of the 200
// luma captures 0-199 (per capture, luma, 0 / 200 / 11000 / 13000: 664
// before, 667 refitted, 668 as kept). With the surround suppression before
// the Hough vote (detect.go): 1961 of 1981 and 585 of 590; a refit 1962 and
// 585, and it drops the portrait weight to 0 (not kept). With no support
// next to textured edges (detect.go, support): 1972 of 1989 and 587 of 596;
// rankW is the refit then, 1973 and 588 (per capture within both, colour,
// 0-599 / 3000-3399 / 5000-5399 594 / 394 / 393 -> 594 / 395 / 394, and
// 3926 -> 3927 over 20 further sets, DPI 3962 -> 3964). With the
// alternative sides (detect.go, altSides): 1982 and 590; a refit 1983 and
// 590 (not kept); the same after the closing on weak peaks (closeByPeaks),
// where 1991 of 2000 and 596 of 600 have a good candidate. With the inner
// fourth sides (detect.go, innerSides): 1984 of 1993 and 592 of 598; a
// refit 1988 and 591 (not kept).
const (
	rLogSup   = iota // log of the support sum (sideTerm minus extension penalties)
	rAspect2         // squared log error of the outline's aspect
	rCentre2         // squared distance of its centre from the frame's, in frame sizes
	rPortrait        // 1 when its long side is nearer vertical in a landscape frame
	rLoose           // 1 for a one-sided band expansion (expandMode loose)
	rMinSide         // the weakest Hough side's support (low: a side was constructed)
	rContrast        // fraction of places along the sides where inside and outside differ
	rSurface         // the same, surfaceOff from the sides: the surfaces, not the edge line
	rAsFound         // 1 for the outline as found where the strict expansion moved it
	nRank
)

// rankW are the weights of the features, in their own units, for frames
// with chroma; rankWLuma for luma alone, where the two contrast features
// see only brightness (fitted with -quality.fitluma).
//
// The portrait weight is set, not fitted (-8 in both; the fits gave -0.96
// and -1.01): the live guide shows the document landscape, the generated
// captures never hold it portrait (roll within ±12°), and so few portrait
// outlines reach the final choice that the fit hardly weighs them. At -8
// the fit's picks are the same (1984 fitting, 589 held out); on 27 sets of
// 200 captures (2026-11-27, night) #7008, a sheet of paper taken upright,
// is found instead. Options.AnyOrientation drops the prior.
var (
	rankW     = [nRank]float64{6.377, -244.4, -107.5, -8, 1.601, 5.222, 24.53, 32.41, -2.388}
	rankWLuma = [nRank]float64{4.679, -509, -244.1, -8, 0.77, 3.496, 10.69, -0.6647, -1.733}
)

// rankWeights are the weights for the current frame.
func (d *detector) rankWeights() *[nRank]float64 {
	if d.hasChroma() {
		return &rankW
	}
	return &rankWLuma
}

// hasChroma reports whether the current frame's chroma is on the
// detection grid.
func (d *detector) hasChroma() bool { return d.chroma != nil && len(d.scb) == d.sw*d.sh }

// Side contrast: at contrastSamples places along each side, the colours
// contrastOff pixels (detection grid) inside and outside the outline are
// compared; they differ when |ΔY| + |ΔCb| + |ΔCr| exceeds contrastThr (luma
// alone when the frame has no chroma). The surface contrast compares them
// surfaceOff pixels away instead: a seam in wood or the edge of a sheet is a
// line with the same surface on both sides, a document's side is not, and
// 1.5 px from a dark seam the line itself still makes the two differ.
// (Fits with the surface 3, 4, 6 and 8 pixels away held out 572, 574, 574
// and 572 picks.)
const (
	contrastSamples = 12
	contrastOff     = 1.5
	contrastThr     = 16
	surfaceOff      = 4.0
)

// rankFeatures fills dst with the features of outline e of candidate t,
// made in mode (modeStrict...; aspect: e's perspective-corrected aspect).
func (d *detector) rankFeatures(dst *[nRank]float64, t *topCand, e Quad, mode int, aspect float64) {
	*dst = [nRank]float64{}
	dst[rLogSup] = math.Log(fmax(t.sup, 1e-6))
	r := math.Log(aspect / d.target)
	dst[rAspect2] = r * r
	portrait, c2 := d.placement(e)
	dst[rCentre2] = c2
	if portrait {
		dst[rPortrait] = 1
	}
	switch mode {
	case modeLoose:
		dst[rLoose] = 1
	case modeAsFound:
		dst[rAsFound] = 1
	}
	dst[rMinSide] = t.minS
	dst[rContrast] = d.sideContrast(e)
	dst[rSurface] = d.sideContrastAt(e, surfaceOff)
}

// rankScore is the log-linear score of features f under weights w.
func rankScore(w, f *[nRank]float64) float64 {
	s := 0.0
	for i := range w {
		s += w[i] * f[i]
	}
	return s
}

// rankBound is an upper bound of the score of candidate t's
// outlines: its support and weakest side are known before expansion, and
// the other features add at most the best value their weight allows.
func rankBound(w *[nRank]float64, t *topCand) float64 {
	s := w[rLogSup]*math.Log(fmax(t.sup, 1e-6)) + w[rMinSide]*t.minS
	for i, wi := range w {
		if i != rLogSup && i != rMinSide && wi > 0 {
			s += wi // the other features lie in [0, 1]
		}
	}
	return s
}

// rankModeGap is what rankBound gives for the outlines of the other modes
// (the loose expansion, the outline as found) that one of this mode cannot
// have.
func rankModeGap(w *[nRank]float64, mode int) float64 {
	g := 0.0
	if mode != modeLoose && w[rLoose] > 0 {
		g += w[rLoose]
	}
	if mode != modeAsFound && w[rAsFound] > 0 {
		g += w[rAsFound]
	}
	return g
}

// sideContrast is the fraction of places along the sides of q (clockwise,
// detection grid) where the colour just inside differs from the colour just
// outside. A document's sides separate it from the background all along; an
// outline that strays past the document (a seam, a sheet of paper under it,
// an object beside it) has places with the same surface on both sides.
func (d *detector) sideContrast(q Quad) float64 { return d.sideContrastAt(q, contrastOff) }

// sideContrastAt is sideContrast with the colours compared off pixels
// (detection grid) inside and outside the sides.
func (d *detector) sideContrastAt(q Quad, off float64) float64 {
	hasC := d.hasChroma()
	n := 0
	for s := 0; s < 4; s++ {
		a, b := q[s], q[(s+1)&3]
		L := dist(a, b)
		if L < 1 {
			continue
		}
		nx, ny := (b.Y-a.Y)/L*off, -(b.X-a.X)/L*off // outward
		for k := 0; k < contrastSamples; k++ {
			u := (float64(k) + 0.5) / contrastSamples
			x, y := a.X+u*(b.X-a.X), a.Y+u*(b.Y-a.Y)
			xi, yi, xo, yo := x-nx, y-ny, x+nx, y+ny
			dl := math.Abs(bilinear(d.small, d.sw, d.sw, d.sh, xi, yi) - bilinear(d.small, d.sw, d.sw, d.sh, xo, yo))
			if hasC {
				dl += math.Abs(bilinear(d.scb, d.sw, d.sw, d.sh, xi, yi) - bilinear(d.scb, d.sw, d.sw, d.sh, xo, yo))
				dl += math.Abs(bilinear(d.scr, d.sw, d.sw, d.sh, xi, yi) - bilinear(d.scr, d.sw, d.sw, d.sh, xo, yo))
			}
			if dl > contrastThr {
				n++
			}
		}
	}
	return float64(n) / (4 * contrastSamples)
}
