package quality

import (
	"testing"
)

func BenchmarkAnalyze720p(b *testing.B) {
	q := Quad{{250, 140}, {1010, 170}, {990, 600}, {270, 620}}
	g := fixture(1280, 720, q, FormatID1, 1)
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
