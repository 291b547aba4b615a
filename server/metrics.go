package server

import (
	"bufio"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// latency histogram bucket upper bounds in seconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type metricKey struct {
	endpoint string
	status   int
	code     int // SDK ErrorCode, 0 for success
}

type histogram struct {
	counts []uint64 // per bucket (not cumulative), len(latencyBuckets)+1
	sum    float64
	n      uint64
}

// metrics are written by hand in the Prometheus text exposition format.
type metrics struct {
	mu       sync.Mutex
	requests map[metricKey]uint64
	latency  map[string]*histogram
	inflight int64
	uses     map[string]uint64 // outcome of use counting: "ok", "exhausted", "error"
}

func newMetrics() *metrics {
	return &metrics{requests: map[metricKey]uint64{}, latency: map[string]*histogram{}, uses: map[string]uint64{}}
}

func (m *metrics) observe(endpoint string, status, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[metricKey{endpoint, status, code}]++
	h := m.latency[endpoint]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.latency[endpoint] = h
	}
	s := d.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, s)
	h.counts[i]++
	h.sum += s
	h.n++
}

func (m *metrics) addInflight(d int64) {
	m.mu.Lock()
	m.inflight += d
	m.mu.Unlock()
}

func (m *metrics) use(outcome string) {
	m.mu.Lock()
	m.uses[outcome]++
	m.mu.Unlock()
}

func (m *metrics) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriter(w)
	m.write(bw)
	bw.Flush()
}

func (m *metrics) write(w *bufio.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([]metricKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.endpoint != b.endpoint {
			return a.endpoint < b.endpoint
		}
		if a.status != b.status {
			return a.status < b.status
		}
		return a.code < b.code
	})
	fmt.Fprintln(w, "# HELP ggcapture_requests_total HTTP requests by endpoint, HTTP status and SDK error code (0 = success).")
	fmt.Fprintln(w, "# TYPE ggcapture_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "ggcapture_requests_total{endpoint=%q,status=\"%d\",code=\"%d\"} %d\n", k.endpoint, k.status, k.code, m.requests[k])
	}
	eps := make([]string, 0, len(m.latency))
	for e := range m.latency {
		eps = append(eps, e)
	}
	sort.Strings(eps)
	fmt.Fprintln(w, "# HELP ggcapture_request_duration_seconds Request latency by endpoint.")
	fmt.Fprintln(w, "# TYPE ggcapture_request_duration_seconds histogram")
	for _, e := range eps {
		h := m.latency[e]
		var cum uint64
		for i, ub := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "ggcapture_request_duration_seconds_bucket{endpoint=%q,le=%q} %d\n", e, strconv.FormatFloat(ub, 'g', -1, 64), cum)
		}
		cum += h.counts[len(latencyBuckets)]
		fmt.Fprintf(w, "ggcapture_request_duration_seconds_bucket{endpoint=%q,le=\"+Inf\"} %d\n", e, cum)
		fmt.Fprintf(w, "ggcapture_request_duration_seconds_sum{endpoint=%q} %g\n", e, h.sum)
		fmt.Fprintf(w, "ggcapture_request_duration_seconds_count{endpoint=%q} %d\n", e, h.n)
	}
	fmt.Fprintln(w, "# HELP ggcapture_inflight_requests Requests being served now.")
	fmt.Fprintln(w, "# TYPE ggcapture_inflight_requests gauge")
	fmt.Fprintf(w, "ggcapture_inflight_requests %d\n", m.inflight)
	fmt.Fprintln(w, "# HELP ggcapture_token_uses_total Use-count checks by outcome.")
	fmt.Fprintln(w, "# TYPE ggcapture_token_uses_total counter")
	for _, o := range []string{"error", "exhausted", "ok"} {
		fmt.Fprintf(w, "ggcapture_token_uses_total{outcome=%q} %d\n", o, m.uses[o])
	}
}
