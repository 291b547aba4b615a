// Command wasm is capture.wasm, the SDK's decision core. The browser shim
// (public/GlobalGatewayCapturePublic/GlobalGatewayImageCapture.js) owns the
// camera and the overlay; this core receives one frame at a time through a
// reused buffer, runs the quality analysis and the capture state machine,
// and on the snap crops, measures and JPEG-encodes the document.
//
// Only the *_js.go files touch syscall/js; the logic here is plain Go and is
// tested natively.
package main

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image"
	"math"
	"time"

	"github.com/globalgateway/ggcapture/capture"
	"github.com/globalgateway/ggcapture/internal/exif"
	"github.com/globalgateway/ggcapture/internal/imagein"
	"github.com/globalgateway/ggcapture/quality"
)

// Version is the SDK version written into results and EXIF.
const Version = "0.1.0"

// Out-buffer layout shared with the shim (a Float64Array view over Core.Out).
const (
	outFlags    = 0 // bit 0 document found, 1 keep this frame, 2 snap, 3 timed out, 4 burst, 5 followed
	outGuidance = 1 // index into GuidanceKeys
	outProgress = 2
	outCorners  = 3 // 8 values: TL TR BR BL, x then y, full-resolution frame pixels
	outGlare    = 11
	outSharp    = 12
	outDPI      = 13
	outScore    = 14
	outCoverage = 15
	outStage    = 16 // selfie: 1 small oval, 2 closer oval
	outOval     = 17 // selfie: oval height as a fraction of the frame height
	outLen      = 24

	flagFound    = 1
	flagKeep     = 2
	flagSnap     = 4
	flagTimedOut = 8
	flagBurst    = 16 // selfie: record this frame into the liveness burst
	flagTracked  = 32 // the document was followed from the previous frame, not searched for
)

// trackFrames is the analyser's Options.TrackFrames for live documents: two
// frames in three follow the document from the previous frame (≈ 0.6 ms
// natively instead of ≈ 2.7 ms for a search of the whole frame), and a search
// at least every third frame (100 ms at 30 fps) catches a document that
// appeared, left or was misplaced.
const trackFrames = 2

// Limits for the snapped and uploaded images.
const (
	MaxDocumentSide = 2000 // long side of the returned document image, px
	JPEGQuality     = 90
	MinUploadSide   = 480 // short side of a manual image must be at least this
)

// FrameDesc describes the frame the shim put into buffer 0.
type FrameDesc struct {
	Format         string // I420, I420A, NV12 (Y plane first), GRAY, RGBA, RGBX, BGRA, BGRX
	Width, Height  int    // analysis frame size, px
	Offset, Stride int    // of the luma plane (or of the packed pixels)
	FullW, FullH   int    // the camera frame's size, px (the analysis frame may be smaller)
	// Chroma of a YUV frame, when the shim copied it (0, 0, 0: luma only):
	// offsets of the first Cb and Cr samples and the chroma row stride. I420
	// has separate planes; NV12 interleaves them (VOffset = UOffset + 1).
	UOffset, VOffset, CStride int
}

// Quality is the result's metrics object.
type Quality struct {
	Glare     float64 `json:"glare"`
	DPI       float64 `json:"dpi"`
	Sharpness float64 `json:"sharpness"`
}

// Result is what snap and file hand back to the shim.
type Result struct {
	Image   string   `json:"image"`
	Quality *Quality `json:"quality,omitempty"`
}

// Error carries an SDK error code (DESIGN §4).
type Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

// Meta is the capture metadata the shim sends along (read from a JS object;
// the core links no JSON decoder, to keep capture.wasm small).
type Meta struct {
	Mode        string // "auto" or "manual"
	CaptureType string // DOCUMENT_FRONT, DOCUMENT_BACK, PASSPORT, SELFIE
	DeviceType  string // mobile, tablet, desktop
	Time        string // RFC 3339
	Geo         *Geo   // nil when not collected or refused
}

// Geo is the browser's location.
type Geo struct{ Latitude, Longitude, Accuracy float64 }

// SessionConfig is what the shim passes to Begin (0 = default).
type SessionConfig struct {
	TimeoutMs                      float64
	MinGlare, MinSharpness, MinDPI float64
}

// Core is the per-page state: reused buffers, the analyzer and the session.
type Core struct {
	bufs [2][]byte // 0: frame (luma or packed pixels), 1: snapshot (RGBA)
	luma []byte    // converted luma when the frame is packed colour
	gray image.Gray
	cb   []byte         // converted chroma when the frame is packed colour
	cr   []byte         // (full analysis resolution)
	chr  quality.Chroma // the frame's chroma view
	hasC bool           // chr is valid for the current frame

	an     *quality.Analyzer
	sess   *capture.Session
	kind   capture.Kind
	format quality.Format
	fr     quality.FrameResult

	Out [outLen]float64

	best struct {
		ok    bool
		quad  quality.Quad // full-resolution frame pixels
		fullW int
	}
	selfie selfieState
}

// NewCore makes a core with its analyzer.
func NewCore() *Core {
	return &Core{an: quality.NewAnalyzer(&quality.Options{TrackFrames: trackFrames})}
}

// GuidanceKeys lists the guidance keys by their index in the out buffer.
func GuidanceKeys() []string {
	gs := capture.Guidances()
	keys := make([]string, 0, len(gs))
	for _, g := range gs {
		for len(keys) < int(g) {
			keys = append(keys, "")
		}
		if int(g) == len(keys) {
			keys = append(keys, g.String())
		} else {
			keys[g] = g.String()
		}
	}
	return keys
}

// Buffer returns buffer slot (0 frame, 1 snapshot) with at least n bytes.
// The slice stays put until a larger size is asked for.
func (c *Core) Buffer(slot, n int) []byte {
	if slot < 0 || slot > 1 || n < 0 {
		return nil
	}
	if cap(c.bufs[slot]) < n {
		c.bufs[slot] = make([]byte, n)
	}
	c.bufs[slot] = c.bufs[slot][:n]
	return c.bufs[slot]
}

func formatOf(k capture.Kind) quality.Format {
	if k == capture.Passport {
		return quality.FormatID3
	}
	return quality.FormatID1
}

// Begin starts a capture session of kind ("front", "back", "passport", "selfie").
func (c *Core) Begin(kind string, sc SessionConfig) error {
	k, ok := capture.ParseKind(kind)
	if !ok {
		return errors.New("unknown capture kind " + kind)
	}
	cfg := capture.Config{
		MinGlare:     sc.MinGlare,
		MinSharpness: sc.MinSharpness,
		MinDPI:       sc.MinDPI,
		Timeout:      time.Duration(sc.TimeoutMs * float64(time.Millisecond)),
	}
	c.kind, c.format = k, formatOf(k)
	c.best.ok = false
	c.an.Reset()
	if k == capture.Selfie {
		return c.beginSelfie(cfg.Timeout)
	}
	c.sess = capture.NewSession(k, &cfg)
	return nil
}

// grayView points c.gray at the frame's luma, converting packed colour into
// c.luma when needed. It reports false when the description does not fit
// the buffer.
func (c *Core) grayView(f FrameDesc) bool {
	buf := c.bufs[0]
	w, h := f.Width, f.Height
	c.hasC = false
	if w <= 0 || h <= 0 || f.Offset < 0 || f.Stride <= 0 {
		return false
	}
	switch f.Format {
	case "I420", "I420A", "NV12", "GRAY":
		if f.Stride < w || f.Offset+(h-1)*f.Stride+w > len(buf) {
			return false
		}
		pix := buf[f.Offset : f.Offset+(h-1)*f.Stride+w]
		c.gray = image.Gray{Pix: pix, Stride: f.Stride, Rect: image.Rect(0, 0, w, h)}
		if f.Format != "GRAY" && f.CStride > 0 && f.UOffset > 0 && f.VOffset > 0 {
			// 4:2:0 chroma: (w+1)/2 x (h+1)/2 samples per plane.
			cw, ch, step := (w+1)/2, (h+1)/2, 1
			if f.Format == "NV12" {
				step = 2
			}
			need := (ch-1)*f.CStride + (cw-1)*step + 1
			if f.UOffset+need <= len(buf) && f.VOffset+need <= len(buf) {
				c.chr = quality.Chroma{Cb: buf[f.UOffset : f.UOffset+need], Cr: buf[f.VOffset : f.VOffset+need],
					Stride: f.CStride, Step: step, W: cw, H: ch}
				c.hasC = true
			}
		}
		return true
	case "RGBA", "RGBX", "BGRA", "BGRX":
		if f.Stride < 4*w || f.Offset+(h-1)*f.Stride+4*w > len(buf) {
			return false
		}
		cw, ch := (w+1)/2, (h+1)/2
		if cap(c.luma) < w*h || cap(c.cb) < cw*ch {
			c.luma = make([]byte, w*h)
			c.cb = make([]byte, cw*ch)
			c.cr = make([]byte, cw*ch)
		}
		c.luma, c.cb, c.cr = c.luma[:w*h], c.cb[:cw*ch], c.cr[:cw*ch]
		ri, bi := 0, 2
		if f.Format[0] == 'B' {
			ri, bi = 2, 0
		}
		for y := 0; y < h; y++ {
			src := buf[f.Offset+y*f.Stride : f.Offset+y*f.Stride+4*w]
			dst := c.luma[y*w : y*w+w]
			for x := range dst {
				p := src[4*x : 4*x+4 : 4*x+4]
				// BT.601 luma, fixed point: 0.299 R + 0.587 G + 0.114 B.
				dst[x] = byte((19595*uint32(p[ri]) + 38470*uint32(p[1]) + 7471*uint32(p[bi]) + 1<<15) >> 16)
			}
			if y%2 != 0 {
				continue
			}
			// 4:2:0 chroma, one sample per 2x2 block (its top-left pixel):
			// Cb = 128 + 0.564 (B - Y), Cr = 128 + 0.713 (R - Y).
			db, dr := c.cb[(y/2)*cw:(y/2)*cw+cw], c.cr[(y/2)*cw:(y/2)*cw+cw]
			for x := range db {
				p := src[8*x : 8*x+4 : 8*x+4]
				yy := int32(dst[2*x])
				db[x] = clamp8(128 + (36962*(int32(p[bi])-yy)+1<<15)>>16)
				dr[x] = clamp8(128 + (46727*(int32(p[ri])-yy)+1<<15)>>16)
			}
		}
		c.gray = image.Gray{Pix: c.luma, Stride: w, Rect: image.Rect(0, 0, w, h)}
		c.chr = quality.Chroma{Cb: c.cb, Cr: c.cr, Stride: cw, Step: 1, W: cw, H: ch}
		c.hasC = true
		return true
	}
	return false
}

func clamp8(v int32) byte {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}

// Frame analyses the frame in buffer 0 at time tMs since the capture started
// and writes the decision into Out. It allocates nothing.
func (c *Core) Frame(f FrameDesc, tMs float64) {
	for i := range c.Out {
		c.Out[i] = 0
	}
	if c.sess == nil {
		return
	}
	if f.FullW <= 0 || f.FullH <= 0 {
		f.FullW, f.FullH = f.Width, f.Height
	}
	t := time.Duration(tMs * float64(time.Millisecond))
	if c.kind == capture.Selfie {
		c.frameSelfie(f, t, c.grayView(f))
		return
	}
	obs := capture.Observation{FrameW: f.FullW, FrameH: f.FullH}
	scale := float64(f.FullW) / float64(max(f.Width, 1))
	if c.grayView(f) {
		var chr *quality.Chroma
		if c.hasC {
			chr = &c.chr
		}
		if err := c.an.AnalyzeColor(&c.fr, &c.gray, chr, c.format); err == nil && c.fr.Found {
			obs.Found = true
			for i, p := range c.fr.Quad {
				obs.Corners[i] = [2]float64{p.X * scale, p.Y * scale}
			}
			obs.Glare, obs.Sharpness, obs.DPI, obs.Score = c.fr.Glare, c.fr.Sharpness, c.fr.DPI*scale, c.fr.Score
		}
	}
	d := c.sess.Step(obs, t)
	flags := 0
	if obs.Found {
		flags |= flagFound
		if c.fr.Tracked {
			flags |= flagTracked
		}
		for i, p := range obs.Corners {
			c.Out[outCorners+2*i], c.Out[outCorners+2*i+1] = p[0], p[1]
		}
		c.Out[outGlare], c.Out[outSharp], c.Out[outDPI], c.Out[outScore] = obs.Glare, obs.Sharpness, obs.DPI, obs.Score
		c.Out[outCoverage] = c.fr.Coverage
	}
	if d.Keep && obs.Found {
		flags |= flagKeep
		c.best.ok = true
		c.best.fullW = f.FullW
		for i, p := range obs.Corners {
			c.best.quad[i] = quality.Point{X: p[0], Y: p[1]}
		}
	}
	if d.Snap {
		flags |= flagSnap
	}
	if d.TimedOut {
		flags |= flagTimedOut
	}
	c.Out[outFlags] = float64(flags)
	c.Out[outGuidance] = float64(d.Guidance)
	c.Out[outProgress] = d.Progress
}

// Snap crops the kept frame (RGBA in buffer 1 at offset with stride) to the
// document, measures it and returns it as a JPEG data URL with EXIF.
func (c *Core) Snap(offset, w, h, stride int, m Meta) (*Result, *Error) {
	buf := c.bufs[1]
	if w <= 0 || h <= 0 || stride < 4*w || offset < 0 || offset+(h-1)*stride+4*w > len(buf) {
		return nil, &Error{1016, "the snapped frame does not fit its buffer"}
	}
	img := &image.NRGBA{Pix: buf[offset : offset+(h-1)*stride+4*w], Stride: stride, Rect: image.Rect(0, 0, w, h)}
	if c.kind == capture.Selfie {
		return c.snapSelfie(img, m)
	}
	if !c.best.ok {
		return nil, &Error{1016, "no document frame was kept"}
	}
	q := c.best.quad
	if c.best.fullW > 0 && c.best.fullW != w {
		q = q.Scale(float64(w) / float64(c.best.fullW))
	}
	return c.document(img, q, true, m)
}

// document crops img to q (when found), measures it and encodes the result.
func (c *Core) document(img image.Image, q quality.Quad, found bool, m Meta) (*Result, *Error) {
	var doc *image.NRGBA
	var dpi float64
	var err error
	if found {
		dpi = quality.DPI(q, c.format)
		doc, err = quality.CropDeskew(img, q, c.format, MaxDocumentSide)
		if err != nil {
			return nil, &Error{1016, "crop failed: " + err.Error()}
		}
	} else {
		// No edges found: the image itself is taken as the document (a photo
		// already cropped by the user).
		b := img.Bounds()
		dpi = float64(b.Dx()) / c.format.PhysicalWidthInches()
		doc = resizeLong(img, MaxDocumentSide)
	}
	mt := quality.Measure(doc, dpi)
	qm := &Quality{Glare: round2(mt.Glare), DPI: math.Round(mt.DPI), Sharpness: round2(mt.Sharpness)}
	data, e := encode(doc, m, qm)
	if e != nil {
		return nil, e
	}
	return &Result{Image: data, Quality: qm}, nil
}

// File runs a manually chosen image through the same analysis.
func (c *Core) File(data []byte, kind string, m Meta, maxBytes int) (*Result, *Error) {
	k, ok := capture.ParseKind(kind)
	if !ok {
		return nil, &Error{1007, "unknown capture kind " + kind}
	}
	c.kind, c.format = k, formatOf(k)
	lim := imagein.Limits{MaxBytes: int64(maxBytes), MinWidth: MinUploadSide, MinHeight: MinUploadSide}
	img, err := imagein.Decode(data, lim)
	if err != nil {
		return nil, &Error{imagein.Code(err), err.Error()}
	}
	if k == capture.Selfie {
		return c.fileSelfie(img, m)
	}
	q, found := quality.DetectQuad(img, c.format)
	return c.document(img, q, found, m)
}

func encode(img image.Image, m Meta, qm *Quality) (string, *Error) {
	em := exif.Meta{
		Mode: m.Mode, CaptureType: m.CaptureType, SDKVersion: Version, DeviceType: m.DeviceType,
		Glare: qm.Glare, Sharpness: qm.Sharpness, DPI: qm.DPI,
	}
	if t, err := time.Parse(time.RFC3339Nano, m.Time); err == nil {
		em.Time = t
	}
	if m.Geo != nil {
		em.GPS = &exif.GPS{Lat: m.Geo.Latitude, Lon: m.Geo.Longitude, Accuracy: m.Geo.Accuracy}
	}
	var buf bytes.Buffer
	if err := exif.Encode(&buf, img, JPEGQuality, em); err != nil {
		return "", &Error{1016, "JPEG encoding failed: " + err.Error()}
	}
	return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
