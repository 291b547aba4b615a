package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func FuzzDecodeAnalysisRequest(f *testing.F) {
	for _, s := range []string{`{"image":"data:image/jpeg;base64,/9j/"}`, `{"image":1}`, ``, `{"frames":["a"]}`,
		`{"image":"x","isFrontImage":true,"captureType":"PASSPORT"}`, `[`, `{"image":"x"} x`, "\xef\xbb\xbf{}"} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, withLength bool) {
		hint := int64(-1)
		if withLength {
			hint = int64(len(data))
		}
		req, err := decodeAnalysisRequest(bytes.NewReader(data), hint, 4096)
		if err != nil {
			he, ok := err.(*httpError)
			if !ok || he.Status < 400 || he.Status >= 500 || he.Code < 1000 {
				t.Fatalf("error %#v", err)
			}
			if len(data) > 4096 && he.Status != http.StatusRequestEntityTooLarge {
				t.Fatalf("%d bytes over the limit answered %d", len(data), he.Status)
			}
			return
		}
		if req == nil || len(data) > 4096 {
			t.Fatalf("accepted %d bytes", len(data))
		}
	})
}

var fuzzSrv struct {
	once sync.Once
	h    http.Handler
	tok  string
}

// FuzzAnalysisEndpoint sends arbitrary bodies through the whole handler (valid
// token and origin): never a 5xx, every error has an ErrorCode.
func FuzzAnalysisEndpoint(f *testing.F) {
	for _, s := range []string{`{"image":"data:image/jpeg;base64,/9j/4AAQ"}`, `{"image":"iVBORw0KGgo="}`, `{}`, `{"image":""}`,
		`{"image":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="}`} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, body []byte, liveness bool) {
		fuzzSrv.once.Do(func() {
			s, err := New(Config{SigningKey: testKey, Logger: quietLogger(), NoRateLimit: true, Classify: fastClassify, Liveness: fastLiveness})
			if err != nil {
				t.Fatal(err)
			}
			fuzzSrv.h = s.Handler()
			fuzzSrv.tok = mint(t, TokenClaims{})
		})
		path := "/v1/classification"
		if liveness {
			path = "/v1/liveness-check"
		}
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("token", fuzzSrv.tok)
		req.Header.Set("Origin", testOrigin)
		rec := httptest.NewRecorder()
		fuzzSrv.h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
		}
		if rec.Code != 200 && !bytes.Contains(rec.Body.Bytes(), []byte(`"ErrorCode":1`)) {
			t.Fatalf("%d without ErrorCode: %s", rec.Code, rec.Body.Bytes())
		}
	})
}
