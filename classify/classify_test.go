package classify

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math/rand"
	"strings"
	"testing"

	"github.com/globalgateway/ggcapture/classify/aamva"
	"github.com/globalgateway/ggcapture/classify/mrz"
	"github.com/globalgateway/ggcapture/classify/pdf417"
	"github.com/google/uuid"
)

func TestUnknownBlank(t *testing.T) {
	c := New(nil)
	img := image.NewGray(image.Rect(0, 0, 64, 40))
	r1, _, err := c.Classify(img, nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, _, _ := c.Classify(img, &Options{CaptureType: CaptureFront})
	if r1.ClassName != ClassUnknown || r1.Name != "" || r1.CountryCode != "" || r1.DocumentID != "" {
		t.Fatalf("blank image: %+v", r1)
	}
	if r2.Side != SideFront {
		t.Errorf("capture type hint: side %q", r2.Side)
	}
	if _, err := uuid.Parse(r1.InstanceID); err != nil || r1.InstanceID == r2.InstanceID {
		t.Fatalf("InstanceID %q %q", r1.InstanceID, r2.InstanceID)
	}
	if _, _, err := c.Classify(nil, nil); err == nil {
		t.Fatal("nil image: want error")
	}
}

func TestBuiltinLibrary(t *testing.T) {
	lib, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	iins := map[string]int{}
	for _, tp := range lib.Templates {
		if ids[tp.DocumentID] {
			t.Errorf("duplicate DocumentID %s", tp.DocumentID)
		}
		ids[tp.DocumentID] = true
		if tp.Features.IIN != "" {
			iins[tp.Features.IIN]++
		}
	}
	for _, j := range aamva.Jurisdictions() {
		if iins[j.IIN] != 2 {
			t.Errorf("IIN %s (%s): %d templates, want DL and ID", j.IIN, j.Name, iins[j.IIN])
		}
	}
	us, ca := 0, 0
	for _, j := range aamva.Jurisdictions() {
		switch j.Country {
		case "US":
			us++
		case "CA":
			ca++
		}
	}
	if us < 51 || ca < 13 {
		t.Errorf("jurisdictions: %d US, %d CA", us, ca)
	}
	t.Logf("%d templates", len(lib.Templates))
}

func TestClassByMRZ(t *testing.T) {
	c := New(nil)
	for _, tc := range []struct {
		lines                 string
		class, side, cc, name string
	}{
		{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10", ClassPassport, SideFront, "XU", "Passport (UTO)"},
		{"P<GBRPUDARSAN<<HENERT<<<<<<<<<<<<<<<<<<<<<<<|7077979792GBR9505209M1704224<<<<<<<<<<<<<<00", ClassPassport, SideFront, "GB", "Passport (GBR)"},
		{"I<UTOD231458907<<<<<<<<<<<<<<<|7408122F1204159UTO<<<<<<<<<<<6|ERIKSSON<<ANNA<MARIA<<<<<<<<<<", ClassIDCard, SideBack, "XU", "Identity Card (UTO)"},
		{"IRUTOD231458907<<<<<<<<<<<<<<<|7408122F1204159UTO<<<<<<<<<<<6|ERIKSSON<<ANNA<MARIA<<<<<<<<<<", ClassResidencePermit, SideBack, "XU", "Residence Permit (UTO)"},
		{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<|D231458907UTO7408122F1204159<<<<<<<6", ClassIDCard, SideFront, "XU", "Identity Card (UTO)"},
		{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L8988901C4XXX4009078F96121096ZE184226B<<<<<<", ClassVisa, SideFront, "XU", "Visa (UTO)"},
		{"I<D<<T220001293<<<<<<<<<<<<<<<|6408125<2010315D<<<<<<<<<<<<<4|MUSTERMANN<<ERIKA<<<<<<<<<<<<<", ClassIDCard, SideBack, "DE", "Identity Card (D)"},
	} {
		d, err := mrz.Parse(strings.Split(tc.lines, "|"))
		if err != nil {
			t.Fatal(err)
		}
		var r Result
		if !c.fromMRZ(&r, d) {
			t.Fatalf("%s: not classified", tc.lines)
		}
		if r.ClassName != tc.class || r.Side != tc.side || r.CountryCode != tc.cc || r.Name != tc.name || r.DocumentID == "" {
			t.Errorf("%s: got %+v", tc.lines, r)
		}
	}
}

func TestAAMVABack(t *testing.T) {
	for _, tc := range []struct {
		iin, sub, class, cc, name string
	}{
		{"636028", "DL", ClassDriversLicense, "CA", "British Columbia (BC) Driver's Licence"},
		{"636015", "ID", ClassIDCard, "US", "Texas (TX) Identification Card"},
		{"636014", "DL", ClassDriversLicense, "US", "California (CA) Driver's License"},
	} {
		payload := aamva.Build(aamva.Record{IIN: tc.iin, Subfile: tc.sub, FamilyName: "DOE", FirstName: "JANE", DocumentNumber: "X123"})
		c := New(nil)
		c.SetBarcodeReader(func(image.Image) (string, error) { return payload, nil })
		r, det, err := c.Classify(image.NewGray(image.Rect(0, 0, 100, 63)), &Options{CaptureType: CaptureFront})
		if err != nil {
			t.Fatal(err)
		}
		if r.ClassName != tc.class || r.CountryCode != tc.cc || r.Name != tc.name || r.Side != SideBack || det.Barcode != payload {
			t.Errorf("IIN %s: %+v", tc.iin, r)
		}
		if !strings.Contains(strings.Join(r.Evidence, ";"), "AAMVA IIN "+tc.iin) {
			t.Errorf("evidence %q", r.Evidence)
		}
	}
	// A barcode that is not AAMVA, or a decoder error, leaves Unknown.
	c := New(nil)
	c.SetBarcodeReader(func(image.Image) (string, error) { return "hello", nil })
	if r, _, _ := c.Classify(image.NewGray(image.Rect(0, 0, 100, 63)), nil); r.ClassName != ClassUnknown {
		t.Errorf("non-AAMVA barcode: %+v", r)
	}
	c.SetBarcodeReader(func(image.Image) (string, error) { return "", errors.New("none") })
	if r, _, _ := c.Classify(image.NewGray(image.Rect(0, 0, 100, 63)), nil); r.ClassName != ClassUnknown {
		t.Errorf("no barcode: %+v", r)
	}
}

// card draws a synthetic ID-1 front: a coloured band, a photo box and text
// blocks whose positions depend on model; variant changes the "person".
func card(model, variant int64, w int) *image.NRGBA {
	h := w * 54 / 86
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rm := rand.New(rand.NewSource(model))
	rv := rand.New(rand.NewSource(variant*7919 + model))
	bg := color.NRGBA{uint8(180 + rm.Intn(70)), uint8(180 + rm.Intn(70)), uint8(180 + rm.Intn(70)), 255}
	band := color.NRGBA{uint8(rm.Intn(200)), uint8(rm.Intn(200)), uint8(rm.Intn(200)), 255}
	fill := func(x0, y0, x1, y1 float64, c color.NRGBA) {
		for y := int(y0 * float64(h)); y < int(y1*float64(h)) && y < h; y++ {
			for x := int(x0 * float64(w)); x < int(x1*float64(w)) && x < w; x++ {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	fill(0, 0, 1, 1, bg)
	fill(0, 0, 1, 0.12+rm.Float64()*0.1, band)
	px := 0.04 + rm.Float64()*0.5
	fill(px, 0.3, px+0.28, 0.9, color.NRGBA{uint8(60 + rv.Intn(80)), uint8(50 + rv.Intn(80)), uint8(40 + rv.Intn(80)), 255})
	for k := 0; k < 5; k++ {
		x := 0.05 + rm.Float64()*0.6
		y := 0.3 + float64(k)*0.12
		l := 0.1 + rv.Float64()*0.2
		fill(x, y, x+l, y+0.04, color.NRGBA{30, 30, 40, 255})
	}
	return img
}

func TestLayoutMatch(t *testing.T) {
	var lib Library
	for m := int64(1); m <= 6; m++ {
		fp, err := ComputeFingerprint(card(m, 0, 600))
		if err != nil {
			t.Fatal(err)
		}
		lib.Templates = append(lib.Templates, Template{DocumentID: uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint(m))).String(),
			ClassName: ClassIDCard, CountryCode: "XU", Name: fmt.Sprintf("Model %d", m), Side: SideFront, Format: "ID1",
			Features: Features{Layout: fp}})
	}
	c := New(&lib)
	c.SetBarcodeReader(nil)
	right := 0
	n := 0
	for m := int64(1); m <= 6; m++ {
		for v := int64(1); v <= 3; v++ {
			n++
			r, det, _ := c.Classify(card(m, v, 500+int(v)*300), &Options{CaptureType: CaptureFront})
			if r.Name == fmt.Sprintf("Model %d", m) {
				right++
			} else {
				t.Logf("model %d variant %d: %+v (score %.2f)", m, v, r, det.LayoutScore)
			}
		}
	}
	if right != n {
		t.Errorf("layout match %d/%d", right, n)
	}
	// A different model is not matched.
	r, det, _ := c.Classify(card(99, 1, 700), nil)
	if r.ClassName != ClassUnknown {
		t.Errorf("unseen model matched: %+v (%.2f)", r, det.LayoutScore)
	}
}

func TestParseTemplateRejects(t *testing.T) {
	for _, s := range []string{`{`, `{"DocumentID":"x","ClassName":"Passport","Name":"a","Side":"Front"}`,
		`{"DocumentID":"6f1c2b0e-8d4a-4c59-9a57-3e0b7c1d2f48","ClassName":"Car","Name":"a","Side":"Front"}`,
		`{"DocumentID":"6f1c2b0e-8d4a-4c59-9a57-3e0b7c1d2f48","ClassName":"Passport","Name":"a","Side":"Top"}`,
		`{"DocumentID":"6f1c2b0e-8d4a-4c59-9a57-3e0b7c1d2f48","ClassName":"Passport","Name":"a","Side":"Front","Features":{"Layout":{"Luma":[1]}}}`,
		`{"DocumentID":"6f1c2b0e-8d4a-4c59-9a57-3e0b7c1d2f48","ClassName":"Passport","Name":"a","Side":"Front","Bogus":1}`} {
		if _, err := ParseTemplate([]byte(s)); err == nil {
			t.Errorf("accepted %s", s)
		}
	}
}

func FuzzParseTemplate(f *testing.F) {
	f.Add([]byte(`{"DocumentID":"6f1c2b0e-8d4a-4c59-9a57-3e0b7c1d2f48","ClassName":"Passport","Name":"a","Side":"Front"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if tp, err := ParseTemplate(b); err == nil {
			if tp.Validate() != nil {
				t.Fatal("parsed template does not validate")
			}
		}
	})
}

// cardBack draws a licence back with an AAMVA PDF417 symbol.
func cardBack(t testing.TB, payload string, w int) *image.NRGBA {
	sym, err := pdf417.Encode([]byte(payload), pdf417.EncodeOptions{AutoEC: true})
	if err != nil {
		t.Fatal(err)
	}
	mod := max(2, w*8/10/(17*sym.Cols+69))
	bc := sym.Image(mod, 3*mod, 2*mod)
	h := w * 54 / 86
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 235
	}
	ox, oy := (w-bc.Rect.Dx())/2, h-bc.Rect.Dy()-h/12
	for y := 0; y < bc.Rect.Dy(); y++ {
		for x := 0; x < bc.Rect.Dx(); x++ {
			v := bc.GrayAt(bc.Rect.Min.X+x, bc.Rect.Min.Y+y).Y
			img.SetNRGBA(ox+x, oy+y, color.NRGBA{v, v, v, 255})
		}
	}
	return img
}

func TestAAMVABarcodeImage(t *testing.T) {
	payload := aamva.Build(aamva.Record{IIN: "636028", Subfile: "DL", FamilyName: "SAMPLE", FirstName: "JANE", DocumentNumber: "DL1234567"})
	r, det, err := New(nil).Classify(cardBack(t, payload, 1200), &Options{CaptureType: CaptureBack})
	if err != nil {
		t.Fatal(err)
	}
	if r.ClassName != ClassDriversLicense || r.Name != "British Columbia (BC) Driver's Licence" || r.Side != SideBack || r.CountryCode != "CA" || det.Barcode != payload {
		t.Fatalf("got %+v barcode %q", r, det.Barcode)
	}
}
