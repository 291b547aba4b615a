package quality

import (
	"image"
	"image/color"
	"math"
)

// maxCropPixels bounds the output of CropDeskew (a 8000 x 5000 document).
const maxCropPixels = 40_000_000

// CropDeskew warps the quad q of src to an upright rectangle with the aspect
// of format f (long side horizontal). The long side is the quad's natural
// width (the longer of its top and bottom sides) or maxLong when that is
// smaller and maxLong > 0. Each output pixel is the bilinear interpolation of
// the source, averaged over a k x k grid of sub-samples when the warp shrinks
// the image (k = ceil(shrink factor), at most 4), so reductions do not alias.
// Errors: ErrUnknownFormat, ErrBadImage (nil/empty src), ErrBadQuad (not a
// finite convex clockwise quad, corners farther than half the image size
// outside it, or an output under 2 px / over 40 Mpx).
func CropDeskew(src image.Image, q Quad, f Format, maxLong int) (*image.NRGBA, error) {
	if !f.Valid() {
		return nil, ErrUnknownFormat
	}
	if src == nil || src.Bounds().Empty() {
		return nil, ErrBadImage
	}
	if !q.Valid() {
		return nil, ErrBadQuad
	}
	// A quad reaching far outside the source is not a document in it.
	b := src.Bounds()
	mx, my := 0.5*float64(b.Dx()), 0.5*float64(b.Dy())
	for _, p := range q {
		if p.X < float64(b.Min.X)-mx || p.X > float64(b.Max.X)+mx || p.Y < float64(b.Min.Y)-my || p.Y > float64(b.Max.Y)+my {
			return nil, ErrBadQuad
		}
	}
	natural := math.Max(q.Top(), q.Bottom())
	W := natural
	if maxLong > 0 && float64(maxLong) < W {
		W = float64(maxLong)
	}
	ow := int(math.Round(W))
	oh := int(math.Round(W / f.Aspect()))
	if ow < 2 || oh < 2 {
		return nil, ErrBadQuad
	}
	if ow*oh > maxCropPixels {
		return nil, ErrBadQuad
	}
	H, ok := rectToQuad(q, float64(ow), float64(oh))
	if !ok {
		return nil, ErrBadQuad
	}
	shrink := natural / float64(ow)
	if s := math.Max(q.Left(), q.Right()) / float64(oh); s > shrink {
		shrink = s
	}
	k := int(math.Ceil(shrink - 0.05))
	if k < 1 {
		k = 1
	}
	if k > 4 {
		k = 4
	}
	smp := newSampler(src)
	dst := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	for y := 0; y < oh; y++ {
		cropRow(dst.Pix[y*dst.Stride:y*dst.Stride+4*ow], y, k, &H, smp)
	}
	return dst, nil
}

// cropRow fills output row y (k x k samples per pixel). It is a function of
// its own, called once per row, for WebAssembly: V8 first runs a function
// from baseline code and switches to optimised code on a later call, so a
// crop done in one call (once per capture) ran at baseline speed throughout
// (64-108 ms cold against 32 ms warm for an 857 x 541 crop under Node;
// 42-55 ms cold with a call per row).
//
//go:noinline
func cropRow(row []byte, y, k int, H *homography, smp *sampler) {
	inv := 1 / float64(k*k)
	for x := 0; 4*x+3 < len(row); x++ {
		var r, g, b, a float64
		for sy := 0; sy < k; sy++ {
			v := float64(y) + (float64(sy)+0.5)/float64(k)
			for sx := 0; sx < k; sx++ {
				u := float64(x) + (float64(sx)+0.5)/float64(k)
				px, py := H.apply(u, v)
				cr, cg, cb, ca := smp.at(px, py)
				r += cr
				g += cg
				b += cb
				a += ca
			}
		}
		o := row[4*x : 4*x+4]
		o[0] = clamp8(r * inv)
		o[1] = clamp8(g * inv)
		o[2] = clamp8(b * inv)
		o[3] = clamp8(a * inv)
	}
}

func clamp8(v float64) uint8 {
	if !(v > 0) {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// sampler fetches bilinear non-premultiplied RGBA at continuous coordinates.
type sampler struct {
	img    image.Image
	b      image.Rectangle
	nrgba  *image.NRGBA
	rgba   *image.RGBA
	gray   *image.Gray
	ycc    *image.YCbCr
	w, h   int
	minX   int
	minY   int
	opaque bool
}

func newSampler(img image.Image) *sampler {
	s := &sampler{img: img, b: img.Bounds()}
	s.w, s.h, s.minX, s.minY = s.b.Dx(), s.b.Dy(), s.b.Min.X, s.b.Min.Y
	switch m := img.(type) {
	case *image.NRGBA:
		if m.Stride >= 4*s.w && len(m.Pix) >= (s.h-1)*m.Stride+4*s.w {
			s.nrgba = m
		}
	case *image.RGBA:
		if m.Stride >= 4*s.w && len(m.Pix) >= (s.h-1)*m.Stride+4*s.w {
			s.rgba = m
		}
	case *image.Gray:
		if grayOK(m) {
			s.gray = m
		}
	case *image.YCbCr:
		if len(m.Y) > 0 && m.YStride >= s.w {
			s.ycc = m
		}
	}
	return s
}

// px returns the colour of pixel (ix, iy) relative to the bounds' origin.
func (s *sampler) px(ix, iy int) (float64, float64, float64, float64) {
	switch {
	case s.nrgba != nil:
		p := s.nrgba.Pix[iy*s.nrgba.Stride+4*ix:]
		return float64(p[0]), float64(p[1]), float64(p[2]), float64(p[3])
	case s.rgba != nil:
		p := s.rgba.Pix[iy*s.rgba.Stride+4*ix:]
		a := float64(p[3])
		if a == 0 {
			return 0, 0, 0, 0
		}
		m := 255 / a
		return float64(p[0]) * m, float64(p[1]) * m, float64(p[2]) * m, a
	case s.gray != nil:
		v := float64(s.gray.Pix[iy*s.gray.Stride+ix])
		return v, v, v, 255
	case s.ycc != nil:
		x, y := s.minX+ix, s.minY+iy
		yi, ci := s.ycc.YOffset(x, y), s.ycc.COffset(x, y)
		if yi >= 0 && yi < len(s.ycc.Y) && ci >= 0 && ci < len(s.ycc.Cb) && ci < len(s.ycc.Cr) {
			r, g, b := color.YCbCrToRGB(s.ycc.Y[yi], s.ycc.Cb[ci], s.ycc.Cr[ci])
			return float64(r), float64(g), float64(b), 255
		}
		return 0, 0, 0, 0
	}
	c := color.NRGBAModel.Convert(s.img.At(s.minX+ix, s.minY+iy)).(color.NRGBA)
	return float64(c.R), float64(c.G), float64(c.B), float64(c.A)
}

func (s *sampler) at(x, y float64) (r, g, b, a float64) {
	if s.nrgba != nil {
		return s.atNRGBA(x, y)
	}
	ix, iy, ix1, iy1, fx, fy, ok := s.cell(x, y)
	if !ok {
		return 0, 0, 0, 0
	}
	r00, g00, b00, a00 := s.px(ix, iy)
	r10, g10, b10, a10 := s.px(ix1, iy)
	r01, g01, b01, a01 := s.px(ix, iy1)
	r11, g11, b11, a11 := s.px(ix1, iy1)
	w00, w10, w01, w11 := (1-fx)*(1-fy), fx*(1-fy), (1-fx)*fy, fx*fy
	r = r00*w00 + r10*w10 + r01*w01 + r11*w11
	g = g00*w00 + g10*w10 + g01*w01 + g11*w11
	b = b00*w00 + b10*w10 + b01*w01 + b11*w11
	a = a00*w00 + a10*w10 + a01*w01 + a11*w11
	return
}

// cell places (x, y) for bilinear sampling: the 2x2 cell's top-left pixel
// (ix, iy) and its right and lower neighbours (clamped to the image), and
// the fractions; ok is false beyond half a pixel outside the source
// (transparent black there). Plain comparisons: math.Max and math.Min call
// the runtime in WebAssembly.
func (s *sampler) cell(x, y float64) (ix, iy, ix1, iy1 int, fx, fy float64, ok bool) {
	x -= float64(s.minX) + 0.5
	y -= float64(s.minY) + 0.5
	if x < -1 || y < -1 || x > float64(s.w) || y > float64(s.h) {
		return 0, 0, 0, 0, 0, 0, false
	}
	if x < 0 {
		x = 0
	} else if mx := float64(s.w - 1); x > mx {
		x = mx
	}
	if y < 0 {
		y = 0
	} else if my := float64(s.h - 1); y > my {
		y = my
	}
	ix, iy = int(x), int(y)
	fx, fy = x-float64(ix), y-float64(iy)
	ix1, iy1 = min(ix+1, s.w-1), min(iy+1, s.h-1)
	return ix, iy, ix1, iy1, fx, fy, true
}

// atNRGBA is at for an *image.NRGBA source (the snapped camera frame): the
// same arithmetic without the per-pixel type switch (the crop of a snap:
// 31 -> 19 ms natively). TestSamplerFastPath checks it against the generic
// path.
func (s *sampler) atNRGBA(x, y float64) (r, g, b, a float64) {
	ix, iy, ix1, iy1, fx, fy, ok := s.cell(x, y)
	if !ok {
		return 0, 0, 0, 0
	}
	st := s.nrgba.Stride
	o00, o10 := iy*st+4*ix, iy*st+4*ix1
	o01, o11 := iy1*st+4*ix, iy1*st+4*ix1
	p00 := s.nrgba.Pix[o00 : o00+4 : o00+4]
	p10 := s.nrgba.Pix[o10 : o10+4 : o10+4]
	p01 := s.nrgba.Pix[o01 : o01+4 : o01+4]
	p11 := s.nrgba.Pix[o11 : o11+4 : o11+4]
	w00, w10, w01, w11 := (1-fx)*(1-fy), fx*(1-fy), (1-fx)*fy, fx*fy
	r = float64(p00[0])*w00 + float64(p10[0])*w10 + float64(p01[0])*w01 + float64(p11[0])*w11
	g = float64(p00[1])*w00 + float64(p10[1])*w10 + float64(p01[1])*w01 + float64(p11[1])*w11
	b = float64(p00[2])*w00 + float64(p10[2])*w10 + float64(p01[2])*w01 + float64(p11[2])*w11
	a = float64(p00[3])*w00 + float64(p10[3])*w10 + float64(p01[3])*w01 + float64(p11[3])*w11
	return
}
