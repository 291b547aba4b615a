package capture

import (
	"encoding/binary"
	"math"
	"testing"
	"time"
)

// FuzzStep drives a session with arbitrary observations and times (any
// float, NaN and Inf included) and checks the invariants that must hold
// whatever comes in.
func FuzzStep(f *testing.F) {
	f.Add(uint8(0), []byte{})
	f.Add(uint8(3), make([]byte, 200))
	seed := make([]byte, 0, 400)
	for i := range 20 {
		for _, v := range []float64{float64(i) * 40, 200, 80, 95, 80, 261, 1} {
			seed = binary.LittleEndian.AppendUint64(seed, math.Float64bits(v))
		}
	}
	f.Add(uint8(0), seed)
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		k := Kind(kind % 4)
		s := NewSession(k, nil)
		next := func() float64 {
			if len(data) < 8 {
				return 0
			}
			v := math.Float64frombits(binary.LittleEndian.Uint64(data))
			data = data[8:]
			return v
		}
		var final Decision
		var firstGood time.Duration = -1
		for len(data) >= 8 {
			tt := next()
			var t0 time.Duration
			if tt == tt && math.Abs(tt) < 1e12 {
				t0 = time.Duration(tt) * time.Millisecond
			}
			o := Observation{FrameW: 1280, FrameH: 720, Found: true, Faces: 1}
			x, y := next(), next()
			o.Corners = [4][2]float64{{x, y}, {x + 880, y}, {x + 880, y + 555}, {x, y + 555}}
			o.FaceX, o.FaceY, o.FaceSize = x+440, y+280, 300
			o.Glare, o.Sharpness, o.DPI, o.Score = next(), next(), next(), next()
			d := s.Step(o, t0)
			if !(d.Progress >= 0 && d.Progress <= 1) {
				t.Fatalf("progress %v", d.Progress)
			}
			if d.Snap && d.TimedOut {
				t.Fatal("snap and timeout together")
			}
			wasTerminal := final.Snap || final.TimedOut
			if wasTerminal {
				if d != final {
					t.Fatalf("terminal decision changed: %+v then %+v", final, d)
				}
			}
			if d.Snap || d.TimedOut {
				final = d
				final.Keep = false // later frames are never to be grabbed
			}
			if d.Raw == HoldSteady || d.Raw == HoldStill {
				if firstGood < 0 {
					firstGood = t0
				}
			}
			if d.Snap && !wasTerminal && (firstGood < 0 || (t0-firstGood < DefaultSteady && t0 >= firstGood)) {
				t.Fatalf("snap at %v, first good frame at %v", t0, firstGood)
			}
			if d.Guidance.String() == "" || Message(d.Guidance) == "" {
				t.Fatalf("guidance %d has no key or message", d.Guidance)
			}
		}
	})
}
