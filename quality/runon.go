package quality

import "math"

// Run-on sides (step 6c, with the corner arcs). An outline whose side is
// out on the edge of a sheet or an object beside the card shares the card's
// other sides' lines, but runs them on past the card's corners, over that
// sheet or object, to its own. Where the card really ends there, those
// stretches have the same surface on both sides: no edge. Where the larger
// outline is right (the smaller one's side on a printed band's inner edge),
// the card's own edge runs on along the band. So in a close call between a
// larger winner and a smaller runner-up (the ones the corner arcs read), the
// winner's run-on stretches are read at full resolution: when their edge
// step is under runOnRel of that along the shared stretch of the same sides
// and under runOnAbs, the runner-up is taken. (#19's run-on over a white
// sheet reads 2.4, against 99 along the shared stretch; at runOnAbs 10 the
// check also took #21379's accurate outline for one 0.8 % off, whose 34 px
// of run-on were the pale card's own top edge over white paper, reading
// 6.1. The step is averaged over runOnChunk px so that sensor noise, which
// the strongest of 13 steps would pick up, stays near 2.)
const (
	runOnChunk  = 8.0  // px along the side averaged into one profile
	runOnReach  = 6    // px across the side searched for the step (each way)
	runOnShared = 10.0 // px: the farthest a runner-up's corner lies from the winner's side line to share it
	runOnTurn   = 2.5  // degrees: the most two shared sides turn
	runOnMin    = 3    // chunks of run-on needed to judge
	runOnGap    = 6.0  // px past the smaller outline's corner where its run-on begins
	runOnRel    = 0.25 // run-on step / shared step under which the run-on is empty
	runOnAbs    = 4.0  // |ΔY|+|ΔCb|+|ΔCr| (4 px apart, chunk-averaged) under which the run-on is empty
)

// runsOn reports whether the sides of outline l (full-resolution
// coordinates, the frame in pix) that it shares with the smaller outline s
// run on past s's corners over a surface without edge.
func (d *detector) runsOn(pix []byte, stride int, l, s Quad) bool {
	r := cornerRadius * l.Width()
	type shared struct {
		a, u   Point // start and direction of l's side (its outward normal is (u.Y, -u.X))
		ta, tb float64
	}
	var sh [4]shared
	ns := 0
	ext, nExt := 0.0, 0
	for i := 0; i < 4; i++ {
		a, b := l[i], l[(i+1)&3]
		L := dist(a, b)
		if !(L > 4*runOnChunk) || L > float64(2*(d.lw+d.lh)) {
			continue // too short to judge, or not in the frame
		}
		ux, uy := (b.X-a.X)/L, (b.Y-a.Y)/L
		nx, ny := uy, -ux // outward (clockwise quad, Y down)
		sa, sb := s[i], s[(i+1)&3]
		ls := dist(sa, sb)
		if !(ls > 1) {
			continue
		}
		// side i of both (each clockwise from the top-left corner of its
		// upper long side: orderCyclic), running the same way
		turn := math.Abs(ux*(sb.Y-sa.Y)/ls - uy*(sb.X-sa.X)/ls)
		if turn > math.Sin(runOnTurn*math.Pi/180) || ux*(sb.X-sa.X)+uy*(sb.Y-sa.Y) <= 0 {
			continue
		}
		da := (sa.X-a.X)*nx + (sa.Y-a.Y)*ny
		db := (sb.X-a.X)*nx + (sb.Y-a.Y)*ny
		if math.Abs(da) > runOnShared || math.Abs(db) > runOnShared {
			continue
		}
		// s's corners along l's side, within it
		ta := fmax(0, fmin(L, (sa.X-a.X)*ux+(sa.Y-a.Y)*uy))
		tb := fmax(0, fmin(L, (sb.X-a.X)*ux+(sb.Y-a.Y)*uy))
		// the run-on, from just past s's corners
		e, n := d.stepAlong(pix, stride, a, ux, uy, nx, ny, 0, ta-runOnGap)
		ext, nExt = ext+e, nExt+n
		e, n = d.stepAlong(pix, stride, a, ux, uy, nx, ny, tb+runOnGap, L)
		ext, nExt = ext+e, nExt+n
		sh[ns] = shared{a, Point{ux, uy}, ta, tb}
		ns++
	}
	if nExt < runOnMin || ext >= runOnAbs*float64(nExt) {
		return false
	}
	// the shared stretches, without s's arcs
	body, nBody := 0.0, 0
	for _, c := range sh[:ns] {
		e, n := d.stepAlong(pix, stride, c.a, c.u.X, c.u.Y, c.u.Y, -c.u.X, c.ta+r, c.tb-r)
		body, nBody = body+e, nBody+n
	}
	if nBody < runOnMin {
		return false
	}
	return ext/float64(nExt) < runOnRel*body/float64(nBody)
}

// stepAlong sums, over the chunks of runOnChunk px between positions t0 and
// t1 along the line through a with direction (ux, uy), the strongest step
// (|ΔY|+|ΔCb|+|ΔCr|, 4 px apart) within ±runOnReach px across it of the
// chunk's averaged profile, and returns the sum and the number of chunks.
func (d *detector) stepAlong(pix []byte, stride int, a Point, ux, uy, nx, ny, t0, t1 float64) (float64, int) {
	const n = 2*runOnReach + 5
	sum, cnt := 0.0, 0
	ch := d.chroma
	for c0 := t0; c0+runOnChunk <= t1; c0 += runOnChunk {
		var y, cb, cr [n]float64
		for t := c0 + 1; t < c0+runOnChunk; t += 2 {
			px, py := a.X+t*ux, a.Y+t*uy
			for k := range n {
				o := float64(k - n/2)
				x, yy := px+o*nx, py+o*ny
				y[k] += bilinear(pix, stride, d.lw, d.lh, x, yy)
				if ch != nil {
					cb[k] += chromaAt(ch, ch.Cb, d.lw, d.lh, x, yy)
					cr[k] += chromaAt(ch, ch.Cr, d.lw, d.lh, x, yy)
				}
			}
		}
		best := 0.0
		for k := 2; k < n-2; k++ {
			g := math.Abs(y[k+2]-y[k-2]) + math.Abs(cb[k+2]-cb[k-2]) + math.Abs(cr[k+2]-cr[k-2])
			best = fmax(best, g)
		}
		sum += best / (runOnChunk / 2) // the profile summed runOnChunk/2 samples
		cnt++
	}
	return sum, cnt
}
