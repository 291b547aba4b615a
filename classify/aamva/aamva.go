// Package aamva parses and builds the data payload that the AAMVA DL/ID Card
// Design Standard puts in the PDF417 barcode on the back of North American
// driver's licences and identification cards.
//
// A payload is: the compliance indicator '@', the data element separator
// (LF), the record separator (RS, 0x1E), the segment terminator (CR), the
// file type "ANSI " (older cards: "AAMVA"), the six-digit Issuer
// Identification Number (IIN), the AAMVA version, the jurisdiction version
// (version 02 and later), the number of entries, one 10-character subfile
// designator per entry (type, offset, length) and then the subfiles. Each
// subfile starts with its type ("DL", "ID", "ZX"...) and holds elements made of
// a three-letter ID and a value, separated by LF and ended by CR.
//
// The parser is lenient with real-world deviations (wrong offsets, missing
// separators, a missing space after "ANSI") and never panics.
package aamva

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Separator characters of the standard.
const (
	Compliance        = '@'
	ElementSeparator  = '\n' // LF
	RecordSeparator   = 0x1E // RS
	SegmentTerminator = '\r' // CR
)

// Errors returned by Parse.
var (
	ErrNotAAMVA  = errors.New("aamva: no AAMVA header (\"ANSI \"/\"AAMVA\" + IIN)")
	ErrNoSubfile = errors.New("aamva: no DL or ID subfile")
)

// Date is a calendar date without a time zone.
type Date struct{ Year, Month, Day int }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.Year == 0 && d.Month == 0 && d.Day == 0 }

// String formats d as YYYY-MM-DD ("" when zero).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Subfile is one subfile designator and its elements.
type Subfile struct {
	Type           string // "DL", "ID", "ZC", ...
	Offset, Length int    // as declared in the header
	Elements       map[string]string
	Order          []string // element IDs in payload order
}

// Record is a parsed AAMVA payload.
type Record struct {
	FileType            string // "ANSI" or "AAMVA"
	IIN                 string
	Version             int // AAMVA version number (01 = 2000 ... 10 = 2020)
	JurisdictionVersion int
	Entries             int               // number of entries declared in the header
	Subfile             string            // "DL" or "ID": the main subfile
	Country             string            // "US" or "CA" (ISO 3166-1 alpha-2), "" if unknown
	Jurisdiction        string            // postal code of the issuer, e.g. "BC"
	JurisdictionName    string            // e.g. "British Columbia"
	Elements            map[string]string // elements of the main subfile
	Subfiles            []Subfile         // every subfile, main one first as found

	// Typed fields (filled by Parse from Elements; read by Build when the
	// corresponding element is absent from Elements).
	FamilyName, FirstName, MiddleName string // DCS, DAC, DAD (v1: DAB/DAA)
	DocumentNumber                    string // DAQ
	BirthDate, ExpiryDate, IssueDate  Date   // DBB, DBA, DBD
	Sex                               string // "M", "F", "X" or "" (DBC)
	Street, City, PostalCode          string // DAG, DAI, DAK
	State                             string // DAJ (address jurisdiction code)
	Height                            string // DAU as printed, e.g. "070 IN"
	EyeColor                          string // DAY
}

// Parse parses an AAMVA payload (the decoded text of the PDF417 symbol).
func Parse(text string) (*Record, error) {
	hdr := findHeader(text)
	if hdr < 0 {
		return nil, ErrNotAAMVA
	}
	r := &Record{Elements: map[string]string{}}
	p := hdr
	switch {
	case strings.HasPrefix(text[p:], "ANSI"):
		r.FileType = "ANSI"
		p += 4
	default:
		r.FileType = "AAMVA"
		p += 5
	}
	if p < len(text) && text[p] == ' ' {
		p++
	}
	if p+6 > len(text) || !allDigits(text[p:p+6]) {
		return nil, ErrNotAAMVA
	}
	r.IIN = text[p : p+6]
	p += 6
	num := func(n int) (int, bool) {
		if p+n > len(text) || !allDigits(text[p:p+n]) {
			return 0, false
		}
		v, _ := strconv.Atoi(text[p : p+n])
		p += n
		return v, true
	}
	var ok bool
	if r.Version, ok = num(2); !ok {
		return nil, fmt.Errorf("aamva: bad version: %w", ErrNotAAMVA)
	}
	if r.Version >= 2 {
		if r.JurisdictionVersion, ok = num(2); !ok {
			return nil, fmt.Errorf("aamva: bad jurisdiction version: %w", ErrNotAAMVA)
		}
	}
	if r.Entries, ok = num(2); !ok {
		return nil, fmt.Errorf("aamva: bad number of entries: %w", ErrNotAAMVA)
	}
	if j, ok := LookupIIN(r.IIN); ok {
		r.Country, r.Jurisdiction, r.JurisdictionName = j.Country, j.Code, j.Name
	}

	// Subfile designators: 2 letters + 4 digits offset + 4 digits length.
	type desig struct {
		typ         string
		off, length int
	}
	var ds []desig
	for i := 0; i < r.Entries && i < 64; i++ {
		if p+10 > len(text) {
			break
		}
		t := text[p : p+2]
		if !isUpperAlnum(t) || !allDigits(text[p+2:p+10]) {
			break
		}
		off, _ := strconv.Atoi(text[p+2 : p+6])
		ln, _ := strconv.Atoi(text[p+6 : p+10])
		ds = append(ds, desig{t, off, ln})
		p += 10
	}
	bodyStart := p
	used := map[int]bool{}
	for i, d := range ds {
		start := locateSubfile(text, hdr, bodyStart, d.typ, d.off, i == 0)
		if start < 0 {
			continue
		}
		used[start] = true
		sf := Subfile{Type: d.typ, Offset: d.off, Length: d.length}
		sf.Elements, sf.Order = parseElements(text, start+2)
		r.Subfiles = append(r.Subfiles, sf)
	}
	if len(r.Subfiles) == 0 {
		// No usable designators: look for a DL/ID subfile directly.
		for _, t := range []string{"DL", "ID"} {
			if s := strings.Index(text[bodyStart:], t+"DA"); s >= 0 {
				sf := Subfile{Type: t}
				sf.Elements, sf.Order = parseElements(text, bodyStart+s+2)
				r.Subfiles = append(r.Subfiles, sf)
				break
			}
		}
	}
	main := -1
	for i, sf := range r.Subfiles {
		if sf.Type == "DL" || sf.Type == "ID" {
			main = i
			break
		}
	}
	if main < 0 {
		return r, ErrNoSubfile
	}
	r.Subfile = r.Subfiles[main].Type
	r.Elements = r.Subfiles[main].Elements
	r.fillTyped()
	return r, nil
}

// findHeader returns the index of "ANSI"/"AAMVA" followed (after an optional
// space) by six digits, searching the first part of the text.
func findHeader(text string) int {
	limit := len(text)
	if limit > 256 {
		limit = 256
	}
	for i := 0; i < limit; i++ {
		for _, ft := range []string{"ANSI", "AAMVA"} {
			if !strings.HasPrefix(text[i:], ft) {
				continue
			}
			q := i + len(ft)
			if q < len(text) && text[q] == ' ' {
				q++
			}
			if q+6 <= len(text) && allDigits(text[q:q+6]) {
				return i
			}
		}
	}
	return -1
}

// locateSubfile finds where subfile typ starts. The declared offset counts
// from the start of the file ('@'), but many jurisdictions get it wrong by a
// few bytes, so the offset is tried relative to the compliance indicator and
// to the header, then nearby, then the first occurrence after the header.
func locateSubfile(text string, hdr, bodyStart int, typ string, off int, first bool) int {
	at := func(i int) bool {
		if i < bodyStart || i+2 > len(text) || text[i:i+2] != typ {
			return false
		}
		return i == bodyStart || text[i-1] == SegmentTerminator || text[i-1] == ElementSeparator
	}
	base := strings.LastIndexByte(text[:hdr], Compliance)
	if base < 0 {
		base = hdr - 4
		if base < 0 {
			base = 0
		}
	}
	for _, c := range []int{base + off, hdr + off} {
		if at(c) {
			return c
		}
	}
	for d := 1; d <= 8; d++ {
		for _, c := range []int{base + off - d, base + off + d} {
			if at(c) {
				return c
			}
		}
	}
	if first && at(bodyStart) {
		return bodyStart
	}
	// Search after the header for "<typ>" followed by an element ID.
	for i := bodyStart; i+5 <= len(text); i++ {
		if text[i:i+2] == typ && isUpper(text[i+2]) && isUpperAlnum(text[i+3:i+5]) {
			if i == bodyStart || text[i-1] == SegmentTerminator || text[i-1] == ElementSeparator || first {
				return i
			}
		}
	}
	return -1
}

// parseElements reads elements from i to the segment terminator.
func parseElements(text string, i int) (map[string]string, []string) {
	m := map[string]string{}
	var order []string
	// The subfile ends at the segment terminator. Some issuers separate
	// elements with CR LF: a CR followed by LF is a separator, not the end.
	end := len(text)
	for j := i; j < len(text); j++ {
		if text[j] == SegmentTerminator && (j+1 >= len(text) || text[j+1] != ElementSeparator) {
			end = j
			break
		}
	}
	for _, f := range strings.FieldsFunc(text[i:end], func(r rune) bool {
		return r == ElementSeparator || r == RecordSeparator || r == SegmentTerminator
	}) {
		if len(f) < 3 || !isUpperAlnum(f[:3]) {
			continue
		}
		id := f[:3]
		v := strings.TrimSpace(f[3:])
		if _, dup := m[id]; !dup {
			order = append(order, id)
		}
		m[id] = v
	}
	return m, order
}

func (r *Record) fillTyped() {
	e := r.Elements
	r.FamilyName, r.FirstName, r.MiddleName = e["DCS"], e["DAC"], e["DAD"]
	if r.FamilyName == "" {
		r.FamilyName = e["DAB"] // version 01
	}
	if r.FirstName == "" && e["DCT"] != "" { // versions 02-03: given names
		parts := strings.SplitN(strings.ReplaceAll(e["DCT"], ",", " "), " ", 2)
		r.FirstName = strings.TrimSpace(parts[0])
		if len(parts) > 1 && r.MiddleName == "" {
			r.MiddleName = strings.TrimSpace(parts[1])
		}
	}
	if r.FirstName == "" && e["DAA"] != "" { // version 01 full name: LAST,FIRST,MIDDLE
		parts := strings.Split(e["DAA"], ",")
		if len(parts) > 0 && r.FamilyName == "" {
			r.FamilyName = strings.TrimSpace(parts[0])
		}
		if len(parts) > 1 {
			r.FirstName = strings.TrimSpace(parts[1])
		}
		if len(parts) > 2 && r.MiddleName == "" {
			r.MiddleName = strings.TrimSpace(strings.Join(parts[2:], " "))
		}
	}
	if r.FirstName == "" {
		r.FirstName = e["DAC"]
	}
	r.DocumentNumber = e["DAQ"]
	r.Street, r.City, r.State, r.PostalCode = e["DAG"], e["DAI"], e["DAJ"], e["DAK"]
	r.Height, r.EyeColor = e["DAU"], e["DAY"]
	switch strings.ToUpper(e["DBC"]) {
	case "1", "M":
		r.Sex = "M"
	case "2", "F":
		r.Sex = "F"
	case "9", "X":
		r.Sex = "X"
	}
	switch strings.ToUpper(e["DCG"]) {
	case "USA":
		r.Country = "US"
	case "CAN":
		r.Country = "CA"
	}
	if r.Jurisdiction == "" && r.State != "" {
		if j, ok := LookupCode(r.Country, r.State); ok {
			r.Jurisdiction, r.JurisdictionName = j.Code, j.Name
			if r.Country == "" {
				r.Country = j.Country
			}
		}
	}
	r.BirthDate = r.ParseDate(e["DBB"])
	r.ExpiryDate = r.ParseDate(e["DBA"])
	r.IssueDate = r.ParseDate(e["DBD"])
}

// ParseDate reads an 8-digit date in the format this record's version and
// country use: CCYYMMDD for Canada and for version 01, MMDDCCYY for the US
// from version 02 on. When the preferred format gives an impossible date the
// other one is tried. It returns the zero Date when neither fits.
func (r *Record) ParseDate(s string) Date {
	s = strings.TrimSpace(s)
	if len(s) != 8 || !allDigits(s) {
		return Date{}
	}
	ymd := func() Date {
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[4:6])
		d, _ := strconv.Atoi(s[6:])
		return Date{y, m, d}
	}
	mdy := func() Date {
		m, _ := strconv.Atoi(s[:2])
		d, _ := strconv.Atoi(s[2:4])
		y, _ := strconv.Atoi(s[4:])
		return Date{y, m, d}
	}
	first, second := mdy, ymd
	if r.Country == "CA" || r.Version <= 1 {
		first, second = ymd, mdy
	}
	if d := first(); validDate(d) {
		return d
	}
	if d := second(); validDate(d) {
		return d
	}
	return Date{}
}

// FormatDate writes d in the format of this record's version and country.
func (r *Record) FormatDate(d Date) string {
	if d.IsZero() {
		return ""
	}
	if r.Country == "CA" || r.Version <= 1 {
		return fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day)
	}
	return fmt.Sprintf("%02d%02d%04d", d.Month, d.Day, d.Year)
}

func validDate(d Date) bool {
	if d.Year < 1800 || d.Year > 2200 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	return t.Day() == d.Day
}

// elementOrder is the order Build writes the well-known elements in
// (mandatory elements of the 2020 standard first).
var elementOrder = []string{"DCA", "DCB", "DCD", "DBA", "DCS", "DAC", "DAD", "DBD", "DBB", "DBC",
	"DAY", "DAU", "DAG", "DAH", "DAI", "DAJ", "DAK", "DAQ", "DCF", "DCG", "DDE", "DDF", "DDG"}

// Build writes r as an AAMVA payload: header, one designator for the main
// subfile (r.Subfile, default "DL") plus any extra subfiles in r.Subfiles
// whose type is not DL/ID, with correct offsets and lengths. Elements come
// from r.Elements; typed fields fill the elements that are missing.
// r.Version defaults to 10 and r.Country/IIN are taken from the IIN table
// when empty.
func Build(r Record) string {
	if r.Version == 0 {
		r.Version = 10
	}
	if r.Subfile == "" {
		r.Subfile = "DL"
	}
	if r.IIN == "" && r.Jurisdiction != "" {
		if j, ok := LookupCode(r.Country, r.Jurisdiction); ok {
			r.IIN = j.IIN
		}
	}
	if r.Country == "" {
		if j, ok := LookupIIN(r.IIN); ok {
			r.Country = j.Country
		}
	}
	el := map[string]string{}
	for k, v := range r.Elements {
		el[k] = v
	}
	set := func(id, v string) {
		if _, ok := el[id]; !ok && v != "" {
			el[id] = v
		}
	}
	set("DCS", r.FamilyName)
	set("DAC", r.FirstName)
	set("DAD", r.MiddleName)
	set("DAQ", r.DocumentNumber)
	set("DBB", r.FormatDate(r.BirthDate))
	set("DBA", r.FormatDate(r.ExpiryDate))
	set("DBD", r.FormatDate(r.IssueDate))
	switch r.Sex {
	case "M":
		set("DBC", "1")
	case "F":
		set("DBC", "2")
	case "X":
		set("DBC", "9")
	}
	set("DAG", r.Street)
	set("DAI", r.City)
	set("DAJ", r.State)
	set("DAK", r.PostalCode)
	set("DAU", r.Height)
	set("DAY", r.EyeColor)
	switch r.Country {
	case "US":
		set("DCG", "USA")
	case "CA":
		set("DCG", "CAN")
	}
	subs := []Subfile{{Type: r.Subfile, Elements: el}}
	for _, sf := range r.Subfiles {
		if sf.Type != "DL" && sf.Type != "ID" && len(sf.Type) == 2 {
			subs = append(subs, sf)
		}
	}
	bodies := make([]string, len(subs))
	for i, sf := range subs {
		bodies[i] = sf.Type + joinElements(sf.Elements) + string(rune(SegmentTerminator))
	}
	var b strings.Builder
	b.WriteString("@\n\x1e\r")
	b.WriteString("ANSI ")
	b.WriteString(r.IIN)
	fmt.Fprintf(&b, "%02d", r.Version%100)
	if r.Version >= 2 {
		fmt.Fprintf(&b, "%02d", r.JurisdictionVersion%100)
	}
	fmt.Fprintf(&b, "%02d", len(subs))
	off := b.Len() + 10*len(subs)
	for i, sf := range subs {
		fmt.Fprintf(&b, "%s%04d%04d", sf.Type, off%10000, len(bodies[i])%10000)
		off += len(bodies[i])
	}
	for _, body := range bodies {
		b.WriteString(body)
	}
	return b.String()
}

func joinElements(el map[string]string) string {
	seen := map[string]bool{}
	var ids []string
	for _, id := range elementOrder {
		if _, ok := el[id]; ok {
			ids = append(ids, id)
			seen[id] = true
		}
	}
	var rest []string
	for id := range el {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	ids = append(ids, rest...)
	parts := make([]string, 0, len(ids))
	for _, id := range ids {
		v := strings.Map(func(r rune) rune {
			if r == ElementSeparator || r == SegmentTerminator || r == RecordSeparator {
				return ' '
			}
			return r
		}, el[id])
		parts = append(parts, id+v)
	}
	return strings.Join(parts, "\n")
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isUpper(c) && (c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}
