package quality

import (
	"math"
	"testing"
)

// project mimics a pinhole view of a w x h rectangle (roll, tilts in degrees)
// at distance dist, focal f, principal point (cx, cy).
func projectRect(w, h, roll, tx, ty, dist, f, cx, cy float64) Quad {
	rl, ax, ay := roll*math.Pi/180, tx*math.Pi/180, ty*math.Pi/180
	var q Quad
	for i, c := range [4][2]float64{{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}} {
		x := c[0]*math.Cos(rl) - c[1]*math.Sin(rl)
		y := c[0]*math.Sin(rl) + c[1]*math.Cos(rl)
		z := 0.0
		y, z = y*math.Cos(ax)-z*math.Sin(ax), y*math.Sin(ax)+z*math.Cos(ax)
		x, z = x*math.Cos(ay)+z*math.Sin(ay), -x*math.Sin(ay)+z*math.Cos(ay)
		q[i] = Point{cx + f*x/(dist+z), cy + f*y/(dist+z)}
	}
	return q
}

func TestEstimateAspect(t *testing.T) {
	for _, tc := range []struct{ roll, tx, ty float64 }{
		{0, 0, 0}, {0, 20, 0}, {0, 0, 20}, {0, 15, -15}, {10, 20, 20}, {-12, -20, 10}, {5, 3, 1},
	} {
		q := projectRect(85.6, 53.98, tc.roll, tc.tx, tc.ty, 1.25*85.6, 800, 640, 360)
		a := estimateAspect(q, 640, 360, 0.85*1280)
		simple := q.Width() / ((q.Left() + q.Right()) / 2)
		t.Logf("%+v: estimate %.3f (simple %.3f) true %.3f", tc, a, simple, 85.6/53.98)
		if tol := map[bool]float64{true: 0.06, false: 0.01}[tc.tx == 0 || tc.ty == 0]; math.Abs(a/(85.6/53.98)-1) > tol {
			t.Errorf("%+v: aspect %.3f, want %.3f", tc, a, 85.6/53.98)
		}
	}
}
