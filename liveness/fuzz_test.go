package liveness

import (
	"encoding/binary"
	"errors"
	"image"
	"testing"
)

// FuzzNewDetector feeds arbitrary bytes (seeded with truncations and header
// mutations of the real cascades) to the cascade loader: it must return an
// error or a working detector, never panic.
func FuzzNewDetector(f *testing.F) {
	ff, pl := cascades(f)
	f.Add(ff[:16], pl[:16])
	f.Add(ff[:1000], pl[:1000])
	f.Add([]byte{}, []byte{})
	hdr := func(b []byte, off int, v uint32) []byte {
		c := append([]byte{}, b[:64]...)
		binary.LittleEndian.PutUint32(c[off:], v)
		return c
	}
	f.Add(hdr(ff, 8, 1), hdr(pl, 12, 1))
	f.Add(hdr(ff, 12, 0), hdr(pl, 0, 0))
	f.Add(hdr(ff, 8, 0xffffffff), hdr(pl, 8, 0xffffffff))
	// tiny valid facefinder: depth 1, one tree (8 header bytes + 8 + 8·2)
	tiny := make([]byte, 16+16)
	binary.LittleEndian.PutUint32(tiny[8:], 1)
	binary.LittleEndian.PutUint32(tiny[12:], 1)
	tinyPL := make([]byte, 16+12*2-4)
	binary.LittleEndian.PutUint32(tinyPL[0:], 1)
	binary.LittleEndian.PutUint32(tinyPL[4:], 0x3f4ccccd) // 0.8
	binary.LittleEndian.PutUint32(tinyPL[8:], 1)
	binary.LittleEndian.PutUint32(tinyPL[12:], 1)
	f.Add(tiny, tinyPL)
	g := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 31)
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		d, err := NewDetector(a, b)
		if err != nil {
			if d != nil || !errors.Is(err, ErrCascade) {
				t.Fatalf("error %v with detector %v", err, d)
			}
			return
		}
		// a structurally valid cascade must be usable without panics
		d.Faces(g)
		d.Check(g)
	})
}

// TestTinyCascades runs the smallest valid cascades end to end.
func TestTinyCascades(t *testing.T) {
	tiny := make([]byte, 16+16)
	binary.LittleEndian.PutUint32(tiny[8:], 1)
	binary.LittleEndian.PutUint32(tiny[12:], 1)
	tinyPL := make([]byte, 16+12*2-4)
	binary.LittleEndian.PutUint32(tinyPL[0:], 1)
	binary.LittleEndian.PutUint32(tinyPL[4:], 0x3f4ccccd)
	binary.LittleEndian.PutUint32(tinyPL[8:], 1)
	binary.LittleEndian.PutUint32(tinyPL[12:], 1)
	d, err := NewDetector(tiny, tinyPL)
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(image.Rect(0, 0, 100, 80))
	if faces := d.Faces(g); len(faces) != 0 {
		t.Fatalf("tiny cascade found %d faces", len(faces))
	}
}
