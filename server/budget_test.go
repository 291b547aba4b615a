package server

import (
	"context"
	"image"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

func TestBudgetFIFOAndCancel(t *testing.T) {
	b := newBudget(100)
	ctx := context.Background()
	if n, _ := b.acquire(ctx, 500); n != 100 { // clamped: one request always fits
		t.Fatalf("clamp %d", n)
	}
	b.release(100)
	a, _ := b.acquire(ctx, 60)
	got := make(chan string, 3)
	go func() { n, _ := b.acquire(ctx, 50); got <- "big"; b.release(n) }()
	waitWaiters(b, 1)
	// A small request behind the big one waits its turn although it would fit
	// (FIFO: the big one cannot be starved).
	go func() { n, _ := b.acquire(ctx, 10); got <- "small"; b.release(n) }()
	waitWaiters(b, 2)
	b.mu.Lock()
	if b.cur != 60 {
		t.Fatalf("small request barged in: cur %d", b.cur)
	}
	b.mu.Unlock()
	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { _, err := b.acquire(cctx, 90); errc <- err }()
	waitWaiters(b, 3)
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("cancelled acquire succeeded")
	}
	b.release(a)
	<-got
	<-got
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cur != 0 || len(b.waiters) != 0 {
		t.Fatalf("left cur %d waiters %d", b.cur, len(b.waiters))
	}
}

func waitWaiters(b *budget, n int) {
	for {
		b.mu.Lock()
		k := len(b.waiters)
		b.mu.Unlock()
		if k >= n {
			return
		}
		runtime.Gosched()
	}
}

func TestEstimateDecodedBytes(t *testing.T) {
	j := jpegBytes(t, testImage(320, 200))
	cases := []struct {
		s    string
		want int64
	}{
		{dataURL("image/jpeg", j), 4 * 320 * 200},
		{dataURL("image/png", pngHeader(50000, 50000)), 4 * 50000 * 50000},
		{dataURL("image/png", pngBytes(t, testImage(70, 90)))[len("data:image/png;base64,"):], 4 * 70 * 90},
		{"data:image/jpeg;base64,@@@@", 0},
		{"data:image/jpeg;base64" + strings.Repeat("A", 10), 0},
		{dataURL("image/gif", []byte("GIF89a....")), 0},
		// Header not readable from the prefix of a long payload: charged the maximum.
		{"data:image/jpeg;base64," + strings.Repeat("AAAA", 40000), 1 << 30},
	}
	for i, c := range cases {
		if got := estimateDecodedBytes(c.s, 1<<30); got != c.want {
			t.Errorf("case %d: %d want %d", i, got, c.want)
		}
	}
}

// TestDecodeBudgetSerialises: with a budget that fits one image, two requests
// never analyse at the same time, and both complete.
func TestDecodeBudgetSerialises(t *testing.T) {
	var active, maxActive atomic.Int32
	gate := make(chan struct{})
	entered := make(chan struct{}, 2)
	classify := func(context.Context, image.Image, string) (any, error) {
		n := active.Add(1)
		if n > maxActive.Load() {
			maxActive.Store(n)
		}
		entered <- struct{}{}
		<-gate
		active.Add(-1)
		return map[string]string{"ClassName": "Unknown"}, nil
	}
	s, ts := newTestServer(t, Config{NoRateLimit: true, Classify: classify, MaxConcurrent: 4, DecodeBudget: 4 * 320 * 200 * 3 / 2})
	body := `{"image":"` + dataURL("image/jpeg", jpegBytes(t, testImage(320, 200))) + `"}`
	res := make(chan answer, 2)
	for i := 0; i < 2; i++ {
		go func() {
			res <- post(t, nil, ts.URL+"/v1/classification", mint(t, TokenClaims{}), testOrigin, strings.NewReader(body))
		}()
	}
	<-entered
	waitWaiters(s.budget, 1) // the second request waits for memory, not for a slot
	close(gate)
	for i := 0; i < 2; i++ {
		if a := <-res; a.Status != 200 {
			t.Fatalf("%d %s", a.Status, a.Body)
		}
	}
	if maxActive.Load() != 1 {
		t.Fatalf("%d analyses at once", maxActive.Load())
	}
}
