package classify

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/google/uuid"
)

// Template is one document model of the library (one JSON file).
type Template struct {
	DocumentID  string // stable UUID of the model
	ClassName   string // Drivers License, Identification Card, Passport, Residence Permit, Visa
	CountryCode string // ISO 3166-1 alpha-2; "" = any (generic MRZ classes)
	Name        string // as users know it, e.g. "British Columbia (BC) Driver's Licence"
	Side        string // Front or Back
	Format      string // ID1 or ID3 ("" = any)
	Features    Features
}

// Features is the evidence a template is recognised by.
type Features struct {
	// MRZ: the layout (TD1, TD2, TD3, MRV-A, MRV-B) and the document codes
	// (first one or two characters, e.g. "P", "IR") that select this model.
	MRZFormat string   `json:",omitempty"`
	MRZCodes  []string `json:",omitempty"`
	// Barcode: the AAMVA issuer identification number and subfile type.
	IIN     string `json:",omitempty"`
	Subfile string `json:",omitempty"` // DL or ID
	// Layout fingerprint of the normalised document image.
	Layout *Fingerprint `json:",omitempty"`
}

// Library is a set of templates.
type Library struct {
	Templates []Template
}

//go:generate go run ./internal/gentemplates -o templates

//go:embed templates/*.json
var builtinFS embed.FS

var builtin struct {
	once sync.Once
	lib  *Library
	err  error
}

// Builtin returns the library embedded in the binary (generic MRZ classes
// and the AAMVA jurisdictions). It is shared: do not modify it; use Merge.
func Builtin() (*Library, error) {
	builtin.once.Do(func() {
		sub, err := fs.Sub(builtinFS, "templates")
		if err != nil {
			builtin.err = err
			return
		}
		builtin.lib, builtin.err = LoadLibrary(sub)
	})
	return builtin.lib, builtin.err
}

// LoadLibrary reads every *.json file at the top of fsys as one template
// (the caller picks the file system: embedded data, os.DirFS of a folder).
func LoadLibrary(fsys fs.FS) (*Library, error) {
	ents, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	lib := &Library{}
	for _, e := range ents {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		t, err := ParseTemplate(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		lib.Templates = append(lib.Templates, *t)
	}
	sort.SliceStable(lib.Templates, func(i, j int) bool { return lib.Templates[i].Name < lib.Templates[j].Name })
	return lib, nil
}

// Merge returns a new library holding l's templates and then extra's; an
// extra template with the same DocumentID replaces l's.
func (l *Library) Merge(extra *Library) *Library {
	out := &Library{}
	idx := map[string]int{}
	for _, src := range []*Library{l, extra} {
		if src == nil {
			continue
		}
		for _, t := range src.Templates {
			if i, ok := idx[t.DocumentID]; ok {
				out.Templates[i] = t
				continue
			}
			idx[t.DocumentID] = len(out.Templates)
			out.Templates = append(out.Templates, t)
		}
	}
	return out
}

var classNames = map[string]bool{ClassDriversLicense: true, ClassIDCard: true, ClassPassport: true, ClassResidencePermit: true, ClassVisa: true}

// ParseTemplate decodes and validates one template.
func ParseTemplate(b []byte) (*Template, error) {
	var t Template
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("classify: template: %w", err)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

// Validate checks a template's fields.
func (t *Template) Validate() error {
	if _, err := uuid.Parse(t.DocumentID); err != nil {
		return fmt.Errorf("classify: template %q: DocumentID: %w", t.Name, err)
	}
	if !classNames[t.ClassName] {
		return fmt.Errorf("classify: template %q: unknown ClassName %q", t.Name, t.ClassName)
	}
	if t.Side != SideFront && t.Side != SideBack {
		return fmt.Errorf("classify: template %q: Side must be Front or Back", t.Name)
	}
	if t.CountryCode != "" && (len(t.CountryCode) != 2 || strings.ToUpper(t.CountryCode) != t.CountryCode) {
		return fmt.Errorf("classify: template %q: CountryCode must be ISO 3166-1 alpha-2", t.Name)
	}
	if t.Name == "" {
		return errors.New("classify: template without Name")
	}
	if lf := t.Features.Layout; lf != nil {
		if err := lf.validate(); err != nil {
			return fmt.Errorf("classify: template %q: %w", t.Name, err)
		}
	}
	return nil
}
