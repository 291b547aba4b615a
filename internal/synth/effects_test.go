package synth

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"runtime"
	"testing"
)

// docMask marks pixels whose centre is at least inset px inside the quad.
func insideQuad(q [4][2]float64, x, y, inset float64) bool {
	for k := range 4 {
		a, b := q[k], q[(k+1)%4]
		ex, ey := b[0]-a[0], b[1]-a[1]
		if (ex*(y-a[1])-ey*(x-a[0]))/math.Hypot(ex, ey) < inset {
			return false
		}
	}
	return true
}

// gradEnergy is the mean squared horizontal+vertical luma difference over
// pixels inside the document.
func gradEnergy(s Sample) float64 {
	img := s.Image
	var sum float64
	n := 0
	for y := 1; y < img.Rect.Dy()-1; y++ {
		for x := 1; x < img.Rect.Dx()-1; x++ {
			if !insideQuad(s.Corners, float64(x)+0.5, float64(y)+0.5, 6) {
				continue
			}
			c := float64(lum(img, float64(x), float64(y)))
			dx := float64(lum(img, float64(x+1), float64(y))) - c
			dy := float64(lum(img, float64(x), float64(y+1))) - c
			sum += dx*dx + dy*dy
			n++
		}
	}
	return sum / float64(n)
}

func TestBlurMonotone(t *testing.T) {
	prev := math.Inf(1)
	var c0 [4][2]float64
	for i, sigma := range []float64{0, 0.5, 1, 2, 3} {
		s, err := Render(Doc{Seed: 5, BlurSigma: sigma, Width: 640, Height: 360, TiltX: 8})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			c0 = s.Corners
		} else if s.Corners != c0 {
			t.Error("blur moved the corners")
		}
		e := gradEnergy(s)
		t.Logf("sigma %.1f: gradient energy %.1f", sigma, e)
		if e >= prev*0.9 {
			t.Errorf("sigma %.1f: energy %.1f not clearly below %.1f", sigma, e, prev)
		}
		prev = e
	}
}

func saturatedIn(s Sample) (sat, total int) {
	for y := 0; y < s.Image.Rect.Dy(); y++ {
		for x := 0; x < s.Image.Rect.Dx(); x++ {
			if !insideQuad(s.Corners, float64(x)+0.5, float64(y)+0.5, 0) {
				continue
			}
			total++
			c := s.Image.NRGBAAt(x, y)
			if c.R == 255 && c.G == 255 && c.B == 255 {
				sat++
			}
		}
	}
	return
}

func TestGlareArea(t *testing.T) {
	base := Doc{Seed: 9, Width: 640, Height: 360, TiltY: 10}
	ref, err := Render(base)
	if err != nil {
		t.Fatal(err)
	}
	sat0, _ := saturatedIn(ref)
	prev := -1.0
	for _, g := range []float64{0.01, 0.03, 0.08, 0.15} {
		d := base
		d.Glare = g
		s, err := Render(d)
		if err != nil {
			t.Fatal(err)
		}
		sat, total := saturatedIn(s)
		frac := float64(sat-sat0) / float64(total)
		t.Logf("Glare %.2f: saturated fraction %.4f", g, frac)
		if frac < g*0.8 || frac > g*1.35 {
			t.Errorf("Glare %.2f: saturated area fraction %.4f", g, frac)
		}
		if frac <= prev {
			t.Errorf("glare area not monotone: %.4f after %.4f", frac, prev)
		}
		prev = frac
		// light only falls on the document
		for y := 0; y < 360; y++ {
			for x := 0; x < 640; x++ {
				if !insideQuad(s.Corners, float64(x)+0.5, float64(y)+0.5, -1.5) && s.Image.NRGBAAt(x, y) != ref.Image.NRGBAAt(x, y) {
					t.Fatalf("Glare %.2f changed background pixel (%d,%d)", g, x, y)
				}
			}
		}
	}
	// half strength brightens but saturates nothing new
	d := base
	d.Glare, d.GlareStrength = 0.08, 0.5
	s, _ := Render(d)
	if sat, _ := saturatedIn(s); sat > sat0+sat0/20+10 {
		t.Errorf("GlareStrength 0.5 saturated %d new pixels", sat-sat0)
	}
	if bytes.Equal(s.Image.Pix, ref.Image.Pix) {
		t.Error("GlareStrength 0.5 changed nothing")
	}
}

func TestNoiseStddev(t *testing.T) {
	base := Doc{Seed: 2, Width: 320, Height: 240, Background: Plain, BackgroundColor: color.NRGBA{128, 128, 128, 255}}
	clean, _ := Render(base)
	for _, sigma := range []float64{2, 5, 10} {
		d := base
		d.Noise = sigma
		s, err := Render(d)
		if err != nil {
			t.Fatal(err)
		}
		var sum, sum2, n float64
		for i, v := range s.Image.Pix {
			if i&3 == 3 {
				continue
			}
			c := clean.Image.Pix[i]
			if c < 40 || c > 215 {
				continue // avoid clipping
			}
			e := float64(v) - float64(c)
			sum += e
			sum2 += e * e
			n++
		}
		mean, sd := sum/n, math.Sqrt(sum2/n-(sum/n)*(sum/n))
		t.Logf("Noise %.0f: mean %.3f sd %.3f", sigma, mean, sd)
		if math.Abs(mean) > 0.1*sigma || math.Abs(sd-sigma) > 0.08*sigma+0.3 {
			t.Errorf("Noise %.0f: measured mean %.3f sd %.3f", sigma, mean, sd)
		}
	}
}

func TestVignetteDarkensCorners(t *testing.T) {
	base := Doc{Seed: 4, Width: 320, Height: 180, BackgroundColor: color.NRGBA{200, 200, 200, 255}}
	a, _ := Render(base)
	base.Vignette = 1
	b, _ := Render(base)
	cornerDrop := float64(lum(a.Image, 2, 2)+lum(a.Image, 317, 177)) - float64(lum(b.Image, 2, 2)+lum(b.Image, 317, 177))
	centreDrop := float64(lum(a.Image, 160, 90)) - float64(lum(b.Image, 160, 90))
	if cornerDrop/2 < centreDrop+10 {
		t.Errorf("vignette: corner drop %.1f, centre drop %.1f", cornerDrop/2, centreDrop)
	}
}

func TestThreadingDoesNotChangePixels(t *testing.T) {
	d := Doc{Seed: 11, Background: Wood, Glare: 0.04, Noise: 3, BlurSigma: 1.2, Shadow: 0.6, Vignette: 0.3, Width: 640, Height: 360}
	a, _ := Render(d)
	old := runtime.GOMAXPROCS(1)
	b, _ := Render(d)
	runtime.GOMAXPROCS(old)
	if !bytes.Equal(a.Image.Pix, b.Image.Pix) {
		t.Fatal("render depends on GOMAXPROCS")
	}
}

func TestOpaque(t *testing.T) {
	for _, bg := range Backgrounds {
		s, err := Render(Doc{Seed: 3, Background: bg, Width: 480, Height: 270, Shadow: 1, Glare: 0.1, Noise: 10})
		if err != nil {
			t.Fatal(err)
		}
		for i := 3; i < len(s.Image.Pix); i += 4 {
			if s.Image.Pix[i] != 255 {
				t.Fatalf("%v: pixel %d has alpha %d", bg, i/4, s.Image.Pix[i])
			}
		}
	}
}

func TestFaceAndBarcode(t *testing.T) {
	red := image.NewNRGBA(image.Rect(0, 0, 60, 80))
	for i := 0; i < len(red.Pix); i += 4 {
		red.Pix[i], red.Pix[i+3] = 255, 255
	}
	s, err := Render(Doc{Seed: 1, Face: red, Width: 1280, Height: 720})
	if err != nil {
		t.Fatal(err)
	}
	// the photo box of the ID-1 front sits around x 4..26 mm, y 15..40 mm
	x, y := s.DocToImage(12, 25)
	if c := s.Image.NRGBAAt(int(x), int(y)); c.R < 230 || c.G > 30 || c.B > 30 {
		t.Errorf("photo box centre is %v, want the red face", c)
	}
	// barcode: 1-px black/white vertical bars, 100 modules wide
	bc := image.NewGray(image.Rect(0, 0, 100, 30))
	for yy := 0; yy < 30; yy++ {
		for xx := 0; xx < 100; xx++ {
			if xx%2 == 0 {
				bc.Pix[yy*100+xx] = 0
			} else {
				bc.Pix[yy*100+xx] = 255
			}
		}
	}
	s, err = Render(Doc{Seed: 1, Side: "Back", Barcode: bc, Width: 1920, Height: 1080, DPI: 400})
	if err != nil {
		t.Fatal(err)
	}
	// scan a row through the barcode area: many dark/light alternations
	x0, y0 := s.DocToImage(10, 35)
	x1, _ := s.DocToImage(75, 35)
	trans, last := 0, lum(s.Image, x0, y0) > 128
	for x := x0; x < x1; x++ {
		cur := lum(s.Image, x, y0) > 128
		if cur != last {
			trans++
		}
		last = cur
	}
	if trans < 80 {
		t.Errorf("barcode row has %d transitions, want ~100", trans)
	}
}

// TestBlurMatchesReference compares the fixed-point SWAR blur with a direct
// floating-point separable Gaussian with clamped borders.
func TestBlurMatchesReference(t *testing.T) {
	const W, H = 61, 37
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	seed := uint32(7)
	for i := range img.Pix {
		seed = seed*1664525 + 1013904223
		img.Pix[i] = uint8(seed >> 24)
		if i&3 == 3 {
			img.Pix[i] = 255
		}
	}
	for _, sigma := range []float64{0.3, 1, 2.5, 6} {
		src := append([]uint8(nil), img.Pix...)
		out := &image.RGBA{Pix: append([]uint8(nil), src...), Stride: W * 4, Rect: img.Rect}
		gaussianBlur(out, sigma)
		rad := int(math.Ceil(3 * sigma))
		wts := make([]float64, 2*rad+1)
		sum := 0.0
		for i := range wts {
			d := float64(i - rad)
			wts[i] = math.Exp(-d * d / (2 * sigma * sigma))
			sum += wts[i]
		}
		at := func(x, y, c int) float64 {
			x, y = min(max(x, 0), W-1), min(max(y, 0), H-1)
			return float64(src[y*W*4+x*4+c])
		}
		worst := 0.0
		for y := 0; y < H; y++ {
			for x := 0; x < W; x++ {
				for c := 0; c < 3; c++ {
					v := 0.0
					for j := range wts {
						h := 0.0
						for i := range wts {
							h += wts[i] * at(x+i-rad, y+j-rad, c)
						}
						v += wts[j] * h / sum
					}
					v /= sum
					worst = math.Max(worst, math.Abs(v-float64(out.Pix[y*W*4+x*4+c])))
				}
			}
		}
		if worst > 1.5 {
			t.Errorf("sigma %.1f: max deviation from the float reference %.2f levels", sigma, worst)
		}
		if out.Pix[3] != 255 {
			t.Error("alpha changed")
		}
	}
}

// dirEnergy is the mean squared luma difference along x and along y inside
// the document.
func dirEnergy(s Sample) (ex, ey float64) {
	img := s.Image
	n := 0
	for y := 1; y < img.Rect.Dy()-1; y++ {
		for x := 1; x < img.Rect.Dx()-1; x++ {
			if !insideQuad(s.Corners, float64(x)+0.5, float64(y)+0.5, 12) {
				continue
			}
			c := float64(lum(img, float64(x), float64(y)))
			dx := float64(lum(img, float64(x+1), float64(y))) - c
			dy := float64(lum(img, float64(x), float64(y+1))) - c
			ex += dx * dx
			ey += dy * dy
			n++
		}
	}
	return ex / float64(n), ey / float64(n)
}

func TestMotionBlurDirection(t *testing.T) {
	base := Doc{Seed: 6, Width: 640, Height: 360, BackgroundColor: color.NRGBA{90, 90, 90, 255}}
	ref, _ := Render(base)
	rx, ry := dirEnergy(ref)
	for _, c := range []struct {
		angle    float64
		horizWin bool // the x-direction energy must drop more
	}{{0, true}, {90, false}, {180, true}} {
		d := base
		d.MotionBlur, d.MotionAngle = 8, c.angle
		s, err := Render(d)
		if err != nil {
			t.Fatal(err)
		}
		if s.Corners != ref.Corners {
			t.Error("motion blur moved the corners")
		}
		ex, ey := dirEnergy(s)
		fx, fy := ex/rx, ey/ry // fraction of edge energy kept
		t.Logf("angle %.0f: kept x %.3f y %.3f", c.angle, fx, fy)
		if (c.horizWin && !(fx < fy/2)) || (!c.horizWin && !(fy < fx/2)) {
			t.Errorf("angle %.0f: kept x %.3f, y %.3f", c.angle, fx, fy)
		}
		// flat background far from the document keeps its value
		if a, b := ref.Image.NRGBAAt(3, 3), s.Image.NRGBAAt(3, 3); a != b {
			t.Errorf("flat area changed %v -> %v", a, b)
		}
	}
	prev := math.Inf(1)
	for _, l := range []float64{0, 2, 5, 10, 20} {
		d := base
		d.MotionBlur, d.MotionAngle = l, 30
		s, _ := Render(d)
		e := gradEnergy(s)
		if e >= prev {
			t.Errorf("MotionBlur %.0f: energy %.1f not below %.1f", l, e, prev)
		}
		prev = e
	}
}
