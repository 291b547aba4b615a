package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/globalgateway/ggcapture/server"
)

// keyFlags are the settings shared by serve and token.
type keyFlags struct {
	signingKey string
}

func (k *keyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&k.signingKey, "signing-key", "", "HS256 key for SDK tokens: base64 or raw, >= 32 bytes (env GGCAPTURE_SIGNING_KEY)")
}

func (k *keyFlags) key() []byte {
	if k.signingKey == "" {
		return nil
	}
	return server.ParseKey(k.signingKey, server.MinSigningKeyLen)
}

type serveFlags struct {
	keyFlags
	addr, cert, keyFile                   string
	dev                                   bool
	public, examples, cascades, templates string
	apiKeys, corsOrigins                  listFlag
	oldKeys                               listFlag
	resultKey, redisURL                   string
	maxBody                               int64
	decodeBudget                          int64
	maxPixels, maxConcurrent              int
	maxFrames                             int
	decodeTimeout, grace                  time.Duration
	queueTimeout                          time.Duration
	rateIP, rateToken                     float64
	burstIP, burstToken                   int
	clientIPHeader                        string
	logFormat, logLevel                   string
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	f.keyFlags.register(fs)
	fs.StringVar(&f.addr, "addr", ":8443", "listen address (host:port; port 0 = any free port)")
	fs.BoolVar(&f.dev, "dev", false, "development mode: self-signed localhost certificate (unless --cert), random signing key (unless set), /examples/dev-token.js")
	fs.StringVar(&f.cert, "cert", "", "TLS certificate file (PEM); with --key serves HTTPS")
	fs.StringVar(&f.keyFile, "key", "", "TLS private key file (PEM)")
	fs.StringVar(&f.public, "public", "public/GlobalGatewayCapturePublic", "directory served at /GlobalGatewayCapturePublic/")
	fs.StringVar(&f.examples, "examples", "examples", "directory served at /examples/")
	fs.StringVar(&f.cascades, "cascades", "", "directory with the pigo cascades facefinder and puploc (default <public>/cascade)")
	fs.StringVar(&f.templates, "templates", "", "directory of extra document templates (from `ggcapture templates add`), merged over the built-in library")
	fs.Var(&f.oldKeys, "old-signing-keys", "comma-separated previous signing keys still accepted (key rotation; env GGCAPTURE_OLD_SIGNING_KEYS)")
	fs.Var(&f.apiKeys, "api-keys", "comma-separated API keys allowed to POST /v1/sdk-tokens (env GGCAPTURE_API_KEYS)")
	fs.Var(&f.corsOrigins, "cors-origins", "restrict CORS preflights to these origins (comma-separated, *.domain allowed); default: any, the token decides")
	fs.StringVar(&f.resultKey, "result-key", "", "Ed25519 key signing results: base64 of a 32-byte seed (default: random per process)")
	fs.StringVar(&f.redisURL, "redis", "", "Redis URL for shared token use counts, e.g. redis://127.0.0.1:6379/0 (default: in memory)")
	fs.Int64Var(&f.maxBody, "max-body", 15<<20, "maximum request body in bytes")
	fs.IntVar(&f.maxPixels, "max-pixels", 40_000_000, "maximum image size in pixels (checked from the header before decoding)")
	fs.Int64Var(&f.decodeBudget, "decode-budget", 256<<20, "bytes of decoded pixels (4 per pixel) in flight at once; requests wait for it before decoding")
	fs.IntVar(&f.maxFrames, "max-frames", 10, "liveness burst frames accepted per request")
	fs.IntVar(&f.maxConcurrent, "max-concurrent", 0, "image decodes/analyses at once (default 2 x CPUs)")
	fs.DurationVar(&f.decodeTimeout, "decode-timeout", 10*time.Second, "time limit for decoding + analysing one request")
	fs.DurationVar(&f.queueTimeout, "queue-timeout", 60*time.Second, "how long a request may wait for an analysis slot before a 503")
	fs.DurationVar(&f.grace, "grace", 30*time.Second, "on SIGTERM/SIGINT, how long to wait for in-flight requests")
	fs.Float64Var(&f.rateIP, "rate-ip", 20, "analysis requests per second per client IP (0 = off)")
	fs.IntVar(&f.burstIP, "burst-ip", 40, "burst for --rate-ip")
	fs.Float64Var(&f.rateToken, "rate-token", 5, "analysis requests per second per token (0 = off)")
	fs.IntVar(&f.burstToken, "burst-token", 10, "burst for --rate-token")
	fs.StringVar(&f.clientIPHeader, "client-ip-header", "", "header set by a trusted proxy carrying the client IP (last entry used), e.g. X-Forwarded-For")
	fs.StringVar(&f.logFormat, "log-format", "json", "log format: json or text (logs go to stderr)")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn, error")
}

func newLogger(format, level string, w io.Writer) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("bad --log-level %q", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("bad --log-format %q (json or text)", format)
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ggcapture serve", flag.ContinueOnError)
	var f serveFlags
	f.register(fs)
	if rc := parseFlags(fs, args, stderr); rc >= 0 {
		return rc
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ggcapture serve: unexpected arguments %q\n", fs.Args())
		return 2
	}
	log, err := newLogger(f.logFormat, f.logLevel, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "ggcapture serve:", err)
		return 2
	}
	if err := serve(ctx, &f, log, stdout); err != nil {
		fmt.Fprintln(stderr, "ggcapture serve:", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, f *serveFlags, log *slog.Logger, stdout io.Writer) error {
	cfg := server.Config{
		PublicDir:      f.public,
		ExamplesDir:    f.examples,
		CascadesDir:    f.cascades,
		TemplatesDir:   f.templates,
		Dev:            f.dev,
		SigningKey:     f.key(),
		APIKeys:        f.apiKeys,
		OldSigningKeys: parseKeys(f.oldKeys),
		CORSOrigins:    f.corsOrigins,
		MaxBodyBytes:   f.maxBody,
		MaxPixels:      f.maxPixels,
		MaxConcurrent:  f.maxConcurrent,
		MaxFrames:      f.maxFrames,
		DecodeBudget:   f.decodeBudget,
		DecodeTimeout:  f.decodeTimeout,
		QueueTimeout:   f.queueTimeout,
		RateIP:         f.rateIP,
		BurstIP:        f.burstIP,
		RateToken:      f.rateToken,
		BurstToken:     f.burstToken,
		ClientIPHeader: f.clientIPHeader,
		Logger:         log,
	}
	if cfg.RateIP == 0 {
		cfg.RateIP = -1
	}
	if cfg.RateToken == 0 {
		cfg.RateToken = -1
	}
	if f.resultKey != "" {
		k, err := server.ParseResultKey(f.resultKey)
		if err != nil {
			return err
		}
		cfg.ResultKey = k
	} else {
		log.Warn("no --result-key: result signatures use a random key for this process; set one when running several instances")
	}
	if f.dev && f.signingKey == "" {
		log.Warn("dev mode: random token signing key (tokens from `ggcapture token` will not verify)")
	}
	if f.redisURL != "" {
		u, err := server.NewRedisUses(f.redisURL)
		if err != nil {
			return fmt.Errorf("--redis: %w", err)
		}
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = u.Ping(pctx)
		cancel()
		if err != nil {
			return fmt.Errorf("--redis: %w", err)
		}
		cfg.Uses = u
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	defer srv.Close()

	var tlsCfg *tls.Config
	switch {
	case f.cert != "" || f.keyFile != "":
		if f.cert == "" || f.keyFile == "" {
			return errors.New("--cert and --key go together")
		}
		c, err := tls.LoadX509KeyPair(f.cert, f.keyFile)
		if err != nil {
			return err
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{c}, MinVersion: tls.VersionTLS12}
	case f.dev:
		c, err := server.DevCertificate()
		if err != nil {
			return err
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{c}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	fmt.Fprintf(stdout, "ggcapture: serving %s://localhost:%s/examples/\n", scheme, port)
	if fl, ok := stdout.(interface{ Sync() error }); ok {
		fl.Sync()
	}
	log.Info("listening", "addr", ln.Addr().String(), "scheme", scheme, "dev", f.dev,
		"public", f.public, "examples", f.examples, "uses", usesKind(f.redisURL), "api_keys", len(f.apiKeys))
	sctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return srv.Serve(sctx, ln, tlsCfg, f.grace)
}

func parseKeys(l []string) [][]byte {
	var out [][]byte
	for _, k := range l {
		out = append(out, server.ParseKey(k, server.MinSigningKeyLen))
	}
	return out
}

func usesKind(redisURL string) string {
	if redisURL == "" {
		return "memory"
	}
	return "redis"
}

func cmdToken(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ggcapture token", flag.ContinueOnError)
	var k keyFlags
	k.register(fs)
	var domains listFlag
	fs.Var(&domains, "domain", "allowed origin, e.g. https://shop.example or https://*.example.com (repeatable, comma-separated)")
	ttl := fs.Duration("ttl", server.DefaultTokenTTL, "token lifetime (max 24h)")
	maxUses := fs.Int("max-uses", 0, "classification/liveness calls allowed (0 = no limit)")
	id := fs.String("id", "", "token id (default: a fresh UUID)")
	if rc := parseFlags(fs, args, stderr); rc >= 0 {
		return rc
	}
	key := k.key()
	if key == nil {
		fmt.Fprintln(stderr, "ggcapture token: no signing key: set --signing-key or GGCAPTURE_SIGNING_KEY")
		return 2
	}
	if len(domains) == 0 {
		fmt.Fprintln(stderr, "ggcapture token: need at least one --domain")
		return 2
	}
	if *ttl <= 0 || *ttl > server.MaxTokenTTL {
		fmt.Fprintln(stderr, "ggcapture token: --ttl must be between 1s and 24h")
		return 2
	}
	tok, err := server.MintToken(key, server.TokenClaims{Domains: domains, Expires: time.Now().Add(*ttl), MaxUses: *maxUses, ID: strings.TrimSpace(*id)})
	if err != nil {
		fmt.Fprintln(stderr, "ggcapture token:", err)
		return 1
	}
	fmt.Fprintln(stdout, tok)
	return 0
}
