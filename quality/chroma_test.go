package quality

import (
	"errors"
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/globalgateway/ggcapture/internal/synth"
)

// TestChromaValidation: a chroma description that does not fit its slices
// is ErrBadImage, never a panic.
func TestChromaValidation(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 64, 48))
	p := make([]byte, 32*24)
	tests := []struct {
		name string
		c    Chroma
		ok   bool
	}{
		{"planar", Chroma{Cb: p, Cr: p, Stride: 32, Step: 1, W: 32, H: 24}, true},
		{"interleaved", Chroma{Cb: make([]byte, 64*24), Cr: make([]byte, 64*24-1), Stride: 64, Step: 2, W: 32, H: 24}, true},
		{"short Cr", Chroma{Cb: p, Cr: p[:100], Stride: 32, Step: 1, W: 32, H: 24}, false},
		{"stride too small", Chroma{Cb: p, Cr: p, Stride: 16, Step: 1, W: 32, H: 24}, false},
		{"step 3", Chroma{Cb: p, Cr: p, Stride: 32, Step: 3, W: 8, H: 8}, false},
		{"zero size", Chroma{Cb: p, Cr: p, Stride: 32, Step: 1}, false},
		{"nil planes", Chroma{Stride: 32, Step: 1, W: 32, H: 24}, false},
	}
	a := NewAnalyzer(nil)
	for _, tc := range tests {
		var r FrameResult
		err := a.AnalyzeColor(&r, g, &tc.c, FormatID1)
		if tc.ok && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !tc.ok && !errors.Is(err, ErrBadImage) {
			t.Errorf("%s: err %v, want ErrBadImage", tc.name, err)
		}
	}
}

// TestChromaLayouts: planar (I420) and interleaved (NV12) chroma of the same
// frame give the same quad, and the colour path finds a card whose header
// band has the luma of the table under it, which luma alone misplaces.
func TestChromaLayouts(t *testing.T) {
	s, _ := renderCapture(t, 54) // red band over a grey desk of its luma
	g, c := yuv420(s.Image)
	nv := make([]byte, 2*c.W*c.H)
	for i := range c.W * c.H {
		nv[2*i], nv[2*i+1] = c.Cb[i], c.Cr[i]
	}
	c2 := &Chroma{Cb: nv, Cr: nv[1:], Stride: 2 * c.W, Step: 2, W: c.W, H: c.H}
	a := NewAnalyzer(nil)
	var r1, r2, r0 FrameResult
	if err := a.AnalyzeColor(&r1, g, c, FormatID1); err != nil {
		t.Fatal(err)
	}
	if err := a.AnalyzeColor(&r2, g, c2, FormatID1); err != nil {
		t.Fatal(err)
	}
	if r1.Quad != r2.Quad {
		t.Errorf("I420 %v != NV12 %v", r1.Quad, r2.Quad)
	}
	if err := a.Analyze(&r0, g, FormatID1); err != nil {
		t.Fatal(err)
	}
	truth := toQuad(s.Corners)
	m1, d := cornerErr(r1.Quad, truth)
	m0, _ := cornerErr(r0.Quad, truth)
	t.Logf("corner error: colour %.2f %%, luma %.2f %% of the diagonal", 100*m1/d, 100*m0/d)
	if !r1.Found || m1/d > 0.015 {
		t.Errorf("colour: found %v, corner error %.2f %%", r1.Found, 100*m1/d)
	}
}

// BenchmarkAnalyzeColor720p: BenchmarkAnalyze720p with 4:2:0 chroma.
func BenchmarkAnalyzeColor720p(b *testing.B) { benchColour(b, nil, false) }

// BenchmarkAnalyzeColor1080p: AnalyzeColor720p's scene in a 1920x1080
// frame, the size the shim asks a camera for first.
func BenchmarkAnalyzeColor1080p(b *testing.B) { benchColourSize(b, 1920, 1080, nil, false) }

// benchColour times AnalyzeColor with opts on the benchmark frame (after a
// first call that must find the card); followed: every timed frame must be
// followed (Options.TrackFrames).
func benchColour(b *testing.B, opts *Options, followed bool) {
	benchColourSize(b, 1280, 720, opts, followed)
}

// benchColourSize is benchColour on the benchmark scene in a w x h frame.
func benchColourSize(b *testing.B, w, h int, opts *Options, followed bool) {
	s, _ := benchFrameSize(b, w, h)
	g, c := yuv420(s.Image)
	a := NewAnalyzer(opts)
	var r FrameResult
	if err := a.AnalyzeColor(&r, g, c, FormatID1); err != nil || !r.Found {
		b.Fatal("not found", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _ = a.AnalyzeColor(&r, g, c, FormatID1); followed && !r.Tracked {
			b.Fatal("not followed")
		}
	}
}

// TestGlareColour: a bright saturated patch (a yellow seal) reads as glare
// from luma alone, not with colour; a white hotspot is glare either way.
func TestGlareColour(t *testing.T) {
	s, err := synth.Render(synth.Doc{Format: synth.ID1, Side: "Front", Seed: 3, Width: 1280, Height: 720, Background: synth.Plain})
	if err != nil {
		t.Fatal(err)
	}
	q := toQuad(s.Corners)
	paint := func(c color.RGBA) image.Image {
		img := image.NewRGBA(s.Image.Bounds())
		draw.Draw(img, img.Rect, s.Image, s.Image.Bounds().Min, draw.Src)
		// a patch of 6 % of the card around its centre
		cx, cy := (q[0].X+q[2].X)/2, (q[0].Y+q[2].Y)/2
		hw, hh := 0.12*(q[1].X-q[0].X), 0.12*(q[3].Y-q[0].Y)
		draw.Draw(img, image.Rect(int(cx-hw), int(cy-hh), int(cx+hw), int(cy+hh)), &image.Uniform{c}, image.Point{}, draw.Src)
		return img
	}
	a := NewAnalyzer(nil)
	for _, tc := range []struct {
		name       string
		c          color.RGBA
		lumaGlare  bool // luma alone reads it as glare
		colorGlare bool
	}{
		{"yellow seal", color.RGBA{255, 255, 60, 255}, true, false},
		{"white hotspot", color.RGBA{255, 255, 255, 255}, true, true},
	} {
		img := paint(tc.c)
		g, c := yuv420(img)
		var rl, rc FrameResult
		if err := a.Analyze(&rl, g, FormatID1); err != nil || !rl.Found {
			t.Fatalf("%s: luma: found %v, %v", tc.name, rl.Found, err)
		}
		if err := a.AnalyzeColor(&rc, g, c, FormatID1); err != nil || !rc.Found {
			t.Fatalf("%s: colour: found %v, %v", tc.name, rc.Found, err)
		}
		t.Logf("%s: glare %.1f from luma, %.1f with colour", tc.name, rl.Glare, rc.Glare)
		if (rl.Glare < 99) != tc.lumaGlare || (rc.Glare < 99) != tc.colorGlare {
			t.Errorf("%s: glare %.1f (luma) / %.1f (colour)", tc.name, rl.Glare, rc.Glare)
		}
	}
}
