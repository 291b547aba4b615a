package aamva

import (
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// sampleV10 follows the example layout of the AAMVA DL/ID-2020 standard
// (Virginia, version 10, one DL subfile and one jurisdiction subfile ZV).
const sampleV10 = "@\n\x1e\rANSI 636000100002DL00410278ZV03190008" +
	"DLDAQT64235789\nDCSSAMPLE\nDDEN\nDACMICHAEL\nDDFN\nDADJOHN\nDDGN\nDCAD\nDCBK\nDCDPH\nDBD06062019\n" +
	"DBB06061986\nDBA12102024\nDBC1\nDAU068 in\nDAYBRO\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\nDAJVA\n" +
	"DAK232690000  \nDCF2424244747474786102204\nDCGUSA\nDCK123456789\nDDAF\nDDB06062018\nDDC06062020\nDDD1\r" +
	"ZVZVA01\r"

func TestParseTable(t *testing.T) {
	bc := Build(Record{IIN: "636028", Version: 8, JurisdictionVersion: 0, Subfile: "DL",
		FamilyName: "SPECIMEN", FirstName: "TEST", MiddleName: "CARD", DocumentNumber: "1234567",
		BirthDate: Date{1980, 2, 29}, ExpiryDate: Date{2030, 1, 31}, IssueDate: Date{2025, 1, 31},
		Sex: "F", Street: "1 MAIN ST", City: "VICTORIA", State: "BC", PostalCode: "V8W 1A1"})
	v1 := "@\n\x1e\rANSI 6360100102DL00390190ZF02290063DLDAQD12345678\nDAAPUBLIC,JOHN,QUINCY\n" +
		"DAG789 E OAK ST\nDAIANYTOWN\nDAJFL\nDAK123450000\nDBA20100630\nDBB19700615\nDBCM\nDBD20040630\r"
	tests := []struct {
		name, in                   string
		iin, sub, country, jur, nm string
		ver                        int
		family, first, middle, num string
		birth, expiry              Date
		sex                        string
		err                        error
	}{
		{"v10 VA", sampleV10, "636000", "DL", "US", "VA", "Virginia", 10, "SAMPLE", "MICHAEL", "JOHN", "T64235789",
			Date{1986, 6, 6}, Date{2024, 12, 10}, "M", nil},
		{"built BC", bc, "636028", "DL", "CA", "BC", "British Columbia", 8, "SPECIMEN", "TEST", "CARD", "1234567",
			Date{1980, 2, 29}, Date{2030, 1, 31}, "F", nil},
		{"v1 FL full name", v1, "636010", "DL", "US", "FL", "Florida", 1, "PUBLIC", "JOHN", "QUINCY", "D12345678",
			Date{1970, 6, 15}, Date{2010, 6, 30}, "M", nil},
		{"wrong offsets", strings.Replace(sampleV10, "DL00410278", "DL00450278", 1), "636000", "DL", "US", "VA", "Virginia", 10,
			"SAMPLE", "MICHAEL", "JOHN", "T64235789", Date{1986, 6, 6}, Date{2024, 12, 10}, "M", nil},
		{"no space after ANSI, junk before", "]L2" + strings.Replace(sampleV10, "ANSI ", "ANSI", 1), "636000", "DL", "US", "VA", "Virginia", 10,
			"SAMPLE", "MICHAEL", "JOHN", "T64235789", Date{1986, 6, 6}, Date{2024, 12, 10}, "M", nil},
		{"ID card", strings.Replace(strings.Replace(sampleV10, "DL0041", "ID0041", 1), "DLDAQ", "IDDAQ", 1), "636000", "ID", "US", "VA", "Virginia", 10,
			"SAMPLE", "MICHAEL", "JOHN", "T64235789", Date{1986, 6, 6}, Date{2024, 12, 10}, "M", nil},
		{"CR LF separators", strings.Replace(strings.ReplaceAll(sampleV10, "\n", "\r\n"), "@\r\n", "@\n", 1), "636000", "DL", "US", "VA", "Virginia", 10,
			"SAMPLE", "MICHAEL", "JOHN", "T64235789", Date{1986, 6, 6}, Date{2024, 12, 10}, "M", nil},
		{"not aamva", "hello world", "", "", "", "", "", 0, "", "", "", "", Date{}, Date{}, "", ErrNotAAMVA},
		{"header only", "@\n\x1e\rANSI 636000100001", "636000", "", "US", "VA", "Virginia", 10, "", "", "", "", Date{}, Date{}, "", ErrNoSubfile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := []any{r.IIN, r.Subfile, r.Country, r.Jurisdiction, r.JurisdictionName, r.Version,
				r.FamilyName, r.FirstName, r.MiddleName, r.DocumentNumber, r.BirthDate, r.ExpiryDate, r.Sex}
			want := []any{tc.iin, tc.sub, tc.country, tc.jur, tc.nm, tc.ver,
				tc.family, tc.first, tc.middle, tc.num, tc.birth, tc.expiry, tc.sex}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("field %d = %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

func TestParseV10Details(t *testing.T) {
	r, err := Parse(sampleV10)
	if err != nil {
		t.Fatal(err)
	}
	if r.JurisdictionVersion != 0 || r.Entries != 2 || len(r.Subfiles) != 2 || r.Subfiles[1].Type != "ZV" {
		t.Fatalf("header: jv=%d entries=%d subfiles=%+v", r.JurisdictionVersion, r.Entries, r.Subfiles)
	}
	if r.Subfiles[1].Elements["ZVA"] != "01" {
		t.Errorf("ZV subfile elements = %v", r.Subfiles[1].Elements)
	}
	if r.Height != "068 in" || r.EyeColor != "BRO" || r.City != "RICHMOND" || r.PostalCode != "232690000" || r.IssueDate != (Date{2019, 6, 6}) {
		t.Errorf("typed fields: %+v", r)
	}
}

func TestIINTable(t *testing.T) {
	codes := map[string]bool{}
	for _, j := range Jurisdictions() {
		if len(j.IIN) != 6 || !allDigits(j.IIN) || len(j.Code) != 2 || j.Name == "" || (j.Country != "US" && j.Country != "CA") {
			t.Errorf("bad entry %+v", j)
		}
		codes[j.Country+j.Code] = true
	}
	us := strings.Fields("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI")
	ca := strings.Fields("AB BC MB NB NL NT NS NU ON PE QC SK YT")
	for _, c := range us {
		if !codes["US"+c] {
			t.Errorf("missing US %s", c)
		}
	}
	for _, c := range ca {
		if !codes["CA"+c] {
			t.Errorf("missing CA %s", c)
		}
	}
	if len(iinIndex) != len(iinTable) {
		t.Errorf("duplicate IINs: %d unique of %d", len(iinIndex), len(iinTable))
	}
	if j, ok := LookupIIN("636028"); !ok || j.Code != "BC" || j.Country != "CA" {
		t.Errorf("LookupIIN(636028) = %+v %v", j, ok)
	}
	if _, ok := LookupIIN("123456"); ok {
		t.Error("LookupIIN accepted an unknown IIN")
	}
}

// RandomRecord returns a seeded random record for round trips.
func randomRecord(rng *rand.Rand) Record {
	js := Jurisdictions()
	j := js[rng.Intn(len(js))]
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('A' + rng.Intn(26))
		}
		return string(b)
	}
	sub := "DL"
	if rng.Intn(3) == 0 {
		sub = "ID"
	}
	return Record{IIN: j.IIN, Version: 2 + rng.Intn(9), JurisdictionVersion: rng.Intn(10), Subfile: sub,
		FamilyName: word(3 + rng.Intn(10)), FirstName: word(2 + rng.Intn(8)), MiddleName: word(rng.Intn(6)),
		DocumentNumber: fmt.Sprintf("%s%07d", word(1), rng.Intn(10000000)),
		BirthDate:      Date{1930 + rng.Intn(80), 1 + rng.Intn(12), 1 + rng.Intn(28)},
		ExpiryDate:     Date{2020 + rng.Intn(15), 1 + rng.Intn(12), 1 + rng.Intn(28)},
		IssueDate:      Date{2015 + rng.Intn(10), 1 + rng.Intn(12), 1 + rng.Intn(28)},
		Sex:            []string{"M", "F", "X"}[rng.Intn(3)],
		Street:         fmt.Sprintf("%d %s ST", 1+rng.Intn(9999), word(5)), City: word(4 + rng.Intn(8)),
		State: j.Code, PostalCode: fmt.Sprintf("%05d", rng.Intn(100000)), Height: fmt.Sprintf("%03d in", 55+rng.Intn(25)),
		EyeColor: []string{"BRO", "BLU", "GRN", "HAZ"}[rng.Intn(4)],
		Subfiles: []Subfile{{Type: "Z" + j.Code[:1], Elements: map[string]string{"Z" + j.Code[:1] + "A": word(4)}}},
	}
}

func TestBuildParseRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 500; i++ {
		in := randomRecord(rng)
		s := Build(in)
		r, err := Parse(s)
		if err != nil {
			t.Fatalf("#%d Parse(Build): %v\n%q", i, err, s)
		}
		j, _ := LookupIIN(in.IIN)
		if r.IIN != in.IIN || r.Subfile != in.Subfile || r.Version != in.Version || r.JurisdictionVersion != in.JurisdictionVersion ||
			r.FamilyName != in.FamilyName || r.FirstName != in.FirstName || r.MiddleName != in.MiddleName ||
			r.DocumentNumber != in.DocumentNumber || r.BirthDate != in.BirthDate || r.ExpiryDate != in.ExpiryDate ||
			r.IssueDate != in.IssueDate || r.Sex != in.Sex || r.Street != in.Street || r.City != in.City ||
			r.Country != j.Country || r.Jurisdiction != j.Code || len(r.Subfiles) != 2 {
			t.Fatalf("#%d round trip mismatch:\n in %+v\nout %+v", i, in, r)
		}
		// Offsets and lengths written by Build are exact.
		for _, sf := range r.Subfiles {
			if s[sf.Offset:sf.Offset+2] != sf.Type || s[sf.Offset+sf.Length-1] != SegmentTerminator {
				t.Fatalf("#%d subfile %s offset/length wrong", i, sf.Type)
			}
		}
	}
}

func TestDates(t *testing.T) {
	us := &Record{Country: "US", Version: 8}
	ca := &Record{Country: "CA", Version: 8}
	if d := us.ParseDate("07041976"); d != (Date{1976, 7, 4}) {
		t.Errorf("US date = %v", d)
	}
	if d := ca.ParseDate("19760704"); d != (Date{1976, 7, 4}) {
		t.Errorf("CA date = %v", d)
	}
	// A Canadian card that wrote MMDDCCYY anyway falls back.
	if d := ca.ParseDate("07041976"); d != (Date{1976, 7, 4}) {
		t.Errorf("CA fallback = %v", d)
	}
	for _, bad := range []string{"", "1234", "99999999", "0230199x"} {
		if d := us.ParseDate(bad); !d.IsZero() {
			t.Errorf("ParseDate(%q) = %v", bad, d)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sampleV10)
	f.Add(Build(randomRecord(rand.New(rand.NewSource(2)))))
	f.Add("@\n\x1e\rANSI 6360100102DL00390190")
	f.Add("AAMVA6360000102DL")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err == nil && (r == nil || (r.Subfile != "DL" && r.Subfile != "ID")) {
			t.Fatalf("nil error but bad record %+v", r)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	s := Build(randomRecord(rand.New(rand.NewSource(3))))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleParse() {
	payload := Build(Record{IIN: "636028", Version: 10, Subfile: "DL", FamilyName: "DOE", FirstName: "JANE",
		DocumentNumber: "7654321", BirthDate: Date{1990, 5, 17}, ExpiryDate: Date{2031, 5, 17}})
	r, err := Parse(payload)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Subfile, r.Country, r.Jurisdiction, r.JurisdictionName)
	fmt.Println(r.FamilyName, r.FirstName, r.DocumentNumber, r.BirthDate, r.Elements["DBB"])
	// Output:
	// DL CA BC British Columbia
	// DOE JANE 7654321 1990-05-17 19900517
}

func ExampleLookupIIN() {
	j, ok := LookupIIN("636014")
	fmt.Println(j.Name, j.Code, j.Country, ok)
	// Output: California CA US true
}

func TestParseVariants(t *testing.T) {
	// Pre-standard "AAMVA" file type, version 01 (no jurisdiction version).
	old := "@\n\x1e\rAAMVA6360040101DL00290150DLDAQ000123456\nDAAROE,RICHARD\nDBB19650102\nDBA20100102\nDBCM\nDAJNC\r"
	r, err := Parse(old)
	if err != nil {
		t.Fatal(err)
	}
	if r.FileType != "AAMVA" || r.Version != 1 || r.Jurisdiction != "NC" || r.FamilyName != "ROE" || r.FirstName != "RICHARD" ||
		r.BirthDate != (Date{1965, 1, 2}) {
		t.Errorf("AAMVA v1: %+v", r)
	}
	// Unknown IIN: country and jurisdiction from DCG / DAJ.
	unk := Build(Record{IIN: "999999", Version: 9, Subfile: "ID", FamilyName: "X", DocumentNumber: "1",
		Elements: map[string]string{"DCG": "CAN", "DAJ": "ON"}})
	r, err = Parse(unk)
	if err != nil {
		t.Fatal(err)
	}
	if r.Country != "CA" || r.Jurisdiction != "ON" || r.JurisdictionName != "Ontario" || r.Subfile != "ID" {
		t.Errorf("unknown IIN: %+v", r)
	}
	// Designators missing entirely: the DL subfile is found by its content.
	bare := "@\n\x1e\rANSI 636015090001DLDAQ12345678\nDCSDOE\nDACJOHN\nDBB01021980\r"
	r, err = Parse(bare)
	if err != nil || r.DocumentNumber != "12345678" || r.Jurisdiction != "TX" || r.BirthDate != (Date{1980, 1, 2}) {
		t.Errorf("bare: %+v %v", r, err)
	}
}
