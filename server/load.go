package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// LoadConfig describes a bounded load run against one endpoint.
type LoadConfig struct {
	BaseURL  string // e.g. http://127.0.0.1:8080
	Path     string // default /v1/classification
	Token    string
	Origin   string
	Body     []byte
	Clients  int           // concurrent clients, default 200
	Duration time.Duration // default 30 s; the run also ends when ctx ends
	Client   *http.Client  // default: a transport keeping one connection per client
	// OnAnswer, if set, is called after every answer (e.g. to trigger a
	// shutdown after N answers).
	OnAnswer func(n int64)
}

// LoadResult is what a load run measured.
type LoadResult struct {
	Requests int64            // answers received (any status) + transport errors
	OK       int64            // 200 answers
	Errors   map[string]int64 // by "HTTP status/ErrorCode" or "transport"
	Elapsed  time.Duration
	// Latency percentiles of the 200 answers.
	P50, P95, P99, Max time.Duration
}

// Throughput is 200 answers per second.
func (r LoadResult) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

func (r LoadResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "requests %d, ok %d, errors %d, %.1f s, %.1f req/s, latency p50 %s p95 %s p99 %s max %s",
		r.Requests, r.OK, r.Requests-r.OK, r.Elapsed.Seconds(), r.Throughput(),
		r.P50.Round(100*time.Microsecond), r.P95.Round(100*time.Microsecond), r.P99.Round(100*time.Microsecond), r.Max.Round(100*time.Microsecond))
	if len(r.Errors) > 0 {
		keys := make([]string, 0, len(r.Errors))
		for k := range r.Errors {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(", errors by kind:")
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%d", k, r.Errors[k])
		}
	}
	return b.String()
}

// RunLoad runs cfg.Clients clients, each sending requests back to back until
// cfg.Duration has passed or ctx ends, and reports counts and latencies.
func RunLoad(ctx context.Context, cfg LoadConfig) LoadResult {
	if cfg.Path == "" {
		cfg.Path = "/v1/classification"
	}
	if cfg.Clients <= 0 {
		cfg.Clients = 200
	}
	if cfg.Duration <= 0 {
		cfg.Duration = 30 * time.Second
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Clients, MaxIdleConns: cfg.Clients}}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var (
		mu    sync.Mutex
		res   = LoadResult{Errors: map[string]int64{}}
		lats  []time.Duration
		wg    sync.WaitGroup
		count int64
	)
	url := strings.TrimSuffix(cfg.BaseURL, "/") + cfg.Path
	start := time.Now()
	for i := 0; i < cfg.Clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			local := map[string]int64{}
			var n, ok int64
			for ctx.Err() == nil {
				req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(cfg.Body))
				if err != nil {
					local["bad request"]++
					break
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("token", cfg.Token)
				req.Header.Set("Origin", cfg.Origin)
				t0 := time.Now()
				resp, err := client.Do(req)
				n++
				if err != nil {
					local["transport"]++
				} else {
					body, rerr := io.ReadAll(resp.Body)
					resp.Body.Close()
					switch {
					case rerr != nil:
						local["transport"]++
					case resp.StatusCode == http.StatusOK:
						ok++
						mine = append(mine, time.Since(t0))
					default:
						code := 0
						if i := bytes.Index(body, []byte(`"ErrorCode":`)); i >= 0 {
							fmt.Sscanf(string(body[i+len(`"ErrorCode":`):]), "%d", &code)
						}
						local[fmt.Sprintf("%d/%d", resp.StatusCode, code)]++
					}
				}
				if cfg.OnAnswer != nil {
					mu.Lock()
					count++
					c := count
					mu.Unlock()
					cfg.OnAnswer(c)
				}
				if err != nil && ctx.Err() == nil {
					// A refused connection (server gone) ends this client.
					if strings.Contains(err.Error(), "connection refused") {
						break
					}
				}
			}
			mu.Lock()
			res.Requests += n
			res.OK += ok
			for k, v := range local {
				res.Errors[k] += v
			}
			lats = append(lats, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	pct := func(p float64) time.Duration {
		if len(lats) == 0 {
			return 0
		}
		i := int(p*float64(len(lats))+0.5) - 1
		return lats[min(max(i, 0), len(lats)-1)]
	}
	res.P50, res.P95, res.P99 = pct(0.50), pct(0.95), pct(0.99)
	if len(lats) > 0 {
		res.Max = lats[len(lats)-1]
	}
	return res
}
