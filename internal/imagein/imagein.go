// Package imagein is the one safe way images enter the project: the WASM
// manual-upload path, `ggcapture analyze` and the capture service all decode
// untrusted bytes through Decode or DecodeDataURL.
//
// Decode sniffs the type from magic bytes (JPEG, PNG and WebP only; GIF,
// SVG, HTML, BMP, TIFF, HEIC, ... are rejected), checks the byte size, then
// reads the dimensions from the header and rejects images that are too big
// (decompression bombs) or too small BEFORE decoding, decodes, checks that
// the decoded size matches the header, and applies the EXIF orientation of
// JPEGs so the returned image is upright. It never panics.
//
// Errors wrap one of the sentinel errors below; Code maps them to the SDK
// error codes (DESIGN §4).
package imagein

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strings"

	"golang.org/x/image/webp"

	"github.com/globalgateway/ggcapture/internal/exif"
)

// Sentinel errors (test with errors.Is); Code gives their SDK code.
var (
	ErrEmpty         = errors.New("imagein: no image data")                       // 1012 MISSING_IMAGE
	ErrFileType      = errors.New("imagein: file type not accepted")              // 1003 FILE_TYPE_INVALID
	ErrTooLarge      = errors.New("imagein: file over the size limit")            // 1004 FILE_SIZE_OVER_LIMIT
	ErrTooManyPixels = errors.New("imagein: image dimensions over the limit")     // 1004 FILE_SIZE_OVER_LIMIT
	ErrTooSmall      = errors.New("imagein: image smaller than the minimum size") // 1001 IMAGE_SMALLER_THAN_MIN_SIZE
	ErrCorrupt       = errors.New("imagein: corrupt image")                       // 1002 CORRUPT_IMAGE
)

// SDK error codes returned by Code.
const (
	CodeTooSmall    = 1001
	CodeCorrupt     = 1002
	CodeFileType    = 1003
	CodeTooLarge    = 1004
	CodeMissing     = 1012
	CodeFailProcess = 1016
)

// Code maps an error from this package to its SDK error code: ErrTooSmall
// 1001, ErrCorrupt 1002, ErrFileType 1003, ErrTooLarge and ErrTooManyPixels
// 1004, ErrEmpty 1012; nil gives 0 and any other error 1016
// (FAIL_TO_PROCESS).
//
// ErrTooManyPixels maps to 1004 (FILE_SIZE_OVER_LIMIT), not 1002: an image
// over the pixel limit is usually a real, valid photo (e.g. a 48 MP phone
// shot) that the user can fix by sending a smaller one, which is what 1004
// tells them; "corrupt" would be false. Crafted bombs get the same answer.
func Code(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrTooSmall):
		return CodeTooSmall
	case errors.Is(err, ErrCorrupt):
		return CodeCorrupt
	case errors.Is(err, ErrFileType):
		return CodeFileType
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrTooManyPixels):
		return CodeTooLarge
	case errors.Is(err, ErrEmpty):
		return CodeMissing
	}
	return CodeFailProcess
}

// Limits bounds what Decode accepts. A zero field means its default; a
// negative field disables that check.
type Limits struct {
	MaxBytes  int64 // size of the encoded file (default DefaultMaxBytes)
	MaxPixels int64 // width × height from the header (default DefaultMaxPixels)
	MinWidth  int   // of the upright image, after EXIF orientation (default DefaultMinSide)
	MinHeight int   // of the upright image, after EXIF orientation (default DefaultMinSide)

	// MaxProgressivePixels caps progressive JPEGs (default
	// DefaultMaxProgressivePixels). image/jpeg keeps every DCT coefficient
	// of a progressive file until the last scan (4 bytes per sample, about
	// 6 bytes per pixel at 4:2:0, plus the image): a 38.5 MP progressive
	// JPEG measured 286 MB of allocations against 68 MB for the same image
	// as baseline. Phone cameras write baseline JPEGs.
	MaxProgressivePixels int64
}

// Defaults for a zero Limits field. DefaultMinSide only rejects images too
// small to analyse at all; callers with a purpose (e.g. a document upload)
// should pass their own minimum.
const (
	DefaultMaxBytes  = 15 << 20 // 15 MiB
	DefaultMaxPixels = 40_000_000
	DefaultMinSide   = 64

	DefaultMaxProgressivePixels = 16_000_000 // ≈ 120 MB to decode
)

func (l Limits) resolve() Limits {
	if l.MaxBytes == 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels == 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxProgressivePixels == 0 {
		l.MaxProgressivePixels = DefaultMaxProgressivePixels
	}
	if l.MinWidth == 0 {
		l.MinWidth = DefaultMinSide
	}
	if l.MinHeight == 0 {
		l.MinHeight = DefaultMinSide
	}
	return l
}

// Format is an accepted image type.
type Format string

// Accepted formats; "" means not accepted / unknown.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	WebP Format = "webp"
)

// MIME returns "image/jpeg", "image/png" or "image/webp" ("" for unknown).
func (f Format) MIME() string {
	if f == "" {
		return ""
	}
	return "image/" + string(f)
}

// Sniff returns the format of data from its magic bytes, or "" when it is
// not one we accept.
func Sniff(data []byte) Format {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return JPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return WebP
	}
	return ""
}

// what names common rejected types for the error message.
func what(data []byte) string {
	head := data[:min(len(data), 512)]
	lower := strings.ToLower(strings.TrimLeft(string(head), " \t\r\n\ufeff"))
	switch {
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "GIF"
	case bytes.HasPrefix(data, []byte("BM")):
		return "BMP"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "TIFF"
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return "HEIF/AVIF/MP4"
	case bytes.HasPrefix(data, []byte("%PDF")):
		return "PDF"
	case strings.HasPrefix(lower, "<svg"), strings.Contains(lower, "<svg"):
		return "SVG"
	case strings.HasPrefix(lower, "<!doctype html"), strings.HasPrefix(lower, "<html"):
		return "HTML"
	case strings.HasPrefix(lower, "<?xml"):
		return "XML"
	case bytes.HasPrefix(data, []byte("RIFF")):
		return "RIFF (not WebP)"
	}
	return "unknown"
}

// Info describes an accepted image.
type Info struct {
	Format        Format
	Width, Height int  // of the upright image (after EXIF orientation)
	Orientation   int  // EXIF orientation 1..8 (1 for PNG, WebP and JPEGs without one)
	Progressive   bool // a progressive JPEG (SOF2/SOF6/SOF10/SOF14)
}

// progressive reports whether the first SOF marker of a JPEG is a
// progressive one. It only walks the segment headers before the first scan.
func progressive(jpg []byte) bool {
	p := 2
	for p+4 <= len(jpg) {
		if jpg[p] != 0xFF {
			return false
		}
		m := jpg[p+1]
		switch {
		case m == 0xFF:
			p++
			continue
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			p += 2
			continue
		case m == 0xD9 || m == 0xDA:
			return false
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			return m&3 == 2 // C2, C6, CA, CE
		}
		n := int(jpg[p+2])<<8 | int(jpg[p+3])
		if n < 2 {
			return false
		}
		p += 2 + n
	}
	return false
}

// Inspect checks data against lim from its header only (nothing is
// decoded) and describes it. Decode calls it first.
func Inspect(data []byte, lim Limits) (Info, error) {
	lim = lim.resolve()
	var info Info
	if len(data) == 0 {
		return info, ErrEmpty
	}
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return info, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	info.Format = Sniff(data)
	if info.Format == "" {
		return info, fmt.Errorf("%w: %s (JPEG, PNG or WebP expected)", ErrFileType, what(data))
	}
	cfg, err := decodeConfig(info.Format, data)
	if err != nil {
		return info, fmt.Errorf("%w: %s header: %v", ErrCorrupt, info.Format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return info, fmt.Errorf("%w: %s header says %dx%d", ErrCorrupt, info.Format, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); lim.MaxPixels > 0 && px > lim.MaxPixels {
		return info, fmt.Errorf("%w: %dx%d is %d pixels, limit %d", ErrTooManyPixels,
			cfg.Width, cfg.Height, px, lim.MaxPixels)
	}
	info.Width, info.Height, info.Orientation = cfg.Width, cfg.Height, 1
	if info.Format == JPEG {
		info.Progressive = progressive(data)
		if px := int64(cfg.Width) * int64(cfg.Height); info.Progressive && lim.MaxProgressivePixels > 0 && px > lim.MaxProgressivePixels {
			return info, fmt.Errorf("%w: progressive JPEG %dx%d is %d pixels, limit %d for progressive JPEGs",
				ErrTooManyPixels, cfg.Width, cfg.Height, px, lim.MaxProgressivePixels)
		}
		info.Orientation = exif.Orientation(data)
		if info.Orientation >= 5 {
			info.Width, info.Height = cfg.Height, cfg.Width
		}
	}
	if info.Width < lim.MinWidth || info.Height < lim.MinHeight {
		return info, fmt.Errorf("%w: %dx%d, minimum %dx%d", ErrTooSmall, info.Width, info.Height,
			max(lim.MinWidth, 0), max(lim.MinHeight, 0))
	}
	return info, nil
}

func decodeConfig(f Format, data []byte) (cfg image.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panic: %v", r)
		}
	}()
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		return jpeg.DecodeConfig(r)
	case PNG:
		return png.DecodeConfig(r)
	case WebP:
		return webp.DecodeConfig(r)
	}
	return cfg, errors.New("unknown format")
}

func decode(f Format, data []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("decoder panic: %v", r)
		}
	}()
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case WebP:
		return webp.Decode(r)
	}
	return nil, errors.New("unknown format")
}

// Decode checks data against lim, decodes it and returns the upright image
// (EXIF orientation applied for JPEG; the result is then an *image.NRGBA,
// otherwise the decoder's own type). Errors wrap the sentinels above.
func Decode(data []byte, lim Limits) (image.Image, error) {
	img, _, err := DecodeInfo(data, lim)
	return img, err
}

// DecodeInfo is Decode that also returns what Inspect found.
func DecodeInfo(data []byte, lim Limits) (image.Image, Info, error) {
	info, err := Inspect(data, lim)
	if err != nil {
		return nil, info, err
	}
	img, err := decode(info.Format, data)
	if err != nil {
		return nil, info, fmt.Errorf("%w: %s: %v", ErrCorrupt, info.Format, err)
	}
	b := img.Bounds()
	w, h := info.Width, info.Height
	if info.Orientation >= 5 {
		w, h = h, w
	}
	if b.Dx() != w || b.Dy() != h {
		return nil, info, fmt.Errorf("%w: header says %dx%d, decoded %dx%d", ErrCorrupt, w, h, b.Dx(), b.Dy())
	}
	if info.Orientation != 1 {
		img = Orient(img, info.Orientation)
	}
	return img, info, nil
}

// DecodeDataURL decodes "data:image/jpeg;base64,...." (or image/png,
// image/webp; image/jpg is accepted as an alias of image/jpeg). The base64
// must be standard, padded and without line breaks or spaces, and the media
// type must agree with the sniffed type (else ErrFileType). A string without
// the "data:" prefix is taken as bare base64 of the file (the form verify
// APIs carry) and only sniffed. It returns the image and the decoded file
// bytes.
func DecodeDataURL(s string, lim Limits) (image.Image, []byte, error) {
	if s == "" {
		return nil, nil, ErrEmpty
	}
	payload, declared := s, Format("")
	if len(s) >= 5 && strings.EqualFold(s[:5], "data:") {
		header, rest, ok := strings.Cut(s[5:], ",")
		if !ok {
			return nil, nil, fmt.Errorf("%w: data URL without a comma", ErrCorrupt)
		}
		parts := strings.Split(header, ";")
		if len(parts) < 2 || !strings.EqualFold(strings.TrimSpace(parts[len(parts)-1]), "base64") {
			return nil, nil, fmt.Errorf("%w: data URL is not base64", ErrCorrupt)
		}
		switch mt := strings.ToLower(strings.TrimSpace(parts[0])); mt {
		case "image/jpeg", "image/jpg":
			declared = JPEG
		case "image/png":
			declared = PNG
		case "image/webp":
			declared = WebP
		default:
			if len(mt) > 64 {
				mt = mt[:64] + "…"
			}
			return nil, nil, fmt.Errorf("%w: data URL media type %q", ErrFileType, mt)
		}
		payload = rest
	}
	if payload == "" {
		return nil, nil, ErrEmpty
	}
	r := lim.resolve()
	// Refuse before decoding when even the smallest possible decoded size is
	// over the limit.
	if r.MaxBytes > 0 && int64(len(payload))/4*3-2 > r.MaxBytes {
		return nil, nil, fmt.Errorf("%w: about %d bytes, limit %d", ErrTooLarge, int64(len(payload))/4*3, r.MaxBytes)
	}
	if i := strings.IndexAny(payload, "\r\n \t"); i >= 0 {
		return nil, nil, fmt.Errorf("%w: whitespace in base64 at %d", ErrCorrupt, i)
	}
	data, err := base64.StdEncoding.Strict().DecodeString(payload)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: base64: %v", ErrCorrupt, err)
	}
	if declared != "" && len(data) > 0 {
		if got := Sniff(data); got != declared {
			g := string(got)
			if g == "" {
				g = what(data)
			}
			return nil, nil, fmt.Errorf("%w: data URL says %s, content is %s", ErrFileType, declared.MIME(), g)
		}
	}
	img, err := Decode(data, lim)
	if err != nil {
		return nil, nil, err
	}
	return img, data, nil
}
