package quality

// Chroma describes the colour-difference planes of a frame whose luma plane
// is passed separately (AnalyzeColor). A coloured band along a card's edge
// often has about the luma of the table it lies on but not its hue: with
// chroma the detector sees that edge, with luma alone it cannot.
//
// Cb[i] and Cr[i] are the samples of one grid of W x H positions covering the
// same scene as the luma plane, at any subsampling (W x H is half the luma
// size for 4:2:0). Sample (x, y) is at index y*Stride + x*Step of each slice:
// Step 1 for planar layouts (I420: Cb and Cr in separate planes), 2 for
// interleaved ones (NV12: Cr = Cb[1:]). Limited or full range both work: only
// differences between neighbouring samples are used.
type Chroma struct {
	Cb, Cr []byte
	Stride int // bytes between rows
	Step   int // bytes between samples of a row: 1 planar, 2 interleaved
	W, H   int // samples per row, rows
}

// valid reports whether c's slices hold its W x H grid.
func (c *Chroma) valid() bool {
	if c.W <= 0 || c.H <= 0 || (c.Step != 1 && c.Step != 2) || c.Stride < (c.W-1)*c.Step+1 {
		return false
	}
	need := (c.H-1)*c.Stride + (c.W-1)*c.Step + 1
	return need > 0 && len(c.Cb) >= need && len(c.Cr) >= need
}

// chromaWeight scales chroma Sobel magnitudes against luma ones in the
// edge map the lines are voted from. A document and what it lies on often
// differ more in colour than in brightness (a pale card on white paper, a
// coloured band on a table of its luma), and real colours move chroma by
// fewer levels than luma. Measured per capture within both tolerances,
// summed over captures 0-599 / 3000-3399 (colour): 0.45 541 / 360, 0.6
// 550 / 367, 0.75 551 / 373, 0.9 556 / 372, 1.1 560 / 375, 1.3 560 / 376,
// 1.6 567 / 377, 2.0 564 / 381.
const chromaWeight = 1.6

// refineChromaWeight weighs chroma against luma when a refined side picks
// the channel whose edge it fits: chroma is subsampled and its edges are
// less sharp, so luma is preferred unless chroma is much stronger.
const refineChromaWeight = 0.45

// downscaleChroma puts c's planes onto the sw x sh detection grid (d.scb,
// d.scr): point-sampled when a grid cell holds 1 or 2 x 2 chroma samples
// (sampleChroma), else box-filtered. The source blocks come from d.cx /
// d.cy, recomputed only when the grid or the chroma size changes.
func (d *detector) downscaleChroma(c *Chroma) {
	sw, sh := d.sw, d.sh
	if d.cw != c.W || d.ch != c.H || len(d.scb) != sw*sh || len(d.cx) != sw+1 || len(d.cy) != sh+1 {
		d.cw, d.ch = c.W, c.H
		d.scb = make([]byte, sw*sh)
		d.scr = make([]byte, sw*sh)
		d.cx = make([]int32, sw+1)
		d.cy = make([]int32, sh+1)
		// The luma grid covers fac*sw of the w luma columns; the chroma
		// grid spans the whole width, so scale by the luma size.
		for i := 0; i <= sw; i++ {
			d.cx[i] = int32(min(c.W, i*d.fac*c.W/d.lw))
		}
		for j := 0; j <= sh; j++ {
			d.cy[j] = int32(min(c.H, j*d.fac*c.H/d.lh))
		}
	}
	if d.fac*c.W == d.lw && d.fac*c.H == d.lh {
		d.sampleChroma(c, 1) // one chroma sample per grid cell (4:2:0 at a 1/2 grid)
		return
	}
	if d.fac*c.W == 2*d.lw && d.fac*c.H == 2*d.lh {
		d.sampleChroma(c, 2) // e.g. 4:2:0 at a 1/4 grid, or 4:4:4 at a 1/2 grid
		return
	}
	if d.fac*c.W == 3*d.lw && d.fac*c.H == 3*d.lh {
		d.meanChroma3(c) // 4:2:0 at a 1/6 grid (a 1920x1080 frame)
		return
	}
	for j := 0; j < sh; j++ {
		y0, y1 := int(d.cy[j]), int(max(d.cy[j+1], d.cy[j]+1))
		y1 = min(y1, c.H)
		for i := 0; i < sw; i++ {
			x0, x1 := int(d.cx[i]), int(max(d.cx[i+1], d.cx[i]+1))
			x1 = min(x1, c.W)
			var sb, sr, n uint32
			for y := y0; y < y1; y++ {
				o := y*c.Stride + x0*c.Step
				for x := x0; x < x1; x++ {
					sb += uint32(c.Cb[o])
					sr += uint32(c.Cr[o])
					n++
					o += c.Step
				}
			}
			if n == 0 {
				n = 1
			}
			d.scb[j*sw+i] = byte((sb + n/2) / n)
			d.scr[j*sw+i] = byte((sr + n/2) / n)
		}
	}
}

// meanChroma3 is downscaleChroma's mean for chroma with exactly 3 x 3
// samples per detection cell (4:2:0 at a 1/6 grid: a 1920x1080 frame): the
// three rows of a grid row at once, each block's row as one 3-sample slice
// (under Node 0.8-1.1 ms a 1080p frame, against 4.6-5.8 for the general
// loop; natively 0.4-0.5 against 1.3-2.1).
func (d *detector) meanChroma3(c *Chroma) {
	sw := d.sw
	n := (3*sw-1)*c.Step + 1 // bytes the grid row's blocks span in a chroma row
	for j := 0; j < d.sh; j++ {
		o := 3 * j * c.Stride
		ob, or := d.scb[j*sw:j*sw+sw], d.scr[j*sw:j*sw+sw]
		mean3(ob, c.Cb[o:o+n], c.Cb[o+c.Stride:o+c.Stride+n], c.Cb[o+2*c.Stride:o+2*c.Stride+n], c.Step)
		mean3(or, c.Cr[o:o+n], c.Cr[o+c.Stride:o+c.Stride+n], c.Cr[o+2*c.Stride:o+2*c.Stride+n], c.Step)
	}
}

// mean3 sets out[i] to the rounded mean of the 3 x 3 samples of block i in
// rows r0, r1, r2 (samples step bytes apart: 1 planar, 2 interleaved).
func mean3(out, r0, r1, r2 []byte, step int) {
	if step == 1 {
		for i := range out {
			k := 3 * i
			a, b, c := r0[k:k+3:k+3], r1[k:k+3:k+3], r2[k:k+3:k+3]
			t := uint32(a[0]) + uint32(a[1]) + uint32(a[2]) + uint32(b[0]) + uint32(b[1]) + uint32(b[2]) +
				uint32(c[0]) + uint32(c[1]) + uint32(c[2])
			out[i] = byte((t + 4) / 9)
		}
		return
	}
	for i := range out {
		k := 6 * i
		a, b, c := r0[k:k+5:k+5], r1[k:k+5:k+5], r2[k:k+5:k+5]
		t := uint32(a[0]) + uint32(a[2]) + uint32(a[4]) + uint32(b[0]) + uint32(b[2]) + uint32(b[4]) +
			uint32(c[0]) + uint32(c[2]) + uint32(c[4])
		out[i] = byte((t + 4) / 9)
	}
}

// chromaAt samples plane p (Cb or Cr of c) bilinearly at luma coordinates
// (x, y) of a w x h luma plane (pixel centres at +0.5), clamped.
func chromaAt(c *Chroma, p []byte, w, h int, x, y float64) float64 {
	x = x*float64(c.W)/float64(w) - 0.5
	y = y*float64(c.H)/float64(h) - 0.5
	x = fmax(0, fmin(x, float64(c.W-1)))
	y = fmax(0, fmin(y, float64(c.H-1)))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, c.W-1), min(y0+1, c.H-1)
	fx, fy := x-float64(x0), y-float64(y0)
	a := float64(p[y0*c.Stride+x0*c.Step])
	b := float64(p[y0*c.Stride+x1*c.Step])
	e := float64(p[y1*c.Stride+x0*c.Step])
	f := float64(p[y1*c.Stride+x1*c.Step])
	return (a*(1-fx)+b*fx)*(1-fy) + (e*(1-fx)+f*fx)*fy
}

// sampleChroma is downscaleChroma for chroma with k x k samples per
// detection cell (k = 2: the common 4:2:0 frame with a detection factor of
// 4): it takes the top-left sample of each block instead of the mean, for
// planar (I420) and interleaved (NV12) chroma alike. A camera's chroma is
// already low-passed (subsampled, compressed); point sampling costs a
// quarter of the reads and measured as well (178 vs 176 of the 200
// synthetic captures).
func (d *detector) sampleChroma(c *Chroma, k int) {
	sw, sh := d.sw, d.sh
	st := k * c.Step
	for j := 0; j < sh; j++ {
		o := k * j * c.Stride
		ob, or := d.scb[j*sw:j*sw+sw], d.scr[j*sw:j*sw+sw]
		if st == 1 {
			copy(ob, c.Cb[o:])
			copy(or, c.Cr[o:])
			continue
		}
		b0, r0 := c.Cb[o:o+(sw-1)*st+1], c.Cr[o:o+(sw-1)*st+1]
		for i := range ob {
			ob[i] = b0[i*st]
			or[i] = r0[i*st]
		}
	}
}
