package liveness

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/draw"
)

// Portrait framing (like a passport photo): the face box is PortraitFace of
// the output height, the crop is PortraitAspect wide per unit of height
// (3:4 portrait), and the face centre sits PortraitEyeLine of the height
// from the top, leaving room for the hair above and the shoulders below.
const (
	PortraitFace    = 0.5
	PortraitAspect  = 0.75
	PortraitEyeLine = 0.42
)

// PortraitCrop cuts a head-and-shoulders selfie around face f of img: the face
// about half the image height, 3:4 portrait, and reduced (Catmull-Rom) so that the
// long side is at most maxLong pixels (≤ 0 means 1280). Where the crop
// extends past the image, the edge pixels are repeated rather than padded
// with a colour, so the portrait never shows an artificial border. It returns
// nil for a nil or empty image or a face of non-positive size.
func PortraitCrop(img image.Image, f Face, maxLong int) (out *image.NRGBA) {
	defer func() {
		// a broken image.Image implementation (e.g. a typed nil) gives nil
		if recover() != nil {
			out = nil
		}
	}()
	if img == nil || f.Size <= 0 || math.IsNaN(f.Size) || math.IsInf(f.Size, 0) {
		return nil
	}
	b := img.Bounds()
	if b.Empty() {
		return nil
	}
	if maxLong <= 0 {
		maxLong = 1280
	}
	h := f.Size / PortraitFace
	w := h * PortraitAspect
	x0 := f.X - w/2
	y0 := f.Y - PortraitEyeLine*h
	iw, ih := int(math.Round(w)), int(math.Round(h))
	if iw < 1 || ih < 1 {
		return nil
	}
	// scale so the output's long side fits maxLong (never enlarge)
	scale := math.Min(1, float64(maxLong)/float64(max(iw, ih)))
	ow, oh := max(1, int(math.Round(float64(iw)*scale))), max(1, int(math.Round(float64(ih)*scale)))
	r := image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x0))+iw, int(math.Round(y0))+ih).Add(b.Min)
	var src *image.NRGBA
	if r.In(b) {
		src = cropNRGBA(img, r)
	} else {
		// replicate edges: clamp every source coordinate into the image
		src = image.NewNRGBA(image.Rect(0, 0, iw, ih))
		for y := 0; y < ih; y++ {
			sy := clampi(r.Min.Y+y, b.Min.Y, b.Max.Y-1)
			for x := 0; x < iw; x++ {
				sx := clampi(r.Min.X+x, b.Min.X, b.Max.X-1)
				src.Set(x, y, color.NRGBAModel.Convert(img.At(sx, sy)))
			}
		}
	}
	if ow == iw && oh == ih {
		return src
	}
	out = image.NewNRGBA(image.Rect(0, 0, ow, oh))
	draw.CatmullRom.Scale(out, out.Rect, src, src.Rect, draw.Src, nil)
	return out
}

// cropNRGBA copies rectangle r of img (r within img's bounds) into a new
// NRGBA image whose bounds start at (0, 0).
func cropNRGBA(img image.Image, r image.Rectangle) *image.NRGBA {
	dst := image.NewNRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(dst, dst.Rect, img, r.Min, draw.Src)
	return dst
}
