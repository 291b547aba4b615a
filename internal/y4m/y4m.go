// Package y4m writes and reads YUV4MPEG2 ("Y4M") video with 4:2:0 chroma in
// BT.601 limited ("studio") range, the format Chromium's
// --use-file-for-fake-video-capture reads (`ggcapture fakecam` uses it).
//
// Conversion from 8-bit R'G'B' (r, g, b in 0..1):
//
//	Y  =  16 +  65.481 r + 128.553 g +  24.966 b   (16..235)
//	Cb = 128 -  37.797 r -  74.203 g + 112.000 b   (16..240)
//	Cr = 128 + 112.000 r -  93.786 g -  18.214 b   (16..240)
//
// Chroma is the value of the 2x2 block's average colour (left/top aligned,
// "420jpeg" siting). Pixels with alpha are composited over black.
//
// Chromium's reader is strict: the header must fit in 200 bytes, every frame
// must be exactly "FRAME\n" plus W*H*3/2 bytes (no frame parameters), the
// size must be even and the file must not end in a partial frame; Chromium
// loops the file. The Writer produces exactly that.
package y4m

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"reflect"
	"strconv"
	"strings"

	xdraw "golang.org/x/image/draw"
)

// MaxDim bounds the width and height Read accepts.
const MaxDim = 16384

// Writer streams frames of one size to a Y4M file.
type Writer struct {
	w          *bufio.Writer
	width, h   int
	y, cb, cr  []uint8
	last       image.Image
	headerDone bool
	fps        int
}

// NewWriter prepares a Y4M stream of width x height frames at fps frames per
// second. Width and height must be even and positive.
func NewWriter(w io.Writer, width, height, fps int) (*Writer, error) {
	if width <= 0 || height <= 0 || width%2 != 0 || height%2 != 0 || width > MaxDim || height > MaxDim {
		return nil, fmt.Errorf("y4m: frame size %dx%d must be even, 2..%d", width, height, MaxDim)
	}
	if fps <= 0 || fps > 1000 {
		return nil, fmt.Errorf("y4m: fps %d out of range 1..1000", fps)
	}
	return &Writer{w: bufio.NewWriterSize(w, 1<<16), width: width, h: height, fps: fps,
		y: make([]uint8, width*height), cb: make([]uint8, width*height/4), cr: make([]uint8, width*height/4)}, nil
}

// WriteFrame converts img (which must be exactly the stream's size) and
// appends it. Passing the same image pointer again reuses the conversion.
func (wr *Writer) WriteFrame(img image.Image) error {
	if img == nil {
		return errors.New("y4m: nil frame")
	}
	b := img.Bounds()
	if b.Dx() != wr.width || b.Dy() != wr.h {
		return fmt.Errorf("y4m: frame is %dx%d, stream is %dx%d", b.Dx(), b.Dy(), wr.width, wr.h)
	}
	if !wr.headerDone {
		if _, err := fmt.Fprintf(wr.w, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", wr.width, wr.h, wr.fps); err != nil {
			return err
		}
		wr.headerDone = true
	}
	if !samePointer(img, wr.last) {
		convert(img, wr.width, wr.h, wr.y, wr.cb, wr.cr)
		wr.last = img
	}
	if _, err := wr.w.WriteString("FRAME\n"); err != nil {
		return err
	}
	for _, p := range [][]uint8{wr.y, wr.cb, wr.cr} {
		if _, err := wr.w.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes buffered data to the underlying writer.
func (wr *Writer) Flush() error { return wr.w.Flush() }

func samePointer(a, b image.Image) bool {
	if a == nil || b == nil {
		return false
	}
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	return va.Kind() == reflect.Pointer && vb.Kind() == reflect.Pointer && va.Type() == vb.Type() && va.Pointer() == vb.Pointer()
}

// Write writes frames (all the same, even size) as a Y4M video at fps.
func Write(w io.Writer, frames []image.Image, fps int) error {
	if len(frames) == 0 {
		return errors.New("y4m: no frames")
	}
	if frames[0] == nil {
		return errors.New("y4m: nil frame")
	}
	b := frames[0].Bounds()
	wr, err := NewWriter(w, b.Dx(), b.Dy(), fps)
	if err != nil {
		return err
	}
	for _, f := range frames {
		if err := wr.WriteFrame(f); err != nil {
			return err
		}
	}
	return wr.Flush()
}

// Fixed-point (x 2^16) BT.601 limited-range coefficients for 8-bit inputs:
// each is the coefficient above divided by 255.
var (
	kYR, kYG, kYB    = fix(65.481), fix(128.553), fix(24.966)
	kCbR, kCbG, kCbB = fix(-37.797), fix(-74.203), fix(112.0)
	kCrR, kCrG, kCrB = fix(112.0), fix(-93.786), fix(-18.214)
)

func fix(c float64) int32 {
	v := c / 255 * 65536
	if v < 0 {
		return int32(v - 0.5)
	}
	return int32(v + 0.5)
}

func clampLimited(v int32, lo, hi int32) uint8 {
	if v < lo {
		return uint8(lo)
	}
	if v > hi {
		return uint8(hi)
	}
	return uint8(v)
}

// rgbRow reads one image row as 8-bit RGB triples (over black) into dst.
func rgbRows(img image.Image) func(y int, dst []uint8) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.NRGBA:
		return func(y int, dst []uint8) {
			row := m.Pix[(y-m.Rect.Min.Y)*m.Stride+(b.Min.X-m.Rect.Min.X)*4:]
			for x := 0; x < b.Dx(); x++ {
				p := row[x*4 : x*4+4 : x*4+4]
				if a := uint32(p[3]); a == 255 {
					dst[x*3], dst[x*3+1], dst[x*3+2] = p[0], p[1], p[2]
				} else {
					dst[x*3] = uint8((uint32(p[0])*a + 127) / 255)
					dst[x*3+1] = uint8((uint32(p[1])*a + 127) / 255)
					dst[x*3+2] = uint8((uint32(p[2])*a + 127) / 255)
				}
			}
		}
	case *image.RGBA:
		return func(y int, dst []uint8) {
			row := m.Pix[(y-m.Rect.Min.Y)*m.Stride+(b.Min.X-m.Rect.Min.X)*4:]
			for x := 0; x < b.Dx(); x++ {
				dst[x*3], dst[x*3+1], dst[x*3+2] = row[x*4], row[x*4+1], row[x*4+2]
			}
		}
	}
	return func(y int, dst []uint8) {
		for x := 0; x < b.Dx(); x++ {
			r, g, bb, _ := img.At(b.Min.X+x, y).RGBA()
			dst[x*3], dst[x*3+1], dst[x*3+2] = uint8(r>>8), uint8(g>>8), uint8(bb>>8)
		}
	}
}

func convert(img image.Image, w, h int, py, pcb, pcr []uint8) {
	b := img.Bounds()
	read := rgbRows(img)
	r0, r1 := make([]uint8, w*3), make([]uint8, w*3)
	for y := 0; y < h; y += 2 {
		read(b.Min.Y+y, r0)
		read(b.Min.Y+y+1, r1)
		for i, row := range [2][]uint8{r0, r1} {
			out := py[(y+i)*w : (y+i+1)*w]
			for x := range out {
				r, g, bb := int32(row[x*3]), int32(row[x*3+1]), int32(row[x*3+2])
				out[x] = clampLimited((kYR*r+kYG*g+kYB*bb+32768)>>16+16, 16, 235)
			}
		}
		cw := w / 2
		cb := pcb[(y/2)*cw : (y/2+1)*cw]
		cr := pcr[(y/2)*cw : (y/2+1)*cw]
		for x := 0; x < cw; x++ {
			i := x * 6
			r := int32(r0[i]) + int32(r0[i+3]) + int32(r1[i]) + int32(r1[i+3])
			g := int32(r0[i+1]) + int32(r0[i+4]) + int32(r1[i+1]) + int32(r1[i+4])
			bb := int32(r0[i+2]) + int32(r0[i+5]) + int32(r1[i+2]) + int32(r1[i+5])
			// sums are 4x the average: shift by 18 instead of 16
			cb[x] = clampLimited((kCbR*r+kCbG*g+kCbB*bb+(1<<17))>>18+128, 16, 240)
			cr[x] = clampLimited((kCrR*r+kCrG*g+kCrB*bb+(1<<17))>>18+128, 16, 240)
		}
	}
}

// Video is a parsed Y4M stream (4:2:0 only).
type Video struct {
	Width, Height  int
	FPSNum, FPSDen int
	Interlace      string // "p" (progressive) unless the header says otherwise
	Colorspace     string // the C tag, e.g. "420jpeg" (default "420jpeg")
	Frames         []*image.YCbCr
}

// Read parses a whole Y4M stream of 4:2:0 frames. It returns an error for
// malformed headers, unsupported colour spaces or a truncated frame, and
// never allocates more than one frame ahead of the data actually present.
func Read(r io.Reader) (*Video, error) {
	br := bufio.NewReader(r)
	line, err := readLine(br, 1024)
	if err != nil {
		return nil, fmt.Errorf("y4m: header: %w", err)
	}
	fields := strings.Split(line, " ")
	if fields[0] != "YUV4MPEG2" {
		return nil, errors.New("y4m: not a YUV4MPEG2 stream")
	}
	v := &Video{FPSNum: 25, FPSDen: 1, Interlace: "p", Colorspace: "420jpeg"}
	for _, f := range fields[1:] {
		if f == "" {
			continue
		}
		val := f[1:]
		switch f[0] {
		case 'W':
			v.Width, err = strconv.Atoi(val)
		case 'H':
			v.Height, err = strconv.Atoi(val)
		case 'F':
			v.FPSNum, v.FPSDen, err = ratio(val)
		case 'I':
			v.Interlace = val
		case 'C':
			v.Colorspace = val
		}
		if err != nil {
			return nil, fmt.Errorf("y4m: header field %q: %v", f, err)
		}
	}
	if v.Width <= 0 || v.Height <= 0 || v.Width > MaxDim || v.Height > MaxDim {
		return nil, fmt.Errorf("y4m: bad frame size %dx%d", v.Width, v.Height)
	}
	switch v.Colorspace {
	case "420", "420jpeg", "420paldv", "420mpeg2":
	default:
		return nil, fmt.Errorf("y4m: colour space %q not supported (4:2:0 only)", v.Colorspace)
	}
	cw, ch := (v.Width+1)/2, (v.Height+1)/2
	for {
		fl, err := readLine(br, 1024)
		if err == io.EOF && fl == "" {
			return v, nil
		}
		if err != nil {
			return nil, fmt.Errorf("y4m: frame %d: %w", len(v.Frames), err)
		}
		if fl != "FRAME" && !strings.HasPrefix(fl, "FRAME ") {
			return nil, fmt.Errorf("y4m: frame %d: bad frame header %q", len(v.Frames), trunc(fl))
		}
		// Read through a growing buffer so that a header promising a huge
		// frame cannot make us allocate more than the data present.
		need := v.Width*v.Height + 2*cw*ch
		var buf bytes.Buffer
		buf.Grow(min(need, 1<<20))
		if n, err := io.CopyN(&buf, br, int64(need)); n != int64(need) {
			_ = err
			return nil, fmt.Errorf("y4m: frame %d truncated", len(v.Frames))
		}
		data := buf.Bytes()
		ys := v.Width * v.Height
		img := &image.YCbCr{
			Y: data[:ys:ys], Cb: data[ys : ys+cw*ch : ys+cw*ch], Cr: data[ys+cw*ch : need : need],
			YStride: v.Width, CStride: cw, SubsampleRatio: image.YCbCrSubsampleRatio420,
			Rect: image.Rect(0, 0, v.Width, v.Height),
		}
		v.Frames = append(v.Frames, img)
	}
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func ratio(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return 0, 0, errors.New("want N:D")
	}
	n, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, err
	}
	d, err := strconv.Atoi(b)
	if err != nil {
		return 0, 0, err
	}
	if n <= 0 || d <= 0 {
		return 0, 0, errors.New("non-positive rate")
	}
	return n, d, nil
}

// readLine reads up to '\n' (not included), at most max bytes.
func readLine(br *bufio.Reader, max int) (string, error) {
	var sb strings.Builder
	for sb.Len() <= max {
		c, err := br.ReadByte()
		if err != nil {
			if err == io.EOF && sb.Len() > 0 {
				return "", io.ErrUnexpectedEOF
			}
			return sb.String(), err
		}
		if c == '\n' {
			return sb.String(), nil
		}
		sb.WriteByte(c)
	}
	return "", errors.New("line too long")
}

// ToNRGBA converts a limited-range BT.601 4:2:0 frame (as produced by Read)
// back to RGB. (image.YCbCr's own At uses full-range JFIF maths, which is
// wrong for Y4M.)
func ToNRGBA(f *image.YCbCr) *image.NRGBA {
	b := f.Rect
	out := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			yy := (float64(f.Y[f.YOffset(x, y)]) - 16) * 255 / 219
			ci := f.COffset(x, y)
			cb := (float64(f.Cb[ci]) - 128) * 255 / 224
			cr := (float64(f.Cr[ci]) - 128) * 255 / 224
			r := yy + 1.402*cr
			g := yy - 0.344136*cb - 0.714136*cr
			bl := yy + 1.772*cb
			out.SetNRGBA(x, y, color.NRGBA{c8(r), c8(g), c8(bl), 255})
		}
	}
	return out
}

func c8(v float64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// FromImage scales img to fit inside w x h keeping its aspect ratio
// (Catmull-Rom), centres it and pads the rest with black: the letterboxing
// `ggcapture fakecam` applies to turn any photo into a camera frame.
func FromImage(img image.Image, w, h int) *image.NRGBA {
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 3; i < len(out.Pix); i += 4 {
		out.Pix[i] = 255
	}
	if img == nil || img.Bounds().Empty() || w <= 0 || h <= 0 {
		return out
	}
	sb := img.Bounds()
	sw, sh := float64(sb.Dx()), float64(sb.Dy())
	s := min(float64(w)/sw, float64(h)/sh)
	dw, dh := max(int(sw*s+0.5), 1), max(int(sh*s+0.5), 1)
	x0, y0 := (w-dw)/2, (h-dh)/2
	xdraw.CatmullRom.Scale(out, image.Rect(x0, y0, x0+dw, y0+dh), img, sb, xdraw.Over, nil)
	return out
}
