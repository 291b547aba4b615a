package quality

import "testing"

// BenchmarkAnalyzeStages times each stage of Analyze on one 720p frame.
func BenchmarkAnalyzeStages(b *testing.B) {
	_, g := benchFrame(b)
	a := NewAnalyzer(nil)
	var r FrameResult
	_ = a.Analyze(&r, g, FormatID1)
	d := a.det
	b.Run("downscale", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			d.downscale(g.Pix, g.Stride)
		}
	})
	b.Run("gradients", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			d.gradients()
		}
	})
	b.Run("vote", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			d.vote()
		}
	})
	b.Run("peaks", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			d.peaks()
		}
	})
	b.Run("support", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			d.support()
		}
	})
	b.Run("best", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			d.best(FormatID1)
		}
	})
	q := r.Quad
	b.Run("refine", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			d.refine(g.Pix, g.Stride, 1280, 720, q, 10)
		}
	})
	b.Run("sharp", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			a.sharp.reset()
			a.sharpQuad(g, q, 1280, 720)
		}
	})
	b.Run("glare", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			a.glare.glareArea(d.small, d.sw, d.sw, d.sh, q.Scale(0.25), 1)
		}
	})
	b.Logf("edges %d lines %d pairs %d", len(d.edges), d.nLines, d.nPairs)
}
