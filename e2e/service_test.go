//go:build !(js && wasm)

package e2e

import (
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/globalgateway/ggcapture/internal/synth"
	"github.com/globalgateway/ggcapture/server"
)

// TestServiceRejectsToken: tokens the page cannot judge are refused by the
// service: one signed with another key (1009) and one whose uses are spent
// (1010). The camera is released and one callback fires each time.
func TestServiceRejectsToken(t *testing.T) {
	need(t)
	scene := cardScene(t, synth.ID1, "Front", 0)
	p := filepath.Join(workDir, "upload-svc.png")
	writePNG(t, p, scene.Image)
	ctx := tab(t, "")
	otherKey := make([]byte, 32)
	rand.Read(otherKey)
	forged, err := server.MintToken(otherKey, server.TokenClaims{Domains: []string{svc.origin}, Expires: time.Now().Add(time.Hour), ID: "forged"})
	if err != nil {
		t.Fatal(err)
	}
	once := token(t, func(c *server.TokenClaims) { c.MaxUses = 1 })
	for _, c := range []struct {
		id, tok string
		code    int
	}{{"forged", forged, 1009}, {"once-1", once, 0}, {"once-2", once, 1010}} {
		start(t, ctx, c.id, "StartFrontDocumentCapture", false, false, c.tok)
		upload(t, ctx, p)
		o := finished(t, ctx, c.id, 60*time.Second)
		settled(t, ctx, c.id)
		switch {
		case c.code == 0 && len(o.Errors) > 0:
			t.Errorf("%s: unexpected error %+v", c.id, o.Errors[0])
		case c.code != 0 && (len(o.Errors) != 1 || o.Errors[0].Code != c.code):
			t.Errorf("%s: want %d, got errors %+v images %d", c.id, c.code, o.Errors, len(o.Images))
		}
	}
}

// TestSamplePageDev: `ggcapture serve --dev` (HTTPS, self-signed, dev token
// injected) serves the sample page; its passport workflow button runs a
// manual capture and shows the thumbnail and the verify request JSON.
func TestSamplePageDev(t *testing.T) {
	need(t)
	dev, err := startService("--dev")
	if err != nil {
		t.Fatalf("serve --dev: %v", err)
	}
	t.Cleanup(dev.stop)
	if !strings.HasPrefix(dev.url, "https://") {
		t.Fatalf("--dev serves %s, want https", dev.url)
	}
	s, err := synth.Render(synth.Doc{Format: synth.ID3, Side: "Front", Seed: 31, Width: 1280, Height: 720, DPI: 176, Background: synth.Plain})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(workDir, "upload-passport.png")
	writePNG(t, p, s.Image)
	ctx := tabAt(t, "tls:", dev.url+"/examples/")
	wait(t, ctx, `typeof window.GGCAPTURE_DEV_TOKEN === 'string' && document.getElementById('token').value.length > 20`, 30*time.Second)
	eval[bool](t, ctx, `(document.getElementById('mode').value = 'manual', true)`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("one-passport"), chromedp.NodeVisible)); err != nil {
		t.Fatalf("click: %v", err)
	}
	upload(t, ctx, p)
	wait(t, ctx, `document.querySelector('#results .step img') !== null || document.querySelector('#results .error') !== null`, 60*time.Second)
	if msg := eval[string](t, ctx, `(document.querySelector('#results .error') || {}).textContent || ''`); msg != "" {
		t.Fatalf("sample page shows an error: %s", msg)
	}
	v := eval[string](t, ctx, `document.getElementById('verify').value`)
	if !strings.Contains(v, `"DocumentFrontImage": "/9j/`) {
		t.Errorf("verify JSON lacks the JPEG bytes: %.80q", v)
	}
}
