package quality

import "math"

// Corner arcs (step 6c). ISO/IEC 7810 rounds an ID-1 card's corners with
// a 3.18 mm radius, so between the arc and the point where the two sides'
// lines meet lies a pocket of whatever the card lies on. An outline whose
// corner is not a card corner — a side out on a sheet's edge beside the
// card, a band's inner edge, a T where a card's edge meets another — has
// the card or the sheet there instead. When, among the outlines the final
// choice (best) scored, one within arcGap of the winner would give another
// DPI, the corners of the two are read at full resolution and that
// runner-up is taken when its corners look clearly more like a card's. (The
// final choice stops at the candidates whose score bound cannot beat the
// best; expanding the others too, to find runners-up among them, cost 9-13 %
// more a searched frame for one more capture of 5,400 within both.)
//
// Each corner: along each of its sides, 1.5 and 3 radii from the corner
// (past the arc, where the side is straight), the strongest luma step
// within ±6 px across the side places the side's edge (the strongest
// |ΔY|+|ΔCb|+|ΔCr| step when no luma step reaches arcEdge: a pale card on
// white paper differs from it mostly in colour); the two edges' lines meet
// at the corner. The colour (Y, Cb, Cr) 0.15 radii along both sides
// from that corner (in the pocket, ≈ 0.2 radii outside the arc) is compared
// with the colours 4 px outside and inside the two sides' edges: +1 when it
// is the outside's, −1 when it is the inside's, in between by the
// distances, 0 when outside and inside hardly differ (a faint side) or an
// edge is not found. ID-3 pages have no such arcs (the generator rounds them
// with 1 mm), so only ID-1 frames use them.
const (
	arcGap    = 2.5   // rank points: a runner-up scoring within this of the winner is read
	arcWin    = 1.0   // corners' worth of arc evidence the runner-up needs over the winner
	arcWidth  = 0.015 // |ln width ratio| past which two outlines give another DPI
	arcPocket = 0.15  // radii along both sides from the corner: the pocket sample
	arcEdge   = 8.0   // least step (2 px apart; luma, else |ΔY|+|ΔCb|+|ΔCr|) of a side's edge near a corner
	arcDiffer = 12.0  // least |ΔY|+|ΔCb|+|ΔCr| between outside and inside for a corner to count
)

// scoredQuad is an outline of the final choice with its rank score.
type scoredQuad struct {
	q Quad
	s float64
}

// runnerUp returns the best-scoring outline of d.scored (the outlines best
// scored) within arcGap of the winner (score bestS) whose width differs
// from the winner's by more than arcWidth.
func (d *detector) runnerUp(best Quad, bestS float64) (Quad, bool) {
	var r Quad
	rs, ok := 0.0, false
	wb := best.Width()
	for _, c := range d.scored[:d.nScored] {
		if c.s <= bestS-arcGap || (ok && c.s <= rs) {
			continue
		}
		w := c.q.Width()
		if !(w > 0) || math.Abs(math.Log(w/wb)) <= arcWidth {
			continue
		}
		r, rs, ok = c.q, c.s, true
	}
	return r, ok
}

// cornerArcs sums the arc evidence of q's four corners (full-resolution
// coordinates, the frame in pix; see the constants above), in [-4, 4].
func (d *detector) cornerArcs(pix []byte, stride int, q Quad) float64 {
	r := cornerRadius * q.Width()
	if !(r >= 6) {
		return 0 // an arc of a few pixels is lost in the blur
	}
	sum := 0.0
	for i := 0; i < 4; i++ {
		c, nb, pv := q[i], q[(i+1)&3], q[(i+3)&3]
		lu, lv := dist(c, nb), dist(c, pv)
		if lu < 8*r || lv < 8*r {
			continue
		}
		ux, uy := (nb.X-c.X)/lu, (nb.Y-c.Y)/lu // along the side to the next corner
		vx, vy := (pv.X-c.X)/lv, (pv.Y-c.Y)/lv // along the side to the previous one
		unx, uny := uy, -ux                    // outward normals (clockwise quad, Y down)
		vnx, vny := -vy, vx
		e1, ok1 := d.arcEdge(pix, stride, Point{c.X + 1.5*r*ux, c.Y + 1.5*r*uy}, unx, uny)
		e2, ok2 := d.arcEdge(pix, stride, Point{c.X + 3*r*ux, c.Y + 3*r*uy}, unx, uny)
		f1, ok3 := d.arcEdge(pix, stride, Point{c.X + 1.5*r*vx, c.Y + 1.5*r*vy}, vnx, vny)
		f2, ok4 := d.arcEdge(pix, stride, Point{c.X + 3*r*vx, c.Y + 3*r*vy}, vnx, vny)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			continue
		}
		cc, ok := lineX(e1, e2, f1, f2)
		if !ok || dist(cc, c) > 8 {
			continue
		}
		la, lb := dist(e1, e2), dist(f1, f2)
		if la < 1 || lb < 1 {
			continue
		}
		sx := (e2.X-e1.X)/la + (f2.X-f1.X)/lb
		sy := (e2.Y-e1.Y)/la + (f2.Y-f1.Y)/lb
		p := d.colourAt(pix, stride, cc.X+arcPocket*r*sx, cc.Y+arcPocket*r*sy)
		out := d.colourAt(pix, stride, e1.X+4*unx, e1.Y+4*uny)
		out2 := d.colourAt(pix, stride, f1.X+4*vnx, f1.Y+4*vny)
		in := d.colourAt(pix, stride, e1.X-4*unx, e1.Y-4*uny)
		in2 := d.colourAt(pix, stride, f1.X-4*vnx, f1.Y-4*vny)
		for k := range out {
			out[k] = (out[k] + out2[k]) / 2
			in[k] = (in[k] + in2[k]) / 2
		}
		dio := colourDist(out, in)
		if dio < arcDiffer {
			continue
		}
		v := (colourDist(p, in) - colourDist(p, out)) / dio
		sum += fmax(-1, fmin(1, v))
	}
	return sum
}

// arcEdge places the side's edge near p: the strongest luma step (2 px
// apart) within ±6 px along (nx, ny), or, when that is under arcEdge and the
// frame has chroma, the strongest step of |ΔY|+|ΔCb|+|ΔCr| (the luma first:
// where it has an edge it places it more sharply than the subsampled
// chroma: on the 27 sets the fallback changed only #9192, found again,
// while the colour step everywhere found #13357 but lost #516); ok is false
// when the step is under arcEdge.
func (d *detector) arcEdge(pix []byte, stride int, p Point, nx, ny float64) (Point, bool) {
	var l [15]float64
	for t := -7; t <= 7; t++ {
		l[t+7] = bilinear(pix, stride, d.lw, d.lh, p.X+float64(t)*nx, p.Y+float64(t)*ny)
	}
	best, bt := 0.0, 0
	for t := -6; t <= 6; t++ {
		if g := math.Abs(l[t+8] - l[t+6]); g > best {
			best, bt = g, t
		}
	}
	if ch := d.chroma; best < arcEdge && ch != nil && d.lw > 0 && d.lh > 0 {
		// the chroma is read only for this fallback
		var cb, cr [15]float64
		for t := -7; t <= 7; t++ {
			x, y := p.X+float64(t)*nx, p.Y+float64(t)*ny
			cb[t+7] = chromaAt(ch, ch.Cb, d.lw, d.lh, x, y)
			cr[t+7] = chromaAt(ch, ch.Cr, d.lw, d.lh, x, y)
		}
		best = 0
		for t := -6; t <= 6; t++ {
			g := math.Abs(l[t+8]-l[t+6]) + math.Abs(cb[t+8]-cb[t+6]) + math.Abs(cr[t+8]-cr[t+6])
			if g > best {
				best, bt = g, t
			}
		}
	}
	if best < arcEdge {
		return p, false
	}
	return Point{p.X + float64(bt)*nx, p.Y + float64(bt)*ny}, true
}

// colourAt is the colour (Y, Cb, Cr) at (x, y) in full-resolution pixels:
// the mean luma of the 3 x 3 px around it and the chroma there (chromaAt;
// Cb = Cr = 0 when the frame has none).
func (d *detector) colourAt(pix []byte, stride int, x, y float64) [3]float64 {
	var c [3]float64
	for j := -1; j <= 1; j++ {
		for i := -1; i <= 1; i++ {
			c[0] += bilinear(pix, stride, d.lw, d.lh, x+float64(i), y+float64(j))
		}
	}
	c[0] /= 9
	if ch := d.chroma; ch != nil && d.lw > 0 && d.lh > 0 {
		c[1] = chromaAt(ch, ch.Cb, d.lw, d.lh, x, y)
		c[2] = chromaAt(ch, ch.Cr, d.lw, d.lh, x, y)
	}
	return c
}

// colourDist is |ΔY| + |ΔCb| + |ΔCr|.
func colourDist(a, b [3]float64) float64 {
	return math.Abs(a[0]-b[0]) + math.Abs(a[1]-b[1]) + math.Abs(a[2]-b[2])
}
