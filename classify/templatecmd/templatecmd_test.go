package templatecmd

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/globalgateway/ggcapture/classify"
)

func specimen(w int, seed uint8) *image.NRGBA {
	h := w * 54 / 86
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{220, 210, 190, 255}
			switch {
			case y < h/6:
				c = color.NRGBA{20, 60, 140, 255}
			case x > w/20 && x < w/3 && y > h/3 && y < h*9/10:
				c = color.NRGBA{90 + seed, 70, 60, 255}
			case x > w/2 && x < w*9/10 && (y/(h/12))%2 == 0 && y > h/3:
				c = color.NRGBA{30, 30, 30, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func TestAddListClassify(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "spec.png")
	f, _ := os.Create(in)
	png.Encode(f, specimen(800, 0))
	f.Close()
	lib := filepath.Join(dir, "lib")
	os.Mkdir(lib, 0o755)
	out := filepath.Join(lib, "ruritania.json")
	var so, se bytes.Buffer
	code := Run([]string{"templates", "add", "--name", "Ruritania Identity Card", "--class", "Identification Card",
		"--country", "ru", "--side", "Front", "--format", "ID1", in, "-o", out}, &so, &se)
	if code != 0 {
		t.Fatalf("add: %d %s", code, se.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := classify.ParseTemplate(b)
	if err != nil || tp.Features.Layout == nil || tp.CountryCode != "RU" {
		t.Fatalf("template %+v %v", tp, err)
	}
	so.Reset()
	if code := Run([]string{"list", "--dir", lib}, &so, &se); code != 0 || !strings.Contains(so.String(), "Ruritania Identity Card") ||
		!strings.Contains(so.String(), "British Columbia (BC) Driver's Licence") {
		t.Fatalf("list: %d %s", code, so.String())
	}
	// The integrator's library classifies another photo of the same model.
	extra, err := classify.LoadLibrary(os.DirFS(lib))
	if err != nil {
		t.Fatal(err)
	}
	builtin, _ := classify.Builtin()
	c := classify.New(builtin.Merge(extra))
	r, _, err := c.Classify(specimen(1100, 25), &classify.Options{CaptureType: classify.CaptureFront})
	if err != nil || r.Name != "Ruritania Identity Card" || r.DocumentID != tp.DocumentID || r.Side != "Front" {
		t.Fatalf("classify: %+v %v", r, err)
	}
	// Bad invocations.
	for _, args := range [][]string{{}, {"bogus"}, {"add"}, {"add", "--class", "Car", "--name", "x", in}} {
		if Run(args, &so, &se) == 0 {
			t.Errorf("%q: exit 0", args)
		}
	}
}
