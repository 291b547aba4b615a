package server

import (
	"context"
	"flag"
	"image"
	"net"
	"sync"
	"testing"
	"time"
)

var (
	loadDuration = flag.Duration("load", 0, "run TestLoad for this long (e.g. 30s) instead of the short default run")
	loadClients  = flag.Int("load-clients", 200, "clients for -load")
)

func loadBody(t testing.TB) []byte {
	return []byte(`{"image":"` + dataURL("image/jpeg", jpegBytes(t, testImage(1000, 630))) + `","captureType":"DOCUMENT_FRONT"}`)
}

// TestLoad runs clients against /v1/classification over loopback TCP with the
// real classifier and requires 0 errors. Default: 20 clients for 1.5 s (0.5 s
// with -short); -load=30s -load-clients=200 for the full run, whose figures
// go in docs/service.md.
func TestLoad(t *testing.T) {
	dur, clients := 1500*time.Millisecond, 20
	if testing.Short() {
		dur = 500 * time.Millisecond
	}
	if *loadDuration > 0 {
		dur, clients = *loadDuration, *loadClients
	}
	s, ts := newTestServer(t, Config{NoRateLimit: true})
	res := RunLoad(context.Background(), LoadConfig{BaseURL: ts.URL, Token: mint(t, TokenClaims{}), Origin: testOrigin,
		Body: loadBody(t), Clients: clients, Duration: dur})
	t.Logf("%d clients, %s: %s", clients, dur, res)
	if res.OK == 0 || res.OK != res.Requests || len(res.Errors) != 0 {
		t.Fatalf("load run had errors: %s", res)
	}
	if acc, done := s.Stats(); acc != res.OK || done != res.OK {
		t.Fatalf("server accepted %d, completed %d, clients got %d", acc, done, res.OK)
	}
}

// TestShutdownDuringLoad stops the server (graceful Shutdown, as on SIGTERM)
// while clients are sending: every request the server accepted is answered
// 200 to its client, and no client sees a 5xx.
func TestShutdownDuringLoad(t *testing.T) {
	s, err := New(Config{SigningKey: testKey, Logger: quietLogger(), NoRateLimit: true, Classify: slowClassify})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln, nil, 30*time.Second) }()
	var once sync.Once
	res := RunLoad(context.Background(), LoadConfig{BaseURL: "http://" + ln.Addr().String(), Token: mint(t, TokenClaims{}),
		Origin: testOrigin, Body: loadBody(t), Clients: 40, Duration: 20 * time.Second,
		OnAnswer: func(n int64) {
			if n == 60 {
				once.Do(cancel) // SIGTERM equivalent, mid-load
			}
		}})
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	acc, done := s.Stats()
	t.Logf("shutdown under load: %s; server accepted %d, completed %d", res, acc, done)
	for k := range res.Errors {
		if k != "transport" {
			t.Errorf("answer %s during shutdown", k)
		}
	}
	if acc != done || done != res.OK || res.OK < 60 {
		t.Fatalf("lost requests: accepted %d, completed %d, clients got %d x 200", acc, done, res.OK)
	}
}

// slowClassify stands in for ~20 ms of analysis work so that Shutdown finds
// requests in flight (not a timing assertion: nothing depends on the duration).
func slowClassify(context.Context, image.Image, string) (any, error) {
	t := time.NewTimer(20 * time.Millisecond)
	defer t.Stop()
	<-t.C
	return map[string]string{"ClassName": "Unknown"}, nil
}
