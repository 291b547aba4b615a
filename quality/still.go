package quality

import (
	"image"
	"image/color"
	"math"
)

// toGray returns a luma plane for img: the image itself for *image.Gray, the
// Y plane for *image.YCbCr, else a converted copy (BT.601 weights).
func toGray(img image.Image) *image.Gray {
	if img == nil {
		return nil
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || b.Dx() > 1<<15 || b.Dy() > 1<<15 {
		return nil
	}
	switch m := img.(type) {
	case *image.Gray:
		if !grayOK(m) {
			return nil
		}
		return m
	case *image.YCbCr:
		g := &image.Gray{Pix: m.Y, Stride: m.YStride, Rect: m.Rect}
		if !grayOK(g) {
			return nil
		}
		return g
	}
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	var pix []byte // 4 bytes per pixel, R G B first
	var stride int
	switch m := img.(type) {
	case *image.NRGBA:
		pix, stride = m.Pix, m.Stride
	case *image.RGBA:
		pix, stride = m.Pix, m.Stride
	}
	switch {
	case pix != nil:
		if len(pix) < (b.Dy()-1)*stride+4*b.Dx() || stride < 4*b.Dx() {
			return nil
		}
		for y := 0; y < b.Dy(); y++ {
			grayRow(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], pix[y*stride:y*stride+4*b.Dx()])
		}
	default:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				g.Pix[y*g.Stride+x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			}
		}
	}
	g.Rect = b
	return g
}

// DetectQuad finds the document of format f in a still image and returns its
// corners (TL, TR, BR, BL) in img's coordinates, refined to sub-pixel
// accuracy. ok is false when no document-like quadrilateral is found or the
// input is unusable (nil, empty, unknown format).
func DetectQuad(img image.Image, f Format) (Quad, bool) {
	if !f.Valid() {
		return Quad{}, false
	}
	g := toGray(img)
	if g == nil {
		return Quad{}, false
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 16 || h < 16 {
		return Quad{}, false
	}
	d := newDetector()
	d.prepare(w, h, defaultDetectSize)
	if d.sw < 16 || d.sh < 16 {
		return Quad{}, false
	}
	d.chroma = stillChroma(img)
	qs, ok := d.detect(g.Pix, g.Stride, f)
	if !ok {
		return Quad{}, false
	}
	q := d.locate(g.Pix, g.Stride, w, h, qs, true)
	return q.translate(float64(g.Rect.Min.X), float64(g.Rect.Min.Y)), true
}

// Measure returns the metrics of an already cropped and deskewed document
// image (glare and sharpness over the whole image, slightly inset; glare
// with the image's colour when it is an *image.NRGBA or *image.RGBA); dpi is
// passed through (use DPI on the capture's quad). A nil or empty image gives
// zero sharpness and glare 100.
func Measure(doc image.Image, dpi float64) Metrics {
	m := Metrics{Glare: 100, DPI: dpi}
	if math.IsNaN(dpi) || math.IsInf(dpi, 0) || dpi < 0 {
		m.DPI = 0
	}
	g := toGray(doc)
	if g == nil {
		return m
	}
	b := g.Rect
	fx, fy := float64(b.Min.X), float64(b.Min.Y)
	W, H := float64(b.Dx()), float64(b.Dy())
	q := Quad{{fx, fy}, {fx + W, fy}, {fx + W, fy + H}, {fx, fy + H}}
	m.Glare = 100
	if grayOK(g) && q.Valid() {
		m.Glare = glareWith(g, stillChroma(doc), q) // colour: printed colour is not glare
	}
	// inset 4 % so rounded corners / a background sliver do not count
	ix, iy := int(0.04*W), int(0.04*H)
	m.Sharpness = Sharpness(g, image.Rect(b.Min.X+ix, b.Min.Y+iy, b.Max.X-ix, b.Max.Y-iy))
	return m
}

// stillChroma returns the chroma of a still for detection: the planes of a
// *image.YCbCr as they are, BT.601 chroma computed from an *image.NRGBA or
// *image.RGBA, else nil (luma only).
func stillChroma(img image.Image) *Chroma {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := img.(type) {
	case *image.YCbCr:
		// chroma samples covering b
		x0, y0, x1, y1 := b.Min.X, b.Min.Y, b.Max.X, b.Max.Y
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio444:
		case image.YCbCrSubsampleRatio422:
			x0, x1 = x0/2, (x1+1)/2
		case image.YCbCrSubsampleRatio420:
			x0, x1, y0, y1 = x0/2, (x1+1)/2, y0/2, (y1+1)/2
		case image.YCbCrSubsampleRatio440:
			y0, y1 = y0/2, (y1+1)/2
		case image.YCbCrSubsampleRatio411:
			x0, x1 = x0/4, (x1+3)/4
		case image.YCbCrSubsampleRatio410:
			x0, x1, y0, y1 = x0/4, (x1+3)/4, y0/2, (y1+1)/2
		default:
			return nil
		}
		o := m.COffset(b.Min.X, b.Min.Y)
		if o < 0 || o > len(m.Cb) || o > len(m.Cr) {
			return nil
		}
		c := &Chroma{Cb: m.Cb[o:], Cr: m.Cr[o:], Stride: m.CStride, Step: 1, W: x1 - x0, H: y1 - y0}
		if !c.valid() {
			return nil
		}
		return c
	case *image.NRGBA, *image.RGBA:
		var pix []byte
		var stride int
		if n, ok := m.(*image.NRGBA); ok {
			pix, stride = n.Pix[n.PixOffset(b.Min.X, b.Min.Y):], n.Stride
		} else {
			r := m.(*image.RGBA)
			pix, stride = r.Pix[r.PixOffset(b.Min.X, b.Min.Y):], r.Stride
		}
		if w <= 0 || h <= 0 || len(pix) < (h-1)*stride+4*w {
			return nil
		}
		c := &Chroma{Cb: make([]byte, w*h), Cr: make([]byte, w*h), Stride: w, Step: 1, W: w, H: h}
		for y := 0; y < h; y++ {
			chromaRow(c.Cb[y*w:y*w+w], c.Cr[y*w:y*w+w], pix[y*stride:y*stride+4*w])
		}
		return c
	}
	return nil
}

// grayRow converts a row of 4-byte RGBA or NRGBA pixels (alpha ignored) to
// BT.601 luma. Whole-image loops call it per row so that in WebAssembly V8
// moves them to optimised code during the one call of a snap (see cropRow).
//
//go:noinline
func grayRow(dst, src []byte) {
	for x := range dst {
		s := src[4*x : 4*x+3]
		dst[x] = byte((19595*uint32(s[0]) + 38470*uint32(s[1]) + 7471*uint32(s[2]) + 1<<15) >> 16)
	}
}

// chromaRow is grayRow for the BT.601 chroma of a row.
//
//go:noinline
func chromaRow(cb, cr, src []byte) {
	for x := range cb {
		_, cb[x], cr[x] = color.RGBToYCbCr(src[4*x], src[4*x+1], src[4*x+2])
	}
}
