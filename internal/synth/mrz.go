package synth

import (
	"fmt"
	"image/color"

	"golang.org/x/image/font"
)

// ICAO 9303 MRZ geometry (mm). OCR-B size 1: 10 characters per inch.
const (
	mrzPitch     = 2.54 // character pitch
	td3LinePitch = 6.35 // TD3 reference centre lines: 9.40 and 15.75 mm from the bottom edge
	td3Bottom    = 9.40
	td1LinePitch = 4.23 // TD1 line pitch (6 lines per inch)
	td1Bottom    = 5.90 // centre of the last TD1 line from the bottom edge (approximate)
)

// mrzFaceFor returns an OCR-B face whose advance is exactly 2.54 mm at k px/mm.
func mrzFaceFor(k float64) (font.Face, error) {
	ref, err := OCRBFace(100)
	if err != nil {
		return nil, err
	}
	adv, ok := ref.GlyphAdvance('<')
	if !ok || adv <= 0 {
		return nil, fmt.Errorf("synth: OCR-B font has no '<' glyph")
	}
	return OCRBFace(100 * mrzPitch * k / (float64(adv) / 64))
}

func mrzGeometry(f Format) (bottom, pitch float64) {
	if f == ID3 {
		return td3Bottom, td3LinePitch
	}
	return td1Bottom, td1LinePitch
}

// mrzZoneTop is the top (mm from the top edge) of the clear zone holding n lines.
func mrzZoneTop(f Format, n int, hmm float64) float64 {
	b, p := mrzGeometry(f)
	extra := 3.5
	if f == ID3 {
		extra = 7.5 // 23.2 mm zone for two lines
	}
	top := hmm - (b + p*float64(n-1) + extra)
	if top < 0 {
		top = 0
	}
	return top
}

// MRZLineCenters returns, for n MRZ lines on format f, the distance in mm of
// each line's reference centre line from the document's top edge (first line
// first). Horizontally the lines are centred, 2.54 mm per character.
func MRZLineCenters(f Format, n int) []float64 {
	_, hmm := f.SizeMM()
	b, p := mrzGeometry(f)
	out := make([]float64, n)
	for i := range out {
		out[i] = hmm - (b + p*float64(n-1-i))
	}
	return out
}

func drawMRZ(cv *canvas, fc font.Face, d *Doc, zoneTop float64) error {
	wmm, hmm := d.Format.SizeMM()
	maxLen := 0
	for _, l := range d.MRZ {
		maxLen = max(maxLen, len([]rune(l)))
	}
	if float64(maxLen)*mrzPitch > wmm-2 {
		return fmt.Errorf("synth: MRZ line of %d characters does not fit a %.1f mm wide document", maxLen, wmm)
	}
	if zoneTop <= 0 && len(d.MRZ) > 1 {
		return fmt.Errorf("synth: %d MRZ lines do not fit the document", len(d.MRZ))
	}
	// Clear zone: lighten the security print so the OCR band reads well.
	img := cv.img
	y0 := int(zoneTop * cv.k)
	for y := y0; y < img.Rect.Max.Y; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+img.Rect.Max.X*4]
		for i := 0; i < len(row); i += 4 {
			row[i] = uint8((int(row[i])*2 + 250*3) / 5)
			row[i+1] = uint8((int(row[i+1])*2 + 250*3) / 5)
			row[i+2] = uint8((int(row[i+2])*2 + 248*3) / 5)
		}
	}
	capH := float64(fc.Metrics().CapHeight) / 64 / cv.k
	ink := color.RGBA{15, 15, 18, 255}
	left := (wmm - float64(maxLen)*mrzPitch) / 2
	centers := MRZLineCenters(d.Format, len(d.MRZ))
	_ = hmm
	for i, line := range d.MRZ {
		base := centers[i] + capH/2
		for j, ch := range []rune(line) {
			cv.text(fc, left+float64(j)*mrzPitch, base, string(ch), ink)
		}
	}
	return nil
}
