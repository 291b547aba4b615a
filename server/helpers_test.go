package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var testKey = []byte("0123456789abcdef0123456789abcdef-test-key")

const testOrigin = "https://shop.example"

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newTestServer starts an httptest server with cfg (signing key, quiet logger and
// no rate limits unless set).
func newTestServer(t testing.TB, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.SigningKey == nil {
		cfg.SigningKey = testKey
	}
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return s, ts
}

func mint(t testing.TB, c TokenClaims) string {
	t.Helper()
	if c.Domains == nil {
		c.Domains = []string{testOrigin}
	}
	if c.Expires.IsZero() {
		c.Expires = time.Now().Add(10 * time.Minute)
	}
	tok, err := MintToken(testKey, c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// testImage draws a card-like picture w x h.
func testImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(40 + x*150/w), uint8(60 + y*120/h), 140, 255}
			if x > w/8 && x < 7*w/8 && y > h/6 && y < 5*h/6 {
				c = color.NRGBA{230, 230, 220, 255}
				if (x/7+y/5)%9 == 0 {
					c = color.NRGBA{20, 20, 30, 255}
				}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func jpegBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func dataURL(mime string, b []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b)
}

func jsonBody(v any) io.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}

type answer struct {
	Status int
	Body   []byte
	Header http.Header
}

func (a answer) code() int {
	var e APIError
	json.Unmarshal(a.Body, &e)
	return e.ErrorCode
}

// post sends a request to path with the token header and Origin set (empty = not set).
func post(t testing.TB, c *http.Client, url, token, origin string, body io.Reader) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("token", token)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, b, resp.Header}
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
