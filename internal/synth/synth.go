package synth

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// Format is the physical document format.
type Format int

const (
	ID1 Format = iota // ISO/IEC 7810 ID-1 card, 85.60 x 53.98 mm (driver's licence, ID card)
	ID3               // ISO/IEC 7810 ID-3 passport data page, 125 x 88 mm
)

// String returns "ID1" or "ID3".
func (f Format) String() string {
	switch f {
	case ID1:
		return "ID1"
	case ID3:
		return "ID3"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// SizeMM returns the physical width and height of the format in millimetres.
func (f Format) SizeMM() (w, h float64) {
	if f == ID3 {
		return 125, 88
	}
	return 85.60, 53.98
}

// WidthInches is the physical width used by the DPI definition:
// 3.370 in for ID-1, 4.921 in for ID-3.
func (f Format) WidthInches() float64 {
	if f == ID3 {
		return 4.921
	}
	return 3.370
}

// Aspect is width/height: 1.586 for ID-1, 1.420 for ID-3.
func (f Format) Aspect() float64 { w, h := f.SizeMM(); return w / h }

// Background selects the scene behind the document.
type Background int

const (
	Plain   Background = iota // one colour with a faint multiplicative light falloff
	Clutter                   // rectangles, papers, lines, circles, text, card-like decoys
	Wood                      // wood grain with straight plank seams
	Fabric                    // woven cloth with folds and a seam
	Desk                      // desk surface with paper sheets, keyboard, pen, mug, phone
)

// Backgrounds lists every Background value.
var Backgrounds = []Background{Plain, Clutter, Wood, Fabric, Desk}

// String returns the constant's name.
func (b Background) String() string {
	switch b {
	case Plain:
		return "Plain"
	case Clutter:
		return "Clutter"
	case Wood:
		return "Wood"
	case Fabric:
		return "Fabric"
	case Desk:
		return "Desk"
	}
	return fmt.Sprintf("Background(%d)", int(b))
}

// Doc describes one synthetic capture. The zero value (plus a Seed) renders a
// crisp, frontal ID-1 card front at ~70 % of a 1280x720 frame on a plain
// background. See the package documentation for every knob and its unit.
type Doc struct {
	Format           Format
	Side             string // "Front" (default) or "Back"; ID3 always draws the data page
	Seed             int64
	Width, Height    int     // output size in px, default 1280x720
	DPI              float64 // document DPI in the output (0 = document ~70 % of the frame width)
	CenterX, CenterY float64 // document centre as a fraction of output width/height (0 = 0.5)
	TiltX, TiltY     float64 // degrees, perspective tilt about the document's x / y axis (|v| <= 60)
	Roll             float64 // degrees, in-plane rotation, clockwise on screen
	Background       Background
	BlurSigma        float64     // px, Gaussian blur of the whole final image
	Glare            float64     // 0..1, saturated hotspot area as a fraction of the document area
	GlareStrength    float64     // 0..1, 1 = hotspot core saturates to 255 (0 with Glare>0 = 1)
	Noise            float64     // stddev of Gaussian noise in 0..255 units, per channel
	MRZ              []string    // lines drawn in OCR-B at the ICAO 9303 position (nil = none)
	Barcode          image.Image // drawn on the back (e.g. a PDF417 symbol), nil = none
	Face             image.Image // photo for the photo box, nil = drawn head-and-shoulders

	// Extras (not in the team plan).
	GlareSpots      int         // number of hotspots sharing the Glare area (0 = 1)
	Vignette        float64     // 0..1, corner darkening plus a directional lighting gradient
	Blank           bool        // draw the document as a flat card of DocColor, no content
	DocColor        color.Color // card colour for Blank (nil = white)
	BackgroundColor color.Color // colour of the Plain background (nil = seeded dark neutral)
	Shadow          float64     // 0..1, soft drop shadow under the document (0 = none)
	Empty           bool        // background only, no document (Corners and DPI are zero)
	MotionBlur      float64     // px, length of a straight camera-shake smear (0 = none)
	MotionAngle     float64     // degrees, direction of MotionBlur (0 = horizontal, clockwise)
	Title           string      // header title, e.g. "DRIVER'S LICENCE" ("" = seeded; ID3: "PASSPORT")
	Issuer          string      // issuer / region name in the header ("" = seeded)
	// Document is a picture of the document's face (a scan or a specimen,
	// cropped to its edges) drawn instead of the generated layout: scaled
	// (Catmull-Rom) to the format's size, corners rounded as the format's.
	// Side, Blank, Face, Barcode, MRZ, Title and Issuer are then unused.
	Document image.Image
}

// Sample is a rendered capture with its ground truth.
type Sample struct {
	Image   *image.NRGBA  // opaque, Width x Height
	Corners [4][2]float64 // true corners TL, TR, BR, BL in output px (pixel (i,j) spans [i,i+1)x[j,j+1))
	DPI     float64       // mean(|TR-TL|, |BR-BL|) / Format.WidthInches()
	Format  Format        // format drawn

	toImage homography // unit square of the document -> output px
}

// DocToImage maps a point given in millimetres on the flat document (origin
// at its top-left corner, x right, y down) to output pixel coordinates.
func (s Sample) DocToImage(xmm, ymm float64) (x, y float64) {
	w, h := s.Format.SizeMM()
	return s.toImage.apply(xmm/w, ymm/h)
}

// TrueDPI applies the team's DPI definition to a corner quad.
func TrueDPI(c [4][2]float64, f Format) float64 {
	top := math.Hypot(c[1][0]-c[0][0], c[1][1]-c[0][1])
	bot := math.Hypot(c[2][0]-c[3][0], c[2][1]-c[3][1])
	return (top + bot) / 2 / f.WidthInches()
}

// DefaultDPI is the DPI Render uses when Doc.DPI is 0: the document spans 70 %
// of the frame width, or less if it would not fit 85 % of the frame height.
func DefaultDPI(f Format, w, h int) float64 {
	wmm, hmm := f.SizeMM()
	dpi := 0.70 * float64(w) / f.WidthInches()
	if hin := hmm / wmm * f.WidthInches(); dpi*hin > 0.85*float64(h) {
		dpi = 0.85 * float64(h) / hin
	}
	return dpi
}

const maxSide = 8192

// texOversample is the number of texels per output pixel along the longest
// document edge.
const texOversample = 1.25

func (d *Doc) normalize() error {
	if d.Width == 0 && d.Height == 0 {
		d.Width, d.Height = 1280, 720
	}
	if d.Width < 16 || d.Height < 16 || d.Width > maxSide || d.Height > maxSide {
		return fmt.Errorf("synth: output size %dx%d out of range 16..%d", d.Width, d.Height, maxSide)
	}
	if d.Format != ID1 && d.Format != ID3 {
		return fmt.Errorf("synth: unknown format %d", int(d.Format))
	}
	switch d.Side {
	case "":
		d.Side = "Front"
	case "Front", "Back":
	default:
		return fmt.Errorf("synth: side %q is not Front or Back", d.Side)
	}
	if d.Background < Plain || d.Background > Desk {
		return fmt.Errorf("synth: unknown background %d", int(d.Background))
	}
	if d.Document != nil && d.Document.Bounds().Empty() {
		return errors.New("synth: Document picture is empty")
	}
	bad := func(v, lo, hi float64) bool { return !(v >= lo && v <= hi) }
	switch {
	case bad(d.DPI, 0, 5000):
		return fmt.Errorf("synth: DPI %v out of range", d.DPI)
	case bad(d.CenterX, -1, 2), bad(d.CenterY, -1, 2):
		return errors.New("synth: centre out of range")
	case bad(d.TiltX, -60, 60), bad(d.TiltY, -60, 60):
		return errors.New("synth: tilt must be within ±60 degrees")
	case bad(d.Roll, -360, 360):
		return errors.New("synth: roll must be within ±360 degrees")
	case bad(d.BlurSigma, 0, 50):
		return errors.New("synth: BlurSigma must be within 0..50 px")
	case bad(d.Glare, 0, 1), bad(d.GlareStrength, 0, 1):
		return errors.New("synth: Glare and GlareStrength must be within 0..1")
	case bad(d.Noise, 0, 128):
		return errors.New("synth: Noise must be within 0..128")
	case bad(d.Vignette, 0, 1), bad(d.Shadow, 0, 1):
		return errors.New("synth: Vignette and Shadow must be within 0..1")
	case bad(d.MotionBlur, 0, 100), bad(d.MotionAngle, -360, 360):
		return errors.New("synth: MotionBlur must be within 0..100 px, MotionAngle within ±360°")
	case d.GlareSpots < 0 || d.GlareSpots > 16:
		return errors.New("synth: GlareSpots must be within 0..16")
	}
	if d.Barcode != nil && (d.Format != ID1 || d.Side != "Back") {
		return errors.New("synth: Barcode is drawn only on the Back of an ID1 card")
	}
	if d.CenterX == 0 {
		d.CenterX = 0.5
	}
	if d.CenterY == 0 {
		d.CenterY = 0.5
	}
	if d.DPI == 0 {
		d.DPI = DefaultDPI(d.Format, d.Width, d.Height)
	}
	if d.Glare > 0 && d.GlareStrength == 0 {
		d.GlareStrength = 1
	}
	if d.GlareSpots == 0 {
		d.GlareSpots = 1
	}
	return nil
}

// project returns the document corners TL TR BR BL in output pixels: the card
// is rotated by Roll in its plane, tilted about its x then y axis, viewed by a
// pinhole camera 1.25 document widths away, then scaled so that the DPI
// definition holds exactly and translated so that the image of the card
// centre lands on (CenterX, CenterY).
func (d *Doc) project() ([4][2]float64, error) {
	wmm, hmm := d.Format.SizeMM()
	rl, tx, ty := d.Roll*math.Pi/180, d.TiltX*math.Pi/180, d.TiltY*math.Pi/180
	dist := 1.25 * wmm
	var p [4][2]float64
	for i, c := range [4][2]float64{{-wmm / 2, -hmm / 2}, {wmm / 2, -hmm / 2}, {wmm / 2, hmm / 2}, {-wmm / 2, hmm / 2}} {
		x := c[0]*math.Cos(rl) - c[1]*math.Sin(rl)
		y := c[0]*math.Sin(rl) + c[1]*math.Cos(rl)
		z := 0.0
		// tilt about x axis: y,z rotate
		y, z = y*math.Cos(tx)-z*math.Sin(tx), y*math.Sin(tx)+z*math.Cos(tx)
		// tilt about y axis: x,z rotate
		x, z = x*math.Cos(ty)+z*math.Sin(ty), -x*math.Sin(ty)+z*math.Cos(ty)
		if dist+z < 0.2*dist {
			return p, errors.New("synth: document behind the camera")
		}
		p[i] = [2]float64{x * dist / (dist + z), y * dist / (dist + z)}
	}
	cur := TrueDPI(p, d.Format)
	s := d.DPI / cur
	cx, cy := d.CenterX*float64(d.Width), d.CenterY*float64(d.Height)
	for i := range p {
		p[i] = [2]float64{cx + s*p[i][0], cy + s*p[i][1]}
	}
	return p, nil
}

// Render draws the capture described by d.
func Render(d Doc) (Sample, error) {
	autoDPI := d.DPI == 0
	if err := d.normalize(); err != nil {
		return Sample{}, err
	}
	corners, err := d.project()
	if err != nil {
		return Sample{}, err
	}
	if autoDPI {
		// With tilt the default size may overflow: shrink to fit 94 % of the frame.
		cx, cy := d.CenterX*float64(d.Width), d.CenterY*float64(d.Height)
		s := 1.0
		for _, c := range corners {
			if dx := math.Abs(c[0] - cx); dx > 0 {
				s = math.Min(s, 0.47*float64(d.Width)/dx)
			}
			if dy := math.Abs(c[1] - cy); dy > 0 {
				s = math.Min(s, 0.47*float64(d.Height)/dy)
			}
		}
		if s < 1 {
			d.DPI *= s
			if corners, err = d.project(); err != nil {
				return Sample{}, err
			}
		}
	}
	rng := rand.New(rand.NewPCG(uint64(d.Seed), 0x9e3779b97f4a7c15))
	if d.Empty {
		out := image.NewRGBA(image.Rect(0, 0, d.Width, d.Height))
		rng.Uint64() // keep the background stream the same as with a document
		drawBackground(out, &d, rand.New(rand.NewPCG(rng.Uint64(), 2)))
		fx := rand.New(rand.NewPCG(rng.Uint64(), 3))
		if d.Vignette > 0 {
			applyVignette(out, d.Vignette, fx)
		}
		if d.MotionBlur > 0 {
			motionBlur(out, d.MotionBlur, d.MotionAngle)
		}
		if d.BlurSigma > 0 {
			gaussianBlur(out, d.BlurSigma)
		}
		if d.Noise > 0 {
			addNoise(out, d.Noise, fx.Uint64())
		}
		return Sample{Image: &image.NRGBA{Pix: out.Pix, Stride: out.Stride, Rect: out.Rect}, Format: d.Format}, nil
	}

	// Texture resolution: ~1.5 texels per output pixel along the longest edge.
	wmm, hmm := d.Format.SizeMM()
	maxEdge := 0.0
	for i := range 4 {
		j := (i + 1) % 4
		mm := hmm
		if i%2 == 0 {
			mm = wmm
		}
		maxEdge = math.Max(maxEdge, math.Hypot(corners[j][0]-corners[i][0], corners[j][1]-corners[i][1])/mm)
	}
	pxPerMM := math.Min(math.Max(texOversample*maxEdge, 2), 40)
	tex, err := drawDocument(&d, pxPerMM, rand.New(rand.NewPCG(rng.Uint64(), 1)))
	if err != nil {
		return Sample{}, err
	}

	out := image.NewRGBA(image.Rect(0, 0, d.Width, d.Height))
	drawBackground(out, &d, rand.New(rand.NewPCG(rng.Uint64(), 2)))
	if d.Shadow > 0 {
		drawShadow(out, corners, d.Shadow)
	}
	cov := make([]uint8, d.Width*d.Height)
	radius := 3.18 * pxPerMM
	if d.Format == ID3 {
		radius = 1.0 * pxPerMM
	}
	warp(out, cov, tex, radius, corners)
	fxRng := rand.New(rand.NewPCG(rng.Uint64(), 3))
	if d.Glare > 0 {
		applyGlare(out, cov, corners, d.Glare, d.GlareStrength, d.GlareSpots, fxRng)
	}
	if d.Vignette > 0 {
		applyVignette(out, d.Vignette, fxRng)
	}
	if d.MotionBlur > 0 {
		motionBlur(out, d.MotionBlur, d.MotionAngle)
	}
	if d.BlurSigma > 0 {
		gaussianBlur(out, d.BlurSigma)
	}
	if d.Noise > 0 {
		addNoise(out, d.Noise, fxRng.Uint64())
	}
	// Every pixel is opaque, so RGBA and NRGBA bytes are identical.
	img := &image.NRGBA{Pix: out.Pix, Stride: out.Stride, Rect: out.Rect}
	return Sample{Image: img, Corners: corners, DPI: TrueDPI(corners, d.Format), Format: d.Format, toImage: squareToQuad(corners)}, nil
}
