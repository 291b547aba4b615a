package quality

import (
	"math"
	mathbits "math/bits"
	"slices"
)

// Quad detection.
//
//  1. The luma plane is reduced by an integer box filter so that its long side
//     is about Options.DetectSize (320) pixels.
//  2. Sobel gradients, non-maximum suppression along the gradient and a
//     contrast threshold give edge pixels with an orientation.
//  3. Each edge pixel votes in a (theta, rho) Hough accumulator (1° x 1 px)
//     only for orientations within ±3° of its gradient direction (taken from
//     the Sobel vectors summed over its 3x3 neighbourhood), with a weight
//     proportional to its gradient magnitude (capped), and 3/8 of that
//     where it has parallel edges on both sides (texture: surround); local
//     maxima of the 3-bin rho sums, after greedy suppression of near
//     duplicates (< 3°, < 5 px, at most maxPerDir within ±maxSameDir
//     degrees), give up to maxLines lines.
//  4. For each line the edge support along it (edge pixels within ±1 px
//     whose gradient is perpendicular to the line, counted separately per
//     polarity, none next to a textured edge pixel) is stored as a prefix
//     sum, so a segment's support costs O(1).
//  5. Pairs of near-parallel lines (< 25°, apart, not crossing near the
//     image; the first maxPairs of them in vote order), and pairs of such
//     pairs at more than 50° to each other, give convex candidate quads. A
//     candidate is kept when every side has consistent-polarity support
//     (one polarity, or one up to a point and the other after it) on
//     >= 40 % of its length and its aspect, corrected for perspective (Zhang &
//     He's rectangle-from-projection with the focal length estimated from the
//     quad or a prior), is within e^±0.35 of the format's. Its support is
//     sum(support³ x side length) minus extPenalty x the supported length of
//     each side's line just beyond its corners; the topK candidates by
//     support times loose aspect and centre priors go to the final choice.
//     Each of those made from four lines also gives outlines with one side
//     moved to a nearby Hough peak that is not a line (a duplicate of a
//     stronger parallel edge, or past its direction's cap), scored the same
//     way; the altTop best join the final choice (altSides). Outlines with
//     a side missing from the lines are closed from three lines (threeSided):
//     where their two sides' support ends, by the format's aspect, and on
//     Hough peaks too weak for a line that give the format's aspect
//     (closeByPeaks); and each side of the three leading four-line outlines
//     is searched inside for a faint side the lines missed (innerSides).
//  6. Each of those has its sides pushed outward to the outermost parallel
//     edge when the adjacent sides continue up to it (coloured bands; and,
//     as a second outline, when one of them does). The expanded outlines,
//     and each candidate as found when the strict expansion moved it, are
//     ranked by a log-linear score fit on generated captures (rank.go):
//     support, aspect, centre, weakest side, and how much of the outline's
//     boundary separates different colours.
//     After the first refinement, when neither side continues, one side
//     continuing suffices if the outline's aspect moves nearer the format's.
//  7. The quad is refined at full resolution: along each side, 40 profiles
//     across the edge find the sub-pixel position of the strongest gradient
//     of the side's polarity; a robust total-least-squares line is fitted to
//     them and adjacent lines are intersected. A side moved well off a
//     coarse side that lies on an edge of its own is fitted again near
//     that side (nearSides).
const (
	defaultDetectSize = 320
	maxLines          = 96
	nTheta            = 180
	voteSpread        = 3
	maxPairs          = 600
	refineSamples     = 40
	minSideSupport    = 0.40
	aspectTol         = 0.35
	preAspectSigma    = 0.25 // aspect weight before the band search
	topK              = 12   // candidates expanded for the final choice
	endA, endB        = 0.06, 0.22
	endBase           = 0.4
	extPenalty        = 2.0 // weight of supported side extensions past the corners
	maxPerDir         = 5   // at most this many lines within ±maxSameDir degrees
	maxSameDir        = 4
	maxExtreme        = 3     // extra lines per full direction, outside its kept lines
	secondChance      = 0.4   // votes / the strongest line's that admit a line past its direction's cap
	maxSecond         = 4     // lines admitted so
	looseGain         = 0.035 // |ln aspect| gain a one-sided expansion needs in locate
	threeSideMin      = 0.6   // support each of the three Hough sides of a three-sided candidate needs
	threeSideFactor   = 0.7   // weight of a three-sided candidate's score
	nearSideMin       = 0.35  // support of a and b near c before their extents are walked
	overMax           = 0.8   // |ln aspect error| of a too-long three-sided outline still searched inside
	overshoot         = 0.12  // |ln aspect| error that makes a three-sided outline search inside its ends
	looseThr          = 8     // gradient threshold of the one-sided band search
	refineMaxTurn     = 3.0   // degrees a refined side may turn from the coarse one
	cleanSide         = 0.65  // side support of a clean four-sided outline (see triLeadClean)
	cleanAspect       = 0.045 // |ln aspect error| of a clean four-sided outline
	triLead           = 0.8   // (see triFloor)
	triLeadClean      = 1.4   // triLead behind a clean leader
	softRatio         = 0.4   // largest 1-px step / whole change below which an edge is a soft ramp
	cornerRadius      = 0.037 // ID-1 corner radius / width (3.18 / 85.6 mm)
	centreSigma       = 0.3   // width of the centre prior, in frame sizes (see placeFactor)
)

type line struct {
	theta, rho float64 // normal angle (rad) and signed distance from the image centre
	nx, ny     float64
	votes      int
	cell       int32   // the Hough cell it came from
	tmin       float64 // parameter of the first support sample
	n          int     // number of samples
	off        int     // offset of this line's prefix sums in detector.sup
}

type lpair struct{ a, b int }

type cand struct{ cell, score int32 }

// topCand is a candidate outline kept for the final choice.
type topCand struct {
	q              Quad
	sup, pre, minS float64 // score, pre-score, weakest side's support
	strict         Quad    // q's strict expansion, once finalCand has made it
	hasStrict      bool
	// the lines of its sides p0-p1, p1-p2, p2-p3, p3-p0 of the corners as
	// intersected (before orderCyclic), or -1 when it was not made from
	// four lines
	sides [4]int16
}

type detector struct {
	landscape bool    // prefer outlines whose long side is nearer horizontal
	target    float64 // aspect of the format of the last detect
	fac       int
	sw, sh    int
	small     []byte
	rows      [][]byte // downscale scratch: the frame rows of a grid row
	rowS      []int    // Sobel scratch: column-smoothed sums of a row
	rowD      []int    // and vertical differences (int: in wasm, 32-bit
	rowS2     []int    // arithmetic costs sign extensions)
	rowD2     []int
	gx, gy    []int16
	mag       []int32
	edges     []int32 // indices of edge pixels
	ang       []uint8 // per edge, theta bin
	wt        []uint8 // per edge, vote weight (gradient magnitude / 16, 2..32)
	hough     []uint16
	nRho      int
	maxVote   int
	cosT      [nTheta]float64
	sinT      [nTheta]float64
	cands     []cand   // peak candidates
	weak      []cand   // weaker peaks, maxVote/32 up to the candidates' least (closeByPeaks)
	chroma    *Chroma  // colour planes of the current frame, or nil
	lw, lh    int      // luma size of the current frame
	scb, scr  []byte   // chroma on the detection grid (downscaleChroma)
	cx, cy    []int32  // chroma block bounds per grid column / row
	cw, ch    int      // chroma size cx, cy were made for
	tri       []triple // three-sided outlines (threeSided)
	triLead   float64  // (see triFloor)
	fgrid     [findGrid * findGrid]float32
	lines     [maxLines + maxAlt]line // the Hough lines, then from maxLines on the alternative lines (threeSided's fitted third sides, altSides' peaks)
	nLines    int
	nAlt      int            // alternative lines
	nAltTop   int            // alternative outlines at the end of top
	noAlt     bool           // tests: no alternative sides
	noPeaks   bool           // tests: no closing on weak peaks
	noInner   bool           // tests: no inner fourth sides
	noInner3  bool           // tests: no inner fourth sides of strong three-sided outlines
	noCut     bool           // tests: no cutting of thinned-out walks
	oneFocal  bool           // tests: closings by the format for the focal prior alone
	noNear    bool           // tests: no second fit near the coarse side (nearSides)
	noArcs    bool           // tests: no corner arcs (arc.go)
	noRunOn   bool           // tests: no run-on check (runon.go)
	noFit     bool           // tests: no three-sided outline's third side fitted (fitThird)
	triFit    [maxLines]bool // per Hough line: threeSided's fit of it as a third side was refused
	fitPts    [][2]float32   // fitRange scratch: (position, offset) of each edge point
	altCell   [maxAlt]int32  // the Hough cell of each (-1: a fitted third side)
	supP      []int32        // prefix sums of positive-polarity support per line
	supN      []int32
	pairs     [maxPairs]lpair
	ix        [maxLines * maxLines]Point   // line intersections (small image)
	inb       [maxLines * maxLines]bool    // ... inside the image
	ixT       [maxLines * maxLines]float64 // [i*maxLines+j]: position of the (i, j) intersection along line i (its support index)
	nPairs    int
	top       [topK + altTop]topCand // topK candidates, then up to altTop alternatives (altSides)
	nTop      int
	prof      [128]float64
	pts       [refineSamples]Point
	res       [refineSamples]float64
	fitIn     int // points of the last fitLine within 2 px of its consensus line
	// sides refine leaves where they are (Analyzer.follow: a side too faint
	// to follow)
	keepSide [4]bool
	// the channel and polarity each side's last chooseEdge fit since the
	// last detect (sign 0: none), which refine reuses when fixSides is set
	// (Analyzer.follow)
	sideCh   [4]int
	sideSign [4]float64
	fixSides bool
	cpts     [6][refineSamples]Point // chooseEdge's edge points per channel and polarity
	// per side of the last successful refine: its fit was kept (not the
	// coarse side), its consensus points, and the mean gradient of the edge
	// points found
	sideFit [4]bool
	sideIn  [4]int
	sideStr [4]float64
	angMap  []uint8                        // per pixel of the grid, its edge's direction bin (or noEdge, texMark)
	surOff  [nTheta][surroundR - 1][2]int8 // per direction bin, the pixel offsets 2..surroundR along its normal
	surIdx  [nTheta][surroundR - 1]int32   // the same as index offsets on the grid (set by prepare)
	texE    []int32                        // the edges surround found textured

	// The corner arcs (arc.go): whether this frame's final choice keeps its
	// outlines, and those it scored.
	arcs    bool
	scored  [(topK + altTop) * nModes]scoredQuad
	nScored int
}

func newDetector() *detector {
	d := &detector{}
	for i := 0; i < nTheta; i++ {
		t := float64(i) * math.Pi / nTheta
		d.cosT[i], d.sinT[i] = math.Cos(t), math.Sin(t)
		for r := 2; r <= surroundR; r++ {
			d.surOff[i][r-2] = [2]int8{int8(math.Round(float64(r) * d.cosT[i])), int8(math.Round(float64(r) * d.sinT[i]))}
		}
	}
	return d
}

// prepare sizes the buffers for a w x h input with the given detection size.
func (d *detector) prepare(w, h, size int) {
	if size < 32 {
		size = defaultDetectSize
	}
	long := w
	if h > long {
		long = h
	}
	fac := (long + size - 1) / size
	if fac < 1 {
		fac = 1
	}
	sw, sh := w/fac, h/fac
	d.lw, d.lh = w, h
	if sw == d.sw && sh == d.sh && fac == d.fac && d.small != nil {
		return
	}
	d.cw, d.ch = 0, 0 // chroma bounds follow the new grid
	d.fac, d.sw, d.sh = fac, sw, sh
	n := sw * sh
	d.small = make([]byte, n)
	d.rows = make([][]byte, fac)
	d.rowS = make([]int, sw)
	d.rowD = make([]int, sw)
	d.rowS2 = make([]int, sw)
	d.rowD2 = make([]int, sw)
	d.gx = make([]int16, n)
	d.gy = make([]int16, n)
	d.mag = make([]int32, n)
	d.edges = make([]int32, 0, n)
	d.ang = make([]uint8, 0, n)
	d.wt = make([]uint8, 0, n)
	d.angMap = make([]uint8, n)
	for b := range d.surOff {
		for r, o := range d.surOff[b] {
			d.surIdx[b][r] = int32(int(o[1])*sw + int(o[0]))
		}
	}
	diag := math.Hypot(float64(sw), float64(sh))
	d.nRho = 2*int(math.Ceil(diag/2)) + 5
	d.hough = make([]uint16, nTheta*d.nRho)
	d.cands = make([]cand, 0, 4096)
	d.weak = make([]cand, 0, 4096)
	d.tri = make([]triple, 0, 512)
	L := int(math.Ceil(diag)) + 4
	d.supP = make([]int32, (maxLines+maxAlt)*(L+1))
	d.supN = make([]int32, (maxLines+maxAlt)*(L+1))
	d.fitPts = make([][2]float32, 0, L+1)
}

// downscale box-filters the w x h plane into d.small. Factors 2, 4 and 6
// (a 640x360, a 1280x720 and a 1920x1080 frame) have loops of their own;
// the others sum each block's rows in 4-byte steps of fixed-length slices,
// the form that WebAssembly runs fast (a loop over a variable-length slice
// costs it several times as much a byte: under Node, 1600x900 took 10.7 ms
// and 2560x1440 21 ms with such loops, 4-5 and 6-10 ms now; `-bench
// Downscale`).
func (d *detector) downscale(pix []byte, stride int) {
	f, sw := d.fac, d.sw
	switch f {
	case 2:
		d.downscale2(pix, stride)
		return
	case 4:
		d.downscale4(pix, stride)
		return
	case 6:
		d.downscale6(pix, stride)
		return
	}
	norm := uint32(f * f)
	half := norm / 2
	rows := d.rows[:f]
	for j := 0; j < d.sh; j++ {
		for r := range rows {
			rows[r] = pix[(j*f+r)*stride:][:sw*f]
		}
		out := d.small[j*sw : j*sw+sw]
		for i := range out {
			k := f * i
			var t uint32
			for _, row := range rows {
				b := row[k : k+f : k+f]
				for len(b) >= 4 {
					q := b[:4:4]
					t += uint32(q[0]) + uint32(q[1]) + uint32(q[2]) + uint32(q[3])
					b = b[4:]
				}
				switch len(b) {
				case 3:
					t += uint32(b[0]) + uint32(b[1]) + uint32(b[2])
				case 2:
					t += uint32(b[0]) + uint32(b[1])
				case 1:
					t += uint32(b[0])
				}
			}
			out[i] = byte((t + half) / norm)
		}
	}
	clear(rows) // (the detector keeps no hold on the caller's frame)
}

// downscale2 is downscale for a factor of 2 (the canvas source's 640x360
// frames): two rows at once, each block from 2-byte row slices.
func (d *detector) downscale2(pix []byte, stride int) {
	sw := d.sw
	n := 2 * sw
	for j := 0; j < d.sh; j++ {
		o := 2 * j * stride
		r0 := pix[o : o+n]
		r1 := pix[o+stride : o+stride+n]
		out := d.small[j*sw : j*sw+sw]
		for i := range out {
			k := 2 * i
			a, b := r0[k:k+2:k+2], r1[k:k+2:k+2]
			out[i] = byte((uint32(a[0]) + uint32(a[1]) + uint32(b[0]) + uint32(b[1]) + 2) >> 2)
		}
	}
}

// downscale4 is downscale for a factor of 4: four rows at once, the 16
// pixels of each block summed from 4-byte row slices (one bounds check
// each). Plain byte sums beat 32-bit SWAR lanes in WebAssembly (0.35 vs
// 0.50 ms per 720p frame under Node) and match them natively.
func (d *detector) downscale4(pix []byte, stride int) {
	sw := d.sw
	for j := 0; j < d.sh; j++ {
		o := 4 * j * stride
		r0 := pix[o : o+4*sw]
		r1 := pix[o+stride : o+stride+4*sw]
		r2 := pix[o+2*stride : o+2*stride+4*sw]
		r3 := pix[o+3*stride : o+3*stride+4*sw]
		out := d.small[j*sw : j*sw+sw]
		for i := range out {
			k := 4 * i
			a := r0[k : k+4 : k+4]
			b := r1[k : k+4 : k+4]
			c := r2[k : k+4 : k+4]
			e := r3[k : k+4 : k+4]
			t := uint32(a[0]) + uint32(a[1]) + uint32(a[2]) + uint32(a[3]) +
				uint32(b[0]) + uint32(b[1]) + uint32(b[2]) + uint32(b[3]) +
				uint32(c[0]) + uint32(c[1]) + uint32(c[2]) + uint32(c[3]) +
				uint32(e[0]) + uint32(e[1]) + uint32(e[2]) + uint32(e[3])
			out[i] = byte((t + 8) >> 4)
		}
	}
}

// downscale6 is downscale4 for a factor of 6 (a 1920x1080 frame): six
// rows at once, each block's 36 pixels summed from 6-byte row slices. Under
// Node it takes 0.8-1.4 ms a 1080p frame where the former general loop
// (each block row a loop over a variable-length slice) took 10-11
// (natively 0.7 against 2.2-3.5).
func (d *detector) downscale6(pix []byte, stride int) {
	sw := d.sw
	n := 6 * sw
	for j := 0; j < d.sh; j++ {
		o := 6 * j * stride
		r0 := pix[o : o+n]
		r1 := pix[o+stride : o+stride+n]
		r2 := pix[o+2*stride : o+2*stride+n]
		r3 := pix[o+3*stride : o+3*stride+n]
		r4 := pix[o+4*stride : o+4*stride+n]
		r5 := pix[o+5*stride : o+5*stride+n]
		out := d.small[j*sw : j*sw+sw]
		for i := range out {
			k := 6 * i
			t := sum6(r0[k:k+6:k+6]) + sum6(r1[k:k+6:k+6]) + sum6(r2[k:k+6:k+6]) +
				sum6(r3[k:k+6:k+6]) + sum6(r4[k:k+6:k+6]) + sum6(r5[k:k+6:k+6])
			out[i] = byte((t + 18) / 36)
		}
	}
}

// sum6 is the sum of a's six bytes.
func sum6(a []byte) uint32 {
	a = a[:6]
	return uint32(a[0]) + uint32(a[1]) + uint32(a[2]) + uint32(a[3]) + uint32(a[4]) + uint32(a[5])
}

// gradients computes Sobel gradients and the edge list (NMS + threshold).
func (d *detector) gradients() {
	sw, sh := d.sw, d.sh
	p := d.small
	clear(d.mag)
	S, D := d.rowS[:sw], d.rowD[:sw]
	for y := 1; y < sh-1; y++ {
		// Separable Sobel: S = up + 2 mid + dn, D = dn - up per column;
		// gx = S[x+1] - S[x-1], gy = D[x-1] + 2 D[x] + D[x+1].
		up := p[(y-1)*sw : y*sw]
		mid := p[y*sw : (y+1)*sw]
		dn := p[(y+1)*sw : (y+2)*sw]
		for x := range S {
			u, v := int(up[x]), int(dn[x])
			S[x] = u + 2*int(mid[x]) + v
			D[x] = v - u
		}
		// (row slices of length sw: no bounds checks in the loop)
		gxr := d.gx[y*sw:][:sw]
		gyr := d.gy[y*sw:][:sw]
		mr := d.mag[y*sw:][:sw]
		for x := 1; x < len(S)-1; x++ {
			gx := S[x+1] - S[x-1]
			gy := D[x-1] + 2*D[x] + D[x+1]
			gxr[x], gyr[x] = int16(gx), int16(gy)
			if gx < 0 {
				gx = -gx
			}
			if gy < 0 {
				gy = -gy
			}
			mr[x] = int32(gx + gy)
		}
	}
	if d.chroma != nil {
		d.chromaGradients()
	}
	const thr = 32 // L1 Sobel magnitude: a step of about 8 grey levels
	d.edges = d.edges[:0]
	d.ang = d.ang[:0]
	d.wt = d.wt[:0]
	for y := 2; y < sh-2; y++ {
		o := y * sw
		// rows above, at and below y (row slices: one bounds check each)
		mu, mm, md := d.mag[o-sw:][:sw], d.mag[o:][:sw], d.mag[o+sw:][:sw]
		xu, xm, xd := d.gx[o-sw:][:sw], d.gx[o:][:sw], d.gx[o+sw:][:sw]
		yu, ym, yd := d.gy[o-sw:][:sw], d.gy[o:][:sw], d.gy[o+sw:][:sw]
		for x := 2; x < len(mm)-2; x++ {
			m := mm[x]
			if m < thr {
				continue
			}
			gx, gy := int32(xm[x]), int32(ym[x])
			ax, ay := gx, gy
			if ax < 0 {
				ax = -ax
			}
			if ay < 0 {
				ay = -ay
			}
			var m1, m2 int32
			switch {
			case ay*1000 <= ax*414: // gradient ~ horizontal
				m1, m2 = mm[x-1], mm[x+1]
			case ax*1000 <= ay*414: // ~ vertical
				m1, m2 = mu[x], md[x]
			case (gx > 0) == (gy > 0): // diagonal down-right
				m1, m2 = mu[x-1], md[x+1]
			default:
				m1, m2 = mu[x+1], md[x-1]
			}
			if m < m1 || m <= m2 {
				continue
			}
			// orientation from the gradient summed over the 3x3 neighbourhood:
			// texture next to an edge perturbs single-pixel Sobel directions.
			sx := int32(xu[x-1]) + int32(xu[x]) + int32(xu[x+1]) + int32(xm[x-1]) + int32(xm[x]) + int32(xm[x+1]) +
				int32(xd[x-1]) + int32(xd[x]) + int32(xd[x+1])
			sy := int32(yu[x-1]) + int32(yu[x]) + int32(yu[x+1]) + int32(ym[x-1]) + int32(ym[x]) + int32(ym[x+1]) +
				int32(yd[x-1]) + int32(yd[x]) + int32(yd[x+1])
			i := o + x
			b := 0
			if sx|sy != 0 {
				b = thetaBinNZ(sx, sy)
			}
			d.edges = append(d.edges, int32(i))
			d.ang = append(d.ang, uint8(b))
			wv := m / 16
			if wv > 32 {
				wv = 32
			}
			d.wt = append(d.wt, uint8(wv))
		}
	}
	d.surround()
}

// Surround suppression. Wood grain, ruled paper and a card's guilloche are
// edges with parallel edges beside them; a document's side over a surface
// has at most one side textured. An edge pixel with an edge of about its
// own direction (within surroundTol degrees) 2..surroundR pixels away along
// its gradient on both sides votes with surroundW eighths of its weight, so
// that a faint side over plain paper is not crowded out of its direction by
// the grain beside the card. (Measured on the generated captures: 6 px, 12°
// and 3/8 against 4 and 9 px, 8° and 18°, 2/8 and 4/8, and suppression when
// only one side has a parallel edge, docs/quality.md step 3.)
const (
	surroundR   = 6
	surroundTol = 12
	surroundW   = 3
)

// surround applies the surround suppression to d.wt.
func (d *detector) surround() {
	sw, sh := d.sw, d.sh
	am := d.angMap
	for i := range am {
		am[i] = noEdge
	}
	for k, e := range d.edges {
		am[e] = d.ang[k]
	}
	d.texE = d.texE[:0]
	y, row := 0, 0 // the row of the edge, and its first index
	for k, e := range d.edges {
		i := int(e)
		for i >= row+sw {
			y++
			row += sw
		}
		x := i - row
		b := int(d.ang[k])
		var both bool
		if x >= surroundR && x < sw-surroundR && y >= surroundR && y < sh-surroundR {
			idx := &d.surIdx[b]
			both = parallelAt(am, i, b, idx, 1) && parallelAt(am, i, b, idx, -1)
		} else {
			off := &d.surOff[b]
			both = parallelBeside(am, sw, sh, x, y, b, off, 1) && parallelBeside(am, sw, sh, x, y, b, off, -1)
		}
		if both {
			d.wt[k] = uint8(max(1, int(d.wt[k])*surroundW/8))
			d.texE = append(d.texE, e)
		}
	}
	for _, e := range d.texE {
		am[e] = texMark
	}
}

// In angMap, noEdge marks a pixel without an edge, and texMark (after
// surround) an edge pixel it found with parallel edges on both sides.
const (
	noEdge  = 255
	texMark = 254
)

// parallelAt is parallelBeside for a pixel at least surroundR from the
// border, by index offsets idx: most edge pixels, and ≈ 0.1 ms of a native
// 720p search faster than parallelBeside for all of them.
func parallelAt(am []uint8, i, b int, idx *[surroundR - 1]int32, sign int) bool {
	for _, o := range idx {
		if sameDir(int(am[i+sign*int(o)]), b) {
			return true
		}
	}
	return false
}

// sameDir reports whether direction bin a (noEdge: none) is within
// surroundTol of bin b.
func sameDir(a, b int) bool {
	if a == noEdge {
		return false
	}
	da := a - b
	if da < 0 {
		da = -da
	}
	if da > nTheta/2 {
		da = nTheta - da
	}
	return da <= surroundTol
}

// parallelBeside reports whether an edge of about direction bin b lies
// 2..surroundR pixels from (x, y) along the offsets off, times sign.
func parallelBeside(am []uint8, sw, sh, x, y, b int, off *[surroundR - 1][2]int8, sign int) bool {
	for _, o := range off {
		xx, yy := x+sign*int(o[0]), y+sign*int(o[1])
		if xx < 0 || yy < 0 || xx >= sw || yy >= sh {
			return false
		}
		if sameDir(int(am[yy*sw+xx]), b) {
			return true
		}
	}
	return false
}

// chromaGradients replaces, pixel by pixel, the gradient with the Sobel
// gradient of a chroma plane (Cb or Cr) where that one is stronger (by L1
// magnitude x chromaWeight): an edge is where any channel changes.
func (d *detector) chromaGradients() {
	sw, sh := d.sw, d.sh
	wq := int(math.Round(chromaWeight * 256)) // weight, 8-bit fixed point
	S, D := d.rowS[:sw], d.rowD[:sw]
	S2, D2 := d.rowS2[:sw], d.rowD2[:sw]
	for y := 1; y < sh-1; y++ {
		o := y * sw
		gxr := d.gx[o:][:sw]
		gyr := d.gy[o:][:sw]
		mr := d.mag[o:][:sw]
		bu, bm, bd := d.scb[o-sw:][:sw], d.scb[o:][:sw], d.scb[o+sw:][:sw]
		ru, rm, rd := d.scr[o-sw:][:sw], d.scr[o:][:sw], d.scr[o+sw:][:sw]
		for x := range S {
			u, v := int(bu[x]), int(bd[x])
			S[x] = u + 2*int(bm[x]) + v
			D[x] = v - u
			u, v = int(ru[x]), int(rd[x])
			S2[x] = u + 2*int(rm[x]) + v
			D2[x] = v - u
		}
		for x := 1; x < len(S)-1; x++ {
			gx := S[x+1] - S[x-1]
			gy := D[x-1] + 2*D[x] + D[x+1]
			hx := S2[x+1] - S2[x-1]
			hy := D2[x-1] + 2*D2[x] + D2[x+1]
			if gx|gy|hx|hy == 0 {
				continue // flat chroma (most of the frame)
			}
			ax, ay, bx, by := gx, gy, hx, hy
			if ax < 0 {
				ax = -ax
			}
			if ay < 0 {
				ay = -ay
			}
			if bx < 0 {
				bx = -bx
			}
			if by < 0 {
				by = -by
			}
			if ax+ay < bx+by {
				gx, gy, ax, ay = hx, hy, bx, by
			}
			if m := int32((ax + ay) * wq >> 8); m > mr[x] {
				mr[x] = m
				gxr[x], gyr[x] = int16(gx*wq>>8), int16(gy*wq>>8)
			}
		}
	}
}

func (d *detector) vote() {
	hough := d.hough
	clear(hough)
	sw, nRho := d.sw, d.nRho
	cx, cy := float64(d.sw)/2, float64(d.sh)/2
	half := float64(d.nRho/2) + 0.5 // (+0.5: rounding by truncation)
	cosT, sinT := &d.cosT, &d.sinT
	ang, wt := d.ang[:len(d.edges)], d.wt[:len(d.edges)]
	maxVote := uint16(0)
	for k, e := range d.edges {
		row := int(e) / sw
		x := float64(int(e)-row*sw) + 0.5 - cx
		y := float64(row) + 0.5 - cy
		b0 := int(ang[k])
		wv := uint16(wt[k])
		for db := -voteSpread; db <= voteSpread; db++ {
			b := b0 + db
			if b < 0 {
				b += nTheta
			} else if b >= nTheta {
				b -= nTheta
			}
			idx := b*nRho + int(x*cosT[b]+y*sinT[b]+half)
			if v := hough[idx]; v < math.MaxUint16-32 {
				v += wv
				hough[idx] = v
				maxVote = max(maxVote, v)
			}
		}
	}
	d.maxVote = int(maxVote)
}

// houghScore sums the three rho bins around a cell (robust to rho quantisation).
func (d *detector) houghScore(b, r int) int {
	o := b * d.nRho
	s := int(d.hough[o+r])
	if r > 0 {
		s += int(d.hough[o+r-1])
	}
	if r+1 < d.nRho {
		s += int(d.hough[o+r+1])
	}
	return s
}

// peaks extracts up to maxLines distinct lines.
func (d *detector) peaks() {
	minSide := min(d.sw, d.sh)
	d.cands = d.cands[:0]
	nr := d.nRho
	// A candidate line needs 1/16 of the frame's strongest votes, 1/24
	// with chroma: a pale card's side over white paper differs from the
	// sheet mostly in chroma, and its peak often lies between the two
	// (docs/quality.md, step 5f). In luma alone such a side has hardly a
	// vote of its own, and there 1/24 measured a little worse than 1/16.
	div := 16
	if d.hasChroma() {
		div = 24
	}
	minVotes := max(minSide/2, 8, d.maxVote/div)
	// Peaks down to maxVote/32 are kept apart for closeByPeaks (which
	// chooses among them by aspect, in any order):
	// a pale card's side over white paper has a peak too weak for a line.
	weakMin := max(minSide/2, 8, d.maxVote/32)
	d.weak = d.weak[:0]
	hough := d.hough
	lo, loCand := uint16(weakMin/2), uint16(minVotes/2)
	for b := 0; b < nTheta; b++ {
		o := b * nr
		row := hough[o : o+nr]
		for r := 1; r < nr-1; r++ {
			if row[r] < lo {
				continue
			}
			v := int(row[r])
			if int(row[r-1]) > v || int(row[r+1]) >= v {
				continue
			}
			bp, bn := b-1, b+1
			rp, rn := r, r
			if bp < 0 {
				bp, rp = nTheta-1, nr-1-r
			}
			if bn >= nTheta {
				bn, rn = 0, nr-1-r
			}
			if int(d.hough[bp*nr+rp]) > v || int(d.hough[bn*nr+rn]) >= v {
				continue
			}
			sc := d.houghScore(b, r)
			if sc < minVotes || row[r] < loCand {
				if sc >= weakMin && len(d.weak) < cap(d.weak) {
					d.weak = append(d.weak, cand{int32(o + r), int32(sc)})
				}
				continue
			}
			if len(d.cands) == cap(d.cands) {
				break
			}
			d.cands = append(d.cands, cand{int32(o + r), int32(sc)})
		}
	}
	slices.SortFunc(d.cands, func(a, b cand) int { return int(b.score - a.score) })
	// selection of the strongest with duplicate suppression
	d.nLines = 0
	for _, c := range d.cands {
		if d.nLines == maxLines {
			break
		}
		ln := d.candLine(c)
		th, rho := ln.theta, ln.rho
		dup := false
		same := 0 // lines already kept with about this orientation
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < d.nLines; i++ {
			if linesClose(th, rho, d.lines[i].theta, d.lines[i].rho) {
				dup = true
				break
			}
			if angDiff(th, d.lines[i].theta) < maxSameDir*math.Pi/180 {
				same++
				r := d.lines[i].rho
				if math.Abs(th-d.lines[i].theta) > math.Pi/2 {
					r = -r
				}
				lo, hi = fmin(lo, r), fmax(hi, r)
			}
		}
		// A full direction still admits a line outside all of its lines
		// (up to maxExtreme more): text lines and a band's edges inside a
		// card must not crowd out the card's own outline, its outermost line.
		if dup || same >= maxPerDir+maxExtreme || (same >= maxPerDir && rho > lo && rho < hi) {
			continue
		}
		d.lines[d.nLines] = ln
		d.nLines++
	}
	// A second chance for strong lines that only their direction's cap
	// turned away: a card side running beside a wood seam, amid the grain of
	// its direction, has votes among the frame's strongest.
	if d.nLines == 0 || len(d.cands) == 0 {
		return
	}
	thr := int32(secondChance * float64(d.cands[0].score))
	extra := 0
	for _, c := range d.cands {
		if d.nLines == maxLines || extra == maxSecond || c.score < thr {
			break
		}
		ln := d.candLine(c)
		dup := false
		for i := 0; i < d.nLines; i++ {
			if linesClose(ln.theta, ln.rho, d.lines[i].theta, d.lines[i].rho) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		d.lines[d.nLines] = ln
		d.nLines++
		extra++
	}
	if extra > 0 {
		// keep the lines in vote order: pairs are formed strongest first
		slices.SortStableFunc(d.lines[:d.nLines], func(a, b line) int { return b.votes - a.votes })
	}
}

// candLine is the line of Hough peak c.
func (d *detector) candLine(c cand) line {
	nr := d.nRho
	b, r := int(c.cell)/nr, int(c.cell)%nr
	return line{theta: float64(b) * math.Pi / nTheta, rho: float64(r) - float64(nr/2), nx: d.cosT[b], ny: d.sinT[b], votes: int(c.score), cell: c.cell}
}

const (
	fitReach   = 2    // px (detection grid) either side of a line searched for its edge
	fitMinFrac = 0.2  // fraction of a line's length that must have an edge to refit it
	fitMaxTurn = 3.0  // degrees a refit may turn a line
	fitMaxMove = 2.5  // px a refit may move a line at its middle
	fitGain    = 1.1  // supported steps a fit must gain (ratio; and 2 more)
	triFitMin  = 0.42 // support of a three-sided outline's third side below threeSideMin that is fitted
)

// fitRange refits line ln, between positions lo and hi along it
// ((x - centre) . direction, the direction being (-ny, nx)), to its edge
// pixels: the Hough cell is 1° and 1 px wide and its votes are spread over
// ±voteSpread bins, so a long side can lie a few pixels off its line at
// one end and lose its support there. At each 1-px step the strongest
// aligned edge pixel within ±fitReach is taken; a line through them (least
// squares, then again without the points more than 1 px off) is returned,
// with true, when it turns and moves the line little and the support
// measure itself (supportCount) finds clearly more of it (fitGain): a line
// already on its edge stays as found, and a fit drawn to a stronger edge
// beside it (a shadow's, a band's) is refused.
func (d *detector) fitRange(ln line, lo, hi float64) (line, bool) {
	sw, sh := d.sw, d.sh
	cx, cy := float64(sw)/2, float64(sh)/2
	px, py, dx, dy, tmin, tmax := d.span(&ln)
	tmin, tmax = fmax(tmin, lo), fmin(tmax, hi)
	if tmax-tmin < 8 {
		return ln, false
	}
	var f lsq // the fit of offset o = a + b t
	pts := d.fitPts[:0]
	for t := tmin + 0.5; t < tmax; t++ {
		x, y := px+t*dx, py+t*dy
		bestPr, bestO := 0.0, 0.0
		for k := -fitReach; k <= fitReach; k++ {
			ix := int(x + float64(k)*ln.nx)
			iy := int(y + float64(k)*ln.ny)
			if ix < 1 || iy < 1 || ix >= sw-1 || iy >= sh-1 {
				continue
			}
			i := iy*sw + ix
			if d.angMap[i] == texMark {
				bestPr = 0
				break
			}
			pr := math.Abs(d.alignedEdge(&ln, i))
			if pr <= bestPr {
				continue // none (0) or no stronger
			}
			bestPr = pr
			// the pixel centre's offset from the line
			bestO = (float64(ix)+0.5-cx)*ln.nx + (float64(iy)+0.5-cy)*ln.ny - ln.rho
		}
		if bestPr == 0 {
			continue
		}
		if len(pts) < cap(pts) {
			pts = append(pts, [2]float32{float32(t), float32(bestO)})
		}
		f.add(t, bestO)
	}
	minN := fmax(8, fitMinFrac*(tmax-tmin))
	a, b, ok := f.fit(minN)
	if !ok {
		return ln, false
	}
	// again without the points more than 1 px off the first fit
	f = lsq{}
	for _, p := range pts {
		if t, o := float64(p[0]), float64(p[1]); math.Abs(o-a-b*t) <= 1 {
			f.add(t, o)
		}
	}
	if a, b, ok = f.fit(minN); !ok {
		return ln, false
	}
	tm := (tmin + tmax) / 2
	if math.Abs(math.Atan(b))*180/math.Pi > fitMaxTurn || math.Abs(a+b*tm) > fitMaxMove {
		return ln, false
	}
	// The fitted line: points p + t (dx, dy) + (a + b t) n.
	h := math.Hypot(1, b)
	nx, ny := (ln.nx-b*dx)/h, (ln.ny-b*dy)/h
	rho := (ln.rho + a) / h
	th := math.Atan2(ny, nx)
	if th < 0 {
		th += math.Pi
		nx, ny, rho = -nx, -ny, -rho
	} else if th >= math.Pi {
		th -= math.Pi
		nx, ny, rho = -nx, -ny, -rho
	}
	fl := ln
	fl.theta, fl.nx, fl.ny, fl.rho = th, nx, ny, rho
	// the same stretch of the fitted line: its ends' projections
	fa := d.along(&fl, Point{px + tmin*dx, py + tmin*dy})
	fb := d.along(&fl, Point{px + tmax*dx, py + tmax*dy})
	if float64(d.supportCount(&fl, fmin(fa, fb), fmax(fa, fb))) < fitGain*float64(d.supportCount(&ln, tmin, tmax))+2 {
		return ln, false
	}
	return fl, true
}

// lsq accumulates points (t, o) for the least-squares line o = a + b t.
type lsq struct{ n, st, so, stt, sto float64 }

func (f *lsq) add(t, o float64) {
	f.n++
	f.st += t
	f.so += o
	f.stt += t * t
	f.sto += t * o
}

// fit gives the line through the points, ok false when there are fewer
// than minN or they do not fix a line.
func (f *lsq) fit(minN float64) (a, b float64, ok bool) {
	den := f.n*f.stt - f.st*f.st
	if f.n < minN || den <= 1e-9 {
		return 0, 0, false
	}
	b = (f.n*f.sto - f.st*f.so) / den
	a = (f.so - b*f.st) / f.n
	return a, b, true
}

// span gives line ln's foot of the normal (px, py), its direction (dx, dy)
// and the range of positions along it from the foot inside the grid's
// interior (1 px in from the border; tmin > tmax when it misses the grid).
func (d *detector) span(ln *line) (px, py, dx, dy, tmin, tmax float64) {
	cx, cy := float64(d.sw)/2, float64(d.sh)/2
	px, py = cx+ln.rho*ln.nx, cy+ln.rho*ln.ny
	dx, dy = -ln.ny, ln.nx
	tmin, tmax = -1e9, 1e9
	clip := func(p, dp, lo, hi float64) {
		if math.Abs(dp) < 1e-12 {
			if p < lo || p > hi {
				tmin, tmax = 1, 0
			}
			return
		}
		t1, t2 := (lo-p)/dp, (hi-p)/dp
		if t1 > t2 {
			t1, t2 = t2, t1
		}
		tmin = fmax(tmin, t1)
		tmax = fmin(tmax, t2)
	}
	clip(px, dx, 1, float64(d.sw-1))
	clip(py, dy, 1, float64(d.sh-1))
	if n2 := ln.nx*ln.nx + ln.ny*ln.ny; !(math.Abs(n2-1) < 1e-6) {
		return px, py, dx, dy, 1, 0 // not a line (a zero or NaN normal)
	}
	return
}

// supportCount is the number of 1-px steps along ln, inside the grid, that
// have edge support as lineSupportSums counts it (an aligned edge pixel
// within 1 px, none marked as texture).
func (d *detector) supportCount(ln *line, lo, hi float64) int {
	px, py, dx, dy, tmin, tmax := d.span(ln)
	tmin, tmax = fmax(tmin, lo), fmin(tmax, hi)
	cnt := 0
	for t := tmin + 0.5; t < tmax; t++ {
		if pos, neg := d.supportAt(ln, px+t*dx, py+t*dy); pos|neg != 0 {
			cnt++
		}
	}
	return cnt
}

// atanLUT[i] = atan(i/atanN) in degrees, for the orientation bins.
const atanN = 1024

var atanLUT = func() (t [atanN + 1]float32) {
	for i := range t {
		t[i] = float32(math.Atan(float64(i)/atanN) * 180 / math.Pi)
	}
	return
}()

// thetaBin returns the 1° bin (0..179) of the direction of (x, y) modulo
// 180°, through a table (error < 0.03°) rather than math.Atan2.
func thetaBin(x, y int32) int {
	if x == 0 && y == 0 {
		return 0
	}
	return thetaBinNZ(x, y)
}

// thetaBinNZ is thetaBin for a non-zero gradient, small enough to inline.
func thetaBinNZ(x, y int32) int {
	if y < 0 || (y == 0 && x < 0) { // fold to the upper half-plane
		x, y = -x, -y
	}
	ax := int64(x)
	if ax < 0 {
		ax = -ax
	}
	var deg float32
	if ax >= int64(y) {
		deg = atanLUT[int64(y)*atanN/ax]
	} else {
		deg = 90 - atanLUT[ax*atanN/int64(y)]
	}
	if x < 0 {
		deg = 180 - deg
	}
	return int(deg+0.5) % nTheta
}

// angDiff returns the unsigned angle between two line normals modulo pi, in
// [0, pi/2]; a and b are in [0, pi) (as every line's theta is).
func angDiff(a, b float64) float64 {
	x := math.Abs(a - b)
	if x >= math.Pi {
		x = math.Mod(x, math.Pi)
	}
	if x > math.Pi/2 {
		x = math.Pi - x
	}
	return x
}

func linesClose(t1, r1, t2, r2 float64) bool {
	if angDiff(t1, t2) > 3*math.Pi/180 {
		return false
	}
	// bring to the same orientation
	if math.Abs(t1-t2) > math.Pi/2 {
		r2 = -r2
	}
	return math.Abs(r1-r2) < 5
}

// support fills the prefix sums of edge support along each line. A place
// next to an edge pixel that surround found textured (parallel edges on
// both sides) has none: the lines of wood grain and ruled paper support no
// outline's side (docs/quality.md, step 4).
func (d *detector) support() {
	for li := 0; li < d.nLines; li++ {
		d.lineSupportSums(li)
	}
}

// supportAt tells whether line ln has edge support at (x, y) on it: an
// edge pixel within 1 px across the line whose gradient is aligned with its
// normal (cos >= 0.85), pos when the gradient points along the normal, neg
// against it (1 or 0 each); none next to a pixel marked as texture.
func (d *detector) supportAt(ln *line, x, y float64) (pos, neg int32) {
	sw, sh := d.sw, d.sh
	for o := -1; o <= 1; o++ {
		ix := int(x + float64(o)*ln.nx)
		iy := int(y + float64(o)*ln.ny)
		if ix < 1 || iy < 1 || ix >= sw-1 || iy >= sh-1 {
			continue
		}
		i := iy*sw + ix
		if d.angMap[i] == texMark {
			return 0, 0 // texture: no support here
		}
		if pr := d.alignedEdge(ln, i); pr > 0 {
			pos = 1
		} else if pr < 0 {
			neg = 1
		}
	}
	return pos, neg
}

// alignedEdge is the projection of grid pixel i's gradient on ln's normal
// when the pixel is an edge aligned with ln (the projection at least 32,
// the gradient within cos 0.85 of the normal), else 0.
func (d *detector) alignedEdge(ln *line, i int) float64 {
	const cosMin = 0.85
	if d.mag[i] < 30 {
		return 0 // |pr| <= L1 magnitude (+2 for chroma's rounding) < 32
	}
	gx, gy := float64(d.gx[i]), float64(d.gy[i])
	pr := gx*ln.nx + gy*ln.ny
	if math.Abs(pr) < 32 || pr*pr < cosMin*cosMin*(gx*gx+gy*gy) {
		return 0
	}
	return pr
}

// lineSupportSums fills line li's prefix sums of edge support (support).
func (d *detector) lineSupportSums(li int) {
	L := len(d.supP)/(maxLines+maxAlt) - 1
	ln := &d.lines[li]
	ln.off = li * (L + 1)
	px, py, dx, dy, tmin, tmax := d.span(ln)
	n := 0
	if tmax > tmin {
		n = int(tmax - tmin)
	}
	if n > L {
		n = L
	}
	ln.tmin, ln.n = tmin, n
	sp, sn := d.supP[ln.off:ln.off+n+1], d.supN[ln.off:ln.off+n+1]
	sp[0], sn[0] = 0, 0
	for k := 0; k < n; k++ {
		t := tmin + float64(k) + 0.5
		pos, neg := d.supportAt(ln, px+t*dx, py+t*dy)
		sp[k+1] = sp[k] + pos
		sn[k+1] = sn[k] + neg
	}
}

// segSupport returns the fraction of the segment of line li between points
// p and q (shrunk by 8 % at each end) that has edge support of one polarity,
// or of one polarity up to a point (at 1/4, 1/2 or 3/4 of it) and of the
// other after it, whichever is more.
func (d *detector) segSupport(li int, p, q Point) float64 {
	return d.segSupportT(li, d.linePos(li, p), d.linePos(li, q))
}

// linePos is the position of p's projection along line li, in the line's
// support index (prefix-sum position: projection minus tmin).
func (d *detector) linePos(li int, p Point) float64 {
	ln := &d.lines[li]
	return d.along(ln, p) - ln.tmin
}

// along is the position of p's projection on ln, from the foot of its
// normal along its direction (-ny, nx): the positions span and fitRange use.
func (d *detector) along(ln *line, p Point) float64 {
	return (p.X-float64(d.sw)/2)*-ln.ny + (p.Y-float64(d.sh)/2)*ln.nx
}

// fmax and fmin are max and min for values that are never NaN: plain
// comparisons, inlined, where the builtins call the runtime in wasm.
func fmax(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

func fmin(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

// segSupportT is segSupport for the segment between positions t1 and t2
// along line li (in its support index: projection minus tmin).
func (d *detector) segSupportT(li int, t1, t2 float64) float64 {
	ln := &d.lines[li]
	if t1 > t2 {
		t1, t2 = t2, t1
	}
	span := t2 - t1
	if span < 4 {
		return 0
	}
	a, b := t1+0.08*span, t2-0.08*span
	ia, ib := int(fmax(0, a)), int(fmin(float64(ln.n), b))
	if ib <= ia {
		return 0
	}
	sp, sn := d.supP[ln.off:], d.supN[ln.off:]
	pos := sp[ib] - sp[ia]
	neg := sn[ib] - sn[ia]
	if neg > pos {
		pos = neg
	}
	// a side whose polarity flips once (a card half on white paper, half on
	// a dark table): each part counts its own dominant polarity
	for _, f := range [...]int{1, 2, 3} {
		im := ia + f*(ib-ia)/4
		p1, n1 := sp[im]-sp[ia], sn[im]-sn[ia]
		p2, n2 := sp[ib]-sp[im], sn[ib]-sn[im]
		if v := max(p1, n1) + max(p2, n2); v > pos {
			pos = v
		}
	}
	return float64(pos) / (b - a) // parts outside the image count as unsupported
}

// rawSupport is the supported fraction of the segment p-q of line li (no
// shrinking), counting parts outside the image as unsupported.
func (d *detector) rawSupport(li int, p, q Point) float64 {
	ln := &d.lines[li]
	t1, t2 := d.linePos(li, p), d.linePos(li, q)
	if t1 > t2 {
		t1, t2 = t2, t1
	}
	if t2-t1 < 1 {
		return 0
	}
	ia, ib := int(fmax(0, t1)), int(fmin(float64(ln.n), t2))
	if ib <= ia {
		return 0
	}
	sp, sn := d.supP[ln.off:], d.supN[ln.off:]
	pos := sp[ib] - sp[ia]
	neg := sn[ib] - sn[ia]
	if neg > pos {
		pos = neg
	}
	return float64(pos) / (t2 - t1)
}

// endFactor weighs a side by the support of its two ends (6 %..22 % of its
// length from each corner): a document side is supported up to its corners,
// while a side of a quad closed by a background line beyond the document runs
// on unsupported from where the document ends.
func (d *detector) endFactor(li int, u, v Point) float64 {
	dx, dy := v.X-u.X, v.Y-u.Y
	e1 := d.rawSupport(li, Point{u.X + endA*dx, u.Y + endA*dy}, Point{u.X + endB*dx, u.Y + endB*dy})
	e2 := d.rawSupport(li, Point{v.X - endB*dx, v.Y - endB*dy}, Point{v.X - endA*dx, v.Y - endA*dy})
	return endBase + (1-endBase)*fmin(e1, e2)
}

// extSupport measures how far line li continues beyond the side u-v: the
// support of its extensions from 3 % to 15 % of the side length past each
// end, times their length. A document side ends at its corners; an edge
// that runs on (a band inside the card, a background line) is penalised.
func (d *detector) extSupport(li int, u, v Point) float64 {
	dx, dy := v.X-u.X, v.Y-u.Y
	a1 := Point{v.X + 0.03*dx, v.Y + 0.03*dy}
	b1 := Point{v.X + 0.15*dx, v.Y + 0.15*dy}
	a2 := Point{u.X - 0.03*dx, u.Y - 0.03*dy}
	b2 := Point{u.X - 0.15*dx, u.Y - 0.15*dy}
	l := 0.12 * math.Sqrt(dx*dx+dy*dy)
	return l * (d.rawSupport(li, a1, b1) + d.rawSupport(li, a2, b2))
}

func intersect(a, b *line, cx, cy float64) (Point, bool) {
	det := a.nx*b.ny - a.ny*b.nx
	if math.Abs(det) < 1e-6 {
		return Point{}, false
	}
	x := (a.rho*b.ny - b.rho*a.ny) / det
	y := (a.nx*b.rho - b.nx*a.rho) / det
	return Point{x + cx, y + cy}, true
}

// orderQuad orders four corners of a convex quad clockwise from the TL of the
// upper long side. ok is false when the points do not form a convex quad.
func orderQuad(p [4]Point) (Quad, bool) {
	c := Point{(p[0].X + p[1].X + p[2].X + p[3].X) / 4, (p[0].Y + p[1].Y + p[2].Y + p[3].Y) / 4}
	var ang [4]float64
	for i := range p {
		ang[i] = math.Atan2(p[i].Y-c.Y, p[i].X-c.X)
	}
	// insertion sort by angle (clockwise on screen = increasing atan2 with Y down)
	for i := 1; i < 4; i++ {
		for j := i; j > 0 && ang[j] < ang[j-1]; j-- {
			ang[j], ang[j-1] = ang[j-1], ang[j]
			p[j], p[j-1] = p[j-1], p[j]
		}
	}
	q := Quad(p)
	s0, s1 := q.Top()+q.Bottom(), q.Left()+q.Right()
	if s1 > s0 {
		q = Quad{q[1], q[2], q[3], q[0]}
	}
	if q[2].Y+q[3].Y < q[0].Y+q[1].Y {
		q = Quad{q[2], q[3], q[0], q[1]}
	}
	return q, q.Valid()
}

// orderCyclic orders four corners already in cyclic order (either direction)
// clockwise from the TL of the upper long side.
func orderCyclic(p [4]Point) (Quad, bool) {
	q := Quad(p)
	if q.Area() < 0 {
		q = Quad{p[0], p[3], p[2], p[1]}
	}
	s0, s1 := q.Top()+q.Bottom(), q.Left()+q.Right()
	if s1 > s0 {
		q = Quad{q[1], q[2], q[3], q[0]}
	}
	if q[2].Y+q[3].Y < q[0].Y+q[1].Y {
		q = Quad{q[2], q[3], q[0], q[1]}
	}
	return q, q.Valid()
}

// best finds the best candidate quad in small-image coordinates.
func (d *detector) best(f Format) (Quad, float64, bool) {
	sw, sh := float64(d.sw), float64(d.sh)
	cx, cy := sw/2, sh/2
	minSide := min(sw, sh)
	target := f.Aspect()
	d.target = target
	// parallel pairs
	d.nPairs = 0
	// (ordered by the weaker line's rank: the pairs among the strongest
	// lines come first, before the cap)
	for j := 1; j < d.nLines && d.nPairs < maxPairs; j++ {
		for i := 0; i < j && d.nPairs < maxPairs; i++ {
			a, b := &d.lines[i], &d.lines[j]
			if angDiff(a.theta, b.theta) > 25*math.Pi/180 {
				continue
			}
			rb := b.rho
			if math.Abs(a.theta-b.theta) > math.Pi/2 {
				rb = -rb
			}
			if math.Abs(a.rho-rb) < 0.12*minSide {
				continue
			}
			// their intersection (if any) must be far outside the image
			if p, ok := intersect(a, b, cx, cy); ok &&
				p.X > -0.25*sw && p.X < 1.25*sw && p.Y > -0.25*sh && p.Y < 1.25*sh {
				continue
			}
			d.pairs[d.nPairs] = lpair{i, j}
			d.nPairs++
		}
	}
	// all line intersections, and whether they lie in the image (±2 px)
	for i := 0; i < d.nLines; i++ {
		for j := i + 1; j < d.nLines; j++ {
			p, ok := intersect(&d.lines[i], &d.lines[j], cx, cy)
			ok = ok && p.X >= -2 && p.Y >= -2 && p.X <= sw+2 && p.Y <= sh+2
			d.ix[i*maxLines+j], d.ix[j*maxLines+i] = p, p
			d.inb[i*maxLines+j], d.inb[j*maxLines+i] = ok, ok
			d.ixT[i*maxLines+j], d.ixT[j*maxLines+i] = d.linePos(i, p), d.linePos(j, p)
		}
	}
	fPrior := 0.85 * max(sw, sh)
	minArea := 0.02 * sw * sh
	cleanPre := 0.0
	d.nTop = 0
	const minCross = 50 * math.Pi / 180
	for pi := 0; pi < d.nPairs; pi++ {
		P := d.pairs[pi]
		tp := d.lines[P.a].theta
		for qi := pi + 1; qi < d.nPairs; qi++ {
			Q := d.pairs[qi]
			if P.a == Q.a || P.a == Q.b || P.b == Q.a || P.b == Q.b {
				continue
			}
			// angDiff inlined: thetas lie in [0, pi)
			ad := tp - d.lines[Q.a].theta
			if ad < 0 {
				ad = -ad
			}
			if ad > math.Pi/2 {
				ad = math.Pi - ad
			}
			if ad < minCross {
				continue
			}
			k0, k1 := P.a*maxLines+Q.a, P.a*maxLines+Q.b
			k2, k3 := P.b*maxLines+Q.b, P.b*maxLines+Q.a
			if !(d.inb[k0] && d.inb[k1] && d.inb[k2] && d.inb[k3]) {
				continue
			}
			p0, p1, p2, p3 := d.ix[k0], d.ix[k1], d.ix[k2], d.ix[k3]
			pts := [4]Point{p0, p1, p2, p3}
			// sides: la from p0 to p1, ld p1-p2, lb p2-p3, lc p3-p0
			// (segSupport from the precomputed positions of the corners
			// along each line)
			s0 := d.segSupportT(P.a, d.ixT[k0], d.ixT[k1])
			if s0 < minSideSupport {
				continue
			}
			s1 := d.segSupportT(Q.b, d.ixT[Q.b*maxLines+P.a], d.ixT[Q.b*maxLines+P.b])
			if s1 < minSideSupport {
				continue
			}
			s2 := d.segSupportT(P.b, d.ixT[k2], d.ixT[k3])
			if s2 < minSideSupport {
				continue
			}
			s3 := d.segSupportT(Q.a, d.ixT[Q.a*maxLines+P.b], d.ixT[Q.a*maxLines+P.a])
			if s3 < minSideSupport {
				continue
			}
			q, ok := orderCyclic(pts)
			if !ok || q.Area() < minArea {
				continue
			}
			asp := estimateAspect(q, cx, cy, fPrior)
			r := math.Abs(math.Log(asp / target))
			if r > aspectTol {
				continue
			}
			sup := d.sideTerm(P.a, s0, p0, p1) + d.sideTerm(Q.b, s1, p1, p2) + d.sideTerm(P.b, s2, p2, p3) + d.sideTerm(Q.a, s3, p3, p0)
			sup -= extPenalty * (d.extSupport(P.a, p0, p1) + d.extSupport(Q.b, p1, p2) +
				d.extSupport(P.b, p2, p3) + d.extSupport(Q.a, p3, p0))
			if sup <= 0 {
				continue
			}
			// pre-score with a loose aspect term: a quad whose side lies on a
			// band's inner edge gets its true aspect only after expand.
			x := r / preAspectSigma
			pre := sup * math.Exp(-x*x) * d.placeFactor(q)
			minS := fmin(fmin(s0, s1), fmin(s2, s3))
			d.keepTop(q, sup, pre, minS, [4]int16{int16(P.a), int16(Q.b), int16(P.b), int16(Q.a)})
			if minS >= cleanSide && r <= cleanAspect {
				cleanPre = fmax(cleanPre, pre)
			}
		}
	}
	// Behind an outline with four well-supported sides of the format's
	// aspect leading the list, only a clearly larger three-sided outline
	// can matter. (The format's aspect within 4.5 %: a card on a sheet of
	// paper, its top and bottom sides running on to the sheet's edge, gives
	// such an outline some 8 % too long, which shut out the card's own
	// three-sided outline.)
	d.triLead = triLead
	if d.nTop > 0 && cleanPre >= d.top[0].pre {
		d.triLead = triLeadClean
	}
	d.nAlt = 0
	clear(d.triFit[:])
	d.threeSided(f, fPrior, minArea)
	d.innerSides(target, fPrior, minArea)
	d.altSides(target, fPrior, minArea)
	// final choice among the best few: expand each (band search, strict
	// and loose), then rank the expanded outlines (rank.go). Candidates go
	// in order of their score's upper bound (rankBound), and once that is
	// no better than the best score so far, the rest cannot win.
	var bound [topK + altTop]float64
	var order [topK + altTop]int
	w := d.rankWeights()
	for k := 0; k < d.nTop; k++ {
		bound[k] = rankBound(w, &d.top[k])
		i := k
		for i > 0 && bound[order[i-1]] < bound[k] {
			order[i] = order[i-1]
			i--
		}
		order[i] = k
	}
	var bestQ Quad
	bestS, found := 0.0, false
	var ft [nRank]float64
	// The outlines scored are kept for the corner arcs (arc.go).
	d.nScored = 0
	for _, k := range order[:d.nTop] {
		if found && bound[k] <= bestS {
			break
		}
		t := &d.top[k]
		for mode := range nModes {
			if found && bound[k]-rankModeGap(w, mode) <= bestS {
				continue
			}
			e, aspect, ok := d.finalCand(t, mode, fPrior)
			if !ok {
				continue
			}
			d.rankFeatures(&ft, t, e, mode, aspect)
			s := rankScore(w, &ft)
			if d.arcs && d.nScored < len(d.scored) {
				d.scored[d.nScored] = scoredQuad{e, s}
				d.nScored++
			}
			if !found || s > bestS {
				bestS, bestQ, found = s, e, true
			}
		}
	}
	return bestQ, bestS, found
}

// noSides marks a candidate not made from four Hough lines.
var noSides = [4]int16{-1, -1, -1, -1}

// Alternative sides. The Hough peaks near a kept line (within 5 px and 3°)
// and those past their direction's cap are not lines, so a card's side
// beside a stronger parallel edge (a sheet's edge a few pixels out, a
// band, text) has no line of its own, and its candidates take the stronger
// edge instead. altSides gives each candidate of the list, for each side,
// up to altPerSide of those peaks near the side as alternative lines (the
// strongest first), and adds the outlines with one side moved to them when
// they score as the pair loop scores its outlines.
const (
	maxAlt     = 64  // alternative lines per frame
	altTop     = 4   // alternative outlines kept for the final choice
	altPerSide = 2   // per side of a candidate
	altDist    = 12  // px (detection grid): farthest alternative from the side, at its middle
	altAngle   = 3.0 // degrees from the side
)

func (d *detector) altSides(target, fPrior, minArea float64) {
	d.nAltTop = 0 // (nAlt keeps threeSided's fitted third sides)
	if d.noAlt {
		return
	}
	n := d.nTop
	for k := 0; k < n; k++ {
		if d.top[k].sides[0] >= 0 && !d.altOf(d.top[k].sides, target, fPrior, minArea) {
			return
		}
	}
}

// altOf adds the alternatives of the outline of sides (altSides); false
// when no more alternative lines fit.
func (d *detector) altOf(sides [4]int16, target, fPrior, minArea float64) bool {
	sw, sh := float64(d.sw), float64(d.sh)
	cx, cy := sw/2, sh/2
	pts := d.corners(sides)
	for s := 0; s < 4; s++ {
		base := &d.lines[sides[s]]
		a, b := pts[s], pts[(s+1)&3]
		m := Point{(a.X + b.X) / 2, (a.Y + b.Y) / 2}
		got := 0
		for ci := 0; ci < len(d.cands) && got < altPerSide; ci++ {
			c := d.cands[ci]
			ln, ok := d.peakWithin(c, base.theta, altAngle*math.Pi/180)
			if !ok {
				continue
			}
			dm := math.Abs((m.X-cx)*ln.nx + (m.Y-cy)*ln.ny - ln.rho)
			if dm < 1 || dm > altDist {
				continue
			}
			li := d.altLine(c, ln)
			if li < 0 {
				return false
			}
			if li == 0 {
				continue // a Hough line already
			}
			got++
			d.altOutline(sides, s, li, target, fPrior, minArea)
		}
	}
	return true
}

// peakWithin gives the line of Hough peak c, and whether it lies within
// maxRad of direction theta (radians, as line.theta); the Hough cell tells
// most peaks apart before their line is made. (Callers pass maxRad as a
// constant expression: Hough directions are whole degrees, and a peak
// exactly at the limit must fall on the same side every time.)
func (d *detector) peakWithin(c cand, theta, maxRad float64) (line, bool) {
	db := int(c.cell)/d.nRho - int(math.Round(theta*nTheta/math.Pi))
	if db < 0 {
		db = -db
	}
	if db > nTheta/2 {
		db = nTheta - db
	}
	if db > int(math.Ceil(maxRad*nTheta/math.Pi-1e-6)) {
		return line{}, false
	}
	ln := d.candLine(c)
	return ln, angDiff(ln.theta, theta) <= maxRad
}

// corners gives the corners of the outline of the lines sides: corner s
// where side s-1 meets side s.
func (d *detector) corners(sides [4]int16) (pts [4]Point) {
	cx, cy := float64(d.sw)/2, float64(d.sh)/2
	for s := 0; s < 4; s++ {
		pts[s], _ = intersect(&d.lines[sides[(s+3)&3]], &d.lines[sides[s]], cx, cy)
	}
	return pts
}

// altLine gives the index of the alternative line of Hough peak c (ln),
// making it when new; 0 when c is one of the Hough lines, -1 when no more
// alternatives fit.
func (d *detector) altLine(c cand, ln line) int {
	for i := 0; i < d.nAlt; i++ {
		if d.altCell[i] == c.cell {
			return maxLines + i
		}
	}
	for i := 0; i < d.nLines; i++ {
		if d.lines[i].cell == c.cell {
			return 0
		}
	}
	if d.nAlt == maxAlt {
		return -1
	}
	li := maxLines + d.nAlt
	d.altCell[d.nAlt] = c.cell
	d.nAlt++
	d.lines[li] = ln
	d.lineSupportSums(li)
	return li
}

// altFitted gives the index of alternative line ln, a side refitted
// between its corners (fitRange), making it when no alternative lies on it
// already; -1 when no more alternatives fit.
func (d *detector) altFitted(ln line) int {
	for i := 0; i < d.nAlt; i++ {
		o := &d.lines[maxLines+i]
		if o.cell == -1 && math.Abs(o.theta-ln.theta) < 0.005 && math.Abs(o.rho-ln.rho) < 0.3 {
			return maxLines + i
		}
	}
	if d.nAlt == maxAlt {
		return -1
	}
	li := maxLines + d.nAlt
	d.altCell[d.nAlt] = -1
	d.nAlt++
	ln.cell = -1
	d.lines[li] = ln
	d.lineSupportSums(li)
	return li
}

// fitThird fits line c between its corners p0 (on a) and p1 (on b) and
// gives the fitted line's index among the alternatives and its corners.
// A line whose fit is refused once is not fitted again that frame (the
// pairs come strongest first; most fits are refused).
func (d *detector) fitThird(a, b, c int, p0, p1 Point) (li int, q0, q1 Point, ok bool) {
	if d.triFit[c] {
		return 0, q0, q1, false
	}
	ln := &d.lines[c]
	cx, cy := float64(d.sw)/2, float64(d.sh)/2
	ta, tb := d.along(ln, p0), d.along(ln, p1)
	lo, hi := fmin(ta, tb), fmax(ta, tb)
	sh := 0.08 * (hi - lo)
	fl, ok := d.fitRange(*ln, lo+sh, hi-sh)
	if !ok {
		d.triFit[c] = true
		return 0, q0, q1, false
	}
	if q0, ok = intersect(&d.lines[a], &fl, cx, cy); !ok {
		return 0, q0, q1, false
	}
	if q1, ok = intersect(&d.lines[b], &fl, cx, cy); !ok {
		return 0, q0, q1, false
	}
	if li = d.altFitted(fl); li < 0 {
		return 0, q0, q1, false
	}
	return li, q0, q1, true
}

// altOutline scores the outline of sides with side s on line li, as the
// pair loop of best scores its outlines, and keeps it when it would.
func (d *detector) altOutline(sides [4]int16, s, li int, target, fPrior, minArea float64) {
	sides[s] = int16(li)
	sw, sh := float64(d.sw), float64(d.sh)
	cx, cy := sw/2, sh/2
	var pts [4]Point
	for i := 0; i < 4; i++ {
		p, ok := intersect(&d.lines[sides[(i+3)&3]], &d.lines[sides[i]], cx, cy)
		if !ok || p.X < -2 || p.Y < -2 || p.X > sw+2 || p.Y > sh+2 {
			return
		}
		pts[i] = p
	}
	var sp [4]float64
	minS := 1e9
	for i := 0; i < 4; i++ {
		sp[i] = d.segSupport(int(sides[i]), pts[i], pts[(i+1)&3])
		if sp[i] < minSideSupport {
			return
		}
		minS = fmin(minS, sp[i])
	}
	q, ok := orderCyclic(pts)
	if !ok || q.Area() < minArea {
		return
	}
	r := math.Abs(math.Log(estimateAspect(q, cx, cy, fPrior) / target))
	if r > aspectTol {
		return
	}
	sup := 0.0
	for i := 0; i < 4; i++ {
		li, u, v := int(sides[i]), pts[i], pts[(i+1)&3]
		sup += d.sideTerm(li, sp[i], u, v) - extPenalty*d.extSupport(li, u, v)
	}
	if sup <= 0 {
		return
	}
	x := r / preAspectSigma
	d.keepAlt(q, sup, sup*math.Exp(-x*x)*d.placeFactor(q), minS, sides)
}

// keepAlt adds an alternative outline after the candidates (d.top[n0:],
// n0 the candidates' count when altSides began), in place of the weakest
// alternative when altTop are kept, unless another made the same outline.
func (d *detector) keepAlt(q Quad, sup, pre, minS float64, sides [4]int16) {
	for i := range d.top[:d.nTop] {
		if sameQuad(d.top[i].q, q) {
			return
		}
	}
	if d.nAltTop < altTop {
		d.top[d.nTop] = topCand{q: q, sup: sup, pre: pre, minS: minS, sides: sides}
		d.nTop++
		d.nAltTop++
		return
	}
	w := -1
	for i := d.nTop - d.nAltTop; i < d.nTop; i++ {
		if w < 0 || d.top[i].pre < d.top[w].pre {
			w = i
		}
	}
	if pre > d.top[w].pre {
		d.top[w] = topCand{q: q, sup: sup, pre: pre, minS: minS, sides: sides}
	}
}

// sameQuad reports whether a and b have the same corners (within 0.01 px),
// in any cyclic order.
func sameQuad(a, b Quad) bool {
	for i := 0; i < 4; i++ {
		if dist(a[0], b[i]) < 0.01 {
			for k := 1; k < 4; k++ {
				if dist(a[k], b[(i+k)&3]) >= 0.01 {
					return false
				}
			}
			return true
		}
	}
	return false
}

// sideTerm is a side's share of a candidate's support: its support s cubed
// times its length and its ends' factor (li the side's line, u-v the side).
func (d *detector) sideTerm(li int, s float64, u, v Point) float64 {
	return s * s * s * dist(u, v) * d.endFactor(li, u, v)
}

// The outlines of a candidate that the final choice ranks: its sides
// pushed out strictly (expandMode), loosely (the one-sided band search),
// and the candidate as found, when the strict expansion moved it (a card's
// side pushed out to a parallel edge of what lies beside it).
const (
	modeStrict = iota
	modeLoose
	modeAsFound
	nModes
)

// finalCand gives candidate t's outline of the given mode for the final
// choice and its aspect; false when the aspect is beyond aspectTol, or for
// modeAsFound when the strict expansion left t as it was.
func (d *detector) finalCand(t *topCand, mode int, fPrior float64) (e Quad, aspect float64, ok bool) {
	switch mode {
	case modeAsFound:
		if !t.hasStrict {
			t.strict, t.hasStrict = d.expandMode(t.q, false, 16), true
		}
		if t.strict == t.q {
			return t.q, 0, false
		}
		e = t.q
	case modeLoose:
		e = d.expandMode(t.q, true, 16)
	default:
		e = d.expandMode(t.q, false, 16)
		t.strict, t.hasStrict = e, true
	}
	aspect = estimateAspect(e, float64(d.sw)/2, float64(d.sh)/2, fPrior)
	return e, aspect, math.Abs(math.Log(aspect/d.target)) <= aspectTol
}

// threeSided adds candidates with three Hough sides and a fourth side found
// where the other two stop: a pair of near-parallel lines (a, b) and a line c
// across both give two corners; along a and b, away from c, the edge support
// runs up to the document's far corners, and the line through those ends is
// the fourth side even when it is too faint (a card on paper of about its
// own luma) or too crowded by background lines of its direction to have won
// a Hough line of its own.
// triple is a three-sided outline waiting for its fourth side's search.
type triple struct {
	a, b, c   int
	p0, p1    Point // corners on c
	ua, ub    Point // unit directions of a and b away from c
	ea, eb, r float64
	sc, bound float64
	pivot     int // 1: only ea is measured (eb constructed), 2: only eb
}

// findGrid bounds the side positions findSide tries along a and b.
const findGrid = 64

// maxSnaps bounds the three-sided outlines completed per frame, and
// maxFinds the wider searches among them (inside too-long outlines, and the
// pivots of sides with gaps). (10 and 3 until the too-long outlines of
// overMax were kept: one of those fell eleventh; 12 until 2026-11-27:
// #11103's, a pale card on a white sheet, came thirteenth of 75.)
const maxSnaps, maxFinds = 16, 6

// maxInner3 bounds the completed three-sided outlines per frame whose
// strong fourth side is also searched inside (innerSide): a card's side over
// a white sheet is faint, and the outline closes on the sheet's edge beyond
// it. (16 measured the same on 27 sets as 6.)
const maxInner3 = 6

// closeFocals are the focal lengths, in units of the prior, for which
// closeByAspect places the fourth side: the side's tilt follows from the
// vanishing point orthogonal to a and b's, which depends on the focal
// length, and phones' main cameras range from about the prior's 61°
// horizontal field of view to 76° (0.75 of it). A constructed outline is
// the projection of a rectangle for its own focal length, so the rank sees
// the format's aspect for each; its support and contrast decide.
var closeFocals = [...]float64{1, 0.75}

// walkCut: walks of a and b thinned out by running on past the document
// are cut to this times the longest side the format gives c's length.
const walkCut = 1.15

// maxCloses bounds the outlines closed by the format's aspect per frame
// (closeByAspect). (3 until 2026-11-27: the outlines of a busy desk used
// them up before #11103's.)
const maxCloses = 16

// maxPeakCloses bounds the outlines closed on weak peaks per frame
// (closeByPeaks; it shared maxCloses until that went to 16, which here lost
// #71 to a wrong closing).
const maxPeakCloses = 3

func (d *detector) threeSided(f Format, fPrior, minArea float64) {
	sw, sh := float64(d.sw), float64(d.sh)
	cx, cy := sw/2, sh/2
	target := f.Aspect()
	inImage := func(p Point) bool { return p.X >= -2 && p.Y >= -2 && p.X <= sw+2 && p.Y <= sh+2 }
	d.tri = d.tri[:0]
	for pi := 0; pi < d.nPairs; pi++ {
		P := d.pairs[pi]
		for c := 0; c < d.nLines; c++ {
			if c == P.a || c == P.b || angDiff(d.lines[P.a].theta, d.lines[c].theta) < 50*math.Pi/180 {
				continue
			}
			ka, kb := P.a*maxLines+c, P.b*maxLines+c
			if !d.inb[ka] || !d.inb[kb] {
				continue
			}
			p0, p1 := d.ix[ka], d.ix[kb]
			lc := dist(p0, p1)
			if lc < 12 {
				continue
			}
			// The largest outline on c: a and b (and the fourth side) as
			// long as the format and perspective allow.
			maxLen := 1.45 * lc * fmax(target, 1/target)
			if threeSideFactor*1.1*(lc+2*maxLen+1.5*lc+2*cornerRadius*maxLen) <= d.triFloor() {
				continue
			}
			sc := d.segSupport(c, p0, p1)
			ci := c // the third side's line: c, or c fitted between a and b
			if sc < threeSideMin {
				// A long side a little off its Hough line (1° cells,
				// votes spread over ±3) loses its support at one end:
				// fit it between a and b and take the fitted line.
				if d.noFit || sc < triFitMin {
					continue
				}
				li, q0, q1, ok := d.fitThird(P.a, P.b, c, p0, p1)
				if !ok {
					continue
				}
				if sc = d.segSupport(li, q0, q1); sc < threeSideMin {
					continue
				}
				ci, p0, p1, lc = li, q0, q1, dist(q0, q1)
				maxLen = 1.45 * lc * fmax(target, 1/target)
			}
			for dir := -1.0; dir <= 1; dir += 2 {
				ua := Point{-d.lines[P.a].ny * dir, d.lines[P.a].nx * dir}
				ub := Point{-d.lines[P.b].ny, d.lines[P.b].nx}
				if ub.X*ua.X+ub.Y*ua.Y < 0 { // the lines' own directions may be opposite
					ub = Point{-ub.X, -ub.Y}
				}
				// a and b must be supported from the corners on c over the
				// least length they can have before their ends are sought.
				m := 0.4 * lc / target
				if d.segSupport(P.a, p0, Point{p0.X + m*ua.X, p0.Y + m*ua.Y}) < nearSideMin ||
					d.segSupport(P.b, p1, Point{p1.X + m*ub.X, p1.Y + m*ub.Y}) < nearSideMin {
					continue
				}
				ea := d.extent(P.a, p0, ua, fmin(maxLen, d.toBorder(p0, ua)))
				eb := d.extent(P.b, p1, ub, fmin(maxLen, d.toBorder(p1, ub)))
				// A side with gaps (a worn edge, a background of its own
				// luma) stops early: close the outline from the longer one,
				// the fourth side parallel to c.
				pivot := 0
				if ea < 0.8*eb || eb < 0.8*ea {
					dc := Point{p1.X - p0.X, p1.Y - p0.Y}
					if pivot = 2; ea > eb {
						pivot = 1
						A := Point{p0.X + ea*ua.X, p0.Y + ea*ua.Y}
						if B, ok := lineX(A, Point{A.X + dc.X, A.Y + dc.Y}, p1, Point{p1.X + ub.X, p1.Y + ub.Y}); ok {
							eb = (B.X-p1.X)*ub.X + (B.Y-p1.Y)*ub.Y
						}
					} else {
						B := Point{p1.X + eb*ub.X, p1.Y + eb*ub.Y}
						if A, ok := lineX(B, Point{B.X + dc.X, B.Y + dc.Y}, p0, Point{p0.X + ua.X, p0.Y + ua.Y}); ok {
							ea = (A.X-p0.X)*ua.X + (A.Y-p0.Y)*ua.Y
						}
					}
				}
				if ea < 0.4*lc/target || eb < 0.4*lc/target {
					continue
				}
				// The support stops where the rounded corner begins: the
				// corners on a and b lie r/2 past the walks' ends.
				corners := func(ea, eb, r float64) (p2, p3 Point) {
					return Point{p1.X + (eb+r/2)*ub.X, p1.Y + (eb+r/2)*ub.Y}, Point{p0.X + (ea+r/2)*ua.X, p0.Y + (ea+r/2)*ua.Y}
				}
				r := cornerRadius * fmax(lc, (ea+eb)/2)
				ea = fmin(ea, d.toBorder(p0, ua)-r/2)
				eb = fmin(eb, d.toBorder(p1, ub)-r/2)
				p2, p3 := corners(ea, eb, r)
				if !inImage(p2) || !inImage(p3) {
					continue
				}
				sa := d.segSupport(P.a, p0, p3)
				sb := d.segSupport(P.b, p1, p2)
				if sa < threeSideMin-0.05 || sb < threeSideMin-0.05 {
					// Walks that ran on past the document (along a sheet's
					// edge or text in line with its sides: #11107) thin
					// their support out: cut them to the longest the
					// format allows along a and b and measure again.
					L := walkCut * lc * fmax(target, 1/target)
					if d.noCut || ea <= L && eb <= L {
						continue
					}
					ea, eb = fmin(ea, L), fmin(eb, L)
					r = cornerRadius * fmax(lc, (ea+eb)/2)
					p2, p3 = corners(ea, eb, r)
					sa, sb = d.segSupport(P.a, p0, p3), d.segSupport(P.b, p1, p2)
					if sa < threeSideMin-0.05 || sb < threeSideMin-0.05 {
						continue
					}
				}
				q, ok := orderCyclic([4]Point{p0, p1, p2, p3})
				if !ok || q.Area() < minArea {
					continue
				}
				if ar := math.Log(estimateAspect(q, cx, cy, fPrior) / target); math.Abs(ar) > aspectTol+0.05 {
					// Far too long along a and b is kept for the search
					// inside (a card's sides running on along a sheet's).
					if longBy(ar, (ea+eb)/2, lc) < 0 || math.Abs(ar) > overMax {
						continue
					}
				}
				// The fourth side can add at most its length.
				bound := threeSideFactor * 1.1 * (sc*sc*sc*lc + sa*sa*sa*ea + sb*sb*sb*eb + dist(p2, p3) + 2*r)
				if bound <= d.triFloor() {
					continue
				}
				if len(d.tri) < cap(d.tri) {
					d.tri = append(d.tri, triple{P.a, P.b, ci, p0, p1, ua, ub, ea, eb, r, sc, bound, pivot})
				}
			}
		}
	}
	slices.SortFunc(d.tri, func(x, y triple) int {
		if x.bound > y.bound {
			return -1
		} else if x.bound < y.bound {
			return 1
		}
		return 0
	})
	finds, pivots, closes, peakCloses, inner3 := 0, 0, 0, 0, 0
	for i := range min(len(d.tri), maxSnaps) {
		t := &d.tri[i]
		if t.bound <= d.triFloor() {
			break
		}
		// a or b running on to the border of the frame: no corner there.
		border := t.ea+t.r/2 >= d.toBorder(t.p0, t.ua)-1 || t.eb+t.r/2 >= d.toBorder(t.p1, t.ub)-1
		ea1, eb1 := t.ea+t.r/2, t.eb+t.r/2
		if !border {
			if t.pivot != 0 {
				// past maxFinds the pivot is skipped, not the closings
				// below (until 2026-11-27 it skipped the outline)
				if pivots++; pivots <= maxFinds {
					ea1, eb1 = d.pivotSide(t)
					d.addTriple(t, ea1, eb1, target, fPrior, minArea)
				}
			} else {
				ea1, eb1 = d.snapSide(t.p0, t.ua, t.ea, t.p1, t.ub, t.eb, t.r)
				d.addTriple(t, ea1, eb1, target, fPrior, minArea)
			}
		}
		a, b := Point{t.p0.X + ea1*t.ua.X, t.p0.Y + ea1*t.ua.Y}, Point{t.p1.X + eb1*t.ub.X, t.p1.Y + eb1*t.ub.Y}
		weak := true // the fourth side where a and b stop has little support
		if l := dist(a, b); !border && l > 1 {
			weak = !d.hasSupport(a, b, (b.Y-a.Y)/l, -(b.X-a.X)/l, 16, 0.5)
		}
		// The outline closed where a and b stop is too long for the format.
		long := false
		if q, ok := orderCyclic([4]Point{t.p0, t.p1, b, a}); ok {
			long = d.tooLong(q, t, target, fPrior)
		}
		// When it is and its fourth side is weak, a background edge runs
		// on along a and b past the document's corners: search inside.
		if long && weak && finds < maxFinds {
			finds++
			ea2, eb2 := d.findSide(t, target)
			if math.Abs(ea2-ea1) > 2 || math.Abs(eb2-eb1) > 2 {
				d.addTriple(t, ea2, eb2, target, fPrior, minArea)
			}
		}
		// A strong fourth side may still be a sheet's edge beyond the
		// card's faint side, a few pixels out at a plausible aspect
		// (#15387) or far out (#25267, too long for findSide, which
		// searches only behind weak sides): search inside it as
		// innerSides does for four-line outlines.
		if !weak && !border && inner3 < maxInner3 && !d.noInner3 {
			inner3++
			if la, lb, ok := d.innerSide(t, ea1, eb1, target); ok {
				d.addTriple(t, la, lb, target, fPrior, minArea)
			}
		}
		// A fourth side with no edge at all (a pale card on white paper,
		// the same in luma and chroma): only the format can place it.
		if weak && !border && closes < maxCloses {
			closes++
			for i, fs := range closeFocals {
				if i > 0 && d.oneFocal {
					break
				}
				var cl [2][2]float64
				for k := range d.closeByAspect(t, target, fs*fPrior, &cl) {
					if la, lb := cl[k][0], cl[k][1]; math.Abs(la-ea1) > 2 || math.Abs(lb-eb1) > 2 {
						d.addTriple(t, la, lb, target, fPrior, minArea)
					}
				}
			}
		}
		// A faint fourth side often still has a Hough peak, too weak for a
		// line; and an outline closed too long for the format lies on an
		// edge beyond the document (a sheet's): close it on the peaks
		// across a and b that give the format's aspect.
		if (weak && !border || long) && peakCloses < maxPeakCloses && !d.noPeaks {
			peakCloses++
			d.closeByPeaks(t, ea1, eb1, target, fPrior, minArea)
		}
	}
}

// Inner fourth sides. A card lying on a sheet of paper, with one side over
// the sheet and faint there (a pale card on white paper), gets a strong
// four-line outline closed on the sheet's edge: its two adjacent sides run
// on along the card's sides, which continue over the sheet, and the card's
// own side is no line at all. Nothing is weak or too long about that
// outline, so neither 5b's search inside nor closeByPeaks sees it, and its
// three sides seldom make one of the few three-sided outlines searched.
// innerSides takes each side of the first innerTop four-line candidates in
// turn, keeps the other three as a three-sided outline and searches its
// fourth side strictly inside the current one (innerSide); one found joins
// the candidates as a three-sided outline, and the rank chooses.
const (
	innerTop  = 3   // four-line candidates whose sides are searched inside
	innerFrom = 0.6 // the search spans from this fraction of a and b ...
	innerEnd  = 1   // ... to this many px (detection grid) short of the side,
	innerGap  = 5   // one end at least this many px short
	innerStep = 2   // px: grid of the search along a and b
	innerMin  = 0.7 // edge support (farSupport) an inner side needs
)

// innerSides adds the outlines innerSide finds inside the sides of the
// first innerTop candidates made of four lines.
func (d *detector) innerSides(target, fPrior, minArea float64) {
	if d.noInner {
		return
	}
	var list [innerTop][4]int16 // (addTriple reorders d.top)
	n := 0
	for k := 0; k < d.nTop && n < innerTop; k++ {
		if d.top[k].sides[0] >= 0 {
			list[n] = d.top[k].sides
			n++
		}
	}
	for _, sides := range list[:n] {
		pts := d.corners(sides)
		for s := 0; s < 4; s++ {
			// side s runs pts[s]-pts[s+1]; c is the opposite side, a runs
			// from c to pts[s], b from c to pts[s+1].
			p0, p1 := pts[(s+3)&3], pts[(s+2)&3]
			A, B := pts[s], pts[(s+1)&3]
			ea, eb := dist(p0, A), dist(p1, B)
			if ea < 8 || eb < 8 {
				continue
			}
			t := triple{a: int(sides[(s+3)&3]), b: int(sides[(s+1)&3]), c: int(sides[(s+2)&3]), p0: p0, p1: p1,
				ua: Point{(A.X - p0.X) / ea, (A.Y - p0.Y) / ea}, ub: Point{(B.X - p1.X) / eb, (B.Y - p1.Y) / eb}}
			t.sc = d.segSupport(t.c, p0, p1)
			if la, lb, ok := d.innerSide(&t, ea, eb, target); ok {
				d.addTriple(&t, la, lb, target, fPrior, minArea)
			}
		}
	}
}

// innerSide searches the fourth side of t, its ends la and lb along a and b
// from innerFrom of ea and eb up to innerEnd short of them, one of them at
// least innerGap short (the current side may leave the card's own side at
// one corner and run off it towards the other: #25201, a phone's edge
// beside a pale card), on an innerStep
// grid (the two sides within ±25 % of each other, their mean's ratio to c
// within e^±0.25 of the format's or its inverse, as findSide), then both
// ends ±1 px: the position with the most edge support, when it has at least
// innerMin.
func (d *detector) innerSide(t *triple, ea, eb, target float64) (la, lb float64, ok bool) {
	lc := dist(t.p0, t.p1)
	lr := math.Abs(math.Log(target))
	loA, loB := innerFrom*ea, innerFrom*eb
	if ea-innerEnd <= loA || eb-innerEnd <= loB {
		return 0, 0, false
	}
	na, nb := int((ea-innerEnd-loA)/innerStep)+1, int((eb-innerEnd-loB)/innerStep)+1
	bs := -1.0
	for i := range na {
		ta := loA + float64(i)*innerStep
		for j := range nb {
			tb := loB + float64(j)*innerStep
			if ea-ta < innerGap && eb-tb < innerGap {
				continue
			}
			if !sidesFit(ta, tb, lc, lr) {
				continue
			}
			// Most positions cannot beat the best so far: the sampling
			// stops as soon as that is known.
			if d.farSupportMin(t.p0, t.ua, ta, t.p1, t.ub, tb, 16, fmax(bs+1.0/16, innerMin)) == 0 {
				continue
			}
			if v := d.farSupport(t.p0, t.ua, ta, t.p1, t.ub, tb, 16); v > bs {
				bs, la, lb = v, ta, tb
			}
		}
	}
	if bs < innerMin {
		return 0, 0, false
	}
	la, lb, best := d.nudgeEnds(t, la, lb, 1)
	return la, lb, best >= innerMin
}

const (
	peakSides  = 2    // outlines closeByPeaks adds per three-sided outline
	peakAngle  = 10.0 // degrees: the most a peak of closeByPeaks turns from c
	peakAspect = 0.06 // |ln aspect error| of its outlines (98 % of true outlines are within)
	peakReach  = 1.3  // a and b at most this times their walks
)

// closeByPeaks closes the outline of t on the peakSides Hough peaks (of the
// lines or weaker, d.weak) within peakAngle of c's direction that give it
// the aspects nearest the format's, within peakAspect, with a and b at most
// peakReach times as long as their walks (ea1, eb1). The rank weighs the
// fourth side's support then; refinement finds its edge at full
// resolution.
func (d *detector) closeByPeaks(t *triple, ea1, eb1, target, fPrior, minArea float64) {
	cx, cy := float64(d.sw)/2, float64(d.sh)/2
	A, B, C := &d.lines[t.a], &d.lines[t.b], &d.lines[t.c]
	lmax := peakReach * fmax(ea1, eb1)
	var best [peakSides]struct{ la, lb, e float64 }
	for i := range best {
		best[i].e = math.Inf(1)
	}
	for ci := 0; ci < len(d.cands)+len(d.weak); ci++ {
		var c cand
		if ci < len(d.cands) {
			c = d.cands[ci]
		} else {
			c = d.weak[ci-len(d.cands)]
		}
		ln, ok := d.peakWithin(c, C.theta, peakAngle*math.Pi/180)
		if !ok {
			continue
		}
		p3, ok3 := intersect(A, &ln, cx, cy)
		p2, ok2 := intersect(&ln, B, cx, cy)
		if !ok3 || !ok2 {
			continue
		}
		la := (p3.X-t.p0.X)*t.ua.X + (p3.Y-t.p0.Y)*t.ua.Y
		lb := (p2.X-t.p1.X)*t.ub.X + (p2.Y-t.p1.Y)*t.ub.Y
		if la <= 0 || lb <= 0 || la > lmax || lb > lmax || math.Abs(la-ea1) <= 2 && math.Abs(lb-eb1) <= 2 {
			continue
		}
		q, ok := orderCyclic([4]Point{t.p0, t.p1, p2, p3})
		if !ok {
			continue
		}
		e := math.Abs(math.Log(estimateAspect(q, cx, cy, fPrior) / target))
		if e > peakAspect || e >= best[peakSides-1].e {
			continue
		}
		i := peakSides - 1
		for ; i > 0 && best[i-1].e > e; i-- {
			best[i] = best[i-1]
		}
		best[i].la, best[i].lb, best[i].e = la, lb, e
	}
	for _, b := range best {
		if !math.IsInf(b.e, 1) {
			d.addTriple(t, b.la, b.lb, target, fPrior, minArea)
		}
	}
}

// closeByAspect places the fourth side of t where the outline is the
// projection of a rectangle of the format's aspect: the side lies on a line
// through the vanishing point of c's direction (on c, orthogonal to the
// vanishing point of a and b for the focal length fPrior), at the distance
// along a that gives the format's aspect. The aspect does not tell the
// long sides from the short ones, so there are two such outlines: c a long
// side (the fourth side nearer than c's length) and c a short one. It
// stores in dst the ends along a and b of those within 2 % of the aspect
// and returns how many it stored.
func (d *detector) closeByAspect(t *triple, target, fPrior float64, dst *[2][2]float64) int {
	cx, cy := float64(d.sw)/2, float64(d.sh)/2
	A, B, C := &d.lines[t.a], &d.lines[t.b], &d.lines[t.c]
	hb := [3]float64{B.nx, B.ny, -B.rho}
	v1 := cross3([3]float64{A.nx, A.ny, -A.rho}, hb) // a ∩ b (centred)
	v2 := cross3([3]float64{C.nx, C.ny, -C.rho}, [3]float64{v1[0], v1[1], fPrior * fPrior * v1[2]})
	n := math.Sqrt(dot3(v2, v2))
	if !(n > 0) {
		return 0
	}
	v2 = [3]float64{v2[0] / n, v2[1] / n, v2[2] / n}
	lc := dist(t.p0, t.p1)
	// the outline with its fourth side through p0 + la·ua: its end on b
	// and its |ln aspect error|
	at := func(la float64) (float64, float64) {
		p3 := Point{t.p0.X + la*t.ua.X, t.p0.Y + la*t.ua.Y}
		ld := cross3(v2, [3]float64{p3.X - cx, p3.Y - cy, 1})
		h := cross3(ld, hb)
		if math.Abs(h[2]) < 1e-9 {
			return 0, math.Inf(1)
		}
		p2 := Point{h[0]/h[2] + cx, h[1]/h[2] + cy}
		lb := (p2.X-t.p1.X)*t.ub.X + (p2.Y-t.p1.Y)*t.ub.Y
		if lb <= 0 {
			return 0, math.Inf(1)
		}
		q, ok := orderCyclic([4]Point{t.p0, t.p1, p2, p3})
		if !ok {
			return 0, math.Inf(1)
		}
		return lb, math.Abs(math.Log(estimateAspect(q, cx, cy, fPrior) / target))
	}
	const steps = 24
	k := 0
	for _, r := range [2][2]float64{{0.3 * lc, lc}, {lc, 2.2 * lc}} {
		step := (r[1] - r[0]) / steps
		bla, be := 0.0, math.Inf(1)
		for i := 0; i <= steps; i++ {
			if _, e := at(r[0] + float64(i)*step); e < be {
				bla, be = r[0]+float64(i)*step, e
			}
		}
		for i := -8; i <= 8; i++ {
			la := bla + float64(i)*step/8
			if _, e := at(la); e < be {
				bla, be = la, e
			}
		}
		if be <= 0.02 {
			lb, _ := at(bla)
			dst[k] = [2]float64{bla, lb}
			k++
		}
	}
	return k
}

// tooLong reports whether outline q of t is longer along a and b than the
// format allows (|ln aspect error| > overshoot), a and b being its long
// sides when c is the shorter one.
func (d *detector) tooLong(q Quad, t *triple, target, fPrior float64) bool {
	cx, cy := float64(d.sw)/2, float64(d.sh)/2
	ar := math.Log(estimateAspect(q, cx, cy, fPrior) / target)
	return longBy(ar, (t.ea+t.eb)/2, dist(t.p0, t.p1)) > overshoot
}

// longBy is how much an outline with ln aspect error ar, whose sides a and
// b are along long against c's lc, is too long along a and b (negative:
// too short): when they are the long sides, a too-high aspect; else a
// too-low one.
func longBy(ar, along, lc float64) float64 {
	if along > lc {
		return ar
	}
	return -ar
}

// addTriple scores the outline of t closed at ea, eb along a and b and
// offers it to the candidate list.
func (d *detector) addTriple(t *triple, ea, eb, target, fPrior, minArea float64) {
	sw, sh := float64(d.sw), float64(d.sh)
	cx, cy := sw/2, sh/2
	inImage := func(p Point) bool { return p.X >= -2 && p.Y >= -2 && p.X <= sw+2 && p.Y <= sh+2 }
	p0, p1 := t.p0, t.p1
	p3 := Point{p0.X + ea*t.ua.X, p0.Y + ea*t.ua.Y}
	p2 := Point{p1.X + eb*t.ub.X, p1.Y + eb*t.ub.Y}
	if !inImage(p2) || !inImage(p3) {
		return
	}
	sa := d.segSupport(t.a, p0, p3)
	sb := d.segSupport(t.b, p1, p2)
	if sa < threeSideMin || sb < threeSideMin {
		return
	}
	q, ok := orderCyclic([4]Point{p0, p1, p2, p3})
	if !ok || q.Area() < minArea {
		return
	}
	ar := math.Abs(math.Log(estimateAspect(q, cx, cy, fPrior) / target))
	if ar > aspectTol {
		return
	}
	l4 := dist(p2, p3)
	nx, ny := (p2.Y-p3.Y)/l4, -(p2.X-p3.X)/l4
	s4 := d.lineSupportTol(p3, p2, nx, ny, 16, 2, 0)
	sc, lc := t.sc, dist(p0, p1)
	sup := sc*sc*sc*lc*d.endFactor(t.c, p0, p1) + sa*sa*sa*ea*d.endFactor(t.a, p0, p3) +
		sb*sb*sb*eb*d.endFactor(t.b, p1, p2) + s4*s4*s4*l4
	sup -= extPenalty * (d.extSupport(t.c, p0, p1) + d.extSupport(t.a, p0, p3) + d.extSupport(t.b, p1, p2))
	if sup <= 0 {
		return
	}
	sup *= threeSideFactor
	x := ar / preAspectSigma
	d.keepTop(q, sup, sup*math.Exp(-x*x)*d.placeFactor(q), fmin(fmin(sa, sb), fmin(t.sc, s4)), noSides)
}

// farSupport is the edge support (any polarity, threshold 10, ±1 px, n
// samples) of the side from p0 + la·ua to p1 + lb·ub: the fourth side of a
// three-sided outline with its ends la and lb along a and b.
func (d *detector) farSupport(p0, ua Point, la float64, p1, ub Point, lb float64, n int) float64 {
	return d.farSupportMin(p0, ua, la, p1, ub, lb, n, 0)
}

// farSupportMin is farSupport stopping early as lineSupportTol does with
// minFrac: 0 once the support cannot reach minFrac, a value >= minFrac
// (not the full support) once it has.
func (d *detector) farSupportMin(p0, ua Point, la float64, p1, ub Point, lb float64, n int, minFrac float64) float64 {
	a := Point{p0.X + la*ua.X, p0.Y + la*ua.Y}
	b := Point{p1.X + lb*ub.X, p1.Y + lb*ub.Y}
	l := dist(a, b)
	if l < 1 {
		return 0
	}
	return d.lineSupportN(a, b, (b.Y-a.Y)/l, -(b.X-a.X)/l, 10, 1, minFrac, n)
}

// findSide searches the fourth side of t inside the ends its walks found
// (ea' = ea + r/2: the support's end plus the part of the rounded corner it
// misses): both ends move independently on a 3 px grid from 0.6 ea' to a
// corner radius beyond, the two sides within ±25 % of each other and their
// mean's ratio to c within e^±0.25 of the format's (or its inverse); the
// outermost position whose support is at least 60 % of the best wins (edges
// inside the document — a photo's frame, a text line — run parallel to its
// side, but inside it), and its ends are adjusted by ±2 px. A background
// edge running on along a or b past the document's corners (the top of a
// sheet of paper under the card) makes the walks too long; the faint true
// side is still found, inside them.
func (d *detector) findSide(t *triple, target float64) (float64, float64) {
	ea, eb := t.ea+t.r/2, t.eb+t.r/2
	sup := func(la, lb float64, n int) float64 { return d.farSupport(t.p0, t.ua, la, t.p1, t.ub, lb, n) }
	const step = 3
	lc := dist(t.p0, t.p1)
	lr := math.Abs(math.Log(target)) // |ln| of the ratio of a, b to c
	hiA, hiB := ea+t.r/2+3, eb+t.r/2+3
	loA, loB := 0.6*ea, 0.6*eb
	na, nb := min(int((hiA-loA)/step)+1, findGrid), min(int((hiB-loB)/step)+1, findGrid)
	g := &d.fgrid
	bs := -1.0
	for i := range na {
		la := loA + float64(i*step)
		for j := range nb {
			lb := loB + float64(j*step)
			g[i*findGrid+j] = -1
			if !sidesFit(la, lb, lc, lr) {
				continue
			}
			v := sup(la, lb, 16)
			g[i*findGrid+j] = float32(v)
			bs = fmax(bs, v)
		}
	}
	if bs <= 0.25 {
		return ea, eb
	}
	bi, bj := 0, 0
	for i := range na {
		for j := range nb {
			if float64(g[i*findGrid+j]) >= 0.6*bs && i+j >= bi+bj {
				bi, bj = i, j
			}
		}
	}
	la, lb, _ := d.nudgeEnds(t, loA+float64(bi*step), loB+float64(bj*step), 2)
	return la, lb
}

// sidesFit reports whether a fourth side with its ends la and lb along a
// and b gives an outline a search may consider: a and b within ±25 % of
// each other, their mean's ratio to c (of length lc) within e^±0.25 of the
// format's (lr: |ln| of its aspect) or its inverse.
func sidesFit(la, lb, lc, lr float64) bool {
	m := (la + lb) / 2
	lm := math.Abs(math.Log(m / lc))
	return math.Abs(la-lb) <= 0.25*m && math.Abs(lm-lr) <= 0.25
}

// nudgeEnds moves the ends la and lb of t's fourth side each by up to ±r
// px in 1 px steps to where its edge support (farSupport, 32 samples) is
// highest, the first such in the order tried; it returns the ends and
// their support.
func (d *detector) nudgeEnds(t *triple, la, lb, r float64) (float64, float64, float64) {
	bla, blb := la, lb
	best := d.farSupport(t.p0, t.ua, la, t.p1, t.ub, lb, 32)
	for o := -r; o <= r; o++ {
		for p := -r; p <= r; p++ {
			if v := d.farSupport(t.p0, t.ua, bla+o, t.p1, t.ub, blb+p, 32); v > best {
				la, lb, best = bla+o, blb+p, v
			}
		}
	}
	return la, lb, best
}

// pivotSide finds the fourth side of a triple with only one measured end:
// the side through that end (plus r/2) that has the most edge support as
// its other end moves by up to ±30 % of c's length, then both ends ±1 px.
func (d *detector) pivotSide(t *triple) (float64, float64) {
	ea, eb := t.ea+t.r/2, t.eb+t.r/2
	sup := func(la, lb float64, n int) float64 { return d.farSupport(t.p0, t.ua, la, t.p1, t.ub, lb, n) }
	span := 0.3 * dist(t.p0, t.p1)
	bo, bs := 0.0, -1.0
	for o := -span; o <= span; o += 2 { // (±1 px tolerance: 2 px steps miss nothing)
		var v float64
		if t.pivot == 1 {
			v = sup(ea, eb+o, 16)
		} else {
			v = sup(ea+o, eb, 16)
		}
		if v > bs {
			bo, bs = o, v
		}
	}
	if bs <= 0.1 {
		return ea, eb
	}
	if t.pivot == 1 {
		eb += bo
	} else {
		ea += bo
	}
	la, lb, _ := d.nudgeEnds(t, ea, eb, 1)
	return la, lb
}

// snapSide moves the far side p0+ea·ua – p1+eb·ub (ua, ub unit vectors)
// to the offsets (from -2 to r+3 px along ua and ub) where its edge support
// (any polarity, threshold 10, ±1 px) is highest: first both ends together,
// then each end alone by up to ±2 px. Without any support it returns the
// ends moved by r/2, the expected distance from the support's end to the
// rounded corner's tangent line.
func (d *detector) snapSide(p0, ua Point, ea float64, p1, ub Point, eb float64, r float64) (float64, float64) {
	sup := func(oa, ob float64, n int) float64 { return d.farSupport(p0, ua, ea+oa, p1, ub, eb+ob, n) }
	bo, bs := 0.0, -1.0
	for o := -2.0; o <= r+3; o++ {
		if v := sup(o, o, 16); v > bs {
			bo, bs = o, v
		}
	}
	if bs <= 0.1 {
		return ea + r/2, eb + r/2
	}
	oa, ob := bo, bo
	bs = sup(bo, bo, 32)
	for o := bo - 2; o <= bo+2; o++ {
		if v := sup(o, ob, 32); v > bs {
			oa, bs = o, v
		}
	}
	for o := bo - 2; o <= bo+2; o++ {
		if v := sup(oa, o, 32); v > bs {
			ob, bs = o, v
		}
	}
	return ea + oa, eb + ob
}

// triFloor is the score bound below which a three-sided outline cannot
// matter: it would not enter the full candidate list, or stays under
// d.triLead times the leader's pre-score.
func (d *detector) triFloor() float64 {
	if d.nTop == 0 {
		return 0
	}
	f := d.triLead * d.top[0].pre
	if d.nTop == topK {
		f = max(f, d.top[d.nTop-1].pre)
	}
	return f
}

// toBorder is the distance from p along the unit direction u to the border
// of the small image (2 px beyond it, as candidates' corners may lie).
func (d *detector) toBorder(p, u Point) float64 {
	t := math.Inf(1)
	if u.X > 1e-9 {
		t = fmin(t, (float64(d.sw)+2-p.X)/u.X)
	} else if u.X < -1e-9 {
		t = fmin(t, (-2-p.X)/u.X)
	}
	if u.Y > 1e-9 {
		t = fmin(t, (float64(d.sh)+2-p.Y)/u.Y)
	} else if u.Y < -1e-9 {
		t = fmin(t, (-2-p.Y)/u.Y)
	}
	return fmax(t, 0)
}

// extent walks along line li from p in the unit direction u and returns the
// distance (small-image px) to the last edge support of the line's dominant
// polarity before a gap longer than max(4, 6 % of the walk so far) px.
func (d *detector) extent(li int, p, u Point, maxLen float64) float64 {
	ln := &d.lines[li]
	cx, cy := float64(d.sw)/2, float64(d.sh)/2
	dx, dy := -ln.ny, ln.nx
	t0 := (p.X-cx)*dx + (p.Y-cy)*dy - ln.tmin
	step := 1.0
	if u.X*dx+u.Y*dy < 0 {
		step = -1
	}
	sp, sn := d.supP[ln.off:ln.off+ln.n+1], d.supN[ln.off:ln.off+ln.n+1]
	// dominant polarity over the first 30 px of the walk
	a, b := int(t0), int(t0+30*step)
	if a > b {
		a, b = b, a
	}
	a, b = max(a, 0), min(b, ln.n)
	if b <= a {
		return 0
	}
	s := sp
	if sn[b]-sn[a] > sp[b]-sp[a] {
		s = sn
	}
	last := 0.0
	for k := 0.0; k <= maxLen; k++ {
		i := int(t0 + step*k)
		if i < 0 || i >= ln.n {
			break
		}
		if s[i+1] > s[i] {
			last = k
		} else if k-last > fmax(4, 0.06*k) && (last > 0 || k > fmax(12, 0.1*maxLen)) {
			break // (a rounded or worn corner may leave the first px bare)
		}
	}
	return last
}

// placeFactor weighs an outline by where the guide puts the document. In
// live frames the guide holds it landscape, so an outline whose long side
// is nearer vertical scores x0.3. In every frame the document is about
// centred (the guide is; a photo is framed on it), so an outline whose
// centre is off the frame's centre by (dx, dy), as fractions of the frame's
// width and height, scores x exp(-(dx²+dy²)/centreSigma²): x0.89 at 0.1 off,
// x0.37 at 0.3. Background shapes of about the format's aspect (a smaller
// card, a photo, a sticker) sit off to the side; alone in the frame, an
// off-centre document still wins.
func (d *detector) placeFactor(q Quad) float64 {
	portrait, c2 := d.placement(q)
	f := 1.0
	if portrait {
		f = 0.3
	}
	return f * math.Exp(-c2/(centreSigma*centreSigma))
}

// placement reports whether q's long side is nearer vertical in a frame
// the guide holds landscape, and the squared distance of its centre from
// the frame's (in fractions of the frame's width and height).
func (d *detector) placement(q Quad) (portrait bool, c2 float64) {
	portrait = d.landscape && math.Abs(q[1].X-q[0].X) < math.Abs(q[1].Y-q[0].Y)
	c := q.Center()
	dx, dy := c.X/float64(d.sw)-0.5, c.Y/float64(d.sh)-0.5
	return portrait, dx*dx + dy*dy
}

// keepTop inserts a candidate into the fixed-size list of the best
// pre-scores (descending).
func (d *detector) keepTop(q Quad, sup, pre, minS float64, sides [4]int16) {
	n := d.nTop
	if n == topK {
		if pre <= d.top[n-1].pre {
			return
		}
		n--
	}
	i := n
	for i > 0 && d.top[i-1].pre < pre {
		d.top[i] = d.top[i-1]
		i--
	}
	d.top[i] = topCand{q: q, sup: sup, pre: pre, minS: minS, sides: sides}
	d.nTop = n + 1
}

// lineSupport is the fraction of n samples along segment a-b (8 %..92 %)
// where the small image has a gradient of one polarity along the unit normal
// (nx, ny) of at least thr, within ±1 px across the segment.
func (d *detector) lineSupport(a, b Point, nx, ny float64, thr float64) float64 {
	return d.lineSupportTol(a, b, nx, ny, thr, 1, 0)
}

// hasSupport reports whether lineSupport(a, b, nx, ny, thr) >= minFrac,
// stopping as soon as the answer is known.
func (d *detector) hasSupport(a, b Point, nx, ny float64, thr, minFrac float64) bool {
	return d.lineSupportTol(a, b, nx, ny, thr, 1, minFrac) >= minFrac
}

// lineSupportTol is lineSupport within ±tol px across the segment. With
// minFrac > 0 it stops early: it returns 0 once the support can no longer
// reach minFrac, and a value >= minFrac (not the full support) once it has.
func (d *detector) lineSupportTol(a, b Point, nx, ny float64, thr float64, tol int, minFrac float64) float64 {
	return d.lineSupportN(a, b, nx, ny, thr, tol, minFrac, 32)
}

// lineSupportN is lineSupportTol with n samples.
func (d *detector) lineSupportN(a, b Point, nx, ny float64, thr float64, tol int, minFrac float64, n int) float64 {
	sw, sh := d.sw, d.sh
	pos, neg := 0, 0
	need := int(math.Ceil(minFrac * float64(n)))
	// Stopping early, the samples go in bit-reversed order when n is a
	// power of two (0, n/2, n/4, 3n/4, ...): spread along the segment, a
	// segment only partly on an edge shows its gaps sooner. The counts
	// and so the answer do not depend on the order.
	bits := 0
	if need > 0 && n >= 2 && n&(n-1) == 0 {
		bits = mathbits.TrailingZeros(uint(n))
	}
	for j := 0; j < n; j++ {
		if need > 0 {
			if m := max(pos, neg); m+n-j < need {
				return 0
			} else if m >= need {
				return float64(m) / float64(n) // enough: the answer is known
			}
		}
		k := j
		if bits > 0 {
			k = int(mathbits.Reverse(uint(j)) >> (mathbits.UintSize - bits))
		}
		t := 0.08 + 0.84*(float64(k)+0.5)/float64(n)
		x, y := a.X+t*(b.X-a.X), a.Y+t*(b.Y-a.Y)
		gp, gn := false, false
		for o := -tol; o <= tol; o++ {
			ix, iy := int(x+float64(o)*nx), int(y+float64(o)*ny)
			if ix < 1 || iy < 1 || ix >= sw-1 || iy >= sh-1 {
				continue
			}
			i := iy*sw + ix
			gx, gy := float64(d.gx[i]), float64(d.gy[i])
			pr := gx*nx + gy*ny
			if (pr < thr && pr > -thr) || pr*pr < 0.7*(gx*gx+gy*gy) {
				continue
			}
			if pr >= thr {
				gp = true
			} else if pr <= -thr {
				gn = true
			}
		}
		if gp {
			pos++
		}
		if gn {
			neg++
		}
	}
	if neg > pos {
		pos = neg
	}
	return float64(pos) / float64(n)
}

// expand moves each side of q outward to the outermost parallel edge within
// 15 % of the adjacent sides' length when the adjacent sides visibly continue
// up to it: a coloured band along a card edge often has a stronger edge than
// the card's own boundary, which then loses the vote, but the card's other
// two sides run on past the band's inner edge up to the real corners.
func (d *detector) expand(q Quad) Quad { return d.expandMode(q, false, 16) }

// expandMode is expand; with loose, one adjacent side continuing up to the
// new edge suffices (a dark band on a dark background hides the other). The
// caller must then arbitrate, e.g. by the aspect of the result.
func (d *detector) expandMode(q Quad, loose bool, thr float64) Quad {
	for s := 0; s < 4; s++ {
		a, b := q[s], q[(s+1)&3]
		pa, pb := q[(s+3)&3], q[(s+2)&3] // the adjacent sides run pa->a and pb->b
		L := dist(a, b)
		la, lb := dist(pa, a), dist(pb, b)
		if L < 8 || la < 8 || lb < 8 {
			continue
		}
		nx, ny := (b.Y-a.Y)/L, -(b.X-a.X)/L // outward for a clockwise quad (Y down)
		// unit normals of the adjacent sides
		anx, any := (a.Y-pa.Y)/la, -(a.X-pa.X)/la
		bnx, bny := (b.Y-pb.Y)/lb, -(b.X-pb.X)/lb
		maxK := int(0.30 * fmin(la, lb))
		bestK := 0
		var bestA, bestB Point
		for k := 3; k <= maxK; k++ {
			ta := Point{a.X + float64(k)*nx, a.Y + float64(k)*ny}
			tb := Point{b.X + float64(k)*nx, b.Y + float64(k)*ny}
			na, ok1 := lineX(pa, a, ta, tb)
			nb, ok2 := lineX(pb, b, ta, tb)
			if !ok1 || !ok2 {
				break
			}
			if !d.hasSupport(na, nb, nx, ny, thr, 0.6) {
				continue
			}
			if loose {
				if !d.hasSupport(a, na, anx, any, thr, 0.6) && !d.hasSupport(b, nb, bnx, bny, thr, 0.6) {
					continue
				}
			} else if !d.hasSupport(a, na, anx, any, 16, 0.6) || !d.hasSupport(b, nb, bnx, bny, 16, 0.6) {
				continue
			}
			if d.softEdge(na, nb, nx, ny) {
				continue // a shadow's penumbra, not a document's cut edge
			}
			bestK, bestA, bestB = k, na, nb
		}
		if bestK > 0 {
			nq := q
			nq[s], nq[(s+1)&3] = bestA, bestB
			if nq.Valid() {
				q = nq
			}
		}
	}
	return q
}

// softEdge reports whether the edge along a-b (unit normal (nx, ny)) is a
// soft ramp: at most of 9 places along it, the largest one-pixel luma step
// across it (small image) is under softRatio of the whole change over ±5 px.
// A cut document edge or a printed band is crisp; a shadow's penumbra
// spreads over many pixels. Places with a luma change under 8 (an edge in
// colour only) do not count either way.
func (d *detector) softEdge(a, b Point, nx, ny float64) bool {
	soft, crisp := 0, 0
	for k := 1; k <= 9; k++ {
		t := float64(k) / 10
		x, y := a.X+t*(b.X-a.X), a.Y+t*(b.Y-a.Y)
		var p [11]float64
		for j := -5; j <= 5; j++ {
			p[j+5] = bilinear(d.small, d.sw, d.sw, d.sh, x+float64(j)*nx, y+float64(j)*ny)
		}
		step := math.Abs((p[8]+p[9]+p[10])/3 - (p[0]+p[1]+p[2])/3)
		if step < 8 {
			continue
		}
		peak := 0.0
		for j := 2; j < 8; j++ {
			peak = fmax(peak, math.Abs(p[j+1]-p[j]))
		}
		if peak < softRatio*step {
			soft++
		} else {
			crisp++
		}
	}
	return soft > crisp
}

// lineX intersects the infinite lines p1-p2 and p3-p4.
func lineX(p1, p2, p3, p4 Point) (Point, bool) {
	d1x, d1y := p2.X-p1.X, p2.Y-p1.Y
	d2x, d2y := p4.X-p3.X, p4.Y-p3.Y
	den := d1x*d2y - d1y*d2x
	if math.Abs(den) < 1e-9 {
		return Point{}, false
	}
	t := ((p3.X-p1.X)*d2y - (p3.Y-p1.Y)*d2x) / den
	return Point{p1.X + t*d1x, p1.Y + t*d1y}, true
}

// detect runs the coarse detection on the plane (already prepared).
func (d *detector) detect(pix []byte, stride int, f Format) (Quad, bool) {
	d.sideSign = [4]float64{} // no side's edge chosen yet (chooseEdge)
	d.downscale(pix, stride)
	if d.chroma != nil {
		d.downscaleChroma(d.chroma)
	}
	d.gradients()
	d.vote()
	d.peaks()
	d.support()
	d.target = f.Aspect()
	d.arcs = f == FormatID1 && !d.noArcs
	q, s, ok := d.best(f)
	if ok && d.arcs {
		if r, ok := d.runnerUp(q, s); ok {
			fac := float64(d.fac)
			rf, qf := r.Scale(fac), q.Scale(fac)
			if !d.noRunOn && r.Area() < q.Area() && d.runsOn(pix, stride, qf, rf) {
				q = r
			} else if d.cornerArcs(pix, stride, rf)-d.cornerArcs(pix, stride, qf) >= arcWin {
				q = r
			}
		}
	}
	return q, ok
}

// locate turns the coarse outline qs (small-image coordinates) into the
// full-resolution quad: sub-pixel refinement, then, with the accurate sides,
// the outward band search again, and a second refinement if it moved.
func (d *detector) locate(pix []byte, stride, w, h int, qs Quad, refine bool) Quad {
	fac := float64(d.fac)
	q := qs.Scale(fac)
	if !refine {
		return q
	}
	r := 4*d.fac + 2 // ±4 small-image px: a side's line can sit a few px off the edge
	if rq, ok := d.refine(pix, stride, w, h, q, r); ok {
		q = d.nearSides(pix, stride, w, h, qs, rq)
	}
	small := q.Scale(1 / fac)
	e := d.expand(small)
	if e != small && d.target > 0 {
		// After refinement the outline is accurate: an expansion must bring
		// it nearer the format's aspect by 0.01 in ln. (Until 2026-11-27 it
		// only had to stay within 0.01 of it; but the refined outline's
		// aspect estimate can be a few per cent off through the focal
		// prior, and a move out to an edge beside the card could put it as
		// far off the other way: #5177, refined within 0.01 %, went to DPI
		// +3.31 %. Per capture, colour, 27 sets: 5,351 / 5,383 -> 5,352 /
		// 5,384; luma 0 / 200 / 11000 / 13000 unchanged.)
		cx, cy := float64(d.sw)/2, float64(d.sh)/2
		fPrior := 0.85 * max(float64(d.sw), float64(d.sh))
		if math.Abs(math.Log(estimateAspect(e, cx, cy, fPrior)/d.target)) > math.Abs(math.Log(estimateAspect(small, cx, cy, fPrior)/d.target))-0.01 {
			e = small
		}
	}
	if e == small && d.target > 0 && d.chroma == nil {
		// The one-sided band search (a band whose top edge meets a
		// background of about its own luma on one side hides that side's
		// continuation), kept only when it brings the aspect nearer the
		// format's: the coarse choice used it only for the whole score.
		// Only without chroma: with it the refined side already sits on
		// the band's edge (chroma shows it), and the aspect estimate's own
		// error (a few %) let the search take accurate outlines out to a
		// sheet under the card (colour per capture, 0-599 / 3000-3399 /
		// 5000-5399: 570 / 381 / 374 with it, 572 / 382 / 377 without;
		// luma only it still wins, 170 against 168 on 0-199).
		cx, cy := float64(d.sw)/2, float64(d.sh)/2
		fPrior := 0.85 * max(float64(d.sw), float64(d.sh))
		e2 := d.expandMode(small, true, looseThr)
		r0 := math.Abs(math.Log(estimateAspect(small, cx, cy, fPrior) / d.target))
		r2 := math.Abs(math.Log(estimateAspect(e2, cx, cy, fPrior) / d.target))
		if r2 < r0-looseGain {
			e = e2
		}
	}
	if e != small {
		q2 := e.Scale(fac)
		if rq, ok := d.refine(pix, stride, w, h, q2, r); ok {
			q = rq
		} else {
			q = q2
		}
	}
	return q
}

// nearSides takes back the sides that refinement moved more than nearMove
// detection-grid px away from a coarse side (qs, detection grid) that lies
// on an edge of its own (edge support >= nearSup): such a side is fitted
// again within ±(nearRadius·factor + 2) px of the coarse side, the other
// sides staying as refined (rq, the refinement of qs within ±4 grid px,
// full resolution). The wide search, needed where a coarse line sits a few
// px off a faint card edge, also lets a stronger parallel edge a few px
// away take a side that the coarse choice had on the card's own edge: the
// inner edge of a header band or of the photo beside a pale card's edge,
// a dark seam in the table beside the card.
func (d *detector) nearSides(pix []byte, stride, w, h int, qs, rq Quad) Quad {
	if d.noNear {
		return rq
	}
	fac := float64(d.fac)
	rs := rq.Scale(1 / fac)
	var far [4]bool
	anyFar := false
	for s := 0; s < 4; s++ {
		a, b := qs[s], qs[(s+1)&3]
		L := dist(a, b)
		if L < 8 {
			return rq
		}
		nx, ny := (b.Y-a.Y)/L, -(b.X-a.X)/L
		ra, rb := rs[s], rs[(s+1)&3]
		m := fmax(math.Abs((ra.X-a.X)*nx+(ra.Y-a.Y)*ny), math.Abs((rb.X-a.X)*nx+(rb.Y-a.Y)*ny))
		if m > nearMove && d.hasSupport(a, b, nx, ny, 16, nearSup) {
			far[s], anyFar = true, true
		}
	}
	if !anyFar {
		return rq
	}
	// the refined sides where they stay, the coarse ones where they go back
	q, ok := sidesQuad(rq, &far, qs.Scale(fac))
	if !ok {
		return rq
	}
	fit, in, str, ch, sign := d.sideFit, d.sideIn, d.sideStr, d.sideCh, d.sideSign
	keep := d.keepSide
	for s := 0; s < 4; s++ {
		d.keepSide[s] = keep[s] || !far[s]
	}
	nq, ok := d.refineSides(pix, stride, w, h, q, int(nearRadius*fac)+2)
	d.keepSide = keep
	if ok {
		// a side whose edge the near search did not fit keeps its wide fit
		for s := 0; s < 4; s++ {
			far[s] = far[s] && d.sideFit[s]
		}
		nq, ok = sidesQuad(rq, &far, nq)
	}
	for s := 0; s < 4; s++ {
		if !ok || !far[s] {
			d.sideFit[s], d.sideIn[s], d.sideStr[s], d.sideCh[s], d.sideSign[s] = fit[s], in[s], str[s], ch[s], sign[s]
		}
	}
	if !ok {
		return rq
	}
	return nq
}

// sidesQuad is the quad whose side s lies on side s of b where from[s],
// else on side s of a; false when adjacent sides do not meet or the quad
// is not valid.
func sidesQuad(a Quad, from *[4]bool, b Quad) (Quad, bool) {
	var lines [4]line
	for s := 0; s < 4; s++ {
		q := &a
		if from[s] {
			q = &b
		}
		p, r := q[s], q[(s+1)&3]
		L := dist(p, r)
		if L < 1 {
			return a, false
		}
		lines[s] = sideLine(p, (r.X-p.X)/L, (r.Y-p.Y)/L)
	}
	out, ok := lineCorners(&lines)
	if !ok {
		return a, false
	}
	return out, out.Valid()
}

// sideLine is the line through p in the unit direction (ux, uy), its
// normal (-uy, ux): outward for a side of a clockwise quad (Y down).
func sideLine(p Point, ux, uy float64) line {
	return line{nx: -uy, ny: ux, rho: -uy*p.X + ux*p.Y}
}

// nearMove, nearSup and nearRadius: see nearSides (detection-grid px,
// fraction of the side, grid px).
const nearMove, nearSup, nearRadius = 2.5, 0.6, 2

// bilinear samples the plane at continuous coordinates (pixel centres at +0.5), clamped.
func bilinear(pix []byte, stride, w, h int, x, y float64) float64 {
	x -= 0.5
	y -= 0.5
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	mx, my := float64(w-1), float64(h-1)
	if x > mx {
		x = mx
	}
	if y > my {
		y = my
	}
	ix, iy := int(x), int(y)
	fx, fy := x-float64(ix), y-float64(iy)
	ix1, iy1 := ix+1, iy+1
	if ix1 >= w {
		ix1 = w - 1
	}
	if iy1 >= h {
		iy1 = h - 1
	}
	r0, r1 := pix[iy*stride:], pix[iy1*stride:]
	a := float64(r0[ix]) + fx*(float64(r0[ix1])-float64(r0[ix]))
	b := float64(r1[ix]) + fx*(float64(r1[ix1])-float64(r1[ix]))
	return a + fy*(b-a)
}

// refine fits each side of q (full-resolution coordinates) to the image edge.
// It returns q unchanged (ok=false) if the fit fails; then no side counts as
// fitted (sideFit).
func (d *detector) refine(pix []byte, stride, w, h int, q Quad, radius int) (Quad, bool) {
	out, ok := d.refineSides(pix, stride, w, h, q, radius)
	if !ok {
		d.sideFit = [4]bool{}
	}
	return out, ok
}

func (d *detector) refineSides(pix []byte, stride, w, h int, q Quad, radius int) (Quad, bool) {
	if radius > (len(d.prof)-3)/2 {
		radius = (len(d.prof) - 3) / 2
	}
	var lines [4]line
	d.sideFit = [4]bool{}
	for s := 0; s < 4; s++ {
		a, b := q[s], q[(s+1)&3]
		L := dist(a, b)
		if L < 8 {
			return q, false
		}
		ux, uy := (b.X-a.X)/L, (b.Y-a.Y)/L
		nx, ny := -uy, ux // outward normal for a clockwise quad (Y down)
		if d.keepSide[s] {
			lines[s] = sideLine(a, ux, uy)
			continue
		}
		var ln line
		var np int
		var sumG float64
		var ok bool
		if d.fixSides && d.sideSign[s] != 0 {
			np, sumG = d.edgePoints(pix, stride, w, h, a, b, nx, ny, radius, d.sideCh[s], d.sideSign[s], d.pts[:])
			ln, ok = d.fitLine(np)
		} else {
			ln, np, sumG, ok = d.chooseEdge(pix, stride, w, h, a, b, nx, ny, radius, s)
		}
		if !ok {
			return q, false
		}
		// The side's edge lies within the search band and near the coarse
		// side's direction: a fit that leaves the band at either end or
		// turns by more than refineMaxTurn (a background edge took the
		// consensus) keeps the coarse side.
		d.sideFit[s], d.sideIn[s], d.sideStr[s] = true, d.fitIn, sumG/float64(np)
		if !inBand(&ln, a, b, ux, uy, radius) {
			ln = sideLine(a, ux, uy)
			d.sideFit[s] = false
		}
		lines[s] = ln
	}
	out, ok := lineCorners(&lines)
	if !ok {
		return q, false
	}
	for s := 0; s < 4; s++ {
		if dist(out[s], q[s]) > 3*float64(radius)+3 {
			return q, false
		}
	}
	if !out.Valid() {
		return q, false
	}
	return out, true
}

// lineCorners is the quad whose corner s is where lines s-1 and s meet;
// false when two adjacent lines are parallel.
func lineCorners(lines *[4]line) (Quad, bool) {
	var out Quad
	for s := 0; s < 4; s++ {
		p, ok := intersect(&lines[(s+3)&3], &lines[s], 0, 0)
		if !ok {
			return out, false
		}
		out[s] = p
	}
	return out, true
}

// inBand reports whether the fitted line ln of the side from a to b
// (direction ux, uy) stays within 1.5 radius of it at both ends and within
// refineMaxTurn of its direction.
func inBand(ln *line, a, b Point, ux, uy float64, radius int) bool {
	lim := 1.5 * float64(radius)
	return math.Abs(ln.nx*a.X+ln.ny*a.Y-ln.rho) <= lim && math.Abs(ln.nx*b.X+ln.ny*b.Y-ln.rho) <= lim &&
		math.Abs(ln.nx*ux+ln.ny*uy) <= math.Sin(refineMaxTurn*math.Pi/180)
}

// strongest is the (channel, polarity) i < 2 nch with ok(i) whose edge
// points add up most strength cg[i] (weighStrength); -1 when none is ok.
func strongest(cg *[6]float64, nch int, ok func(i int) bool) int {
	bi, bs := -1, -1.0
	for i := 0; i < 2*nch; i++ {
		if !ok(i) {
			continue
		}
		if str := weighStrength(i, cg[i]); str > bs {
			bi, bs = i, str
		}
	}
	return bi
}

// weighStrength weighs the summed edge strength g of (channel, polarity)
// i: chroma by refineChromaWeight.
func weighStrength(i int, g float64) float64 {
	if i >= 2 {
		return g * refineChromaWeight
	}
	return g
}

// chooseKeep: chooseEdge keeps the strongest fit when its consensus has
// at least this fraction of the most agreeing fit's.
const chooseKeep = 0.6

// chooseAgree is the fraction of the best consensus a side's fit needs
// for chooseEdge to choose it by its strength.
const chooseAgree = 0.8

// profileT is the position along a side of refinement profile k.
func profileT(k int) float64 { return 0.1 + 0.8*(float64(k)+0.5)/refineSamples }

// edgePeak is the strongest gradient of polarity sign in the profile
// d.prof (radius as profile sampled it): its offset along the normal
// (sub-pixel) and strength; false when it is weaker than 6 levels or at
// the band's end.
func (d *detector) edgePeak(radius int, sign float64) (off, str float64, ok bool) {
	bj, bg := 0, 0.0
	for j := -radius; j <= radius; j++ {
		g := sign * (d.prof[j+radius+2] - d.prof[j+radius])
		if g > bg {
			bg, bj = g, j
		}
	}
	if bg < 6 || bj == -radius || bj == radius {
		return 0, 0, false
	}
	gm := sign * (d.prof[bj+radius+1] - d.prof[bj+radius-1])
	gp := sign * (d.prof[bj+radius+3] - d.prof[bj+radius+1])
	o := 0.0
	if den := gm - 2*bg + gp; den < 0 {
		o = fmax(-0.5, fmin(0.5, 0.5*(gm-gp)/den))
	}
	return float64(bj) + o, bg, true
}

// edgePoints finds the edge of channel ch and polarity sign across the
// side from a to b (outward normal nx, ny) on each of the refineSamples
// profiles, into dst: the number found and their summed strength.
func (d *detector) edgePoints(pix []byte, stride, w, h int, a, b Point, nx, ny float64, radius, ch int, sign float64, dst []Point) (int, float64) {
	np, sumG := 0, 0.0
	for k := 0; k < refineSamples; k++ {
		t := profileT(k)
		px, py := a.X+t*(b.X-a.X), a.Y+t*(b.Y-a.Y)
		d.profile(pix, stride, w, h, ch, px, py, nx, ny, radius)
		if o, g, ok := d.edgePeak(radius, sign); ok {
			dst[np] = Point{px + o*nx, py + o*ny}
			np++
			sumG += g
		}
	}
	return np, sumG
}

// chooseEdge fits side s (from a to b, outward normal nx, ny) on the
// channel (luma, or with colour Cb or Cr) and polarity whose edge points
// add up most strength (chroma weighs refineChromaWeight), unless the
// consensus of that fit (fitLine) has fewer than chooseKeep of the points
// of the most agreeing fit: then on the strongest of the fits with at least
// chooseAgree of that consensus. Strength alone took the side off the
// document's edge where a stronger edge runs beside it along part of its
// length (white print on a dark header band: the print's edges are
// stronger than the band's edge on a grey table, but they stop between
// letters). The choice is kept for Analyzer.follow (d.sideCh, d.sideSign).
func (d *detector) chooseEdge(pix []byte, stride, w, h int, a, b Point, nx, ny float64, radius, s int) (line, int, float64, bool) {
	nch := 1
	if d.chroma != nil {
		nch = 3
	}
	var cn [6]int
	var cg [6]float64
	for c := 0; c < nch; c++ {
		for k := 0; k < refineSamples; k++ {
			t := profileT(k)
			px, py := a.X+t*(b.X-a.X), a.Y+t*(b.Y-a.Y)
			d.profile(pix, stride, w, h, c, px, py, nx, ny, radius)
			for pol := 0; pol < 2; pol++ {
				i := 2*c + pol
				if o, g, ok := d.edgePeak(radius, float64(1-2*pol)); ok {
					d.cpts[i][cn[i]] = Point{px + o*nx, py + o*ny}
					cn[i]++
					cg[i] += g
				}
			}
		}
	}
	// The strongest fit, unless it agrees much less than the most
	// agreeing one: then the strongest of those that agree nearly as much.
	// Fits are made strongest first, and the others only when one of them
	// could agree enough more (its points bound its consensus).
	var fits [6]line
	var in [6]int
	var done [6]bool
	fit := func(i int) {
		done[i], in[i] = true, -1
		copy(d.pts[:], d.cpts[i][:cn[i]])
		if ln, ok := d.fitLine(cn[i]); ok {
			fits[i], in[i] = ln, d.fitIn
		}
	}
	bi := -1
	for bi < 0 {
		// (not fitted yet, with enough points for a fit)
		k := strongest(&cg, nch, func(i int) bool { return !done[i] && cn[i] >= 6 })
		if k < 0 {
			return line{}, 0, 0, false
		}
		if fit(k); in[k] >= 0 {
			bi = k
		}
	}
	bound := in[bi]
	for i := 0; i < 2*nch; i++ {
		if !done[i] {
			bound = max(bound, cn[i])
		}
	}
	if float64(in[bi]) < chooseKeep*float64(bound) {
		most := 0
		for i := 0; i < 2*nch; i++ {
			if !done[i] {
				fit(i)
			}
			most = max(most, in[i])
		}
		if float64(in[bi]) < chooseKeep*float64(most) {
			minIn := int(math.Ceil(chooseAgree * float64(most)))
			bi = strongest(&cg, nch, func(i int) bool { return in[i] >= minIn })
		}
	}
	d.sideCh[s], d.sideSign[s] = bi/2, float64(1-2*(bi%2))
	d.fitIn = in[bi]
	return fits[bi], cn[bi], cg[bi], true
}

// profile fills d.prof[0 : 2*radius+3] with channel ch (0 luma, 1 Cb, 2 Cr)
// sampled across a side at (px, py) + j*(nx, ny), j = -radius-1 .. radius+1.
func (d *detector) profile(pix []byte, stride, w, h, ch int, px, py, nx, ny float64, radius int) {
	for j := -radius - 1; j <= radius+1; j++ {
		x, y := px+float64(j)*nx, py+float64(j)*ny
		switch ch {
		case 0:
			d.prof[j+radius+1] = bilinear(pix, stride, w, h, x, y)
		case 1:
			d.prof[j+radius+1] = chromaAt(d.chroma, d.chroma.Cb, w, h, x, y)
		default:
			d.prof[j+radius+1] = chromaAt(d.chroma, d.chroma.Cr, w, h, x, y)
		}
	}
}

// fitLine fits a line to d.pts[:n] by total least squares with two rounds of
// outlier rejection. The result uses rho relative to the origin (cx=cy=0).
func (d *detector) fitLine(n int) (line, bool) {
	pts := d.pts[:n]
	if n < 6 {
		return line{}, false
	}
	// Consensus first: the line through two well-separated points with the
	// most points within 1 px, so that two parallel edges found along one
	// side (a band's edge on part of it, the card's edge on the rest) do not
	// average into a slanted compromise.
	bestIn, bi, bj := 0, 0, 0
	for i := 0; i < n; i += 2 {
		for j := i + n/4; j < n; j += 2 {
			dx, dy := pts[j].X-pts[i].X, pts[j].Y-pts[i].Y
			l := math.Sqrt(dx*dx + dy*dy)
			if l < 1e-9 {
				continue
			}
			nx, ny := -dy/l, dx/l
			rho := nx*pts[i].X + ny*pts[i].Y
			in := 0
			for _, p := range pts {
				if math.Abs(nx*p.X+ny*p.Y-rho) <= 1 {
					in++
				}
			}
			if in > bestIn {
				bestIn, bi, bj = in, i, j
			}
		}
	}
	if bestIn < 6 {
		return line{}, false
	}
	{
		dx, dy := pts[bj].X-pts[bi].X, pts[bj].Y-pts[bi].Y
		l := math.Sqrt(dx*dx + dy*dy)
		nx, ny := -dy/l, dx/l
		rho := nx*pts[bi].X + ny*pts[bi].Y
		k := 0
		for _, p := range pts {
			if math.Abs(nx*p.X+ny*p.Y-rho) <= 2 {
				pts[k] = p
				k++
			}
		}
		pts = pts[:k]
		n = k
	}
	d.fitIn = n
	keep := n
	var ln line
	for iter := 0; iter < 3; iter++ {
		if keep < 6 {
			return line{}, false
		}
		var mx, my float64
		for _, p := range pts[:keep] {
			mx += p.X
			my += p.Y
		}
		mx /= float64(keep)
		my /= float64(keep)
		var sxx, sxy, syy float64
		for _, p := range pts[:keep] {
			dx, dy := p.X-mx, p.Y-my
			sxx += dx * dx
			sxy += dx * dy
			syy += dy * dy
		}
		// direction = principal eigenvector; normal = perpendicular
		th := 0.5 * math.Atan2(2*sxy, sxx-syy)
		nx, ny := -math.Sin(th), math.Cos(th)
		ln = line{nx: nx, ny: ny, rho: nx*mx + ny*my}
		if iter == 2 {
			break
		}
		// residuals, MAD
		res := d.res[:keep]
		for i, p := range pts[:keep] {
			res[i] = math.Abs(nx*p.X + ny*p.Y - ln.rho)
		}
		med := median(res)
		lim := max(1.0, 3*1.4826*med)
		k := 0
		for _, p := range pts[:keep] {
			if math.Abs(nx*p.X+ny*p.Y-ln.rho) <= lim {
				pts[k] = p
				k++
			}
		}
		keep = k
	}
	return ln, true
}

// median of v (len <= refineSamples), without allocation (insertion sort on a copy).
func median(v []float64) float64 {
	var buf [refineSamples]float64
	s := buf[:len(v)]
	copy(s, v)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
