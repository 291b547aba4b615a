//go:build !(js && wasm)

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/globalgateway/ggcapture/classify/aamva"
	"github.com/globalgateway/ggcapture/classify/mrz"
	"github.com/globalgateway/ggcapture/classify/pdf417"
	"github.com/globalgateway/ggcapture/internal/synth"
)

// td3 builds a valid passport MRZ (ICAO 9303 TD3) with its check digits.
func td3(state, surname, given, number, nationality, birth, sex, expiry string) []string {
	pad := func(s string, n int) string { return s + strings.Repeat("<", n-len(s)) }
	l1 := pad("P<"+state+surname+"<<"+strings.ReplaceAll(given, " ", "<"), 44)
	num := pad(number, 9)
	opt := pad("", 14)
	cd := func(s string) string { return fmt.Sprint(mrz.CheckDigit(s)) }
	comp := num + cd(num) + birth + cd(birth) + expiry + cd(expiry) + opt + cd(opt)
	l2 := num + cd(num) + nationality + birth + cd(birth) + sex + expiry + cd(expiry) + opt + cd(opt) + cd(comp)
	return []string{l1, l2}
}

func captureDoc(t *testing.T, y4m, id, fn string) docResult {
	t.Helper()
	ctx := tab(t, y4m)
	setConfig(t, ctx, `{autoCaptureTimeoutMs: 60000}`)
	start(t, ctx, id, fn, true, false, token(t, nil))
	o := expectImage(t, ctx, id, 90*time.Second)
	return decodeDoc(t, o.Images[0])
}

// TestPassportClassified: a generated passport page with a Canadian MRZ is
// classified as a Canadian passport.
func TestPassportClassified(t *testing.T) {
	need(t)
	lines := td3("CAN", "MARTIN", "SARAH JANE", "AB1234567", "CAN", "850101", "F", "300101")
	s, err := synth.Render(synth.Doc{Format: synth.ID3, Side: "Front", Seed: 21, Width: 1280, Height: 720, DPI: 176,
		TiltX: 3, Roll: 1, Background: synth.Wood, MRZ: lines})
	if err != nil {
		t.Skipf("passport page with MRZ needs the OCR-B font (fonts-ocr-b): %v", err)
	}
	r := captureDoc(t, video(t, "passport-mrz", s.Image), "pp", "StartPassportCapture")
	c := r.Classification
	t.Logf("classification %v", c)
	if c["ClassName"] != "Passport" || c["CountryCode"] != "CA" {
		t.Errorf("got ClassName %v CountryCode %v, want Passport CA", c["ClassName"], c["CountryCode"])
	}
}

// TestLicenceBackClassified: a licence back with a British Columbia AAMVA
// barcode is classified from the barcode.
func TestLicenceBackClassified(t *testing.T) {
	need(t)
	j, ok := aamva.LookupIIN("636028")
	if !ok {
		t.Fatal("IIN 636028 unknown")
	}
	rec := aamva.Record{IIN: j.IIN, Version: 9, JurisdictionVersion: 1, Subfile: "DL",
		FamilyName: "MARTIN", FirstName: "SARAH", DocumentNumber: "7654321",
		BirthDate: aamva.Date{Year: 1985, Month: 1, Day: 1}, ExpiryDate: aamva.Date{Year: 2030, Month: 1, Day: 1},
		Sex: "F", Street: "100 MAIN ST", City: "VANCOUVER", State: j.Code, PostalCode: "V6B1A1", Height: "170 cm"}
	sym, err := pdf417.Encode([]byte(aamva.Build(rec)), pdf417.EncodeOptions{AutoEC: true, Columns: 13})
	if err != nil {
		t.Fatal(err)
	}
	s, err := synth.Render(synth.Doc{Format: synth.ID1, Side: "Back", Seed: 22, Width: 1280, Height: 720, DPI: 285,
		TiltX: -3, Roll: 1, Background: synth.Desk, Barcode: sym.Image(1, 3, 2)})
	if err != nil {
		t.Fatal(err)
	}
	r := captureDoc(t, video(t, "licence-back", s.Image), "back", "StartBackDocumentCapture")
	c := r.Classification
	t.Logf("classification %v", c)
	if c["Side"] != "Back" || c["CountryCode"] != "CA" || c["ClassName"] != "Drivers License" {
		t.Errorf("got %v, want a Canadian Drivers License, Side Back", c)
	}
	if name, _ := c["Name"].(string); !strings.Contains(name, "British Columbia") {
		t.Errorf("Name %q does not name British Columbia", name)
	}
}

// TestUnrelatedUnknown: a card with no MRZ, no barcode and no matching
// template is Unknown, with a fresh InstanceID each time.
func TestUnrelatedUnknown(t *testing.T) {
	need(t)
	scene := cardScene(t, synth.ID1, "Front", 0)
	y4m := video(t, "card-front", scene.Image)
	var ids []string
	for i := 0; i < 2; i++ {
		r := captureDoc(t, y4m, fmt.Sprintf("u%d", i), "StartFrontDocumentCapture")
		c := r.Classification
		if c["ClassName"] != "Unknown" || c["Name"] != "" || c["CountryCode"] != "" || c["DocumentID"] != "" {
			t.Errorf("got %v, want Unknown with empty Name/CountryCode/DocumentID", c)
		}
		id, _ := c["InstanceID"].(string)
		ids = append(ids, id)
	}
	if ids[0] == ids[1] || len(ids[0]) != 36 {
		t.Errorf("InstanceIDs %v: want two different UUIDs", ids)
	}
}
