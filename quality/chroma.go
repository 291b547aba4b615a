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

// chromaWeight scales chroma Sobel magnitudes against luma ones: chroma
// planes are smoother (subsampled, compressed) and span 224 levels.
const chromaWeight = 0.45

// downscaleChroma box-filters c's planes onto the sw x sh detection grid
// (d.scb, d.scr). The source blocks come from d.cx / d.cy, recomputed only
// when the grid or the chroma size changes.
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
	if c.Step == 1 && d.fac*c.W == d.lw && d.fac*c.H == d.lh {
		for j := 0; j < sh; j++ { // one chroma sample per grid cell (4:2:0 at a 1/2 grid)
			copy(d.scb[j*sw:j*sw+sw], c.Cb[j*c.Stride:])
			copy(d.scr[j*sw:j*sw+sw], c.Cr[j*c.Stride:])
		}
		return
	}
	if c.Step == 1 && d.fac*c.W == 2*d.lw && d.fac*c.H == 2*d.lh {
		d.downscaleChroma2x2(c) // e.g. 4:2:0 at a 1/4 grid, or 4:4:4 at a 1/2 grid
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

// downscaleChroma2x2 is downscaleChroma for planar chroma with 2x2 samples
// per detection cell (the common 4:2:0 frame with a detection factor of 4):
// it takes the top-left sample of each block instead of the mean. A
// camera's chroma is already low-passed (subsampled, compressed); point
// sampling costs a quarter of the reads and measured as well (178 vs 176
// of the 200 synthetic captures).
func (d *detector) downscaleChroma2x2(c *Chroma) {
	sw, sh := d.sw, d.sh
	for j := 0; j < sh; j++ {
		o := 2 * j * c.Stride
		b0, r0 := c.Cb[o:o+2*sw], c.Cr[o:o+2*sw]
		ob, or := d.scb[j*sw:j*sw+sw], d.scr[j*sw:j*sw+sw]
		for i := range ob {
			ob[i] = b0[2*i]
			or[i] = r0[2*i]
		}
	}
}
