package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/globalgateway/ggcapture/server"
)

// startServe runs "ggcapture serve args..." in-process and returns the base URL
// from its first stdout line and a stop function that waits for it to end.
func startServe(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		rc := run(ctx, append([]string{"serve"}, args...), pw, io.Discard)
		pw.Close()
		done <- rc
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no first line: %v (rc %d)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`^ggcapture: serving (https?://localhost:\d+)/examples/\n$`).FindStringSubmatch(line)
	if m == nil {
		cancel()
		t.Fatalf("first line %q", line)
	}
	return m[1], func() int { cancel(); return <-done }
}

func insecureClient() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}

func TestServeDev(t *testing.T) {
	ex := t.TempDir()
	os.WriteFile(filepath.Join(ex, "index.html"), []byte("<p>sample</p>"), 0o644)
	base, stop := startServe(t, "--dev", "--addr", "127.0.0.1:0", "--examples", ex, "--public", t.TempDir())
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("dev mode serves %s", base)
	}
	c := insecureClient()
	resp, err := c.Get(base + "/examples/dev-token.js")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tok := strings.TrimSuffix(strings.TrimPrefix(string(b), `window.GGCAPTURE_DEV_TOKEN="`), "\";\n")
	if resp.StatusCode != 200 || tok == string(b) {
		t.Fatalf("%d %q", resp.StatusCode, b)
	}
	// The certificate is for localhost.
	if cs := resp.TLS.PeerCertificates; len(cs) == 0 || cs[0].VerifyHostname("localhost") != nil || cs[0].VerifyHostname("127.0.0.1") != nil {
		t.Fatal("dev certificate does not cover localhost and 127.0.0.1")
	}
	req, _ := http.NewRequest("POST", base+"/v1/classification", strings.NewReader(`{}`))
	req.Header.Set("token", tok)
	req.Header.Set("Origin", base)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !bytes.Contains(b, []byte(`"ErrorCode":1012`)) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	if rc := stop(); rc != 0 {
		t.Fatalf("serve exit %d", rc)
	}
}

func TestServePlainAndTokenCommand(t *testing.T) {
	key := "c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cy0wMTIzNDU2Nzg5" // base64, 39 bytes
	t.Setenv("GGCAPTURE_SIGNING_KEY", key)
	base, stop := startServe(t, "--addr", "127.0.0.1:0", "--examples", t.TempDir(), "--public", t.TempDir())
	defer stop()
	if !strings.HasPrefix(base, "http://") {
		t.Fatalf("plain mode serves %s", base)
	}
	resp, err := http.Get(base + "/examples/dev-token.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("dev-token.js without --dev: %d", resp.StatusCode)
	}
	var out, errb bytes.Buffer
	if rc := run(context.Background(), []string{"token", "--domain", "https://shop.example,https://*.example.com", "--ttl", "5m", "--max-uses", "2"}, &out, &errb); rc != 0 {
		t.Fatalf("token: %d %s", rc, errb.String())
	}
	tok := strings.TrimSpace(out.String())
	c, err := server.VerifyToken(server.ParseKey(key, server.MinSigningKeyLen), tok, time.Now())
	if err != nil || c.MaxUses != 2 || len(c.Domains) != 2 || time.Until(c.Expires) > 5*time.Minute {
		t.Fatalf("%v %+v", err, c)
	}
	for _, origin := range []string{"https://shop.example", "https://app.example.com"} {
		req, _ := http.NewRequest("POST", base+"/v1/classification", strings.NewReader(`{"image":""}`))
		req.Header.Set("token", tok)
		req.Header.Set("Origin", origin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !bytes.Contains(b, []byte(`"ErrorCode":1012`)) {
			t.Fatalf("offline token from %s: %d %s", origin, resp.StatusCode, b)
		}
	}
	// Bad settings fail cleanly.
	if rc := run(context.Background(), []string{"token"}, io.Discard, io.Discard); rc != 2 {
		t.Errorf("token without domain: %d", rc)
	}
	t.Setenv("GGCAPTURE_SIGNING_KEY", "")
	if rc := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, io.Discard, io.Discard); rc != 1 {
		t.Errorf("serve without key: %d", rc)
	}
}
