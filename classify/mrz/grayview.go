package mrz

import "image"

// grayView samples an *image.Gray bilinearly (edge pixels repeat).
type grayView struct {
	pix    []uint8
	stride int
	w, h   int
}

func viewOf(g *image.Gray) grayView {
	return grayView{pix: g.Pix, stride: g.Stride, w: g.Rect.Dx(), h: g.Rect.Dy()}
}

func (g grayView) at(x, y float64) float32 {
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	if x > float64(g.w-1) {
		x = float64(g.w - 1)
	}
	if y > float64(g.h-1) {
		y = float64(g.h - 1)
	}
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, g.w-1), min(y0+1, g.h-1)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	p := g.pix
	a := float32(p[y0*g.stride+x0])*(1-fx) + float32(p[y0*g.stride+x1])*fx
	b := float32(p[y1*g.stride+x0])*(1-fx) + float32(p[y1*g.stride+x1])*fx
	return a*(1-fy) + b*fy
}
