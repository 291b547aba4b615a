package synth

import (
	"image"
	"math"
)

// homography is a 3x3 projective map, row-major.
type homography [9]float64

func (h *homography) apply(x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

// squareToQuad maps the unit square (0,0),(1,0),(1,1),(0,1) onto q
// (Heckbert's closed form).
func squareToQuad(q [4][2]float64) homography {
	x0, y0 := q[0][0], q[0][1]
	x1, y1 := q[1][0], q[1][1]
	x2, y2 := q[2][0], q[2][1]
	x3, y3 := q[3][0], q[3][1]
	sx := x0 - x1 + x2 - x3
	sy := y0 - y1 + y2 - y3
	if math.Abs(sx) < 1e-12 && math.Abs(sy) < 1e-12 {
		return homography{x1 - x0, x3 - x0, x0, y1 - y0, y3 - y0, y0, 0, 0, 1}
	}
	dx1, dx2 := x1-x2, x3-x2
	dy1, dy2 := y1-y2, y3-y2
	den := dx1*dy2 - dx2*dy1
	g := (sx*dy2 - dx2*sy) / den
	hh := (dx1*sy - sx*dy1) / den
	return homography{
		x1 - x0 + g*x1, x3 - x0 + hh*x3, x0,
		y1 - y0 + g*y1, y3 - y0 + hh*y3, y0,
		g, hh, 1,
	}
}

func (h homography) inverse() homography {
	a, b, c, d, e, f, g, k, i := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
	A := e*i - f*k
	B := -(d*i - f*g)
	C := d*k - e*g
	det := a*A + b*B + c*C
	inv := homography{
		A, -(b*i - c*k), b*f - c*e,
		B, a*i - c*g, -(a*f - c*d),
		C, -(a*k - b*g), a*e - b*d,
	}
	for j := range inv {
		inv[j] /= det
	}
	return inv
}

// rgbTex is an opaque texture, 4 bytes per texel (RGBA with A=255).
type rgbTex struct {
	pix  []uint8
	w, h int
}

// bilinear samples the texture at continuous texel coordinates (u,v), where
// texel (i,j) has its centre at (i+0.5, j+0.5); coordinates are clamped.
func (t *rgbTex) bilinear(u, v float64) (r, g, b int32) {
	u -= 0.5
	v -= 0.5
	if u < 0 {
		u = 0
	}
	if v < 0 {
		v = 0
	}
	maxU, maxV := float64(t.w-1), float64(t.h-1)
	if u > maxU {
		u = maxU
	}
	if v > maxV {
		v = maxV
	}
	x0, y0 := int(u), int(v)
	fx, fy := int32((u-float64(x0))*256), int32((v-float64(y0))*256)
	dx, dy := 4, t.w*4
	if x0+1 >= t.w {
		dx = 0
	}
	if y0+1 >= t.h {
		dy = 0
	}
	i := y0*t.w*4 + x0*4
	p := t.pix[i : i+dy+dx+3 : i+dy+dx+3]
	w00 := (256 - fx) * (256 - fy)
	w10 := fx * (256 - fy)
	w01 := (256 - fx) * fy
	w11 := fx * fy
	r = int32(p[0])*w00 + int32(p[dx])*w10 + int32(p[dy])*w01 + int32(p[dy+dx])*w11
	g = int32(p[1])*w00 + int32(p[dx+1])*w10 + int32(p[dy+1])*w01 + int32(p[dy+dx+1])*w11
	b = int32(p[2])*w00 + int32(p[dx+2])*w10 + int32(p[dy+2])*w01 + int32(p[dy+dx+2])*w11
	return // scaled by 65536
}

// inside returns the signed distance (texels, >0 inside) from (u,v) to the
// border of the w x h rectangle with corner radius rad.
func roundedDist(u, v, w, h, rad float64) float64 {
	cx, cy := u, v
	if u < rad {
		cx = rad
	} else if u > w-rad {
		cx = w - rad
	}
	if v < rad {
		cy = rad
	} else if v > h-rad {
		cy = h - rad
	}
	if cx != u && cy != v {
		return rad - math.Hypot(u-cx, v-cy)
	}
	return min(u, w-u, v, h-v)
}

const ss = 8 // supersampling grid per axis at the document edge

// warp draws the texture (a w x h rectangle with rounded corners) into dst so
// that its corners land on q, blending by exact area coverage at the edges
// (ss x ss supersampling) and recording the coverage (0..255) in cov.
func warp(dst *image.RGBA, cov []uint8, tex *rgbTex, rad float64, q [4][2]float64) {
	tw, th := float64(tex.w), float64(tex.h)
	fwd := squareToQuad(q)
	inv := fwd.inverse()
	// inv maps output -> unit square; scale to texels.
	for j := 0; j < 3; j++ {
		inv[j] *= tw
		inv[3+j] *= th
	}
	// Texel footprint of one output pixel (max over the corners).
	fp := 0.0
	for _, c := range q {
		u0, v0 := inv.apply(c[0], c[1])
		u1, v1 := inv.apply(c[0]+1, c[1])
		u2, v2 := inv.apply(c[0], c[1]+1)
		fp = math.Max(fp, math.Max(math.Hypot(u1-u0, v1-v0), math.Hypot(u2-u0, v2-v0)))
	}
	margin := max(fp*0.75, 1)
	rm := rad + margin // outside [rm, tw-rm] on both axes a pixel may be in a rounded corner
	stride := tex.w * 4
	minX, minY, maxX, maxY := q[0][0], q[0][1], q[0][0], q[0][1]
	for _, c := range q[1:] {
		minX, maxX = math.Min(minX, c[0]), math.Max(maxX, c[0])
		minY, maxY = math.Min(minY, c[1]), math.Max(maxY, c[1])
	}
	b := dst.Rect
	x0, y0 := max(int(math.Floor(minX))-1, b.Min.X), max(int(math.Floor(minY))-1, b.Min.Y)
	x1, y1 := min(int(math.Ceil(maxX))+1, b.Max.X), min(int(math.Ceil(maxY))+1, b.Max.Y)
	W := b.Dx()
	// Output-space edge lines of the quad, for per-row spans.
	parallelRows(y1-y0, func(ya, yb int) {
		for y := y0 + ya; y < y0+yb; y++ {
			py := float64(y) + 0.5
			// span of the quad on this row (pixel centres), widened by 2 px
			xl, xr := math.Inf(1), math.Inf(-1)
			for k := range 4 {
				a, c := q[k], q[(k+1)%4]
				lo, hi := math.Min(a[1], c[1])-1.5, math.Max(a[1], c[1])+1.5
				if py < lo || py > hi {
					continue
				}
				var xi float64
				if dy := c[1] - a[1]; math.Abs(dy) < 1e-9 {
					xl, xr = math.Min(xl, math.Min(a[0], c[0])), math.Max(xr, math.Max(a[0], c[0]))
					continue
				} else {
					t := math.Max(0, math.Min(1, (py-a[1])/dy))
					xi = a[0] + t*(c[0]-a[0])
				}
				xl, xr = math.Min(xl, xi), math.Max(xr, xi)
			}
			if xl > xr {
				continue
			}
			xs, xe := max(int(math.Floor(xl))-2, x0), min(int(math.Ceil(xr))+2, x1)
			row := dst.Pix[y*dst.Stride:]
			px := float64(xs) + 0.5
			nu := inv[0]*px + inv[1]*py + inv[2]
			nv := inv[3]*px + inv[4]*py + inv[5]
			nw := inv[6]*px + inv[7]*py + inv[8]
			for x := xs; x < xe; x, nu, nv, nw = x+1, nu+inv[0], nv+inv[3], nw+inv[6] {
				iw := 1 / nw
				u, v := nu*iw, nv*iw
				if u > margin && u < tw-margin && v > margin && v < th-margin &&
					((u > rm && u < tw-rm) || (v > rm && v < th-rm) || roundedDist(u, v, tw, th, rad) > margin) {
					// Interior: bilinear without clamping (margin >= 1 texel).
					ui, vi := int(u*256)-128, int(v*256)-128
					fx, fy := int32(ui&255), int32(vi&255)
					i := (vi>>8)*stride + (ui>>8)*4
					p := tex.pix[i : i+stride+7 : i+stride+7]
					w00 := (256 - fx) * (256 - fy)
					w10 := fx * (256 - fy)
					w01 := (256 - fx) * fy
					w11 := fx * fy
					o := row[x*4 : x*4+3 : x*4+3]
					o[0] = uint8((int32(p[0])*w00 + int32(p[4])*w10 + int32(p[stride])*w01 + int32(p[stride+4])*w11 + 32768) >> 16)
					o[1] = uint8((int32(p[1])*w00 + int32(p[5])*w10 + int32(p[stride+1])*w01 + int32(p[stride+5])*w11 + 32768) >> 16)
					o[2] = uint8((int32(p[2])*w00 + int32(p[6])*w10 + int32(p[stride+2])*w01 + int32(p[stride+6])*w11 + 32768) >> 16)
					cov[y*W+x] = 255
					continue
				}
				if roundedDist(u, v, tw, th, rad) < -margin {
					continue
				}
				o := row[x*4 : x*4+3 : x*4+3]
				// Edge pixel: area coverage from an ss x ss grid, colour from one
				// bilinear sample at the centroid of the covered sub-samples.
				n := 0
				var cu, cvv float64
				for sy := 0; sy < ss; sy++ {
					qy := float64(y) + (float64(sy)+0.5)/ss
					for sx := 0; sx < ss; sx++ {
						qx := float64(x) + (float64(sx)+0.5)/ss
						su, sv := inv.apply(qx, qy)
						if roundedDist(su, sv, tw, th, rad) < 0 {
							continue
						}
						cu += su
						cvv += sv
						n++
					}
				}
				if n == 0 {
					continue
				}
				r, g, bb := tex.bilinear(cu/float64(n), cvv/float64(n))
				// out = (n*tex + (ss*ss-n)*background) / (ss*ss)
				bg := int64(ss*ss - n)
				const one = 65536
				o[0] = uint8((int64(n)*int64(r) + bg*int64(o[0])*one + ss*ss*one/2) / (ss * ss * one))
				o[1] = uint8((int64(n)*int64(g) + bg*int64(o[1])*one + ss*ss*one/2) / (ss * ss * one))
				o[2] = uint8((int64(n)*int64(bb) + bg*int64(o[2])*one + ss*ss*one/2) / (ss * ss * one))
				cov[y*W+x] = uint8((n*255 + ss*ss/2) / (ss * ss))
			}
		}
	})
}
