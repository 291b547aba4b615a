package synth

import "testing"

func benchRender(b *testing.B, d Doc) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(d); err != nil {
			b.Fatal(err)
		}
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
