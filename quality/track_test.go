package quality

import (
	"image"
	"math"
	"testing"

	"github.com/globalgateway/ggcapture/internal/synth"
)

// TestTrackFrames: with TrackFrames 2, a still scene is searched on frames
// 0, 3, 6 … and followed in between, the followed quads matching the
// searched one; Reset and a change of format force a search.
func TestTrackFrames(t *testing.T) {
	s, _ := benchFrame(t)
	g, c := yuv420(s.Image)
	a := NewAnalyzer(&Options{TrackFrames: 2})
	var first FrameResult
	for i := 0; i < 7; i++ {
		var r FrameResult
		if err := a.AnalyzeColor(&r, g, c, FormatID1); err != nil || !r.Found {
			t.Fatalf("frame %d: found=%v err=%v", i, r.Found, err)
		}
		if want := i%3 != 0; r.Tracked != want {
			t.Errorf("frame %d: tracked=%v, want %v", i, r.Tracked, want)
		}
		if i == 0 {
			first = r
			continue
		}
		for k := range r.Quad {
			if d := dist(r.Quad[k], first.Quad[k]); d > 0.5 {
				t.Errorf("frame %d corner %d: %v, searched %v (%.2f px apart)", i, k, r.Quad[k], first.Quad[k], d)
			}
		}
		if math.Abs(r.DPI-first.DPI) > 0.005*first.DPI || math.Abs(r.Glare-first.Glare) > 0.5 || math.Abs(r.Sharpness-first.Sharpness) > 0.5 {
			t.Errorf("frame %d: metrics %+v, searched %+v", i, r.Metrics, first.Metrics)
		}
	}
	var r FrameResult
	a.Reset()
	if _ = a.AnalyzeColor(&r, g, c, FormatID1); r.Tracked {
		t.Error("followed right after Reset")
	}
	if _ = a.AnalyzeColor(&r, g, c, FormatID3); r.Tracked {
		t.Error("followed across a change of format")
	}
	// off by default
	b := NewAnalyzer(nil)
	for i := 0; i < 2; i++ {
		if _ = b.AnalyzeColor(&r, g, c, FormatID1); r.Tracked {
			t.Error("followed without TrackFrames")
		}
	}
}

// TestTrackMoves: a card that moves a few pixels between frames is followed
// to its new place; one that jumps further, or leaves the frame, is searched
// for again (and not found when gone).
func TestTrackMoves(t *testing.T) {
	doc := synth.Doc{Format: synth.ID1, Side: "Front", Seed: 7, Width: 1280, Height: 720, DPI: 260,
		TiltX: 6, TiltY: -4, Roll: 2, Background: synth.Clutter, Noise: 2}
	render := func(cx, cy float64) synth.Sample {
		d := doc
		d.CenterX, d.CenterY = cx, cy
		s, err := synth.Render(d)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a := NewAnalyzer(&Options{TrackFrames: 2})
	analyse := func(img image.Image) FrameResult {
		var r FrameResult
		g, c := yuv420(img)
		if err := a.AnalyzeColor(&r, g, c, FormatID1); err != nil {
			t.Fatal(err)
		}
		return r
	}
	s0 := render(0.5, 0.5)
	if r := analyse(s0.Image); !r.Found || r.Tracked {
		t.Fatalf("first frame: found=%v tracked=%v", r.Found, r.Tracked)
	}
	// 8 px right, 4 px down
	s1 := render(0.5+8.0/1280, 0.5+4.0/720)
	r := analyse(s1.Image)
	if !r.Found || !r.Tracked {
		t.Fatalf("moved 9 px: found=%v tracked=%v", r.Found, r.Tracked)
	}
	if m, diag := cornerErr(r.Quad, toQuad(s1.Corners)); m/diag > 0.005 {
		t.Errorf("followed quad off by %.2f %% of the diagonal", 100*m/diag)
	}
	// gone (a plain grey frame): searched, nothing found
	grey := image.NewGray(image.Rect(0, 0, 1280, 720))
	for i := range grey.Pix {
		grey.Pix[i] = 128
	}
	if r := analyse(grey); r.Found || r.Tracked {
		t.Errorf("empty frame: found=%v tracked=%v", r.Found, r.Tracked)
	}
	// back, then a jump of 60 px: searched, found at its new place
	if r := analyse(s0.Image); r.Tracked {
		t.Error("followed after a frame without the document")
	}
	s3 := render(0.5+60.0/1280, 0.5)
	r = analyse(s3.Image)
	if !r.Found || r.Tracked {
		t.Fatalf("jumped 60 px: found=%v tracked=%v", r.Found, r.Tracked)
	}
	if m, diag := cornerErr(r.Quad, toQuad(s3.Corners)); m/diag > 0.015 {
		t.Errorf("after the jump: quad off by %.2f %% of the diagonal", 100*m/diag)
	}
}

// TestTrackSynthSet: on the captures of the accuracy set, two followed
// frames after the searched one (the same capture: a still scene) are as
// accurate as the search: as many quads within 1.5 % of the diagonal, and
// the mean corner error of the followed quads at most 0.05 % of the
// diagonal above the searched ones'. At least 90 % of the captures found
// by a search are followed (198/200 since following keeps each side's
// channel and polarity; 177 before).
func TestTrackSynthSet(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 24
	}
	var found, followed [3]int
	var okN [3]int
	var sumErr [3]float64
	for i := 0; i < n; i++ {
		s, d := renderCapture(t, i)
		g, c := yuv420(s.Image)
		f := qfmt(d.Format)
		a := NewAnalyzer(&Options{TrackFrames: 2})
		var r [3]FrameResult
		for k := range r {
			_ = a.AnalyzeColor(&r[k], g, c, f)
		}
		if !r[0].Found {
			continue
		}
		found[0]++
		if !r[1].Tracked || !r[2].Tracked {
			if r[1].Found {
				found[1]++
			}
			continue
		}
		found[1]++
		for k := range r {
			followed[k]++
			m, diag := cornerErr(r[k].Quad, toQuad(s.Corners))
			sumErr[k] += m / diag
			if m/diag <= 0.015 {
				okN[k]++
			}
		}
	}
	t.Logf("searched and found %d, followed twice %d; within 1.5 %%: searched %d, followed %d then %d; mean corner error %.3f / %.3f / %.3f %% of the diagonal",
		found[0], followed[0], okN[0], okN[1], okN[2], 100*sumErr[0]/float64(max(1, followed[0])), 100*sumErr[1]/float64(max(1, followed[0])), 100*sumErr[2]/float64(max(1, followed[0])))
	if found[1] < found[0] {
		t.Errorf("lost on the next frame: %d of %d", found[0]-found[1], found[0])
	}
	if followed[0] < found[0]*9/10 {
		t.Errorf("followed only %d of %d", followed[0], found[0])
	}
	for k := 1; k < 3; k++ {
		if okN[k] < okN[0] {
			t.Errorf("follow %d: %d within tolerance, searched %d", k, okN[k], okN[0])
		}
		if sumErr[k] > sumErr[0]+0.0005*float64(followed[0]) {
			t.Errorf("follow %d: mean corner error %.3f %% > searched %.3f %% + 0.05", k, 100*sumErr[k]/float64(followed[0]), 100*sumErr[0]/float64(followed[0]))
		}
	}
}

// BenchmarkAnalyzeTracked720p: AnalyzeColor720p with TrackFrames 2: one
// searched frame and two followed ones in every three.
func BenchmarkAnalyzeTracked720p(b *testing.B) {
	benchColour(b, &Options{TrackFrames: 2}, false)
}

// BenchmarkAnalyzeFollow720p: only followed frames.
func BenchmarkAnalyzeFollow720p(b *testing.B) {
	benchColour(b, &Options{TrackFrames: math.MaxInt}, true)
}

// BenchmarkAnalyzeFollow1080p: AnalyzeFollow720p in a 1920x1080 frame.
func BenchmarkAnalyzeFollow1080p(b *testing.B) {
	benchColourSize(b, 1920, 1080, &Options{TrackFrames: math.MaxInt}, true)
}
