package y4m

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"
)

func patches(w, h int, cols []color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	pw := w / len(cols)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, cols[min(x/pw, len(cols)-1)])
		}
	}
	return img
}

func TestLimitedRangeValues(t *testing.T) {
	cols := []color.NRGBA{
		{128, 128, 128, 255}, {255, 255, 255, 255}, {0, 0, 0, 255},
		{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255},
	}
	// expected BT.601 limited-range codes
	want := []struct{ y, cb, cr uint8 }{
		{126, 128, 128}, {235, 128, 128}, {16, 128, 128},
		{81, 90, 240}, {145, 54, 34}, {41, 240, 110},
	}
	img := patches(16*len(cols), 8, cols)
	var buf bytes.Buffer
	if err := Write(&buf, []image.Image{img, img}, 30); err != nil {
		t.Fatal(err)
	}
	hdr := fmt.Sprintf("YUV4MPEG2 W%d H8 F30:1 Ip A1:1 C420jpeg\nFRAME\n", 16*len(cols))
	if !strings.HasPrefix(buf.String(), hdr) {
		t.Fatalf("header %q", buf.String()[:60])
	}
	// Chromium finds the first "FRAME" within the first 200 bytes, then reads
	// fixed-size frames each preceded by exactly "FRAME\n".
	if i := strings.Index(buf.String()[:200], "FRAME"); i != len(hdr)-6 {
		t.Fatalf("first FRAME at %d, want %d", i, len(hdr)-6)
	}
	if n := 16 * len(cols) * 8 * 3 / 2; buf.Len() != 2*(n+6)+len(hdr)-6 {
		t.Fatalf("size %d, want %d", buf.Len(), 2*(n+6)+len(hdr)-6)
	}
	v, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Frames) != 2 || v.Width != 16*len(cols) || v.Height != 8 || v.FPSNum != 30 || v.FPSDen != 1 || v.Colorspace != "420jpeg" {
		t.Fatalf("parsed %+v", v)
	}
	f := v.Frames[1]
	for i, w := range want {
		x, y := i*16+8, 4
		gy, gcb, gcr := f.Y[f.YOffset(x, y)], f.Cb[f.COffset(x, y)], f.Cr[f.COffset(x, y)]
		if d := math.Abs(float64(gy) - float64(w.y)); d > 1 {
			t.Errorf("%v: Y=%d want %d", cols[i], gy, w.y)
		}
		if math.Abs(float64(gcb)-float64(w.cb)) > 1 || math.Abs(float64(gcr)-float64(w.cr)) > 1 {
			t.Errorf("%v: Cb,Cr=%d,%d want %d,%d", cols[i], gcb, gcr, w.cb, w.cr)
		}
	}
	// exact codes for the neutral patches
	if f.Y[f.YOffset(8, 4)] != 126 || f.Y[f.YOffset(24, 4)] != 235 || f.Y[f.YOffset(40, 4)] != 16 {
		t.Errorf("neutral Y codes %d %d %d, want 126 235 16", f.Y[f.YOffset(8, 4)], f.Y[f.YOffset(24, 4)], f.Y[f.YOffset(40, 4)])
	}
	// back to RGB within 2 levels (chroma is subsampled, patches are 16 px wide)
	back := ToNRGBA(f)
	for i, c := range cols {
		g := back.NRGBAAt(i*16+8, 4)
		for k, pair := range [][2]uint8{{g.R, c.R}, {g.G, c.G}, {g.B, c.B}} {
			if math.Abs(float64(pair[0])-float64(pair[1])) > 2 {
				t.Errorf("round trip %v -> %v (channel %d)", c, g, k)
			}
		}
	}
}

func TestChromaAveraged(t *testing.T) {
	// a 2x2 block of red and blue averages to one chroma sample
	img := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	img.SetNRGBA(0, 0, color.NRGBA{255, 0, 0, 255})
	img.SetNRGBA(1, 0, color.NRGBA{0, 0, 255, 255})
	img.SetNRGBA(0, 1, color.NRGBA{255, 0, 0, 255})
	img.SetNRGBA(1, 1, color.NRGBA{0, 0, 255, 255})
	var buf bytes.Buffer
	if err := Write(&buf, []image.Image{img}, 1); err != nil {
		t.Fatal(err)
	}
	v, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// average colour (127.5, 0, 127.5): Cb = 128 + (-37.797+112)/2 = 165.1, Cr = 128 + (112-18.214)/2 = 174.9
	if cb, cr := v.Frames[0].Cb[0], v.Frames[0].Cr[0]; cb != 165 || cr != 175 {
		t.Errorf("Cb,Cr = %d,%d, want 165,175", cb, cr)
	}
}

func TestWriteErrors(t *testing.T) {
	var buf bytes.Buffer
	odd := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	a := image.NewNRGBA(image.Rect(0, 0, 4, 2))
	b := image.NewNRGBA(image.Rect(0, 0, 6, 2))
	for name, err := range map[string]error{
		"none":     Write(&buf, nil, 30),
		"odd":      Write(&buf, []image.Image{odd}, 30),
		"mismatch": Write(&buf, []image.Image{a, b}, 30),
		"fps":      Write(&buf, []image.Image{a}, 0),
		"nil":      Write(&buf, []image.Image{a, nil}, 30),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestReadErrors(t *testing.T) {
	for _, s := range []string{
		"", "hello\n", "YUV4MPEG2 W0 H2\n", "YUV4MPEG2 W4 H2 C444\n", "YUV4MPEG2 W4 H2 Fx\n",
		"YUV4MPEG2 W4 H2\nFRAME\nabc", "YUV4MPEG2 W4 H2\nFRAMX\n", "YUV4MPEG2 W100000 H2\n",
		"YUV4MPEG2 W16384 H16384\nFRAME\n" + strings.Repeat("x", 100),
	} {
		if _, err := Read(strings.NewReader(s)); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
	v, err := Read(strings.NewReader("YUV4MPEG2 W4 H2 F15:2 C420\nFRAME Ixyz\n" + strings.Repeat("\x80", 12)))
	if err != nil || len(v.Frames) != 1 || v.FPSNum != 15 || v.FPSDen != 2 {
		t.Fatalf("%v %+v", err, v)
	}
}

func TestFromImage(t *testing.T) {
	src := patches(400, 400, []color.NRGBA{{255, 255, 255, 255}})
	out := FromImage(src, 1280, 720)
	if out.Rect.Dx() != 1280 || out.Rect.Dy() != 720 {
		t.Fatal(out.Rect)
	}
	// square source: 720x720 centred, black bars of 280 px each side
	for _, c := range []struct {
		x, y int
		v    uint8
	}{{100, 360, 0}, {1180, 360, 0}, {640, 360, 255}, {285, 10, 255}, {275, 10, 0}, {995, 700, 255}, {1005, 700, 0}} {
		if g := out.NRGBAAt(c.x, c.y); g.R != c.v || g.A != 255 {
			t.Errorf("(%d,%d) = %v, want %d", c.x, c.y, g, c.v)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("YUV4MPEG2 W4 H2 F30:1 Ip A1:1 C420jpeg\nFRAME\n" + strings.Repeat("\x80", 12)))
	f.Add([]byte("YUV4MPEG2 W3 H3 C420\nFRAME\n" + strings.Repeat("\x10", 17)))
	f.Add([]byte("YUV4MPEG2 W2 H2\nFRAME\n\x00\x00\x00\x00\x00\x00FRAME\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, fr := range v.Frames {
			if len(fr.Y) != v.Width*v.Height {
				t.Fatalf("Y plane %d for %dx%d", len(fr.Y), v.Width, v.Height)
			}
			_ = ToNRGBA(fr)
		}
	})
}

func BenchmarkWrite720p(b *testing.B) {
	img := patches(1280, 720, []color.NRGBA{{200, 100, 50, 255}, {10, 20, 30, 255}})
	w, _ := NewWriter(discard{}, 1280, 720, 30)
	b.ReportAllocs()
	b.SetBytes(1280 * 720 * 3 / 2)
	for b.Loop() {
		w.last = nil // force the conversion each time
		if err := w.WriteFrame(img); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
