package classify

import (
	"errors"
	"fmt"
	"image"
	"math/rand"
	"strings"
	"testing"

	"github.com/globalgateway/ggcapture/classify/aamva"
	"github.com/globalgateway/ggcapture/classify/mrz"
	"github.com/globalgateway/ggcapture/classify/pdf417"
	"github.com/globalgateway/ggcapture/internal/synth"
)

func cd(s string) string { return string(rune('0' + mrz.CheckDigit(s))) }

func pad(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

func letters(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + r.Intn(26))
	}
	return string(b)
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.Intn(10))
	}
	return string(b)
}

func date(r *rand.Rand) string {
	return digits(r, 2) + fmt.Sprintf("%02d%02d", 1+r.Intn(12), 1+r.Intn(28))
}

// td3 makes a valid passport MRZ for state.
func td3(r *rand.Rand, state string) []string {
	l1 := pad("P<"+pad(state, 3)+letters(r, 3+r.Intn(8))+"<<"+letters(r, 3+r.Intn(8)), 44)
	num := pad(letters(r, 2)+digits(r, 7), 9)
	dob, exp := date(r), date(r)
	opt := pad(digits(r, r.Intn(10)), 14)
	l2 := num + cd(num) + pad(state, 3) + dob + cd(dob) + "MF"[r.Intn(2):][:1] + exp + cd(exp) + opt + cd(opt)
	l2 += cd(l2[0:10] + l2[13:20] + l2[21:43])
	return []string{l1, l2}
}

// td1 makes a valid ID card MRZ (code "I<" or "IR").
func td1(r *rand.Rand, state, code string) []string {
	num := pad(letters(r, 1)+digits(r, 8), 9)
	l1 := code + pad(state, 3) + num + cd(num) + pad("", 15)
	dob, exp := date(r), date(r)
	l2 := dob + cd(dob) + "F" + exp + cd(exp) + pad(state, 3) + pad("", 11)
	l2 += cd(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
	return []string{l1, l2, pad(letters(r, 6)+"<<"+letters(r, 5), 30)}
}

func render(t testing.TB, d synth.Doc) *image.NRGBA {
	s, err := synth.Render(d)
	if errors.Is(err, synth.ErrNoOCRB) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s.Image
}

// TestSynthDocuments classifies uncropped camera-like captures drawn by
// internal/synth (a renderer independent of the recogniser's generator).
func TestSynthDocuments(t *testing.T) {
	n := 40
	if testing.Short() {
		n = 8
	}
	states := []struct{ a3, a2 string }{{"GBR", "GB"}, {"D", "DE"}, {"CAN", "CA"}, {"FRA", "FR"}, {"UTO", "XU"}, {"NLD", "NL"}, {"USA", "US"}, {"ESP", "ES"}}
	c := New(nil)
	right, chars, charsOK := 0, 0, 0
	for i := 0; i < n; i++ {
		r := rand.New(rand.NewSource(int64(9000 + i)))
		st := states[i%len(states)]
		d := synth.Doc{Seed: int64(i), Roll: (r.Float64()*2 - 1) * 4, TiltX: (r.Float64()*2 - 1) * 8, TiltY: (r.Float64()*2 - 1) * 8,
			BlurSigma: r.Float64() * 0.8, Noise: r.Float64() * 5, Background: synth.Background(r.Intn(5))}
		var wantClass, wantSide string
		var lines []string
		switch i % 3 {
		case 0, 1:
			d.Format, lines, wantClass, wantSide = synth.ID3, td3(r, st.a3), ClassPassport, SideFront
			d.DPI = 150 + r.Float64()*70
		case 2:
			code, cls := "I<", ClassIDCard
			if i%2 == 0 {
				code, cls = "IR", ClassResidencePermit
			}
			d.Format, d.Side, lines, wantClass, wantSide = synth.ID1, "Back", td1(r, st.a3, code), cls, SideBack
			d.DPI = 200 + r.Float64()*100
		}
		d.MRZ = lines
		res, det, err := c.Classify(render(t, d), &Options{CaptureType: CapturePassport})
		if err != nil {
			t.Fatal(err)
		}
		for li, l := range lines {
			chars += len(l)
			if li < len(det.MRZ) {
				for k := 0; k < len(l) && k < len(det.MRZ[li]); k++ {
					if det.MRZ[li][k] == l[k] {
						charsOK++
					}
				}
			}
		}
		if res.ClassName == wantClass && res.CountryCode == st.a2 && res.Side == wantSide {
			right++
		} else {
			t.Logf("#%d %s: got %+v, MRZ %q want %q", i, wantClass, res, det.MRZ, lines)
		}
	}
	acc := float64(charsOK) / float64(chars)
	t.Logf("internal/synth captures: class+country+side right %d/%d, MRZ character accuracy %.2f%%", right, n, 100*acc)
	if right < n*9/10 {
		t.Errorf("class+country+side right on %d/%d", right, n)
	}
}

// aamvaBack renders a licence back with an AAMVA PDF417 symbol.
func aamvaBack(t testing.TB, iin, sub string, seed int64, w, h int) (*image.NRGBA, string) {
	payload := aamva.Build(aamva.Record{IIN: iin, Subfile: sub, FamilyName: "SAMPLE", FirstName: "ALEX", DocumentNumber: fmt.Sprint("D", 1000000+seed)})
	sym, err := pdf417.Encode([]byte(payload), pdf417.EncodeOptions{AutoEC: true})
	if err != nil {
		t.Fatal(err)
	}
	return render(t, synth.Doc{Format: synth.ID1, Side: "Back", Seed: seed, Width: w, Height: h, Barcode: sym.Image(3, 9, 6)}), payload
}

func TestSynthLicenceBack(t *testing.T) {
	c := New(nil)
	for i, tc := range []struct{ iin, sub, class, name string }{
		{"636028", "DL", ClassDriversLicense, "British Columbia (BC) Driver's Licence"},
		{"636015", "DL", ClassDriversLicense, "Texas (TX) Driver's License"},
		{"636001", "ID", ClassIDCard, "New York (NY) Identification Card"},
	} {
		img, payload := aamvaBack(t, tc.iin, tc.sub, int64(i), 1600, 1000)
		res, det, err := c.Classify(img, &Options{CaptureType: CaptureBack})
		if err != nil {
			t.Fatal(err)
		}
		if det.Barcode != payload || res.ClassName != tc.class || res.Name != tc.name || res.Side != SideBack {
			t.Errorf("%s: got %+v (barcode read: %v)", tc.iin, res, det.Barcode == payload)
		}
	}
	// An unrelated image: Unknown, fresh InstanceID.
	res, _, _ := c.Classify(render(t, synth.Doc{Empty: true, Seed: 3, Background: synth.Desk}), nil)
	if res.ClassName != ClassUnknown || res.DocumentID != "" || res.InstanceID == "" {
		t.Errorf("empty scene: %+v", res)
	}
}

// BenchmarkClassify2000 classifies a 2000 px wide capture of an ID-1 card
// back with a TD1 MRZ (the whole pipeline: MRZ locate, OCR, parse, rules).
func BenchmarkClassify2000(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	img := render(b, synth.Doc{Format: synth.ID1, Side: "Back", Seed: 1, Width: 2000, Height: 1300, DPI: 2000 * 0.85 / 3.37,
		MRZ: td1(r, "UTO", "I<")})
	c := New(nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, _, err := c.Classify(img, nil)
		if err != nil || res.ClassName != ClassIDCard {
			b.Fatalf("%+v %v", res, err)
		}
	}
}

// BenchmarkClassifyBarcode2000 classifies a 2000 px licence back by its
// AAMVA barcode (MRZ search fails first, then PDF417 decoding).
func BenchmarkClassifyBarcode2000(b *testing.B) {
	img, _ := aamvaBack(b, "636028", "DL", 1, 2000, 1300)
	c := New(nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, _, err := c.Classify(img, nil)
		if err != nil || res.ClassName != ClassDriversLicense {
			b.Fatalf("%+v %v", res, err)
		}
	}
}

func ExampleClassifier_Classify() {
	c := New(nil)
	res, _, err := c.Classify(image.NewGray(image.Rect(0, 0, 640, 400)), &Options{CaptureType: CaptureFront})
	fmt.Println(res.ClassName, res.Side, res.Name == "", err)
	// Output: Unknown Front true <nil>
}
