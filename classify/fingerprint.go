package classify

import (
	"errors"
	"image"
	"math"
)

// Layout fingerprint size: the document is reduced to FPW x FPH cells.
const (
	FPW = 24
	FPH = 15
)

// Fingerprint is a small signature of a document's layout: luma and
// gradient energy on a FPW x FPH grid (each normalised to zero mean and unit
// variance) and the mean colour of a 4x3 grid. Two images of the same
// document model have a high correlation, whatever their resolution,
// brightness and contrast.
type Fingerprint struct {
	Luma     []float32 // FPW*FPH
	Gradient []float32 // FPW*FPH
	Colour   []float32 // 4*3*3 (r, g, b means 0..1)
}

func (f *Fingerprint) validate() error {
	if len(f.Luma) != FPW*FPH || len(f.Gradient) != FPW*FPH || len(f.Colour) != 36 {
		return errors.New("layout fingerprint has the wrong size")
	}
	return nil
}

// ComputeFingerprint computes the layout fingerprint of img (a cropped,
// deskewed document).
func ComputeFingerprint(img image.Image) (*Fingerprint, error) {
	b := img.Bounds()
	if b.Dx() < FPW || b.Dy() < FPH {
		return nil, errors.New("classify: image too small for a fingerprint")
	}
	// Area-average to a 4x grid, then derive luma and gradients.
	const s = 4
	gw, gh := FPW*s, FPH*s
	lum := make([]float64, gw*gh)
	cnt := make([]float64, gw*gh)
	var col [36]float64
	var ccnt [12]float64
	step := max(1, min(b.Dx(), b.Dy())/400)
	for y := b.Min.Y; y < b.Max.Y; y += step {
		gy := (y - b.Min.Y) * gh / b.Dy()
		cy := (y - b.Min.Y) * 3 / b.Dy()
		for x := b.Min.X; x < b.Max.X; x += step {
			r, g, bb, _ := img.At(x, y).RGBA()
			gx := (x - b.Min.X) * gw / b.Dx()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bb)) / 65535
			lum[gy*gw+gx] += l
			cnt[gy*gw+gx]++
			c := cy*4 + (x-b.Min.X)*4/b.Dx()
			col[3*c] += float64(r) / 65535
			col[3*c+1] += float64(g) / 65535
			col[3*c+2] += float64(bb) / 65535
			ccnt[c]++
		}
	}
	for i := range lum {
		if cnt[i] > 0 {
			lum[i] /= cnt[i]
		}
	}
	fp := &Fingerprint{Luma: make([]float32, FPW*FPH), Gradient: make([]float32, FPW*FPH), Colour: make([]float32, 36)}
	for y := 0; y < FPH; y++ {
		for x := 0; x < FPW; x++ {
			sl, sg := 0.0, 0.0
			for dy := 0; dy < s; dy++ {
				for dx := 0; dx < s; dx++ {
					X, Y := x*s+dx, y*s+dy
					v := lum[Y*gw+X]
					sl += v
					if X+1 < gw && Y+1 < gh {
						sg += math.Abs(lum[Y*gw+X+1]-v) + math.Abs(lum[(Y+1)*gw+X]-v)
					}
				}
			}
			fp.Luma[y*FPW+x] = float32(sl / (s * s))
			fp.Gradient[y*FPW+x] = float32(sg / (s * s))
		}
	}
	normalise(fp.Luma)
	normalise(fp.Gradient)
	for i := range fp.Colour {
		if ccnt[i/3] > 0 {
			fp.Colour[i] = float32(col[i] / ccnt[i/3])
		}
	}
	return fp, nil
}

func normalise(v []float32) {
	m := 0.0
	for _, x := range v {
		m += float64(x)
	}
	m /= float64(len(v))
	sd := 0.0
	for _, x := range v {
		sd += (float64(x) - m) * (float64(x) - m)
	}
	sd = math.Sqrt(sd / float64(len(v)))
	if sd < 1e-6 {
		sd = 1
	}
	for i, x := range v {
		v[i] = float32((float64(x) - m) / sd)
	}
}

// Similarity compares two fingerprints: the mean of the luma and gradient
// correlations (-1..1) minus a colour distance term. Same model: > 0.8.
func (f *Fingerprint) Similarity(o *Fingerprint) float64 {
	if f == nil || o == nil || f.validate() != nil || o.validate() != nil {
		return -1
	}
	corr := func(a, b []float32) float64 {
		s := 0.0
		for i := range a {
			s += float64(a[i]) * float64(b[i])
		}
		return s / float64(len(a))
	}
	cd := 0.0
	for i := range f.Colour {
		d := float64(f.Colour[i] - o.Colour[i])
		cd += d * d
	}
	cd = math.Sqrt(cd / 36)
	return (corr(f.Luma, o.Luma)+corr(f.Gradient, o.Gradient))/2 - cd
}
