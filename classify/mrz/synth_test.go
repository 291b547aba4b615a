package mrz

import (
	"math/rand"
	"sync"
	"testing"

	"github.com/globalgateway/ggcapture/classify/mrz/internal/render"
	"github.com/globalgateway/ggcapture/internal/par"
)

var fontOnce struct {
	sync.Once
	f   *render.Font
	err error
}

func font(t testing.TB) *render.Font {
	fontOnce.Do(func() { fontOnce.f, fontOnce.err = render.LoadFont() })
	if fontOnce.err != nil {
		t.Skipf("OCR-B font not installed (apt-get install fonts-ocr-b): %v", fontOnce.err)
	}
	return fontOnce.f
}

// testSpec draws test conditions; seeds are disjoint from the generator's.
func testSpec(i int) render.Spec {
	rng := rand.New(rand.NewSource(5_000_000_000 + int64(i)))
	lines := render.RandomMRZ(rng, "")
	return render.Spec{
		Lines:     lines,
		Seed:      rng.Int63(),
		Pitch:     9 + rng.Float64()*21,
		Blur:      rng.Float64() * 1.2,
		Noise:     rng.Float64() * 10,
		Tilt:      rng.Float64() * 0.04,
		Rotate:    (rng.Float64()*2 - 1) * 5,
		Uncropped: i%3 == 2,
		Clutter:   true,
	}
}

// minSynthAccuracy is asserted on the full run (500 MRZs); the -short run
// (40 MRZs, where one missed zone costs 2.5 points) asserts minShortAccuracy.
const (
	minSynthAccuracy = 0.995
	minShortAccuracy = 0.97
)

// TestSyntheticAccuracy renders MRZs in OCR-B with blur, noise, rotation and
// perspective, reads them back and measures character accuracy.
func TestSyntheticAccuracy(t *testing.T) {
	f := font(t)
	n := 500
	if testing.Short() {
		n = 40
	}
	// Render and read in parallel (each sample is independent and seeded),
	// then tally in order.
	type outcome struct {
		sp  render.Spec
		r   *Result
		err error
	}
	res := make([]outcome, n)
	par.Each(n, func(i int) {
		sp := testSpec(i)
		s, err := render.Render(f, sp)
		if err != nil {
			res[i] = outcome{sp, nil, err}
			return
		}
		r, err := Read(s.Image)
		res[i] = outcome{sp, r, err}
	})
	var chars, rawOK, fixedOK, located, exact, valid int
	for i, o := range res {
		sp, r, err := o.sp, o.r, o.err
		for _, l := range sp.Lines {
			chars += len(l)
		}
		if err != nil || len(r.Raw) != len(sp.Lines) || len(r.Raw[0]) != len(sp.Lines[0]) {
			t.Logf("#%d (pitch %.1f blur %.2f noise %.1f rot %.1f uncropped %v): not read: %v", i, sp.Pitch, sp.Blur, sp.Noise, sp.Rotate, sp.Uncropped, err)
			continue
		}
		located++
		all := true
		for li, l := range sp.Lines {
			for ci := 0; ci < len(l); ci++ {
				if r.Raw[li][ci] == l[ci] {
					rawOK++
				}
				if r.Doc.Lines[li][ci] == l[ci] {
					fixedOK++
				} else {
					all = false
				}
			}
		}
		if all {
			exact++
		} else {
			t.Logf("#%d (pitch %.1f blur %.2f noise %.1f): read %q want %q", i, sp.Pitch, sp.Blur, sp.Noise, r.Doc.Lines, sp.Lines)
		}
		if r.Doc.Valid() {
			valid++
		}
	}
	rawAcc := float64(rawOK) / float64(chars)
	acc := float64(fixedOK) / float64(chars)
	t.Logf("synthetic MRZs: %d, located %d, character accuracy %.3f%% raw / %.3f%% after check-digit correction (over all characters, unlocated count as wrong), exact %d, all checks valid %d",
		n, located, 100*rawAcc, 100*acc, exact, valid)
	want := minSynthAccuracy
	if testing.Short() {
		want = minShortAccuracy
	}
	if acc < want {
		t.Errorf("character accuracy %.3f%% < %.1f%%", 100*acc, 100*want)
	}
}
