package quality

import (
	"image"
	"math"
)

// Metrics are the image-quality figures of a document.
type Metrics struct {
	Glare     float64 // 0..100, 100 = no glare
	Sharpness float64 // 0..100, higher = sharper
	DPI       float64 // document pixels per inch (0 when unknown)
}

// FrameResult is the per-frame analysis of a live frame.
type FrameResult struct {
	Found    bool
	Quad     Quad    // in input-frame pixels (valid when Found)
	Coverage float64 // document width / frame width (0..1)
	Metrics
	// Score is the overall goodness for "best frame" selection, 0..100
	// (0 when no document is found): 0.55*Sharpness + 0.35*Glare +
	// 10*min(1, Coverage/0.6).
	Score float64
}

// Options tunes an Analyzer. The zero value (or nil) gives the defaults.
type Options struct {
	// DetectSize is the long side, in pixels, of the reduced image in which
	// the document is searched (an integer box-filter reduction; default 320).
	DetectSize int
	// SharpSamples bounds the full-resolution pixels sampled for sharpness
	// per frame (rows are subsampled uniformly; default 32768).
	SharpSamples int
	// NoRefine skips the sub-pixel corner refinement at full resolution.
	NoRefine bool
	// AnyOrientation drops the live-capture prior that the document is held
	// landscape (long side nearer horizontal), as the on-screen guide shows it.
	AnyOrientation bool
}

func (o *Options) withDefaults() Options {
	var r Options
	if o != nil {
		r = *o
	}
	if r.DetectSize <= 0 {
		r.DetectSize = defaultDetectSize
	}
	if r.DetectSize < 64 {
		r.DetectSize = 64
	}
	if r.DetectSize > 2048 {
		r.DetectSize = 2048
	}
	if r.SharpSamples <= 0 {
		r.SharpSamples = 1 << 15
	}
	return r
}

// Analyzer analyses live frames. It keeps its buffers between calls, so after
// the first frame of a given size Analyze allocates nothing. An Analyzer is
// not safe for concurrent use.
type Analyzer struct {
	opt   Options
	det   *detector
	sharp sharpAcc
	glare glareCalc
	spanQ Quad
	spanS int
	spanG *image.Gray
}

// NewAnalyzer returns an Analyzer; nil opts means defaults.
func NewAnalyzer(opts *Options) *Analyzer {
	a := &Analyzer{opt: opts.withDefaults(), det: newDetector()}
	a.det.landscape = !a.opt.AnyOrientation
	return a
}

// Analyze finds the document of format f in the luma plane g and measures
// it. dst is overwritten. When no document is found, dst.Found is false and
// the metrics are zero; the error is non-nil only for a bad image or format.
// Sharpness is measured on full-resolution pixels inside the quad; glare on
// the reduced plane used for detection.
func (a *Analyzer) Analyze(dst *FrameResult, g *image.Gray, f Format) error {
	return a.AnalyzeColor(dst, g, nil, f)
}

// AnalyzeColor is Analyze with the frame's chroma planes c (nil: luma only).
// Detection and corner refinement then also see edges that differ in hue
// but not in luma (a coloured band on a table of its own brightness); the
// metrics are the same as Analyze's. c must cover the same scene as g.
func (a *Analyzer) AnalyzeColor(dst *FrameResult, g *image.Gray, c *Chroma, f Format) error {
	if dst == nil {
		return ErrBadImage
	}
	*dst = FrameResult{}
	if !f.Valid() {
		return ErrUnknownFormat
	}
	if !grayOK(g) || (c != nil && !c.valid()) {
		return ErrBadImage
	}
	a.det.chroma = c
	defer func() { a.det.chroma = nil }()
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 16 || h < 16 {
		return nil // too small to hold a document: nothing found
	}
	d := a.det
	d.prepare(w, h, a.opt.DetectSize)
	if d.sw < 16 || d.sh < 16 {
		return nil
	}
	qs, ok := d.detect(g.Pix, g.Stride, f)
	if !ok {
		return nil
	}
	fac := float64(d.fac)
	q := d.locate(g.Pix, g.Stride, w, h, qs, !a.opt.NoRefine)
	dst.Found = true
	dst.Quad = q.translate(float64(g.Rect.Min.X), float64(g.Rect.Min.Y))
	dst.Coverage = math.Min(1, q.Width()/float64(w))
	dst.DPI = DPI(q, f)
	// glare on the reduced plane
	a.glare.cb, a.glare.cr = nil, nil
	if c != nil {
		a.glare.cb, a.glare.cr = d.scb, d.scr // on the detection grid
	}
	ga, _ := a.glare.glareArea(d.small, d.sw, d.sw, d.sh, q.Scale(1/fac), 1)
	a.glare.cb, a.glare.cr = nil, nil
	dst.Glare = glareScore(ga)
	// sharpness on full-resolution rows inside the quad
	a.sharp.reset()
	a.sharpQuad(g, q, w, h)
	dst.Sharpness = a.sharp.score()
	dst.Score = frameScore(dst)
	return nil
}

func frameScore(r *FrameResult) float64 {
	if !r.Found {
		return 0
	}
	return 0.55*r.Sharpness + 0.35*r.Glare + 10*math.Min(1, r.Coverage/0.6)
}

// sharpQuad accumulates sharpness statistics over rows of the (shrunk) quad
// with a row step that keeps the sample count within the budget.
func (a *Analyzer) sharpQuad(g *image.Gray, q Quad, w, h int) {
	qi := shrinkQuad(q, 0.92)
	area := math.Abs(qi.Area())
	step := int(area/float64(a.opt.SharpSamples)) + 1
	a.spanG, a.spanS = g, step
	quadSpans(qi, w, h-2, step, a.sharpSpan)
	a.spanG = nil
}

func (a *Analyzer) sharpSpan(y, x0, x1 int) {
	g := a.spanG
	if x1 > g.Rect.Dx()-2 {
		x1 = g.Rect.Dx() - 2
	}
	if x1 <= x0 {
		return
	}
	a.sharp.addRow(g.Pix, g.Stride, y, x0, x1, 1)
}
