package server

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"
)

func BenchmarkVerifyToken(b *testing.B) {
	tok := mint(b, TokenClaims{MaxUses: 5})
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyToken(testKey, tok, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOriginAllowed(b *testing.B) {
	doms := []string{"https://shop.example", "https://*.example.com"}
	b.ReportAllocs()
	for b.Loop() {
		if !OriginAllowed(doms, "https://app.example.com") {
			b.Fatal("not allowed")
		}
	}
}

// BenchmarkClassificationHandler measures the service's own cost per request
// (token, origin, body, JPEG decode of a 1000x630 card, signing) with the
// analysis itself stubbed out.
func BenchmarkClassificationHandler(b *testing.B) {
	s, err := New(Config{SigningKey: testKey, Logger: quietLogger(), NoRateLimit: true, Classify: fastClassify})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	tok := mint(b, TokenClaims{})
	body := loadBody(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/v1/classification", bytes.NewReader(body))
		req.Header.Set("token", tok)
		req.Header.Set("Origin", testOrigin)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
		}
	}
}
