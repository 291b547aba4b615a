package aamva

import "sort"

// Jurisdiction is one issuing authority of the AAMVA DL/ID Issuer
// Identification Number (IIN) list.
type Jurisdiction struct {
	IIN     string // six digits, e.g. "636028"
	Code    string // postal abbreviation, e.g. "BC"
	Name    string // e.g. "British Columbia"
	Country string // ISO 3166-1 alpha-2: "US" or "CA"
}

// iinTable is the AAMVA IIN list for every US state, the District of
// Columbia, the US territories and every Canadian province and territory
// (source: the AAMVA "Issuer Identification Numbers (IIN)" list).
var iinTable = []Jurisdiction{
	// United States
	{"636033", "AL", "Alabama", "US"},
	{"636059", "AK", "Alaska", "US"},
	{"636026", "AZ", "Arizona", "US"},
	{"636021", "AR", "Arkansas", "US"},
	{"636014", "CA", "California", "US"},
	{"636020", "CO", "Colorado", "US"},
	{"636006", "CT", "Connecticut", "US"},
	{"636011", "DE", "Delaware", "US"},
	{"636043", "DC", "District of Columbia", "US"},
	{"636010", "FL", "Florida", "US"},
	{"636055", "GA", "Georgia", "US"},
	{"636047", "HI", "Hawaii", "US"},
	{"636050", "ID", "Idaho", "US"},
	{"636035", "IL", "Illinois", "US"},
	{"636037", "IN", "Indiana", "US"},
	{"636018", "IA", "Iowa", "US"},
	{"636022", "KS", "Kansas", "US"},
	{"636046", "KY", "Kentucky", "US"},
	{"636007", "LA", "Louisiana", "US"},
	{"636041", "ME", "Maine", "US"},
	{"636003", "MD", "Maryland", "US"},
	{"636002", "MA", "Massachusetts", "US"},
	{"636032", "MI", "Michigan", "US"},
	{"636038", "MN", "Minnesota", "US"},
	{"636051", "MS", "Mississippi", "US"},
	{"636030", "MO", "Missouri", "US"},
	{"636008", "MT", "Montana", "US"},
	{"636054", "NE", "Nebraska", "US"},
	{"636049", "NV", "Nevada", "US"},
	{"636039", "NH", "New Hampshire", "US"},
	{"636036", "NJ", "New Jersey", "US"},
	{"636009", "NM", "New Mexico", "US"},
	{"636001", "NY", "New York", "US"},
	{"636004", "NC", "North Carolina", "US"},
	{"636034", "ND", "North Dakota", "US"},
	{"636023", "OH", "Ohio", "US"},
	{"636058", "OK", "Oklahoma", "US"},
	{"636029", "OR", "Oregon", "US"},
	{"636025", "PA", "Pennsylvania", "US"},
	{"636052", "RI", "Rhode Island", "US"},
	{"636005", "SC", "South Carolina", "US"},
	{"636042", "SD", "South Dakota", "US"},
	{"636053", "TN", "Tennessee", "US"},
	{"636015", "TX", "Texas", "US"},
	{"636040", "UT", "Utah", "US"},
	{"636024", "VT", "Vermont", "US"},
	{"636000", "VA", "Virginia", "US"},
	{"636045", "WA", "Washington", "US"},
	{"636061", "WV", "West Virginia", "US"},
	{"636031", "WI", "Wisconsin", "US"},
	{"636060", "WY", "Wyoming", "US"},
	// US territories and federal issuers
	{"604427", "AS", "American Samoa", "US"},
	{"636019", "GU", "Guam", "US"},
	{"604430", "MP", "Northern Mariana Islands", "US"},
	{"604431", "PR", "Puerto Rico", "US"},
	{"636062", "VI", "US Virgin Islands", "US"},
	{"636027", "DS", "US Department of State", "US"},
	// Canada
	{"604432", "AB", "Alberta", "CA"},
	{"990876", "AB", "Alberta", "CA"}, // older non-ISO Alberta number still seen on cards
	{"636028", "BC", "British Columbia", "CA"},
	{"636048", "MB", "Manitoba", "CA"},
	{"636017", "NB", "New Brunswick", "CA"},
	{"636016", "NL", "Newfoundland and Labrador", "CA"},
	{"604434", "NT", "Northwest Territories", "CA"},
	{"636013", "NS", "Nova Scotia", "CA"},
	{"604433", "NU", "Nunavut", "CA"},
	{"636012", "ON", "Ontario", "CA"},
	{"604426", "PE", "Prince Edward Island", "CA"},
	{"604428", "QC", "Quebec", "CA"},
	{"636044", "SK", "Saskatchewan", "CA"},
	{"604429", "YT", "Yukon", "CA"},
}

var iinIndex = func() map[string]Jurisdiction {
	m := make(map[string]Jurisdiction, len(iinTable))
	for _, j := range iinTable {
		m[j.IIN] = j
	}
	return m
}()

// LookupIIN returns the jurisdiction that owns a six-digit IIN.
func LookupIIN(iin string) (Jurisdiction, bool) {
	j, ok := iinIndex[iin]
	return j, ok
}

// LookupCode returns the jurisdiction with a postal code (e.g. "BC") in a
// country ("US" or "CA"; "" matches either). The primary IIN is returned.
func LookupCode(country, code string) (Jurisdiction, bool) {
	for _, j := range iinTable {
		if j.Code == code && (country == "" || j.Country == country) {
			return j, true
		}
	}
	return Jurisdiction{}, false
}

// Jurisdictions returns a copy of the IIN table sorted by IIN.
func Jurisdictions() []Jurisdiction {
	out := append([]Jurisdiction(nil), iinTable...)
	sort.Slice(out, func(a, b int) bool { return out[a].IIN < out[b].IIN })
	return out
}
