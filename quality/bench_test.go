package quality

import (
	"image"
	"testing"

	"github.com/globalgateway/ggcapture/internal/synth"
)

func benchFrame(b testing.TB) (synth.Sample, *image.Gray) { return benchFrameSize(b, 1280, 720) }

// benchFrameSize is benchFrame's scene in a w x h frame (the card at the
// same share of the frame).
func benchFrameSize(b testing.TB, w, h int) (synth.Sample, *image.Gray) {
	smp, err := synth.Render(synth.Doc{Format: synth.ID1, Seed: 11, Background: synth.Desk, TiltX: 8, TiltY: -6, Roll: 3, Width: w, Height: h})
	if err != nil {
		b.Fatal(err)
	}
	return smp, toGray(smp.Image)
}

// BenchmarkAnalyze720p: one 1280x720 luma frame (synthetic card on a desk).
func BenchmarkAnalyze720p(b *testing.B) {
	_, g := benchFrame(b)
	a := NewAnalyzer(nil)
	var r FrameResult
	if err := a.Analyze(&r, g, FormatID1); err != nil || !r.Found {
		b.Fatal("not found", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = a.Analyze(&r, g, FormatID1)
	}
}

func BenchmarkDetectQuad720p(b *testing.B) {
	smp, _ := benchFrame(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok := DetectQuad(smp.Image, FormatID1); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkCropDeskew(b *testing.B) {
	smp, _ := benchFrame(b)
	q := toQuad(smp.Corners)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := CropDeskew(smp.Image, q, FormatID1, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMeasure(b *testing.B) {
	smp, _ := benchFrame(b)
	doc, err := CropDeskew(smp.Image, toQuad(smp.Corners), FormatID1, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = Measure(doc, 250)
	}
}

// BenchmarkAnalyzeSynthSet: Analyze cycling over the first 20 captures of the
// accuracy set (cluttered backgrounds, perspective), the cost of the
// candidate search on hard frames rather than on one easy frame.
func BenchmarkAnalyzeSynthSet(b *testing.B) { benchSynthSet(b, false) }

// BenchmarkAnalyzeColorSynthSet: BenchmarkAnalyzeSynthSet with 4:2:0 chroma,
// the frames of the VideoFrame path (the candidate lines' threshold is lower
// with chroma, so more lines enter the search).
func BenchmarkAnalyzeColorSynthSet(b *testing.B) { benchSynthSet(b, true) }

// benchSynthSet times Analyze (AnalyzeColor with colour) cycling over the
// first 20 captures of the accuracy set.
func benchSynthSet(b *testing.B, colour bool) {
	type frame struct {
		g *image.Gray
		c *Chroma
		f Format
	}
	var frames []frame
	for i := 0; i < 20; i++ {
		s, d := renderCapture(b, i)
		fr := frame{f: qfmt(d.Format)}
		if colour {
			fr.g, fr.c = yuv420(s.Image)
		} else {
			fr.g = toGray(s.Image)
		}
		frames = append(frames, fr)
	}
	a := NewAnalyzer(nil)
	var r FrameResult
	analyze := func(fr *frame) {
		if colour {
			_ = a.AnalyzeColor(&r, fr.g, fr.c, fr.f)
		} else {
			_ = a.Analyze(&r, fr.g, fr.f)
		}
	}
	analyze(&frames[0])
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		analyze(&frames[i%len(frames)])
	}
}
