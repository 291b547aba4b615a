// Package render draws synthetic MRZ documents in OCR-B for the recogniser's
// generator (classify/mrz/gen) and for tests. It reads the OCR-B font from
// the Debian package fonts-ocr-b; nothing at run time depends on it.
package render

import (
	"errors"
	"image"
	"image/draw"
	"math"
	"math/rand"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// FontDir is where Debian's fonts-ocr-b installs OCR-B.
const FontDir = "/usr/share/fonts/opentype/ocr-b/"

// Font is OCR-B Regular with OCR-B Sharp as a fallback: x/image's CFF
// reader cannot draw Regular's '8' and '<' (they use the flex1 operator),
// and Sharp, the same design with square stroke ends, can.
type Font struct {
	Regular, Sharp *opentype.Font
}

// LoadFont parses OCR-B from FontDir.
func LoadFont() (*Font, error) {
	var f Font
	for _, x := range []struct {
		name string
		dst  **opentype.Font
	}{{"OCRB.otf", &f.Regular}, {"OCRBS.otf", &f.Sharp}} {
		b, err := os.ReadFile(FontDir + x.name)
		if err != nil {
			return nil, err
		}
		if *x.dst, err = opentype.Parse(b); err != nil {
			return nil, err
		}
	}
	return &f, nil
}

// monoFace draws each glyph from the first face that can draw it.
type monoFace struct {
	faces []font.Face
}

func (m *monoFace) draw(dst draw.Image, x, baseline float64, text string, ink uint8) {
	src := image.NewUniform(grayC(ink))
	for i, r := range text {
		for _, f := range m.faces {
			d := font.Drawer{Dst: dst, Src: src, Face: f,
				Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(baseline * 64)}}
			if dr, _, _, _, ok := f.Glyph(d.Dot, r); ok || r == ' ' {
				_ = dr
				d.DrawString(string(r))
				break
			}
		}
		_ = i
		adv, _ := m.faces[0].GlyphAdvance('M')
		x += float64(adv) / 64
	}
}

// Spec describes one synthetic image.
type Spec struct {
	Lines     []string
	Seed      int64
	Pitch     float64 // output pixels per MRZ character (0 = random 7..30)
	Blur      float64 // Gaussian sigma, output px
	Noise     float64 // Gaussian noise stddev, 0..255
	Tilt      float64 // perspective: corner jitter as a fraction of the document size
	Rotate    float64 // in-plane rotation, degrees
	Uncropped bool    // document placed on a larger cluttered background
	Clutter   bool    // other text and a photo box on the document
	JPEGish   bool    // reserved
}

// Sample is a rendered image with where the document lies.
type Sample struct {
	Image   *image.Gray
	Corners [4][2]float64
}

const srcPitch = 24.0 // source pixels per character

// Render draws s with font f.
func Render(f *Font, s Spec) (Sample, error) {
	if len(s.Lines) == 0 {
		return Sample{}, errors.New("render: no lines")
	}
	rng := rand.New(rand.NewSource(s.Seed))
	n := len(s.Lines[0])
	face, err := f.face(srcPitch, rng.Intn(4) == 0)
	if err != nil {
		return Sample{}, err
	}
	// Document size: MRZ width is n*pitch; ID-1 for 30, ID-2 for 36, ID-3 for 44.
	var docW, docH float64
	switch {
	case n <= 30:
		docW = 85.6 / 2.54 * srcPitch
		docH = docW / 1.586
	case n <= 36:
		docW = 105 / 2.54 * srcPitch
		docH = docW / 1.42
	default:
		docW = 125 / 2.54 * srcPitch
		docH = docW / 1.42
	}
	W, H := int(docW), int(docH)
	src := image.NewGray(image.Rect(0, 0, W, H))
	paper(src, rng)
	if s.Clutter {
		clutter(src, f, rng)
	}
	// MRZ: left margin ~ (docW - n*pitch)/2, bottom margin ~ 1 line.
	linePitch := srcPitch * 1.7 // ~ 4.3 mm at 2.54 mm pitch
	x0 := (docW-float64(n)*srcPitch)/2 + rng.Float64()*4 - 2
	bottom := docH - srcPitch*(0.9+rng.Float64()*0.4)
	ink := uint8(rng.Intn(50))
	for i, l := range s.Lines {
		base := bottom - float64(len(s.Lines)-1-i)*linePitch
		face.draw(src, x0, base, l, ink)
	}
	// Output geometry.
	pitch := s.Pitch
	if pitch == 0 {
		pitch = 7 + rng.Float64()*23
	}
	scale := pitch / srcPitch
	ow, oh := docW*scale, docH*scale
	var outW, outH int
	cx, cy := ow/2, oh/2
	if s.Uncropped {
		outW, outH = int(ow*(1.3+rng.Float64()*0.5)), int(oh*(1.4+rng.Float64()*0.6))
		cx = float64(outW)/2 + (rng.Float64()-0.5)*(float64(outW)-ow)*0.6
		cy = float64(outH)/2 + (rng.Float64()-0.5)*(float64(outH)-oh)*0.6
	} else {
		m := 0.02 + rng.Float64()*0.03
		outW, outH = int(ow*(1+2*m)), int(oh*(1+2*m))
		cx, cy = float64(outW)/2, float64(outH)/2
	}
	rot := s.Rotate * math.Pi / 180
	cs, sn := math.Cos(rot), math.Sin(rot)
	var dst [4][2]float64
	for i, c := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		x := c[0]*ow/2 + (rng.Float64()*2-1)*s.Tilt*ow
		y := c[1]*oh/2 + (rng.Float64()*2-1)*s.Tilt*oh
		dst[i] = [2]float64{cx + x*cs - y*sn, cy + x*sn + y*cs}
	}
	out := image.NewGray(image.Rect(0, 0, outW, outH))
	if s.Uncropped {
		background(out, f, rng)
	} else {
		v := uint8(60 + rng.Intn(150))
		draw.Draw(out, out.Rect, image.NewUniform(grayC(v)), image.Point{}, draw.Src)
	}
	srcQ := [4][2]float64{{0, 0}, {docW, 0}, {docW, docH}, {0, docH}}
	hinv := homography(dst, srcQ)
	warp(out, src, hinv, dst)
	if s.Blur > 0 {
		blur(out, s.Blur)
	}
	if s.Noise > 0 {
		for i := range out.Pix {
			v := float64(out.Pix[i]) + rng.NormFloat64()*s.Noise
			out.Pix[i] = clamp8(v)
		}
	}
	return Sample{Image: out, Corners: dst}, nil
}

type grayC uint8

func (g grayC) RGBA() (r, gg, b, a uint32) {
	v := uint32(g) * 0x101
	return v, v, v, 0xffff
}

// face returns a monospaced face with the given advance; sharpOnly uses
// OCR-B Sharp for every glyph.
func (f *Font) face(pitch float64, sharpOnly bool) (*monoFace, error) {
	var m monoFace
	fonts := []*opentype.Font{f.Regular, f.Sharp}
	if sharpOnly {
		fonts = fonts[1:]
	}
	for _, o := range fonts {
		fc, err := faceForPitch(o, pitch)
		if err != nil {
			return nil, err
		}
		m.faces = append(m.faces, fc)
	}
	return &m, nil
}

func faceForPitch(f *opentype.Font, pitch float64) (font.Face, error) {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 100, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	adv, ok := face.GlyphAdvance('M')
	if !ok || adv <= 0 {
		return nil, errors.New("render: font has no advance for M")
	}
	size := 100 * pitch / (float64(adv) / 64)
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
}

func clamp8(v float64) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// paper fills a light background with a smooth gradient and a faint pattern.
func paper(g *image.Gray, rng *rand.Rand) {
	base := 170 + rng.Float64()*70
	gx, gy := (rng.Float64()-0.5)*40, (rng.Float64()-0.5)*40
	fr, amp := 0.01+rng.Float64()*0.05, rng.Float64()*12
	w, h := float64(g.Rect.Dx()), float64(g.Rect.Dy())
	for y := 0; y < g.Rect.Dy(); y++ {
		for x := 0; x < g.Rect.Dx(); x++ {
			v := base + gx*float64(x)/w + gy*float64(y)/h + amp*math.Sin(fr*float64(x)+0.7*fr*float64(y))
			g.Pix[y*g.Stride+x] = clamp8(v)
		}
	}
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randText(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		if rng.Intn(6) == 0 {
			b[i] = ' '
		} else {
			b[i] = alnum[rng.Intn(len(alnum))]
		}
	}
	return string(b)
}

// clutter draws a photo box and text fields on the upper part of the document.
func clutter(g *image.Gray, f *Font, rng *rand.Rand) {
	W, H := g.Rect.Dx(), g.Rect.Dy()
	pw, ph := W/4, H*2/5
	px, py := W/20, H/6
	pv := uint8(40 + rng.Intn(120))
	draw.Draw(g, image.Rect(px, py, px+pw, py+ph), image.NewUniform(grayC(pv)), image.Point{}, draw.Src)
	for k := 0; k < 7; k++ {
		size := srcPitch * (0.5 + rng.Float64()*0.6)
		face, err := f.face(size, false)
		if err != nil {
			return
		}
		y := float64(py) + float64(k)*float64(ph)/6 + size
		face.draw(g, float64(px+pw+W/20), y, randText(rng, 6+rng.Intn(14)), uint8(rng.Intn(90)))
	}
	// A title across the top.
	face, err := f.face(srcPitch*1.2, false)
	if err == nil {
		face.draw(g, float64(W/10), float64(H/8), randText(rng, 12+rng.Intn(10)), uint8(rng.Intn(80)))
	}
}

// background fills g with random shapes, stripes and text.
func background(g *image.Gray, f *Font, rng *rand.Rand) {
	v := uint8(40 + rng.Intn(160))
	draw.Draw(g, g.Rect, image.NewUniform(grayC(v)), image.Point{}, draw.Src)
	W, H := g.Rect.Dx(), g.Rect.Dy()
	for k := 0; k < 25; k++ {
		x, y := rng.Intn(W), rng.Intn(H)
		r := image.Rect(x, y, x+rng.Intn(W/4+1), y+rng.Intn(H/4+1))
		draw.Draw(g, r, image.NewUniform(grayC(uint8(rng.Intn(256)))), image.Point{}, draw.Src)
	}
	for k := 0; k < 4; k++ {
		face, err := f.face(4+rng.Float64()*16, false)
		if err != nil {
			return
		}
		face.draw(g, float64(rng.Intn(W)), float64(rng.Intn(H)), randText(rng, 10+rng.Intn(30)), uint8(rng.Intn(256)))
	}
}

// homography returns H mapping from[i] to to[i].
func homography(from, to [4][2]float64) [9]float64 {
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, u, v := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for c := 0; c < 8; c++ {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		for r := 0; r < 8; r++ {
			if r != c && a[c][c] != 0 {
				k := a[r][c] / a[c][c]
				for j := c; j < 9; j++ {
					a[r][j] -= k * a[c][j]
				}
			}
		}
	}
	var h [9]float64
	for i := 0; i < 8; i++ {
		h[i] = a[i][8] / a[i][i]
	}
	h[8] = 1
	return h
}

// warp draws src into dst inside quad q using hinv (dst -> src), 2x2
// supersampled bilinear.
func warp(dst, src *image.Gray, hinv [9]float64, q [4][2]float64) {
	minX, minY, maxX, maxY := q[0][0], q[0][1], q[0][0], q[0][1]
	for _, p := range q {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	sw, sh := float64(src.Rect.Dx()), float64(src.Rect.Dy())
	for y := max(0, int(minY)); y < min(dst.Rect.Dy(), int(maxY)+1); y++ {
		for x := max(0, int(minX)); x < min(dst.Rect.Dx(), int(maxX)+1); x++ {
			sum, cnt := 0.0, 0
			for _, o := range [4][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}} {
				fx, fy := float64(x)+o[0], float64(y)+o[1]
				w := hinv[6]*fx + hinv[7]*fy + hinv[8]
				u := (hinv[0]*fx + hinv[1]*fy + hinv[2]) / w
				v := (hinv[3]*fx + hinv[4]*fy + hinv[5]) / w
				if u < 0 || v < 0 || u >= sw || v >= sh {
					continue
				}
				sum += bilinear(src, u-0.5, v-0.5)
				cnt++
			}
			if cnt == 4 {
				dst.Pix[y*dst.Stride+x] = clamp8(sum / 4)
			} else if cnt > 0 {
				old := float64(dst.Pix[y*dst.Stride+x])
				dst.Pix[y*dst.Stride+x] = clamp8((sum + old*float64(4-cnt)) / 4)
			}
		}
	}
}

func bilinear(g *image.Gray, x, y float64) float64 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	x = math.Max(0, math.Min(x, float64(w-1)))
	y = math.Max(0, math.Min(y, float64(h-1)))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	p := g.Pix
	s := g.Stride
	a := float64(p[y0*s+x0])*(1-fx) + float64(p[y0*s+x1])*fx
	b := float64(p[y1*s+x0])*(1-fx) + float64(p[y1*s+x1])*fx
	return a*(1-fy) + b*fy
}

// blur applies a separable Gaussian blur.
func blur(g *image.Gray, sigma float64) {
	r := int(math.Ceil(sigma * 3))
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
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for i, kv := range k {
				xx := min(max(x+i-r, 0), w-1)
				s += kv * float64(g.Pix[y*g.Stride+xx])
			}
			tmp[y*w+x] = s
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for i, kv := range k {
				yy := min(max(y+i-r, 0), h-1)
				s += kv * tmp[yy*w+x]
			}
			g.Pix[y*g.Stride+x] = clamp8(s)
		}
	}
}
