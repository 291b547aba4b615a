package quality

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/globalgateway/ggcapture/internal/synth"
)

// TestCornerArcs: generated captures whose final choice, by its rank score,
// is an outline with a side out on an edge beside the card (#9192: a
// sheet's, DPI +7.8 %; #17319: a pale card's side over a white sheet,
// taken at the sheet's edge, +3.4 %), with the card's own outline close
// behind. Its corners have the rounded card's pocket of background, the
// winner's do not, and the corner arcs (arc.go) take it.
func TestCornerArcs(t *testing.T) {
	stepNeeded(t, "the corner arcs", []int{9192, 17319}, func(d *detector, off bool) { d.noArcs = off })
}

// TestCornerArcsScore: on a frontal generated card (rounded corners) every
// corner reads as a card's, on a sharp-cornered rectangle of the same size
// and colours none does, and on a blank frame (no edges) no corner counts.
func TestCornerArcsScore(t *testing.T) {
	smp, q, g, d := blankCard(t, 3, color.RGBA{200, 190, 120, 255}, color.RGBA{40, 60, 90, 255})
	v := d.cornerArcs(g.Pix, g.Stride, q)
	t.Logf("rounded card: %.2f", v)
	if v < 3.5 {
		t.Errorf("rounded card: corner arcs %.2f, want >= 3.5 of 4", v)
	}

	// The same colours, the corners square.
	sq := image.NewNRGBA(smp.Image.Rect)
	for y := range sq.Rect.Dy() {
		for x := range sq.Rect.Dx() {
			c := color.NRGBA{40, 60, 90, 255}
			if inQuad(q, float64(x)+0.5, float64(y)+0.5) {
				c = color.NRGBA{200, 190, 120, 255}
			}
			sq.SetNRGBA(x, y, c)
		}
	}
	g2, ch2 := yuv420(sq)
	d.chroma = ch2
	v = d.cornerArcs(g2.Pix, g2.Stride, q)
	t.Logf("square corners: %.2f", v)
	if v > -3.5 {
		t.Errorf("square corners: corner arcs %.2f, want <= -3.5", v)
	}

	blank := image.NewGray(g.Rect)
	d.chroma = nil
	if v := d.cornerArcs(blank.Pix, blank.Stride, q); v != 0 {
		t.Errorf("blank frame: corner arcs %.2f, want 0", v)
	}
	// Degenerate outlines give 0, never a panic.
	for _, bad := range []Quad{{}, {{1, 1}, {2, 1}, {2, 2}, {1, 2}}, {{-1e9, 0}, {1e9, 0}, {1e9, 1e9}, {-1e9, 1e9}}, {{math.NaN(), 0}, {1, 0}, {1, 1}, {0, 1}}} {
		if v := d.cornerArcs(g.Pix, g.Stride, bad); v < -4 || v > 4 {
			t.Errorf("%v: corner arcs %.2f out of [-4, 4]", bad, v)
		}
	}
}

// blankCard renders a flat ID-1 card of colour doc on a plain background
// bg, frontal, and gives it with its true outline, its luma and a detector
// prepared for it with its chroma.
func blankCard(t *testing.T, seed int64, doc, bg color.RGBA) (synth.Sample, Quad, *image.Gray, *detector) {
	t.Helper()
	smp, err := synth.Render(synth.Doc{Format: synth.ID1, Seed: seed, Blank: true, DocColor: doc,
		BackgroundColor: bg, Background: synth.Plain})
	if err != nil {
		t.Fatal(err)
	}
	g, ch := yuv420(smp.Image)
	d := newDetector()
	d.prepare(g.Rect.Dx(), g.Rect.Dy(), 0)
	d.chroma = ch
	return smp, toQuad(smp.Corners), g, d
}

// inQuad reports whether (x, y) lies inside the convex quad q (clockwise,
// Y down).
func inQuad(q Quad, x, y float64) bool {
	for i := range 4 {
		a, b := q[i], q[(i+1)&3]
		if (b.X-a.X)*(y-a.Y)-(b.Y-a.Y)*(x-a.X) < 0 {
			return false
		}
	}
	return true
}

// TestCornerArcsChroma: a pale card whose luma hardly differs from what it
// lies on (pink on pale green, ΔY ≈ 3) has no luma step near its corners to
// place its sides; the corners are then placed on the colour step, and
// every corner reads as a card's. From luma alone only the corners on the
// side of the card's drop shadow (a luma step of their own) count.
func TestCornerArcsChroma(t *testing.T) {
	_, q, g, d := blankCard(t, 3, color.RGBA{220, 160, 190, 255}, color.RGBA{160, 190, 170, 255})
	v := d.cornerArcs(g.Pix, g.Stride, q)
	t.Logf("pale card, colour: %.2f", v)
	if v < 3.5 {
		t.Errorf("pale card with chroma: corner arcs %.2f, want >= 3.5 of 4", v)
	}
	d.chroma = nil
	v = d.cornerArcs(g.Pix, g.Stride, q)
	t.Logf("pale card, luma alone: %.2f", v)
	if v > 2.5 {
		t.Errorf("pale card from luma alone: corner arcs %.2f, want <= 2.5 (the shadowed corners)", v)
	}
}
