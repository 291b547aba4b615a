package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/globalgateway/ggcapture/internal/y4m"
	"github.com/globalgateway/ggcapture/server"
)

func writePNG(t *testing.T, path string, w, h int, c color.NRGBA) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func TestFakecam(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.png"), filepath.Join(dir, "b.png")
	writePNG(t, a, 400, 300, color.NRGBA{255, 255, 255, 255}) // 4:3, letterboxed
	writePNG(t, b, 1280, 720, color.NRGBA{0, 0, 0, 255})
	out := filepath.Join(dir, "out.y4m")
	var so, se bytes.Buffer
	if rc := run(context.Background(), []string{"fakecam", "--seconds", "0.5", "--fps", "10", a, b, "-o", out}, &so, &se); rc != 0 {
		t.Fatalf("rc %d: %s", rc, se.String())
	}
	v := readY4M(t, out)
	if len(v.Frames) != 10 || v.Width != 1280 || v.Height != 720 {
		t.Fatalf("%d frames %dx%d", len(v.Frames), v.Width, v.Height)
	}
	// Limited range: white is Y=235, black Y=16; the 4:3 image is pillarboxed.
	first, last := v.Frames[0], v.Frames[9]
	if y := first.Y[360*first.YStride+640]; y < 233 || y > 236 {
		t.Errorf("white centre Y=%d, want 235", y)
	}
	if y := first.Y[360*first.YStride+10]; y > 17 {
		t.Errorf("letterbox Y=%d, want 16", y)
	}
	if y := last.Y[360*last.YStride+640]; y < 15 || y > 17 {
		t.Errorf("black Y=%d, want 16", y)
	}
	// A file named again makes another segment of the same picture (read once).
	if rc := run(context.Background(), []string{"fakecam", "--seconds", "0.2", "--fps", "10", a, b, a, "-o", out}, &so, &se); rc != 0 {
		t.Fatalf("rc %d: %s", rc, se.String())
	}
	v2 := readY4M(t, out)
	if len(v2.Frames) != 6 {
		t.Fatalf("%d frames, want 6", len(v2.Frames))
	}
	if y := v2.Frames[4].Y[360*v2.Frames[4].YStride+640]; y < 233 || y > 236 {
		t.Errorf("third segment (a again): centre Y=%d, want 235", y)
	}
	if y := v2.Frames[2].Y[360*v2.Frames[2].YStride+640]; y > 17 {
		t.Errorf("second segment (b): centre Y=%d, want 16", y)
	}
	for _, args := range [][]string{{"fakecam", a}, {"fakecam", "-o", out}, {"fakecam", "--fps", "0", a, "-o", out}, {"fakecam", filepath.Join(dir, "missing.png"), "-o", out}} {
		if rc := run(context.Background(), args, io.Discard, io.Discard); rc == 0 {
			t.Errorf("%v succeeded", args)
		}
	}
}

func readY4M(t *testing.T, path string) *y4m.Video {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := y4m.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLoadtestCommand(t *testing.T) {
	var so, se bytes.Buffer
	rc := run(context.Background(), []string{"loadtest", "--clients", "4", "--duration", "300ms"}, &so, &se)
	t.Log(so.String())
	if rc != 0 || !regexp.MustCompile(`ok (\d+), errors 0, .* req/s, latency p50 .* p95 .* p99 `).MatchString(so.String()) {
		t.Fatalf("rc %d\n%s\n%s", rc, so.String(), se.String())
	}
}

// TestSIGTERMDuringLoad runs `ggcapture serve` as a real process, loads it, sends
// SIGTERM mid-load and checks that every request the process accepted was
// answered (its own final log line) and reached the client as a 200.
func TestSIGTERMDuringLoad(t *testing.T) {
	key := "sigterm-test-signing-key-0123456789abcdef"
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--rate-ip", "0", "--rate-token", "0",
		"--examples", t.TempDir(), "--public", t.TempDir(), "--grace", "30s")
	cmd.Env = append(os.Environ(), "GGCAPTURE_TEST_MAIN=1", "GGCAPTURE_SIGNING_KEY="+key)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	m := regexp.MustCompile(`serving (http://localhost:\d+)/examples/`).FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("first line %q %v\n%s", line, err, stderr.String())
	}
	base := strings.Replace(m[1], "localhost", "127.0.0.1", 1)
	tok, err := server.MintToken([]byte(key), server.TokenClaims{Domains: []string{"https://shop.example"}, Expires: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 320, 200))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var jb bytes.Buffer
	jpeg.Encode(&jb, img, nil)
	body, _ := json.Marshal(map[string]string{"image": "data:image/jpeg;base64," + b64(jb.Bytes())})
	var once sync.Once
	res := server.RunLoad(context.Background(), server.LoadConfig{BaseURL: base, Token: tok, Origin: "https://shop.example",
		Body: body, Clients: 30, Duration: 30 * time.Second, OnAnswer: func(n int64) {
			if n == 50 {
				once.Do(func() { cmd.Process.Signal(syscall.SIGTERM) })
			}
		}})
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve exit: %v\n%s", err, stderr.String())
	}
	var acc, done int64 = -1, -1
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, `"msg":"stopped"`) {
			var e struct{ Accepted, Completed int64 }
			json.Unmarshal([]byte(l), &e)
			acc, done = e.Accepted, e.Completed
		}
	}
	t.Logf("SIGTERM under load: %s; process accepted %d, completed %d", res, acc, done)
	for k := range res.Errors {
		if k != "transport" {
			t.Errorf("answer %s during shutdown", k)
		}
	}
	if acc < 50 || acc != done || done != res.OK {
		t.Fatalf("lost requests: accepted %d completed %d, clients got %d x 200\n%s", acc, done, res.OK, tail(stderr.String(), 2000))
	}
	if strings.Contains(stderr.String(), "base64,") || strings.Contains(stderr.String(), tok) {
		t.Fatal("log contains image bytes or the token")
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func TestTemplatesDispatch(t *testing.T) {
	var so, se bytes.Buffer
	if rc := run(context.Background(), []string{"templates", "list"}, &so, &se); rc != 0 || so.Len() == 0 {
		t.Fatalf("templates list: rc %d\n%s\n%s", rc, so.String(), se.String())
	}
	if rc := run(context.Background(), []string{"templates"}, io.Discard, io.Discard); rc != 2 {
		t.Fatalf("templates without subcommand: rc %d", rc)
	}
}
