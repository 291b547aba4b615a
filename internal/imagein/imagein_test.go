package imagein

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand"
	"runtime"
	"strings"
	"testing"

	"github.com/globalgateway/ggcapture/internal/exif"
)

// Our own 96x64 quadrant image (TL red, TR green, BR blue, BL white),
// encoded with Debian's cwebp 1.2.4 (lossless and lossy q80).
var (
	webpLossless, _ = base64.StdEncoding.DecodeString("UklGRjoAAABXRUJQVlA4TC4AAAAvX8APAB8gEEjeHzqN+RcQFPwf3fxHZA+ASIDEk570pI0BpIj+T8BwseeOgz0H")
	webpLossy, _    = base64.StdEncoding.DecodeString("UklGRpQAAABXRUJQVlA4IIgAAADwBgCdASpgAEAAPm0uk0YkIqGhLUgAgA2JQQ4AMekAD8ANMx+DX6q8YFzAZ32DWao8Y2jHOyTsVTTvO6yXn7gAAP4vL13iAMB05VqYsXuWTDBz6gpNaouphchmzo5V5XzP0wRxmcMnAzyNEHfYcg7voV2HEkhJOzoMvAuaL8HhEwyQMbuoAAAA")
)

// The same quadrant image as a progressive JPEG (image/jpeg q90, then
// Debian's jpegtran -progressive).
var progressiveJPEG, _ = base64.StdEncoding.DecodeString("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wgARCABAAGADASIAAhEBAxEB/8QAFwABAQEBAAAAAAAAAAAAAAAAAAcJCP/EABkBAQADAQEAAAAAAAAAAAAAAAAFBggJB//aAAwDAQACEAMQAAABnIouqQALGKTzHAAjgu3TgACxik8xwAOjB7ho8ADNIapgwANLRlacAAzSGqYMAD//xAAUEAEAAAAAAAAAAAAAAAAAAABg/9oACAEBAAEFAkH/xAAUEQEAAAAAAAAAAAAAAAAAAABA/9oACAEDAQE/AUf/xAAUEQEAAAAAAAAAAAAAAAAAAABA/9oACAECAQE/AUf/xAAUEAEAAAAAAAAAAAAAAAAAAABg/9oACAEBAAY/AkH/xAAUEAEAAAAAAAAAAAAAAAAAAABg/9oACAEBAAE/IUH/2gAMAwEAAgADAAAAEP8A/wD999//AP8A333zzwIILzzwIIL/xAAUEQEAAAAAAAAAAAAAAAAAAABA/9oACAEDAQE/EEf/xAAUEQEAAAAAAAAAAAAAAAAAAABA/9oACAECAQE/EEf/xAAUEAEAAAAAAAAAAAAAAAAAAABg/9oACAEBAAE/EEH/2Q==")

var (
	red   = color.NRGBA{255, 0, 0, 255}
	green = color.NRGBA{0, 255, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
	white = color.NRGBA{255, 255, 255, 255}
)

// quadrants draws w x h with TL red, TR green, BR blue, BL white.
func quadrants(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x >= w/2:
				c = blue
			case y >= h/2:
				c = white
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withOrientation inserts an EXIF segment with only tag 0x0112 = o.
func withOrientation(t testing.TB, jpg []byte, o uint16, bo binary.ByteOrder) []byte {
	t.Helper()
	tiff := make([]byte, 26)
	copy(tiff, "II")
	if bo == binary.BigEndian {
		copy(tiff, "MM")
	}
	bo.PutUint16(tiff[2:], 42)
	bo.PutUint32(tiff[4:], 8)
	bo.PutUint16(tiff[8:], 1)
	bo.PutUint16(tiff[10:], 0x0112)
	bo.PutUint16(tiff[12:], 3)
	bo.PutUint32(tiff[14:], 1)
	bo.PutUint16(tiff[18:], o)
	seg := append([]byte{0xFF, 0xE1, 0, 0}, "Exif\x00\x00"...)
	seg = append(seg, tiff...)
	binary.BigEndian.PutUint16(seg[2:], uint16(len(seg)-2))
	out, err := exif.Insert(jpg, seg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pngHeader builds a PNG with a valid IHDR claiming w x h, one tiny IDAT, IEND.
func pngHeader(w, h uint32) []byte {
	chunk := func(typ string, data []byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		b = append(b, typ...)
		b = append(b, data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, chunk("IEND", nil)...)
}

func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol
}

func at(img image.Image, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

func TestDecodeFormats(t *testing.T) {
	q := quadrants(96, 64)
	for _, tc := range []struct {
		name   string
		data   []byte
		format Format
		tol    int
	}{
		{"png", encPNG(t, q), PNG, 0},
		{"jpeg", encJPEG(t, q), JPEG, 12},
		{"webp lossless", webpLossless, WebP, 0},
		{"webp lossy", webpLossy, WebP, 40},
		{"progressive jpeg", progressiveJPEG, JPEG, 12},
		{"gray png", encPNG(t, image.NewGray(image.Rect(0, 0, 70, 70))), PNG, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, info, err := DecodeInfo(tc.data, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if info.Format != tc.format || Sniff(tc.data) != tc.format || info.Orientation != 1 {
				t.Errorf("info %+v", info)
			}
			b := img.Bounds()
			if b.Dx() != info.Width || b.Dy() != info.Height {
				t.Errorf("bounds %v, info %dx%d", b, info.Width, info.Height)
			}
			if tc.name == "gray png" {
				return
			}
			for _, p := range []struct {
				x, y int
				c    color.NRGBA
			}{{24, 16, red}, {72, 16, green}, {72, 48, blue}, {24, 48, white}} {
				if got := at(img, p.x, p.y); !near(got, p.c, tc.tol) {
					t.Errorf("(%d,%d) = %v, want %v", p.x, p.y, got, p.c)
				}
			}
		})
	}
}

// The EXIF spec describes each orientation by where the stored 0th row and
// 0th column are in the visual image. Stored corners therefore land at:
var orientationCorners = map[int]struct{ tl, tr string }{
	1: {"TL", "TR"}, // 0th row top,    0th column left
	2: {"TR", "TL"}, // 0th row top,    0th column right
	3: {"BR", "BL"}, // 0th row bottom, 0th column right
	4: {"BL", "BR"}, // 0th row bottom, 0th column left
	5: {"TL", "BL"}, // 0th row left,   0th column top
	6: {"TR", "BR"}, // 0th row right,  0th column top
	7: {"BR", "TR"}, // 0th row right,  0th column bottom
	8: {"BL", "TL"}, // 0th row left,   0th column bottom
}

func corner(img image.Image, name string) color.NRGBA {
	b := img.Bounds()
	x, y := b.Min.X+b.Dx()/8, b.Min.Y+b.Dy()/8
	if name[1] == 'R' {
		x = b.Max.X - 1 - b.Dx()/8
	}
	if name[0] == 'B' {
		y = b.Max.Y - 1 - b.Dy()/8
	}
	return at(img, x, y)
}

func TestEXIFOrientationAll8(t *testing.T) {
	stored := quadrants(96, 64) // TL red, TR green
	base := encJPEG(t, stored)
	for o := 1; o <= 8; o++ {
		for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			data := withOrientation(t, base, uint16(o), bo)
			img, info, err := DecodeInfo(data, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			w, h := 96, 64
			if o >= 5 {
				w, h = 64, 96
			}
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h || info.Width != w || info.Height != h || info.Orientation != o {
				t.Fatalf("o=%d: bounds %v info %+v", o, b, info)
			}
			want := orientationCorners[o]
			if c := corner(img, want.tl); !near(c, red, 16) {
				t.Errorf("o=%d %v: stored TL (red) should be at %s, found %v there", o, bo, want.tl, c)
			}
			if c := corner(img, want.tr); !near(c, green, 16) {
				t.Errorf("o=%d %v: stored TR (green) should be at %s, found %v there", o, bo, want.tr, c)
			}
		}
	}
}

func TestOrientExact(t *testing.T) {
	// 3x2 image with distinct pixels; check every pixel of every orientation
	// against the formulas written out independently.
	src := image.NewNRGBA(image.Rect(10, 20, 13, 22)) // non-zero origin
	for i := range 6 {
		src.Pix[4*i], src.Pix[4*i+3] = uint8(i+1), 255
	}
	id := func(img *image.NRGBA, x, y int) uint8 { return img.Pix[img.PixOffset(x, y)] }
	w, h := 3, 2
	for o := 0; o <= 9; o++ {
		d := Orient(src, o)
		for y := range h {
			for x := range w {
				var dx, dy int
				switch o {
				case 2:
					dx, dy = w-1-x, y
				case 3:
					dx, dy = w-1-x, h-1-y
				case 4:
					dx, dy = x, h-1-y
				case 5:
					dx, dy = y, x
				case 6:
					dx, dy = h-1-y, x
				case 7:
					dx, dy = h-1-y, w-1-x
				case 8:
					dx, dy = y, w-1-x
				default:
					dx, dy = x, y
				}
				if got, want := id(d, dx, dy), uint8(y*w+x+1); got != want {
					t.Errorf("o=%d: dst(%d,%d) = %d, want %d", o, dx, dy, got, want)
				}
			}
		}
	}
	// Other source types give the same pixels.
	g := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(g.Pix, []uint8{1, 2, 3, 4, 5, 6})
	rgba := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		rgba.Pix[4*i], rgba.Pix[4*i+3] = uint8(2*i), 128 // premultiplied
	}
	for o := 1; o <= 8; o++ {
		a, b := Orient(g, o), Orient(struct{ image.Image }{g}, o)
		if !bytes.Equal(a.Pix, b.Pix) {
			t.Errorf("o=%d: Gray fast path differs from generic", o)
		}
		a, b = Orient(rgba, o), Orient(struct{ image.Image }{rgba}, o)
		for i := range a.Pix {
			if d := int(a.Pix[i]) - int(b.Pix[i]); d < -1 || d > 1 {
				t.Fatalf("o=%d: RGBA fast path differs from generic at %d: %d vs %d", o, i, a.Pix[i], b.Pix[i])
			}
		}
	}
	r := rand.New(rand.NewSource(9))
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410} {
		ycc := image.NewYCbCr(image.Rect(3, 5, 3+17, 5+11), ratio)
		r.Read(ycc.Y)
		r.Read(ycc.Cb)
		r.Read(ycc.Cr)
		for _, img := range []*image.YCbCr{ycc, ycc.SubImage(image.Rect(4, 6, 18, 15)).(*image.YCbCr)} {
			for o := 1; o <= 8; o++ {
				a, b := Orient(img, o), Orient(struct{ image.Image }{img}, o)
				if !bytes.Equal(a.Pix, b.Pix) {
					t.Errorf("%v %v o=%d: YCbCr fast path differs from generic", ratio, img.Rect, o)
				}
			}
		}
	}
}

func gifBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, image.NewPaletted(image.Rect(0, 0, 100, 100), color.Palette{color.Black, color.White}), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRejects(t *testing.T) {
	big := encJPEG(t, quadrants(200, 100))
	small := encPNG(t, quadrants(63, 200))
	tests := []struct {
		name string
		data []byte
		lim  Limits
		want error
		code int
	}{
		{"empty", nil, Limits{}, ErrEmpty, 1012},
		{"gif", gifBytes(t), Limits{}, ErrFileType, 1003},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="4000" height="4000"></svg>`), Limits{}, ErrFileType, 1003},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), Limits{}, ErrFileType, 1003},
		{"bmp", []byte("BM\x00\x00\x00\x00"), Limits{}, ErrFileType, 1003},
		{"text", []byte("hello"), Limits{}, ErrFileType, 1003},
		{"riff wav", []byte("RIFF\x00\x00\x00\x00WAVEfmt "), Limits{}, ErrFileType, 1003},
		{"over bytes", big, Limits{MaxBytes: int64(len(big) - 1)}, ErrTooLarge, 1004},
		{"over pixels", big, Limits{MaxPixels: 200*100 - 1}, ErrTooManyPixels, 1004},
		{"png 50000x50000", pngHeader(50000, 50000), Limits{}, ErrTooManyPixels, 1004},
		{"png 2^31 wide", pngHeader(1<<31-1, 1<<31-1), Limits{MaxPixels: -1}, ErrCorrupt, 1002},
		{"png 0 wide", pngHeader(0, 10), Limits{}, ErrCorrupt, 1002},
		{"too narrow", small, Limits{}, ErrTooSmall, 1001},
		{"too small custom", big, Limits{MinWidth: 201}, ErrTooSmall, 1001},
		{"truncated jpeg", big[:len(big)/2], Limits{}, ErrCorrupt, 1002},
		{"jpeg header only", big[:20], Limits{}, ErrCorrupt, 1002},
		{"png header lies", pngHeader(1000, 1000), Limits{}, ErrCorrupt, 1002},
		{"truncated webp", webpLossy[:60], Limits{}, ErrCorrupt, 1002},
		{"webp bad", append(append([]byte(nil), webpLossless[:20]...), bytes.Repeat([]byte{0xAB}, 40)...), Limits{}, ErrCorrupt, 1002},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Decode(tc.data, tc.lim)
			if !errors.Is(err, tc.want) || img != nil {
				t.Fatalf("Decode: %v (img %v), want %v", err, img != nil, tc.want)
			}
			if Code(err) != tc.code {
				t.Errorf("Code = %d, want %d (%v)", Code(err), tc.code, err)
			}
			t.Log(err)
		})
	}
	// Limits are disabled by negatives.
	if _, err := Decode(small, Limits{MinWidth: -1}); err != nil {
		t.Errorf("MinWidth -1: %v", err)
	}
	if Code(nil) != 0 || Code(errors.New("x")) != 1016 {
		t.Error("Code(nil) / Code(other)")
	}
}

func TestBombRejectedWithoutAllocating(t *testing.T) {
	data := pngHeader(50000, 50000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 10 {
		if _, err := Decode(data, Limits{}); !errors.Is(err, ErrTooManyPixels) {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / 10; per > 64<<10 {
		t.Errorf("rejecting a 50000x50000 PNG header allocated %d bytes per call", per)
	} else {
		t.Logf("rejecting a 50000x50000 PNG header: %d bytes per call", per)
	}
	// The same for a JPEG whose SOF claims 60000x60000.
	j := encJPEG(t, quadrants(16, 16))
	i := bytes.Index(j, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(j[i+5:], 60000)
	binary.BigEndian.PutUint16(j[i+7:], 60000)
	runtime.ReadMemStats(&before)
	if _, err := Decode(j, Limits{}); !errors.Is(err, ErrTooManyPixels) {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 256<<10 {
		t.Errorf("rejecting a 60000x60000 JPEG header allocated %d bytes", d)
	}
}

func TestProgressiveLimit(t *testing.T) {
	_, info, err := DecodeInfo(progressiveJPEG, Limits{})
	if err != nil || !info.Progressive {
		t.Fatalf("progressive JPEG: %+v %v", info, err)
	}
	if _, info, _ := DecodeInfo(encJPEG(t, quadrants(96, 64)), Limits{}); info.Progressive {
		t.Error("baseline JPEG reported progressive")
	}
	if _, err := Decode(progressiveJPEG, Limits{MaxProgressivePixels: 96*64 - 1}); !errors.Is(err, ErrTooManyPixels) || Code(err) != 1004 {
		t.Errorf("progressive over its limit: %v", err)
	}
	if _, err := Decode(progressiveJPEG, Limits{MaxProgressivePixels: -1}); err != nil {
		t.Errorf("progressive limit disabled: %v", err)
	}
	// A progressive header claiming 5000x4000 (20 MP: under the 40 MP limit,
	// over the 16 MP progressive one) is refused from the header.
	j := append([]byte(nil), progressiveJPEG...)
	i := bytes.Index(j, []byte{0xFF, 0xC2})
	binary.BigEndian.PutUint16(j[i+5:], 4000)
	binary.BigEndian.PutUint16(j[i+7:], 5000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = Decode(j, Limits{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("20 MP progressive header: %v", err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 256<<10 {
		t.Errorf("rejecting it allocated %d bytes", d)
	}
	// progressive() never panics on garbage.
	for _, b := range [][]byte{nil, {0xFF, 0xD8}, {0xFF, 0xD8, 0xFF, 0xE0, 0, 0}, {0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF}} {
		_ = progressive(b)
	}
}

func TestMinSizeAfterOrientation(t *testing.T) {
	// Stored 300x100, orientation 6: upright 100x300.
	data := withOrientation(t, encJPEG(t, quadrants(300, 100)), 6, binary.BigEndian)
	if _, err := Decode(data, Limits{MinWidth: 150}); !errors.Is(err, ErrTooSmall) {
		t.Errorf("upright width 100 < 150: %v", err)
	}
	if _, err := Decode(data, Limits{MinHeight: 250}); err != nil {
		t.Errorf("upright height 300 ≥ 250: %v", err)
	}
}

func dataURL(mime string, data []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data)
}

func TestDecodeDataURL(t *testing.T) {
	jpg := encJPEG(t, quadrants(96, 64))
	pngb := encPNG(t, quadrants(96, 64))
	for _, tc := range []struct {
		name string
		s    string
		want error // nil = success
	}{
		{"jpeg", dataURL("image/jpeg", jpg), nil},
		{"jpg alias, upper case", "DATA:IMAGE/JPG;BASE64," + base64.StdEncoding.EncodeToString(jpg), nil},
		{"png", dataURL("image/png", pngb), nil},
		{"webp", dataURL("image/webp", webpLossless), nil},
		{"with charset param", "data:image/png;name=x.png;base64," + base64.StdEncoding.EncodeToString(pngb), nil},
		{"bare base64", base64.StdEncoding.EncodeToString(jpg), nil},
		{"empty", "", ErrEmpty},
		{"empty payload", "data:image/png;base64,", ErrEmpty},
		{"mime mismatch", dataURL("image/png", jpg), ErrFileType},
		{"gif mime", dataURL("image/gif", gifBytes(t)), ErrFileType},
		{"gif bytes as png", dataURL("image/png", gifBytes(t)), ErrFileType},
		{"svg", "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte("<svg/>")), ErrFileType},
		{"html", "data:text/html;base64,PGh0bWw+", ErrFileType},
		{"no mime", "data:;base64," + base64.StdEncoding.EncodeToString(jpg), ErrFileType},
		{"not base64 url", "data:image/png," + string(pngb[:10]), ErrCorrupt},
		{"no comma", "data:image/png;base64", ErrCorrupt},
		{"invalid base64", "data:image/jpeg;base64,/9j/4AAQ!!!!", ErrCorrupt},
		{"unpadded", strings.TrimRight(dataURL("image/jpeg", jpg[:len(jpg)-1]), "="), ErrCorrupt},
		{"newline", dataURL("image/jpeg", jpg)[:60] + "\n" + dataURL("image/jpeg", jpg)[60:], ErrCorrupt},
		{"url-safe alphabet", "data:image/jpeg;base64," + base64.URLEncoding.EncodeToString(jpg), ErrCorrupt},
		{"too large before decoding", dataURL("image/jpeg", make([]byte, 3000)), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim := Limits{}
			if tc.name == "too large before decoding" {
				lim.MaxBytes = 1000
			}
			img, raw, err := DecodeDataURL(tc.s, lim)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if img.Bounds().Dx() != 96 || len(raw) == 0 || Sniff(raw) == "" {
					t.Errorf("img %v raw %d", img.Bounds(), len(raw))
				}
				return
			}
			if !errors.Is(err, tc.want) || img != nil || raw != nil {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRandomCorruptionNeverPanics(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	seeds := [][]byte{encJPEG(t, quadrants(96, 64)), encPNG(t, quadrants(96, 64)), webpLossless, webpLossy,
		withOrientation(t, encJPEG(t, quadrants(80, 70)), 6, binary.BigEndian)}
	n := 1500
	if testing.Short() {
		n = 200
	}
	ok := 0
	for i := range n {
		b := append([]byte(nil), seeds[i%len(seeds)]...)
		switch r.Intn(3) {
		case 0:
			for range 1 + r.Intn(6) {
				b[r.Intn(len(b))] = byte(r.Intn(256))
			}
		case 1:
			b = b[:r.Intn(len(b))]
		case 2:
			j := r.Intn(len(b))
			b = append(b[:j], append(bytes.Repeat([]byte{byte(r.Intn(256))}, r.Intn(40)), b[j:]...)...)
		}
		img, err := Decode(b, Limits{MaxPixels: 4_000_000, MinWidth: -1, MinHeight: -1})
		if err == nil {
			ok++
			if img == nil {
				t.Fatal("nil image without error")
			}
		} else if c := Code(err); c < 1001 || c > 1012 {
			t.Fatalf("error %v has code %d", err, c)
		}
	}
	t.Logf("%d of %d corrupted inputs still decoded", ok, n)
}

func FuzzDecode(f *testing.F) {
	f.Add(encJPEG(f, quadrants(32, 24)))
	f.Add(encPNG(f, quadrants(32, 24)))
	f.Add(webpLossless)
	f.Add(webpLossy)
	f.Add(pngHeader(50000, 50000))
	f.Add(progressiveJPEG)
	f.Add(withOrientation(f, encJPEG(f, quadrants(16, 8)), 8, binary.LittleEndian))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxPixels: 2_000_000, MinWidth: 1, MinHeight: 1}
		img, info, err := DecodeInfo(data, lim)
		if err != nil {
			if img != nil {
				t.Fatal("image with error")
			}
			if c := Code(err); c == 1016 || c == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		b := img.Bounds()
		if b.Dx() != info.Width || b.Dy() != info.Height || int64(b.Dx())*int64(b.Dy()) > lim.MaxPixels {
			t.Fatalf("bounds %v info %+v", b, info)
		}
	})
}

func FuzzDecodeDataURL(f *testing.F) {
	f.Add(dataURL("image/png", encPNG(f, quadrants(8, 8))))
	f.Add(dataURL("image/jpeg", encJPEG(f, quadrants(8, 8))))
	f.Add(dataURL("image/webp", webpLossless))
	f.Add("data:image/svg+xml;base64,PHN2Zy8+")
	f.Add("data:image/png;base64,!!")
	f.Add("iVBORw0KGgo=")
	f.Fuzz(func(t *testing.T, s string) {
		img, raw, err := DecodeDataURL(s, Limits{MaxPixels: 2_000_000, MaxBytes: 1 << 20, MinWidth: 1, MinHeight: 1})
		if err != nil {
			if img != nil || raw != nil {
				t.Fatal("result with error")
			}
			if c := Code(err); c == 1016 || c == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if img == nil || Sniff(raw) == "" {
			t.Fatal("success without image")
		}
	})
}

func BenchmarkDecodeJPEG12MP(b *testing.B) {
	data := encJPEG(b, gradient(4000, 3000))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeJPEG12MPRotated(b *testing.B) {
	data := withOrientation(b, encJPEG(b, gradient(4000, 3000)), 6, binary.BigEndian)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRejectBomb(b *testing.B) {
	data := pngHeader(50000, 50000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data, Limits{}); err == nil {
			b.Fatal("accepted")
		}
	}
}

func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(x), uint8(y), uint8(x^y), 255
		}
	}
	return img
}

func BenchmarkOrient12MP(b *testing.B) {
	src := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	for _, o := range []int{1, 3, 6} {
		b.Run(string(rune('0'+o)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Orient(src, o)
			}
		})
	}
}
