package server

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/globalgateway/ggcapture/internal/imagein"
)

// bodyReadTimeout bounds reading an analysis request body once it is admitted.
const bodyReadTimeout = 30 * time.Second

// analysisRequest is the body of /v1/classification and /v1/liveness-check.
// Unknown fields are ignored (forward compatibility with newer SDKs); known
// fields must have the right JSON types.
type analysisRequest struct {
	Image        *string  `json:"image"`
	IsFrontImage *bool    `json:"isFrontImage"`
	CaptureType  string   `json:"captureType"`
	Frames       []string `json:"frames"`
}

// decodeAnalysisRequest reads one JSON object (nothing after it) of at most
// limit bytes. Errors are *httpError-typed (413 when over the limit, 400 else).
// sizeHint is the Content-Length (-1 = unknown).
func decodeAnalysisRequest(r io.Reader, sizeHint, limit int64) (*analysisRequest, error) {
	body, herr := readBody(r, sizeHint, limit)
	if herr != nil {
		return nil, herr
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errf(http.StatusBadRequest, CodeMissingImage, "empty request body")
	}
	var req analysisRequest
	if err := json.Unmarshal(body, &req); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, errf(http.StatusBadRequest, CodeFailToProcess, "wrong JSON type for field "+strconv.Quote(te.Field))
		}
		return nil, errf(http.StatusBadRequest, CodeFailToProcess, "malformed JSON body")
	}
	return &req, nil
}

// readBody reads at most limit bytes into one exactly sized slice: with a known
// length in one allocation, else in 1 MB chunks joined at the end (no doubling
// growth, so a body costs its own size, not up to twice that).
func readBody(r io.Reader, sizeHint, limit int64) ([]byte, *httpError) {
	tooLarge := errf(http.StatusRequestEntityTooLarge, CodeFileSizeOverLimit, "request body over the size limit")
	readErr := func(err error) *httpError {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return errf(http.StatusBadRequest, CodeFailToProcess, "could not read the request body")
	}
	if sizeHint >= 0 && sizeHint <= limit {
		b := make([]byte, sizeHint)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, readErr(err)
		}
		return b, nil
	}
	var chunks [][]byte
	var total int64
	for {
		c := make([]byte, 1<<20)
		n, err := io.ReadFull(r, c)
		total += int64(n)
		if total > limit {
			return nil, tooLarge
		}
		if n > 0 {
			chunks = append(chunks, c[:n])
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, readErr(err)
		}
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}

// requestOrigin is the caller's origin: the Origin header, else the origin of the
// Referer. Empty when neither is usable.
func requestOrigin(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		return o
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		if u, err := url.Parse(ref); err == nil && u.Scheme != "" && u.Host != "" {
			return u.Scheme + "://" + u.Host
		}
	}
	return ""
}

// setCORS echoes a well-formed Origin so the SDK can read the answer. Successful
// answers only ever reach an origin the token allows (others get 1011 first);
// error answers are readable so the SDK can show the right code.
func setCORS(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Add("Vary", "Origin")
	o := r.Header.Get("Origin")
	if o == "" {
		return
	}
	if _, err := NormalizeOrigin(o); err != nil {
		return
	}
	h.Set("Access-Control-Allow-Origin", o)
}

func (s *Server) preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Add("Vary", "Origin")
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	o := r.Header.Get("Origin")
	n, err := NormalizeOrigin(o)
	if o == "" || err != nil || (len(s.corsDoms) > 0 && !OriginAllowed(s.corsDoms, n)) {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	if m := r.Header.Get("Access-Control-Request-Method"); m != "" && m != http.MethodPost {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	h.Set("Access-Control-Allow-Origin", o)
	h.Set("Access-Control-Allow-Methods", "POST")
	h.Set("Access-Control-Allow-Headers", "token, content-type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.ClientIPHeader != "" {
		if v := r.Header.Get(s.cfg.ClientIPHeader); v != "" {
			parts := strings.Split(v, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// analysisHandler serves /v1/classification (kind "classification") and
// /v1/liveness-check (kind "liveness").
func (s *Server) analysisHandler(kind string) http.Handler {
	failCode := CodeClassifyFailed
	if kind == "liveness" {
		failCode = CodeLivenessFailed
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			s.preflight(w, r)
			return
		}
		setCORS(w, r)
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST, OPTIONS")
			writeError(w, errf(http.StatusMethodNotAllowed, CodeFailToProcess, "method not allowed"))
			return
		}
		res, herr := s.analyse(w, r, kind, failCode)
		if herr != nil {
			writeError(w, herr)
			return
		}
		writeRawJSON(w, http.StatusOK, res)
		s.completed.Add(1)
	})
}

func (s *Server) analyse(w http.ResponseWriter, r *http.Request, kind string, failCode int) ([]byte, *httpError) {
	now := s.cfg.Now()
	// 1. Token (1008, 1009).
	tc, err := VerifyTokenKeys(s.verifyKeys, r.Header.Get("token"), now)
	if err != nil {
		var te *TokenError
		errors.As(err, &te)
		return nil, errf(http.StatusUnauthorized, te.Code, te.Msg)
	}
	if sw, ok := w.(*statusWriter); ok {
		sw.tokenID = tc.ID
	}
	// 2. Origin (1011).
	origin := requestOrigin(r)
	if origin == "" {
		return nil, errf(http.StatusForbidden, CodeInvalidOrigin, "no Origin or Referer header")
	}
	if !OriginAllowed(tc.Domains, origin) {
		return nil, errf(http.StatusForbidden, CodeInvalidOrigin, "origin not allowed for this token")
	}
	// 3. Rate limits (429).
	if !s.ipLim.allow(s.clientIP(r), now) || !s.tokLim.allow(tc.ID, now) {
		w.Header().Set("Retry-After", "1")
		return nil, errf(http.StatusTooManyRequests, failCode, "too many requests, retry shortly")
	}
	// 4. From here on at most MaxConcurrent requests hold a body in memory.
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return nil, errf(http.StatusRequestEntityTooLarge, CodeFileSizeOverLimit, "request body over the size limit")
	}
	queue := time.NewTimer(s.cfg.QueueTimeout)
	select {
	case s.sem <- struct{}{}:
		queue.Stop()
	case <-queue.C:
		w.Header().Set("Retry-After", "5")
		return nil, errf(http.StatusServiceUnavailable, failCode, "server busy, retry shortly")
	case <-r.Context().Done():
		queue.Stop()
		return nil, errf(http.StatusServiceUnavailable, failCode, "request cancelled while waiting")
	}
	// The time spent queueing does not count against reading the body and
	// answering: fresh deadlines from now (ignored where unsupported).
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(bodyReadTimeout))
	rc.SetWriteDeadline(time.Now().Add(bodyReadTimeout + s.cfg.DecodeTimeout + 15*time.Second))
	handedOff := false
	defer func() {
		if !handedOff {
			<-s.sem
		}
	}()
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	req, err := decodeAnalysisRequest(body, r.ContentLength, s.cfg.MaxBodyBytes)
	if err != nil {
		return nil, err.(*httpError)
	}
	if req.Image == nil || strings.TrimSpace(*req.Image) == "" {
		return nil, errf(http.StatusBadRequest, CodeMissingImage, "no image in the request")
	}
	if len(req.Frames) > s.cfg.MaxFrames {
		return nil, errf(http.StatusBadRequest, CodeFailToProcess, fmt.Sprintf("at most %d frames", s.cfg.MaxFrames))
	}
	captureType := strings.ToUpper(strings.TrimSpace(req.CaptureType))
	if kind == "classification" {
		switch captureType {
		case "":
			captureType = "DOCUMENT_FRONT"
			if req.IsFrontImage != nil && !*req.IsFrontImage {
				captureType = "DOCUMENT_BACK"
			}
		case "DOCUMENT_FRONT", "DOCUMENT_BACK", "PASSPORT":
		default:
			return nil, errf(http.StatusBadRequest, CodeFailToProcess, "captureType must be DOCUMENT_FRONT, DOCUMENT_BACK or PASSPORT")
		}
	}
	if kind == "liveness" && s.cfg.Liveness == nil {
		return nil, errf(http.StatusServiceUnavailable, CodeLivenessFailed, "liveness is not available on this server (face cascades not loaded)")
	}
	// 5. Use count (1010).
	if tc.MaxUses > 0 {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		n, err := s.uses.Use(ctx, tc.ID, tc.Expires)
		cancel()
		if err != nil {
			s.metrics.use("error")
			s.log.Error("use store", "err", err.Error(), "token_id", tc.ID)
			return nil, errf(http.StatusServiceUnavailable, failCode, "token use store unavailable")
		}
		if n > int64(tc.MaxUses) {
			s.metrics.use("exhausted")
			return nil, errf(http.StatusForbidden, CodeNoMoreAttempts, "token has no uses left")
		}
		s.metrics.use("ok")
	}
	s.accepted.Add(1)
	// 6. Decode and analyse with a time limit; the goroutine keeps the slot
	// until it really ends.
	handedOff = true
	type outcome struct {
		body []byte
		err  *httpError
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() { <-s.sem }()
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic in analysis", "kind", kind, "panic", fmt.Sprint(p), "token_id", tc.ID)
				done <- outcome{err: errf(http.StatusInternalServerError, failCode, "analysis failed")}
			}
		}()
		b, herr := s.run(r.Context(), kind, captureType, req, tc.ID)
		done <- outcome{b, herr}
	}()
	t := time.NewTimer(s.cfg.DecodeTimeout)
	defer t.Stop()
	select {
	case o := <-done:
		return o.body, o.err
	case <-t.C:
		return nil, errf(http.StatusServiceUnavailable, failCode, "analysis took too long, retry later")
	}
}

// run decodes the image(s), analyses and signs. It runs with a semaphore slot.
func (s *Server) run(ctx context.Context, kind, captureType string, req *analysisRequest, tokenID string) ([]byte, *httpError) {
	failCode := CodeClassifyFailed
	if kind == "liveness" {
		failCode = CodeLivenessFailed
	}
	// Reserve memory for the decoded pixels (from the headers) before decoding.
	need := estimateDecodedBytes(*req.Image, s.budget.size)
	for _, f := range req.Frames {
		need += estimateDecodedBytes(f, s.budget.size)
	}
	got, err := s.budget.acquire(ctx, need)
	if err != nil {
		return nil, errf(http.StatusServiceUnavailable, failCode, "request cancelled while waiting for memory")
	}
	defer s.budget.release(got)
	img, raw, herr := decodeImage(*req.Image, s.imageLimits())
	if herr != nil {
		return nil, herr
	}
	*req.Image = "" // drop the base64 text early
	var res any
	if kind == "classification" {
		if s.cfg.Classify == nil {
			return nil, errf(http.StatusServiceUnavailable, CodeClassifyFailed, "classification is not available")
		}
		res, err = s.cfg.Classify(ctx, img, captureType)
	} else {
		var frames []image.Image
		for i := range req.Frames {
			if strings.TrimSpace(req.Frames[i]) == "" {
				continue
			}
			f, _, herr := decodeImage(req.Frames[i], s.imageLimits())
			if herr != nil {
				herr.Msg = "frame " + strconv.Itoa(i) + ": " + herr.Msg
				return nil, herr
			}
			req.Frames[i] = ""
			frames = append(frames, f)
		}
		if s.cfg.Liveness == nil {
			return nil, errf(http.StatusServiceUnavailable, CodeLivenessFailed, "liveness is not available on this server (face cascades not loaded)")
		}
		res, err = s.cfg.Liveness(ctx, img, frames)
	}
	if err != nil {
		return nil, errf(http.StatusUnprocessableEntity, failCode, "could not analyse the image")
	}
	b, err := json.Marshal(res)
	if err != nil || len(b) < 2 || b[0] != '{' {
		return nil, errf(http.StatusInternalServerError, failCode, "bad analysis result")
	}
	sig, err := s.signer.sign(kind, raw, b, tokenID, s.cfg.Now())
	if err != nil {
		return nil, errf(http.StatusInternalServerError, failCode, "signing failed")
	}
	// Append "Signature" to the answer object.
	out := make([]byte, 0, len(b)+len(sig)+16)
	out = append(out, b[:len(b)-1]...)
	if len(b) > 2 {
		out = append(out, ',')
	}
	out = append(out, `"Signature":`...)
	out = strconv.AppendQuote(out, sig)
	out = append(out, '}')
	return out, nil
}

func (s *Server) imageLimits() imagein.Limits {
	return imagein.Limits{MaxBytes: s.cfg.MaxBodyBytes, MaxPixels: int64(s.cfg.MaxPixels)}
}

// mintRequest is the body of POST /v1/sdk-tokens.
type mintRequest struct {
	Domains    []string `json:"domains"`
	TTLSeconds int      `json:"ttlSeconds"`
	MaxUses    int      `json:"maxUses"`
}

func (s *Server) apiKeyOK(r *http.Request) *httpError {
	auth := r.Header.Get("Authorization")
	key, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || strings.TrimSpace(key) == "" {
		return errf(http.StatusUnauthorized, CodeMissingToken, "missing API key (Authorization: Bearer <key>)")
	}
	key = strings.TrimSpace(key)
	match := 0
	for _, k := range s.cfg.APIKeys {
		match |= subtle.ConstantTimeCompare([]byte(k), []byte(key))
	}
	if match != 1 {
		return errf(http.StatusUnauthorized, CodeInvalidToken, "invalid API key")
	}
	return nil
}

func (s *Server) mintHandler(w http.ResponseWriter, r *http.Request) {
	if !s.ipLim.allow(s.clientIP(r), s.cfg.Now()) {
		w.Header().Set("Retry-After", "1")
		writeError(w, errf(http.StatusTooManyRequests, CodeFailToProcess, "too many requests, retry shortly"))
		return
	}
	if herr := s.apiKeyOK(r); herr != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ggcapture"`)
		writeError(w, herr)
		return
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	var req mintRequest
	if err := dec.Decode(&req); err != nil {
		writeError(w, errf(http.StatusBadRequest, CodeFailToProcess, "body must be {\"domains\":[...],\"ttlSeconds\":N,\"maxUses\":N}"))
		return
	}
	ttl := DefaultTokenTTL
	if req.TTLSeconds < 0 || time.Duration(req.TTLSeconds)*time.Second > MaxTokenTTL {
		writeError(w, errf(http.StatusBadRequest, CodeFailToProcess, "ttlSeconds must be between 1 and 86400"))
		return
	}
	if req.TTLSeconds > 0 {
		ttl = time.Duration(req.TTLSeconds) * time.Second
	}
	exp := s.cfg.Now().Add(ttl).Truncate(time.Second)
	tok, err := MintToken(s.cfg.SigningKey, TokenClaims{Domains: req.Domains, Expires: exp, MaxUses: req.MaxUses})
	if err != nil {
		writeError(w, errf(http.StatusBadRequest, CodeFailToProcess, err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Token     string `json:"token"`
		ExpiresAt string `json:"expiresAt"`
	}{tok, exp.UTC().Format(time.RFC3339)})
}

// devToken answers window.GGCAPTURE_DEV_TOKEN for the page's own origin (dev only).
func (s *Server) devToken(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.Dev {
		http.NotFound(w, r)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	origin := scheme + "://" + r.Host // the page's own origin, never a caller-chosen one
	tok, err := MintToken(s.cfg.SigningKey, TokenClaims{Domains: []string{origin}, Expires: s.cfg.Now().Add(12 * time.Hour)})
	if err != nil {
		http.Error(w, "cannot mint a token for "+strconv.Quote(origin), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "window.GGCAPTURE_DEV_TOKEN=%s;\n", strconv.Quote(tok))
}
