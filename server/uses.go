package server

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// UseStore counts how many times each token id has been used.
type UseStore interface {
	// Use adds one use of token id (which expires at exp) and returns the new count.
	Use(ctx context.Context, id string, exp time.Time) (int64, error)
	// Ping reports whether the store is reachable (for /readyz).
	Ping(ctx context.Context) error
	Close() error
}

// MemoryUses is the single-instance use counter. Entries are dropped once their
// token has expired.
type MemoryUses struct {
	mu        sync.Mutex
	m         map[string]memUse
	lastSweep time.Time
	now       func() time.Time
}

type memUse struct {
	n   int64
	exp time.Time
}

// NewMemoryUses returns an empty in-memory counter.
func NewMemoryUses() *MemoryUses {
	return &MemoryUses{m: make(map[string]memUse), now: time.Now}
}

// Use implements UseStore.
func (s *MemoryUses) Use(_ context.Context, id string, exp time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if now.Sub(s.lastSweep) > time.Minute {
		for k, v := range s.m {
			if now.After(v.exp.Add(2 * clockSkew)) {
				delete(s.m, k)
			}
		}
		s.lastSweep = now
	}
	u := s.m[id]
	u.n++
	u.exp = exp
	s.m[id] = u
	return u.n, nil
}

// Ping implements UseStore.
func (s *MemoryUses) Ping(context.Context) error { return nil }

// Close implements UseStore.
func (s *MemoryUses) Close() error { return nil }

// RedisUses counts uses in Redis so that several instances agree: one atomic
// script does INCR and, on the first use, EXPIREAT the token's expiry (+ skew).
type RedisUses struct {
	c      *redis.Client
	prefix string
}

var useScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIREAT', KEYS[1], ARGV[1]) end
return n`)

// NewRedisUses connects to a Redis URL (redis://[user:pass@]host:port/db or rediss://).
func NewRedisUses(rawURL string) (*RedisUses, error) {
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	opt.DialTimeout = 3 * time.Second
	opt.ReadTimeout = 2 * time.Second
	opt.WriteTimeout = 2 * time.Second
	opt.MaxRetries = 1
	opt.DialerRetries = 2
	return &RedisUses{c: redis.NewClient(opt), prefix: "ggcapture:uses:"}, nil
}

// Use implements UseStore.
func (s *RedisUses) Use(ctx context.Context, id string, exp time.Time) (int64, error) {
	at := exp.Add(2 * clockSkew).Unix()
	return useScript.Run(ctx, s.c, []string{s.prefix + id}, at).Int64()
}

// Ping implements UseStore.
func (s *RedisUses) Ping(ctx context.Context) error { return s.c.Ping(ctx).Err() }

// Close implements UseStore.
func (s *RedisUses) Close() error { return s.c.Close() }
