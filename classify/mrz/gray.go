package mrz

import (
	"image"
	"image/color"
)

// ToGray converts img to an 8-bit luma image (BT.601 weights), reusing dst
// when it is large enough. A *image.Gray is returned as is.
func ToGray(img image.Image, dst *image.Gray) *image.Gray {
	if g, ok := img.(*image.Gray); ok && g.Rect.Min == (image.Point{}) {
		return g
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if dst == nil || cap(dst.Pix) < w*h {
		dst = image.NewGray(image.Rect(0, 0, w, h))
	} else {
		dst.Pix = dst.Pix[:w*h]
		dst.Stride = w
		dst.Rect = image.Rect(0, 0, w, h)
	}
	switch s := img.(type) {
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			o := s.PixOffset(b.Min.X, b.Min.Y+y)
			row := s.Pix[o : o+4*w]
			out := dst.Pix[y*w : y*w+w]
			for x := range out {
				p := row[4*x : 4*x+3]
				out[x] = uint8((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
			}
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			o := s.PixOffset(b.Min.X, b.Min.Y+y)
			row := s.Pix[o : o+4*w]
			out := dst.Pix[y*w : y*w+w]
			for x := range out {
				p := row[4*x : 4*x+3]
				out[x] = uint8((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
			}
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			o := s.PixOffset(b.Min.X, b.Min.Y+y)
			copy(dst.Pix[y*w:y*w+w], s.Pix[o:o+w])
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			copy(dst.Pix[y*w:y*w+w], s.Y[s.YOffset(b.Min.X, b.Min.Y+y):])
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dst.Pix[y*w+x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			}
		}
	}
	return dst
}
