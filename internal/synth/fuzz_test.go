package synth

import (
	"math"
	"testing"
)

// FuzzRender checks that Render never panics and that whatever it accepts
// comes back with a well-formed sample (the size asked for, opaque, the DPI
// definition holding).
func FuzzRender(f *testing.F) {
	f.Add(int64(1), uint8(0), uint8(0), 64, 48, 20.0, 0.5, 0.5, 10.0, -5.0, 3.0, 0.5, 0.05, 2.0, "I<UTO")
	f.Add(int64(2), uint8(1), uint8(4), 40, 30, 0.0, 0.1, 0.9, 59.0, 59.0, 359.0, 0.0, 1.0, 0.0, "")
	f.Add(int64(3), uint8(0), uint8(2), 17, 200, 3000.0, -0.9, 1.9, -60.0, 0.0, 0.0, 49.0, 0.0, 127.0, "<<<<")
	f.Fuzz(func(t *testing.T, seed int64, format, bg uint8, w, h int, dpi, cx, cy, tx, ty, roll, blur, glare, noise float64, mrz string) {
		if w <= 0 || h <= 0 || w > 160 || h > 160 || blur > 5 {
			return // keep each run cheap; larger sizes are covered by unit tests
		}
		d := Doc{Format: Format(format % 3), Background: Background(bg % 6), Seed: seed, Width: w, Height: h,
			DPI: dpi, CenterX: cx, CenterY: cy, TiltX: tx, TiltY: ty, Roll: roll, BlurSigma: blur, Glare: glare, Noise: noise}
		if mrz != "" {
			d.MRZ = []string{mrz}
		}
		s, err := Render(d)
		if err != nil {
			return
		}
		if s.Image.Rect.Dx() != w || s.Image.Rect.Dy() != h {
			t.Fatalf("size %v, want %dx%d", s.Image.Rect, w, h)
		}
		for i := 3; i < len(s.Image.Pix); i += 4 {
			if s.Image.Pix[i] != 255 {
				t.Fatal("transparent pixel")
			}
		}
		if got := TrueDPI(s.Corners, s.Format); math.Abs(got-s.DPI) > 1e-6*math.Max(1, got) {
			t.Fatalf("DPI %v vs corners %v", s.DPI, got)
		}
	})
}
