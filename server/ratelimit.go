package server

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiterSet keeps one token-bucket limiter per key (client IP or token id), with a
// bounded number of keys: idle limiters are dropped.
type limiterSet struct {
	mu      sync.Mutex
	r       rate.Limit
	burst   int
	m       map[string]*limEntry
	maxKeys int
	last    time.Time
}

type limEntry struct {
	l    *rate.Limiter
	seen time.Time
}

// newLimiterSet returns nil (no limit) when perSec <= 0.
func newLimiterSet(perSec float64, burst int) *limiterSet {
	if perSec <= 0 {
		return nil
	}
	if burst < 1 {
		burst = int(perSec*2) + 1
	}
	return &limiterSet{r: rate.Limit(perSec), burst: burst, m: make(map[string]*limEntry), maxKeys: 100000}
}

// allow reports whether one more event for key is allowed now.
func (s *limiterSet) allow(key string, now time.Time) bool {
	if s == nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.last) > time.Minute || len(s.m) >= s.maxKeys {
		// Forget limiters that have refilled completely (idle long enough).
		idle := time.Duration(float64(s.burst)/float64(s.r)*float64(time.Second)) + time.Second
		for k, e := range s.m {
			if now.Sub(e.seen) > idle {
				delete(s.m, k)
			}
		}
		s.last = now
		if len(s.m) >= s.maxKeys {
			return false
		}
	}
	e := s.m[key]
	if e == nil {
		e = &limEntry{l: rate.NewLimiter(s.r, s.burst)}
		s.m[key] = e
	}
	e.seen = now
	return e.l.AllowN(now, 1)
}
