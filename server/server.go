// Package server is the GlobalGateway capture service (ggcapture serve): it mints
// origin-bound SDK tokens, checks them on every classification and liveness call,
// runs the classify and liveness packages on the posted image, signs the verdict,
// and serves the SDK files and the sample pages. Images are held in memory only;
// they are never written to disk or to a log line.
package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
)

// Config configures a Server. Zero fields take the documented defaults.
type Config struct {
	PublicDir   string // default "public/GlobalGatewayCapturePublic"
	ExamplesDir string // default "examples"
	CascadesDir string // default PublicDir + "/cascade"
	// TemplatesDir holds extra document templates (JSON files made by
	// `ggcapture templates add`), merged over the built-in library. Empty =
	// the built-in library only.
	TemplatesDir string

	// Dev enables GET /examples/dev-token.js and allows a random SigningKey.
	Dev bool
	// SigningKey is the HS256 key for SDK tokens (>= 32 bytes). Required unless Dev.
	SigningKey []byte
	// OldSigningKeys are still accepted for verification (key rotation: keep the
	// previous key here for up to 24 h, the longest token lifetime).
	OldSigningKeys [][]byte
	// APIKeys authorise POST /v1/sdk-tokens. None = the endpoint answers 401.
	APIKeys []string
	// ResultKey signs results (Ed25519). Nil = a random key per process.
	ResultKey ed25519.PrivateKey
	// Uses counts token uses; nil = in memory.
	Uses UseStore

	MaxBodyBytes  int64         // default 15 MB
	MaxPixels     int           // default 40 000 000
	MaxFrames     int           // liveness frames per request, default 10
	DecodeTimeout time.Duration // default 10 s
	// MaxConcurrent bounds image decodes + analyses running at once
	// (default max(2, GOMAXPROCS)); others wait before their body is
	// read, so memory stays bounded (about MaxConcurrent x 3 x MaxBodyBytes plus
	// the decoded images).
	MaxConcurrent int
	// DecodeBudget bounds the decoded pixels in flight, in bytes at 4 bytes per
	// pixel (default 256 MB; one image alone always fits). Requests wait for it
	// after reading their image's header, before decoding.
	DecodeBudget int64
	// QueueTimeout is how long a request may wait for a slot before it is
	// answered 503 (default 60 s).
	QueueTimeout time.Duration
	// Rate limits (events per second; <= 0 disables). Defaults: per IP 20/s
	// burst 40, per token 5/s burst 10.
	RateIP, RateToken   float64
	BurstIP, BurstToken int
	// NoRateLimit disables both rate limits (load tests).
	NoRateLimit bool
	// ClientIPHeader names a header set by a trusted proxy (e.g. X-Forwarded-For;
	// its last entry is used) for per-IP limits. Empty = the connection's address.
	ClientIPHeader string
	// CORSOrigins, when set, restricts CORS preflights to these origins (exact or
	// wildcard, like token domains). Empty = preflights are answered for any
	// http(s) origin, since the token decides on the actual request.
	CORSOrigins []string

	// Classify and Liveness override the analysis (tests). Nil = the classify and
	// liveness packages.
	Classify ClassifyFunc
	Liveness LivenessFunc

	Logger *slog.Logger
	Now    func() time.Time
}

// ClassifyFunc answers the classification object for a decoded document image.
type ClassifyFunc func(ctx context.Context, img image.Image, captureType string) (any, error)

// LivenessFunc answers the liveness object for a decoded selfie (+ optional frames).
type LivenessFunc func(ctx context.Context, img image.Image, frames []image.Image) (any, error)

// Server is the capture service.
type Server struct {
	cfg      Config
	log      *slog.Logger
	uses     UseStore
	signer   *resultSigner
	metrics  *metrics
	ipLim    *limiterSet
	tokLim   *limiterSet
	sem      chan struct{}
	corsDoms []string
	mux      *http.ServeMux
	ready    atomic.Bool
	// accepted/completed count /v1 analysis requests that passed the token checks
	// and whose answer was fully written (graceful shutdown tests).
	accepted, completed atomic.Int64
	verifyKeys          [][]byte
	budget              *budget
	// livenessErr says why liveness is unavailable ("" when it is).
	livenessErr string
}

// New checks the configuration, loads the analysers and returns a ready Server.
func New(cfg Config) (*Server, error) {
	if cfg.PublicDir == "" {
		cfg.PublicDir = "public/GlobalGatewayCapturePublic"
	}
	if cfg.ExamplesDir == "" {
		cfg.ExamplesDir = "examples"
	}
	if cfg.CascadesDir == "" {
		cfg.CascadesDir = strings.TrimSuffix(cfg.PublicDir, "/") + "/cascade"
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 15 << 20
	}
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = 40_000_000
	}
	if cfg.MaxFrames <= 0 {
		cfg.MaxFrames = 10
	}
	if cfg.DecodeTimeout <= 0 {
		cfg.DecodeTimeout = 10 * time.Second
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = max(2, runtime.GOMAXPROCS(0))
	}
	if cfg.DecodeBudget <= 0 {
		cfg.DecodeBudget = 256 << 20
	}
	if cfg.QueueTimeout <= 0 {
		cfg.QueueTimeout = 60 * time.Second
	}
	if cfg.RateIP == 0 {
		cfg.RateIP, cfg.BurstIP = 20, 40
	}
	if cfg.RateToken == 0 {
		cfg.RateToken, cfg.BurstToken = 5, 10
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if len(cfg.SigningKey) == 0 {
		if !cfg.Dev {
			return nil, errors.New("no signing key: set --signing-key / GGCAPTURE_SIGNING_KEY (or use --dev)")
		}
		cfg.SigningKey = make([]byte, 32)
		if _, err := rand.Read(cfg.SigningKey); err != nil {
			return nil, err
		}
	}
	if len(cfg.SigningKey) < MinSigningKeyLen {
		return nil, fmt.Errorf("signing key too short: %d bytes, need %d", len(cfg.SigningKey), MinSigningKeyLen)
	}
	for _, k := range cfg.OldSigningKeys {
		if len(k) < MinSigningKeyLen {
			return nil, fmt.Errorf("old signing key too short: %d bytes, need %d", len(k), MinSigningKeyLen)
		}
	}
	for _, k := range cfg.APIKeys {
		if len(k) < 16 {
			return nil, errors.New("API keys must be at least 16 characters")
		}
	}
	s := &Server{cfg: cfg, log: cfg.Logger, metrics: newMetrics()}
	s.verifyKeys = append([][]byte{cfg.SigningKey}, cfg.OldSigningKeys...)
	for _, o := range cfg.CORSOrigins {
		n, err := NormalizeOrigin(o)
		if err != nil {
			return nil, fmt.Errorf("cors origin: %w", err)
		}
		s.corsDoms = append(s.corsDoms, n)
	}
	signer, err := newResultSigner(cfg.ResultKey)
	if err != nil {
		return nil, err
	}
	s.signer = signer
	s.uses = cfg.Uses
	if s.uses == nil {
		s.uses = NewMemoryUses()
	}
	if !cfg.NoRateLimit {
		s.ipLim = newLimiterSet(cfg.RateIP, cfg.BurstIP)
		s.tokLim = newLimiterSet(cfg.RateToken, cfg.BurstToken)
	}
	s.sem = make(chan struct{}, cfg.MaxConcurrent)
	s.budget = newBudget(cfg.DecodeBudget)
	if err := s.loadAnalysers(); err != nil {
		return nil, err
	}
	s.routes()
	s.ready.Store(true)
	return s, nil
}

// SigningKey returns the token signing key in use (random in dev mode unless set).
func (s *Server) SigningKey() []byte { return s.cfg.SigningKey }

// ResultPublicKey returns the public key that verifies result signatures.
func (s *Server) ResultPublicKey() ed25519.PublicKey {
	return s.signer.priv.Public().(ed25519.PublicKey)
}

// Stats returns how many analysis requests passed the token checks and how many
// of those were answered completely.
func (s *Server) Stats() (accepted, completed int64) {
	return s.accepted.Load(), s.completed.Load()
}

// Close releases the use store.
func (s *Server) Close() error { return s.uses.Close() }

// Handler returns the service's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

func (s *Server) routes() {
	m := http.NewServeMux()
	static := func(prefix, dir string) http.Handler { return &staticDir{dir: dir, prefix: prefix} }
	m.Handle("/GlobalGatewayCapturePublic/", s.wrap("static", static("/GlobalGatewayCapturePublic/", s.cfg.PublicDir)))
	m.Handle("/examples/", s.wrap("static", static("/examples/", s.cfg.ExamplesDir)))
	m.Handle("GET /examples/dev-token.js", s.wrap("dev-token", http.HandlerFunc(s.devToken)))
	m.Handle("/{$}", s.wrap("root", http.RedirectHandler("/examples/", http.StatusFound)))
	m.Handle("POST /v1/sdk-tokens", s.wrap("sdk-tokens", http.HandlerFunc(s.mintHandler)))
	m.Handle("/v1/classification", s.wrap("classification", s.analysisHandler("classification")))
	m.Handle("/v1/liveness-check", s.wrap("liveness-check", s.analysisHandler("liveness")))
	m.Handle("GET /v1/keys", s.wrap("keys", http.HandlerFunc(s.keysHandler)))
	m.Handle("GET /healthz", s.wrap("healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})))
	m.Handle("GET /readyz", s.wrap("readyz", http.HandlerFunc(s.readyHandler)))
	m.Handle("GET /metrics", s.wrap("metrics", s.metrics))
	m.Handle("/", s.wrap("other", http.HandlerFunc(http.NotFound)))
	s.mux = m
}

// statusWriter records the status and SDK code of an answer.
type statusWriter struct {
	http.ResponseWriter
	status  int
	code    int
	wrote   bool
	tokenID string
}

func (w *statusWriter) WriteHeader(c int) {
	if !w.wrote {
		w.status, w.wrote = c, true
	}
	w.ResponseWriter.WriteHeader(c)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap adds security headers, panic recovery, metrics and the access log.
func (s *Server) wrap(endpoint string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		s.metrics.addInflight(1)
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic in handler", "endpoint", endpoint, "panic", fmt.Sprint(p))
				if !sw.wrote {
					writeError(sw, errf(http.StatusInternalServerError, CodeFailToProcess, "internal error"))
				}
			}
			s.metrics.addInflight(-1)
			d := time.Since(start)
			st := sw.status
			if st == 0 {
				st = http.StatusOK
			}
			s.metrics.observe(endpoint, st, sw.code, d)
			if endpoint != "static" && endpoint != "healthz" && endpoint != "metrics" && endpoint != "readyz" || st >= 400 {
				attrs := []any{"method", r.Method, "path", r.URL.Path, "endpoint", endpoint, "status", st,
					"ms", float64(d.Microseconds()) / 1000}
				if sw.code != 0 {
					attrs = append(attrs, "code", sw.code)
				}
				if sw.tokenID != "" {
					attrs = append(attrs, "token_id", sw.tokenID)
				}
				s.log.Info("request", attrs...)
			}
		}()
		h.ServeHTTP(sw, r)
	})
}

func (s *Server) readyHandler(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if !s.ready.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if err := s.uses.Ping(ctx); err != nil {
		http.Error(w, "use store unreachable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ready\n"))
}

func (s *Server) keysHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, struct {
		Keys []JWK `json:"keys"`
	}{[]JWK{s.signer.jwk()}})
}

// HTTPServer returns an http.Server for the handler with the service's timeouts.
func (s *Server) HTTPServer(tlsCfg *tls.Config) *http.Server {
	return &http.Server{
		Handler:           s.Handler(),
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: 10 * time.Second,
		// Analysis requests get fresh read/write deadlines once admitted
		// (see analyse); these bound everything else.
		ReadTimeout:    60 * time.Second,
		WriteTimeout:   90 * time.Second,
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Serve serves on ln (TLS when tlsCfg is not nil) until ctx is cancelled, then
// stops accepting, marks itself not ready and waits up to grace for in-flight
// requests to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, tlsCfg *tls.Config, grace time.Duration) error {
	hs := s.HTTPServer(tlsCfg)
	errc := make(chan error, 1)
	go func() {
		if tlsCfg != nil {
			errc <- hs.ServeTLS(ln, "", "")
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.ready.Store(false)
	s.log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	acc, done := s.Stats()
	s.log.Info("stopped", "accepted", acc, "completed", done)
	return err
}
