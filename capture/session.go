// Package capture is the pure, deterministic capture-session state machine
// of the SDK: it turns per-frame observations (document quad and quality
// metrics, or face box and pose) into the guidance shown to the user and the
// decision when to snap.
//
// A Session has no timers, goroutines or I/O: the caller passes the time
// since the capture started with every frame, so the same sequence of
// observations and times always gives the same decisions. Step allocates
// nothing.
//
// # Steadiness
//
// A frame's tracked quad is the document's four corners (documents) or the
// four corners of the square face box (selfies). A frame is steady when the
// previous frame also had a tracked quad and every one of the four corners
// moved less than SteadyTol × the frame diagonal (sqrt(FrameW²+FrameH²))
// between the two frames (Euclidean distance, corner i to corner i).
//
// # Steady window and snap
//
// A frame is good when it passes every check of its kind (see Config). The
// steady window is the maximal run of consecutive good frames in which every
// frame after the first is steady relative to its predecessor. A bad frame
// ends the window; a good frame that is not steady starts a new window at
// itself. The session snaps on the first frame at which the window has lasted
// at least Steady (t − t_first ≥ Steady). Within a window, Decision.Keep is
// true for the window's first frame and for every later frame whose Score is
// strictly greater than the best Score so far in that window, so the caller
// grabs the full-resolution frame exactly then and uses the last kept frame
// when Snap is true.
//
// # Timeout and terminal state
//
// A frame with t ≥ Timeout (checked before the frame is evaluated) ends the
// session with TimedOut. After a snap or a timeout every later Step returns
// the same terminal Decision (with Keep false: frames after the snap are
// never to be grabbed) until Reset.
//
// # Hysteresis
//
// The raw guidance of a frame is the first failing check (or HoldSteady /
// HoldStill when all pass). The guidance shown (Decision.Guidance) changes
// to a new value only after that value has been the raw guidance of
// HoldFrames consecutive frames (default 3), or of consecutive frames
// spanning at least Hold (default 150 ms), whichever comes first. The first
// frame of a session and the snap (Capturing) are shown immediately.
// Decision.Raw carries the unfiltered value.
package capture

import (
	"math"
	"time"
)

// Observation is what the caller measured on one frame. Coordinates are in
// pixels of a FrameW × FrameH frame, X right, Y down.
type Observation struct {
	FrameW, FrameH int

	// Documents: Found reports a document quad; Corners are TL, TR, BR, BL
	// (clockwise from top-left). Glare and Sharpness are 0..100 (100 = no
	// glare / sharpest), DPI is the document's pixels per inch, Score the
	// overall goodness used to pick the best frame of the steady window.
	Found     bool
	Corners   [4][2]float64
	Glare     float64
	Sharpness float64
	DPI       float64
	Score     float64
	Faces     int     // selfie: number of faces found
	FaceX     float64 // selfie: centre of the face box, px
	FaceY     float64
	FaceSize  float64 // selfie: side of the square face box, px
	Roll, Yaw float64 // selfie: head roll and yaw in degrees
}

// Config holds the thresholds of a session. A zero field means its default
// (see DefaultConfig); a negative field disables that check (a negative
// minimum accepts everything, a negative maximum or Timeout never fires, a
// negative SteadyTol treats every frame as steady, a negative Steady snaps on
// the first good frame, a negative Hold shows the raw guidance unfiltered).
type Config struct {
	// Documents.
	MinGlare     float64 // glare score must be ≥ this (default 50)
	MinSharpness float64 // sharpness score must be ≥ this (default 50)
	MinDPI       float64 // DPI must be ≥ this (default 250 ID-1 Front/Back, 170 Passport)
	MinCoverage  float64 // doc width / frame width must be ≥ this (default 0.40)
	MaxCoverage  float64 // doc width / frame width must be ≤ this (default 0.90)
	BorderMargin float64 // a corner closer than this × min(FrameW,FrameH) to the frame edge touches it (default 0.01)

	// Selfies (fractions of the frame's short side, degrees).
	MinFace   float64 // face box side must be ≥ this × short side (default 0.30)
	MaxFace   float64 // face box side must be ≤ this × short side (default 0.65)
	CenterTol float64 // face centre within this × short side of the oval centre (default 0.12)
	OvalX     float64 // oval centre as a fraction of FrameW (default 0.5)
	OvalY     float64 // oval centre as a fraction of FrameH (default 0.5)
	MaxRoll   float64 // |Roll| must be ≤ this (default 20)
	MaxYaw    float64 // |Yaw| must be ≤ this (default 25)

	// Timing (all kinds).
	Steady     time.Duration // good and steady this long before the snap (default 500 ms)
	SteadyTol  float64       // max corner motion per frame, fraction of the frame diagonal (default 0.01)
	Timeout    time.Duration // no snap by then: TimedOut (default 30 s)
	Hold       time.Duration // guidance hysteresis time (default 150 ms)
	HoldFrames int           // guidance hysteresis frames (default 3; ≤ 0 = default)
}

// Defaults (see DefaultConfig).
const (
	DefaultMinGlare       = 50
	DefaultMinSharpness   = 50
	DefaultMinDPIID1      = 250 // Front, Back (ID-1 card, 3.370 in wide: ≥ 843 px across)
	DefaultMinDPIPassport = 170 // Passport (ID-3 page, 4.921 in wide: ≥ 837 px across, the same pixels as an ID-1 card at 250)
	DefaultMinCoverage    = 0.40
	DefaultMaxCoverage    = 0.90
	DefaultBorderMargin   = 0.01
	DefaultMinFace        = 0.30
	DefaultMaxFace        = 0.65
	DefaultCenterTol      = 0.12
	DefaultMaxRoll        = 20
	DefaultMaxYaw         = 25
	DefaultSteady         = 500 * time.Millisecond
	DefaultSteadyTol      = 0.01
	DefaultTimeout        = 30 * time.Second
	DefaultHold           = 150 * time.Millisecond
	DefaultHoldFrames     = 3
)

// DefaultConfig returns the thresholds a zero Config means for kind k.
func DefaultConfig(k Kind) Config {
	c := Config{
		MinGlare: DefaultMinGlare, MinSharpness: DefaultMinSharpness, MinDPI: DefaultMinDPIID1,
		MinCoverage: DefaultMinCoverage, MaxCoverage: DefaultMaxCoverage, BorderMargin: DefaultBorderMargin,
		MinFace: DefaultMinFace, MaxFace: DefaultMaxFace, CenterTol: DefaultCenterTol,
		OvalX: 0.5, OvalY: 0.5, MaxRoll: DefaultMaxRoll, MaxYaw: DefaultMaxYaw,
		Steady: DefaultSteady, SteadyTol: DefaultSteadyTol, Timeout: DefaultTimeout,
		Hold: DefaultHold, HoldFrames: DefaultHoldFrames,
	}
	if k == Passport {
		c.MinDPI = DefaultMinDPIPassport
	}
	return c
}

// Decision is the session's answer to one frame.
type Decision struct {
	Guidance Guidance // what to show (after hysteresis)
	Raw      Guidance // this frame's own guidance (before hysteresis)
	Keep     bool     // this frame is the best so far of the steady window: grab it at full resolution
	Snap     bool     // capture now (use the last kept frame); terminal
	TimedOut bool     // Timeout reached without a snap; terminal
	Progress float64  // 0..1: how much of the steady window has elapsed
}

// Session is one capture attempt. Create it with NewSession; it is not safe
// for concurrent use.
type Session struct {
	kind Kind
	c    rcfg

	done  bool
	final Decision

	started bool
	lastT   time.Duration

	havePrev bool
	prev     [4][2]float64

	inWin    bool
	winStart time.Duration
	haveBest bool
	best     float64

	haveShown bool
	shown     Guidance
	pend      Guidance
	pendSince time.Duration
	pendN     int
}

// rcfg is the resolved configuration: disabled minima are -Inf, disabled
// maxima +Inf.
type rcfg struct {
	minGlare, minSharp, minDPI, minCov, maxCov, border         float64
	minFace, maxFace, centerTol, ovalX, ovalY, maxRoll, maxYaw float64
	steady                                                     time.Duration
	steadyTol                                                  float64
	timeout                                                    time.Duration // ≤ 0: never
	hold                                                       time.Duration // < 0: no hysteresis
	holdFrames                                                 int
}

func pick(v, def float64, disabled float64) float64 {
	switch {
	case v > 0:
		return v
	case v < 0:
		return disabled
	case v == 0:
		return def
	}
	return def // NaN
}

func pickDur(v, def time.Duration) time.Duration {
	if v == 0 {
		return def
	}
	return v
}

// NewSession starts a session for kind k. A nil cfg means all defaults.
func NewSession(k Kind, cfg *Config) *Session {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	d := DefaultConfig(k)
	inf := math.Inf(1)
	r := rcfg{
		minGlare:  pick(c.MinGlare, d.MinGlare, -inf),
		minSharp:  pick(c.MinSharpness, d.MinSharpness, -inf),
		minDPI:    pick(c.MinDPI, d.MinDPI, -inf),
		minCov:    pick(c.MinCoverage, d.MinCoverage, -inf),
		maxCov:    pick(c.MaxCoverage, d.MaxCoverage, inf),
		border:    pick(c.BorderMargin, d.BorderMargin, -inf),
		minFace:   pick(c.MinFace, d.MinFace, -inf),
		maxFace:   pick(c.MaxFace, d.MaxFace, inf),
		centerTol: pick(c.CenterTol, d.CenterTol, inf),
		ovalX:     pick(c.OvalX, d.OvalX, d.OvalX),
		ovalY:     pick(c.OvalY, d.OvalY, d.OvalY),
		maxRoll:   pick(c.MaxRoll, d.MaxRoll, inf),
		maxYaw:    pick(c.MaxYaw, d.MaxYaw, inf),
		steady:    pickDur(c.Steady, d.Steady),
		steadyTol: pick(c.SteadyTol, d.SteadyTol, inf),
		timeout:   pickDur(c.Timeout, d.Timeout),
		hold:      pickDur(c.Hold, d.Hold),
	}
	if r.steady < 0 {
		r.steady = 0
	}
	r.holdFrames = c.HoldFrames
	if r.holdFrames <= 0 {
		r.holdFrames = d.HoldFrames
	}
	return &Session{kind: k, c: r}
}

// Kind returns the session's kind.
func (s *Session) Kind() Kind { return s.kind }

// Done reports whether the session has snapped or timed out.
func (s *Session) Done() bool { return s.done }

// Reset forgets everything observed (window, hysteresis, terminal state) and
// keeps the kind and thresholds; times passed to Step start again from 0.
func (s *Session) Reset() {
	k, c := s.kind, s.c
	*s = Session{kind: k, c: c}
}

// Step feeds one frame observed at t (time since the capture started) and
// returns the decision for it. It never allocates.
func (s *Session) Step(o Observation, t time.Duration) Decision {
	if s.done {
		return s.final
	}
	if s.started && t < s.lastT {
		// Time went backwards: treat it as a discontinuity in the video.
		s.inWin, s.havePrev, s.haveBest = false, false, false
	}
	s.started, s.lastT = true, t

	if s.c.timeout > 0 && t >= s.c.timeout {
		g := s.shown
		if !s.haveShown {
			g = s.idle()
		}
		s.done = true
		s.final = Decision{Guidance: g, Raw: g, TimedOut: true}
		return s.final
	}

	var raw Guidance
	var q [4][2]float64
	var tracked, good bool
	diag := math.Hypot(float64(o.FrameW), float64(o.FrameH))
	if s.kind == Selfie {
		raw, q, tracked = s.evalFace(&o)
		good = raw == HoldStill
	} else {
		raw, q, tracked = s.evalDoc(&o)
		good = raw == HoldSteady
	}

	var d Decision
	if good {
		steady := s.havePrev && moved(&s.prev, &q) < s.c.steadyTol*diag
		if !s.inWin || !steady {
			s.inWin, s.winStart, s.haveBest = true, t, false
		}
		score := o.Score
		if score != score { // NaN never beats anything
			score = math.Inf(-1)
		}
		if !s.haveBest || score > s.best {
			s.haveBest, s.best = true, score
			d.Keep = true
		}
		el := t - s.winStart
		if el >= s.c.steady {
			s.haveShown, s.shown, s.pendN = true, Capturing, 0
			s.done = true
			s.final = Decision{Guidance: Capturing, Raw: Capturing, Snap: true, Progress: 1}
			d.Guidance, d.Raw, d.Snap, d.Progress = Capturing, Capturing, true, 1
			return d
		}
		d.Progress = float64(el) / float64(s.c.steady)
	} else {
		s.inWin, s.haveBest = false, false
	}
	s.havePrev, s.prev = tracked, q

	d.Raw = raw
	d.Guidance = s.filter(raw, t)
	return d
}

// idle is the guidance for "nothing there yet".
func (s *Session) idle() Guidance {
	if s.kind == Selfie {
		return CenterFace
	}
	return NoDocument
}

// filter applies the guidance hysteresis.
func (s *Session) filter(raw Guidance, t time.Duration) Guidance {
	if !s.haveShown || s.c.hold < 0 {
		s.haveShown, s.shown, s.pendN = true, raw, 0
		return raw
	}
	if raw == s.shown {
		s.pendN = 0
		return raw
	}
	if s.pendN > 0 && raw == s.pend {
		s.pendN++
	} else {
		s.pend, s.pendSince, s.pendN = raw, t, 1
	}
	if s.pendN >= s.c.holdFrames || (s.pendN > 1 && t-s.pendSince >= s.c.hold) {
		s.shown, s.pendN = raw, 0
	}
	return s.shown
}

// moved returns the largest distance any corner moved between a and b.
func moved(a, b *[4][2]float64) float64 {
	m := 0.0
	for i := range a {
		d := math.Hypot(b[i][0]-a[i][0], b[i][1]-a[i][1])
		if d != d {
			return math.Inf(1) // NaN: treat as "moved a lot"
		}
		if d > m {
			m = d
		}
	}
	return m
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Coverage returns the document width as a fraction of the frame width:
// the mean length of the top (TL→TR) and bottom (BL→BR) edges over frameW.
// It is 0 when frameW ≤ 0.
func Coverage(c [4][2]float64, frameW int) float64 {
	if frameW <= 0 {
		return 0
	}
	top := math.Hypot(c[1][0]-c[0][0], c[1][1]-c[0][1])
	bot := math.Hypot(c[2][0]-c[3][0], c[2][1]-c[3][1])
	return (top + bot) / 2 / float64(frameW)
}

func (s *Session) evalDoc(o *Observation) (Guidance, [4][2]float64, bool) {
	q := o.Corners
	if o.FrameW > 0 && o.FrameH > o.FrameW && s.tooNarrow(o.FrameW) {
		return TurnSideways, q, false
	}
	if !o.Found || o.FrameW <= 0 || o.FrameH <= 0 {
		return NoDocument, q, false
	}
	for i := range q {
		if !finite(q[i][0]) || !finite(q[i][1]) {
			return NoDocument, q, false
		}
	}
	cov := Coverage(q, o.FrameW)
	w, h := float64(o.FrameW), float64(o.FrameH)
	m := s.c.border * math.Min(w, h)
	touch := false
	for i := range q {
		x, y := q[i][0], q[i][1]
		if x < m || y < m || x > w-1-m || y > h-1-m {
			touch = true
		}
	}
	small := cov < s.c.minCov || !(o.DPI >= s.c.minDPI)
	switch {
	case cov > s.c.maxCov:
		return TooClose, q, true
	case touch && small:
		// A small document cut by the frame edge: it is off to a side,
		// not too close.
		return NoDocument, q, true
	case touch:
		return TooClose, q, true
	case small:
		return MoveCloser, q, true
	case !(o.Glare >= s.c.minGlare):
		return ReduceGlare, q, true
	case !(o.Sharpness >= s.c.minSharp):
		return Blurry, q, true
	}
	return HoldSteady, q, true
}

// Physical widths of the document formats in inches, as DPI is measured
// (ISO/IEC 7810 ID-1 card 85.60 mm, ID-3 passport page 125 mm).
const (
	widthID1Inches = 3.370
	widthID3Inches = 4.921
)

// tooNarrow reports whether a document filling MaxCoverage (at most all) of
// a frame frameW pixels wide stays under MinDPI: then no frame of that
// width can snap. A phone held upright gives such frames (720 px wide from a
// 1280x720 camera: an ID-1 card across 90 % of it is 192 DPI); turned
// sideways, the same camera gives the document 1280 px.
func (s *Session) tooNarrow(frameW int) bool {
	w := widthID1Inches
	if s.kind == Passport {
		w = widthID3Inches
	}
	return float64(frameW)*math.Min(s.c.maxCov, 1)/w < s.c.minDPI
}

// FaceQuad returns the corners (TL, TR, BR, BL) of the square face box of
// side size centred at (x, y): the quad whose motion the steadiness rule
// measures for selfies.
func FaceQuad(x, y, size float64) [4][2]float64 {
	h := size / 2
	return [4][2]float64{{x - h, y - h}, {x + h, y - h}, {x + h, y + h}, {x - h, y + h}}
}

func (s *Session) evalFace(o *Observation) (Guidance, [4][2]float64, bool) {
	q := FaceQuad(o.FaceX, o.FaceY, o.FaceSize)
	if o.Faces <= 0 || o.FrameW <= 0 || o.FrameH <= 0 ||
		!finite(o.FaceX) || !finite(o.FaceY) || !finite(o.FaceSize) || !(o.FaceSize > 0) {
		return CenterFace, q, false
	}
	if o.Faces > 1 {
		return OnlyOneFace, q, false
	}
	w, h := float64(o.FrameW), float64(o.FrameH)
	short := math.Min(w, h)
	dx, dy := o.FaceX-s.c.ovalX*w, o.FaceY-s.c.ovalY*h
	switch {
	case o.FaceSize > s.c.maxFace*short:
		return MoveBack, q, true
	case math.Hypot(dx, dy) > s.c.centerTol*short:
		return CenterFace, q, true
	case o.FaceSize < s.c.minFace*short:
		return MoveCloser, q, true
	case !(math.Abs(o.Roll) <= s.c.maxRoll) || !(math.Abs(o.Yaw) <= s.c.maxYaw):
		return LookStraight, q, true
	}
	return HoldStill, q, true
}
