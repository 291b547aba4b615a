package pdf417

import (
	"testing"
)

func TestQuickRoundTrip(t *testing.T) {
	for _, s := range []string{"This is PDF417", "Hello, World! 12345678901234567890 abc\x1e\r\n@ANSI 636014", "A"} {
		sym, err := Encode([]byte(s), EncodeOptions{AutoEC: true})
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeCodewords(sym.Codewords)
		if err != nil || string(got) != s {
			t.Fatalf("codewords: %q %v", got, err)
		}
		img := sym.Image(2, 6, 2)
		r, err := Decode(img)
		if err != nil || r.Text != s {
			t.Fatalf("image: %+v %v", r, err)
		}
	}
}
