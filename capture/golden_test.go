package capture

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// scenario is a scripted document capture at 30 fps: nothing, a card far
// away, too close, glare, a blurry moment, hand shake, then steady until the
// snap, then frames after the snap.
func scenario() []frame {
	var fs []frame
	t := time.Duration(0)
	add := func(n int, f func(i int) Observation) {
		for i := range n {
			fs = append(fs, frame{t, f(i)})
			t += 33 * time.Millisecond
		}
	}
	add(8, func(int) Observation { return Observation{FrameW: 1280, FrameH: 720} })
	add(10, func(i int) Observation { // far: 500 px wide, DPI 148
		o := card400()
		o.DPI = 148 + float64(i)
		return o
	})
	add(2, func(int) Observation { return Observation{FrameW: 1280, FrameH: 720} }) // lost for 2 frames
	add(8, func(int) Observation { return wide(1200) })                             // overshoot: too close
	add(10, func(i int) Observation {                                               // glare, with one frame flickering to blurry
		o := good()
		o.Glare = 30
		if i == 4 {
			o.Glare, o.Sharpness = 80, 20
		}
		return o
	})
	add(6, func(int) Observation { o := good(); o.Sharpness = 35; return o })
	add(8, func(i int) Observation { // good but shaking 20 px per frame
		return card(200+20*float64(i%2), 80)
	})
	add(25, func(i int) Observation { // steady with small jitter; score varies
		o := card(200+3*math.Sin(float64(i)), 80+2*math.Cos(float64(i)))
		o.Score = 60 + 10*math.Sin(float64(i)*0.7)
		return o
	})
	return fs
}

// selfieScenario at 15 fps: no face, two faces, off-centre, too far, too
// close, head turned, then still until the snap.
func selfieScenario() []frame {
	var fs []frame
	t := time.Duration(0)
	add := func(n int, f func(i int) Observation) {
		for i := range n {
			fs = append(fs, frame{t, f(i)})
			t += 66 * time.Millisecond
		}
	}
	add(4, func(int) Observation { return Observation{FrameW: 1280, FrameH: 720} })
	add(4, func(int) Observation { o := face(640, 360, 300); o.Faces = 2; return o })
	add(4, func(i int) Observation { return face(900-float64(i)*20, 360, 300) })
	add(4, func(i int) Observation { return face(640, 360, 150+float64(i)*10) })
	add(4, func(i int) Observation { return face(640, 360, 520) })
	add(4, func(i int) Observation { o := face(640, 360, 300); o.Yaw = 35 - float64(i)*2; return o })
	add(12, func(i int) Observation { o := face(640+float64(i%3), 360, 300); o.Score = float64(i % 5); return o })
	return fs
}

func TestGoldenScenario(t *testing.T) {
	transcript(t, Front, scenario(), "scenario_front.golden")
	transcript(t, Selfie, selfieScenario(), "scenario_selfie.golden")
}

func transcript(t *testing.T, k Kind, fs []frame, golden string) {
	s := NewSession(k, nil)
	var b strings.Builder
	fmt.Fprintf(&b, "# frame t_ms raw shown keep snap timed_out progress\n")
	for i, f := range fs {
		d := s.Step(f.o, f.t)
		fmt.Fprintf(&b, "%3d %5d %-13s %-13s %-5v %-5v %-5v %.3f\n", i, f.t.Milliseconds(), d.Raw, d.Guidance, d.Keep, d.Snap, d.TimedOut, d.Progress)
	}
	checkGolden(t, golden, b.String())
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test -update if the change is intended)", p, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d", p, len(gl), len(wl))
	}
}
