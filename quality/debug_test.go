package quality

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/globalgateway/ggcapture/internal/synth"
)

var debugDir = flag.String("quality.debugdir", "", "write debug PNGs of the -quality.debugcases captures here")
var debugCases = flag.String("quality.debugcases", "", "comma-separated capture indices to dump")
var debugHeld = flag.Bool("quality.held", false, "debug tests take the held captures (TestSynthAccuracyHeld) instead")
var debugColour = flag.Bool("quality.colour", false, "debug tests analyse with 4:2:0 chroma")

// debugAnalyze analyses a capture as the debug tests do (luma, or colour
// with -quality.colour).
func debugAnalyze(a *Analyzer, r *FrameResult, img image.Image, f Format) {
	if *debugColour {
		g, c := yuv420(img)
		_ = a.AnalyzeColor(r, g, c, f)
		// AnalyzeColor lets the chroma go when it returns; the debug tests
		// that score candidates again (TestDebugTop) measure the side
		// contrast with it, as best did (finalCands does the same).
		a.det.chroma = c
		return
	}
	_ = a.Analyze(r, grayOf(img), f)
}

func drawLine(img *image.NRGBA, a, b Point, c color.NRGBA) {
	n := int(dist(a, b)) + 1
	for k := 0; k <= n; k++ {
		t := float64(k) / float64(n)
		x, y := int(a.X+t*(b.X-a.X)), int(a.Y+t*(b.Y-a.Y))
		if image.Pt(x, y).In(img.Rect) {
			img.SetNRGBA(x, y, c)
		}
	}
}

// debugEach analyses each -quality.debugcases capture and hands it to fn;
// without -quality.debugdir the test is skipped.
func debugEach(t *testing.T, fn func(i int, smp synth.Sample, d synth.Doc, a *Analyzer, r *FrameResult)) {
	if *debugDir == "" {
		t.Skip("debug: set -quality.debugdir")
	}
	for _, s := range strings.Split(*debugCases, ",") {
		i, _ := strconv.Atoi(s)
		smp, d := renderCapture(t, i)
		if *debugHeld {
			d = heldDoc(i)
			var err error
			if smp, err = synth.Render(d); err != nil {
				t.Fatal(err)
			}
		}
		a := NewAnalyzer(nil)
		var r FrameResult
		debugAnalyze(a, &r, smp.Image, qfmt(d.Format))
		fn(i, smp, d, a, &r)
	}
}

func TestDebugDump(t *testing.T) {
	debugEach(t, func(i int, smp synth.Sample, d synth.Doc, a *Analyzer, rp *FrameResult) {
		r := *rp
		img := smp.Image
		fac := float64(a.det.fac)
		cx, cy := float64(a.det.sw)/2, float64(a.det.sh)/2
		for li := 0; li < a.det.nLines; li++ {
			ln := a.det.lines[li]
			px, py := cx+ln.rho*ln.nx, cy+ln.rho*ln.ny
			dx, dy := -ln.ny, ln.nx
			drawLine(img, Point{(px - 400*dx) * fac, (py - 400*dy) * fac}, Point{(px + 400*dx) * fac, (py + 400*dy) * fac}, color.NRGBA{0, 0, 255, 255})
		}
		tq := toQuad(smp.Corners)
		for k := 0; k < 4; k++ {
			drawLine(img, tq[k], tq[(k+1)&3], color.NRGBA{0, 255, 0, 255})
			if r.Found {
				drawLine(img, r.Quad[k], r.Quad[(k+1)&3], color.NRGBA{255, 0, 0, 255})
			}
		}
		fn := filepath.Join(*debugDir, fmt.Sprintf("case%d.png", i))
		fh, _ := os.Create(fn)
		_ = png.Encode(fh, img)
		fh.Close()
		sm := &image.Gray{Pix: a.det.small, Stride: a.det.sw, Rect: image.Rect(0, 0, a.det.sw, a.det.sh)}
		fh, _ = os.Create(filepath.Join(*debugDir, fmt.Sprintf("small%d.png", i)))
		_ = png.Encode(fh, sm)
		fh.Close()
		explain(t, a, tq, qfmt(d.Format))
		t.Logf("case %d: found=%v lines=%d pairs=%d edges=%d quad=%v truth=%v", i, r.Found, a.det.nLines, a.det.nPairs, len(a.det.edges), r.Quad, tq)
		_ = math.Pi
	})
}

// explain prints, for each true side, the detected line nearest to both of
// its ends, and scores the outline of those four lines as best would, term
// by term (and whether its two parallel pairs were formed).
func explain(t *testing.T, a *Analyzer, truth Quad, f Format) {
	d := a.det
	ts := truth.Scale(1 / float64(d.fac))
	cx, cy := float64(d.sw)/2, float64(d.sh)/2
	var idx [4]int
	for s := 0; s < 4; s++ {
		p, q := ts[s], ts[(s+1)&3]
		best, bd := -1, 1e9
		for li := 0; li < d.nLines; li++ {
			ln := d.lines[li]
			dd := math.Abs((p.X-cx)*ln.nx+(p.Y-cy)*ln.ny-ln.rho) + math.Abs((q.X-cx)*ln.nx+(q.Y-cy)*ln.ny-ln.rho)
			if dd < bd {
				best, bd = li, dd
			}
		}
		idx[s] = best
		ln := d.lines[best]
		t.Logf("side %d: line %d (theta %.1f rho %.1f votes %d) end dists sum %.2f", s, best, ln.theta*180/math.Pi, ln.rho, ln.votes, bd)
	}
	var pts [4]Point
	for s := 0; s < 4; s++ {
		pts[s], _ = intersect(&d.lines[idx[(s+3)&3]], &d.lines[idx[s]], cx, cy)
	}
	var sup float64
	for s := 0; s < 4; s++ {
		u, v := pts[s], pts[(s+1)&3]
		ss := d.segSupport(idx[s], u, v)
		ex := d.extSupport(idx[s], u, v)
		sup += d.sideTerm(idx[s], ss, u, v) - extPenalty*ex
		t.Logf("  side %d: support %.2f len %.1f end %.2f ext %.1f", s, ss, dist(u, v), d.endFactor(idx[s], u, v), ex)
	}
	q, ok := orderCyclic(pts)
	t.Logf("quad from lines: %v ok=%v aspect=%.3f target %.3f area=%.0f sup=%.1f pairs: %v %v", q, ok,
		estimateAspect(q, cx, cy, 0.85*math.Max(float64(d.sw), float64(d.sh))), f.Aspect(), q.Area(), sup,
		pairOK(d, idx[0], idx[2]), pairOK(d, idx[1], idx[3]))
}

// pairOK reports whether lines i and j were paired as parallel sides.
func pairOK(d *detector, i, j int) bool {
	for k := 0; k < d.nPairs; k++ {
		p := d.pairs[k]
		if (p.a == i && p.b == j) || (p.a == j && p.b == i) {
			return true
		}
	}
	return false
}

func TestDebugCands(t *testing.T) {
	if *debugDir == "" {
		t.Skip("debug")
	}
	for _, s := range strings.Split(*debugCases, ",") {
		i, _ := strconv.Atoi(s)
		smp, d := renderCapture(t, i)
		a := NewAnalyzer(nil)
		var r FrameResult
		_ = a.Analyze(&r, grayOf(smp.Image), qfmt(d.Format))
		t.Logf("case %d cands=%d lines=%d", i, len(a.det.cands), a.det.nLines)
		for li := 0; li < a.det.nLines; li++ {
			ln := a.det.lines[li]
			t.Logf("  line %d theta=%.0f rho=%.1f votes=%d", li, ln.theta*180/math.Pi, ln.rho, ln.votes)
		}
	}
}

// TestDebugCategories classifies the failures of the first -quality.n captures.
func TestDebugCategories(t *testing.T) {
	if *debugDir == "" {
		t.Skip("debug")
	}
	cnt := map[string]int{}
	for i := *accFrom; i < *accFrom+*accN; i++ {
		smp, d := renderCapture(t, i)
		f := qfmt(d.Format)
		truth := toQuad(smp.Corners)
		a := NewAnalyzer(&Options{NoRefine: true})
		var r FrameResult
		debugAnalyze(a, &r, smp.Image, f)
		ce := math.Inf(1)
		if r.Found {
			m, dg := cornerErr(r.Quad, truth)
			ce = m / dg
		}
		a2 := NewAnalyzer(nil)
		var r2 FrameResult
		debugAnalyze(a2, &r2, smp.Image, f)
		ce2 := math.Inf(1)
		if r2.Found {
			m, dg := cornerErr(r2.Quad, truth)
			ce2 = m / dg
		}
		dt := a.det
		fac := float64(dt.fac)
		ts := truth.Scale(1 / fac)
		cx, cy := float64(dt.sw)/2, float64(dt.sh)/2
		var idx [4]int
		var ld [4]float64
		for s := 0; s < 4; s++ {
			p, q := ts[s], ts[(s+1)&3]
			m := Point{(p.X + q.X) / 2, (p.Y + q.Y) / 2}
			th := math.Atan2(q.Y-p.Y, q.X-p.X) + math.Pi/2
			best, bd := -1, 1e9
			for li := 0; li < dt.nLines; li++ {
				ln := dt.lines[li]
				dd := math.Abs((m.X-cx)*ln.nx+(m.Y-cy)*ln.ny-ln.rho) + 100*angDiff(th, ln.theta)
				if dd < bd {
					best, bd = li, dd
				}
			}
			idx[s], ld[s] = best, bd
		}
		minSup := 9.0
		var pts [4]Point
		for s := 0; s < 4; s++ {
			pts[s], _ = intersect(&dt.lines[idx[(s+3)&3]], &dt.lines[idx[s]], cx, cy)
		}
		var sups [4]float64
		for s := 0; s < 4; s++ {
			sups[s] = dt.segSupport(idx[s], pts[s], pts[(s+1)&3])
			minSup = math.Min(minSup, sups[s])
		}
		tq, _ := orderCyclic(pts)
		asp := estimateAspect(tq, cx, cy, 0.85*math.Max(float64(dt.sw), float64(dt.sh)))
		maxLd := math.Max(math.Max(ld[0], ld[1]), math.Max(ld[2], ld[3]))
		cat := "ok"
		switch {
		case ce2 <= 0.015:
		case ce <= 0.015:
			cat = "refine-broke"
		case maxLd > 4:
			cat = "line-missing"
		case minSup < minSideSupport:
			cat = "weak-support"
		default:
			cat = "wrong-choice"
		}
		cnt[cat]++
		if cat != "ok" {
			t.Logf("#%d %v %v: %s coarse=%.2f%% refined=%.2f%% maxLineDist=%.1f minSup=%.2f trueAspect=%.3f/%.3f ld=%.1f sup=%.2f", i, d.Background, d.Format, cat, 100*ce, 100*ce2, maxLd, minSup, asp, f.Aspect(), ld, sups)
		}
	}
	t.Logf("%v", cnt)
}

// TestDebugTop logs the candidate outlines kept for the final choice.
func TestDebugTop(t *testing.T) {
	debugEach(t, func(i int, smp synth.Sample, d synth.Doc, a *Analyzer, r *FrameResult) {
		tq := toQuad(smp.Corners).Scale(1 / float64(a.det.fac))
		t.Logf("case %d truth(small)=%v", i, tq)
		for k := 0; k < a.det.nTop; k++ {
			c := a.det.top[k]
			fPrior := 0.85 * math.Max(float64(a.det.sw), float64(a.det.sh))
			var fin, asp [nModes]float64
			for mode := range nModes {
				var e Quad
				var ok bool
				e, asp[mode], ok = a.det.finalCand(&c, mode, fPrior)
				fin[mode] = math.Inf(-1)
				if ok {
					var ft [nRank]float64
					a.det.rankFeatures(&ft, &c, e, mode, asp[mode])
					fin[mode] = rankScore(a.det.rankWeights(), &ft)
				}
			}
			t.Logf("  top %d sup=%.1f pre=%.1f minS=%.2f final=%.1f/%.1f/%.1f aspect=%.3f/%.3f/%.3f q=%v", k, c.sup, c.pre, c.minS, fin[0], fin[1], fin[2], asp[0], asp[1], asp[2], c.q)
		}
		m, dg := cornerErr(r.Quad, toQuad(smp.Corners))
		t.Logf("  result %v err %.2f%%", r.Quad.Scale(1/float64(a.det.fac)), 100*m/dg)
	})
}
