package liveness

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/disintegration/imaging"
)

func TestPortraitCropGeometry(t *testing.T) {
	img := imaging.New(3000, 4000, color.NRGBA{200, 100, 50, 255})
	cases := []struct {
		f       Face
		maxLong int
		w, h    int
	}{
		{Face{X: 1500, Y: 1500, Size: 800}, 1280, 960, 1280}, // 1200x1600 → reduced
		{Face{X: 1500, Y: 1500, Size: 300}, 1280, 450, 600},  // never enlarged
		{Face{X: 100, Y: 100, Size: 500}, 0, 750, 1000},      // past the border: edges repeated
	}
	for _, c := range cases {
		out := PortraitCrop(img, c.f, c.maxLong)
		if out == nil {
			t.Fatalf("%+v: nil", c.f)
		}
		if w, h := out.Rect.Dx(), out.Rect.Dy(); w != c.w || h != c.h {
			t.Errorf("%+v: %dx%d, want %dx%d", c.f, w, h, c.w, c.h)
		}
		if out.NRGBAAt(0, 0) != (color.NRGBA{200, 100, 50, 255}) {
			t.Errorf("%+v: corner %v (edge not repeated)", c.f, out.NRGBAAt(0, 0))
		}
	}
	for _, bad := range []struct {
		img image.Image
		f   Face
	}{{nil, Face{Size: 10}}, {img, Face{Size: 0}}, {img, Face{Size: math.NaN()}}, {image.NewGray(image.Rect(0, 0, 0, 0)), Face{Size: 10}}, {(*image.NRGBA)(nil), Face{Size: 10}}} {
		if PortraitCrop(bad.img, bad.f, 100) != nil {
			t.Errorf("PortraitCrop(%v) not nil", bad.f)
		}
	}
}

// TestPortraitCropReal: the crop of a real selfie keeps one face of about
// half the image height and passes the face checks.
func TestPortraitCropReal(t *testing.T) {
	d := newDetector(t)
	imgs, faces, names := bonaFide(t, d)
	if testing.Short() && len(imgs) > 3 {
		imgs = imgs[:3]
	}
	for i, img := range imgs {
		out := PortraitCrop(img, faces[i], 1280)
		if max(out.Rect.Dx(), out.Rect.Dy()) > 1280 {
			t.Errorf("%s: %v larger than 1280", names[i], out.Rect.Size())
		}
		got, code := d.Check(out)
		if len(got) == 0 {
			t.Errorf("%s: no face in the portrait crop", names[i])
			continue
		}
		frac := got[0].Size / float64(out.Rect.Dy())
		t.Logf("%s: %v face %.2f of the height, code %d", names[i], out.Rect.Size(), frac, code)
		if frac < 0.4 || frac > 0.6 || code != 0 {
			t.Errorf("%s: face %.2f of the height, code %d", names[i], frac, code)
		}
	}
}
