//go:build !(js && wasm)

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/globalgateway/ggcapture/internal/synth"
	"github.com/globalgateway/ggcapture/server"
)

// Synthetic scenes shown to the fake camera.
func cardScene(t *testing.T, f synth.Format, side string, blur float64) synth.Sample {
	t.Helper()
	s, err := synth.Render(cardDoc(f, side, blur))
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return s
}

// cardDoc is the document scene of the capture tests.
func cardDoc(f synth.Format, side string, blur float64) synth.Doc {
	return synth.Doc{
		Format: f, Side: side, Seed: 7, Width: 1280, Height: 720,
		DPI:   map[synth.Format]float64{synth.ID1: 285, synth.ID3: 176}[f],
		TiltX: 4, TiltY: -3, Roll: 2, Background: synth.Desk, BlurSigma: blur,
	}
}

func blankScene(t *testing.T) synth.Sample {
	t.Helper()
	s, err := synth.Render(synth.Doc{Empty: true, Seed: 3, Width: 1280, Height: 720, Background: synth.Fabric})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return s
}

func setConfig(t *testing.T, ctx context.Context, cfg string) {
	t.Helper()
	eval[bool](t, ctx, fmt.Sprintf(`(window.GlobalGatewayCaptureConfig = %s, true)`, cfg))
}

func checkDocument(t *testing.T, r docResult, wantAspect, trueDPI float64) {
	t.Helper()
	img := jpegOf(t, r.Image)
	b := img.Bounds()
	aspect := float64(b.Dx()) / float64(b.Dy())
	t.Logf("image %dx%d aspect %.4f (want %.3f), quality %+v (true DPI %.1f), classification %v",
		b.Dx(), b.Dy(), aspect, wantAspect, r.Quality, trueDPI, r.Classification)
	if math.Abs(aspect-wantAspect)/wantAspect > 0.02 {
		t.Errorf("aspect %.4f not within 2%% of %.3f", aspect, wantAspect)
	}
	if max(b.Dx(), b.Dy()) > 2000 {
		t.Errorf("image %dx%d larger than 2000 px", b.Dx(), b.Dy())
	}
	if r.Quality.Glare < 90 {
		t.Errorf("glare %.1f < 90", r.Quality.Glare)
	}
	if r.Quality.Sharpness < 70 {
		t.Errorf("sharpness %.1f < 70", r.Quality.Sharpness)
	}
	if trueDPI > 0 && math.Abs(r.Quality.DPI-trueDPI)/trueDPI > 0.05 {
		t.Errorf("dpi %.1f not within 5%% of %.1f", r.Quality.DPI, trueDPI)
	}
	m := exifOf(t, r.Image)
	if m.SDKVersion == "" || m.Time.IsZero() || m.CaptureType == "" || (m.Mode != "auto" && m.Mode != "manual") || m.DPI != r.Quality.DPI {
		t.Errorf("EXIF capture metadata incomplete: %+v (quality %+v)", m, r.Quality)
	}
	c := r.Classification
	if c == nil {
		t.Fatalf("no classification")
	}
	for _, k := range []string{"ClassName", "CountryCode", "Name", "Side", "InstanceID", "DocumentID"} {
		if _, ok := c[k]; !ok {
			t.Errorf("classification lacks %s", k)
		}
	}
	if id, _ := c["InstanceID"].(string); len(id) != 36 {
		t.Errorf("InstanceID %q is not a UUID", id)
	}
}

func noStorage(t *testing.T, ctx context.Context) {
	t.Helper()
	n := eval[int](t, ctx, `localStorage.length + sessionStorage.length + (document.cookie ? 1 : 0)`)
	if n != 0 {
		t.Errorf("storage written: %d entries", n)
	}
	dbs, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`indexedDB.databases()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("indexedDB.databases: %v", err)
	}
	if len(dbs) != 0 {
		t.Errorf("IndexedDB databases created: %v", dbs)
	}
}

// TestAutoFrontCapture captures a synthetic ID-1 card with each frame source.
func TestAutoFrontCapture(t *testing.T) {
	need(t)
	scene := cardScene(t, synth.ID1, "Front", 0)
	y4m := video(t, "card-front", scene.Image)
	// videoframe takes the frames from the camera's track (MediaStreamTrackProcessor);
	// videoframe-video from the video element, as in browsers without the processor.
	for _, src := range []string{"videoframe", "videoframe-video", "webgl", "canvas"} {
		t.Run(src, func(t *testing.T) {
			ctx := tab(t, y4m)
			feed := "track"
			if src == "videoframe-video" {
				src, feed = "videoframe", "video"
				videoFeed(t, ctx)
			} else if src != "videoframe" {
				feed = "video"
			}
			setConfig(t, ctx, fmt.Sprintf(`{frameSource: %q, autoCaptureTimeoutMs: 60000}`, src))
			start(t, ctx, "front", "StartFrontDocumentCapture", true, false, token(t, nil))
			o := expectImage(t, ctx, "front", 90*time.Second)
			if o.Started != 1 {
				t.Errorf("startProcess called %d times, want 1", o.Started)
			}
			checkDocument(t, decodeDoc(t, o.Images[0]), 1.586, scene.DPI)
			t.Logf("guidance shown: %v", o.Guidance)
			stats := eval[map[string]any](t, ctx, `(function(){const s=GlobalGatewayCapture.lastStats();
				return {source:s.source, feed:s.feed, frames:s.frames, followed:s.trace.filter(r => r[1] & 32).length};})()`)
			if stats["source"] != src || stats["feed"] != feed {
				t.Errorf("frame source used %v (feed %v), want %s (%s)", stats["source"], stats["feed"], src, feed)
			}
			// the card stands still: after a search, the next frames follow it
			if f, _ := stats["followed"].(float64); f == 0 {
				t.Errorf("no frame followed the card (%v frames)", stats["frames"])
			}
			t.Logf("frames %v, followed %v", stats["frames"], stats["followed"])
			noStorage(t, ctx)
		})
	}
}

// TestAutoCaptureHandShake: the card shakes by up to 3 px from frame to
// frame, as in a hand; frames follow it, the capture snaps, and the result
// is as accurate as from a still card.
func TestAutoCaptureHandShake(t *testing.T) {
	need(t)
	shake := [][2]float64{{0, 0}, {2, -1}, {3, 1}, {1, 3}, {-2, 2}, {-3, 0}, {-1, -2}, {2, -3}, {3, 0}, {0, 2},
		{-2, 3}, {-3, -1}, {0, -3}, {2, -1}, {1, 1}, {-1, 2}, {-3, 1}, {-2, -2}, {1, -2}, {2, 0}}
	var frames []image.Image
	var dpi float64
	for _, d := range shake {
		doc := cardDoc(synth.ID1, "Front", 0)
		doc.CenterX, doc.CenterY = 0.5+d[0]/1280, 0.5+d[1]/720
		s, err := synth.Render(doc)
		if err != nil {
			t.Fatal(err)
		}
		frames, dpi = append(frames, s.Image), s.DPI
	}
	ctx := tab(t, video(t, "card-shake", frames...))
	start(t, ctx, "shake", "StartFrontDocumentCapture", true, false, token(t, nil))
	o := expectImage(t, ctx, "shake", 90*time.Second)
	checkDocument(t, decodeDoc(t, o.Images[0]), 1.586, dpi)
	n := eval[map[string]float64](t, ctx, `(function(){const s=GlobalGatewayCapture.lastStats();
		return {frames:s.frames, followed:s.trace.filter(r => r[1] & 32).length};})()`)
	if n["followed"] == 0 {
		t.Errorf("no frame followed the shaking card (%v frames)", n["frames"])
	}
	t.Logf("frames %v, followed %v", n["frames"], n["followed"])
}

// TestAutoPassportCapture captures a synthetic ID-3 passport page.
func TestAutoPassportCapture(t *testing.T) {
	need(t)
	scene := cardScene(t, synth.ID3, "Front", 0)
	ctx := tab(t, video(t, "passport", scene.Image))
	start(t, ctx, "pp", "StartPassportCapture", true, false, token(t, nil))
	o := expectImage(t, ctx, "pp", 90*time.Second)
	checkDocument(t, decodeDoc(t, o.Images[0]), 1.42, scene.DPI)
}

// TestBlurryCardTimesOut: a blurred card never snaps; the shortened timeout gives 1006.
func TestBlurryCardTimesOut(t *testing.T) {
	need(t)
	ctx := tab(t, video(t, "card-blur", cardScene(t, synth.ID1, "Front", 4).Image))
	setConfig(t, ctx, `{autoCaptureTimeoutMs: 4000}`)
	start(t, ctx, "blur", "StartFrontDocumentCapture", true, false, token(t, nil))
	o := expectError(t, ctx, "blur", 1006, 60*time.Second)
	if o.Started != 0 {
		t.Errorf("startProcess called on a capture that never snapped")
	}
	t.Logf("guidance shown: %v", o.Guidance)
}

// TestManualUpload: the manual path takes a file and returns the cropped document.
func TestManualUpload(t *testing.T) {
	need(t)
	scene := cardScene(t, synth.ID1, "Front", 0)
	p := filepath.Join(workDir, "upload.png")
	writePNG(t, p, scene.Image)
	ctx := tab(t, "")
	start(t, ctx, "man", "StartFrontDocumentCapture", false, false, token(t, nil))
	upload(t, ctx, p)
	o := expectImage(t, ctx, "man", 60*time.Second)
	checkDocument(t, decodeDoc(t, o.Images[0]), 1.586, scene.DPI)
}

// TestManualBadFiles: bad uploads give 1003 (type) and 1002 (corrupt).
func TestManualBadFiles(t *testing.T) {
	need(t)
	ctx := tab(t, "")
	cases := []struct {
		name, file string
		data       []byte
		code       int
	}{
		{"text", "notes.txt", []byte("hello, not an image"), 1003},
		{"truncated", "cut.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), 1002},
		{"tiny", "tiny.png", pngBytes(t, image.NewNRGBA(image.Rect(0, 0, 200, 120))), 1001},
		{"large", "large.png", pngBytes(t, cardScene(t, synth.ID1, "Front", 0).Image), 1004},
	}
	// A small file size limit for the "large" case.
	setConfig(t, ctx, `{maxFileBytes: 200000}`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(workDir, c.file)
			if err := os.WriteFile(p, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			id := "bad-" + c.name
			start(t, ctx, id, "StartFrontDocumentCapture", false, false, token(t, nil))
			upload(t, ctx, p)
			expectError(t, ctx, id, c.code, 60*time.Second)
		})
	}
}

// TestLowResolutionCamera: a camera that cannot deliver 1280x720 gives 1005.
func TestLowResolutionCamera(t *testing.T) {
	need(t)
	y4m := filepath.Join(workDir, "vga.y4m")
	if _, err := os.Stat(y4m); err != nil {
		p := filepath.Join(workDir, "vga.png")
		writePNG(t, p, blankScene(t).Image)
		if b, err := exec.Command(ggBin, "fakecam", "--width", "640", "--height", "480", "--seconds", "0.04", p, "-o", y4m).CombinedOutput(); err != nil {
			t.Fatalf("fakecam: %v\n%s", err, b)
		}
	}
	ctx := tab(t, y4m)
	start(t, ctx, "vga", "StartFrontDocumentCapture", true, false, token(t, nil))
	expectError(t, ctx, "vga", 1005, 30*time.Second)
}

// uprightCard is the capture tests' card on a w x h camera held upright,
// across 85 % of the frame's width: the fake camera's file and the scene.
func uprightCard(t *testing.T, w, h int) (string, synth.Sample) {
	t.Helper()
	d := cardDoc(synth.ID1, "Front", 0)
	d.Width, d.Height, d.DPI = w, h, 0.85*float64(w)/3.370
	s, err := synth.Render(d)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return videoSized(t, fmt.Sprintf("card-upright-%dx%d", w, h), 30, w, h, s.Image), s
}

// TestUprightCamera: a phone held upright gives the camera's frames on
// their side, 720x1280 here: an ID-1 card across them cannot reach the
// minimum 250 DPI, so the guidance asks to turn the phone sideways, and the
// timeout's message says so too.
func TestUprightCamera(t *testing.T) {
	need(t)
	y4m, _ := uprightCard(t, 720, 1280)
	ctx := tab(t, y4m)
	setConfig(t, ctx, `{autoCaptureTimeoutMs: 5000}`)
	start(t, ctx, "up", "StartFrontDocumentCapture", true, false, token(t, nil))
	o := expectError(t, ctx, "up", 1006, 60*time.Second)
	turn := -1
	for i, g := range o.Guidance {
		if g == "turn_sideways" {
			turn = i
		}
	}
	if turn < 0 {
		t.Fatalf("no guidance to turn the phone: %v", o.Guidance)
	}
	if sz := o.Sizes[turn]; sz != [2]int{720, 1280} {
		t.Errorf("camera frames %v when turn_sideways showed, want 720x1280", sz)
	}
	if o.Started != 0 {
		t.Errorf("startProcess called on an upright frame")
	}
	if m := o.Errors[0].Message; !strings.Contains(m, "Turn your phone sideways") {
		t.Errorf("timeout message %q does not say to turn the phone", m)
	}
	t.Logf("guidance shown: %v", o.Guidance)
}

// TestUprightCamera1080: an upright 1080x1920 camera is wide enough: a card
// across 85 % of it (272 DPI) is captured as from a landscape one.
func TestUprightCamera1080(t *testing.T) {
	need(t)
	y4m, s := uprightCard(t, 1080, 1920)
	ctx := tab(t, y4m)
	setConfig(t, ctx, `{autoCaptureTimeoutMs: 60000}`)
	start(t, ctx, "up", "StartFrontDocumentCapture", true, false, token(t, nil))
	o := expectImage(t, ctx, "up", 90*time.Second)
	checkDocument(t, decodeDoc(t, o.Images[0]), 1.586, s.DPI)
	t.Logf("guidance shown: %v", o.Guidance)
}

// TestRotatedVideoFrames: a camera whose VideoFrames carry a rotation (as
// phone cameras that leave frames in the sensor's orientation do; emulated
// here by adding rotation 90 to every frame made from the video or read from
// the camera's track) cannot use
// the VideoFrame source, whose copy would be unturned: the capture goes on
// with the WebGL source, which draws the video as shown. With the VideoFrame
// source forced, it ends with 1019.
func TestRotatedVideoFrames(t *testing.T) {
	need(t)
	ctx := frontCardWith(t, "rot", ``, `(function(){
  const VF = window.VideoFrame;
  window.VideoFrame = class extends VF {
    constructor(src, init) { super(src, src instanceof HTMLVideoElement ? Object.assign({}, init, {rotation: 90}) : init); }
  };
  const P = window.MediaStreamTrackProcessor;
  window.MediaStreamTrackProcessor = function (init) {
    const turn = new TransformStream({ transform(f, c) { c.enqueue(new VF(f, {rotation: 90})); f.close(); } });
    return { readable: new P(init).readable.pipeThrough(turn) };
  };
  return true;
})()`)
	st := eval[map[string]any](t, ctx, `(function(){const s=GlobalGatewayCapture.lastStats(); return {source: s.source, unfit: s.unfit || ''};})()`)
	if st["source"] != "webgl" || !strings.Contains(fmt.Sprint(st["unfit"]), "rotated 90") || !strings.Contains(fmt.Sprint(st["unfit"]), "track feed") {
		t.Errorf("stats %v: want the webgl source after the VideoFrame source found rotated frames", st)
	}
	setConfig(t, ctx, `{frameSource: 'videoframe'}`)
	start(t, ctx, "rot2", "StartFrontDocumentCapture", true, false, token(t, nil))
	o := expectError(t, ctx, "rot2", 1019, 60*time.Second)
	t.Logf("forced VideoFrame source: %v", o.Errors[0].Message)
}

// TestStalledTrack: a camera track whose processor stops delivering frames
// (emulated: its stream never yields one). The VideoFrame source then takes
// the video's current frame after each 250 ms of waiting, so the capture still completes
// and the track's reader is released with it.
func TestStalledTrack(t *testing.T) {
	need(t)
	ctx := frontCardWith(t, "stall", `frameSource: 'videoframe', `, `(function(){
  window.__stall = { cancelled: 0 };
  window.MediaStreamTrackProcessor = function (init) {
    return { readable: new ReadableStream({ pull() { return new Promise(() => {}); }, cancel() { window.__stall.cancelled++; } }) };
  };
  return true;
})()`)
	st := eval[map[string]any](t, ctx, `(function(){const s=GlobalGatewayCapture.lastStats();
		return {feed: s.feed, frames: s.frames, standIns: s.standIns, span: s.trace[s.trace.length-1][0] - s.trace[0][0], cancelled: window.__stall.cancelled};})()`)
	if st["feed"] != "track" || st["cancelled"] != 1.0 || st["standIns"] != st["frames"] {
		t.Errorf("stats %v: want the track feed, every frame stood in from the video, the reader cancelled once", st)
	}
	// stand-in frames come 250 ms after each analysis, not at the camera's 30 fps
	if f, _ := st["frames"].(float64); f < 2 {
		t.Errorf("stats %v: want at least 2 frames", st)
	} else if span, _ := st["span"].(float64); span/(f-1) < 200 {
		t.Errorf("stats %v: frames %.0f ms apart, want the 250 ms stand-ins", st, span/(f-1))
	}
	t.Logf("stats %v", st)
}

// TestTrackClock: with the track feed the core's clock is the camera's:
// each frame's capture timestamp, not the time it is analysed. The frames'
// timestamps are rewritten 10 ms apart (the camera sends one every 33 ms):
// the core sees them 10 ms apart, and its 0.5 s steady window then spans
// about 50 frames.
func TestTrackClock(t *testing.T) {
	need(t)
	ctx := frontCardWith(t, "clock", `frameSource: 'videoframe', `, `(function(){
  const P = window.MediaStreamTrackProcessor, VF = window.VideoFrame;
  window.MediaStreamTrackProcessor = function (init) {
    let k = 0, first = null;
    const clock = new TransformStream({ transform(f, c) {
      if (first === null) first = f.timestamp;
      c.enqueue(new VF(f, { timestamp: first + 10000 * k++ })); f.close();
    } });
    return { readable: new P(init).readable.pipeThrough(clock) };
  };
  return true;
})()`)
	// the core's time of each frame (the trace's next-to-last column)
	ts := eval[[]float64](t, ctx, `GlobalGatewayCapture.lastStats().trace.map(r => r[r.length - 2])`)
	standIns := eval[float64](t, ctx, `GlobalGatewayCapture.lastStats().standIns || 0`)
	if len(ts) < 20 {
		t.Fatalf("%d frames analysed, want the 0.5 s window's 50 at 10 ms: %v", len(ts), ts)
	}
	for i := 2; i < len(ts); i++ { // (the first frames may be clamped to 0)
		if d := ts[i] - ts[i-1]; d < 9.9 || d > 10.1 {
			t.Fatalf("frame %d at %.1f ms after one at %.1f: want 10 ms apart (%v; %.0f frames stood in from the video)", i, ts[i], ts[i-1], ts, standIns)
		}
	}
	t.Logf("%d frames, core time %.1f..%.1f ms", len(ts), ts[0], ts[len(ts)-1])
}

// videoFeed makes the page a browser without MediaStreamTrackProcessor, so
// the VideoFrame source takes its frames from the video element.
func videoFeed(t *testing.T, ctx context.Context) {
	t.Helper()
	if !eval[bool](t, ctx, `(delete window.MediaStreamTrackProcessor, typeof MediaStreamTrackProcessor === 'undefined')`) {
		t.Fatal("MediaStreamTrackProcessor could not be removed")
	}
}

// frontCardWith opens a tab whose camera shows a good front card, runs hook
// (a JS expression yielding true) in the page, and captures the card as
// Start id with config cfg (object fields, a 60 s timeout added); it
// checks the image and returns the tab.
func frontCardWith(t *testing.T, id, cfg, hook string) context.Context {
	t.Helper()
	scene := cardScene(t, synth.ID1, "Front", 0)
	ctx := tab(t, video(t, "card-front", scene.Image))
	eval[bool](t, ctx, hook)
	setConfig(t, ctx, "{"+cfg+"autoCaptureTimeoutMs: 60000}")
	start(t, ctx, id, "StartFrontDocumentCapture", true, false, token(t, nil))
	o := expectImage(t, ctx, id, 90*time.Second)
	checkDocument(t, decodeDoc(t, o.Images[0]), 1.586, scene.DPI)
	return ctx
}

// TestMissingToken: 1008 before the camera opens.
func TestMissingToken(t *testing.T) {
	need(t)
	ctx := tab(t, "")
	start(t, ctx, "notok", "StartFrontDocumentCapture", true, false, "")
	o := finished(t, ctx, "notok", 10*time.Second)
	settled(t, ctx, "notok")
	if len(o.Errors) != 1 || o.Errors[0].Code != 1008 || o.Errors[0].Type != "MISSING_TOKEN" {
		t.Fatalf("want 1008 MISSING_TOKEN, got %+v", o.Errors)
	}
	if n := eval[int](t, ctx, `window.__ggTracks.length`); n != 0 {
		t.Errorf("the camera was opened (%d tracks) before the token was checked", n)
	}
}

// TestTokenProblems: an expired token gives 1009, a token for another origin 1011.
func TestTokenProblems(t *testing.T) {
	need(t)
	ctx := tab(t, "")
	expired := token(t, func(c *server.TokenClaims) { c.Expires = time.Now().Add(-time.Minute) })
	other := token(t, func(c *server.TokenClaims) { c.Domains = []string{"https://shop.example"} })
	for _, c := range []struct {
		id, tok string
		code    int
	}{{"expired", expired, 1009}, {"other", other, 1011}} {
		start(t, ctx, c.id, "StartFrontDocumentCapture", true, false, c.tok)
		o := finished(t, ctx, c.id, 30*time.Second)
		settled(t, ctx, c.id)
		if len(o.Errors) != 1 || o.Errors[0].Code != c.code {
			t.Errorf("%s token: want %d, got %+v", c.id, c.code, o.Errors)
		}
	}
}

// TestPermissionDenied: a denied camera gives 1015.
func TestPermissionDenied(t *testing.T) {
	need(t)
	ctx := tab(t, "noui:")
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "camera"}, Setting: browser.PermissionSettingDenied, Origin: svc.origin,
	}); err != nil {
		t.Fatalf("deny camera: %v", err)
	}
	t.Cleanup(func() {
		chromedp.CallBrowser(ctx, browser.ResetPermissions, browser.ResetPermissionsParams{})
	})
	start(t, ctx, "denied", "StartFrontDocumentCapture", true, false, token(t, nil))
	expectError(t, ctx, "denied", 1015, 30*time.Second)
}

// TestCancelAndInProgress: a second Start* during a capture gets 1021; the
// cancel button ends the first with 1020.
func TestCancelAndInProgress(t *testing.T) {
	need(t)
	ctx := tab(t, video(t, "nothing", blankScene(t).Image))
	start(t, ctx, "first", "StartFrontDocumentCapture", true, false, token(t, nil))
	wait(t, ctx, `document.getElementById('gg-capture-cancel') !== null`, 30*time.Second)
	start(t, ctx, "second", "StartBackDocumentCapture", true, false, token(t, nil))
	o2 := finished(t, ctx, "second", 10*time.Second)
	if len(o2.Errors) != 1 || o2.Errors[0].Code != 1021 {
		t.Fatalf("second Start*: want 1021, got %+v", o2.Errors)
	}
	// The first capture is still running and guiding.
	wait(t, ctx, `window.__gg.first.guidance.includes('no_document') && window.__ggLiveTracks() > 0`, 30*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("gg-capture-cancel"), chromedp.NodeVisible)); err != nil {
		t.Fatalf("click cancel: %v", err)
	}
	o := expectError(t, ctx, "first", 1020, 10*time.Second)
	t.Logf("guidance before cancel: %v", o.Guidance)
}

// TestCancelWhileProcessing: a cancel after the snap, from the integrator's
// startProcess callback or while the classification request is on the wire,
// ends the capture with 1020 alone. No image follows once the request
// returns, the camera and overlay are released, and the SDK logs no error of
// its own about the teardown.
func TestCancelWhileProcessing(t *testing.T) {
	need(t)
	ctx := tab(t, video(t, "card-front", cardScene(t, synth.ID1, "Front", 0).Image))
	setConfig(t, ctx, `{autoCaptureTimeoutMs: 60000}`)
	eval[bool](t, ctx, `(function(){
  window.__ggSDKErrors = [];
  const ce = console.error;
  console.error = function () {
    if (String(arguments[0]).includes('GlobalGateway')) window.__ggSDKErrors.push(Array.from(arguments).map(String).join(' '));
    return ce.apply(console, arguments);
  };
  // With __ggHold set, the classification request waits for __ggRelease().
  const f = window.fetch;
  window.__ggHeld = 0; window.__ggClsDone = 0;
  window.fetch = function (url, opts) {
    if (window.__ggHold && String(url).includes('/v1/classification')) {
      window.__ggHeld++;
      return new Promise(r => { window.__ggRelease = r; }).then(() => f(url, opts)).finally(() => { window.__ggClsDone++; });
    }
    return f(url, opts);
  };
  return true;
})()`)

	// cancelled from startProcess, before the snapped frame is read
	startHook(t, ctx, "hook", "StartFrontDocumentCapture", true, false, token(t, nil), "GlobalGatewayCapture.cancel();")
	o := expectError(t, ctx, "hook", 1020, 90*time.Second)
	if o.Started != 1 || len(o.Images) != 0 {
		t.Errorf("cancel in startProcess: startProcess %d times, %d images; want 1 and 0", o.Started, len(o.Images))
	}

	// cancelled while the classification request is on the wire
	eval[bool](t, ctx, `(window.__ggHold = true, true)`)
	start(t, ctx, "wire", "StartFrontDocumentCapture", true, false, token(t, nil))
	wait(t, ctx, `window.__ggHeld === 1`, 90*time.Second)
	if n := eval[int](t, ctx, `window.__ggLiveTracks()`); n != 0 {
		t.Errorf("%d live camera tracks during the classification request, want 0 (released before the round trip)", n)
	}
	eval[bool](t, ctx, `(GlobalGatewayCapture.cancel(), true)`)
	expectError(t, ctx, "wire", 1020, 10*time.Second)
	eval[bool](t, ctx, `(window.__ggRelease(), true)`)
	wait(t, ctx, `window.__ggClsDone === 1`, 30*time.Second)
	settled(t, ctx, "wire") // still one callback now that the answer is in
	if o := result(t, ctx, "wire"); len(o.Images) != 0 {
		t.Errorf("an image was delivered after the cancel")
	}
	if errs := eval[[]string](t, ctx, `window.__ggSDKErrors`); len(errs) != 0 {
		t.Errorf("the SDK logged errors after the cancels: %q", errs)
	}
}

// TestGeo: with shouldCollectGeo the overridden location lands in the result.
func TestGeo(t *testing.T) {
	need(t)
	scene := cardScene(t, synth.ID1, "Front", 0)
	ctx := tab(t, video(t, "card-front", scene.Image))
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: browser.PermissionSettingGranted, Origin: svc.origin,
	}); err != nil {
		t.Fatalf("grant geolocation: %v", err)
	}
	lat, lon, acc := 49.2827, -123.1207, 12.0
	if _, err := chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{Latitude: &lat, Longitude: &lon, Accuracy: &acc}); err != nil {
		t.Fatalf("geolocation override: %v", err)
	}
	start(t, ctx, "geo", "StartFrontDocumentCapture", true, true, token(t, nil))
	o := expectImage(t, ctx, "geo", 90*time.Second)
	r := decodeDoc(t, o.Images[0])
	if r.Geo == nil || math.Abs(r.Geo.Latitude-lat) > 1e-6 || math.Abs(r.Geo.Longitude-lon) > 1e-6 {
		t.Fatalf("geo = %+v, want %v,%v", r.Geo, lat, lon)
	}
	if g := exifOf(t, r.Image).GPS; g == nil || math.Abs(g.Lat-lat) > 1e-4 || math.Abs(g.Lon-lon) > 1e-4 {
		t.Errorf("EXIF GPS = %+v, want %v,%v", g, lat, lon)
	}

	// A refused location never fails the capture: geo is null.
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: browser.PermissionSettingDenied, Origin: svc.origin,
	}); err != nil {
		t.Fatalf("deny geolocation: %v", err)
	}
	start(t, ctx, "nogeo", "StartFrontDocumentCapture", true, true, token(t, nil))
	o = expectImage(t, ctx, "nogeo", 90*time.Second)
	if r := decodeDoc(t, o.Images[0]); r.Geo != nil {
		t.Errorf("geo = %+v with location denied, want null", r.Geo)
	}
	if g := exifOf(t, decodeDoc(t, o.Images[0]).Image).GPS; g != nil {
		t.Errorf("EXIF has GPS %+v with location denied", g)
	}
}

func pngBytes(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
