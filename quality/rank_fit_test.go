package quality

import (
	"flag"
	"math"
	"testing"

	"github.com/globalgateway/ggcapture/internal/par"
)

var fitRank = flag.Bool("quality.fitrank", false, "TestFitRank: fit the final choice's weights (rankW) on generated captures and print them")
var fitLuma = flag.Bool("quality.fitluma", false, "TestFitRank: fit the weights for frames without chroma (rankWLuma) instead")
var fitFrom = flag.Int("quality.fitfrom", 1000, "TestFitRank: first fitting capture (2000 of them; the next 600 are held out)")

// rankCase is one capture's final-choice candidates: their features and
// whether each lies within 1.5 % of the true corners (before refinement).
type rankCase struct {
	x    [][nRank]float64
	good []bool
}

// rankCases renders captures from..from+n-1 (colour, or luma alone) and
// collects the candidates best ranks, in parallel.
func rankCases(t *testing.T, from, n int, luma bool) []rankCase {
	out := make([]rankCase, n)
	par.Each(n, func(i int) {
		var rc rankCase
		finalCands(t, from+i, luma, func(_ *topCand, _ int, ft *[nRank]float64, err float64) {
			rc.x = append(rc.x, *ft)
			rc.good = append(rc.good, err <= 0.015)
		})
		out[i] = rc
	})
	return out
}

// finalCands analyses capture i (colour, or luma alone) and calls fn for each outline of
// the final choice: its candidate, its mode (modeStrict...), its
// features and its corner error (fraction of the diagonal, before
// refinement).
func finalCands(t testing.TB, i int, luma bool, fn func(tc *topCand, mode int, ft *[nRank]float64, err float64)) {
	smp, d := renderCapture(t, i)
	a := NewAnalyzer(nil)
	var r FrameResult
	dt := a.det
	if luma {
		_ = a.Analyze(&r, grayOf(smp.Image), qfmt(d.Format))
	} else {
		g, c := yuv420(smp.Image)
		_ = a.AnalyzeColor(&r, g, c, qfmt(d.Format))
		// The frame's chroma, as best has it while it ranks (AnalyzeColor
		// lets it go when it returns): without it the side contrast would be
		// measured on luma alone.
		dt.chroma = c
		defer func() { dt.chroma = nil }()
	}
	truth := toQuad(smp.Corners).Scale(1 / float64(dt.fac))
	fPrior := 0.85 * math.Max(float64(dt.sw), float64(dt.sh))
	for k := 0; k < dt.nTop; k++ {
		for mode := range nModes {
			tc := &dt.top[k]
			e, asp, ok := dt.finalCand(tc, mode, fPrior)
			if !ok {
				continue
			}
			var ft [nRank]float64
			dt.rankFeatures(&ft, tc, e, mode, asp)
			m, dg := cornerErr(e, truth)
			fn(tc, mode, &ft, m/dg)
		}
	}
}

// picks counts the cases whose highest-scoring candidate under w is good,
// and the cases that have a good candidate at all.
func picks(cs []rankCase, w *[nRank]float64) (good, any int) {
	for _, c := range cs {
		bi, bs := -1, math.Inf(-1)
		has := false
		for j := range c.x {
			if s := rankScore(w, &c.x[j]); s > bs {
				bi, bs = j, s
			}
			has = has || c.good[j]
		}
		if bi >= 0 && c.good[bi] {
			good++
		}
		if has {
			any++
		}
	}
	return good, any
}

// fitWeights maximises, over the cases with a good candidate, the mean log
// of the softmax probability of the good candidates (features standardised,
// a little L2, Adam), and returns the weights in the features' own units.
func fitWeights(cs []rankCase) [nRank]float64 {
	var mu, sd [nRank]float64
	n := 0.0
	for _, c := range cs {
		for _, x := range c.x {
			for i, v := range x {
				mu[i] += v
				sd[i] += v * v
			}
			n++
		}
	}
	for i := range mu {
		mu[i] /= n
		sd[i] = math.Sqrt(math.Max(sd[i]/n-mu[i]*mu[i], 1e-12))
	}
	var w, m, v [nRank]float64
	const lr, l2, iters = 0.05, 1e-3, 3000
	var withGood []rankCase // the cases the objective covers
	for _, c := range cs {
		for _, gd := range c.good {
			if gd {
				withGood = append(withGood, c)
				break
			}
		}
	}
	s := make([]float64, 0, 2*topK)
	for it := 1; it <= iters; it++ {
		var g [nRank]float64
		for _, c := range withGood {
			s = s[:0]
			mx := math.Inf(-1)
			for _, x := range c.x {
				v := 0.0
				for i := range w {
					v += w[i] * (x[i] - mu[i]) / sd[i]
				}
				s = append(s, v)
				mx = math.Max(mx, v)
			}
			var za, zg float64
			for j := range s {
				e := math.Exp(s[j] - mx)
				za += e
				if c.good[j] {
					zg += e
				}
			}
			for j, x := range c.x {
				e := math.Exp(s[j] - mx)
				p := e / za
				if c.good[j] {
					p -= e / zg
				}
				for i := range g {
					g[i] += p * (x[i] - mu[i]) / sd[i]
				}
			}
		}
		for i := range w {
			gi := g[i]/float64(len(cs)) + l2*w[i]
			m[i] = 0.9*m[i] + 0.1*gi
			v[i] = 0.999*v[i] + 0.001*gi*gi
			mh := m[i] / (1 - math.Pow(0.9, float64(it)))
			vh := v[i] / (1 - math.Pow(0.999, float64(it)))
			w[i] -= lr * mh / (math.Sqrt(vh) + 1e-8)
		}
	}
	var out [nRank]float64
	for i := range w {
		out[i] = w[i] / sd[i] // (the offset mu only shifts every score alike)
	}
	return out
}

// TestFitRank fits rankW again: on captures -quality.fitfrom .. +1999, held
// out on the next 600. It takes a few minutes; run it with -quality.fitrank
// after changing a feature, then copy the printed weights into rank.go.
func TestFitRank(t *testing.T) {
	if !*fitRank {
		t.Skip("set -quality.fitrank to fit the final choice's weights")
	}
	fit := rankCases(t, *fitFrom, 2000, *fitLuma)
	held := rankCases(t, *fitFrom+2000, 600, *fitLuma)
	cur := &rankW
	if *fitLuma {
		cur = &rankWLuma
	}
	w := fitWeights(fit)
	for _, set := range []struct {
		name string
		cs   []rankCase
	}{{"fitting", fit}, {"held out", held}} {
		now, any := picks(set.cs, cur)
		got, _ := picks(set.cs, &w)
		t.Logf("%s: %d captures, %d with a good candidate; picks within 1.5 %%: now %d, fitted %d", set.name, len(set.cs), any, now, got)
	}
	t.Logf("fitted weights: %.4g", w)
}
