package pdf417

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/globalgateway/ggcapture/classify/aamva"
)

// TestSymbolTable checks every entry of the 3x929 pattern table against the
// rules of the specification and checks that the encoder's patterns decode
// back to the same cluster and value.
func TestSymbolTable(t *testing.T) {
	seen := map[int]bool{}
	for ci := 0; ci < 3; ci++ {
		for v := 0; v < 929; v++ {
			w := widths(ci, v)
			sum := 0
			for _, x := range w {
				if x < 1 || x > 6 {
					t.Fatalf("cluster %d value %d: element width %d", 3*ci, v, x)
				}
				sum += x
			}
			if sum != 17 {
				t.Fatalf("cluster %d value %d: %d modules", 3*ci, v, sum)
			}
			if clusterOf(w) != 3*ci {
				t.Fatalf("cluster %d value %d: pattern %v is in cluster %d", 3*ci, v, w, clusterOf(w))
			}
			k := patternKey(w)
			if seen[k] {
				t.Fatalf("pattern %v used twice", w)
			}
			seen[k] = true
			gc, gv, ok := decodePattern(w)
			if !ok || gc != ci || gv != v {
				t.Fatalf("decodePattern(%v) = %d,%d,%v want %d,%d", w, gc, gv, ok, ci, v)
			}
		}
	}
	// Exactly 929 patterns selected per cluster, ordered by t-sequence
	// (e2..e6), each t-sequence used once.
	for ci := 0; ci < 3; ci++ {
		var prev [5]int
		for v := 0; v < 929; v++ {
			w := widths(ci, v)
			k := [5]int{w[1] + w[2], w[2] + w[3], w[3] + w[4], w[4] + w[5], w[5] + w[6]}
			if v > 0 && !lessKey(prev, k) {
				t.Fatalf("cluster %d: value %d not after value %d in t-sequence order", 3*ci, v, v-1)
			}
			prev = k
		}
		n := 0
		for _, c := range clusterSelection[ci] {
			d := strings.IndexByte("0123456789abcdef", byte(c))
			for ; d > 0; d &= d - 1 {
				n++
			}
		}
		if n != 929 {
			t.Fatalf("cluster %d selection has %d patterns", 3*ci, n)
		}
	}
	// Known characters: the first values of each cluster and row 0 of the
	// specification's worked example "PDF417" (left indicator 0, length
	// descriptor 5, data 453 178, right indicator 2).
	for _, tc := range []struct {
		ci, v int
		want  string
	}{{0, 0, "31111136"}, {0, 1, "41111144"}, {0, 2, "51111152"}, {1, 0, "51111125"}, {2, 0, "21111155"},
		{0, 5, "51111251"}, {0, 453, "31312223"}, {0, 178, "51211142"}} {
		w := widths(tc.ci, tc.v)
		got := ""
		for _, x := range w {
			got += fmt.Sprint(x)
		}
		if got != tc.want {
			t.Errorf("cluster %d value %d = %s, want %s", 3*tc.ci, tc.v, got, tc.want)
		}
	}
}

// TestSpecExample follows the specification's worked example "PDF417":
// text compaction gives 453 178 121 239 and error correction level 1 adds
// 452 327 657 619 after the length descriptor 5.
func TestSpecExample(t *testing.T) {
	cw := encodeText([]byte("PDF417"))
	if fmt.Sprint(cw) != "[453 178 121 239]" {
		t.Fatalf("text compaction = %v", cw)
	}
	ec := ecCodewords([]int{5, 453, 178, 121, 239}, 4)
	if fmt.Sprint(ec) != "[452 327 657 619]" {
		t.Fatalf("EC codewords = %v", ec)
	}
}

func TestReedSolomon(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	iters := 300
	if testing.Short() {
		iters = 60
	}
	for it := 0; it < iters; it++ {
		ecl := rng.Intn(7)
		k := 2 << uint(ecl)
		nd := 1 + rng.Intn(200)
		if nd+k > 928 {
			nd = 928 - k
		}
		data := make([]int, nd)
		for i := range data {
			data[i] = rng.Intn(929)
		}
		cw := append(append([]int(nil), data...), ecCodewords(data, k)...)
		n := len(cw)
		// Up to capacity: 2*errors + erasures <= k.
		ner := rng.Intn(k + 1)
		nerr := rng.Intn((k-ner)/2 + 1)
		bad := append([]int(nil), cw...)
		perm := rng.Perm(n)
		var erasures []int
		for _, p := range perm[:ner] {
			erasures = append(erasures, p)
			bad[p] = rng.Intn(929)
		}
		for _, p := range perm[ner : ner+nerr] {
			bad[p] = (bad[p] + 1 + rng.Intn(928)) % 929
		}
		fixed, err := correct(bad, k, erasures)
		if err != nil {
			t.Fatalf("it %d: k=%d erasures=%d errors=%d: %v", it, k, ner, nerr, err)
		}
		for i := range cw {
			if bad[i] != cw[i] {
				t.Fatalf("it %d: codeword %d not restored", it, i)
			}
		}
		if fixed > ner+nerr {
			t.Fatalf("it %d: corrected %d > injected %d", it, fixed, ner+nerr)
		}
	}
	// Beyond capacity: must not succeed silently with wrong data too often.
	wrong := 0
	for it := 0; it < 50; it++ {
		k := 8
		data := make([]int, 20)
		for i := range data {
			data[i] = rng.Intn(929)
		}
		cw := append(append([]int(nil), data...), ecCodewords(data, k)...)
		bad := append([]int(nil), cw...)
		for _, p := range rng.Perm(len(cw))[:k] { // k errors = twice the capacity
			bad[p] = (bad[p] + 1 + rng.Intn(928)) % 929
		}
		if _, err := correct(bad, k, nil); err == nil && fmt.Sprint(bad) != fmt.Sprint(cw) {
			wrong++
		}
	}
	if wrong > 5 {
		t.Errorf("%d/50 over-capacity blocks miscorrected silently", wrong)
	}
	if _, err := correct([]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 8, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}); !errors.Is(err, ErrTooDamaged) {
		t.Errorf("too many erasures: %v", err)
	}
}

func TestHighLevelRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	cases := []string{"", "A", "PDF417", "hello World", "0123456789012345678901234567890123456789012345678901",
		"MiXeD;<>@[\\]_`~!'case\r\n\t{}", "@\n\x1e\rANSI 636014080102DL00410278ZC03190024DLDAQ1234\n",
		"\x00\x01\x02\x03\x04\x05", "\xff\xfe\xfd\xfc\xfb", "a\x1eb\x1ec", "tail shift z\x80"}
	for i := 0; i < 300; i++ {
		n := rng.Intn(120)
		b := make([]byte, n)
		for j := range b {
			switch rng.Intn(4) {
			case 0:
				b[j] = byte(rng.Intn(256))
			case 1:
				b[j] = byte('0' + rng.Intn(10))
			default:
				b[j] = byte(32 + rng.Intn(95))
			}
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		for _, c := range []Compaction{CompactionAuto, CompactionText, CompactionByte} {
			cw := append([]int{0}, encodeData([]byte(s), c)...)
			cw[0] = len(cw)
			got, err := DecodeCodewords(cw)
			if err != nil || !bytes.Equal(got, []byte(s)) {
				t.Fatalf("mode %d %q: got %q, %v (cw %v)", c, s, got, err, cw)
			}
		}
	}
}

// render draws the symbol on a card-like canvas: scale, rotation, skew,
// blur and noise, seeded.
func render(sym *Symbol, rng *rand.Rand, modulePx, angleDeg, skew, blur, noise float64) *image.Gray {
	base := sym.Image(1, 1, 0)
	mw, mh := float64(base.Bounds().Dx()), float64(sym.Rows)
	rowH := 3.0 + rng.Float64()
	W := int(mw*modulePx + 40*modulePx)
	H := int(mh*rowH*modulePx + 40*modulePx + math.Abs(math.Sin(angleDeg*math.Pi/180))*mw*modulePx)
	img := image.NewGray(image.Rect(0, 0, W, H))
	cx, cy := float64(W)/2, float64(H)/2
	sa, ca := math.Sin(angleDeg*math.Pi/180), math.Cos(angleDeg*math.Pi/180)
	bg := 200 + rng.Float64()*50
	ink := 10 + rng.Float64()*50
	ss := 2 // supersampling
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			acc := 0.0
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := float64(x) + (float64(sx)+0.5)/float64(ss) - cx
					py := float64(y) + (float64(sy)+0.5)/float64(ss) - cy
					// Inverse rotation, then inverse skew.
					u := ca*px + sa*py
					v := -sa*px + ca*py
					u -= skew * v
					mx := u/modulePx + mw/2
					my := v/(modulePx*rowH) + mh/2
					val := bg
					if mx >= 0 && my >= 0 && mx < mw && my < mh && base.Pix[int(my)*base.Stride+int(mx)] == 0 {
						val = ink
					}
					acc += val
				}
			}
			img.Pix[y*img.Stride+x] = uint8(acc / float64(ss*ss))
		}
	}
	if blur > 0 {
		gaussBlur(img, blur)
	}
	for i := range img.Pix {
		v := float64(img.Pix[i]) + rng.NormFloat64()*noise
		img.Pix[i] = uint8(math.Max(0, math.Min(255, v)))
	}
	return img
}

// gaussBlur blurs img with a separable Gaussian of the given sigma (px).
func gaussBlur(img *image.Gray, sigma float64) {
	r := int(math.Ceil(3 * sigma))
	if r < 1 {
		return
	}
	k := make([]float64, 2*r+1)
	sum := 0.0
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	src := make([]float64, w*h)
	for i, v := range img.Pix {
		src[i] = float64(v)
	}
	tmp := make([]float64, w*h)
	clamp := func(v, hi int) int {
		if v < 0 {
			return 0
		}
		if v > hi {
			return hi
		}
		return v
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for i, kv := range k {
				s += kv * src[y*w+clamp(x+i-r, w-1)]
			}
			tmp[y*w+x] = s
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for i, kv := range k {
				s += kv * tmp[clamp(y+i-r, h-1)*w+x]
			}
			img.Pix[y*w+x] = uint8(math.Max(0, math.Min(255, s+0.5)))
		}
	}
}

func randomAAMVA(rng *rand.Rand) aamva.Record {
	js := aamva.Jurisdictions()
	j := js[rng.Intn(len(js))]
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('A' + rng.Intn(26))
		}
		return string(b)
	}
	sub := "DL"
	if rng.Intn(3) == 0 {
		sub = "ID"
	}
	return aamva.Record{IIN: j.IIN, Version: 1 + rng.Intn(10), JurisdictionVersion: rng.Intn(10), Subfile: sub,
		FamilyName: word(3 + rng.Intn(10)), FirstName: word(2 + rng.Intn(8)), MiddleName: word(rng.Intn(6)),
		DocumentNumber: fmt.Sprintf("%s%08d", word(1), rng.Intn(100000000)),
		BirthDate:      aamva.Date{Year: 1930 + rng.Intn(80), Month: 1 + rng.Intn(12), Day: 1 + rng.Intn(28)},
		ExpiryDate:     aamva.Date{Year: 2024 + rng.Intn(12), Month: 1 + rng.Intn(12), Day: 1 + rng.Intn(28)},
		Sex:            []string{"M", "F"}[rng.Intn(2)],
		Street:         fmt.Sprintf("%d %s AVE", 1+rng.Intn(9999), word(6)), City: word(4 + rng.Intn(8)),
		State: j.Code, PostalCode: fmt.Sprintf("%05d0000", rng.Intn(100000)), Height: fmt.Sprintf("%03d in", 58+rng.Intn(20)),
	}
}

// TestAAMVARoundTrip: Build -> Encode -> render (scale, rotation, skew, blur,
// noise) -> Decode -> Parse for generated licences.
func TestAAMVARoundTrip(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 12
	}
	rng := rand.New(rand.NewSource(2026))
	ok := 0
	var corrected int
	for i := 0; i < n; i++ {
		rec := randomAAMVA(rng)
		payload := aamva.Build(rec)
		sym, err := Encode([]byte(payload), EncodeOptions{AutoEC: true, Columns: 10 + rng.Intn(8)})
		if err != nil {
			t.Fatalf("#%d Encode: %v", i, err)
		}
		modulePx := 2.0 + rng.Float64()*1.5
		angle := (rng.Float64()*2 - 1) * 4 // ±4°
		if rng.Intn(2) == 0 {
			angle += 180 // upside-down card
		}
		skew := (rng.Float64()*2 - 1) * 0.05
		blur := rng.Float64() * 0.8 // Gaussian sigma in px
		noise := rng.Float64() * 10
		img := render(sym, rng, modulePx, angle, skew, blur, noise)
		res, err := Decode(img)
		if err != nil {
			t.Errorf("#%d (module %.2f angle %.1f skew %.3f blur %.2f noise %.1f): %v", i, modulePx, angle, skew, blur, noise, err)
			continue
		}
		if res.Text != payload {
			t.Errorf("#%d: text mismatch", i)
			continue
		}
		r, err := aamva.Parse(res.Text)
		if err != nil || r.IIN != rec.IIN || r.FamilyName != rec.FamilyName || r.DocumentNumber != rec.DocumentNumber || r.BirthDate != rec.BirthDate {
			t.Errorf("#%d: parse %v %+v", i, err, r)
			continue
		}
		corrected += res.Corrected
		ok++
	}
	t.Logf("AAMVA round trip: %d/%d decoded and parsed exactly (%d codewords corrected in total)", ok, n, corrected)
}

func TestDecodeErrors(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 200, 100))
	if _, err := Decode(blank); !errors.Is(err, ErrNotFound) {
		t.Errorf("blank: %v", err)
	}
	if _, err := Decode(nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("nil: %v", err)
	}
	// Damage beyond the error correction capacity.
	sym, _ := Encode([]byte("DAMAGED SYMBOL TEST 1234"), EncodeOptions{ECLevel: 0, Columns: 3})
	img := sym.Image(3, 9, 2)
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X + 3*(17+17+2); x < b.Min.X+3*(17+17*3+2); x++ {
			if (x/5+y/7)%2 == 0 {
				img.Pix[y*img.Stride+x] = 255 - img.Pix[y*img.Stride+x]
			}
		}
	}
	if _, err := Decode(img); err == nil {
		t.Errorf("heavily damaged symbol decoded")
	}
}

func TestEncodeOptions(t *testing.T) {
	for ec := 0; ec <= 8; ec++ {
		sym, err := Encode([]byte("ec level test"), EncodeOptions{ECLevel: ec, Columns: 6})
		if err != nil {
			if ec == 8 {
				continue // 512 EC codewords need more rows than 6 columns allow
			}
			t.Fatal(err)
		}
		res, err := Decode(sym.Image(2, 6, 2))
		if err != nil || res.Text != "ec level test" || res.ECLevel != ec || res.Cols != 6 {
			t.Errorf("ec %d: %+v %v", ec, res, err)
		}
	}
	if _, err := Encode(bytes.Repeat([]byte{0xAA}, 2000), EncodeOptions{AutoEC: true}); !errors.Is(err, ErrTooLong) {
		t.Errorf("too long: %v", err)
	}
}

func FuzzDecodeCodewords(f *testing.F) {
	f.Add([]byte{0, 5, 1, 197, 0, 178, 0, 121, 0, 239})
	f.Add([]byte{0, 8, 3, 133, 1, 0, 2, 0, 3, 0, 4, 0, 5})
	f.Add([]byte{0, 4, 3, 134, 0, 1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		cw := make([]int, len(b)/2)
		for i := range cw {
			cw[i] = (int(b[2*i])<<8 | int(b[2*i+1])) % 929
		}
		_, _ = DecodeCodewords(cw)
		if len(cw) > 4 {
			c := append([]int(nil), cw...)
			_, _ = correct(c, 4, []int{0, len(c) - 1})
		}
	})
}

func FuzzDecodeImage(f *testing.F) {
	sym, _ := Encode([]byte("fuzz"), EncodeOptions{AutoEC: true, Columns: 2})
	img := sym.Image(1, 3, 2)
	seed := append([]byte{byte(img.Bounds().Dx())}, img.Pix...)
	f.Add(seed)
	f.Add([]byte{40, 0, 255, 0, 255})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 2 {
			return
		}
		w := int(b[0]) + 1
		h := (len(b) - 1) / w
		if h < 1 {
			return
		}
		g := &image.Gray{Pix: b[1 : 1+w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}
		if _, err := Decode(g); err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatal(err)
		}
	})
}

// cardBack renders a 2000 px wide licence back with an AAMVA symbol.
func cardBack() (*image.Gray, string) {
	rng := rand.New(rand.NewSource(99))
	payload := aamva.Build(randomAAMVA(rng))
	sym, _ := Encode([]byte(payload), EncodeOptions{AutoEC: true, Columns: 13})
	s := sym.Image(5, 15, 0)
	card := image.NewGray(image.Rect(0, 0, 2000, 1261))
	for i := range card.Pix {
		card.Pix[i] = 235
	}
	ox, oy := (2000-s.Bounds().Dx())/2, 1261-s.Bounds().Dy()-120
	for y := 0; y < s.Bounds().Dy(); y++ {
		copy(card.Pix[(oy+y)*card.Stride+ox:], s.Pix[y*s.Stride:y*s.Stride+s.Bounds().Dx()])
	}
	return card, payload
}

func BenchmarkDecodeCardBack2000(b *testing.B) {
	card, payload := cardBack()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		res, err := Decode(card)
		if err != nil || res.Text != payload {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	payload := []byte(aamva.Build(randomAAMVA(rand.New(rand.NewSource(1)))))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Encode(payload, EncodeOptions{AutoEC: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCorrect(b *testing.B) {
	data := make([]int, 300)
	for i := range data {
		data[i] = i * 7 % 929
	}
	cw := append(data, ecCodewords(data, 64)...)
	bad := make([]int, len(cw))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		copy(bad, cw)
		for j := 0; j < 20; j++ {
			bad[j*11] = (bad[j*11] + 5) % 929
		}
		if _, err := correct(bad, 64, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestColourInputs decodes the same symbol from every image type toPlane
// handles specially and from a generic one.
func TestColourInputs(t *testing.T) {
	sym, _ := Encode([]byte("colour input 42"), EncodeOptions{AutoEC: true})
	g := sym.Image(2, 6, 2)
	b := g.Bounds()
	nrgba := image.NewNRGBA(b)
	rgba := image.NewRGBA(b)
	ycc := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	gray16 := image.NewGray16(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := g.GrayAt(x, y)
			nrgba.Set(x, y, c)
			rgba.Set(x, y, c)
			gray16.Set(x, y, c)
			ycc.Y[ycc.YOffset(x, y)] = c.Y
			ycc.Cb[ycc.COffset(x, y)], ycc.Cr[ycc.COffset(x, y)] = 128, 128
		}
	}
	for name, img := range map[string]image.Image{"gray": g, "nrgba": nrgba, "rgba": rgba, "ycbcr": ycc, "gray16": gray16} {
		res, err := Decode(img)
		if err != nil || res.Text != "colour input 42" {
			t.Errorf("%s: %q %v", name, res.Text, err)
		}
	}
}

func lessKey(a, b [5]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// TestCroppedSymbols: a symbol cut on the left (no start pattern) is read
// from the stop pattern, one cut on the right (no stop pattern) from the
// start pattern; error correction restores the lost column.
func TestCroppedSymbols(t *testing.T) {
	msg := "CROPPED SYMBOL, read from one edge only. 0123456789"
	sym, err := Encode([]byte(msg), EncodeOptions{ECLevel: 5, Columns: 6})
	if err != nil {
		t.Fatal(err)
	}
	full := sym.Image(3, 9, 2)
	w, h := full.Bounds().Dx(), full.Bounds().Dy()
	crop := func(x0, x1 int) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, x1-x0, h))
		for y := 0; y < h; y++ {
			copy(g.Pix[y*g.Stride:], full.Pix[y*full.Stride+x0:y*full.Stride+x1])
		}
		return g
	}
	q := 2 * 3 // quiet zone px
	cases := map[string]*image.Gray{
		"no start (left cut)":                   crop(q+17*3+4, w),
		"no stop (right cut)":                   crop(0, w-q-18*3-4),
		"no start, left indicator half missing": crop(q+17*3+9*3, w),
	}
	for name, img := range cases {
		res, err := Decode(img)
		if err != nil || res.Text != msg {
			t.Errorf("%s: %q %v", name, res.Text, err)
		}
	}
}

// TestHighLevelModes covers decoder cases the encoder never produces.
func TestHighLevelModes(t *testing.T) {
	tests := []struct {
		name string
		cw   []int
		want string
	}{
		{"byte mode continues after ECI", []int{0, 901, 65, 66, 927, 26, 67}, "ABC"},
		{"text sub-mode continues after ECI", []int{0, 27*30 + 0, 927, 26, 1*30 + 2}, "abc"},
		{"reader init ignored", []int{0, 921, 1}, "AB"},
		{"numeric", []int{0, 902, 1, 624, 434, 632, 282, 200}, "000213298174000"},
		{"punct shift then alpha latch while lower", []int{0, 27*30 + 0, 29*30 + 29, 1*30 + 26}, "aB "},
		{"shift ended by byte shift", []int{0, 0*30 + 29, 913, 30, 1*30 + 26}, "A\x1eB "},
		{"lower alpha-shift", []int{0, 27*30 + 0, 27*30 + 1, 2*30 + 26}, "aBc "},
		{"macro control block ends data", []int{0, 1, 928, 111, 100, 922}, "AB"},
	}
	for _, tc := range tests {
		cw := append([]int(nil), tc.cw...)
		cw[0] = len(cw)
		got, err := DecodeCodewords(cw)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	for _, bad := range [][]int{{0}, {5, 1}, {2, 1000}, {3, 902, 5}} {
		if _, err := DecodeCodewords(bad); err == nil {
			t.Errorf("DecodeCodewords(%v) accepted", bad)
		}
	}
}
