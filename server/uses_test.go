package server

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// fastClassify stands in for the classifier in tests about token bookkeeping.
func fastClassify(context.Context, image.Image, string) (any, error) {
	return map[string]string{"ClassName": "Unknown"}, nil
}

// fastLiveness stands in for the liveness check in the same tests.
func fastLiveness(context.Context, image.Image, []image.Image) (any, error) {
	return map[string]any{"LivenessResult": map[string]string{"LivenessAssessment": "Pass"}, "ErrorCode": nil, "ErrorMessage": nil}, nil
}

// hammer sends n concurrent classification requests with tok, spread over the
// given servers, and counts answers by status/code.
func hammer(t *testing.T, urls []string, tok string, n int) map[string]int {
	t.Helper()
	body := `{"image":"` + dataURL("image/jpeg", jpegBytes(t, testImage(160, 100))) + `"}`
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			a := post(t, client, urls[i%len(urls)]+"/v1/classification", tok, testOrigin, strings.NewReader(body))
			k := fmt.Sprintf("%d/%d", a.Status, a.code())
			mu.Lock()
			got[k]++
			mu.Unlock()
		}(i)
	}
	close(start)
	wg.Wait()
	return got
}

func TestUseCountingConcurrent(t *testing.T) {
	_, ts := newTestServer(t, Config{NoRateLimit: true, Classify: fastClassify})
	const maxUses = 37
	got := hammer(t, []string{ts.URL}, mint(t, TokenClaims{MaxUses: maxUses}), 100)
	if got["200/0"] != maxUses || got["403/1010"] != 100-maxUses || len(got) != 2 {
		t.Fatalf("answers %v, want %d x 200 and %d x 403/1010", got, maxUses, 100-maxUses)
	}
	// Unlimited tokens are not counted.
	got = hammer(t, []string{ts.URL}, mint(t, TokenClaims{}), 100)
	if got["200/0"] != 100 {
		t.Fatalf("unlimited: %v", got)
	}
}

func TestMemoryUsesExpiry(t *testing.T) {
	m := NewMemoryUses()
	now := time.Now()
	m.now = func() time.Time { return now }
	m.Use(context.Background(), "a", now.Add(time.Minute))
	m.Use(context.Background(), "b", now.Add(time.Hour))
	if n, _ := m.Use(context.Background(), "a", now.Add(time.Minute)); n != 2 {
		t.Fatalf("count %d", n)
	}
	now = now.Add(10 * time.Minute)
	m.Use(context.Background(), "c", now.Add(time.Hour))
	if _, ok := m.m["a"]; ok {
		t.Fatal("expired entry kept")
	}
	if len(m.m) != 2 {
		t.Fatalf("entries %v", m.m)
	}
}

// startRedis runs a throw-away redis-server on a free loopback port (no
// persistence) or skips when the binary is absent.
func startRedis(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed (apt-get install redis-server); skipping the shared-Redis test")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", t.TempDir(), "--daemonize", "no", "--loglevel", "notice")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	ready := false
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.Contains(sc.Text(), "Ready to accept connections") {
			ready = true
			break
		}
	}
	if !ready {
		t.Fatalf("redis-server did not start:\n%s", strings.Join(lines, "\n"))
	}
	go func() {
		for sc.Scan() {
		}
	}()
	return fmt.Sprintf("redis://127.0.0.1:%d/0", port)
}

func TestUseCountingSharedRedis(t *testing.T) {
	url := startRedis(t)
	var urls []string
	for i := 0; i < 2; i++ {
		u, err := NewRedisUses(url)
		if err != nil {
			t.Fatal(err)
		}
		_, ts := newTestServer(t, Config{NoRateLimit: true, Classify: fastClassify, Uses: u})
		urls = append(urls, ts.URL)
	}
	const maxUses = 41
	exp := time.Now().Add(20 * time.Minute)
	tok := mint(t, TokenClaims{MaxUses: maxUses, ID: "shared-token", Expires: exp})
	got := hammer(t, urls, tok, 100)
	if got["200/0"] != maxUses || got["403/1010"] != 100-maxUses || len(got) != 2 {
		t.Fatalf("answers across two instances %v, want %d x 200 and %d x 403/1010", got, maxUses, 100-maxUses)
	}
	// The counter expires with the token.
	opt, _ := redis.ParseURL(url)
	c := redis.NewClient(opt)
	defer c.Close()
	ttl, err := c.TTL(context.Background(), "ggcapture:uses:shared-token").Result()
	if err != nil || ttl <= 19*time.Minute || ttl > 22*time.Minute {
		t.Fatalf("ttl %v %v", ttl, err)
	}
	n, _ := c.Get(context.Background(), "ggcapture:uses:shared-token").Int()
	if n != 100 {
		t.Fatalf("counter %d", n)
	}
	// /readyz reflects the store.
	resp, err := http.Get(urls[0] + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("readyz %d", resp.StatusCode)
	}
}

func TestRedisDownIs503(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	u, err := NewRedisUses("redis://" + addr + "/0")
	if err != nil {
		t.Fatal(err)
	}
	_, ts := newTestServer(t, Config{NoRateLimit: true, Classify: fastClassify, Uses: u})
	a := post(t, nil, ts.URL+"/v1/classification", mint(t, TokenClaims{MaxUses: 3}), testOrigin,
		strings.NewReader(`{"image":"`+dataURL("image/jpeg", jpegBytes(t, testImage(100, 100)))+`"}`))
	if a.Status != 503 || a.code() != 1014 {
		t.Fatalf("%d %s", a.Status, a.Body)
	}
	resp, err := http.Get(ts.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Fatalf("readyz with redis down: %d", resp.StatusCode)
	}
}

func TestRateLimits(t *testing.T) {
	_, ts := newTestServer(t, Config{Classify: fastClassify, RateIP: 0.001, BurstIP: 3, RateToken: 1000, BurstToken: 1000})
	body := `{"image":"` + dataURL("image/jpeg", jpegBytes(t, testImage(100, 100))) + `"}`
	tok := mint(t, TokenClaims{})
	var codes []int
	for i := 0; i < 5; i++ {
		codes = append(codes, post(t, nil, ts.URL+"/v1/classification", tok, testOrigin, strings.NewReader(body)).Status)
	}
	if fmt.Sprint(codes) != "[200 200 200 429 429]" {
		t.Fatalf("per-IP: %v", codes)
	}
	_, ts = newTestServer(t, Config{Classify: fastClassify, RateIP: 1000, BurstIP: 1000, RateToken: 0.001, BurstToken: 2})
	codes = codes[:0]
	for i := 0; i < 3; i++ {
		a := post(t, nil, ts.URL+"/v1/liveness-check", tok, testOrigin, strings.NewReader(body))
		codes = append(codes, a.Status)
		if a.Status == 429 && (a.code() != 1013 || a.Header.Get("Retry-After") == "") {
			t.Fatalf("429 answer %s %v", a.Body, a.Header)
		}
	}
	if codes[2] != 429 {
		t.Fatalf("per-token: %v", codes)
	}
	// Another token is not limited by the first one's bucket.
	if a := post(t, nil, ts.URL+"/v1/classification", mint(t, TokenClaims{}), testOrigin, strings.NewReader(body)); a.Status != 200 {
		t.Fatalf("fresh token: %d", a.Status)
	}
}

// TestQueueTimeout: with every slot busy, a request waits QueueTimeout and is
// answered 503 with Retry-After; the busy one still completes.
func TestQueueTimeout(t *testing.T) {
	entered, gate := make(chan struct{}), make(chan struct{})
	block := func(context.Context, image.Image, string) (any, error) {
		entered <- struct{}{}
		<-gate
		return map[string]string{"ClassName": "Unknown"}, nil
	}
	_, ts := newTestServer(t, Config{NoRateLimit: true, Classify: block, MaxConcurrent: 1, QueueTimeout: 50 * time.Millisecond})
	body := `{"image":"` + dataURL("image/jpeg", jpegBytes(t, testImage(100, 100))) + `"}`
	tok := mint(t, TokenClaims{})
	first := make(chan answer, 1)
	go func() { first <- post(t, nil, ts.URL+"/v1/classification", tok, testOrigin, strings.NewReader(body)) }()
	<-entered
	a := post(t, nil, ts.URL+"/v1/classification", tok, testOrigin, strings.NewReader(body))
	if a.Status != 503 || a.code() != 1014 || a.Header.Get("Retry-After") == "" {
		t.Fatalf("queued request: %d %s", a.Status, a.Body)
	}
	close(gate)
	if a := <-first; a.Status != 200 {
		t.Fatalf("busy request: %d %s", a.Status, a.Body)
	}
}
