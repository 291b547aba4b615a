package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/globalgateway/ggcapture/internal/realdata"
)

// TestErrorCodes drives every SDK error code the service answers through a real
// HTTP round trip.
func TestErrorCodes(t *testing.T) {
	_, ts := newTestServer(t, Config{MaxBodyBytes: 1 << 20, APIKeys: []string{"integrator-key-0123456789"}})
	good := dataURL("image/jpeg", jpegBytes(t, testImage(320, 200)))
	img := map[string]any{"image": good}
	oneUse := mint(t, TokenClaims{MaxUses: 1})
	// Use it once.
	if a := post(t, nil, ts.URL+"/v1/classification", oneUse, testOrigin, jsonBody(img)); a.Status != 200 {
		t.Fatalf("first use: %d %s", a.Status, a.Body)
	}
	otherKey := bytes.Repeat([]byte("k"), 40)
	forged, _ := MintToken(otherKey, TokenClaims{Domains: []string{testOrigin}, Expires: time.Now().Add(time.Minute)})
	big := `{"image":"` + strings.Repeat("A", 2<<20) + `"}`
	tests := []struct {
		name   string
		path   string
		token  string
		origin string
		body   io.Reader
		status int
		code   int
	}{
		{"missing token", "/v1/classification", "", testOrigin, jsonBody(img), 401, 1008},
		{"missing token liveness", "/v1/liveness-check", "", testOrigin, jsonBody(img), 401, 1008},
		{"garbage token", "/v1/classification", "not.a.token", testOrigin, jsonBody(img), 401, 1009},
		{"other key", "/v1/classification", forged, testOrigin, jsonBody(img), 401, 1009},
		{"expired", "/v1/classification", mint(t, TokenClaims{Expires: time.Now().Add(-time.Hour)}), testOrigin, jsonBody(img), 401, 1009},
		{"expired liveness", "/v1/liveness-check", mint(t, TokenClaims{Expires: time.Now().Add(-time.Hour)}), testOrigin, jsonBody(img), 401, 1009},
		{"uses exhausted", "/v1/classification", oneUse, testOrigin, jsonBody(img), 403, 1010},
		{"wrong origin", "/v1/classification", mint(t, TokenClaims{}), "https://evil.example", jsonBody(img), 403, 1011},
		{"no origin", "/v1/classification", mint(t, TokenClaims{}), "", jsonBody(img), 403, 1011},
		{"wrong origin liveness", "/v1/liveness-check", mint(t, TokenClaims{}), "http://shop.example", jsonBody(img), 403, 1011},
		{"no image", "/v1/classification", mint(t, TokenClaims{}), testOrigin, jsonBody(map[string]any{"captureType": "PASSPORT"}), 400, 1012},
		{"empty image", "/v1/liveness-check", mint(t, TokenClaims{}), testOrigin, jsonBody(map[string]any{"image": ""}), 400, 1012},
		{"empty body", "/v1/classification", mint(t, TokenClaims{}), testOrigin, strings.NewReader(""), 400, 1012},
		{"too large", "/v1/classification", mint(t, TokenClaims{}), testOrigin, strings.NewReader(big), 413, 1004},
		{"not an image", "/v1/classification", mint(t, TokenClaims{}), testOrigin, jsonBody(map[string]any{"image": dataURL("image/gif", []byte("GIF89a......"))}), 400, 1003},
		{"corrupt", "/v1/classification", mint(t, TokenClaims{}), testOrigin, jsonBody(map[string]any{"image": dataURL("image/jpeg", jpegBytes(t, testImage(320, 200))[:300])}), 400, 1002},
		{"too small", "/v1/classification", mint(t, TokenClaims{}), testOrigin, jsonBody(map[string]any{"image": dataURL("image/png", pngBytes(t, testImage(20, 20)))}), 400, 1001},
		{"wrong type", "/v1/classification", mint(t, TokenClaims{}), testOrigin, strings.NewReader(`{"image":["x"]}`), 400, 1016},
		{"bad capture type", "/v1/classification", mint(t, TokenClaims{}), testOrigin, jsonBody(map[string]any{"image": good, "captureType": "SELFIE"}), 400, 1016},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := post(t, nil, ts.URL+tc.path, tc.token, tc.origin, tc.body)
			if a.Status != tc.status || a.code() != tc.code {
				t.Fatalf("got %d %s, want %d code %d", a.Status, a.Body, tc.status, tc.code)
			}
			var e map[string]any
			if err := json.Unmarshal(a.Body, &e); err != nil || len(e) != 2 || e["ErrorMessage"] == "" {
				t.Fatalf("error body %s", a.Body)
			}
		})
	}
	// Referer stands in for a missing Origin.
	req, _ := http.NewRequest("POST", ts.URL+"/v1/classification", jsonBody(img))
	req.Header.Set("token", mint(t, TokenClaims{}))
	req.Header.Set("Referer", testOrigin+"/checkout/page.html?x=1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("referer origin: %d", resp.StatusCode)
	}
}

func TestClassificationSuccessSigned(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	raw := jpegBytes(t, testImage(400, 260))
	a := post(t, nil, ts.URL+"/v1/classification", mint(t, TokenClaims{ID: "tok-1"}), testOrigin,
		jsonBody(map[string]any{"image": dataURL("image/jpeg", raw), "isFrontImage": true, "captureType": "DOCUMENT_FRONT"}))
	if a.Status != 200 {
		t.Fatalf("%d %s", a.Status, a.Body)
	}
	if got := a.Header.Get("Access-Control-Allow-Origin"); got != testOrigin {
		t.Errorf("ACAO %q", got)
	}
	var res map[string]any
	if err := json.Unmarshal(a.Body, &res); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ClassName", "CountryCode", "Name", "Side", "InstanceID", "DocumentID", "Signature"} {
		if _, ok := res[k]; !ok {
			t.Errorf("answer lacks %s: %s", k, a.Body)
		}
	}
	if id, _ := res["InstanceID"].(string); len(id) != 36 {
		t.Errorf("InstanceID %q", id)
	}
	// The signature verifies with the key published at /v1/keys and binds the image.
	resp, err := http.Get(ts.URL + "/v1/keys")
	if err != nil {
		t.Fatal(err)
	}
	var keys struct{ Keys []JWK }
	json.NewDecoder(resp.Body).Decode(&keys)
	resp.Body.Close()
	if len(keys.Keys) != 1 {
		t.Fatalf("keys %+v", keys)
	}
	pub, err := PublicKeyFromJWK(keys.Keys[0])
	if err != nil || !pub.Equal(s.ResultPublicKey()) {
		t.Fatalf("jwk: %v", err)
	}
	c, err := VerifyResult(pub, res["Signature"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if c.TokenID != "tok-1" || c.Kind != "classification" || c.ImageSHA256 != sha256hex(raw) {
		t.Errorf("claims %+v", c)
	}
	var inner map[string]any
	json.Unmarshal(c.Result, &inner)
	if inner["InstanceID"] != res["InstanceID"] || inner["ClassName"] != res["ClassName"] {
		t.Errorf("signed result %s differs from answer %s", c.Result, a.Body)
	}
	// A tampered signature does not verify.
	// Change one character in the middle of the signature part (the last
	// characters of base64url carry padding bits, so a change there may
	// decode to the same bytes).
	sig := res["Signature"].(string)
	i := strings.LastIndexByte(sig, '.') + 20
	c2 := byte('A')
	if sig[i] == 'A' {
		c2 = 'B'
	}
	if _, err := VerifyResult(pub, sig[:i]+string(c2)+sig[i+1:]); err == nil {
		t.Error("tampered signature verified")
	}
}

func TestLivenessEndpoint(t *testing.T) {
	var gotFrames int
	_, ts := newTestServer(t, Config{Liveness: func(_ context.Context, img image.Image, frames []image.Image) (any, error) {
		gotFrames = len(frames)
		return map[string]any{"LivenessResult": map[string]any{"LivenessAssessment": "Pass"}, "ErrorCode": nil, "ErrorMessage": nil}, nil
	}})
	f := dataURL("image/jpeg", jpegBytes(t, testImage(200, 200)))
	a := post(t, nil, ts.URL+"/v1/liveness-check", mint(t, TokenClaims{}), testOrigin,
		jsonBody(map[string]any{"image": f, "frames": []string{f, f}}))
	if a.Status != 200 || gotFrames != 2 || !contains(string(a.Body), `"LivenessAssessment":"Pass"`) || !contains(string(a.Body), `"Signature":"ey`) {
		t.Fatalf("%d %s frames=%d", a.Status, a.Body, gotFrames)
	}
	// A bad frame is a 4xx naming the frame.
	a = post(t, nil, ts.URL+"/v1/liveness-check", mint(t, TokenClaims{}), testOrigin,
		jsonBody(map[string]any{"image": f, "frames": []string{f, "data:image/jpeg;base64,!!!"}}))
	if a.Status != 400 || !contains(string(a.Body), "frame 1") {
		t.Fatalf("%d %s", a.Status, a.Body)
	}
}

func TestAnalyserErrorIs4xx(t *testing.T) {
	_, ts := newTestServer(t, Config{Classify: func(context.Context, image.Image, string) (any, error) {
		return nil, errors.New("nope")
	}})
	a := post(t, nil, ts.URL+"/v1/classification", mint(t, TokenClaims{}), testOrigin,
		jsonBody(map[string]any{"image": dataURL("image/jpeg", jpegBytes(t, testImage(200, 200)))}))
	if a.Status != 422 || a.code() != 1014 {
		t.Fatalf("%d %s", a.Status, a.Body)
	}
}

func TestCORSPreflight(t *testing.T) {
	_, ts := newTestServer(t, Config{CORSOrigins: []string{"https://*.example.com"}})
	pre := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/v1/classification", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "token, content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	r := pre("https://app.example.com")
	if r.StatusCode != 204 || r.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(r.Header.Get("Access-Control-Allow-Headers"), "token") {
		t.Fatalf("allowed preflight: %d %v", r.StatusCode, r.Header)
	}
	for _, o := range []string{"https://evil.test", "http://app.example.com", "", "null"} {
		r := pre(o)
		if r.StatusCode != 403 || r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight %q: %d %v", o, r.StatusCode, r.Header)
		}
	}
}

func TestMintEndpoint(t *testing.T) {
	s, ts := newTestServer(t, Config{APIKeys: []string{"first-api-key-000000", "second-api-key-11111"}})
	do := func(auth string, body string) answer {
		req, _ := http.NewRequest("POST", ts.URL+"/v1/sdk-tokens", strings.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return answer{resp.StatusCode, b, resp.Header}
	}
	body := `{"domains":["https://Shop.Example:443"],"ttlSeconds":600,"maxUses":3}`
	if a := do("", body); a.Status != 401 || a.code() != 1008 {
		t.Errorf("no key: %d %s", a.Status, a.Body)
	}
	if a := do("Bearer first-api-key-000001", body); a.Status != 401 || a.code() != 1009 {
		t.Errorf("bad key: %d %s", a.Status, a.Body)
	}
	for _, b := range []string{`{"domains":["ftp://x"]}`, `{"domains":[]}`, `{"domains":["https://a.b"],"ttlSeconds":90000}`, `{"domains":"https://a.b"}`, `{"domains":["https://a.b"],"extra":1}`} {
		if a := do("Bearer second-api-key-11111", b); a.Status != 400 {
			t.Errorf("%s: %d %s", b, a.Status, a.Body)
		}
	}
	a := do("Bearer second-api-key-11111", body)
	if a.Status != 200 {
		t.Fatalf("%d %s", a.Status, a.Body)
	}
	var out struct{ Token, ExpiresAt string }
	json.Unmarshal(a.Body, &out)
	c, err := VerifyToken(s.SigningKey(), out.Token, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	exp, _ := time.Parse(time.RFC3339, out.ExpiresAt)
	if c.MaxUses != 3 || len(c.Domains) != 1 || c.Domains[0] != "https://shop.example" || !c.Expires.Equal(exp) ||
		c.Expires.Sub(time.Now()) > 601*time.Second || c.Expires.Sub(time.Now()) < 590*time.Second {
		t.Errorf("claims %+v exp %s", c, out.ExpiresAt)
	}
}

func TestDevToken(t *testing.T) {
	s, ts := newTestServer(t, Config{Dev: true, SigningKey: []byte{}})
	resp, err := http.Get(ts.URL + "/examples/dev-token.js")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	js := string(b)
	if resp.StatusCode != 200 || !strings.HasPrefix(js, `window.GGCAPTURE_DEV_TOKEN="`) || !strings.HasSuffix(js, "\";\n") {
		t.Fatalf("%d %q", resp.StatusCode, js)
	}
	tok := strings.TrimSuffix(strings.TrimPrefix(js, `window.GGCAPTURE_DEV_TOKEN="`), "\";\n")
	c, err := VerifyToken(s.SigningKey(), tok, time.Now())
	if err != nil || len(c.Domains) != 1 || c.Domains[0] != ts.URL {
		t.Fatalf("%v %+v want %s", err, c, ts.URL)
	}
	// The token works from the page's own origin.
	a := post(t, nil, ts.URL+"/v1/classification", tok, ts.URL, jsonBody(map[string]any{"image": dataURL("image/jpeg", jpegBytes(t, testImage(200, 200)))}))
	if a.Status != 200 {
		t.Fatalf("%d %s", a.Status, a.Body)
	}
	// Without dev mode: 404.
	_, ts2 := newTestServer(t, Config{})
	resp, err = http.Get(ts2.URL + "/examples/dev-token.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("no dev: %d", resp.StatusCode)
	}
	// Without dev mode a signing key is required.
	if _, err := New(Config{Logger: quietLogger()}); err == nil {
		t.Fatal("New without key succeeded")
	}
}

func TestStatic(t *testing.T) {
	pub := t.TempDir()
	ex := t.TempDir()
	os.WriteFile(filepath.Join(pub, "capture.wasm"), []byte("\x00asm-raw"), 0o644)
	os.WriteFile(filepath.Join(pub, "capture.wasm.br"), []byte("brotli-bytes"), 0o644)
	os.WriteFile(filepath.Join(pub, "capture.wasm.gz"), []byte("gzip-bytes"), 0o644)
	os.WriteFile(filepath.Join(pub, "GlobalGatewayImageCapture.js"), []byte("var x=1;"), 0o644)
	os.MkdirAll(filepath.Join(pub, "cascade"), 0o755)
	os.WriteFile(filepath.Join(pub, ".secret"), []byte("no"), 0o644)
	os.WriteFile(filepath.Join(ex, "index.html"), []byte("<!doctype html>hi"), 0o644)
	_, ts := newTestServer(t, Config{PublicDir: pub, ExamplesDir: ex})
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	get := func(path, ae string) (int, http.Header, string) {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("Accept-Encoding", ae)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, resp.Header, string(b)
	}
	tests := []struct {
		path, ae string
		status   int
		ctype    string
		enc      string
		body     string
	}{
		{"/GlobalGatewayCapturePublic/capture.wasm", "gzip, deflate, br", 200, "application/wasm", "br", "brotli-bytes"},
		{"/GlobalGatewayCapturePublic/capture.wasm", "gzip", 200, "application/wasm", "gzip", "gzip-bytes"},
		{"/GlobalGatewayCapturePublic/capture.wasm", "br;q=0, gzip", 200, "application/wasm", "gzip", "gzip-bytes"},
		{"/GlobalGatewayCapturePublic/capture.wasm", "identity", 200, "application/wasm", "", "\x00asm-raw"},
		{"/GlobalGatewayCapturePublic/GlobalGatewayImageCapture.js", "", 200, "text/javascript; charset=utf-8", "", "var x=1;"},
		{"/GlobalGatewayCapturePublic/cascade/", "", 404, "", "", ""},
		{"/GlobalGatewayCapturePublic/", "", 404, "", "", ""},
		{"/GlobalGatewayCapturePublic/.secret", "", 404, "", "", ""},
		{"/GlobalGatewayCapturePublic/../../etc/passwd", "", 307, "", "", ""}, // mux cleans to /etc/passwd
		{"/etc/passwd", "", 404, "", "", ""},
		{"/GlobalGatewayCapturePublic/nope.js", "", 404, "", "", ""},
		{"/examples/", "", 200, "text/html; charset=utf-8", "", "<!doctype html>hi"},
		{"/", "", 302, "", "", ""},
		{"/elsewhere", "", 404, "", "", ""},
	}
	for _, tc := range tests {
		st, h, body := get(tc.path, tc.ae)
		if st != tc.status {
			t.Errorf("%s: status %d want %d", tc.path, st, tc.status)
			continue
		}
		if st != 200 {
			continue
		}
		if h.Get("Content-Type") != tc.ctype || h.Get("Content-Encoding") != tc.enc || body != tc.body {
			t.Errorf("%s (%s): type %q enc %q body %q", tc.path, tc.ae, h.Get("Content-Type"), h.Get("Content-Encoding"), body)
		}
		if strings.HasSuffix(tc.path, ".wasm") && !strings.Contains(h.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: no Vary", tc.path)
		}
	}
	if _, h, _ := get("/", ""); h.Get("Location") != "/examples/" {
		t.Errorf("root redirect to %q", h.Get("Location"))
	}
}

func TestOpsEndpoints(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	post(t, nil, ts.URL+"/v1/classification", "", testOrigin, strings.NewReader("{}"))
	resp, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := string(b)
	for _, want := range []string{
		`ggcapture_requests_total{endpoint="classification",status="401",code="1008"} 1`,
		`ggcapture_request_duration_seconds_bucket{endpoint="classification",le="+Inf"} 1`,
		`ggcapture_request_duration_seconds_count{endpoint="healthz"} 1`,
		"# TYPE ggcapture_request_duration_seconds histogram",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q:\n%s", want, m)
		}
	}
}

// pigoCascades finds the cascades in the pigo module directory (as make does).
func pigoCascades(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/esimov/pigo").Output()
	dir := filepath.Join(strings.TrimSpace(string(out)), "cascade")
	if err != nil {
		t.Skipf("cannot locate the pigo module: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "facefinder")); err != nil {
		t.Skipf("no pigo cascades: %v", err)
	}
	return dir
}

func TestRealLiveness(t *testing.T) {
	_, ts := newTestServer(t, Config{CascadesDir: pigoCascades(t)})
	a := post(t, nil, ts.URL+"/v1/liveness-check", mint(t, TokenClaims{}), testOrigin,
		jsonBody(map[string]any{"image": dataURL("image/jpeg", jpegBytes(t, testImage(480, 640)))}))
	if a.Status != 200 {
		t.Fatalf("%d %s", a.Status, a.Body)
	}
	var res struct {
		LivenessResult *struct{ LivenessAssessment *string }
		ErrorCode      *int
		ErrorMessage   *string
		Signature      string
	}
	if err := json.Unmarshal(a.Body, &res); err != nil {
		t.Fatal(err)
	}
	// No face in a drawn card: null verdict with 9002.
	if res.ErrorCode == nil || *res.ErrorCode != 9002 || res.ErrorMessage == nil || res.Signature == "" ||
		(res.LivenessResult != nil && res.LivenessResult.LivenessAssessment != nil) {
		t.Fatalf("answer %s", a.Body)
	}
	// Without cascades: 503 / 1013, and no use is spent.
	_, ts2 := newTestServer(t, Config{CascadesDir: t.TempDir()})
	tok := mint(t, TokenClaims{MaxUses: 1})
	for i := 0; i < 2; i++ {
		a = post(t, nil, ts2.URL+"/v1/liveness-check", tok, testOrigin, jsonBody(map[string]any{"image": "x"}))
		if a.Status != 503 || a.code() != 1013 {
			t.Fatalf("no cascades: %d %s", a.Status, a.Body)
		}
	}
}

// TestRealDocumentsThroughService posts real document photos (shared test data;
// skipped when absent) to /v1/classification: each is accepted and classified.
func TestRealDocumentsThroughService(t *testing.T) {
	dir := realdata.Dir(t, "documents", "mrz")
	files, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
	if len(files) > 4 {
		files = files[:4]
	}
	_, ts := newTestServer(t, Config{NoRateLimit: true})
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a := post(t, nil, ts.URL+"/v1/classification", mint(t, TokenClaims{}), testOrigin,
			jsonBody(map[string]any{"image": dataURL("image/jpeg", raw), "captureType": "PASSPORT"}))
		if a.Status != 200 && !(a.Status == 400 && a.code() == 1004) {
			t.Errorf("%s: %d %s", filepath.Base(f), a.Status, a.Body)
			continue
		}
		var res struct{ ClassName, Side string }
		json.Unmarshal(a.Body, &res)
		t.Logf("%s: %d %s %s", filepath.Base(f), a.Status, res.ClassName, res.Side)
	}
}
