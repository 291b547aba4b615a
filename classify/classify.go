// Package classify tells what kind of identity document an image shows: its
// class (Passport, Identification Card, Drivers License, Residence Permit,
// Visa or Unknown), side, issuing country and the document model in a
// template library. Evidence comes from the image itself: the machine
// readable zone (package classify/mrz), the AAMVA PDF417 barcode on the back
// of North American cards, and a layout fingerprint matched against the
// template library.
//
// The package is pure: it does no I/O, starts no goroutines and returns
// errors instead of panicking on bad input.
package classify

import (
	"errors"
	"fmt"
	"image"
	"strings"

	"github.com/globalgateway/ggcapture/classify/aamva"
	"github.com/globalgateway/ggcapture/classify/mrz"
	"github.com/google/uuid"
)

// Class names (DESIGN §3).
const (
	ClassDriversLicense  = "Drivers License"
	ClassIDCard          = "Identification Card"
	ClassPassport        = "Passport"
	ClassResidencePermit = "Residence Permit"
	ClassVisa            = "Visa"
	ClassUnknown         = "Unknown"
)

// Sides.
const (
	SideFront = "Front"
	SideBack  = "Back"
)

// Capture types accepted in Options.CaptureType.
const (
	CaptureFront    = "DOCUMENT_FRONT"
	CaptureBack     = "DOCUMENT_BACK"
	CapturePassport = "PASSPORT"
)

// Result is the classification object returned to the SDK (DESIGN §3). With
// ClassName "Unknown", Name, CountryCode and DocumentID are empty; InstanceID
// is always a fresh UUID.
type Result struct {
	ClassName   string
	CountryCode string
	Name        string
	Side        string
	InstanceID  string
	DocumentID  string
	// Evidence lists what the decision rests on, e.g. "MRZ TD3 checks 4/4".
	Evidence []string `json:",omitempty"`
}

// Details carries what was read from the document.
type Details struct {
	// MRZ holds the machine readable zone lines as read (after check-digit
	// correction), empty when none was found.
	MRZ []string `json:",omitempty"`
	// MRZFields is the parsed MRZ (nil when none was found).
	MRZFields *mrz.Document `json:",omitempty"`
	// Barcode is the decoded PDF417 text, empty when none was decoded.
	Barcode string `json:",omitempty"`
	// AAMVA is the parsed barcode payload (nil when not AAMVA).
	AAMVA *aamva.Record `json:",omitempty"`
	// LayoutScore is the similarity of the best layout template match
	// (0 when no layout template was compared).
	LayoutScore float64 `json:",omitempty"`
}

// Options are per-call hints.
type Options struct {
	// CaptureType is DOCUMENT_FRONT, DOCUMENT_BACK or PASSPORT. It only hints
	// the side when the evidence does not decide it; it never sets the class.
	CaptureType string
}

// BarcodeReader decodes the PDF417 symbol in an image (the back of a North
// American card) and returns its text.
type BarcodeReader func(img image.Image) (string, error)

// Classifier classifies document images against a template library. It is
// safe for concurrent use.
type Classifier struct {
	lib     *Library
	barcode BarcodeReader
	// MinLayoutSimilarity is the least fingerprint similarity accepted for
	// a layout-only match (default 0.8).
	MinLayoutSimilarity float64
}

// New returns a Classifier using lib (nil = the built-in library; if that
// cannot be loaded, an empty one: classification then rests on the MRZ and
// barcode rules alone).
func New(lib *Library) *Classifier {
	if lib == nil {
		if b, err := Builtin(); err == nil {
			lib = b
		} else {
			lib = &Library{}
		}
	}
	return &Classifier{lib: lib, barcode: defaultBarcodeReader, MinLayoutSimilarity: 0.8}
}

// SetBarcodeReader replaces the PDF417 decoder (nil disables barcodes).
func (c *Classifier) SetBarcodeReader(r BarcodeReader) { c.barcode = r }

// Library returns the classifier's template library.
func (c *Classifier) Library() *Library { return c.lib }

// ErrNoImage is returned when Classify is called with a nil or empty image.
var ErrNoImage = errors.New("classify: no image")

// Classify classifies img, a document image (ideally cropped and deskewed;
// an uncropped photo works for the MRZ). The error is non-nil only for
// unusable input (nil or empty image); an image without conclusive evidence
// yields ClassName "Unknown" and a nil error.
func (c *Classifier) Classify(img image.Image, o *Options) (Result, Details, error) {
	res := Result{ClassName: ClassUnknown, InstanceID: uuid.NewString()}
	var det Details
	if img == nil || img.Bounds().Empty() {
		return res, det, ErrNoImage
	}
	captureType := ""
	if o != nil {
		captureType = o.CaptureType
	}
	// 1. Machine readable zone.
	if r, err := mrz.Read(img); err == nil {
		det.MRZ = r.Doc.Lines
		det.MRZFields = r.Doc
		if c.fromMRZ(&res, r.Doc) {
			return res, det, nil
		}
	}
	// 2. AAMVA barcode (backs of North American cards).
	if c.barcode != nil {
		if text, err := c.barcode(img); err == nil && text != "" {
			det.Barcode = text
			if rec, err := aamva.Parse(text); err == nil {
				det.AAMVA = rec
				if c.fromAAMVA(&res, rec) {
					return res, det, nil
				}
			}
		}
	}
	// 3. Layout fingerprint against templates that carry one.
	if fp, err := ComputeFingerprint(img); err == nil {
		best, score := c.matchLayout(fp, captureType)
		det.LayoutScore = score
		if best != nil && score >= c.MinLayoutSimilarity {
			res.apply(best)
			res.Evidence = append(res.Evidence, fmt.Sprintf("layout similarity %.2f", score))
			return res, det, nil
		}
	}
	switch captureType {
	case CaptureFront, CapturePassport:
		res.Side = SideFront
	case CaptureBack:
		res.Side = SideBack
	}
	return res, det, nil
}

func (r *Result) apply(t *Template) {
	r.ClassName = t.ClassName
	r.CountryCode = t.CountryCode
	r.Name = t.Name
	r.Side = t.Side
	r.DocumentID = t.DocumentID
}

// ResidenceCodes are the MRZ document codes read as residence permits when
// no template says otherwise: ICAO 9303 leaves the second letter of A/C/I
// codes to the issuing state, and the EU uniform residence permit format
// (Regulation 1030/2002) and the UK BRP use "IR"/"AR"/"CR"; "RP"/"RT" are
// used by some states outside the A/C/I rule.
var ResidenceCodes = []string{"IR", "AR", "CR", "RP", "RT"}

// classByMRZ is the rule used when no template matches the MRZ.
func classByMRZ(d *mrz.Document) (class, side string) {
	code := d.DocumentCode
	for _, rc := range ResidenceCodes {
		if code == rc {
			if d.Format == mrz.TD1 {
				return ClassResidencePermit, SideBack
			}
			return ClassResidencePermit, SideFront
		}
	}
	switch {
	case d.Format == mrz.MRVA || d.Format == mrz.MRVB || strings.HasPrefix(code, "V"):
		return ClassVisa, SideFront
	case strings.HasPrefix(code, "P"):
		return ClassPassport, SideFront
	case d.Format == mrz.TD1 && (strings.HasPrefix(code, "I") || strings.HasPrefix(code, "A") || strings.HasPrefix(code, "C")):
		return ClassIDCard, SideBack
	case d.Format == mrz.TD2 && (strings.HasPrefix(code, "I") || strings.HasPrefix(code, "A") || strings.HasPrefix(code, "C")):
		return ClassIDCard, SideFront
	}
	return "", ""
}

// fromMRZ classifies by a parsed MRZ: a template whose MRZ format and code
// match (the longest code wins, a country-specific template beats a generic
// one), else the ICAO rules of classByMRZ.
func (c *Classifier) fromMRZ(res *Result, d *mrz.Document) bool {
	country, _ := mrz.Alpha2(d.IssuingState)
	var best *Template
	bestRank := -1
	for i := range c.lib.Templates {
		t := &c.lib.Templates[i]
		if t.Features.MRZFormat != d.Format.String() {
			continue
		}
		if t.CountryCode != "" && t.CountryCode != country {
			continue
		}
		for _, code := range t.Features.MRZCodes {
			if !strings.HasPrefix(d.DocumentCode, code) {
				continue
			}
			rank := len(code) * 2
			if t.CountryCode != "" {
				rank += 10
			}
			if rank > bestRank {
				best, bestRank = t, rank
			}
		}
	}
	ev := fmt.Sprintf("MRZ %s checks %d/%d", d.Format, d.ChecksPassed(), len(d.Checks))
	if best != nil {
		res.apply(best)
		if best.CountryCode == "" {
			res.CountryCode = country
			res.Name = best.Name + " (" + d.IssuingState + ")"
		}
	} else {
		class, side := classByMRZ(d)
		if class == "" {
			return false
		}
		res.ClassName, res.Side, res.CountryCode = class, side, country
		res.Name = class + " (" + d.IssuingState + ")"
	}
	res.Evidence = append(res.Evidence, ev, "MRZ document code "+d.DocumentCode+" issuing state "+d.IssuingState)
	return true
}

// fromAAMVA classifies by a parsed AAMVA payload.
func (c *Classifier) fromAAMVA(res *Result, rec *aamva.Record) bool {
	sub := rec.Subfile
	for i := range c.lib.Templates {
		t := &c.lib.Templates[i]
		if t.Features.IIN == rec.IIN && (t.Features.Subfile == "" || t.Features.Subfile == sub) {
			res.apply(t)
			res.Side = SideBack
			res.Evidence = append(res.Evidence, "AAMVA IIN "+rec.IIN, "AAMVA subfile "+sub)
			return true
		}
	}
	// Unknown IIN: still a North American card by its subfile type.
	switch sub {
	case "DL":
		res.ClassName = ClassDriversLicense
	case "ID":
		res.ClassName = ClassIDCard
	default:
		return false
	}
	res.Side = SideBack
	res.CountryCode = rec.Country
	if rec.JurisdictionName != "" {
		res.Name = rec.JurisdictionName + " " + res.ClassName
	}
	res.Evidence = append(res.Evidence, "AAMVA IIN "+rec.IIN+" (not in the library)", "AAMVA subfile "+sub)
	return true
}

// matchLayout returns the template with the most similar layout
// fingerprint. A capture type hint restricts the side (front/passport:
// Front, back: Back).
func (c *Classifier) matchLayout(fp *Fingerprint, captureType string) (*Template, float64) {
	var best *Template
	bestS := 0.0
	for i := range c.lib.Templates {
		t := &c.lib.Templates[i]
		if t.Features.Layout == nil {
			continue
		}
		if (captureType == CaptureBack && t.Side != SideBack) || ((captureType == CaptureFront || captureType == CapturePassport) && t.Side != SideFront) {
			continue
		}
		if s := fp.Similarity(t.Features.Layout); best == nil || s > bestS {
			best, bestS = t, s
		}
	}
	return best, bestS
}
