// Package exif writes the SDK's capture metadata into a JPEG as a standard
// EXIF APP1 segment and reads it back. It also reads the orientation tag of
// any camera JPEG (both byte orders).
//
// Where the metadata goes (all standard EXIF 2.32 tags):
//
//	IFD0      ImageDescription  compact JSON (see below)
//	          Make              "GlobalGateway"
//	          Model             Meta.DeviceType
//	          Orientation       1 (the pixels are already upright)
//	          X/YResolution, ResolutionUnit, YCbCrPositioning (required baseline tags)
//	          Software          Meta.SDKVersion
//	          DateTime          Meta.Time, "YYYY:MM:DD HH:MM:SS" in Meta.Time's zone
//	Exif IFD  ExifVersion "0232", DateTimeOriginal, DateTimeDigitized,
//	          OffsetTimeOriginal ("+01:00"), SubSecTimeOriginal (milliseconds),
//	          ComponentsConfiguration, FlashpixVersion, ColorSpace sRGB,
//	          PixelXDimension/PixelYDimension, UserComment (ASCII code + the JSON)
//	GPS IFD   GPSVersionID 2.3.0.0, GPSLatitudeRef/GPSLatitude, GPSLongitudeRef/
//	          GPSLongitude (degrees, minutes, seconds as rationals, seconds to
//	          1e-6"), GPSMapDatum "WGS-84", GPSHPositioningError (metres; when
//	          Accuracy > 0) — only when Meta.GPS is set.
//
// The JSON is {"mode":..,"captureType":..,"device":..,"glare":..,
// "sharpness":..,"dpi":..}. Text is limited to printable ASCII (other
// characters become '?') and 200 bytes per string, so the segment stays far
// below the 64 KiB APP1 limit.
package exif

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"strconv"
	"time"
)

// Meta is the capture metadata stored in a JPEG.
type Meta struct {
	Mode        string    // "auto" or "manual"
	CaptureType string    // e.g. DOCUMENT_FRONT, DOCUMENT_BACK, PASSPORT, SELFIE
	SDKVersion  string    // stored as Software
	Time        time.Time // capture time (stored to the millisecond, with its UTC offset)
	DeviceType  string    // e.g. "mobile", "desktop" or a model name; stored as Model
	Glare       float64
	Sharpness   float64
	DPI         float64
	GPS         *GPS // nil = not collected
}

// GPS is a position in WGS-84 degrees and its horizontal accuracy in metres.
type GPS struct {
	Lat, Lon float64
	Accuracy float64 // metres; 0 = unknown
}

// Make is written to the Make tag.
const Make = "GlobalGateway"

// MaxText is the longest string stored for one field (longer ones are cut).
const MaxText = 200

// Errors returned by Parse.
var (
	ErrNotJPEG   = errors.New("exif: not a JPEG")
	ErrNoExif    = errors.New("exif: no EXIF segment")
	ErrMalformed = errors.New("exif: malformed EXIF data")
)

// Encode writes img as a baseline JPEG of the given quality (1..100, 0 means
// image/jpeg's default) with m in an EXIF APP1 segment right after SOI.
func Encode(w io.Writer, img image.Image, quality int, m Meta) error {
	if img == nil {
		return errors.New("exif: nil image")
	}
	var o *jpeg.Options
	if quality != 0 {
		o = &jpeg.Options{Quality: quality}
	}
	var buf bytes.Buffer
	if n, ok := img.(*image.NRGBA); ok {
		// image/jpeg has fast paths for RGBA, YCbCr and Gray only; an NRGBA
		// would go through At() per pixel (an allocation each).
		img = premultiply(n)
	}
	if err := jpeg.Encode(&buf, img, o); err != nil {
		return err
	}
	b := img.Bounds()
	seg, err := Segment(m, b.Dx(), b.Dy())
	if err != nil {
		return err
	}
	out, err := Insert(buf.Bytes(), seg)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// premultiply converts n to an *image.RGBA with the same colours (alpha
// premultiplied, which is what image/jpeg encodes for a translucent pixel).
func premultiply(n *image.NRGBA) *image.RGBA {
	b := n.Bounds()
	dst := image.NewRGBA(b)
	w := b.Dx() * 4
	for y := 0; y < b.Dy(); y++ {
		s := n.Pix[y*n.Stride : y*n.Stride+w]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		for i := 0; i < w; i += 4 {
			a := uint32(s[i+3])
			if a == 0xFF {
				d[i], d[i+1], d[i+2], d[i+3] = s[i], s[i+1], s[i+2], 0xFF
				continue
			}
			d[i] = uint8(uint32(s[i]) * a / 0xFF)
			d[i+1] = uint8(uint32(s[i+1]) * a / 0xFF)
			d[i+2] = uint8(uint32(s[i+2]) * a / 0xFF)
			d[i+3] = uint8(a)
		}
	}
	return dst
}

// Insert returns a copy of jpg with the APP1 segment seg (as made by
// Segment, starting with FF E1) inserted right after SOI. Any existing
// EXIF APP1 segments are dropped so the file carries exactly one.
func Insert(jpg, seg []byte) ([]byte, error) {
	if len(jpg) < 4 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return nil, ErrNotJPEG
	}
	if len(seg) < 4 || seg[0] != 0xFF || seg[1] != 0xE1 {
		return nil, errors.New("exif: not an APP1 segment")
	}
	out := make([]byte, 0, len(jpg)+len(seg))
	out = append(out, 0xFF, 0xD8)
	out = append(out, seg...)
	// Copy the header segments, skipping old EXIF APP1s, then the rest as is.
	p := 2
	for p+4 <= len(jpg) && jpg[p] == 0xFF {
		m := jpg[p+1]
		if m == 0xDA || m == 0xD9 || m == 0xFF || m == 0x01 || (m >= 0xD0 && m <= 0xD7) {
			break
		}
		n := int(binary.BigEndian.Uint16(jpg[p+2:]))
		if n < 2 || p+2+n > len(jpg) {
			break
		}
		if !(m == 0xE1 && bytes.HasPrefix(jpg[p+4:p+2+n], exifHeader)) {
			out = append(out, jpg[p:p+2+n]...)
		}
		p += 2 + n
	}
	return append(out, jpg[p:]...), nil
}

var exifHeader = []byte("Exif\x00\x00")

// TIFF types.
const (
	tByte      = 1
	tASCII     = 2
	tShort     = 3
	tLong      = 4
	tRational  = 5
	tUndefined = 7
	tSLong     = 9
	tSRational = 10
)

var typeSize = [...]int{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8}

type entry struct {
	tag   uint16
	typ   uint16
	count uint32
	data  []byte // encoded value (little-endian)
}

var le = binary.LittleEndian

func ascii(tag uint16, s string) entry {
	b := append([]byte(s), 0)
	return entry{tag, tASCII, uint32(len(b)), b}
}

func undef(tag uint16, b []byte) entry { return entry{tag, tUndefined, uint32(len(b)), b} }

func short(tag uint16, v uint16) entry {
	return entry{tag, tShort, 1, le.AppendUint16(nil, v)}
}

func long(tag uint16, v uint32) entry { return entry{tag, tLong, 1, le.AppendUint32(nil, v)} }

func rationals(tag uint16, v ...[2]uint32) entry {
	var b []byte
	for _, r := range v {
		b = le.AppendUint32(b, r[0])
		b = le.AppendUint32(b, r[1])
	}
	return entry{tag, tRational, uint32(len(v)), b}
}

// ifdSize is the number of bytes an IFD with its out-of-line data takes.
func ifdSize(es []entry) int {
	n := 2 + 12*len(es) + 4
	for _, e := range es {
		if len(e.data) > 4 {
			n += (len(e.data) + 1) &^ 1
		}
	}
	return n
}

// appendIFD writes es (sorted by tag) at offset off (relative to the TIFF
// header) followed by its out-of-line data.
func appendIFD(b []byte, off int, es []entry) []byte {
	b = le.AppendUint16(b, uint16(len(es)))
	dataOff := off + 2 + 12*len(es) + 4
	var data []byte
	for _, e := range es {
		b = le.AppendUint16(b, e.tag)
		b = le.AppendUint16(b, e.typ)
		b = le.AppendUint32(b, e.count)
		if len(e.data) <= 4 {
			var v [4]byte
			copy(v[:], e.data)
			b = append(b, v[:]...)
		} else {
			b = le.AppendUint32(b, uint32(dataOff+len(data)))
			data = append(data, e.data...)
			if len(data)%2 == 1 {
				data = append(data, 0)
			}
		}
	}
	b = le.AppendUint32(b, 0) // no next IFD
	return append(b, data...)
}

type comment struct {
	Mode        string  `json:"mode"`
	CaptureType string  `json:"captureType"`
	Device      string  `json:"device"`
	Glare       float64 `json:"glare"`
	Sharpness   float64 `json:"sharpness"`
	DPI         float64 `json:"dpi"`
}

// commentJSON writes c as the compact JSON that encoding/json would write
// (same field order and number format). It is hand-written so that the
// browser core does not link encoding/json's reflection (about 10 % of
// capture.wasm); the strings are already cleaned to printable ASCII.
func commentJSON(c comment) string {
	b := make([]byte, 0, 128)
	str := func(key, v string) {
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, `":"`...)
		for i := 0; i < len(v); i++ {
			switch v[i] {
			case '"', '\\':
				b = append(b, '\\', v[i])
			case '<', '>', '&': // as encoding/json's HTML-safe escaping
				b = append(b, `\u00`...)
				b = append(b, "0123456789abcdef"[v[i]>>4], "0123456789abcdef"[v[i]&15])
			default:
				b = append(b, v[i])
			}
		}
		b = append(b, '"', ',')
	}
	num := func(key string, v float64, last bool) {
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, '"', ':')
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
		if !last {
			b = append(b, ',')
		}
	}
	b = append(b, '{')
	str("mode", c.Mode)
	str("captureType", c.CaptureType)
	str("device", c.Device)
	num("glare", c.Glare, false)
	num("sharpness", c.Sharpness, false)
	num("dpi", c.DPI, true)
	b = append(b, '}')
	return string(b)
}

// clean keeps printable ASCII (others become '?') and cuts to MaxText bytes.
func clean(s string) string {
	b := make([]byte, 0, min(len(s), MaxText))
	for _, r := range s {
		if len(b) == MaxText {
			break
		}
		if r >= 0x20 && r < 0x7F {
			b = append(b, byte(r))
		} else {
			b = append(b, '?')
		}
	}
	return string(b)
}

// finiteOr0 maps NaN and ±Inf to 0 (JSON cannot carry them).
func finiteOr0(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// Segment builds the complete APP1 segment (FF E1, length, "Exif\0\0",
// little-endian TIFF) for m and an image of width × height pixels.
func Segment(m Meta, width, height int) ([]byte, error) {
	js := commentJSON(comment{
		Mode: clean(m.Mode), CaptureType: clean(m.CaptureType), Device: clean(m.DeviceType),
		Glare: finiteOr0(m.Glare), Sharpness: finiteOr0(m.Sharpness), DPI: finiteOr0(m.DPI),
	})
	ifd0 := []entry{ascii(0x010E, string(js)), ascii(0x010F, Make)}
	if d := clean(m.DeviceType); d != "" {
		ifd0 = append(ifd0, ascii(0x0110, d))
	}
	ifd0 = append(ifd0,
		short(0x0112, 1),
		rationals(0x011A, [2]uint32{72, 1}),
		rationals(0x011B, [2]uint32{72, 1}),
		short(0x0128, 2))
	if v := clean(m.SDKVersion); v != "" {
		ifd0 = append(ifd0, ascii(0x0131, v))
	}
	var exif []entry
	exif = append(exif, undef(0x9000, []byte("0232")))
	if !m.Time.IsZero() {
		ts := m.Time.Format("2006:01:02 15:04:05")
		ifd0 = append(ifd0, ascii(0x0132, ts))
		exif = append(exif,
			ascii(0x9003, ts), ascii(0x9004, ts),
			ascii(0x9011, m.Time.Format("-07:00")))
	}
	ifd0 = append(ifd0, short(0x0213, 1))
	exif = append(exif, undef(0x9101, []byte{1, 2, 3, 0}))
	exif = append(exif, undef(0x9286, append([]byte("ASCII\x00\x00\x00"), js...)))
	if !m.Time.IsZero() {
		exif = append(exif, ascii(0x9291, fmt.Sprintf("%03d", m.Time.Nanosecond()/1e6)))
	}
	exif = append(exif,
		undef(0xA000, []byte("0100")),
		short(0xA001, 1),
		long(0xA002, uint32(max(width, 0))),
		long(0xA003, uint32(max(height, 0))))

	var gps []entry
	if g := m.GPS; g != nil {
		if !(math.Abs(g.Lat) <= 90) || !(math.Abs(g.Lon) <= 180) {
			return nil, fmt.Errorf("exif: GPS position out of range: %v, %v", g.Lat, g.Lon)
		}
		latRef, lonRef := "N", "E"
		if g.Lat < 0 {
			latRef = "S"
		}
		if g.Lon < 0 {
			lonRef = "W"
		}
		gps = []entry{
			{0x0000, tByte, 4, []byte{2, 3, 0, 0}},
			ascii(0x0001, latRef), rationals(0x0002, dms(math.Abs(g.Lat))...),
			ascii(0x0003, lonRef), rationals(0x0004, dms(math.Abs(g.Lon))...),
			ascii(0x0012, "WGS-84"),
		}
		if a := g.Accuracy; a > 0 && a < 1e6 {
			gps = append(gps, rationals(0x001F, [2]uint32{uint32(math.Round(a * 100)), 100}))
		}
	}

	// Pointers (placeholders first, so sizes are right).
	ifd0 = append(ifd0, long(0x8769, 0))
	if gps != nil {
		ifd0 = append(ifd0, long(0x8825, 0))
	}
	off0 := 8
	offExif := off0 + ifdSize(ifd0)
	offGPS := offExif + ifdSize(exif)
	for i := range ifd0 {
		switch ifd0[i].tag {
		case 0x8769:
			ifd0[i] = long(0x8769, uint32(offExif))
		case 0x8825:
			ifd0[i] = long(0x8825, uint32(offGPS))
		}
	}
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0}
	tiff = appendIFD(tiff, off0, ifd0)
	tiff = appendIFD(tiff, offExif, exif)
	if gps != nil {
		tiff = appendIFD(tiff, offGPS, gps)
	}
	n := 2 + len(exifHeader) + len(tiff)
	if n > 0xFFFF {
		return nil, errors.New("exif: segment too large")
	}
	seg := []byte{0xFF, 0xE1, byte(n >> 8), byte(n)}
	seg = append(seg, exifHeader...)
	return append(seg, tiff...), nil
}

// dms splits decimal degrees into degrees, minutes and seconds rationals
// (seconds with a denominator of 1e6).
func dms(v float64) [][2]uint32 {
	us := math.Round(v * 3600e6) // micro-arcseconds
	deg := math.Floor(us / 3600e6)
	us -= deg * 3600e6
	mn := math.Floor(us / 60e6)
	us -= mn * 60e6
	return [][2]uint32{{uint32(deg), 1}, {uint32(mn), 1}, {uint32(us), 1e6}}
}

// ---- parsing ----

type tiffReader struct {
	b  []byte
	bo binary.ByteOrder
}

type ifdEntry struct {
	typ   uint16
	count uint32
	val   []byte // the value bytes (inline or at the offset), bounds-checked
}

const maxEntries = 512

func (r *tiffReader) ifd(off uint32) (map[uint16]ifdEntry, error) {
	if uint64(off)+2 > uint64(len(r.b)) {
		return nil, fmt.Errorf("%w: IFD offset %d beyond %d bytes", ErrMalformed, off, len(r.b))
	}
	n := int(r.bo.Uint16(r.b[off:]))
	if n > maxEntries {
		return nil, fmt.Errorf("%w: %d IFD entries", ErrMalformed, n)
	}
	if int(off)+2+12*n > len(r.b) {
		return nil, fmt.Errorf("%w: truncated IFD", ErrMalformed)
	}
	out := make(map[uint16]ifdEntry, n)
	for i := range n {
		e := r.b[int(off)+2+12*i:]
		tag, typ, count := r.bo.Uint16(e), r.bo.Uint16(e[2:]), r.bo.Uint32(e[4:])
		if typ == 0 || int(typ) >= len(typeSize) {
			continue // unknown type: skip the entry
		}
		size := uint64(typeSize[typ]) * uint64(count)
		var val []byte
		if size <= 4 {
			val = e[8 : 8+size]
		} else {
			vo := uint64(r.bo.Uint32(e[8:]))
			if vo+size > uint64(len(r.b)) {
				continue // value out of bounds: ignore the entry
			}
			val = r.b[vo : vo+size]
		}
		out[tag] = ifdEntry{typ, count, val}
	}
	return out, nil
}

func (r *tiffReader) str(es map[uint16]ifdEntry, tag uint16) string {
	e, ok := es[tag]
	if !ok || (e.typ != tASCII && e.typ != tUndefined && e.typ != tByte) {
		return ""
	}
	v := e.val
	if i := bytes.IndexByte(v, 0); i >= 0 {
		v = v[:i]
	}
	return string(v)
}

func (r *tiffReader) uint(es map[uint16]ifdEntry, tag uint16) (uint32, bool) {
	e, ok := es[tag]
	if !ok || e.count < 1 {
		return 0, false
	}
	switch e.typ {
	case tShort:
		return uint32(r.bo.Uint16(e.val)), true
	case tLong:
		return r.bo.Uint32(e.val), true
	case tByte:
		return uint32(e.val[0]), true
	}
	return 0, false
}

func (r *tiffReader) rats(es map[uint16]ifdEntry, tag uint16) []float64 {
	e, ok := es[tag]
	if !ok || (e.typ != tRational && e.typ != tSRational) {
		return nil
	}
	out := make([]float64, 0, min(int(e.count), 8))
	for i := 0; i < int(e.count) && i < 8; i++ {
		num, den := r.bo.Uint32(e.val[8*i:]), r.bo.Uint32(e.val[8*i+4:])
		if den == 0 {
			return nil
		}
		if e.typ == tSRational {
			out = append(out, float64(int32(num))/float64(int32(den)))
		} else {
			out = append(out, float64(num)/float64(den))
		}
	}
	return out
}

// findTIFF returns the TIFF bytes of the first EXIF APP1 segment of jpg.
func findTIFF(jpg []byte) ([]byte, error) {
	if len(jpg) < 2 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return nil, ErrNotJPEG
	}
	p := 2
	for p+1 < len(jpg) {
		if jpg[p] != 0xFF {
			return nil, ErrNoExif // lost sync: no EXIF found before it
		}
		m := jpg[p+1]
		switch {
		case m == 0xFF: // fill byte
			p++
			continue
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			p += 2
			continue
		case m == 0xD9 || m == 0xDA:
			return nil, ErrNoExif
		}
		if p+4 > len(jpg) {
			return nil, ErrNoExif
		}
		n := int(binary.BigEndian.Uint16(jpg[p+2:]))
		if n < 2 || p+2+n > len(jpg) {
			return nil, fmt.Errorf("%w: truncated JPEG segment", ErrMalformed)
		}
		seg := jpg[p+4 : p+2+n]
		if m == 0xE1 && bytes.HasPrefix(seg, exifHeader) {
			return seg[len(exifHeader):], nil
		}
		p += 2 + n
	}
	return nil, ErrNoExif
}

func newReader(tiff []byte) (*tiffReader, uint32, error) {
	if len(tiff) < 8 {
		return nil, 0, fmt.Errorf("%w: short TIFF header", ErrMalformed)
	}
	r := &tiffReader{b: tiff}
	switch string(tiff[:2]) {
	case "II":
		r.bo = binary.LittleEndian
	case "MM":
		r.bo = binary.BigEndian
	default:
		return nil, 0, fmt.Errorf("%w: bad byte order", ErrMalformed)
	}
	if r.bo.Uint16(tiff[2:]) != 42 {
		return nil, 0, fmt.Errorf("%w: bad TIFF magic", ErrMalformed)
	}
	return r, r.bo.Uint32(tiff[4:]), nil
}

// Parse reads the metadata of a JPEG: the fields written by Encode, or the
// equivalent standard tags of a camera JPEG (Software, Model, DateTime*,
// GPS). It returns ErrNotJPEG, ErrNoExif, or an error wrapping ErrMalformed;
// it never panics.
func Parse(jpg []byte) (Meta, error) {
	var m Meta
	tiff, err := findTIFF(jpg)
	if err != nil {
		return m, err
	}
	r, off, err := newReader(tiff)
	if err != nil {
		return m, err
	}
	ifd0, err := r.ifd(off)
	if err != nil {
		return m, err
	}
	m.SDKVersion = r.str(ifd0, 0x0131)
	m.DeviceType = r.str(ifd0, 0x0110)
	var exif map[uint16]ifdEntry
	if p, ok := r.uint(ifd0, 0x8769); ok {
		if exif, err = r.ifd(p); err != nil {
			return m, err
		}
	}
	// JSON comment: UserComment, else ImageDescription.
	var c comment
	js := ""
	// UserComment: an 8-byte character code, then the text.
	if e, ok := exif[0x9286]; ok && e.typ == tUndefined && len(e.val) > 8 && string(e.val[:8]) == "ASCII\x00\x00\x00" {
		js = string(bytes.TrimRight(e.val[8:], "\x00"))
	}
	if js == "" {
		js = r.str(ifd0, 0x010E)
	}
	if js != "" && json.Unmarshal([]byte(js), &c) == nil {
		m.Mode, m.CaptureType = c.Mode, c.CaptureType
		if c.Device != "" {
			m.DeviceType = c.Device
		}
		m.Glare, m.Sharpness, m.DPI = c.Glare, c.Sharpness, c.DPI
	}
	// Time.
	ts, zone, sub := r.str(exif, 0x9003), r.str(exif, 0x9011), r.str(exif, 0x9291)
	if ts == "" {
		ts = r.str(ifd0, 0x0132)
	}
	if t, ok := parseTime(ts, zone, sub); ok {
		m.Time = t
	}
	// GPS.
	if p, ok := r.uint(ifd0, 0x8825); ok {
		gps, err := r.ifd(p)
		if err != nil {
			return m, err
		}
		lat, lon := r.rats(gps, 0x0002), r.rats(gps, 0x0004)
		if len(lat) == 3 && len(lon) == 3 {
			// Seconds carry 1e-6" (2.8e-10°): round to 1e-10° so that values
			// written by Segment read back as the decimal degrees given.
			g := &GPS{Lat: deg(lat), Lon: deg(lon)}
			if r.str(gps, 0x0001) == "S" {
				g.Lat = -g.Lat
			}
			if r.str(gps, 0x0003) == "W" {
				g.Lon = -g.Lon
			}
			if a := r.rats(gps, 0x001F); len(a) == 1 {
				g.Accuracy = a[0]
			}
			m.GPS = g
		}
	}
	return m, nil
}

func deg(v []float64) float64 {
	d := v[0] + v[1]/60 + v[2]/3600
	if math.Abs(d) < 1e6 {
		d = math.Round(d*1e10) / 1e10
	}
	return d
}

func parseTime(ts, zone, sub string) (time.Time, bool) {
	if len(ts) < 19 {
		return time.Time{}, false
	}
	loc := time.UTC
	if len(zone) == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' {
		h, e1 := strconv.Atoi(zone[1:3])
		mm, e2 := strconv.Atoi(zone[4:6])
		if e1 == nil && e2 == nil && h <= 14 && mm < 60 {
			s := (h*60 + mm) * 60
			if zone[0] == '-' {
				s = -s
			}
			loc = time.FixedZone("", s)
		}
	}
	t, err := time.ParseInLocation("2006:01:02 15:04:05", ts[:19], loc)
	if err != nil {
		return time.Time{}, false
	}
	if n := len(sub); n > 0 && n <= 9 {
		if v, err := strconv.Atoi(sub); err == nil && v >= 0 {
			for range 9 - n {
				v *= 10
			}
			t = t.Add(time.Duration(v))
		}
	}
	return t, true
}

// Orientation returns the EXIF orientation (tag 0x0112 of IFD0, 1..8) of a
// JPEG, or 1 when there is none or it is invalid. It never panics.
func Orientation(jpg []byte) int {
	tiff, err := findTIFF(jpg)
	if err != nil {
		return 1
	}
	r, off, err := newReader(tiff)
	if err != nil {
		return 1
	}
	ifd0, err := r.ifd(off)
	if err != nil {
		return 1
	}
	if v, ok := r.uint(ifd0, 0x0112); ok && v >= 1 && v <= 8 {
		return int(v)
	}
	return 1
}
