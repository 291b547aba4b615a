package quality

import (
	"image"
	"testing"

	"github.com/globalgateway/ggcapture/internal/synth"
)

func benchFrame(b *testing.B) (synth.Sample, *image.Gray) {
	smp, err := synth.Render(synth.Doc{Format: synth.ID1, Seed: 11, Background: synth.Desk, TiltX: 8, TiltY: -6, Roll: 3})
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
