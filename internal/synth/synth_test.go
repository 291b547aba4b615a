package synth

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"math"
	"testing"
)

func lum(img *image.NRGBA, x, y float64) int {
	ix, iy := int(math.Floor(x)), int(math.Floor(y))
	if !image.Pt(ix, iy).In(img.Rect) {
		return -1
	}
	c := img.NRGBAAt(ix, iy)
	return (int(c.R) + int(c.G) + int(c.B)) / 3
}

// TestCornersExact renders a white card on black and probes just inside and
// just outside each edge, away from the rounded corners.
func TestCornersExact(t *testing.T) {
	cases := []Doc{
		{},
		{TiltX: 18, TiltY: -12, Roll: 7},
		{Format: ID3, TiltY: 20, Roll: -15, CenterX: 0.45, CenterY: 0.55},
		{Roll: 90, DPI: 150},
		{Width: 640, Height: 480, TiltX: -25, Roll: 30},
	}
	for i, d := range cases {
		d.Seed = int64(i)
		d.Blank = true
		d.Background = Plain
		d.BackgroundColor = color.Black
		s, err := Render(d)
		if err != nil {
			t.Fatal(err)
		}
		c := s.Corners
		// clockwise on screen (y down): positive shoelace sum
		area := 0.0
		for k := range 4 {
			j := (k + 1) % 4
			area += c[k][0]*c[j][1] - c[j][0]*c[k][1]
		}
		if area <= 0 {
			t.Errorf("case %d: corners not clockwise: %v", i, c)
		}
		for k := range 4 {
			a, b := c[k], c[(k+1)%4]
			ex, ey := b[0]-a[0], b[1]-a[1]
			l := math.Hypot(ex, ey)
			nx, ny := ey/l, -ex/l // outward normal for a clockwise quad
			for _, f := range []float64{0.2, 0.35, 0.5, 0.65, 0.8} {
				px, py := a[0]+ex*f, a[1]+ey*f
				in := lum(s.Image, px-nx*1.6, py-ny*1.6)
				out := lum(s.Image, px+nx*1.6, py+ny*1.6)
				if in >= 0 && in < 250 {
					t.Errorf("case %d edge %d f=%.2f: inside pixel %d, want white", i, k, f, in)
				}
				if out > 5 {
					t.Errorf("case %d edge %d f=%.2f: outside pixel %d, want black", i, k, f, out)
				}
				// the pixel on the edge shows its true area coverage
				ix, iy := math.Floor(px), math.Floor(py)
				if on := lum(s.Image, ix, iy); on >= 0 {
					want := quadCoverage(c, ix, iy)
					if math.Abs(float64(on)/255-want) > 0.06 {
						t.Errorf("case %d edge %d f=%.2f: edge pixel %d, true coverage %.2f", i, k, f, on, want)
					}
				}
			}
		}
	}
}

func TestDPITruth(t *testing.T) {
	for _, d := range []Doc{
		{DPI: 300, Width: 1920, Height: 1080},
		{DPI: 200, TiltX: 20, TiltY: 10, Roll: 12},
		{Format: ID3, DPI: 150, TiltY: -20},
		{},
		{Format: ID3},
	} {
		want := d.DPI
		d.Blank = true
		s, err := Render(d)
		if err != nil {
			t.Fatal(err)
		}
		if got := TrueDPI(s.Corners, d.Format); math.Abs(got-s.DPI) > 1e-9 {
			t.Errorf("Sample.DPI %v != TrueDPI %v", s.DPI, got)
		}
		c := s.Corners
		top := math.Hypot(c[1][0]-c[0][0], c[1][1]-c[0][1])
		bot := math.Hypot(c[2][0]-c[3][0], c[2][1]-c[3][1])
		if f := (top + bot) / 2 / d.Format.WidthInches(); math.Abs(f-s.DPI) > 1e-9 {
			t.Errorf("DPI definition: %v vs %v", f, s.DPI)
		}
		if want > 0 && math.Abs(s.DPI-want) > 1e-6 {
			t.Errorf("%+v: DPI %v, want %v", d, s.DPI, want)
		}
		if want == 0 {
			minX, maxX := c[0][0], c[0][0]
			for _, p := range c {
				minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
			}
			if frac := (maxX - minX) / 1280; frac < 0.6 || frac > 0.76 {
				t.Errorf("default size: document spans %.2f of the frame width", frac)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	d := Doc{Seed: 42, Background: Clutter, TiltX: 10, Glare: 0.05, Noise: 5, BlurSigma: 0.8, Vignette: 0.4, Shadow: 0.5}
	a, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Render(d)
	if !bytes.Equal(a.Image.Pix, b.Image.Pix) || a.Corners != b.Corners {
		t.Fatal("same Doc rendered differently")
	}
	d.Seed = 43
	c, _ := Render(d)
	if bytes.Equal(a.Image.Pix, c.Image.Pix) {
		t.Fatal("different seeds rendered the same image")
	}
}

func TestAllBackgroundsAndSides(t *testing.T) {
	for _, bg := range Backgrounds {
		for _, side := range []string{"Front", "Back"} {
			for _, f := range []Format{ID1, ID3} {
				s, err := Render(Doc{Seed: 7, Background: bg, Side: side, Format: f, TiltX: 8, Roll: -4, Width: 640, Height: 360})
				if err != nil {
					t.Fatalf("%v %s %v: %v", bg, side, f, err)
				}
				if s.Image.Rect.Dx() != 640 || s.Image.Rect.Dy() != 360 {
					t.Fatalf("size %v", s.Image.Rect)
				}
				// the background must not be flat except for Plain
				if bg != Plain {
					if v := variance(s.Image, image.Rect(0, 0, 40, 360)); v < 20 {
						t.Errorf("%v: background strip variance %.1f, too flat", bg, v)
					}
				}
			}
		}
	}
}

func variance(img *image.NRGBA, r image.Rectangle) float64 {
	var s, s2, n float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			v := float64(lum(img, float64(x), float64(y)))
			s += v
			s2 += v * v
			n++
		}
	}
	m := s / n
	return s2/n - m*m
}

func TestBadInput(t *testing.T) {
	for _, d := range []Doc{
		{Width: -1, Height: 10}, {Width: 100000, Height: 100}, {Format: 7}, {Side: "Top"},
		{TiltX: 89}, {DPI: -3}, {DPI: math.NaN()}, {Glare: 2}, {BlurSigma: -1}, {Noise: math.Inf(1)},
		{MotionBlur: -1}, {MotionBlur: 5, MotionAngle: math.NaN()},
		{Background: 99}, {MRZ: []string{"P<UTO" + string(make([]byte, 60))}},
		{Barcode: image.NewGray(image.Rect(0, 0, 10, 10))},
		{Format: ID3, Side: "Back", Barcode: image.NewGray(image.Rect(0, 0, 10, 10))},
	} {
		if _, err := Render(d); err == nil {
			t.Errorf("%+v: no error", d)
		}
	}
}

func TestMRZ(t *testing.T) {
	if _, err := OCRBFace(20); err != nil {
		if errors.Is(err, ErrNoOCRB) {
			t.Skipf("OCR-B not installed (apt-get install fonts-ocr-b): %v", err)
		}
		t.Fatal(err)
	}
	td3 := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	plain, err := Render(Doc{Format: ID3, Seed: 3, Width: 1600, Height: 1200})
	if err != nil {
		t.Fatal(err)
	}
	with, err := Render(Doc{Format: ID3, Seed: 3, Width: 1600, Height: 1200, MRZ: td3})
	if err != nil {
		t.Fatal(err)
	}
	// dark ink must appear along each MRZ line centre
	c := with.Corners
	for i, ymm := range MRZLineCenters(ID3, 2) {
		dark := 0
		for k := 0; k < 200; k++ {
			xmm := 8 + 109*float64(k)/200
			x := c[0][0] + (c[1][0]-c[0][0])*xmm/125
			y := c[0][1] + (c[3][1]-c[0][1])*ymm/88
			if lum(with.Image, x, y) < 90 {
				dark++
			}
		}
		if dark < 20 {
			t.Errorf("MRZ line %d: only %d dark samples along its centre line", i, dark)
		}
	}
	if bytes.Equal(plain.Image.Pix, with.Image.Pix) {
		t.Error("MRZ changed nothing")
	}
}

// quadCoverage integrates the fraction of pixel (x,y) inside the convex
// clockwise quad q on a 32x32 grid.
func quadCoverage(q [4][2]float64, x, y float64) float64 {
	n := 0
	for j := 0; j < 32; j++ {
		for i := 0; i < 32; i++ {
			px, py := x+(float64(i)+0.5)/32, y+(float64(j)+0.5)/32
			in := true
			for k := range 4 {
				a, b := q[k], q[(k+1)%4]
				if (b[0]-a[0])*(py-a[1])-(b[1]-a[1])*(px-a[0]) < 0 {
					in = false
				}
			}
			if in {
				n++
			}
		}
	}
	return float64(n) / 1024
}

func TestMRZWithoutFont(t *testing.T) {
	old := OCRBPaths
	ocrbMu.Lock()
	saved := ocrbFont
	ocrbFont = nil
	ocrbMu.Unlock()
	OCRBPaths = []string{"/nonexistent/OCRB.otf"}
	defer func() {
		OCRBPaths = old
		ocrbMu.Lock()
		ocrbFont = saved
		ocrbMu.Unlock()
	}()
	if _, err := OCRBFace(12); !errors.Is(err, ErrNoOCRB) {
		t.Fatalf("OCRBFace without the font: %v", err)
	}
	_, err := Render(Doc{MRZ: []string{"I<UTO"}})
	if !errors.Is(err, ErrNoOCRB) {
		t.Fatalf("Render with MRZ and no font: %v", err)
	}
	// without MRZ the font is not needed
	if _, err := Render(Doc{Width: 320, Height: 180}); err != nil {
		t.Fatal(err)
	}
}

func TestEmpty(t *testing.T) {
	s, err := Render(Doc{Seed: 4, Empty: true, Background: Desk, Noise: 2})
	if err != nil {
		t.Fatal(err)
	}
	if s.DPI != 0 || s.Corners != ([4][2]float64{}) {
		t.Errorf("empty scene reports a document: %v %v", s.Corners, s.DPI)
	}
	full, _ := Render(Doc{Seed: 4, Background: Desk, Noise: 2})
	// same background far from the document
	if a, b := s.Image.NRGBAAt(5, 5), full.Image.NRGBAAt(5, 5); a != b {
		t.Errorf("empty scene background differs: %v vs %v", a, b)
	}
}

func TestTitleOnlyChangesHeader(t *testing.T) {
	a, err := Render(Doc{Seed: 8, Width: 640, Height: 360})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(Doc{Seed: 8, Width: 640, Height: 360, Title: "DRIVER'S LICENCE", Issuer: "BRITISH COLUMBIA"})
	if err != nil {
		t.Fatal(err)
	}
	_, yBand := b.DocToImage(0, 11) // header band is at most 10.5 mm tall
	changed := 0
	for y := 0; y < 360; y++ {
		for x := 0; x < 640; x++ {
			if a.Image.NRGBAAt(x, y) != b.Image.NRGBAAt(x, y) {
				changed++
				if float64(y) > yBand {
					t.Fatalf("pixel (%d,%d) below the header changed", x, y)
				}
			}
		}
	}
	if changed == 0 {
		t.Fatal("Title changed nothing")
	}
}

// TestDocumentPicture: a picture given as Document is the document's face:
// its colour fills the card (corners rounded), the background stays outside.
func TestDocumentPicture(t *testing.T) {
	pic := image.NewRGBA(image.Rect(0, 0, 856, 540))
	for i := 0; i < len(pic.Pix); i += 4 {
		pic.Pix[i], pic.Pix[i+1], pic.Pix[i+2], pic.Pix[i+3] = 200, 30, 40, 255
	}
	s, err := Render(Doc{Document: pic, Background: Plain, BackgroundColor: color.Black, TiltX: 10, Roll: 5})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Corners
	cx := (c[0][0] + c[1][0] + c[2][0] + c[3][0]) / 4
	cy := (c[0][1] + c[1][1] + c[2][1] + c[3][1]) / 4
	if p := s.Image.NRGBAAt(int(cx), int(cy)); p.R < 190 || p.G > 45 || p.B > 55 {
		t.Errorf("card centre %v, want the picture's red", p)
	}
	if p := s.Image.NRGBAAt(5, 5); p.R > 30 {
		t.Errorf("background %v, want black", p)
	}
	if _, err := Render(Doc{Document: image.NewRGBA(image.Rect(0, 0, 0, 0))}); err == nil {
		t.Error("an empty Document picture was accepted")
	}
}
