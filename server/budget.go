package server

import (
	"context"
	"encoding/base64"
	"strings"
	"sync"

	"github.com/globalgateway/ggcapture/internal/imagein"
)

// budget is a FIFO weighted semaphore over bytes of decoded pixels in flight, so
// that a few huge (but allowed) images cannot together exhaust memory: a request
// reserves 4 x width x height per image before decoding and releases it after.
type budget struct {
	mu      sync.Mutex
	size    int64
	cur     int64
	waiters []*budgetWaiter
}

type budgetWaiter struct {
	n     int64
	ready chan struct{}
}

func newBudget(size int64) *budget { return &budget{size: size} }

// acquire reserves n (clamped to the budget size, so one image alone always
// fits) and returns the amount to release.
func (b *budget) acquire(ctx context.Context, n int64) (int64, error) {
	if n > b.size {
		n = b.size
	}
	if n < 0 {
		n = 0
	}
	b.mu.Lock()
	if len(b.waiters) == 0 && b.cur+n <= b.size {
		b.cur += n
		b.mu.Unlock()
		return n, nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return n, nil
	case <-ctx.Done():
		b.mu.Lock()
		defer b.mu.Unlock()
		select {
		case <-w.ready: // granted just now: give it back
			b.cur -= n
		default:
			for i, x := range b.waiters {
				if x == w {
					b.waiters = append(b.waiters[:i], b.waiters[i+1:]...)
					break
				}
			}
		}
		b.grant()
		return 0, ctx.Err()
	}
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	b.cur -= n
	b.grant()
	b.mu.Unlock()
}

// grant wakes waiters in order while they fit. Called with mu held.
func (b *budget) grant() {
	for len(b.waiters) > 0 {
		w := b.waiters[0]
		if b.cur+w.n > b.size {
			return
		}
		b.cur += w.n
		close(w.ready)
		b.waiters = b.waiters[1:]
	}
}

// prefixBytes is how much of an image file is base64-decoded to read its
// header for the budget (JPEG SOF usually sits in the first few KB; a JPEG
// whose SOF lies beyond this is charged the maximum).
const prefixBytes = 96 << 10

// estimateDecodedBytes returns 4 x width x height of the image in a data URL (or
// bare base64) from a decoded prefix and imagein.Inspect (header only), or max
// when the header cannot be read from the prefix. It never decodes pixels.
func estimateDecodedBytes(s string, max int64) int64 {
	payload := s
	if len(s) >= 5 && strings.EqualFold(s[:5], "data:") {
		i := strings.IndexByte(s, ',')
		if i < 0 {
			return 0 // imagein will refuse it
		}
		payload = s[i+1:]
	}
	n := len(payload)
	if want := (prefixBytes / 3) * 4; n > want {
		n = want
	}
	n -= n % 4
	data, err := base64.StdEncoding.DecodeString(payload[:n])
	if err != nil {
		return 0 // invalid base64: imagein will refuse it before decoding
	}
	info, err := imagein.Inspect(data, imagein.Limits{MaxBytes: -1, MaxPixels: -1, MinWidth: -1, MinHeight: -1})
	if err != nil || info.Width <= 0 || info.Height <= 0 {
		if len(payload) == n {
			return 0 // the whole file was read and refused: imagein will refuse it too
		}
		return max
	}
	return 4 * int64(info.Width) * int64(info.Height)
}
