package main

import (
	"image"

	"golang.org/x/image/draw"
)

// resizeLong returns img as NRGBA with its long side at most maxLong px.
func resizeLong(img image.Image, maxLong int) *image.NRGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if l := max(w, h); l > maxLong && maxLong > 0 {
		w, h = max(1, w*maxLong/l), max(1, h*maxLong/l)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(dst, dst.Rect, img, b, draw.Src, nil)
	}
	return dst
}
