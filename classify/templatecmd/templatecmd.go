// Package templatecmd implements `ggcapture templates`: building template
// library entries from specimen images and listing the library.
//
//	ggcapture templates add --name "Ruritania ID Card" --class "Identification Card" \
//	    --country RU --side Front [--format ID1] [--id UUID] specimen.jpg -o ruritania-id.json
//	ggcapture templates list [--dir folder-with-extra-templates]
//
// Unlike the pure classify packages, this CLI helper reads and writes files.
package templatecmd

import (
	"encoding/json"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg" // specimen formats
	_ "image/png"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/globalgateway/ggcapture/classify"
	"github.com/globalgateway/ggcapture/classify/mrz"
	"github.com/google/uuid"
	_ "golang.org/x/image/webp"
)

const usage = `usage:
  templates add --name NAME --class CLASS --country CC --side Front|Back [--format ID1|ID3] [--id UUID] IMAGE [-o FILE.json]
  templates list [--dir DIR]
CLASS is one of: Drivers License, Identification Card, Passport, Residence Permit, Visa.
`

// Run executes the templates subcommand with args (with or without the
// leading "templates") and returns the process exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "templates" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "add":
		return add(args[1:], stdout, stderr)
	case "list":
		return list(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "templates: unknown subcommand %q\n%s", args[0], usage)
	return 2
}

// interleave lets flags follow positional arguments (IMAGE -o out.json).
func interleave(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func add(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("templates add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "document name as users know it")
	class := fs.String("class", "", "class name")
	country := fs.String("country", "", "ISO 3166-1 alpha-2 country (default: from the MRZ if one is read)")
	side := fs.String("side", "Front", "Front or Back")
	format := fs.String("format", "", "ID1 or ID3")
	id := fs.String("id", "", "DocumentID (default: a new random UUID)")
	out := fs.String("o", "", "output file (default stdout)")
	pos, err := interleave(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "templates add: need exactly one IMAGE\n%s", usage)
		return 2
	}
	f, err := os.Open(pos[0])
	if err != nil {
		fmt.Fprintln(stderr, "templates add:", err)
		return 1
	}
	img, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		fmt.Fprintln(stderr, "templates add: decode:", err)
		return 1
	}
	t, err := Build(img, *name, *class, *country, *side, *format, *id)
	if err != nil {
		fmt.Fprintln(stderr, "templates add:", err)
		return 1
	}
	b, _ := json.MarshalIndent(t, "", "  ")
	b = append(b, '\n')
	if *out == "" || *out == "-" {
		stdout.Write(b)
		return 0
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(stderr, "templates add:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\t%s\t%s\n", t.DocumentID, t.Name, *out)
	return 0
}

// Build makes a template from a specimen image: the layout fingerprint of
// the image (pass the cropped document) and, when an MRZ is read, its
// format and document code (and the country, if not given).
func Build(img image.Image, name, class, country, side, format, id string) (*classify.Template, error) {
	if id == "" {
		id = uuid.NewString()
	}
	fp, err := classify.ComputeFingerprint(img)
	if err != nil {
		return nil, err
	}
	t := &classify.Template{DocumentID: id, ClassName: class, CountryCode: strings.ToUpper(country),
		Name: name, Side: side, Format: format, Features: classify.Features{Layout: fp}}
	if r, err := mrz.Read(img); err == nil && r.Doc.Valid() {
		t.Features.MRZFormat = r.Doc.Format.String()
		t.Features.MRZCodes = []string{r.Doc.DocumentCode}
		if t.CountryCode == "" {
			t.CountryCode, _ = mrz.Alpha2(r.Doc.IssuingState)
		}
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

func list(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("templates list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "folder with extra template files")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	lib, err := classify.Builtin()
	if err != nil {
		fmt.Fprintln(stderr, "templates list:", err)
		return 1
	}
	if *dir != "" {
		extra, err := classify.LoadLibrary(os.DirFS(*dir))
		if err != nil {
			fmt.Fprintln(stderr, "templates list:", err)
			return 1
		}
		lib = lib.Merge(extra)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DocumentID\tClassName\tCountry\tSide\tName\tEvidence")
	for _, t := range lib.Templates {
		var ev []string
		if t.Features.MRZFormat != "" {
			ev = append(ev, "MRZ "+t.Features.MRZFormat+" "+strings.Join(t.Features.MRZCodes, "/"))
		}
		if t.Features.IIN != "" {
			ev = append(ev, "IIN "+t.Features.IIN+" "+t.Features.Subfile)
		}
		if t.Features.Layout != nil {
			ev = append(ev, "layout")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.DocumentID, t.ClassName, t.CountryCode, t.Side, t.Name, strings.Join(ev, ", "))
	}
	tw.Flush()
	return 0
}
