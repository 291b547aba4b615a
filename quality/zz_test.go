package quality

import (
	"fmt"
	"testing"
)

func TestZZProfile(t *testing.T) {
	for _, i := range []int{114, 105, 54} {
		s, _ := renderCapture(t, i)
		g := grayOf(s.Image)
		tq := toQuad(s.Corners)
		for _, f := range []float64{0.3, 0.5, 0.7} {
			a, b := tq[0], tq[1]
			m := Point{a.X + f*(b.X-a.X), a.Y + f*(b.Y-a.Y)}
			L := dist(a, b)
			nx, ny := (b.Y-a.Y)/L, -(b.X-a.X)/L // outward
			str := ""
			for k := -40; k <= 12; k += 2 {
				str += fmt.Sprintf("%.0f ", bilinear(g.Pix, g.Stride, g.Rect.Dx(), g.Rect.Dy(), m.X+float64(k)*nx, m.Y+float64(k)*ny))
			}
			t.Logf("#%d f=%.1f: %s", i, f, str)
		}
	}
}
