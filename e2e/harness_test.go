//go:build !(js && wasm)

// Package e2e drives the real SDK in headless Chromium: the real `ggcapture
// serve`, the sample page, the shim and capture.wasm, with Chromium's fake
// camera playing Y4M videos made by `ggcapture fakecam` from synthetic
// documents. Tests wait on conditions (a callback fired, an element
// appeared), never on fixed sleeps.
//
// Chromium is Debian's /usr/bin/chromium. Without it the tests skip, unless
// GGCAPTURE_E2E_REQUIRED is set (make test sets it), where they fail.
package e2e

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/globalgateway/ggcapture/internal/exif"
	"github.com/globalgateway/ggcapture/server"
)

var (
	skipReason string
	repoRoot   string
	workDir    string
	ggBin      string
	chromium   string
	signingKey []byte

	svc      *service
	browsers = map[string]*chromeInst{}
	brMu     sync.Mutex
)

// service is a running `ggcapture serve`.
type service struct {
	cmd    *exec.Cmd
	url    string // base URL, e.g. http://localhost:41234
	origin string
	logs   *strings.Builder
}

// browser is one Chromium whose fake camera plays one video.
type chromeInst struct {
	ctx    context.Context
	cancel func()
}

func TestMain(m *testing.M) {
	code, cleanup := setup()
	if code == 0 {
		code = m.Run()
	}
	cleanup()
	os.Exit(code)
}

func setup() (int, func()) {
	nothing := func() {}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Println("e2e:", err)
		return 1, nothing
	}
	repoRoot = filepath.Dir(wd)
	required := os.Getenv("GGCAPTURE_E2E_REQUIRED") != ""
	if p, err := exec.LookPath("chromium"); err == nil {
		chromium = p
	} else if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		chromium = "/usr/bin/chromium"
	}
	if chromium == "" {
		if required {
			fmt.Println("e2e: Chromium not found; install it with: sudo apt-get install -y chromium")
			return 1, nothing
		}
		skipReason = "Chromium not found (apt-get install -y chromium); set GGCAPTURE_E2E_REQUIRED=1 to fail instead"
		return 0, nothing
	}
	workDir, err = os.MkdirTemp("", "ggcapture-e2e-")
	if err != nil {
		fmt.Println("e2e:", err)
		return 1, nothing
	}
	cleanup := func() {
		brMu.Lock()
		for _, b := range browsers {
			b.cancel()
		}
		brMu.Unlock()
		if svc != nil {
			svc.stop()
		}
		os.RemoveAll(workDir)
	}
	// The SDK files (capture.wasm, wasm_exec.js, cascades) and the binary.
	mk := exec.Command("make", "-s", "sdk")
	mk.Dir = repoRoot
	if out, err := mk.CombinedOutput(); err != nil {
		fmt.Printf("e2e: make sdk: %v\n%s\n", err, out)
		return 1, cleanup
	}
	ggBin = filepath.Join(workDir, "ggcapture")
	build := exec.Command("go", "build", "-o", ggBin, "./cmd/ggcapture")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Printf("e2e: go build: %v\n%s\n", err, out)
		return 1, cleanup
	}
	signingKey = make([]byte, 32)
	rand.Read(signingKey)
	svc, err = startService()
	if err != nil {
		fmt.Println("e2e: start service:", err)
		return 1, cleanup
	}
	return 0, cleanup
}

func startService(extra ...string) (*service, error) {
	args := append([]string{"serve", "--addr", "127.0.0.1:0",
		"--signing-key", base64.StdEncoding.EncodeToString(signingKey),
		"--public", filepath.Join(repoRoot, "public", "GlobalGatewayCapturePublic"),
		"--examples", filepath.Join(repoRoot, "examples"),
	}, extra...)
	cmd := exec.Command(ggBin, args...)
	cmd.Dir = repoRoot
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	logs := &strings.Builder{}
	cmd.Stderr = &lockedWriter{w: logs}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines := bufio.NewScanner(stdout)
	urlCh := make(chan string, 1)
	go func() {
		first := true
		for lines.Scan() {
			if first {
				urlCh <- lines.Text()
				first = false
			}
		}
		if first {
			close(urlCh)
		}
	}()
	select {
	case line, ok := <-urlCh:
		if !ok {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("serve printed nothing; stderr: %s", logs.String())
		}
		i := strings.Index(line, "http")
		if i < 0 {
			cmd.Process.Kill()
			return nil, fmt.Errorf("unexpected first line %q", line)
		}
		u := strings.TrimSpace(line[i:])
		base := u[:strings.Index(u[len("https://"):], "/")+len("https://")]
		if strings.HasPrefix(u, "http://") {
			base = u[:strings.Index(u[len("http://"):], "/")+len("http://")]
		}
		return &service{cmd: cmd, url: base, origin: base, logs: logs}, nil
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		return nil, fmt.Errorf("serve did not print its URL within 60 s; stderr: %s", logs.String())
	}
}

func (s *service) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
		}
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// need skips the test when the browser harness is unavailable.
func need(t *testing.T) {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
}

// token mints an SDK token for the test service's origin.
func token(t *testing.T, mod func(*server.TokenClaims)) string {
	t.Helper()
	c := server.TokenClaims{Domains: []string{svc.origin}, Expires: time.Now().Add(15 * time.Minute), MaxUses: 100, ID: fmt.Sprintf("e2e-%d", time.Now().UnixNano())}
	if mod != nil {
		mod(&c)
	}
	tok, err := server.MintToken(signingKey, c)
	if err != nil {
		t.Fatalf("mint token: %v", err)
	}
	return tok
}

// video returns a Y4M made by `ggcapture fakecam` (cached by name): one
// frame per image at 30 fps (Chromium loops the file).
func video(t *testing.T, name string, frames ...image.Image) string {
	t.Helper()
	return videoFPS(t, name, 30, frames...)
}

func videoFPS(t *testing.T, name string, fps int, frames ...image.Image) string {
	t.Helper()
	return videoSized(t, name, fps, 1280, 720, frames...)
}

// videoSized is videoFPS with the camera's frame size (w x h).
func videoSized(t *testing.T, name string, fps, w, h int, frames ...image.Image) string {
	t.Helper()
	out := filepath.Join(workDir, name+".y4m")
	if _, err := os.Stat(out); err == nil {
		return out
	}
	args := []string{"fakecam", "--fps", fmt.Sprint(fps), "--seconds", fmt.Sprintf("%.6f", 1/float64(fps)),
		"--width", fmt.Sprint(w), "--height", fmt.Sprint(h)}
	written := map[image.Image]string{} // a frame repeated is written once
	for i, img := range frames {
		if p, ok := written[img]; ok {
			args = append(args, p)
			continue
		}
		p := filepath.Join(workDir, fmt.Sprintf("%s-%d.png", name, i))
		written[img] = p
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
		args = append(args, p)
	}
	args = append(args, "-o", out)
	cmd := exec.Command(ggBin, args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fakecam: %v\n%s", err, b)
	}
	return out
}

// tab opens a new tab in the browser whose camera plays y4m ("" = Chromium's
// own synthetic pattern), with getUserMedia instrumented so tests can check
// that every camera track was stopped. It navigates to the sample page.
func tab(t *testing.T, y4m string) context.Context {
	t.Helper()
	return tabAt(t, y4m, svc.url+"/examples/index.html")
}

// tabAt is tab with another page URL.
func tabAt(t *testing.T, y4m, url string) context.Context {
	t.Helper()
	b := getBrowser(t, y4m)
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	// The page's console and exceptions go to the test log when a test fails.
	var logMu sync.Mutex
	var pageLog []string
	go func() {
		for ev, err := range chromedp.Events(ctx, runtime.ConsoleAPICalled) {
			if err != nil {
				return
			}
			var parts []string
			for _, a := range ev.Args {
				if a.Value != nil {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			logMu.Lock()
			pageLog = append(pageLog, string(ev.Type)+": "+strings.Join(parts, " "))
			logMu.Unlock()
		}
	}()
	go func() {
		for ev, err := range chromedp.Events(ctx, runtime.ExceptionThrown) {
			if err != nil {
				return
			}
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			logMu.Lock()
			pageLog = append(pageLog, "exception: "+msg)
			logMu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			logMu.Lock()
			for _, l := range pageLog {
				t.Log("page " + l)
			}
			logMu.Unlock()
		}
	})
	// Headless Chromium would block the page on a real file chooser; intercept it
	// (the test sets the file on the input instead, as a user picking one would).
	if _, err := chromedp.Call(ctx, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true}); err != nil {
		t.Fatalf("intercept file chooser: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: instrument}); err != nil {
		t.Fatalf("instrument: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	wait(t, ctx, `typeof StartFrontDocumentCapture === 'function'`, 30*time.Second)
	return ctx
}

// instrument records every camera track and every storage write attempt.
const instrument = `
(function(){
  window.__ggTracks = [];
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    const orig = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async function(c) {
      const s = await orig(c);
      s.getTracks().forEach(t => window.__ggTracks.push(t));
      return s;
    };
  }
  window.__ggLiveTracks = () => window.__ggTracks.filter(t => t.readyState !== 'ended').length;
})();`

func getBrowser(t *testing.T, y4m string) *chromeInst {
	t.Helper()
	brMu.Lock()
	defer brMu.Unlock()
	key := y4m
	if b, ok := browsers[key]; ok {
		return b
	}
	dir, err := os.MkdirTemp(workDir, "profile-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Headless,
		chromedp.UserDataDir(dir),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		// Chromium 137 and later no longer fall back to SwiftShader for
		// WebGL on their own (Debian bookworm's security updates brought
		// 148): without a GPU the shim's browser check would find no
		// WebGL and answer 1019. Tests only: a page never sets this.
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.WindowSize(1280, 800),
	}
	// A browser whose key starts with "noui:" has no fake permission UI, so a
	// denied camera permission really denies.
	// "tls:" accepts the dev service's self-signed certificate.
	if strings.HasPrefix(y4m, "tls:") {
		y4m = strings.TrimPrefix(y4m, "tls:")
		opts = append(opts, chromedp.Flag("ignore-certificate-errors", true))
	}
	if strings.HasPrefix(y4m, "noui:") {
		y4m = strings.TrimPrefix(y4m, "noui:")
	} else {
		opts = append(opts, chromedp.Flag("use-fake-ui-for-media-stream", true))
	}
	if y4m != "" {
		opts = append(opts, chromedp.Flag("use-file-for-fake-video-capture", y4m))
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		acancel()
		t.Fatalf("start chromium: %v", err)
	}
	b := &chromeInst{ctx: ctx, cancel: func() { cancel(); acancel() }}
	browsers[key] = b
	return b
}

// wait polls a JS condition until it is truthy or the deadline passes.
func wait(t *testing.T, ctx context.Context, cond string, d time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("!!("+cond+")", chromedp.WithPollingTimeout(d), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("waiting for %s: %v", cond, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// outcome is what the SDK's callbacks received.
type outcome struct {
	Started  int               `json:"started"`
	Images   []json.RawMessage `json:"images"`
	Errors   []sdkError        `json:"errors"`
	Guidance []string          `json:"guidance"`
	Sizes    [][2]int          `json:"sizes"` // the video's size when each guidance showed
}

type sdkError struct {
	Code    int    `json:"code"`
	Type    string `json:"type"`
	Message string `json:"message"`
}

type docResult struct {
	Image   string `json:"image"`
	Quality struct {
		Glare     float64 `json:"glare"`
		DPI       float64 `json:"dpi"`
		Sharpness float64 `json:"sharpness"`
	} `json:"quality"`
	Classification map[string]any `json:"classification"`
	Liveness       map[string]any `json:"liveness"`
	Geo            *struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
		Accuracy  float64 `json:"accuracy"`
	} `json:"geo"`
}

// start calls a Start* function in the page with recording callbacks. The
// callbacks' arguments land in window.__gg[id].
func start(t *testing.T, ctx context.Context, id, fn string, isAuto, geo bool, tok string) {
	t.Helper()
	startHook(t, ctx, id, fn, isAuto, geo, tok, "")
}

// startHook is start with hook (JavaScript statements) run in the
// startProcess callback after it is recorded.
func startHook(t *testing.T, ctx context.Context, id, fn string, isAuto, geo bool, tok, hook string) {
	t.Helper()
	js := fmt.Sprintf(`(function(){
  window.__gg = window.__gg || {};
  const r = window.__gg[%[1]q] = {started:0, images:[], errors:[], guidance:[], sizes:[]};
  const obs = new MutationObserver(() => {
    const g = document.getElementById('gg-capture-guidance');
    const k = g && g.getAttribute('data-key');
    if (k && r.guidance[r.guidance.length-1] !== k) {
      r.guidance.push(k);
      const v = document.querySelector('#gg-capture-overlay video');
      r.sizes.push(v ? [v.videoWidth, v.videoHeight] : [0, 0]); // the camera's frame size then
    }
  });
  obs.observe(document.body, {subtree:true, childList:true, attributes:true, characterData:true});
  %[2]s(%[3]t, %[4]t, () => { r.started++; %[6]s }, img => { window.__ggDoneAt = performance.now(); r.images.push(img); }, err => { window.__ggDoneAt = performance.now(); r.errors.push(err); }, %[5]s);
  return true;
})()`, id, fn, isAuto, geo, jsString(tok), hook)
	eval[bool](t, ctx, js)
}

func jsString(s string) string {
	if s == "\x00undefined" {
		return "undefined"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// finished waits until a callback fired for id and returns what was recorded.
func finished(t *testing.T, ctx context.Context, id string, d time.Duration) outcome {
	t.Helper()
	wait(t, ctx, fmt.Sprintf(`window.__gg && window.__gg[%[1]q] && (window.__gg[%[1]q].images.length + window.__gg[%[1]q].errors.length) > 0`, id), d)
	return result(t, ctx, id)
}

func result(t *testing.T, ctx context.Context, id string) outcome {
	t.Helper()
	raw := eval[[]byte](t, ctx, fmt.Sprintf(`window.__gg[%q]`, id))
	var o outcome
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatalf("decode outcome: %v", err)
	}
	return o
}

// settled checks what must hold after every capture ends: exactly one
// callback, no live camera track, no overlay left behind.
func settled(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	// Give a late second callback no chance to hide: the callbacks are
	// synchronous within the session's finish, so by now both would be seen.
	o := result(t, ctx, id)
	if n := len(o.Images) + len(o.Errors); n != 1 {
		t.Errorf("%s: %d callbacks fired (images %d, errors %v), want exactly 1", id, n, len(o.Images), o.Errors)
	}
	wait(t, ctx, `window.__ggLiveTracks() === 0`, 10*time.Second)
	wait(t, ctx, `document.getElementById('gg-capture-overlay') === null`, 10*time.Second)
}

func decodeDoc(t *testing.T, raw json.RawMessage) docResult {
	t.Helper()
	var r docResult
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("decode result: %v", err)
	}
	return r
}

// exifOf reads the capture metadata from the result's JPEG.
func exifOf(t *testing.T, dataURL string) exif.Meta {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(dataURL, "data:image/jpeg;base64,"))
	if err != nil {
		t.Fatalf("image base64: %v", err)
	}
	m, err := exif.Parse(b)
	if err != nil {
		t.Fatalf("EXIF: %v", err)
	}
	return m
}

// jpegOf decodes the result's data URL.
func jpegOf(t *testing.T, dataURL string) image.Image {
	t.Helper()
	const prefix = "data:image/jpeg;base64,"
	if !strings.HasPrefix(dataURL, prefix) {
		t.Fatalf("image is not a JPEG data URL: %.40q", dataURL)
	}
	b, err := base64.StdEncoding.DecodeString(dataURL[len(prefix):])
	if err != nil {
		t.Fatalf("image base64: %v", err)
	}
	img, _, err := image.Decode(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("image decode: %v", err)
	}
	return img
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// upload chooses file in the SDK's manual-mode file input, as a user picking
// a photo would.
func upload(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	wait(t, ctx, `document.getElementById('gg-capture-file') !== null`, 30*time.Second)
	obj, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject](`document.getElementById('gg-capture-file')`))
	if err != nil {
		t.Fatalf("find file input: %v", err)
	}
	if _, err := chromedp.Call(ctx, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: []string{file}, ObjectID: obj.ObjectID}); err != nil {
		t.Fatalf("set file: %v", err)
	}
}

// expectError waits for id's capture to end and checks that it ended with
// exactly one showError of code (and that everything was released).
func expectError(t *testing.T, ctx context.Context, id string, code int, d time.Duration) outcome {
	t.Helper()
	o := finished(t, ctx, id, d)
	settled(t, ctx, id)
	if len(o.Errors) != 1 || o.Errors[0].Code != code {
		t.Fatalf("%s: want showError %d, got errors %+v and %d images (guidance %v)", id, code, o.Errors, len(o.Images), o.Guidance)
	}
	return o
}

// expectImage waits for id's capture to end and checks that it ended with
// exactly one showImage (and that everything was released).
func expectImage(t *testing.T, ctx context.Context, id string, d time.Duration) outcome {
	t.Helper()
	o := finished(t, ctx, id, d)
	settled(t, ctx, id)
	if len(o.Errors) > 0 || len(o.Images) != 1 {
		t.Fatalf("%s: want one showImage, got errors %+v and %d images (guidance %v)", id, o.Errors, len(o.Images), o.Guidance)
	}
	return o
}
