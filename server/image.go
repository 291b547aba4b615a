package server

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"

	"golang.org/x/image/webp"
)

// minSide is the smallest width/height accepted for analysis.
const minSide = 64

// decodeImage turns a data URL (or bare base64) into an image, checking the type
// from the bytes (JPEG, PNG, WebP only) and the dimensions from the header before
// decoding. It returns the decoded file bytes too (for the result signature).
//
// TODO(server): replace with internal/imagein once it lands (one decoder for the
// whole project).
func decodeImage(s string, maxPixels int) (image.Image, []byte, *httpError) {
	payload := s
	if strings.HasPrefix(s, "data:") {
		meta, data, ok := strings.Cut(s[len("data:"):], ",")
		if !ok {
			return nil, nil, errf(http.StatusBadRequest, CodeCorruptImage, "malformed data URL")
		}
		mt, params, _ := strings.Cut(meta, ";")
		if !strings.HasPrefix(strings.ToLower(mt), "image/") {
			return nil, nil, errf(http.StatusBadRequest, CodeFileTypeInvalid, "data URL is not an image")
		}
		if !strings.Contains(strings.ToLower(params), "base64") {
			return nil, nil, errf(http.StatusBadRequest, CodeCorruptImage, "data URL is not base64")
		}
		payload = data
	}
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(payload)
	}
	if err != nil {
		return nil, nil, errf(http.StatusBadRequest, CodeCorruptImage, "invalid base64")
	}
	if len(raw) == 0 {
		return nil, nil, errf(http.StatusBadRequest, CodeMissingImage, "empty image")
	}
	var decCfg func([]byte) (image.Config, error)
	var dec func([]byte) (image.Image, error)
	switch {
	case bytes.HasPrefix(raw, []byte{0xFF, 0xD8, 0xFF}):
		decCfg = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
		dec = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
	case bytes.HasPrefix(raw, []byte("\x89PNG\r\n\x1a\n")):
		decCfg = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
		dec = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
	case len(raw) >= 12 && string(raw[:4]) == "RIFF" && string(raw[8:12]) == "WEBP":
		decCfg = func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) }
		dec = func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) }
	default:
		return nil, nil, errf(http.StatusBadRequest, CodeFileTypeInvalid, "not a JPEG, PNG or WebP image")
	}
	cfg, err := decCfg(raw)
	if err != nil {
		return nil, nil, errf(http.StatusBadRequest, CodeCorruptImage, "unreadable image header")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return nil, nil, errf(http.StatusBadRequest, CodeFileSizeOverLimit, "image dimensions over the limit")
	}
	if cfg.Width < minSide || cfg.Height < minSide {
		return nil, nil, errf(http.StatusBadRequest, CodeImageTooSmall, "image smaller than the minimum size")
	}
	img, err := dec(raw)
	if err != nil {
		return nil, nil, errf(http.StatusBadRequest, CodeCorruptImage, "corrupt image")
	}
	return img, raw, nil
}
