//go:build !(js && wasm)

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/globalgateway/ggcapture/internal/realdata"
	"github.com/globalgateway/ggcapture/internal/synth"
)

// TestBrowserBenchmark prints per-frame grab and analysis times for each
// frame source, the analysed frame rate, Start* → showImage time and the
// size of capture.wasm. It asserts nothing about speed (figures vary with
// the machine); run it with `make bench-browser`.
func TestBrowserBenchmark(t *testing.T) {
	need(t)
	if os.Getenv("GGCAPTURE_BENCH") == "" {
		t.Skip("browser benchmark: set GGCAPTURE_BENCH=1 (make bench-browser)")
	}
	var report strings.Builder
	// A card with strong glare: the whole analysis runs on every frame but it never snaps.
	glareDoc := synth.Doc{Format: synth.ID1, Side: "Front", Seed: 11, Width: 1280, Height: 720, DPI: 285,
		TiltX: 3, Background: synth.Desk, Glare: 0.10, GlareStrength: 1}
	glare, err := synth.Render(glareDoc)
	if err != nil {
		t.Fatal(err)
	}
	y4m := video(t, "bench-glare", glare.Image)
	// fps: frames analysed a second; cam fps: frames the video presented a
	// second over the same time (0 where the browser does not count them)
	fmt.Fprintf(&report, "%-11s %8s %8s %8s %8s %8s %7s %7s\n", "source", "grab p50", "grab p95", "anal p50", "anal p95", "frames", "fps", "cam fps")
	for _, src := range []string{"videoframe", "vf(video)", "webgl", "canvas"} {
		ctx := tab(t, y4m)
		if src == "vf(video)" {
			// the VideoFrame source fed from the video element, as in
			// browsers without MediaStreamTrackProcessor
			videoFeed(t, ctx)
			setConfig(t, ctx, `{frameSource: "videoframe", autoCaptureTimeoutMs: 120000}`)
		} else {
			setConfig(t, ctx, fmt.Sprintf(`{frameSource: %q, autoCaptureTimeoutMs: 120000}`, src))
		}
		measureFrames(t, ctx, &report, src, "StartFrontDocumentCapture", `guidance.length > 0`)
	}
	// The same on a 60 fps camera: the analysed rate is then bounded by the
	// analysis, not by the camera's 30 fps.
	ctx60 := tab(t, videoFPS(t, "bench-glare-60", 60, glare.Image))
	setConfig(t, ctx60, `{frameSource: "videoframe", autoCaptureTimeoutMs: 120000}`)
	measureFrames(t, ctx60, &report, "vf@60fps", "StartFrontDocumentCapture", `guidance.length > 0`)
	ctx60v := tab(t, videoFPS(t, "bench-glare-60", 60, glare.Image))
	videoFeed(t, ctx60v)
	setConfig(t, ctx60v, `{frameSource: "videoframe", autoCaptureTimeoutMs: 120000}`)
	measureFrames(t, ctx60v, &report, "vf(v)@60fps", "StartFrontDocumentCapture", `guidance.length > 0`)
	// The same card on a 1920x1080 camera (what the shim asks for first, and
	// what most phones give): the grab copies 2.25 times the pixels.
	glareDoc.Width, glareDoc.Height, glareDoc.DPI = 1920, 1080, 1.5*glareDoc.DPI
	glare1080, err := synth.Render(glareDoc)
	if err != nil {
		t.Fatal(err)
	}
	ctx1080 := tab(t, videoSized(t, "bench-glare-1080", 30, 1920, 1080, glare1080.Image))
	setConfig(t, ctx1080, `{frameSource: "videoframe", autoCaptureTimeoutMs: 120000}`)
	measureFrames(t, ctx1080, &report, "vf@1080p", "StartFrontDocumentCapture", `guidance.length > 0`)
	// Selfie: a real face held in the first oval; after stage 1 the core asks
	// to move closer and keeps analysing every frame (pigo + pupils).
	if realdata.Find() != "" {
		photo, face := facePhoto(t, "dlib_Tom_Cruise_avp_2014_4.jpg")
		fr := greyFrame()
		placeFace(fr, photo, face, 0.25, 0)
		ctx := tab(t, video(t, "bench-selfie", fr))
		setConfig(t, ctx, `{autoCaptureTimeoutMs: 120000}`)
		measureFrames(t, ctx, &report, "selfie(vf)", "StartSelfieCapture", `guidance.includes('move_closer')`)
	} else {
		fmt.Fprintf(&report, "selfie: skipped (no real face photos in ../shared/testdata)\n")
	}
	// Start* → showImage on a good card (default frame source), median of 3.
	scene := cardScene(t, synth.ID1, "Front", 0)
	cardY4M := video(t, "card-front", scene.Image)
	var times []float64
	marks := map[string][]float64{}
	for i := 0; i < 3; i++ {
		ctx := tab(t, cardY4M)
		id := fmt.Sprintf("t%d", i)
		eval[bool](t, ctx, `(window.__t0 = performance.now(), true)`)
		start(t, ctx, id, "StartFrontDocumentCapture", true, false, token(t, nil))
		o := finished(t, ctx, id, 60*time.Second)
		if len(o.Errors) > 0 {
			t.Fatalf("capture failed: %+v", o.Errors[0])
		}
		times = append(times, eval[float64](t, ctx, `window.__ggDoneAt - window.__t0`))
		for k, v := range eval[map[string]float64](t, ctx, `GlobalGatewayCapture.lastStats().marks`) {
			marks[k] = append(marks[k], v)
		}
	}
	fmt.Fprintf(&report, "Start* -> showImage: median %.0f ms (%v)\n", pct(times, 50), times)
	// where the time goes (ms since Start*, medians): camera open, core
	// loaded, video playing, snap decided, full frame read, image cropped and
	// encoded, result delivered
	fmt.Fprintf(&report, "  marks (median ms since Start*):")
	for _, k := range []string{"camera", "core", "video", "snap", "snapshot", "encoded", "finish"} {
		fmt.Fprintf(&report, " %s %.0f", k, pct(marks[k], 50))
	}
	fmt.Fprintln(&report)
	pub := filepath.Join(repoRoot, "public", "GlobalGatewayCapturePublic")
	for _, n := range []string{"capture.wasm", "capture.wasm.gz", "capture.wasm.br"} {
		if st, err := os.Stat(filepath.Join(pub, n)); err == nil {
			fmt.Fprintf(&report, "%-16s %9d B (%.2f MB)\n", n, st.Size(), float64(st.Size())/1e6)
		}
	}
	t.Log("\n" + report.String())
	fmt.Print(report.String())
}

func pct(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	i := int(p / 100 * float64(len(s)-1))
	return s[i]
}

// measureFrames starts a capture, lets it analyse frames for six seconds
// once ready (a JS condition on the recorded outcome) holds, cancels it and
// prints the frame statistics the shim kept: times over all frames, rates
// over the last five seconds.
func measureFrames(t *testing.T, ctx context.Context, report *strings.Builder, label, fn, ready string) {
	t.Helper()
	start(t, ctx, "bench", fn, true, false, token(t, nil))
	wait(t, ctx, "window.__gg.bench."+ready, 60*time.Second)
	// one second more for the engine to compile the core's hot code: the
	// first frames run slower and the camera's frames that arrive meanwhile
	// are dropped (1–3 of them; not part of the steady rate measured here)
	eval[bool](t, ctx, `(window.__benchW = performance.now(), true)`)
	wait(t, ctx, `performance.now() - window.__benchW > 1000`, 30*time.Second)
	eval[bool](t, ctx, `(window.__benchT0 = performance.now(), true)`)
	wait(t, ctx, `performance.now() - window.__benchT0 > 5000`, 30*time.Second)
	eval[bool](t, ctx, `(window.__benchT1 = performance.now(), GlobalGatewayCapture.cancel(), true)`)
	finished(t, ctx, "bench", 10*time.Second)
	st := eval[struct {
		Frames  int       `json:"frames"`
		Grab    []float64 `json:"grabMs"`
		Analyze []float64 `json:"analyzeMs"`
		Trace   [][]any   `json:"trace"`
	}](t, ctx, `GlobalGatewayCapture.lastStats()`)
	// The rates are taken over the 5 s window: the frames analysed in it,
	// and the frames the video presented between the first and the last of
	// them (the trace's last column; the wasm's first frames, before the
	// window, run slower while the engine compiles).
	win := eval[[2]float64](t, ctx, `[window.__benchT0 - GlobalGatewayCapture.lastStats().t0, window.__benchT1 - GlobalGatewayCapture.lastStats().t0]`)
	var at, shown []float64
	for _, tr := range st.Trace {
		ms, ok := tr[0].(float64)
		if !ok || ms < win[0] || ms > win[1] {
			continue
		}
		at = append(at, ms)
		if v, ok := tr[len(tr)-1].(float64); ok && len(tr) >= 10 {
			shown = append(shown, v)
		}
	}
	fps, camFPS := 0.0, 0.0
	if n := len(at); n > 1 && at[n-1] > at[0] {
		span := (at[n-1] - at[0]) / 1000
		fps = float64(n-1) / span
		if len(shown) == n {
			camFPS = (shown[n-1] - shown[0]) / span
		}
	}
	// frames whose document was followed from the previous frame (flag 32)
	// and frames searched whole
	var searched, followed []float64
	for i, tr := range st.Trace {
		if i >= len(st.Analyze) || len(tr) < 2 {
			break
		}
		if f, ok := tr[1].(float64); ok && int(f)&32 != 0 {
			followed = append(followed, st.Analyze[i])
		} else {
			searched = append(searched, st.Analyze[i])
		}
	}
	split := ""
	if len(followed) > 0 {
		split = fmt.Sprintf("   searched %d: p50 %.2f p95 %.2f; followed %d: p50 %.2f p95 %.2f",
			len(searched), pct(searched, 50), pct(searched, 95), len(followed), pct(followed, 50), pct(followed, 95))
	}
	fmt.Fprintf(report, "%-11s %8.2f %8.2f %8.2f %8.2f %8d %7.1f %7.1f%s\n", label,
		pct(st.Grab, 50), pct(st.Grab, 95), pct(st.Analyze, 50), pct(st.Analyze, 95), st.Frames, fps, camFPS, split)
}
