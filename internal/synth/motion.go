package synth

import (
	"image"
	"math"
)

// motionKernel is a line kernel of the given length (px) and angle (radians)
// as integer taps: the segment is sampled every ~0.5 px, each sample spreads
// bilinearly onto its four pixel neighbours, and the weights are scaled to
// sum exactly 1<<blurShift.
type tap struct {
	dx, dy int
	w      uint64
}

func motionKernel(length, angle float64) []tap {
	n := int(math.Ceil(length*2)) + 1
	ca, sa := math.Cos(angle), math.Sin(angle)
	acc := map[[2]int]float64{}
	for i := 0; i < n; i++ {
		t := (float64(i)/float64(n-1) - 0.5) * length
		x, y := t*ca, t*sa
		x0, y0 := math.Floor(x), math.Floor(y)
		fx, fy := x-x0, y-y0
		ix, iy := int(x0), int(y0)
		acc[[2]int{ix, iy}] += (1 - fx) * (1 - fy)
		acc[[2]int{ix + 1, iy}] += fx * (1 - fy)
		acc[[2]int{ix, iy + 1}] += (1 - fx) * fy
		acc[[2]int{ix + 1, iy + 1}] += fx * fy
	}
	var taps []tap
	tot := uint64(0)
	best := -1
	// deterministic order
	minX, minY, maxX, maxY := 0, 0, 0, 0
	for k := range acc {
		minX, maxX = min(minX, k[0]), max(maxX, k[0])
		minY, maxY = min(minY, k[1]), max(maxY, k[1])
	}
	for dy := minY; dy <= maxY; dy++ {
		for dx := minX; dx <= maxX; dx++ {
			v, ok := acc[[2]int{dx, dy}]
			if !ok {
				continue
			}
			w := uint64(math.Round(v / float64(n) * (1 << blurShift)))
			if w == 0 {
				continue
			}
			if best < 0 || w > taps[best].w {
				best = len(taps)
			}
			taps = append(taps, tap{dx, dy, w})
			tot += w
		}
	}
	// put the rounding remainder on the heaviest tap
	taps[best].w = taps[best].w + (1 << blurShift) - tot
	return taps
}

// motionBlur smears the RGB channels along a straight path of the given
// length (px) and angle (degrees, 0 = horizontal, clockwise on screen), as a
// hand-held camera moving during the exposure does; borders are clamped.
func motionBlur(img *image.RGBA, length, angleDeg float64) {
	if length < 0.5 {
		return
	}
	taps := motionKernel(length, angleDeg*math.Pi/180)
	m := 0
	for _, t := range taps {
		m = max(m, abs(t.dx), abs(t.dy))
	}
	W, H := img.Rect.Dx(), img.Rect.Dy()
	PW, PH := W+2*m, H+2*m
	pad := make([]uint64, PW*PH)
	parallelRows(PH, func(ya, yb int) {
		for py := ya; py < yb; py++ {
			sy := min(max(py-m, 0), H-1)
			src := img.Pix[sy*img.Stride:]
			row := pad[py*PW : (py+1)*PW]
			for px := range row {
				sx := min(max(px-m, 0), W-1)
				row[px] = spread(src[sx*4], src[sx*4+1], src[sx*4+2])
			}
		}
	})
	offs := make([]int, len(taps))
	for i, t := range taps {
		offs[i] = t.dy*PW + t.dx
	}
	parallelRows(H, func(ya, yb int) {
		for y := ya; y < yb; y++ {
			dst := img.Pix[y*img.Stride : y*img.Stride+W*4]
			base := (y+m)*PW + m
			for x := 0; x < W; x++ {
				var acc uint64
				c := base + x
				for i, t := range taps {
					acc += pad[c+offs[i]] * t.w
				}
				r, g, b := unspread(acc)
				d := dst[x*4 : x*4+3 : x*4+3]
				d[0], d[1], d[2] = r, g, b
			}
		}
	})
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
