package exif

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand"
	"testing"
	"time"
)

func testImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 7), uint8(y * 5), uint8(x + y), 255})
		}
	}
	return img
}

func sampleMeta() Meta {
	return Meta{
		Mode: "auto", CaptureType: "DOCUMENT_FRONT", SDKVersion: "ggcapture 0.1.0",
		Time:       time.Date(2026, 11, 25, 18, 4, 5, 678_900_000, time.FixedZone("", -(7*3600+30*60))),
		DeviceType: "mobile", Glare: 99.99, Sharpness: 68.2, DPI: 551,
		GPS: &GPS{Lat: 49.2827, Lon: -123.1207, Accuracy: 12.5},
	}
}

func encode(t testing.TB, img image.Image, m Meta) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, img, 85, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		m    Meta
	}{
		{"full", sampleMeta()},
		{"no gps", func() Meta { m := sampleMeta(); m.GPS = nil; return m }()},
		{"southern east", func() Meta { m := sampleMeta(); m.GPS = &GPS{Lat: -33.8688, Lon: 151.2093}; return m }()},
		{"extremes", func() Meta { m := sampleMeta(); m.GPS = &GPS{Lat: 90, Lon: -180, Accuracy: 0.01}; return m }()},
		{"zero", Meta{}},
		{"utc", Meta{Mode: "manual", CaptureType: "SELFIE", Time: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := encode(t, testImage(64, 40), tc.m)
			img, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("image/jpeg cannot decode the output: %v", err)
			}
			if img.Bounds().Dx() != 64 || img.Bounds().Dy() != 40 {
				t.Fatalf("decoded size %v", img.Bounds())
			}
			got, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.m
			if got.Mode != want.Mode || got.CaptureType != want.CaptureType || got.SDKVersion != want.SDKVersion ||
				got.DeviceType != want.DeviceType || got.Glare != want.Glare || got.Sharpness != want.Sharpness || got.DPI != want.DPI {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			wt := want.Time.Truncate(time.Millisecond)
			if !got.Time.Equal(wt) {
				t.Errorf("time %v, want %v", got.Time, wt)
			}
			if !want.Time.IsZero() {
				_, o1 := got.Time.Zone()
				_, o2 := want.Time.Zone()
				if o1 != o2 {
					t.Errorf("zone offset %d, want %d", o1, o2)
				}
			}
			if (got.GPS == nil) != (want.GPS == nil) {
				t.Fatalf("GPS %v, want %v", got.GPS, want.GPS)
			}
			if want.GPS != nil {
				if math.Abs(got.GPS.Lat-want.GPS.Lat) > 1e-9 || math.Abs(got.GPS.Lon-want.GPS.Lon) > 1e-9 ||
					math.Abs(got.GPS.Accuracy-want.GPS.Accuracy) > 0.005 {
					t.Errorf("GPS %+v, want %+v", *got.GPS, *want.GPS)
				}
			}
			if o := Orientation(data); o != 1 {
				t.Errorf("Orientation = %d", o)
			}
		})
	}
}

func TestRandomRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	n := 300
	if testing.Short() {
		n = 50
	}
	seg0 := 0
	for i := range n {
		m := Meta{
			Mode: []string{"auto", "manual"}[r.Intn(2)], CaptureType: "PASSPORT",
			Glare: r.Float64() * 100, Sharpness: r.Float64() * 100, DPI: r.Float64() * 1000,
			Time: time.Unix(r.Int63n(4e9), r.Int63n(1e9)).In(time.FixedZone("", (r.Intn(27)-12)*3600)),
			GPS:  &GPS{Lat: r.Float64()*180 - 90, Lon: r.Float64()*360 - 180, Accuracy: float64(r.Intn(10000)) / 100},
		}
		seg, err := Segment(m, 100, 50)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			seg0 = len(seg)
		}
		jpg, err := Insert([]byte{0xFF, 0xD8, 0xFF, 0xD9}, seg)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(jpg)
		if err != nil {
			t.Fatal(err)
		}
		if got.Glare != m.Glare || got.DPI != m.DPI || !got.Time.Equal(m.Time.Truncate(time.Millisecond)) ||
			math.Abs(got.GPS.Lat-m.GPS.Lat) > 1e-9 || math.Abs(got.GPS.Lon-m.GPS.Lon) > 1e-9 ||
			math.Abs(got.GPS.Accuracy-m.GPS.Accuracy) > 1e-9 {
			t.Fatalf("%d: got %+v %+v, want %+v %+v", i, got, *got.GPS, m, *m.GPS)
		}
	}
	t.Logf("segment size with GPS: %d bytes", seg0)
}

func TestCleanText(t *testing.T) {
	m := Meta{DeviceType: "Pixel\n7 «Pro»", SDKVersion: string(bytes.Repeat([]byte("v"), 500)), Glare: math.NaN()}
	got, err := Parse(encode(t, testImage(8, 8), m))
	if err != nil {
		t.Fatal(err)
	}
	if got.DeviceType != "Pixel?7 ?Pro?" {
		t.Errorf("DeviceType %q", got.DeviceType)
	}
	if len(got.SDKVersion) != MaxText {
		t.Errorf("SDKVersion length %d", len(got.SDKVersion))
	}
	if got.Glare != 0 {
		t.Errorf("NaN glare stored as %v", got.Glare)
	}
	if _, err := Segment(Meta{GPS: &GPS{Lat: 91}}, 1, 1); err == nil {
		t.Error("latitude 91 accepted")
	}
	if _, err := Segment(Meta{GPS: &GPS{Lat: math.NaN()}}, 1, 1); err == nil {
		t.Error("NaN latitude accepted")
	}
}

func TestInsertReplacesExif(t *testing.T) {
	data := encode(t, testImage(16, 16), sampleMeta())
	m2 := Meta{Mode: "manual", SDKVersion: "second"}
	seg, err := Segment(m2, 16, 16)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Insert(data, seg)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(out, exifHeader); n != 1 {
		t.Errorf("%d EXIF headers after Insert", n)
	}
	got, err := Parse(out)
	if err != nil || got.SDKVersion != "second" || got.GPS != nil {
		t.Errorf("after Insert: %+v, %v", got, err)
	}
	if _, err := jpeg.Decode(bytes.NewReader(out)); err != nil {
		t.Error(err)
	}
	if _, err := Insert([]byte("GIF89a"), seg); !errors.Is(err, ErrNotJPEG) {
		t.Errorf("Insert into non-JPEG: %v", err)
	}
}

func TestSegmentLayout(t *testing.T) {
	data := encode(t, testImage(8, 8), sampleMeta())
	// APP1 right after SOI.
	if data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF || data[3] != 0xE1 || string(data[6:12]) != "Exif\x00\x00" {
		t.Fatalf("APP1 not right after SOI: % x", data[:12])
	}
	tiff, err := findTIFF(data)
	if err != nil {
		t.Fatal(err)
	}
	r, off, err := newReader(tiff)
	if err != nil {
		t.Fatal(err)
	}
	ifd0, err := r.ifd(off)
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []uint16{0x010E, 0x010F, 0x0110, 0x0112, 0x011A, 0x011B, 0x0128, 0x0131, 0x0132, 0x0213, 0x8769, 0x8825} {
		if _, ok := ifd0[tag]; !ok {
			t.Errorf("IFD0 lacks tag %#04x", tag)
		}
	}
	if r.str(ifd0, 0x010F) != Make || r.str(ifd0, 0x0132) != "2026:11:25 18:04:05" {
		t.Errorf("Make %q DateTime %q", r.str(ifd0, 0x010F), r.str(ifd0, 0x0132))
	}
	p, _ := r.uint(ifd0, 0x8769)
	ex, err := r.ifd(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.str(ex, 0x9011) != "-07:30" || r.str(ex, 0x9291) != "678" || r.str(ex, 0x9000) != "0232" {
		t.Errorf("offset %q subsec %q version %q", r.str(ex, 0x9011), r.str(ex, 0x9291), r.str(ex, 0x9000))
	}
	if w, _ := r.uint(ex, 0xA002); w != 8 {
		t.Errorf("PixelXDimension %d", w)
	}
	// Tags ascending in every IFD (TIFF requirement).
	checkSorted := func(off uint32) {
		n := int(r.bo.Uint16(tiff[off:]))
		prev := -1
		for i := range n {
			tag := int(r.bo.Uint16(tiff[int(off)+2+12*i:]))
			if tag <= prev {
				t.Errorf("IFD at %d: tag %#x after %#x", off, tag, prev)
			}
			prev = tag
		}
	}
	checkSorted(off)
	checkSorted(p)
	g, _ := r.uint(ifd0, 0x8825)
	checkSorted(g)
	gps, _ := r.ifd(g)
	lat := r.rats(gps, 0x0002)
	if lat[0] != 49 || lat[1] != 16 || math.Abs(lat[2]-57.72) > 1e-6 {
		t.Errorf("GPSLatitude %v, want 49 16 57.72", lat)
	}
	if r.str(gps, 0x0003) != "W" || r.str(gps, 0x0001) != "N" {
		t.Error("GPS refs")
	}
}

// tiffBE builds a big-endian EXIF segment with one IFD0 SHORT orientation.
func jpegWithOrientation(bo binary.ByteOrder, o uint16) []byte {
	tiff := make([]byte, 8+2+12+4)
	if bo == binary.BigEndian {
		copy(tiff, "MM")
	} else {
		copy(tiff, "II")
	}
	bo.PutUint16(tiff[2:], 42)
	bo.PutUint32(tiff[4:], 8)
	bo.PutUint16(tiff[8:], 1)
	bo.PutUint16(tiff[10:], 0x0112)
	bo.PutUint16(tiff[12:], tShort)
	bo.PutUint32(tiff[14:], 1)
	bo.PutUint16(tiff[18:], o)
	seg := []byte{0xFF, 0xE1, 0, 0}
	seg = append(seg, exifHeader...)
	seg = append(seg, tiff...)
	binary.BigEndian.PutUint16(seg[2:], uint16(len(seg)-2))
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, testImage(4, 4), nil)
	out, _ := Insert(buf.Bytes(), seg)
	return out
}

func TestOrientation(t *testing.T) {
	for _, bo := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
		for o := uint16(0); o <= 10; o++ {
			want := int(o)
			if o < 1 || o > 8 {
				want = 1
			}
			data := jpegWithOrientation(bo, o)
			if got := Orientation(data); got != want {
				t.Errorf("%v orientation %d: got %d", bo, o, got)
			}
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				t.Fatal(err)
			}
			// Parse works on a camera-style EXIF without our tags.
			if _, err := Parse(data); err != nil {
				t.Errorf("Parse: %v", err)
			}
		}
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, testImage(4, 4), nil)
	if Orientation(buf.Bytes()) != 1 {
		t.Error("no EXIF: want 1")
	}
	if _, err := Parse(buf.Bytes()); !errors.Is(err, ErrNoExif) {
		t.Errorf("Parse without EXIF: %v", err)
	}
	if _, err := Parse([]byte("\x89PNG")); !errors.Is(err, ErrNotJPEG) {
		t.Errorf("Parse PNG: %v", err)
	}
	for _, bad := range [][]byte{nil, {0xFF}, {0xFF, 0xD8}, {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}} {
		if Orientation(bad) != 1 {
			t.Errorf("Orientation(% x) != 1", bad)
		}
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(% x) succeeded", bad)
		}
	}
}

func TestMalformed(t *testing.T) {
	good := encode(t, testImage(8, 8), sampleMeta())
	r := rand.New(rand.NewSource(7))
	n := 3000
	if testing.Short() {
		n = 300
	}
	segEnd := 4 + int(binary.BigEndian.Uint16(good[4:]))
	for range n {
		b := append([]byte(nil), good...)
		// Corrupt bytes inside the APP1 segment, or truncate it.
		switch r.Intn(3) {
		case 0:
			for range 1 + r.Intn(8) {
				b[4+r.Intn(segEnd-4)] = byte(r.Intn(256))
			}
		case 1:
			b = b[:4+r.Intn(segEnd)]
		case 2:
			i := 12 + r.Intn(segEnd-12)
			binary.LittleEndian.PutUint32(b[i&^1:], r.Uint32())
		}
		_, _ = Parse(b) // must not panic
		if o := Orientation(b); o < 1 || o > 8 {
			t.Fatalf("Orientation %d", o)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(encode(f, testImage(8, 8), sampleMeta()))
	f.Add(jpegWithOrientation(binary.BigEndian, 6))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8})
	seg, _ := Segment(sampleMeta(), 3, 3)
	f.Add(append([]byte{0xFF, 0xD8}, seg...))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		o := Orientation(data)
		if o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		if err != nil {
			return
		}
		// Whatever parsed must re-encode and parse to the same numbers.
		if m.GPS != nil && (math.Abs(m.GPS.Lat) > 90 || math.Abs(m.GPS.Lon) > 180 ||
			math.IsNaN(m.GPS.Lat) || math.IsNaN(m.GPS.Lon)) {
			return // out-of-range GPS in foreign EXIF: Segment rejects it, fine
		}
		if m.GPS != nil && !(m.GPS.Accuracy >= 0 && m.GPS.Accuracy < 1e6) {
			m.GPS.Accuracy = 0
		}
		if _, err := Segment(m, 1, 1); err != nil {
			t.Fatalf("re-encoding parsed meta: %v", err)
		}
	})
}

func BenchmarkEncode720p(b *testing.B) {
	img := testImage(1280, 800)
	m := sampleMeta()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Encode(&buf, img, 90, m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSegment(b *testing.B) {
	m := sampleMeta()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Segment(m, 1280, 800); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data := encode(b, testImage(64, 64), sampleMeta())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestEncodeNRGBAMatchesGeneric(t *testing.T) {
	// The NRGBA fast path must give the same JPEG as image/jpeg's generic path.
	img := testImage(37, 23)
	img.Pix[3], img.Pix[7] = 128, 0 // translucent pixels too
	var a, b bytes.Buffer
	if err := Encode(&a, img, 80, Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&b, struct{ image.Image }{img}, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	seg, _ := Segment(Meta{}, 37, 23)
	want, _ := Insert(b.Bytes(), seg)
	if !bytes.Equal(a.Bytes(), want) {
		t.Error("Encode(NRGBA) differs from the generic image/jpeg encoding")
	}
}

// TestCommentJSONMatchesEncodingJSON: the hand-written comment encoder writes
// exactly what encoding/json writes.
func TestCommentJSONMatchesEncodingJSON(t *testing.T) {
	for _, c := range []comment{
		{},
		{Mode: "auto", CaptureType: "DOCUMENT_FRONT", Device: "mobile", Glare: 99.98, Sharpness: 92.5, DPI: 285},
		{Mode: `q"uo\te`, CaptureType: "x", Device: "<tag>&", Glare: 0.000001, Sharpness: 1e20, DPI: 123456789.125},
	} {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if got := commentJSON(c); got != string(want) {
			t.Errorf("commentJSON = %s, encoding/json = %s", got, want)
		}
	}
}
