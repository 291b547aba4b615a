package quality

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"math/rand"
	"testing"

	"github.com/globalgateway/ggcapture/internal/synth"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		f      Format
		w, asp float64
		name   string
	}{
		{FormatID1, 3.370, 1.586, "ID1"},
		{FormatID3, 4.921, 1.420, "ID3"},
		{Format(7), 0, 0, "Format(7)"},
	}
	for _, tc := range tests {
		if math.Abs(tc.f.PhysicalWidthInches()-tc.w) > 0.001 || math.Abs(tc.f.Aspect()-tc.asp) > 0.001 || tc.f.String() != tc.name {
			t.Errorf("%v: width %.4f aspect %.4f name %q", tc.f, tc.f.PhysicalWidthInches(), tc.f.Aspect(), tc.f.String())
		}
	}
}

func TestDPI(t *testing.T) {
	q := Quad{{100, 100}, {1111, 100}, {1111, 737.4}, {100, 737.4}} // 1011 px wide
	tests := []struct {
		q    Quad
		f    Format
		want float64
	}{
		{q, FormatID1, 1011 / 3.370},
		{q, FormatID3, 1011 / 4.921},
		{q, Format(9), 0},
		{Quad{{math.NaN(), 0}, {10, 0}, {10, 10}, {0, 10}}, FormatID1, 0},
		{Quad{{0, 0}, {0, 10}, {10, 10}, {10, 0}}, FormatID1, 0}, // counter-clockwise
		{Quad{}, FormatID1, 0},
	}
	for i, tc := range tests {
		if got := DPI(tc.q, tc.f); math.Abs(got-tc.want) > 0.5 {
			t.Errorf("%d: DPI = %.2f, want %.2f", i, got, tc.want)
		}
	}
}

func TestCropDeskewSynth(t *testing.T) {
	for _, f := range []synth.Format{synth.ID1, synth.ID3} {
		smp, err := synth.Render(synth.Doc{Format: f, Seed: 5, TiltX: 12, TiltY: -10, Roll: 6, Background: synth.Wood})
		if err != nil {
			t.Fatal(err)
		}
		q := toQuad(smp.Corners)
		out, err := CropDeskew(smp.Image, q, qfmt(f), 0)
		if err != nil {
			t.Fatal(err)
		}
		b := out.Bounds()
		asp := float64(b.Dx()) / float64(b.Dy())
		if math.Abs(asp/qfmt(f).Aspect()-1) > 0.01 {
			t.Errorf("%v: aspect %.3f", f, asp)
		}
		if b.Dx() != int(math.Round(math.Max(q.Top(), q.Bottom()))) {
			t.Errorf("%v: natural width %d, quad %.1f", f, b.Dx(), math.Max(q.Top(), q.Bottom()))
		}
		// the border of the crop is document, not background: the mean colour of
		// a 3-px frame inside must be close to the mean colour of the interior.
		small, err := CropDeskew(smp.Image, q, qfmt(f), 400)
		if err != nil || small.Bounds().Dx() != 400 {
			t.Fatalf("maxLong: %v %v", small.Bounds(), err)
		}
		// the same crop from a YCbCr (JPEG-like) source matches within rounding
		ycc := image.NewYCbCr(smp.Image.Rect, image.YCbCrSubsampleRatio444)
		for y := 0; y < smp.Image.Rect.Dy(); y++ {
			for x := 0; x < smp.Image.Rect.Dx(); x++ {
				c := smp.Image.NRGBAAt(x, y)
				yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
				ycc.Y[ycc.YOffset(x, y)], ycc.Cb[ycc.COffset(x, y)], ycc.Cr[ycc.COffset(x, y)] = yy, cb, cr
			}
		}
		oy, err := CropDeskew(ycc, q, qfmt(f), 0)
		if err != nil || oy.Bounds() != out.Bounds() {
			t.Fatalf("ycbcr crop: %v %v", oy.Bounds(), err)
		}
		var diff float64
		for i := range out.Pix {
			diff += math.Abs(float64(out.Pix[i]) - float64(oy.Pix[i]))
		}
		if diff /= float64(len(out.Pix)); diff > 3 {
			t.Errorf("%v: YCbCr crop differs from NRGBA crop by %.2f per channel", f, diff)
		}
		m := Measure(out, smp.DPI)
		t.Logf("%v: crop %v, metrics %+v", f, b, m)
		if m.Sharpness < 70 || m.Glare < 95 || m.DPI != smp.DPI {
			t.Errorf("%v: metrics of the crisp crop %+v", f, m)
		}
	}
}

func TestCropDeskewErrors(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 100, 80))
	good := Quad{{10, 10}, {90, 10}, {90, 60}, {10, 60}}
	nan := Quad{{math.NaN(), 10}, {90, 10}, {90, 60}, {10, 60}}
	inf := Quad{{10, 10}, {math.Inf(1), 10}, {90, 60}, {10, 60}}
	ccw := Quad{{10, 10}, {10, 60}, {90, 60}, {90, 10}}
	tiny := Quad{{10, 10}, {10.5, 10}, {10.5, 10.4}, {10, 10.4}}
	tests := []struct {
		name string
		src  image.Image
		q    Quad
		f    Format
		ok   bool
	}{
		{"good", img, good, FormatID1, true},
		{"gray", image.NewGray(img.Rect), good, FormatID3, true},
		{"ycbcr", image.NewYCbCr(img.Rect, image.YCbCrSubsampleRatio420), good, FormatID1, true},
		{"paletted", image.NewPaletted(img.Rect, color.Palette{color.Black, color.White}), good, FormatID1, true},
		{"nil", nil, good, FormatID1, false},
		{"empty", image.NewNRGBA(image.Rect(0, 0, 0, 0)), good, FormatID1, false},
		{"nan", img, nan, FormatID1, false},
		{"inf", img, inf, FormatID1, false},
		{"ccw", img, ccw, FormatID1, false},
		{"tiny", img, tiny, FormatID1, false},
		{"format", img, good, Format(3), false},
	}
	for _, tc := range tests {
		out, err := CropDeskew(tc.src, tc.q, tc.f, 0)
		if (err == nil) != tc.ok || (tc.ok && out == nil) {
			t.Errorf("%s: err %v", tc.name, err)
		}
	}
}

func TestAnalyzeBadInput(t *testing.T) {
	a := NewAnalyzer(nil)
	var r FrameResult
	tests := []struct {
		name string
		g    *image.Gray
		f    Format
		err  bool
	}{
		{"nil", nil, FormatID1, true},
		{"empty", &image.Gray{}, FormatID1, true},
		{"short buffer", &image.Gray{Pix: make([]byte, 10), Stride: 100, Rect: image.Rect(0, 0, 100, 100)}, FormatID1, true},
		{"stride < width", &image.Gray{Pix: make([]byte, 10000), Stride: 50, Rect: image.Rect(0, 0, 100, 100)}, FormatID1, true},
		{"tiny", image.NewGray(image.Rect(0, 0, 3, 3)), FormatID1, false},
		{"flat", image.NewGray(image.Rect(0, 0, 640, 360)), FormatID1, false},
		{"bad format", image.NewGray(image.Rect(0, 0, 64, 64)), Format(-1), true},
	}
	for _, tc := range tests {
		err := a.Analyze(&r, tc.g, tc.f)
		if (err != nil) != tc.err || r.Found {
			t.Errorf("%s: err %v found %v", tc.name, err, r.Found)
		}
	}
	if err := a.Analyze(nil, image.NewGray(image.Rect(0, 0, 64, 64)), FormatID1); err == nil {
		t.Error("nil dst: no error")
	}
}

// TestAnalyzeSubImage: a frame that is a sub-image (offset Rect, larger
// stride) gives corners in the frame's own coordinates.
func TestAnalyzeSubImage(t *testing.T) {
	smp, err := synth.Render(synth.Doc{Format: synth.ID1, Seed: 3, TiltX: 5, Background: synth.Plain})
	if err != nil {
		t.Fatal(err)
	}
	g := toGray(smp.Image)
	big := image.NewGray(image.Rect(0, 0, 1400, 800))
	for y := 0; y < 720; y++ {
		copy(big.Pix[(y+40)*big.Stride+60:], g.Pix[y*g.Stride:y*g.Stride+1280])
	}
	sub := big.SubImage(image.Rect(60, 40, 1340, 760)).(*image.Gray)
	var r FrameResult
	if err := NewAnalyzer(nil).Analyze(&r, sub, FormatID1); err != nil || !r.Found {
		t.Fatalf("found %v err %v", r.Found, err)
	}
	truth := toQuad(smp.Corners).translate(60, 40)
	m, d := cornerErr(r.Quad, truth)
	if m/d > 0.015 {
		t.Errorf("sub-image corner error %.2f %%: %v vs %v", 100*m/d, r.Quad, truth)
	}
	q, ok := DetectQuad(sub, FormatID1)
	if m2, _ := cornerErr(q, truth); !ok || m2/d > 0.015 {
		t.Errorf("DetectQuad on sub-image: ok %v err %.2f %%", ok, 100*m2/d)
	}
}

// TestAnalyzeZeroAllocs: after the first frame, Analyze allocates nothing.
func TestAnalyzeZeroAllocs(t *testing.T) {
	smp, err := synth.Render(synth.Doc{Format: synth.ID1, Seed: 1, Background: synth.Clutter})
	if err != nil {
		t.Fatal(err)
	}
	g := toGray(smp.Image)
	a := NewAnalyzer(nil)
	var r FrameResult
	_ = a.Analyze(&r, g, FormatID1)
	if n := testing.AllocsPerRun(5, func() { _ = a.Analyze(&r, g, FormatID1) }); n != 0 {
		t.Errorf("Analyze allocates %.0f times per frame", n)
	}
}

func TestGlareSharpnessBadInput(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 50, 50))
	if v := Glare(nil, Quad{}); v != 100 {
		t.Errorf("Glare(nil) = %v", v)
	}
	if v := Glare(g, Quad{{math.NaN(), 0}, {1, 0}, {1, 1}, {0, 1}}); v != 100 {
		t.Errorf("Glare(NaN quad) = %v", v)
	}
	if v := Sharpness(nil, image.Rect(0, 0, 5, 5)); v != 0 {
		t.Errorf("Sharpness(nil) = %v", v)
	}
	if v := Sharpness(g, image.Rect(-100, -100, 1000, 1000)); v != 0 {
		t.Errorf("Sharpness(flat) = %v", v)
	}
	if m := Measure(nil, math.NaN()); m.DPI != 0 || m.Sharpness != 0 || m.Glare != 100 {
		t.Errorf("Measure(nil) = %+v", m)
	}
	if _, ok := DetectQuad(nil, FormatID1); ok {
		t.Error("DetectQuad(nil) found")
	}
	if _, ok := DetectQuad(g, FormatID1); ok {
		t.Error("DetectQuad(flat) found")
	}
}

func TestThetaBin(t *testing.T) {
	for x := int32(-40); x <= 40; x += 3 {
		for y := int32(-40); y <= 40; y += 7 {
			if x == 0 && y == 0 {
				continue
			}
			a := math.Atan2(float64(y), float64(x))
			if a < 0 {
				a += math.Pi
			}
			want := int(a*180/math.Pi+0.5) % 180
			if got := thetaBin(x, y); got != want && (got+1)%180 != want && (want+1)%180 != got {
				t.Errorf("thetaBin(%d,%d) = %d, want %d", x, y, got, want)
			}
		}
	}
}

// TestFixtureDetect uses a hand-drawn fixture (independent of internal/synth):
// the corners are found to a fraction of a pixel, and sharpness falls with blur.
func TestFixtureDetect(t *testing.T) {
	q := Quad{{250, 140}, {1010, 170}, {990, 600}, {270, 620}}
	g := fixture(1280, 720, q, FormatID1, 1)
	var r FrameResult
	if err := NewAnalyzer(nil).Analyze(&r, g, FormatID1); err != nil || !r.Found {
		t.Fatalf("found %v err %v", r.Found, err)
	}
	for i := range q {
		if d := dist(q[i], r.Quad[i]); d > 0.5 {
			t.Errorf("corner %d: %v, want %v (%.2f px)", i, r.Quad[i], q[i], d)
		}
	}
	if want := DPI(q, FormatID1); math.Abs(r.DPI/want-1) > 0.002 {
		t.Errorf("DPI %.2f, want %.2f", r.DPI, want)
	}
	prev := math.Inf(1)
	for _, s := range []float64{0, 0.7, 1.4, 2, 3} {
		b := blurGray(g, s)
		v := Sharpness(b, image.Rect(300, 200, 950, 560))
		if v >= prev {
			t.Errorf("sigma %.1f: sharpness %.1f not below %.1f", s, v, prev)
		}
		prev = v
	}
}

// opaqueImage hides an image's concrete type, so the sampler takes its
// generic path (At + colour conversion).
type opaqueImage struct{ image.Image }

// TestSamplerFastPath: the *image.NRGBA fast path of the crop's sampler
// gives exactly what the generic path gives, inside, on the border and
// outside the source, and CropDeskew the same pixels either way.
func TestSamplerFastPath(t *testing.T) {
	img := image.NewNRGBA(image.Rect(3, 5, 3+37, 5+23))
	rng := rand.New(rand.NewSource(7))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.Intn(256))
	}
	fast, slow := newSampler(img), newSampler(opaqueImage{img})
	if fast.nrgba == nil || slow.nrgba != nil {
		t.Fatal("sampler paths not as intended")
	}
	for i := 0; i < 5000; i++ {
		x := 1 + rng.Float64()*43
		y := 3 + rng.Float64()*29
		if i%10 == 0 {
			x = float64(3 + rng.Intn(38)) // exact pixel edges
		}
		r1, g1, b1, a1 := fast.at(x, y)
		r2, g2, b2, a2 := slow.at(x, y)
		if math.Abs(r1-r2) > 1e-9 || math.Abs(g1-g2) > 1e-9 || math.Abs(b1-b2) > 1e-9 || math.Abs(a1-a2) > 1e-9 {
			t.Fatalf("at(%.3f, %.3f): fast %v %v %v %v, generic %v %v %v %v", x, y, r1, g1, b1, a1, r2, g2, b2, a2)
		}
	}
	q := Quad{{6, 7}, {36, 9}, {35, 26}, {5, 24}}
	c1, err1 := CropDeskew(img, q, FormatID1, 0)
	c2, err2 := CropDeskew(opaqueImage{img}, q, FormatID1, 0)
	if err1 != nil || err2 != nil || !bytes.Equal(c1.Pix, c2.Pix) {
		t.Errorf("CropDeskew differs between the paths (errors %v, %v)", err1, err2)
	}
}
