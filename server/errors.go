package server

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// SDK error codes answered by the service (DESIGN §4).
const (
	CodeImageTooSmall     = 1001 // IMAGE_SMALLER_THAN_MIN_SIZE
	CodeCorruptImage      = 1002 // CORRUPT_IMAGE
	CodeFileTypeInvalid   = 1003 // FILE_TYPE_INVALID
	CodeFileSizeOverLimit = 1004 // FILE_SIZE_OVER_LIMIT
	CodeMissingToken      = 1008 // MISSING_TOKEN (also: missing API key)
	CodeInvalidToken      = 1009 // INVALID_TOKEN (also: wrong API key)
	CodeNoMoreAttempts    = 1010 // NO_MORE_TOKEN_ATTEMPTS
	CodeInvalidOrigin     = 1011 // INVALID_ORIGIN_URL
	CodeMissingImage      = 1012 // MISSING_IMAGE
	CodeLivenessFailed    = 1013 // FAIL_TO_GET_LIVENESS_DATA (also: rate limited, busy)
	CodeClassifyFailed    = 1014 // FAIL_TO_GET_CLASSIFICATION_DATA (also: rate limited, busy)
	CodeFailToProcess     = 1016 // FAIL_TO_PROCESS (malformed request)
)

// APIError is the error body of every /v1 endpoint.
type APIError struct {
	ErrorCode    int
	ErrorMessage string
}

// httpError is an error with its HTTP status and SDK code.
type httpError struct {
	Status int
	Code   int
	Msg    string
}

func (e *httpError) Error() string { return strconv.Itoa(e.Code) + ": " + e.Msg }

func errf(status, code int, msg string) *httpError { return &httpError{status, code, msg} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"ErrorCode":1016,"ErrorMessage":"internal error"}`)
	}
	writeRawJSON(w, status, b)
}

func writeRawJSON(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte{'\n'})
}

func writeError(w http.ResponseWriter, e *httpError) {
	if rw, ok := w.(*statusWriter); ok {
		rw.code = e.Code
	}
	writeJSON(w, e.Status, APIError{ErrorCode: e.Code, ErrorMessage: e.Msg})
}
