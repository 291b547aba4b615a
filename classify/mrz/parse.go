// Package mrz reads the machine readable zone (ICAO Doc 9303) of passports,
// identity cards, visas and residence permits: it locates the zone in an
// image, segments and recognises the OCR-B characters with a recogniser
// trained on rendered glyphs (weights embedded, see gen/), and parses the
// lines of formats TD1 (3x30), TD2 (2x36), TD3 (2x44), MRV-A (2x44) and
// MRV-B (2x36) with their check digits.
//
// The package is pure: no I/O, no goroutines, errors instead of panics.
package mrz

import (
	"errors"
	"fmt"
	"strings"
)

// Format is an MRZ layout.
type Format int

// MRZ layouts.
const (
	FormatUnknown Format = iota
	TD1                  // 3 lines x 30: ID-1 cards
	TD2                  // 2 lines x 36: ID-2 cards
	TD3                  // 2 lines x 44: passports
	MRVA                 // 2 lines x 44: visa format A
	MRVB                 // 2 lines x 36: visa format B
)

var formatNames = [...]string{"", "TD1", "TD2", "TD3", "MRV-A", "MRV-B"}

func (f Format) String() string {
	if f < 0 || int(f) >= len(formatNames) {
		return fmt.Sprintf("Format(%d)", int(f))
	}
	return formatNames[f]
}

// MarshalText encodes f as its name ("TD3", "MRV-A"...).
func (f Format) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText decodes a format name.
func (f *Format) UnmarshalText(b []byte) error {
	for i, n := range formatNames {
		if n == string(b) {
			*f = Format(i)
			return nil
		}
	}
	return fmt.Errorf("mrz: unknown format %q", b)
}

// LineLen returns the line length and the line count of f (0, 0 if unknown).
func (f Format) LineLen() (length, lines int) {
	switch f {
	case TD1:
		return 30, 3
	case TD2, MRVB:
		return 36, 2
	case TD3, MRVA:
		return 44, 2
	}
	return 0, 0
}

// Check is one check digit verification.
type Check struct {
	Field string // "number", "birth", "expiry", "optional", "composite"
	OK    bool
}

// Document is a parsed MRZ.
type Document struct {
	Format       Format
	Lines        []string
	DocumentCode string // e.g. "P", "PM", "I", "ID", "IR", "AR", "V", "VI"
	IssuingState string // as printed, fillers removed (e.g. "D", "UTO", "GBR")
	Surname      string // "<" replaced by spaces
	GivenNames   string
	Number       string // document number, fillers removed
	Nationality  string
	BirthDate    string // YYMMDD as printed
	Sex          string // "M", "F" or "<"
	ExpiryDate   string // YYMMDD
	Optional1    string // optional data (personal number), fillers removed
	Optional2    string // TD1 line 2 optional data
	Checks       []Check
}

// ChecksPassed counts the passed checks.
func (d *Document) ChecksPassed() int {
	n := 0
	for _, c := range d.Checks {
		if c.OK {
			n++
		}
	}
	return n
}

// Valid reports whether every check digit verifies.
func (d *Document) Valid() bool {
	return len(d.Checks) > 0 && d.ChecksPassed() == len(d.Checks)
}

// Errors returned by Parse.
var (
	ErrFormat  = errors.New("mrz: lines do not match TD1, TD2, TD3, MRV-A or MRV-B")
	ErrCharset = errors.New("mrz: character outside A-Z 0-9 <")
)

// CharValue is the ICAO 9303 value of an MRZ character: 0-9 for digits,
// A=10 ... Z=35, '<'=0; -1 for anything else.
func CharValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	case c == '<':
		return 0
	}
	return -1
}

// CheckDigit computes the ICAO 9303 check digit of s (weights 7, 3, 1
// repeating, modulus 10); -1 if s holds an invalid character.
func CheckDigit(s string) int {
	w := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		v := CharValue(s[i])
		if v < 0 {
			return -1
		}
		sum += v * w[i%3]
	}
	return sum % 10
}

// checkOK verifies digit c against data; '<' counts as 0 (used by states
// that leave an empty optional field's check digit blank).
func checkOK(data string, c byte) bool {
	cd := CheckDigit(data)
	if cd < 0 {
		return false
	}
	if c == '<' {
		return cd == 0
	}
	return c >= '0' && c <= '9' && int(c-'0') == cd
}

// Detect returns the format that the line count and lengths (and, for 2-line
// formats, the leading 'V') indicate.
func Detect(lines []string) Format {
	switch len(lines) {
	case 3:
		if len(lines[0]) == 30 && len(lines[1]) == 30 && len(lines[2]) == 30 {
			return TD1
		}
	case 2:
		if len(lines[0]) != len(lines[1]) || len(lines[0]) == 0 {
			return FormatUnknown
		}
		visa := lines[0][0] == 'V'
		switch len(lines[0]) {
		case 36:
			if visa {
				return MRVB
			}
			return TD2
		case 44:
			if visa {
				return MRVA
			}
			return TD3
		}
	}
	return FormatUnknown
}

func clean(s string) string { return strings.Trim(strings.ReplaceAll(s, "<", " "), " ") }

func trimFill(s string) string { return strings.TrimRight(s, "<") }

func names(s string) (surname, given string) {
	s = strings.TrimRight(s, "<")
	if i := strings.Index(s, "<<"); i >= 0 {
		return clean(s[:i]), clean(strings.TrimLeft(s[i+2:], "<"))
	}
	return clean(s), ""
}

// Parse parses MRZ lines (fixed length, characters A-Z 0-9 <). Check digit
// failures are reported in Document.Checks, not as an error.
func Parse(lines []string) (*Document, error) {
	f := Detect(lines)
	if f == FormatUnknown {
		return nil, ErrFormat
	}
	for _, l := range lines {
		for i := 0; i < len(l); i++ {
			if CharValue(l[i]) < 0 {
				return nil, ErrCharset
			}
		}
	}
	d := &Document{Format: f, Lines: append([]string(nil), lines...)}
	l1 := lines[0]
	d.DocumentCode = trimFill(l1[0:2])
	d.IssuingState = trimFill(l1[2:5])
	add := func(field, data string, c byte) {
		d.Checks = append(d.Checks, Check{Field: field, OK: checkOK(data, c)})
	}
	switch f {
	case TD1:
		l2, l3 := lines[1], lines[2]
		num, numCD := l1[5:14], l1[14]
		opt := l1[15:30]
		if numCD == '<' && trimFill(opt) != "" {
			// Long document number: it continues in the optional field and
			// its check digit is the last character before the fillers.
			ext := trimFill(opt)
			num = num + ext[:len(ext)-1]
			numCD = ext[len(ext)-1]
			opt = ""
		}
		d.Number = trimFill(num)
		d.Optional1 = trimFill(opt)
		d.BirthDate, d.Sex, d.ExpiryDate = l2[0:6], l2[7:8], l2[8:14]
		d.Nationality = trimFill(l2[15:18])
		d.Optional2 = trimFill(l2[18:29])
		d.Surname, d.GivenNames = names(l3)
		add("number", num, numCD)
		add("birth", l2[0:6], l2[6])
		add("expiry", l2[8:14], l2[14])
		add("composite", l1[5:30]+l2[0:7]+l2[8:15]+l2[18:29], l2[29])
	default:
		l2 := lines[1]
		d.Surname, d.GivenNames = names(l1[5:])
		d.Number = trimFill(l2[0:9])
		d.Nationality = trimFill(l2[10:13])
		d.BirthDate, d.Sex, d.ExpiryDate = l2[13:19], l2[20:21], l2[21:27]
		add("number", l2[0:9], l2[9])
		add("birth", l2[13:19], l2[19])
		add("expiry", l2[21:27], l2[27])
		switch f {
		case TD3:
			d.Optional1 = trimFill(l2[28:42])
			add("optional", l2[28:42], l2[42])
			add("composite", l2[0:10]+l2[13:20]+l2[21:43], l2[43])
		case TD2:
			d.Optional1 = trimFill(l2[28:35])
			add("composite", l2[0:10]+l2[13:20]+l2[21:35], l2[35])
		case MRVA:
			d.Optional1 = trimFill(l2[28:44])
		case MRVB:
			d.Optional1 = trimFill(l2[28:36])
		}
	}
	return d, nil
}
