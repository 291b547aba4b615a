package mrz

import (
	"encoding/json"
	"image"
	"strings"
	"testing"
)

var specimens = []struct {
	lines   string
	format  Format
	code    string
	state   string
	surname string
	given   string
	number  string
	checks  int
}{
	{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10", TD3, "P", "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", 5},
	{"P<GBRPUDARSAN<<HENERT<<<<<<<<<<<<<<<<<<<<<<<|7077979792GBR9505209M1704224<<<<<<<<<<<<<<00", TD3, "P", "GBR", "PUDARSAN", "HENERT", "707797979", 5},
	{"I<UTOD231458907<<<<<<<<<<<<<<<|7408122F1204159UTO<<<<<<<<<<<6|ERIKSSON<<ANNA<MARIA<<<<<<<<<<", TD1, "I", "UTO", "ERIKSSON", "ANNA MARIA", "D23145890", 4},
	{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<|D231458907UTO7408122F1204159<<<<<<<6", TD2, "I", "UTO", "ERIKSSON", "ANNA MARIA", "D23145890", 4},
	{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L8988901C4XXX4009078F96121096ZE184226B<<<<<<", MRVA, "V", "UTO", "ERIKSSON", "ANNA MARIA", "L8988901C", 3},
	{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<|L8988901C4XXX4009078F9612109<<<<<<<<", MRVB, "V", "UTO", "ERIKSSON", "ANNA MARIA", "L8988901C", 3},
}

func TestParseSpecimens(t *testing.T) {
	for _, s := range specimens {
		d, err := Parse(strings.Split(s.lines, "|"))
		if err != nil {
			t.Fatalf("%s: %v", s.lines, err)
		}
		if d.Format != s.format || d.DocumentCode != s.code || d.IssuingState != s.state ||
			d.Surname != s.surname || d.GivenNames != s.given || d.Number != s.number {
			t.Errorf("%s: got %+v", s.lines, d)
		}
		if len(d.Checks) != s.checks || !d.Valid() {
			t.Errorf("%s: checks %+v", s.lines, d.Checks)
		}
	}
}

func TestCheckDigit(t *testing.T) {
	for s, want := range map[string]int{"L898902C3": 6, "740812": 2, "120415": 9, "ZE184226B<<<<<": 1, "<<<": 0, "a": -1} {
		if got := CheckDigit(s); got != want {
			t.Errorf("CheckDigit(%q)=%d want %d", s, got, want)
		}
	}
}

func TestCorrect(t *testing.T) {
	for _, s := range specimens {
		truth := strings.Split(s.lines, "|")
		// Damage look-alikes in every field kind.
		bad := make([]string, len(truth))
		for i, l := range truth {
			b := []byte(l)
			for j, c := range b {
				if p := partner(c); p != 0 && (j*7+i)%3 == 0 {
					b[j] = p
				}
			}
			bad[i] = string(b)
		}
		got := Correct(bad, nil)
		d, _ := Parse(got)
		if d == nil || !d.Valid() {
			t.Errorf("corrected %q -> %q not valid", bad, got)
			continue
		}
		if strings.Join(got, "|") != s.lines {
			t.Logf("corrected %q -> %q (valid, differs from truth)", bad, got)
		}
	}
}

func TestAlpha2(t *testing.T) {
	for in, want := range map[string]string{"D<<": "DE", "DEU": "DE", "GBR": "GB", "GBD": "GB", "UTO": "XU", "CHE": "CH", "USA": "US", "CAN": "CA", "NLD": "NL", "ROU": "RO", "UNO": "UN", "XXA": ""} {
		got, _ := Alpha2(in)
		if got != want {
			t.Errorf("Alpha2(%q)=%q want %q", in, got, want)
		}
	}
	if len(alpha3) != 249 {
		t.Errorf("ISO table has %d entries, want 249", len(alpha3))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range specimens {
		f.Add(s.lines)
	}
	f.Add("V<|<<")
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "|")
		d, err := Parse(lines)
		if err == nil {
			_ = d.Valid()
			Alpha2(d.IssuingState)
		}
		Correct(lines, nil)
	})
}

// FuzzRead feeds arbitrary pixels to the locator and recogniser: no panic.
func FuzzRead(f *testing.F) {
	f.Add(uint8(40), uint8(30), []byte("P<UTO<<<<"))
	f.Fuzz(func(t *testing.T, w, h uint8, pix []byte) {
		W, H := int(w)+1, int(h)+1
		g := image.NewGray(image.Rect(0, 0, W, H))
		for i := range g.Pix {
			if len(pix) > 0 {
				g.Pix[i] = pix[i%len(pix)]
			}
		}
		if r, err := Read(g); err == nil && r.Doc == nil {
			t.Fatal("nil document without error")
		}
	})
}

func TestFormatJSON(t *testing.T) {
	d, _ := Parse(strings.Split(specimens[0].lines, "|"))
	b, err := json.Marshal(d)
	if err != nil || !strings.Contains(string(b), `"Format":"TD3"`) {
		t.Fatalf("%s %v", b, err)
	}
	var back Document
	if err := json.Unmarshal(b, &back); err != nil || back.Format != TD3 {
		t.Fatalf("%+v %v", back, err)
	}
}
