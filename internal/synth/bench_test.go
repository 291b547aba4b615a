package synth

import "testing"

// benchRender also reports the process CPU time per render (Linux), which
// on a shared machine says more than wall time.
func benchRender(b *testing.B, d Doc) {
	b.ReportAllocs()
	c0 := processCPU()
	n := 0
	for b.Loop() {
		if _, err := Render(d); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if c := processCPU() - c0; c > 0 && n > 0 {
		b.ReportMetric(float64(c.Microseconds())/1000/float64(n), "cpu-ms/op")
	}
}

func BenchmarkRenderPlain(b *testing.B) { benchRender(b, Doc{Seed: 1}) }
func BenchmarkRenderClutter(b *testing.B) {
	benchRender(b, Doc{Seed: 1, Background: Clutter, TiltX: 12, Roll: 5})
}
func BenchmarkRenderWood(b *testing.B)   { benchRender(b, Doc{Seed: 1, Background: Wood, TiltY: 12}) }
func BenchmarkRenderFabric(b *testing.B) { benchRender(b, Doc{Seed: 1, Background: Fabric}) }
func BenchmarkRenderDesk(b *testing.B)   { benchRender(b, Doc{Seed: 1, Background: Desk}) }
func BenchmarkRenderPassport(b *testing.B) {
	benchRender(b, Doc{Seed: 1, Format: ID3, Background: Clutter, TiltX: -10})
}
func BenchmarkRenderAllEffects(b *testing.B) {
	benchRender(b, Doc{Seed: 1, Background: Desk, BlurSigma: 1.5, Glare: 0.05, Noise: 4, Vignette: 0.5, Shadow: 0.5})
}
