package capture

import (
	"math"
	"math/rand"
	"testing"
	"time"
)

const ms = time.Millisecond

// card returns a good ID-1 observation on a 1280x720 frame: an 880 px wide
// card (coverage 0.6875, 261 DPI) with its top-left corner at (x, y).
func card(x, y float64) Observation {
	w, h := 880.0, 555.0
	return Observation{
		FrameW: 1280, FrameH: 720, Found: true,
		Corners: [4][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}},
		Glare:   95, Sharpness: 80, DPI: w / 3.370, Score: 50,
	}
}

func good() Observation { return card(200, 80) }

func with(o Observation, f func(*Observation)) Observation { f(&o); return o }

type frame struct {
	t time.Duration
	o Observation
}

// every returns n frames at the given interval starting at t0, all with o.
func every(t0, dt time.Duration, n int, o Observation) []frame {
	fs := make([]frame, n)
	for i := range fs {
		fs[i] = frame{t0 + time.Duration(i)*dt, o}
	}
	return fs
}

func run(s *Session, fs []frame) []Decision {
	ds := make([]Decision, len(fs))
	for i, f := range fs {
		ds[i] = s.Step(f.o, f.t)
	}
	return ds
}

func firstSnap(ds []Decision) int {
	for i, d := range ds {
		if d.Snap {
			return i
		}
	}
	return -1
}

func TestDocumentScripts(t *testing.T) {
	blurry := with(good(), func(o *Observation) { o.Sharpness = 30 })
	glare := with(good(), func(o *Observation) { o.Glare = 20 })
	far := with(good(), func(o *Observation) { o.DPI = 200 })
	tests := []struct {
		name   string
		kind   Kind
		frames []frame
		snapAt int      // index of the first Snap, -1 for none
		last   Guidance // shown guidance on the last frame
	}{
		{"steady good snaps after 500ms", Front, every(0, 33*ms, 30, good()), 16, Capturing},
		{"snap exactly at 500ms", Back, every(0, 100*ms, 10, good()), 5, Capturing},
		{"blurry never snaps", Front, every(0, 33*ms, 60, blurry), -1, Blurry},
		{"glare never snaps", Front, every(0, 33*ms, 60, glare), -1, ReduceGlare},
		{"low dpi never snaps", Front, every(0, 33*ms, 60, far), -1, MoveCloser},
		{"passport at 200 dpi snaps", Passport, every(0, 33*ms, 30, far), 16, Capturing},
		{"no document", Front, every(0, 33*ms, 60, Observation{FrameW: 1280, FrameH: 720}), -1, NoDocument},
		{"bad frame resets window", Front, concat(
			every(0, 33*ms, 12, good()),     // t = 0..363
			every(396*ms, 33*ms, 1, blurry), // reset
			every(429*ms, 33*ms, 20, good())), 13 + 16, Capturing},
		{"good frames after blurry ones", Front, concat(
			every(0, 33*ms, 10, blurry),
			every(330*ms, 33*ms, 20, good())), 10 + 16, Capturing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSession(tc.kind, nil)
			ds := run(s, tc.frames)
			if got := firstSnap(ds); got != tc.snapAt {
				t.Fatalf("first snap at frame %d, want %d", got, tc.snapAt)
			}
			last := ds[len(ds)-1]
			if last.Guidance != tc.last {
				t.Errorf("last guidance %v, want %v", last.Guidance, tc.last)
			}
			if tc.snapAt >= 0 {
				for i := tc.snapAt; i < len(ds); i++ {
					if !ds[i].Snap || ds[i].Guidance != Capturing || ds[i].Progress != 1 {
						t.Fatalf("frame %d after snap: %+v, want terminal snap", i, ds[i])
					}
				}
				if !s.Done() {
					t.Error("Done() false after snap")
				}
			}
		})
	}
}

func concat(parts ...[]frame) []frame {
	var out []frame
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestDocumentGuidanceTable(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		o    Observation
		want Guidance
	}{
		{"good", Front, good(), HoldSteady},
		{"not found", Front, with(good(), func(o *Observation) { o.Found = false }), NoDocument},
		{"zero frame", Front, with(good(), func(o *Observation) { o.FrameW = 0 }), NoDocument},
		{"nan corner", Front, with(good(), func(o *Observation) { o.Corners[2][0] = math.NaN() }), NoDocument},
		{"low dpi", Front, with(good(), func(o *Observation) { o.DPI = 249 }), MoveCloser},
		{"dpi 250 ok", Front, with(good(), func(o *Observation) { o.DPI = 250 }), HoldSteady},
		{"nan dpi", Front, with(good(), func(o *Observation) { o.DPI = math.NaN() }), MoveCloser},
		{"passport 170 ok", Passport, with(good(), func(o *Observation) { o.DPI = 170 }), HoldSteady},
		{"passport 169", Passport, with(good(), func(o *Observation) { o.DPI = 169 }), MoveCloser},
		{"small coverage", Front, card400(), MoveCloser},
		{"coverage > 0.9", Front, wide(1180), TooClose},
		{"touching right border", Front, card(399, 80), TooClose},
		{"touching top border", Front, card(200, 2), TooClose},
		{"small and cut by the border", Front, with(card400(), func(o *Observation) {
			for i := range o.Corners {
				o.Corners[i][0] -= 439
			}
		}), NoDocument},
		{"glare", Front, with(good(), func(o *Observation) { o.Glare = 49.9 }), ReduceGlare},
		{"glare 50 ok", Front, with(good(), func(o *Observation) { o.Glare = 50 }), HoldSteady},
		{"blurry", Front, with(good(), func(o *Observation) { o.Sharpness = 10 }), Blurry},
		{"glare before blur", Front, with(good(), func(o *Observation) { o.Sharpness = 10; o.Glare = 10 }), ReduceGlare},
		{"nan sharpness", Back, with(good(), func(o *Observation) { o.Sharpness = math.NaN() }), Blurry},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewSession(tc.kind, nil).Step(tc.o, 0)
			if d.Guidance != tc.want || d.Raw != tc.want {
				t.Errorf("guidance %v (raw %v), want %v", d.Guidance, d.Raw, tc.want)
			}
		})
	}
}

// upright is a good card (coverage 0.85, corners clear of the border) on a
// w x h frame held upright (h > w); its DPI is what a frame that wide gives.
func upright(w, h int, widthIn float64) Observation {
	cw := 0.85 * float64(w)
	ch := cw / 1.586
	x, y := (float64(w)-cw)/2, (float64(h)-ch)/2
	return Observation{
		FrameW: w, FrameH: h, Found: true,
		Corners: [4][2]float64{{x, y}, {x + cw, y}, {x + cw, y + ch}, {x, y + ch}},
		Glare:   95, Sharpness: 80, DPI: cw / widthIn, Score: 50,
	}
}

// TestTurnSideways: an upright frame too narrow for the minimum DPI at the
// largest coverage allowed asks to turn the phone, document or not; one wide
// enough, a landscape frame, a selfie or a disabled DPI check do not.
func TestTurnSideways(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		cfg  *Config
		o    Observation
		want Guidance
	}{
		{"front 720x1280", Front, nil, upright(720, 1280, widthID1Inches), TurnSideways},
		{"front 720x1280, no document", Front, nil, with(upright(720, 1280, widthID1Inches), func(o *Observation) { o.Found = false }), TurnSideways},
		{"back 720x1280", Back, nil, upright(720, 1280, widthID1Inches), TurnSideways},
		{"front 1080x1920", Front, nil, upright(1080, 1920, widthID1Inches), HoldSteady},
		{"front 937 wide: 250 DPI within reach at 0.9", Front, nil, upright(937, 1666, widthID1Inches), MoveCloser},
		{"front 936 wide", Front, nil, upright(936, 1664, widthID1Inches), TurnSideways},
		{"passport 720x1280", Passport, nil, upright(720, 1280, widthID3Inches), TurnSideways},
		{"passport 1080x1920", Passport, nil, upright(1080, 1920, widthID3Inches), HoldSteady},
		{"front 720x1280, DPI check off", Front, &Config{MinDPI: -1}, upright(720, 1280, widthID1Inches), HoldSteady},
		{"front 720x1280, 150 DPI asked", Front, &Config{MinDPI: 150}, upright(720, 1280, widthID1Inches), HoldSteady},
		{"front 720x1280, coverage cap off", Front, &Config{MaxCoverage: -1}, upright(720, 1280, widthID1Inches), TurnSideways},
		{"landscape 640x480 (turning does not help)", Front, nil, with(good(), func(o *Observation) { o.FrameW, o.FrameH, o.DPI = 640, 480, 180 }), TooClose},
		{"selfie 720x1280", Selfie, nil, with(face(360, 640, 324), func(o *Observation) { o.FrameW, o.FrameH = 720, 1280 }), HoldStill},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewSession(tc.kind, tc.cfg).Step(tc.o, 0)
			if d.Raw != tc.want {
				t.Errorf("guidance %v, want %v", d.Raw, tc.want)
			}
		})
	}
	// Turned sideways mid-capture: the landscape frames snap as usual.
	s := NewSession(Front, nil)
	fs := append(every(0, 33*ms, 10, upright(720, 1280, widthID1Inches)), every(330*ms, 33*ms, 30, good())...)
	ds := run(s, fs)
	if ds[9].Guidance != TurnSideways || ds[9].Snap {
		t.Errorf("upright frames: %+v", ds[9])
	}
	if i := firstSnap(ds); i < 10+15 {
		t.Errorf("snapped at frame %d, want after 500 ms of landscape frames", i)
	}
}

// card400 is a 400 px wide card (coverage 0.31) in the middle of the frame.
func card400() Observation {
	o := good()
	o.Corners = [4][2]float64{{440, 234}, {840, 234}, {840, 486}, {440, 486}}
	o.DPI = 400 / 3.370 * 3 // high DPI (as from a 4K frame): coverage alone decides
	return o
}

// wide is a card w px wide centred in the frame (it may extend past the
// top and bottom: coverage is checked first).
func wide(w float64) Observation {
	o := good()
	h := w / 1.586
	x, y := (1280-w)/2, (720-h)/2
	o.Corners = [4][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
	o.DPI = w / 3.370
	return o
}

func TestCoverage(t *testing.T) {
	o := good()
	if got := Coverage(o.Corners, 1280); math.Abs(got-880.0/1280) > 1e-12 {
		t.Errorf("Coverage = %v", got)
	}
	// trapezoid: top 800, bottom 900 -> mean 850
	q := [4][2]float64{{100, 100}, {900, 100}, {950, 600}, {50, 600}}
	if got := Coverage(q, 1000); math.Abs(got-0.85) > 1e-12 {
		t.Errorf("Coverage(trapezoid) = %v", got)
	}
	if Coverage(q, 0) != 0 {
		t.Error("Coverage with frameW 0 should be 0")
	}
}

func TestSteadyTolerance(t *testing.T) {
	// Diagonal of 1280x720 is 1468.6 px; 1 % is 14.686 px per frame.
	for _, tc := range []struct {
		step float64 // px moved by every corner per frame (diagonal move)
		snap bool
	}{
		{0, true}, {5, true}, {10, true}, {14.6, true}, {14.7, false}, {20, false},
	} {
		s := NewSession(Front, nil)
		var ds []Decision
		for i := range 40 {
			d := tc.step / math.Sqrt2 * float64(i%2) // oscillate: every frame moves by step
			ds = append(ds, s.Step(card(200+d, 80+d), time.Duration(i)*33*ms))
		}
		if got := firstSnap(ds) >= 0; got != tc.snap {
			t.Errorf("motion %.1f px/frame: snapped=%v, want %v", tc.step, got, tc.snap)
		}
		if !tc.snap {
			for i, d := range ds {
				if i > 0 && d.Progress != 0 {
					t.Fatalf("motion %.1f: frame %d progress %v, want 0 (window restarts every frame)", tc.step, i, d.Progress)
				}
				if i >= 3 && d.Guidance != HoldSteady {
					t.Fatalf("motion %.1f: frame %d guidance %v", tc.step, i, d.Guidance)
				}
			}
		}
	}
}

func TestKeepBestInWindow(t *testing.T) {
	s := NewSession(Front, nil)
	scores := []float64{1, 3, 2, 5, 4, 5, 6, math.NaN(), 7, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	want := []bool{true, true, false, true, false, false, true, false, true}
	var ds []Decision
	for i, sc := range scores {
		o := good()
		o.Score = sc
		ds = append(ds, s.Step(o, time.Duration(i)*40*ms))
	}
	for i, w := range want {
		if ds[i].Keep != w {
			t.Errorf("frame %d (score %v): Keep=%v, want %v", i, scores[i], ds[i].Keep, w)
		}
	}
	snap := firstSnap(ds)
	if snap != 13 { // 13*40 = 520 ms
		t.Fatalf("snap at %d, want 13", snap)
	}
	if ds[snap].Keep {
		t.Error("snap frame has score 1 < 7: Keep must be false")
	}
	// A reset window starts a new best.
	s.Reset()
	o := good()
	o.Score = 10
	s.Step(o, 0)
	s.Step(with(o, func(o *Observation) { o.Sharpness = 0 }), 40*ms)
	o.Score = 2
	if d := s.Step(o, 80*ms); !d.Keep {
		t.Error("first frame of a new window must be kept")
	}
}

func TestProgress(t *testing.T) {
	s := NewSession(Front, nil)
	for i, want := range []float64{0, 0.2, 0.4, 0.6, 0.8, 1} {
		d := s.Step(good(), time.Duration(i)*100*ms)
		if math.Abs(d.Progress-want) > 1e-9 {
			t.Errorf("frame %d progress %v, want %v", i, d.Progress, want)
		}
	}
}

func TestTimeout(t *testing.T) {
	blurry := with(good(), func(o *Observation) { o.Sharpness = 0 })
	s := NewSession(Front, nil)
	var last Decision
	for i := 0; ; i++ {
		tt := time.Duration(i) * 100 * ms
		last = s.Step(blurry, tt)
		if tt < 30*time.Second && last.TimedOut {
			t.Fatalf("timed out at %v", tt)
		}
		if last.TimedOut {
			if tt != 30*time.Second {
				t.Fatalf("timed out at %v, want 30s", tt)
			}
			break
		}
	}
	if last.Guidance != Blurry || last.Snap {
		t.Errorf("timeout decision %+v", last)
	}
	// Terminal: a perfect frame afterwards changes nothing.
	for i := range 30 {
		if d := s.Step(good(), 31*time.Second+time.Duration(i)*33*ms); d != last {
			t.Fatalf("after timeout: %+v, want %+v", d, last)
		}
	}
	// Custom and disabled timeouts.
	s = NewSession(Front, &Config{Timeout: 2 * time.Second})
	if d := s.Step(blurry, 2*time.Second); !d.TimedOut {
		t.Error("custom 2s timeout did not fire")
	}
	s = NewSession(Front, &Config{Timeout: -1})
	if d := s.Step(blurry, 24*time.Hour); d.TimedOut {
		t.Error("negative timeout fired")
	}
	// Timeout before anything was shown.
	s = NewSession(Selfie, nil)
	if d := s.Step(Observation{}, 31*time.Second); !d.TimedOut || d.Guidance != CenterFace {
		t.Errorf("immediate timeout: %+v", d)
	}
	// Reset restarts.
	s.Reset()
	if d := s.Step(Observation{}, 0); d.TimedOut || s.Done() {
		t.Errorf("after Reset: %+v", d)
	}
}

func TestHysteresis(t *testing.T) {
	blurry := with(good(), func(o *Observation) { o.Sharpness = 0 })
	glare := with(good(), func(o *Observation) { o.Glare = 0 })
	s := NewSession(Front, nil)
	// First frame is shown at once.
	if d := s.Step(blurry, 0); d.Guidance != Blurry {
		t.Fatalf("first frame %v", d.Guidance)
	}
	// Alternating raw guidance never switches the shown one.
	for i := 1; i <= 40; i++ {
		o := glare
		if i%2 == 0 {
			o = blurry
		}
		d := s.Step(o, time.Duration(i)*33*ms)
		if d.Guidance != Blurry {
			t.Fatalf("frame %d: shown %v while flickering", i, d.Guidance)
		}
		if d.Raw != map[bool]Guidance{true: Blurry, false: ReduceGlare}[i%2 == 0] {
			t.Fatalf("frame %d: raw %v", i, d.Raw)
		}
	}
	// A persistent change is shown on its 3rd frame at 30 fps.
	base := 41 * 33 * ms
	for i := range 3 {
		d := s.Step(glare, base+time.Duration(i)*33*ms)
		want := Blurry
		if i == 2 {
			want = ReduceGlare
		}
		if d.Guidance != want {
			t.Fatalf("persistent frame %d: %v, want %v", i, d.Guidance, want)
		}
	}
	// At 5 fps the 150 ms rule switches on the 2nd frame.
	s = NewSession(Front, nil)
	s.Step(blurry, 0)
	if d := s.Step(glare, 200*ms); d.Guidance != Blurry {
		t.Fatal("single frame switched guidance")
	}
	if d := s.Step(glare, 400*ms); d.Guidance != ReduceGlare {
		t.Fatalf("2 frames over 200 ms: %v", d.Guidance)
	}
	// Hold < 0 disables the filter.
	s = NewSession(Front, &Config{Hold: -1})
	s.Step(blurry, 0)
	if d := s.Step(glare, 33*ms); d.Guidance != ReduceGlare {
		t.Fatal("Hold<0 should not filter")
	}
}

func TestTimeBackwards(t *testing.T) {
	s := NewSession(Front, nil)
	for i := range 10 {
		s.Step(good(), time.Duration(i)*40*ms) // up to 360 ms
	}
	// Clock jumps back: window restarts, so no snap at 400..800 ms of the old window.
	var ds []Decision
	for i := range 20 {
		ds = append(ds, s.Step(good(), 100*ms+time.Duration(i)*40*ms))
	}
	if got := firstSnap(ds); got != 13 { // 100+13*40 = 620 ≥ 100+500
		t.Fatalf("snap at %d after the clock went back, want 13", got)
	}
}

func TestConfigDisabled(t *testing.T) {
	bad := with(good(), func(o *Observation) { o.Glare, o.Sharpness, o.DPI = 0, 0, 0 })
	s := NewSession(Front, &Config{MinGlare: -1, MinSharpness: -1, MinDPI: -1, Steady: -1})
	if d := s.Step(bad, 0); !d.Snap {
		t.Fatalf("all checks disabled, Steady<0: %+v, want immediate snap", d)
	}
	// Custom thresholds.
	s = NewSession(Front, &Config{MinSharpness: 90})
	if d := s.Step(good(), 0); d.Raw != Blurry {
		t.Errorf("MinSharpness 90 with sharpness 80: %v", d.Raw)
	}
	// SteadyTol < 0: any motion is steady.
	s = NewSession(Front, &Config{SteadyTol: -1})
	var ds []Decision
	for i := range 20 {
		ds = append(ds, s.Step(card(200+float64(i%2)*150, 80), time.Duration(i)*33*ms))
	}
	if firstSnap(ds) != 16 {
		t.Errorf("SteadyTol<0: snap at %d", firstSnap(ds))
	}
	def := DefaultConfig(Passport)
	if def.MinDPI != 170 || def.MinGlare != 50 || def.Steady != 500*ms || def.Timeout != 30*time.Second {
		t.Errorf("DefaultConfig(Passport) = %+v", def)
	}
	if DefaultConfig(Front).MinDPI != 250 {
		t.Error("ID-1 default DPI")
	}
}

func face(x, y, size float64) Observation {
	return Observation{FrameW: 1280, FrameH: 720, Faces: 1, FaceX: x, FaceY: y, FaceSize: size, Score: 1}
}

func TestSelfieGuidanceTable(t *testing.T) {
	tests := []struct {
		name string
		o    Observation
		want Guidance
	}{
		{"good", face(640, 360, 300), HoldStill},
		{"no face", Observation{FrameW: 1280, FrameH: 720}, CenterFace},
		{"zero size", face(640, 360, 0), CenterFace},
		{"nan", face(math.NaN(), 360, 300), CenterFace},
		{"two faces", with(face(640, 360, 300), func(o *Observation) { o.Faces = 2 }), OnlyOneFace},
		{"off centre x", face(640+90, 360, 300), CenterFace},
		{"near centre", face(640+80, 360, 300), HoldStill},
		{"off centre y", face(640, 260, 300), CenterFace},
		{"too small", face(640, 360, 200), MoveCloser},
		{"too big", face(640, 360, 480), MoveBack},
		{"too big and off centre", face(400, 360, 480), MoveBack},
		{"roll", with(face(640, 360, 300), func(o *Observation) { o.Roll = -21 }), LookStraight},
		{"roll 20 ok", with(face(640, 360, 300), func(o *Observation) { o.Roll = 20 }), HoldStill},
		{"yaw", with(face(640, 360, 300), func(o *Observation) { o.Yaw = 26 }), LookStraight},
		{"nan yaw", with(face(640, 360, 300), func(o *Observation) { o.Yaw = math.NaN() }), LookStraight},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewSession(Selfie, nil).Step(tc.o, 0)
			if d.Guidance != tc.want {
				t.Errorf("guidance %v, want %v", d.Guidance, tc.want)
			}
		})
	}
	// Oval placement is configurable.
	s := NewSession(Selfie, &Config{OvalY: 0.4})
	if d := s.Step(face(640, 288, 300), 0); d.Raw != HoldStill {
		t.Errorf("oval at 0.4: %v", d.Raw)
	}
}

func TestSelfieScripts(t *testing.T) {
	s := NewSession(Selfie, nil)
	fs := every(0, 33*ms, 30, face(640, 360, 300))
	if got := firstSnap(run(s, fs)); got != 16 {
		t.Fatalf("steady face snap at %d, want 16", got)
	}
	// A face box moving 12 px per frame (box corners move 12 px > 14.686? no)
	// and one growing by 24 px per frame (corners move 16.97 px > 14.686).
	s = NewSession(Selfie, nil)
	var ds []Decision
	for i := range 40 {
		ds = append(ds, s.Step(face(640, 360, 300+float64(i%2)*24), time.Duration(i)*33*ms))
	}
	if firstSnap(ds) != -1 {
		t.Error("pulsing face box snapped")
	}
	s = NewSession(Selfie, nil)
	ds = ds[:0]
	for i := range 40 {
		ds = append(ds, s.Step(face(640+float64(i%2)*12, 360, 300), time.Duration(i)*33*ms))
	}
	if firstSnap(ds) != 16 {
		t.Errorf("face jittering 12 px: snap at %d, want 16", firstSnap(ds))
	}
	// Two faces: OnlyOneFace shown, never snaps.
	s = NewSession(Selfie, nil)
	two := with(face(640, 360, 300), func(o *Observation) { o.Faces = 2 })
	ds = run(s, every(0, 33*ms, 60, two))
	if firstSnap(ds) != -1 || ds[59].Guidance != OnlyOneFace {
		t.Errorf("two faces: %+v", ds[59])
	}
}

// randomFrame draws a frame that is either good or bad (one random defect),
// at a position that moves by a small (< tol/2) or a large (> 2 tol) step.
type scripted struct {
	o      Observation
	t      time.Duration
	good   bool
	steady bool // moved little relative to the previous frame (when both tracked)
}

func randomScript(r *rand.Rand, kind Kind, n int, pGood float64) []scripted {
	out := make([]scripted, n)
	x, y := 200.0, 80.0
	fx, fy, fs := 640.0, 360.0, 300.0
	var t time.Duration
	tol := 0.01 * math.Hypot(1280, 720)
	for i := range out {
		t += time.Duration(10+r.Intn(120)) * ms
		big := r.Float64() < 0.2
		step := func() float64 {
			if big {
				return (2.2 + r.Float64()) * tol * sign(r)
			}
			return r.Float64() * 0.3 * tol * sign(r)
		}
		g := r.Float64() < pGood
		var o Observation
		if kind == Selfie {
			fx = clamp(fx+step(), 640-55, 640+55)
			fy = clamp(fy+step(), 360-55, 360+55)
			// clamping may shrink a big step: recompute below from positions.
			o = face(fx, fy, fs)
			o.Score = r.Float64()
			if !g {
				switch r.Intn(5) {
				case 0:
					o.Faces = 0
				case 1:
					o.Faces = 2 + r.Intn(3)
				case 2:
					o.FaceSize = 100 + r.Float64()*100
				case 3:
					o.FaceSize = 480 + r.Float64()*200
				case 4:
					o.Roll = 21 + r.Float64()*60
				}
			}
		} else {
			x = clamp(x+step(), 150, 250)
			y = clamp(y+step(), 40, 120)
			o = card(x, y)
			o.Score = r.Float64() * 100
			if kind == Passport {
				o.DPI = 180
			}
			if !g {
				switch r.Intn(6) {
				case 0:
					o.Found = false
				case 1:
					o.Glare = r.Float64() * 49.9
				case 2:
					o.Sharpness = r.Float64() * 49.9
				case 3:
					o.DPI = r.Float64() * 169
				case 4:
					o.Corners[1][0] = 1279.5 // touches the border
				case 5:
					o.Glare, o.Sharpness = math.NaN(), math.NaN()
				}
			}
		}
		out[i] = scripted{o: o, t: t, good: g}
	}
	// Steadiness from the actual quads (clamping changes steps).
	for i := 1; i < n; i++ {
		a, b := quadOf(kind, &out[i-1].o), quadOf(kind, &out[i].o)
		out[i].steady = moved(&a, &b) < tol
	}
	return out
}

func quadOf(k Kind, o *Observation) [4][2]float64 {
	if k == Selfie {
		return FaceQuad(o.FaceX, o.FaceY, o.FaceSize)
	}
	return o.Corners
}

func sign(r *rand.Rand) float64 {
	if r.Intn(2) == 0 {
		return -1
	}
	return 1
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// oracle returns the index of the first frame at which a session should snap:
// the first frame i that is good and whose run of consecutive good frames
// (each steady w.r.t. its predecessor) started at a frame j with
// t_i - t_j >= 500 ms, and t_i < 30 s.
func oracle(fs []scripted) int {
	start := -1
	for i, f := range fs {
		if f.t >= 30*time.Second {
			return -1
		}
		if !f.good {
			start = -1
			continue
		}
		if start < 0 || !f.steady || !fs[i-1].good {
			start = i
		}
		if f.t-fs[start].t >= 500*ms {
			return i
		}
	}
	return -1
}

func TestPropertyOracle(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 80
	}
	r := rand.New(rand.NewSource(1))
	snaps := 0
	for iter := range n {
		for _, kind := range []Kind{Front, Passport, Selfie} {
			fs := randomScript(r, kind, 200, []float64{0.3, 0.8, 0.97}[iter%3])
			s := NewSession(kind, nil)
			want := oracle(fs)
			got := -1
			for i, f := range fs {
				d := s.Step(f.o, f.t)
				if d.Snap && got < 0 {
					got = i
				}
			}
			if got != want {
				t.Fatalf("iter %d %v: snap at %d, oracle %d", iter, kind, got, want)
			}
			if got >= 0 {
				snaps++
			}
		}
	}
	if snaps == 0 {
		t.Fatal("no sequence snapped: the property test is vacuous")
	}
	t.Logf("%d of %d sequences snapped", snaps, 3*n)
}

func TestPropertyBadNeverSnaps(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	r := rand.New(rand.NewSource(2))
	for iter := range n {
		for _, kind := range []Kind{Front, Back, Passport, Selfie} {
			fs := randomScript(r, kind, 300, 0)
			s := NewSession(kind, nil)
			for i, f := range fs {
				if d := s.Step(f.o, f.t); d.Snap || d.Keep || d.Progress != 0 {
					t.Fatalf("iter %d %v frame %d: bad frame gave %+v", iter, kind, i, d)
				}
			}
		}
	}
}

func TestPropertyNeverEarly(t *testing.T) {
	// All frames good; random motion. The snap never comes before 500 ms of
	// good frames, and Keep marks a strictly increasing score in a window.
	n := 300
	if testing.Short() {
		n = 60
	}
	r := rand.New(rand.NewSource(3))
	for iter := range n {
		fs := randomScript(r, Front, 100, 1)
		s := NewSession(Front, nil)
		for i, f := range fs {
			d := s.Step(f.o, f.t)
			if d.Snap {
				if f.t-fs[0].t < 500*ms {
					t.Fatalf("iter %d: snap at %v, first good frame at %v", iter, f.t, fs[0].t)
				}
				break
			}
			if d.Progress < 0 || d.Progress >= 1 {
				t.Fatalf("iter %d frame %d: progress %v", iter, i, d.Progress)
			}
		}
	}
}

func TestStepNoAllocs(t *testing.T) {
	s := NewSession(Front, nil)
	o := good()
	i := 0
	a := testing.AllocsPerRun(200, func() {
		s.Step(o, time.Duration(i)*time.Millisecond)
		i++
		if i%300 == 0 {
			s.Reset()
			i = 0
		}
	})
	if a != 0 {
		t.Fatalf("Step allocates %v per call", a)
	}
}

func TestStrings(t *testing.T) {
	want := []string{"no_document", "move_closer", "too_close", "reduce_glare", "blurry", "hold_steady",
		"capturing", "center_face", "move_back", "look_straight", "only_one_face", "hold_still", "turn_sideways"}
	gs := Guidances()
	if len(gs) != len(want) {
		t.Fatalf("%d guidances", len(gs))
	}
	for i, g := range gs {
		if g.String() != want[i] {
			t.Errorf("%d: %q, want %q", i, g.String(), want[i])
		}
		if p, ok := ParseGuidance(want[i]); !ok || p != g {
			t.Errorf("ParseGuidance(%q) = %v %v", want[i], p, ok)
		}
		if Message(g) == "" {
			t.Errorf("no message for %v", g)
		}
		b, _ := g.MarshalText()
		if string(b) != want[i] {
			t.Errorf("MarshalText %q", b)
		}
	}
	for g, m := range map[Guidance]string{MoveCloser: "Move closer", TooClose: "Too close", ReduceGlare: "Reduce glare",
		HoldSteady: "Hold steady", Capturing: "Capturing…", CenterFace: "Center your face", MoveBack: "Move back",
		LookStraight: "Look straight", OnlyOneFace: "Only one face", HoldStill: "Hold still"} {
		if Message(g) != m {
			t.Errorf("Message(%v) = %q, want %q", g, Message(g), m)
		}
	}
	if Guidance(99).String() != "guidance(99)" || Message(Guidance(-1)) != "" || Kind(-3).String() != "kind(-3)" {
		t.Error("unknown values")
	}
	for _, k := range []Kind{Front, Back, Passport, Selfie} {
		if p, ok := ParseKind(k.String()); !ok || p != k {
			t.Errorf("ParseKind(%v)", k)
		}
	}
	if !Passport.IsDocument() || Selfie.IsDocument() {
		t.Error("IsDocument")
	}
}

func BenchmarkStepDocument(b *testing.B) {
	s := NewSession(Front, &Config{Timeout: -1})
	o := good()
	o.Sharpness = 40 // never snaps: measures the steady-state path
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		o.Corners[0][0] = 200 + float64(i&7)
		s.Step(o, time.Duration(i)*33*time.Millisecond)
	}
}

func BenchmarkStepSelfie(b *testing.B) {
	s := NewSession(Selfie, &Config{Timeout: -1, Steady: 24 * time.Hour})
	o := face(640, 360, 300)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		o.FaceX = 640 + float64(i&7)
		s.Step(o, time.Duration(i)*33*time.Millisecond)
	}
}
