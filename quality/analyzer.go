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
	// Tracked reports that the quad was found by following the previous
	// frame's (Options.TrackFrames) rather than by a search of the frame.
	Tracked bool
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
	// TrackFrames lets up to this many frames after a searched frame in
	// which the document was found look for it only where it was: each side
	// of the previous quad is refined at full resolution (within ±(4·f+2)
	// px, f the detection reduction factor: ±18 px at 720p), and the result
	// is kept when every side found the edge it had in the searched frame
	// (0.6-1.67 times as many of its 40 profiles on one line, 0.5-2 times
	// the edge strength) and the format's aspect holds within 10 %;
	// otherwise the frame is searched. A side too faint to be fitted in the
	// searched frame (fewer than 10 profiles on one line) stays where it
	// was; a quad with two such sides is not followed. Live frames of a held
	// document change little from one to the next, and a followed frame
	// costs about a quarter of a search. 0 (the default) searches every
	// frame, as stills and independent images need.
	TrackFrames int
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
	// tracking (Options.TrackFrames): the last quad found, in frame pixels
	// relative to the frame's origin, the frame size and format it was
	// found in, the frames followed since the last search, and per side of
	// the searched frame's quad its profiles on one line, its edge strength
	// and whether it is too faint to follow (kept where it is)
	prev     Quad
	prevOK   bool
	prevW    int
	prevH    int
	prevF    Format
	followed int
	refIn    [4]float64
	refStr   [4]float64
	refKeep  [4]bool
}

// NewAnalyzer returns an Analyzer; nil opts means defaults.
func NewAnalyzer(opts *Options) *Analyzer {
	a := &Analyzer{opt: opts.withDefaults(), det: newDetector()}
	a.det.landscape = !a.opt.AnyOrientation
	return a
}

// Reset forgets the previous frame: the next frame is searched whatever
// Options.TrackFrames says (a new capture, or a jump in the video).
func (a *Analyzer) Reset() { a.prevOK, a.followed = false, 0 }

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
	fac := float64(d.fac)
	q, ok := a.follow(g, w, h, f)
	if ok {
		dst.Tracked = true
		a.followed++
	} else {
		var qs Quad
		a.prevOK, a.followed = false, 0
		if qs, ok = d.detect(g.Pix, g.Stride, f); !ok {
			return nil
		}
		q = d.locate(g.Pix, g.Stride, w, h, qs, !a.opt.NoRefine)
		// The quad can be followed when at most one side is too faint to tell its
		// edge from a neighbour's (its fit was not kept, or fewer than 10 of
		// the 40 profiles agreed on it): that side stays where it is while
		// the document is followed.
		faint := 0
		for s := 0; s < 4; s++ {
			a.refIn[s], a.refStr[s] = float64(d.sideIn[s]), d.sideStr[s]
			a.refKeep[s] = !d.sideFit[s] || d.sideIn[s] < refineSamples/4
			if a.refKeep[s] {
				faint++
			}
		}
		a.prevOK = a.opt.TrackFrames > 0 && !a.opt.NoRefine && faint <= 1
	}
	if a.prevOK {
		a.prev, a.prevW, a.prevH, a.prevF = q, w, h, f
	}
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

// follow looks for the document only where the previous frame had it
// (Options.TrackFrames). It prepares the reduced planes the metrics use, as
// detect would have.
func (a *Analyzer) follow(g *image.Gray, w, h int, f Format) (Quad, bool) {
	if !a.prevOK || a.followed >= a.opt.TrackFrames || w != a.prevW || h != a.prevH || f != a.prevF {
		return Quad{}, false
	}
	d := a.det
	r := 4*d.fac + 2
	d.keepSide, d.fixSides = a.refKeep, true
	q, ok := d.refine(g.Pix, g.Stride, w, h, a.prev, r)
	d.keepSide, d.fixSides = [4]bool{}, false
	if !ok {
		return Quad{}, false
	}
	for s := 0; s < 4; s++ {
		if a.refKeep[s] {
			continue
		}
		// the same edge as in the searched frame: about as many profiles
		// on it, about as strong (a jump to another edge changes both)
		in, str := float64(d.sideIn[s]), d.sideStr[s]
		if !d.sideFit[s] || in < 0.6*a.refIn[s]-2 || in > a.refIn[s]/0.6+2 || str < 0.5*a.refStr[s] || str > 2*a.refStr[s] {
			return Quad{}, false
		}
	}
	fac := float64(d.fac)
	cx, cy := float64(d.sw)/2, float64(d.sh)/2
	asp := estimateAspect(q.Scale(1/fac), cx, cy, 0.85*max(float64(d.sw), float64(d.sh)))
	if math.Abs(math.Log(asp/f.Aspect())) > 0.1 {
		return Quad{}, false
	}
	d.downscale(g.Pix, g.Stride)
	if d.chroma != nil {
		d.downscaleChroma(d.chroma)
	}
	return q, true
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
