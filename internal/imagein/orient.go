package imagein

import (
	"image"
	"image/color"
)

// Orient returns src transformed for display according to EXIF
// orientation o (1..8), as an *image.NRGBA with bounds starting at (0,0):
//
//	1 as stored            5 transpose (mirror about the main diagonal)
//	2 mirror horizontally  6 rotate 90° clockwise
//	3 rotate 180°          7 transverse (mirror about the anti-diagonal)
//	4 mirror vertically    8 rotate 90° counter-clockwise
//
// Any other o is treated as 1 (a copy). Fast paths for *image.YCbCr,
// *image.NRGBA, *image.RGBA and *image.Gray convert a row at a time;
// other types go through At.
func Orient(src image.Image, o int) *image.NRGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 && o <= 8 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	if w == 0 || h == 0 {
		return dst
	}
	row := make([]byte, 4*w)
	// For source (x, y): destination index = base(y) + x*step, in pixels.
	for y := range h {
		readRow(row, src, b.Min.X, b.Min.Y+y, w)
		var base, step int // in pixels
		switch o {
		case 2: // (w-1-x, y)
			base, step = y*dw+w-1, -1
		case 3: // (w-1-x, h-1-y)
			base, step = (h-1-y)*dw+w-1, -1
		case 4: // (x, h-1-y)
			base, step = (h-1-y)*dw, 1
		case 5: // (y, x)
			base, step = y, dw
		case 6: // (h-1-y, x)
			base, step = h-1-y, dw
		case 7: // (h-1-y, w-1-x)
			base, step = (w-1)*dw+h-1-y, -dw
		case 8: // (y, w-1-x)
			base, step = (w-1)*dw+y, -dw
		default: // (x, y)
			base, step = y*dw, 1
		}
		p := dst.Pix
		if step == 1 {
			copy(p[4*base:4*base+4*w], row)
			continue
		}
		for x := range w {
			i := 4 * (base + x*step)
			copy(p[i:i+4], row[4*x:4*x+4])
		}
	}
	return dst
}

// readRow writes w non-premultiplied RGBA pixels of src's row y, starting
// at x0, into row.
func readRow(row []byte, src image.Image, x0, y, w int) {
	switch s := src.(type) {
	case *image.NRGBA:
		i := s.PixOffset(x0, y)
		copy(row, s.Pix[i:i+4*w])
	case *image.RGBA:
		i := s.PixOffset(x0, y)
		px := s.Pix[i : i+4*w]
		for x := 0; x < 4*w; x += 4 {
			a := px[x+3]
			switch a {
			case 0xFF:
				copy(row[x:x+4], px[x:x+4])
			case 0:
				row[x], row[x+1], row[x+2], row[x+3] = 0, 0, 0, 0
			default:
				row[x] = uint8(uint32(px[x]) * 0xFF / uint32(a))
				row[x+1] = uint8(uint32(px[x+1]) * 0xFF / uint32(a))
				row[x+2] = uint8(uint32(px[x+2]) * 0xFF / uint32(a))
				row[x+3] = a
			}
		}
	case *image.Gray:
		i := s.PixOffset(x0, y)
		for x, v := range s.Pix[i : i+w] {
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = v, v, v, 0xFF
		}
	case *image.YCbCr:
		ycbcrRow(row, s, x0, y, w)
	default:
		for x := range w {
			c := color.NRGBAModel.Convert(src.At(x0+x, y)).(color.NRGBA)
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c.R, c.G, c.B, c.A
		}
	}
}

// ycbcrRow converts one row of a YCbCr image with the JFIF (full-range
// BT.601) equations in 16.16 fixed point, rounding as image/color does, so
// the result equals color.YCbCrToRGB pixel for pixel.
func ycbcrRow(row []byte, s *image.YCbCr, x0, y, w int) {
	var hs, vs uint // chroma subsampling shifts
	switch s.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		hs = 1
	case image.YCbCrSubsampleRatio420:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio440:
		vs = 1
	case image.YCbCrSubsampleRatio411:
		hs = 2
	case image.YCbCrSubsampleRatio410:
		hs, vs = 2, 1
	}
	r0 := s.Rect.Min
	yrow := s.Y[(y-r0.Y)*s.YStride+(x0-r0.X):]
	cbase := (y>>vs - r0.Y>>vs) * s.CStride
	cx0 := r0.X >> hs
	for x := range w {
		ci := cbase + (x0+x)>>hs - cx0
		yy := int32(yrow[x]) * 0x10101
		cb := int32(s.Cb[ci]) - 128
		cr := int32(s.Cr[ci]) - 128
		row[4*x] = clamp16(yy + 91881*cr)
		row[4*x+1] = clamp16(yy - 22554*cb - 46802*cr)
		row[4*x+2] = clamp16(yy + 116130*cb)
		row[4*x+3] = 0xFF
	}
}

// clamp16 returns v>>16 clamped to 0..255.
func clamp16(v int32) uint8 {
	if uint32(v)&0xFF000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31)) // 0 for negative, 255 for overflow
}
