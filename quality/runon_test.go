package quality

import (
	"image/color"
	"math"
	"testing"
)

// TestRunsOn: on a flat card lying on a plain background, an outline whose
// right side is moved 40 px out onto the background runs its top and bottom
// sides on past the card's corners over a surface without edge; the card's
// own outline, against one whose right side lies 40 px inside the card (on
// a band's inner edge, say), does not: the card's edge runs on there.
func TestRunsOn(t *testing.T) {
	_, q, g, d := blankCard(t, 3, color.RGBA{200, 190, 120, 255}, color.RGBA{40, 60, 90, 255})
	shift := func(q Quad, dx float64) Quad {
		// move the right side (corners 1 and 2) by dx along the top side
		a, b := q[0], q[1]
		l := dist(a, b)
		ux, uy := (b.X-a.X)/l, (b.Y-a.Y)/l
		q[1] = Point{q[1].X + dx*ux, q[1].Y + dx*uy}
		a, b = q[3], q[2]
		l = dist(a, b)
		ux, uy = (b.X-a.X)/l, (b.Y-a.Y)/l
		q[2] = Point{q[2].X + dx*ux, q[2].Y + dx*uy}
		return q
	}
	if !d.runsOn(g.Pix, g.Stride, shift(q, 40), q) {
		t.Errorf("an outline 40 px out past the card's right side: runsOn false, want true")
	}
	if d.runsOn(g.Pix, g.Stride, q, shift(q, -40)) {
		t.Errorf("the card's outline against one 40 px inside it: runsOn true, want false")
	}
	// Degenerate outlines give false, never a panic.
	for _, bad := range []Quad{{}, {{1, 1}, {2, 1}, {2, 2}, {1, 2}}, {{-1e9, 0}, {1e9, 0}, {1e9, 1e9}, {-1e9, 1e9}}, {{math.NaN(), 0}, {1, 0}, {1, 1}, {0, 1}}} {
		if d.runsOn(g.Pix, g.Stride, bad, q) || d.runsOn(g.Pix, g.Stride, q, bad) {
			t.Errorf("%v: runsOn true", bad)
		}
	}
}

// TestRunOn: generated captures whose final choice, by its rank score, is
// an outline out on a sheet's edge beside a pale card (#19: the card's side
// over the white sheet differs from it by ΔCr ≈ 9), with the card's own
// outline close behind; the winner's bottom side runs on past the card's
// corner over the sheet, with no edge there, and the run-on check takes the
// card's outline.
func TestRunOn(t *testing.T) {
	stepNeeded(t, "the run-on check", []int{19}, func(d *detector, off bool) { d.noRunOn = off })
}
