package liveness

import (
	"cmp"
	"fmt"
	"image"
	"math"
	"slices"

	pigo "github.com/esimov/pigo/core"
)

// Point is a position in pixels of the image it refers to (X right, Y down).
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Face is one detected face. X, Y is the centre of pigo's square face box and
// Size its side, in pixels of the analysed image (for Check: the input image),
// measured from the image's Bounds().Min.
// The box spans roughly eyebrows-to-chin and cheek-to-cheek.
type Face struct {
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	Size float64 `json:"size"`
	// Score is pigo's detection confidence summed over the clustered
	// detections (real faces in our sets score 10–300; Params.MinScore is 6).
	Score float64 `json:"score"`
	// Roll is the in-plane head rotation in degrees, the angle of the pupil
	// line (positive = clockwise on screen, the right-hand pupil lower); Yaw
	// the left/right head turn estimated from the cheek silhouette (a weak
	// estimate, see docs/liveness.md). When EyesOK is false, Roll is the
	// detection pass angle and Yaw 0.
	Roll float64 `json:"roll"`
	Yaw  float64 `json:"yaw"`
	// LeftEye is the pupil on the image's left, RightEye the one on the right.
	LeftEye  Point `json:"leftEye"`
	RightEye Point `json:"rightEye"`
	// EyeDist is the inter-pupil distance in pixels.
	EyeDist float64 `json:"eyeDist"`
	// EyesOK reports whether puploc gave a plausible pair of pupils.
	EyesOK bool `json:"eyesOK"`
	// Angle is the rotated detection pass (degrees) that found the face.
	Angle float64 `json:"angle"`
}

// Rect returns the face box as an integer rectangle.
func (f Face) Rect() image.Rectangle {
	h := f.Size / 2
	return image.Rect(int(math.Floor(f.X-h)), int(math.Floor(f.Y-h)), int(math.Ceil(f.X+h)), int(math.Ceil(f.Y+h)))
}

// Params are the detection parameters. Pigo's cost is set by MinFrac and
// Shift (the number of windows grows as 1/(Shift·MinFrac)²), not by the
// resolution of the frame.
type Params struct {
	// MinFrac is the smallest face box side searched, as a fraction of the
	// frame's short side. MaxFrac the largest (1 = the short side).
	MinFrac, MaxFrac float64
	// MinPixels is a floor for the smallest box side (pigo is unreliable
	// below ~20 px).
	MinPixels int
	// Shift is the window step as a fraction of the window; ScaleFactor the
	// ratio between successive window sizes.
	Shift, ScaleFactor float64
	// IoU is the overlap above which raw detections are clustered.
	IoU float64
	// MinScore is the clustered score a face needs (see Face.Score);
	// MinScoreRotated the score a face found only by a rotated pass needs
	// (each extra pass is another chance for a false cluster).
	MinScore, MinScoreRotated float64
	// RotMinFrac, when > 0, replaces MinFrac for the rotated passes (small
	// tilted faces matter little and the passes are costly).
	RotMinFrac float64
	// Angles lists the roll passes in degrees. 0 uses pigo directly; other
	// angles rotate the frame so that a head tilted by that angle becomes
	// upright (pigo's own rotated classifier clamps columns to the row count
	// and can index out of range on portrait frames, so we do not use it).
	Angles []float64
	// Refine enables coarse-to-fine detection: the passes run with Shift
	// and ScaleFactor (coarse), candidates scoring ≥ CoarseMinScore are
	// re-detected around themselves with RefineShift and RefineScale, and
	// MinScore applies to the refined score. This keeps the refined score on
	// the same scale as a full fine scan at a fraction of its cost.
	Refine                   bool
	CoarseMinScore           float64
	RefineShift, RefineScale float64
	// ScaleGroups > 1 (upright pass only) splits the window sizes into that
	// many groups of about equal cost and scans one group per call, in turn;
	// with Track, the faces of the previous call are re-detected around
	// their last position every call. A face is then found within
	// ScaleGroups frames of appearing and followed on every frame, at about
	// 1/ScaleGroups of the cost of a full scan. Use Reset when the video
	// source changes.
	ScaleGroups int
	Track       bool
	// Perturbs is the number of deterministic start positions per pupil.
	Perturbs int
	// WorkShort, when > 0, downsamples still images (Check, Assess) so that
	// their short side is at most this many pixels before detection.
	WorkShort int
}

// FrameParams are the defaults for the per-frame path (Faces): a selfie oval
// in a 1280x720 frame holds a face of ≥ 20 % of the short side, so searching
// from 15 % finds faces that are a little too small (guidance "Move closer").
func FrameParams() Params {
	return Params{MinFrac: 0.15, MaxFrac: 1, MinPixels: 20, Shift: 0.1, ScaleFactor: 1.1,
		Refine: true, CoarseMinScore: 1, RefineShift: 0.1, RefineScale: 1.1, ScaleGroups: 3, Track: true,
		IoU: 0.2, MinScore: 6, MinScoreRotated: 15, Angles: []float64{0}, Perturbs: 7}
}

// StillParams are the defaults for still images (Check, Assess): smaller
// faces are searched so that group photos are recognised, and rotated passes
// at ±18° and ±36° find tilted heads so that they are judged by angle (9004)
// instead of being missed.
func StillParams() Params {
	return Params{MinFrac: 0.08, RotMinFrac: 0.15, MaxFrac: 1, MinPixels: 20, Shift: 0.1, ScaleFactor: 1.1,
		IoU: 0.2, MinScore: 6, MinScoreRotated: 15, Angles: []float64{0, -18, 18, -36, 36}, Perturbs: 31, WorkShort: 720}
}

// Detector finds faces with pigo's facefinder cascade and pupils with the
// puploc cascade. A Detector reuses buffers and is not safe for concurrent
// use; create one per goroutine (the parsed cascades are ~1.6 MB).
type Detector struct {
	// Frame are the parameters used by Faces, Still those used by Check and
	// Assess. They may be changed between calls.
	Frame, Still Params

	ff  *pigo.Pigo
	pup *puploc

	rot   []uint8 // rotated or downsampled frame
	fine  []det
	prev  []Face  // faces of the previous Faces call (tracking)
	frame int     // Faces call counter (scale group rotation)
	pad   []uint8 // padded still image
	dets  []det
	cand  []det
	faces []Face
	pert  [][3]float64 // deterministic pupil perturbations (dr, dc, ds)
	tmpR  []float64
	tmpC  []float64
}

type det struct {
	r, c, s, q float64
	angle      float64
	used       bool
}

// NewDetector parses the two cascades (the files cascade/facefinder and
// cascade/puploc of github.com/esimov/pigo). A bad or truncated cascade is an
// error wrapping ErrCascade, never a panic.
func NewDetector(facefinder, puplocCascade []byte) (d *Detector, err error) {
	if err := validateFacefinder(facefinder); err != nil {
		return nil, err
	}
	pl, err := parsePuploc(puplocCascade)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, cascadeErr("facefinder: unpack failed: %v", r)
		}
	}()
	ff, err := pigo.NewPigo().Unpack(facefinder)
	if err != nil {
		return nil, fmt.Errorf("%w: facefinder: %v", ErrCascade, err)
	}
	d = &Detector{Frame: FrameParams(), Still: StillParams(), ff: ff, pup: pl}
	// Deterministic perturbations: a fixed low-discrepancy pattern
	// (golden-ratio sequence) in ±7.5 % of the eye scale, scale 0.925..1.075,
	// the same spread pigo draws from math/rand.
	const n = 63
	d.pert = make([][3]float64, n)
	for i := range d.pert {
		a := math.Mod(float64(i)*0.6180339887, 1)
		b := math.Mod(float64(i)*0.7548776662, 1)
		c := math.Mod(float64(i)*0.5698402910, 1)
		if i == 0 {
			a, b, c = 0.5, 0.5, 0.5
		}
		d.pert[i] = [3]float64{0.15 * (0.5 - a), 0.15 * (0.5 - b), 0.925 + 0.15*c}
	}
	d.tmpR = make([]float64, n)
	d.tmpC = make([]float64, n)
	return d, nil
}

// Faces detects faces in one gray frame with d.Frame. It is the per-frame
// path for the browser: the returned slice is reused and valid until the next
// call on d. Faces are sorted by size, largest first. pigo's RunCascade
// allocates its detection slice internally; everything else reuses buffers.
func (d *Detector) Faces(g *image.Gray) []Face {
	if d == nil || g == nil {
		return nil
	}
	b := g.Bounds()
	if b.Dx() < 24 || b.Dy() < 24 {
		return d.faces[:0]
	}
	pix := g.Pix[g.PixOffset(b.Min.X, b.Min.Y):]
	faces := d.detect(pix, b.Dy(), b.Dx(), g.Stride, &d.Frame, 0, 0, min(b.Dx(), b.Dy()))
	d.frame++
	d.prev = append(d.prev[:0], faces...)
	return faces
}

// Reset forgets the faces tracked by Faces and restarts the scale-group
// rotation, so that the next call depends on its frame only (up to the
// rotation).
func (d *Detector) Reset() {
	if d != nil {
		d.prev = d.prev[:0]
		d.frame = 0
	}
}

// scaleGroup returns the window size range of group g of k for pigo's scale
// progression from lo to hi, splitting the number of windows evenly.
func scaleGroup(lo, hi, rows, cols int, shift, sf float64, k, g int) (int, int) {
	var scales [64]int
	var cost [64]float64
	n := 0
	total := 0.0
	for s := lo; s <= hi && n < len(scales); s = int(float64(s) + math.Max(2, float64(s)*sf-float64(s))) {
		step := math.Max(shift*float64(s), 1)
		c := math.Max(0, float64(rows-s)/step+1) * math.Max(0, float64(cols-s)/step+1)
		scales[n], cost[n] = s, c
		total += c
		n++
	}
	if n == 0 {
		return lo, hi
	}
	// group boundaries at cumulative cost g/k and (g+1)/k
	first, last := -1, -1
	acc := 0.0
	for i := 0; i < n; i++ {
		mid := (acc + cost[i]/2) / total
		acc += cost[i]
		gi := int(mid * float64(k))
		if gi >= k {
			gi = k - 1
		}
		if gi == g {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return hi + 1, hi // empty group
	}
	if last == n-1 {
		return scales[first], hi
	}
	return scales[first], scales[last]
}

// detect runs the passes on a gray plane. ox, oy are subtracted from the
// resulting coordinates (used when the plane was padded); short is the short
// side of the unpadded image, to which MinFrac and MaxFrac refer.
func (d *Detector) detect(pix []uint8, rows, cols, stride int, p *Params, ox, oy float64, short int) []Face {
	d.dets = d.dets[:0]
	minSize := int(math.Round(p.MinFrac * float64(short)))
	if minSize < p.MinPixels {
		minSize = p.MinPixels
	}
	maxF := p.MaxFrac
	if maxF <= 0 || maxF > 1 {
		maxF = 1
	}
	maxSize := int(maxF * float64(short))
	shift, sf := p.Shift, p.ScaleFactor
	if shift <= 0 {
		shift = 0.1
	}
	if sf <= 1 {
		sf = 1.1
	}
	if maxSize > min(rows, cols) {
		maxSize = min(rows, cols)
	}
	if minSize > maxSize || short < 24 {
		d.faces = d.faces[:0]
		return d.faces
	}
	angles := p.Angles
	if len(angles) == 0 {
		angles = []float64{0}
	}
	for _, a := range angles {
		src, st := pix, stride
		ms := minSize
		if a != 0 && p.RotMinFrac > 0 {
			ms = max(int(math.Round(p.RotMinFrac*float64(short))), p.MinPixels)
		}
		mx := maxSize
		if a == 0 && p.ScaleGroups > 1 {
			ms, mx = scaleGroup(ms, maxSize, rows, cols, shift, sf, p.ScaleGroups, d.frame%p.ScaleGroups)
		}
		if ms > mx {
			continue
		}
		if a != 0 {
			d.rotate(pix, rows, cols, stride, a)
			src, st = d.rot, cols
		}
		cp := pigo.CascadeParams{MinSize: ms, MaxSize: mx, ShiftFactor: shift, ScaleFactor: sf,
			ImageParams: pigo.ImageParams{Pixels: src, Rows: rows, Cols: cols, Dim: st}}
		raw := d.ff.RunCascade(cp, 0)
		start := len(d.dets)
		if len(raw) > maxRaw {
			// a degenerate cascade accepting everything: keep the clustering bounded
			raw = raw[:maxRaw]
		}
		for _, r := range raw {
			d.dets = append(d.dets, det{r: float64(r.Row), c: float64(r.Col), s: float64(r.Scale), q: float64(r.Q), angle: a})
		}
		// cluster this pass, then map the cluster centres back to the frame
		n := clusterInPlace(d.dets[start:], p.IoU)
		d.dets = d.dets[:start+n]
		if p.Refine {
			d.refine(d.dets[start:], src, rows, cols, st, p)
		}
		if a != 0 {
			cx, cy := float64(cols)/2, float64(rows)/2
			sin, cos := math.Sincos(a * math.Pi / 180)
			for i := start; i < len(d.dets); i++ {
				dx, dy := d.dets[i].c-cx, d.dets[i].r-cy
				d.dets[i].c = cx + dx*cos - dy*sin
				d.dets[i].r = cy + dx*sin + dy*cos
			}
		}
	}
	if p.Track && p.Refine && len(d.prev) > 0 {
		// re-detect the previous call's faces around their last position
		start := len(d.dets)
		for _, f := range d.prev {
			if f.Angle == 0 {
				d.dets = append(d.dets, det{r: f.Y + oy, c: f.X + ox, s: f.Size, q: math.Inf(1)})
			}
		}
		d.refine(d.dets[start:], pix, rows, cols, stride, p)
	}
	// merge overlapping clusters from all passes: keep the best-scoring box
	slices.SortFunc(d.dets, byScore)
	d.cand = d.cand[:0]
	for i := range d.dets {
		di := d.dets[i]
		if di.q < p.MinScore || (di.angle != 0 && di.q < p.MinScoreRotated) {
			continue
		}
		dup := false
		for k := range d.cand {
			if overlapMin(d.cand[k], di) > 0.45 {
				dup = true
				break
			}
		}
		if !dup {
			d.cand = append(d.cand, di)
		}
	}
	d.faces = d.faces[:0]
	for _, c := range d.cand {
		f := Face{X: c.c - ox, Y: c.r - oy, Size: c.s, Score: c.q, Angle: c.angle}
		d.eyes(&f, pix, rows, cols, stride, ox, oy, p.Perturbs)
		d.faces = append(d.faces, f)
	}
	slices.SortStableFunc(d.faces, func(a, b Face) int { return cmp.Compare(b.Size, a.Size) })
	return d.faces
}

// refine re-detects each coarse candidate (score ≥ CoarseMinScore, at most
// maxRefine of them) in a window of twice its size around it, with the fine
// RefineShift / RefineScale and sizes within ±30 %, and replaces it by the
// best fine cluster (score 0 when none: it is then dropped).
func (d *Detector) refine(cands []det, src []uint8, rows, cols, stride int, p *Params) {
	const maxRefine = 8
	done := 0
	for i := range cands {
		c := &cands[i]
		if c.q < p.CoarseMinScore || done >= maxRefine {
			c.q = 0
			continue
		}
		done++
		x0 := clampi(int(c.c-c.s), 0, cols-1)
		y0 := clampi(int(c.r-c.s), 0, rows-1)
		x1 := clampi(int(c.c+c.s), 0, cols)
		y1 := clampi(int(c.r+c.s), 0, rows)
		w, h := x1-x0, y1-y0
		lo := max(int(c.s/1.3), p.MinPixels)
		hi := min(int(c.s*1.3), w, h)
		if lo > hi || w < 24 || h < 24 {
			c.q = 0
			continue
		}
		cp := pigo.CascadeParams{MinSize: lo, MaxSize: hi, ShiftFactor: p.RefineShift, ScaleFactor: p.RefineScale,
			ImageParams: pigo.ImageParams{Pixels: src[y0*stride+x0:], Rows: h, Cols: w, Dim: stride}}
		raw := d.ff.RunCascade(cp, 0)
		if len(raw) > maxRaw {
			raw = raw[:maxRaw]
		}
		d.fine = d.fine[:0]
		for _, r := range raw {
			d.fine = append(d.fine, det{r: float64(r.Row + y0), c: float64(r.Col + x0), s: float64(r.Scale), q: float64(r.Q), angle: c.angle})
		}
		m := clusterInPlace(d.fine, p.IoU)
		best := det{angle: c.angle}
		for _, f := range d.fine[:m] {
			if f.q > best.q {
				best = f
			}
		}
		*c = best
	}
}

// maxRaw bounds the raw detections clustered per pass (real cascades give a
// few hundred; clustering is quadratic).
const maxRaw = 4000

// clusterInPlace groups detections whose IoU exceeds thr (best score first),
// averaging position and size and summing scores, as pigo's ClusterDetections
// does, but without allocating. It returns the number of clusters written to
// the front of ds.
func clusterInPlace(ds []det, thr float64) int {
	slices.SortFunc(ds, byScore)
	for i := range ds {
		ds[i].used = false
	}
	n := 0
	for i := range ds {
		if ds[i].used {
			continue
		}
		ref := ds[i]
		var r, c, s, q, k float64
		for j := i; j < len(ds); j++ {
			if ds[j].used || iou(ref, ds[j]) <= thr {
				continue
			}
			ds[j].used = true
			r += ds[j].r
			c += ds[j].c
			s += ds[j].s
			q += ds[j].q
			k++
		}
		// ds[n] (n <= i) is already consumed, so it can be overwritten
		ds[n] = det{r: r / k, c: c / k, s: s / k, q: q, angle: ref.angle, used: true}
		n++
	}
	return n
}

func byScore(a, b det) int { return cmp.Compare(b.q, a.q) }

func iou(a, b det) float64 {
	inter := overlap1(a.c, a.s, b.c, b.s) * overlap1(a.r, a.s, b.r, b.s)
	return inter / (a.s*a.s + b.s*b.s - inter)
}

// overlapMin is the intersection over the smaller box's area.
func overlapMin(a, b det) float64 {
	inter := overlap1(a.c, a.s, b.c, b.s) * overlap1(a.r, a.s, b.r, b.s)
	m := math.Min(a.s*a.s, b.s*b.s)
	if m <= 0 {
		return 0
	}
	return inter / m
}

func overlap1(c1, s1, c2, s2 float64) float64 {
	return math.Max(0, math.Min(c1+s1/2, c2+s2/2)-math.Max(c1-s1/2, c2-s2/2))
}

// rotate fills d.rot with the frame rotated so that a head tilted by deg
// (clockwise on screen) appears upright: dst(p) = src(c + R(deg)(p − c)),
// nearest neighbour, edge pixels replicated.
func (d *Detector) rotate(pix []uint8, rows, cols, stride int, deg float64) {
	if cap(d.rot) < rows*cols {
		d.rot = make([]uint8, rows*cols)
	}
	d.rot = d.rot[:rows*cols]
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(cols)/2, float64(rows)/2
	for y := 0; y < rows; y++ {
		dy := float64(y) + 0.5 - cy
		// source position of (x=0) and the per-x increment
		sx := cx + (0.5-cx)*cos - dy*sin
		sy := cy + (0.5-cx)*sin + dy*cos
		row := d.rot[y*cols : (y+1)*cols]
		for x := range row {
			ix := int(sx)
			iy := int(sy)
			if sx < 0 {
				ix = 0
			}
			if sy < 0 {
				iy = 0
			}
			if ix >= cols {
				ix = cols - 1
			}
			if iy >= rows {
				iy = rows - 1
			}
			row[x] = pix[iy*stride+ix]
			sx += cos
			sy += sin
		}
	}
}

// Nominal pupil positions relative to pigo's box (pigo's own examples):
// 0.075·Size above the centre, 0.175 (left) and 0.185 (right) · Size aside.
const (
	eyeUp    = 0.075
	eyeSideL = 0.175
	eyeSideR = 0.185
	eyeScale = 0.25
	// yawDepth is the distance of the eye midpoint in front of the head's
	// vertical rotation axis, in face-box sizes (head model, docs/liveness.md).
	yawDepth = 0.5
)

// eyes localises both pupils with puploc from their nominal positions, rolled
// by the pass angle, and derives EyeDist, Roll and Yaw.
func (d *Detector) eyes(f *Face, pix []uint8, rows, cols, stride int, ox, oy float64, perturbs int) {
	if d.pup == nil {
		return
	}
	if perturbs <= 0 {
		perturbs = 1
	}
	if perturbs > len(d.pert) {
		perturbs = len(d.pert)
	}
	sin, cos := math.Sincos(f.Angle * math.Pi / 180)
	// work in the (padded) plane's coordinates
	X, Y, S := f.X+ox, f.Y+oy, f.Size
	loc := func(side float64) (float64, float64) {
		// nominal position in the face frame, rotated into the image
		fr, fc := -eyeUp*S, side*S
		r0 := Y + fr*cos + fc*sin
		c0 := X - fr*sin + fc*cos
		for i := 0; i < perturbs; i++ {
			pt := d.pert[i]
			s := eyeScale * S * pt[2]
			r, c := d.pup.locate(pix, rows, cols, stride, r0+pt[0]*eyeScale*S, c0+pt[1]*eyeScale*S, s, cos, sin)
			d.tmpR[i], d.tmpC[i] = r, c
		}
		return median(d.tmpR[:perturbs]), median(d.tmpC[:perturbs])
	}
	lr, lc := loc(-eyeSideL)
	rr, rc := loc(eyeSideR)
	f.LeftEye = Point{lc - ox, lr - oy}
	f.RightEye = Point{rc - ox, rr - oy}
	dx, dy := rc-lc, rr-lr
	f.EyeDist = math.Hypot(dx, dy)
	// plausibility: pupils inside the box, distance 0.2..0.6 of the box, the
	// right one to the right of the left one in the face frame
	along := dx*cos + dy*sin
	ok := f.EyeDist > 0.2*S && f.EyeDist < 0.6*S && along > 0
	for _, e := range []Point{f.LeftEye, f.RightEye} {
		if math.Abs(e.X-f.X) > 0.5*S || math.Abs(e.Y-f.Y) > 0.5*S {
			ok = false
		}
	}
	f.EyesOK = ok
	if !ok {
		f.Roll, f.Yaw = f.Angle, 0
		f.EyeDist = 0.36 * S // nominal (eyeSideL+eyeSideR)·S
		return
	}
	f.Roll = math.Atan2(dy, dx) * 180 / math.Pi
	// yaw: horizontal offset of the eye midpoint from the box centre along
	// the face's own horizontal axis, over the eyes' depth in front of the
	// head's rotation axis: offset = yawDepth·Size·sin(yaw).
	mx, my := (lc+rc)/2-X, (lr+rr)/2-Y
	rs, rcos := math.Sincos(f.Roll * math.Pi / 180)
	u := (mx*rcos + my*rs) / (yawDepth * S)
	f.Yaw = math.Asin(math.Max(-1, math.Min(1, u))) * 180 / math.Pi
	// Better, when both cheek edges are found: the cylinder model (below).
	if y, ok := edgeYaw(pix, rows, cols, stride, lr, lc, rr, rc, f.EyeDist, rcos, rs); ok {
		f.Yaw = y
	}
}

// edgeYaw estimates the yaw from the face's silhouette at eye level. Model:
// the head is a vertical cylinder of radius R; the pupils sit at ±α around
// its front (sin α = IED/2R ≈ 0.43 for a 6.3 cm IED and a 14.5 cm wide
// face, so cos α ≈ 0.9). Turned by ψ, the silhouette stays at ±R about the
// axis while the eye midpoint moves to R·sin ψ·cos α; so with eL, eR the
// distances from each pupil outwards to the face edge and W = eL + IED + eR,
// sin ψ = (eL − eR) / (W·cos α). The edges are the strongest luma steps
// along the eye line (averaged over a band ±0.15·IED) between 0.3 and 1.3
// IED outside each pupil; ok is false when either side has no clear step.
func edgeYaw(pix []uint8, rows, cols, stride int, lr, lc, rr, rc, ied, cos, sin float64) (float64, bool) {
	if ied < 12 {
		return 0, false
	}
	// profile value at distance t along the eye axis from pupil (r0, c0)
	prof := func(r0, c0, t float64) float64 {
		var acc float64
		n := 0
		for k := -2; k <= 2; k++ {
			o := float64(k) * 0.075 * ied // across the line
			r := int(r0 + t*sin + o*cos)
			c := int(c0 + t*cos - o*sin)
			if r < 0 || c < 0 || r >= rows || c >= cols {
				continue
			}
			acc += float64(pix[r*stride+c])
			n++
		}
		if n == 0 {
			return math.NaN()
		}
		return acc / float64(n)
	}
	edge := func(r0, c0, dir float64) (float64, bool) {
		step := math.Max(1, ied/40)
		h := 0.06 * ied // half-width of the step detector
		best, bestT, second := 0.0, 0.0, 0.0
		for t := 0.3 * ied; t <= 1.3*ied; t += step {
			a, b := prof(r0, c0, dir*(t-h)), prof(r0, c0, dir*(t+h))
			if math.IsNaN(a) || math.IsNaN(b) {
				return 0, false // the face runs out of the frame
			}
			g := math.Abs(a - b)
			if g > best {
				second = best
				best, bestT = g, t
			} else if g > second && math.Abs(t-bestT) > 0.15*ied {
				second = g
			}
		}
		// a clear silhouette: a step of at least 12 grey levels
		return bestT, best >= 12
	}
	eL, okL := edge(lr, lc, -1)
	eR, okR := edge(rr, rc, 1)
	if !okL || !okR {
		return 0, false
	}
	W := eL + ied + eR
	sy := (eL - eR) / (W * 0.9)
	return math.Asin(math.Max(-1, math.Min(1, sy))) * 180 / math.Pi, true
}

// median sorts v (insertion sort: n ≤ 63, no allocation) and returns its middle.
func median(v []float64) float64 {
	for i := 1; i < len(v); i++ {
		x := v[i]
		j := i - 1
		for j >= 0 && v[j] > x {
			v[j+1] = v[j]
			j--
		}
		v[j+1] = x
	}
	return v[len(v)/2]
}
