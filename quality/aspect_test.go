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

// TestCloseByAspect: given three sides of a projected ID-1 card (the fourth
// invisible), closeByAspect puts the fourth side where the card's is.
func TestCloseByAspect(t *testing.T) {
	d := newDetector()
	d.sw, d.sh = 320, 180
	cx, cy := 160.0, 90.0
	f := 0.85 * 320
	lineOf := func(p, q Point) line {
		l := dist(p, q)
		nx, ny := -(q.Y-p.Y)/l, (q.X-p.X)/l
		return line{theta: math.Atan2(ny, nx), nx: nx, ny: ny, rho: nx*(p.X-cx) + ny*(p.Y-cy)}
	}
	unit := func(p, q Point) Point { l := dist(p, q); return Point{(q.X - p.X) / l, (q.Y - p.Y) / l} }
	for _, tc := range []struct{ roll, tx, ty float64 }{
		{0, 0, 0}, {0, 18, 0}, {0, 0, 18}, {8, 15, -15}, {-10, -20, 12}, {4, 6, 19},
	} {
		q := projectRect(85.6, 53.98, tc.roll, tc.tx, tc.ty, 1.6*85.6, f, cx, cy)
		// each side in turn is the invisible one: c is the side opposite it
		for s := 0; s < 4; s++ {
			c0, c1 := q[s], q[(s+1)&3]       // c: corners p0, p1
			f1, f0 := q[(s+2)&3], q[(s+3)&3] // far corners on b and a
			d.lines[0], d.lines[1], d.lines[2] = lineOf(c0, f0), lineOf(c1, f1), lineOf(c0, c1)
			d.nLines = 3
			tr := triple{a: 0, b: 1, c: 2, p0: c0, p1: c1, ua: unit(c0, f0), ub: unit(c1, f1)}
			var cl [2][2]float64
			n := d.closeByAspect(&tr, FormatID1.Aspect(), f, &cl)
			want := 1 // c a short side: the second outline
			if s%2 == 0 {
				want = 0 // c a long side: the first
			}
			wantA, wantB := dist(c0, f0), dist(c1, f1)
			if n != 2 || math.Abs(cl[want][0]-wantA) > 0.01*wantA || math.Abs(cl[want][1]-wantB) > 0.01*wantB {
				t.Errorf("%+v side %d: %d outlines %.1f, want #%d at %.1f, %.1f", tc, s, n, cl[:n], want, wantA, wantB)
			}
		}
	}
}
