package quality

import (
	"image"
	"math"
	"testing"
)

// FuzzAnalyze feeds arbitrary sizes, strides, offsets and bytes to Analyze,
// DetectQuad, Sharpness and Glare: nothing may panic.
func FuzzAnalyze(f *testing.F) {
	f.Add(uint16(64), uint16(48), uint16(0), int16(0), []byte{1, 2, 3, 200, 7})
	f.Add(uint16(0), uint16(0), uint16(0), int16(0), []byte{})
	f.Add(uint16(1), uint16(300), uint16(5), int16(3), []byte{255})
	f.Add(uint16(321), uint16(17), uint16(2), int16(-4), []byte{0, 255, 0, 255})
	a := NewAnalyzer(nil)
	f.Fuzz(func(t *testing.T, w, h, pad uint16, off int16, data []byte) {
		W, H := int(w%700), int(h%500)
		stride := W + int(pad%9)
		n := stride * H
		if n > 1<<20 {
			return
		}
		pix := make([]byte, n)
		if len(data) > 0 {
			for i := range pix {
				pix[i] = data[i%len(data)] ^ byte(i*7/(1+int(pad%5)))
			}
		}
		// sometimes a truncated buffer
		if off < 0 && len(pix) > 0 {
			pix = pix[:len(pix)/2]
		}
		o := int(off % 50)
		g := &image.Gray{Pix: pix, Stride: stride, Rect: image.Rect(o, o, o+W, o+H)}
		var r FrameResult
		_ = a.Analyze(&r, g, Format(int(pad%3)))
		if r.Found && !r.Quad.Valid() {
			t.Fatalf("found invalid quad %v", r.Quad)
		}
		_, _ = DetectQuad(g, FormatID1)
		_ = Sharpness(g, image.Rect(int(off), 0, W, H))
		q := Quad{{float64(off), 0}, {float64(W), math.NaN()}, {float64(W), float64(H)}, {0, float64(H)}}
		_ = Glare(g, q)
		_ = Glare(g, Quad{{1, 1}, {float64(W) - 1, 1}, {float64(W) - 1, float64(H) - 1}, {1, float64(H) - 1}})
	})
}

// FuzzQuad feeds arbitrary quads (NaN, huge, degenerate) to DPI, Glare,
// CropDeskew: nothing may panic and bad quads are rejected.
func FuzzQuad(f *testing.F) {
	f.Add(10.0, 10.0, 90.0, 10.0, 90.0, 60.0, 10.0, 60.0, 0)
	f.Add(math.NaN(), 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1)
	f.Add(-1e300, 0.0, 1e300, 0.0, 5.0, 5.0, 0.0, 3.0, 0)
	img := image.NewNRGBA(image.Rect(0, 0, 64, 48))
	g := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 13)
	}
	f.Fuzz(func(t *testing.T, x0, y0, x1, y1, x2, y2, x3, y3 float64, maxLong int) {
		q := Quad{{x0, y0}, {x1, y1}, {x2, y2}, {x3, y3}}
		_ = DPI(q, FormatID1)
		_ = Glare(g, q)
		out, err := CropDeskew(img, q, FormatID3, maxLong%3000)
		if err == nil && (out == nil || !q.Valid()) {
			t.Fatalf("accepted bad quad %v", q)
		}
	})
}
