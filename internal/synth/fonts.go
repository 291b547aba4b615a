package synth

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// OCRBPaths are the places OCRBFace looks for the OCR-B font, in order.
// Debian's package fonts-ocr-b installs the first one.
// "OCR B Sharp" comes first: x/image's CFF parser cannot read the flex1
// operator that OCRB.otf uses for '8' and '<'; every candidate is checked for
// the full MRZ alphabet before use.
var OCRBPaths = []string{
	"/usr/share/fonts/opentype/ocr-b/OCRBS.otf",
	"/usr/share/fonts/opentype/ocr-b/OCRB.otf",
	"/usr/share/fonts/truetype/ocr-b/OCRB.otf",
	"/usr/local/share/fonts/OCRB.otf",
}

// ErrNoOCRB is returned (wrapped) by OCRBFace and by Render with MRZ lines when
// the OCR-B font is not installed (Debian: apt-get install fonts-ocr-b).
var ErrNoOCRB = errors.New("synth: OCR-B font not found (install Debian package fonts-ocr-b)")

var (
	ocrbMu   sync.Mutex
	ocrbFont *sfnt.Font
)

// loadOCRB finds, parses and checks the OCR-B font. Success is cached;
// failure is re-checked on the next call (so installing the font or changing
// OCRBPaths takes effect).
func loadOCRB() (*sfnt.Font, error) {
	ocrbMu.Lock()
	defer ocrbMu.Unlock()
	if ocrbFont != nil {
		return ocrbFont, nil
	}
	var last error
	for _, p := range OCRBPaths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		f, err := opentype.Parse(b)
		if err == nil {
			err = checkMRZGlyphs(f)
		}
		if err != nil {
			last = fmt.Errorf("%s: %w", p, err)
			continue
		}
		ocrbFont = f
		return f, nil
	}
	if last != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoOCRB, last)
	}
	return nil, ErrNoOCRB
}

// checkMRZGlyphs makes sure every MRZ character has a loadable outline.
func checkMRZGlyphs(f *sfnt.Font) error {
	var buf sfnt.Buffer
	for _, r := range "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<" {
		gi, err := f.GlyphIndex(&buf, r)
		if err == nil && gi == 0 {
			err = errors.New("no glyph")
		}
		if err == nil {
			_, err = f.LoadGlyph(&buf, gi, fixed.I(64), nil)
		}
		if err != nil {
			return fmt.Errorf("glyph %q: %w", r, err)
		}
	}
	return nil
}

// OCRBFace returns an OCR-B face of the given size (pixels per em, i.e.
// points at 72 DPI). It returns an error wrapping ErrNoOCRB when the font is
// not installed. The face is not safe for concurrent use.
func OCRBFace(size float64) (font.Face, error) {
	if !(size > 0 && size < 4096) {
		return nil, fmt.Errorf("synth: bad OCR-B size %v", size)
	}
	f, err := loadOCRB()
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
}

type fontSet struct {
	regular, bold, medium, mono *sfnt.Font
}

var goFonts = sync.OnceValues(func() (*fontSet, error) {
	var fs fontSet
	var err error
	for _, x := range []struct {
		dst **sfnt.Font
		ttf []byte
	}{{&fs.regular, goregular.TTF}, {&fs.bold, gobold.TTF}, {&fs.medium, gomedium.TTF}, {&fs.mono, gomono.TTF}} {
		if *x.dst, err = opentype.Parse(x.ttf); err != nil {
			return nil, fmt.Errorf("synth: parse Go font: %w", err)
		}
	}
	return &fs, nil
})

// face makes a face of px pixels per em; errors are impossible for the
// embedded Go fonts with sane sizes, so they fall back to a minimum size.
func face(f *sfnt.Font, px float64) font.Face {
	if px < 1 {
		px = 1
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic(err) // unreachable: the embedded fonts parse and sizes are clamped
	}
	return fc
}
