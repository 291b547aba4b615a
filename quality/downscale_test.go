package quality

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestDownscaleReference checks the box filter's fast paths (factors 4 and
// 6) and its general loop against the plain mean of each block, on frames
// with padded rows.
func TestDownscaleReference(t *testing.T) {
	for _, c := range []struct{ w, h, size int }{
		{320, 180, 320},   // factor 1
		{640, 360, 320},   // 2
		{960, 540, 320},   // 3
		{1280, 720, 320},  // 4
		{1281, 723, 320},  // 5: rows and columns left over
		{1600, 1200, 320}, // 5
		{1920, 1080, 320}, // 6
		{1925, 1085, 320}, // 7
		{1914, 1078, 320}, // 6, not a multiple of it
	} {
		rng := rand.New(rand.NewPCG(uint64(c.w), uint64(c.h)))
		stride := c.w + 7
		pix := make([]byte, stride*c.h)
		for i := range pix {
			pix[i] = byte(rng.IntN(256))
		}
		d := newDetector()
		d.prepare(c.w, c.h, c.size)
		d.downscale(pix, stride)
		f := d.fac
		for j := 0; j < d.sh; j++ {
			for i := 0; i < d.sw; i++ {
				sum := 0
				for y := j * f; y < j*f+f; y++ {
					for x := i * f; x < i*f+f; x++ {
						sum += int(pix[y*stride+x])
					}
				}
				n := f * f
				if want := byte((sum + n/2) / n); d.small[j*d.sw+i] != want {
					t.Fatalf("%dx%d (factor %d): cell (%d, %d) = %d, want %d", c.w, c.h, f, i, j, d.small[j*d.sw+i], want)
				}
			}
		}
	}
}

// TestMeanChroma3Reference checks meanChroma3 (3 x 3 chroma samples per
// detection cell) against the plain mean of each block, planar and
// interleaved.
func TestMeanChroma3Reference(t *testing.T) {
	for _, c := range []struct{ w, h, step int }{
		{1920, 1080, 1},
		{1920, 1080, 2},
		{1914, 1078, 1}, // the grid does not cover the last luma columns and rows
		{1914, 1078, 2},
	} {
		rng := rand.New(rand.NewPCG(uint64(c.w), uint64(c.step)))
		cw, ch := c.w/2, c.h/2
		stride := cw*c.step + 5
		buf := make([]byte, stride*ch+1)
		for i := range buf {
			buf[i] = byte(rng.IntN(256))
		}
		ch0 := &Chroma{Cb: buf, Cr: buf[1:], Stride: stride, Step: c.step, W: cw, H: ch}
		if c.step == 1 {
			cr := make([]byte, len(buf))
			for i := range cr {
				cr[i] = byte(rng.IntN(256))
			}
			ch0.Cr = cr
		}
		if !ch0.valid() {
			t.Fatalf("%+v: invalid chroma", c)
		}
		d := newDetector()
		d.prepare(c.w, c.h, 320)
		if d.fac*cw != 3*c.w || d.fac*ch != 3*c.h {
			if c.w%6 == 0 && c.h%6 == 0 {
				t.Fatalf("%+v: factor %d does not give 3 x 3 chroma cells", c, d.fac)
			}
			continue // the general loop serves this frame
		}
		d.downscaleChroma(ch0)
		for j := 0; j < d.sh; j++ {
			for i := 0; i < d.sw; i++ {
				var sb, sr int
				for y := 3 * j; y < 3*j+3; y++ {
					for x := 3 * i; x < 3*i+3; x++ {
						sb += int(ch0.Cb[y*stride+x*c.step])
						sr += int(ch0.Cr[y*stride+x*c.step])
					}
				}
				if gb, gr := d.scb[j*d.sw+i], d.scr[j*d.sw+i]; gb != byte((sb+4)/9) || gr != byte((sr+4)/9) {
					t.Fatalf("%+v: cell (%d, %d) = %d, %d, want %d, %d", c, i, j, gb, gr, (sb+4)/9, (sr+4)/9)
				}
			}
		}
	}
}

// BenchmarkDownscale times the box filter per frame size: factors 2 (the
// canvas source's 640x360), 4 (1280x720), 5, 6 (1920x1080) and 8.
func BenchmarkDownscale(b *testing.B) {
	for _, sz := range [][2]int{{640, 360}, {1280, 720}, {1600, 900}, {1920, 1080}, {2560, 1440}} {
		w, h := sz[0], sz[1]
		pix := make([]byte, w*h)
		for i := range pix {
			pix[i] = byte(i * 7)
		}
		d := newDetector()
		d.prepare(w, h, 320)
		b.Run(fmt.Sprintf("%dx%d", w, h), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d.downscale(pix, w)
			}
		})
	}
}
