// Command gentemplates writes the built-in template library
// (classify/templates/*.json): the generic MRZ classes and one entry per
// AAMVA jurisdiction and subfile type (DL, ID). DocumentIDs are name-based
// UUIDs (SHA-1, RFC 4122 v5) under a fixed namespace, so regenerating gives
// the same IDs; they are committed with the data.
//
//	go run ./classify/internal/gentemplates -o classify/templates
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/globalgateway/ggcapture/classify"
	"github.com/globalgateway/ggcapture/classify/aamva"
	"github.com/google/uuid"
)

// namespace of the built-in DocumentIDs (generated once).
var namespace = uuid.MustParse("6f1c2b0e-8d4a-4c59-9a57-3e0b7c1d2f48")

func main() {
	out := flag.String("o", "classify/templates", "output folder")
	flag.Parse()
	var ts []classify.Template
	mrz := func(key, class, name, side, format, mrzFormat string, codes ...string) {
		ts = append(ts, classify.Template{DocumentID: uuid.NewSHA1(namespace, []byte("mrz/"+key)).String(),
			ClassName: class, Name: name, Side: side, Format: format,
			Features: classify.Features{MRZFormat: mrzFormat, MRZCodes: codes}})
	}
	mrz("TD3/P", classify.ClassPassport, "Passport", classify.SideFront, "ID3", "TD3", "P")
	mrz("TD1/I", classify.ClassIDCard, "Identity Card", classify.SideBack, "ID1", "TD1", "I", "A", "C")
	mrz("TD2/I", classify.ClassIDCard, "Identity Card", classify.SideFront, "", "TD2", "I", "A", "C")
	mrz("TD1/R", classify.ClassResidencePermit, "Residence Permit", classify.SideBack, "ID1", "TD1", "IR", "AR", "CR", "RP", "RT")
	mrz("TD2/R", classify.ClassResidencePermit, "Residence Permit", classify.SideFront, "", "TD2", "IR", "AR", "CR", "RP", "RT")
	mrz("TD3/R", classify.ClassResidencePermit, "Residence Permit", classify.SideFront, "ID3", "TD3", "IR", "AR", "CR", "RP", "RT")
	mrz("MRVA/V", classify.ClassVisa, "Visa", classify.SideFront, "", "MRV-A", "V")
	mrz("MRVB/V", classify.ClassVisa, "Visa", classify.SideFront, "", "MRV-B", "V")
	for _, j := range aamva.Jurisdictions() {
		for _, sub := range []string{"DL", "ID"} {
			class, doc := classify.ClassDriversLicense, "Driver's License"
			if j.Country == "CA" {
				doc = "Driver's Licence"
			}
			if sub == "ID" {
				class, doc = classify.ClassIDCard, "Identification Card"
			}
			ts = append(ts, classify.Template{
				DocumentID:  uuid.NewSHA1(namespace, []byte("aamva/"+j.IIN+"/"+sub)).String(),
				ClassName:   class,
				CountryCode: j.Country,
				Name:        fmt.Sprintf("%s (%s) %s", j.Name, j.Code, doc),
				Side:        classify.SideBack,
				Format:      "ID1",
				Features:    classify.Features{IIN: j.IIN, Subfile: sub},
			})
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	for _, t := range ts {
		var file string
		if t.Features.IIN != "" {
			file = fmt.Sprintf("aamva-%s-%s.json", t.Features.IIN, strings.ToLower(t.Features.Subfile))
		} else {
			file = "mrz-" + strings.ToLower(strings.ReplaceAll(t.Features.MRZFormat, "-", "")) + "-" +
				strings.ToLower(strings.ReplaceAll(t.ClassName, " ", "-")) + ".json"
		}
		b, err := json.MarshalIndent(t, "", "  ")
		if err != nil {
			fail(err)
		}
		if err := os.WriteFile(filepath.Join(*out, file), append(b, '\n'), 0o644); err != nil {
			fail(err)
		}
	}
	fmt.Fprintf(os.Stderr, "gentemplates: wrote %d templates to %s\n", len(ts), *out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gentemplates:", err)
	os.Exit(1)
}
