package pdf417

import (
	"image"
	"math"
	"math/rand"
	"testing"

	"github.com/globalgateway/ggcapture/classify/aamva"
)

type mat3 [9]float64

func (a mat3) mul(b mat3) mat3 {
	var r mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				r[3*i+j] += a[3*i+k] * b[3*k+j]
			}
		}
	}
	return r
}

func (m mat3) inv() mat3 {
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	det := a*(e*i-f*h) - b*(d*i-f*g) + c*(d*h-e*g)
	return mat3{(e*i - f*h) / det, (c*h - b*i) / det, (b*f - c*e) / det,
		(f*g - d*i) / det, (a*i - c*g) / det, (c*d - a*f) / det,
		(d*h - e*g) / det, (b*g - a*h) / det, (a*e - b*d) / det}
}

// warpRender draws the symbol through a homography: module size, rotation,
// perspective (px, py per pixel), then blur and noise.
func warpRender(sym *Symbol, rng *rand.Rand, modulePx, angleDeg, px, py, blur, noise float64) *image.Gray {
	base := sym.Image(1, 1, 0)
	mw, mh := float64(base.Bounds().Dx()), float64(sym.Rows)
	rowH := 3.0 + rng.Float64()
	sw, sh := mw*modulePx, mh*rowH*modulePx
	diag := math.Hypot(sw, sh)
	grow := 1.1 + 1000*math.Max(math.Abs(px), math.Abs(py)) // room for the perspective's magnification
	W, H := int(diag*grow+40), int(diag*grow+40)
	if W > 2400 {
		W, H = 2400, 2400
	}
	cx, cy := float64(W)/2, float64(H)/2
	sa, ca := math.Sin(angleDeg*math.Pi/180), math.Cos(angleDeg*math.Pi/180)
	toCentre := mat3{modulePx, 0, -sw / 2, 0, modulePx * rowH, -sh / 2, 0, 0, 1} // modules -> centred px
	rot := mat3{ca, -sa, 0, sa, ca, 0, 0, 0, 1}
	persp := mat3{1, 0, 0, 0, 1, 0, px, py, 1}
	place := mat3{1, 0, cx, 0, 1, cy, 0, 0, 1}
	inv := place.mul(persp).mul(rot).mul(toCentre).inv()
	img := image.NewGray(image.Rect(0, 0, W, H))
	bg := 190 + rng.Float64()*60
	ink := 10 + rng.Float64()*60
	const ss = 2
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			acc := 0.0
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					X := float64(x) + (float64(sx)+0.5)/ss
					Y := float64(y) + (float64(sy)+0.5)/ss
					z := inv[6]*X + inv[7]*Y + inv[8]
					mx := (inv[0]*X + inv[1]*Y + inv[2]) / z
					my := (inv[3]*X + inv[4]*Y + inv[5]) / z
					val := bg
					if mx >= 0 && my >= 0 && mx < mw && my < mh && base.Pix[int(my)*base.Stride+int(mx)] == 0 {
						val = ink
					}
					acc += val
				}
			}
			img.Pix[y*img.Stride+x] = uint8(acc / ss / ss)
		}
	}
	if blur > 0 {
		gaussBlur(img, blur)
	}
	for i := range img.Pix {
		v := float64(img.Pix[i]) + rng.NormFloat64()*noise
		img.Pix[i] = uint8(math.Max(0, math.Min(255, v)))
	}
	return img
}

// TestStress measures the decode rate over harder captures: rotation up to
// ±45° (and quarter turns), perspective, blur up to 1.2 px. It asserts a
// floor per condition and logs the rates.
func TestStress(t *testing.T) {
	n := 15
	if testing.Short() {
		n = 5
	}
	type cond struct {
		name               string
		angle, persp, blur float64
		quarter            bool
		floor              float64
	}
	conds := []cond{
		{"rotation ±45°", 45, 0, 0.5, false, 0.9},
		{"quarter turns ±5°", 5, 0, 0.5, true, 0.9},
		{"perspective", 4, 0.0004, 0.5, false, 0.8},
		{"blur σ 1.2", 3, 0, 1.2, false, 0.6},
	}
	rng := rand.New(rand.NewSource(77))
	for _, c := range conds {
		ok := 0
		for i := 0; i < n; i++ {
			payload := aamva.Build(randomAAMVA(rng))
			sym, err := Encode([]byte(payload), EncodeOptions{AutoEC: true, Columns: 10 + rng.Intn(6)})
			if err != nil {
				t.Fatal(err)
			}
			angle := (rng.Float64()*2 - 1) * c.angle
			if c.quarter {
				angle += 90 * float64(rng.Intn(4))
			}
			px := (rng.Float64()*2 - 1) * c.persp
			py := (rng.Float64()*2 - 1) * c.persp
			img := warpRender(sym, rng, 2.2+rng.Float64()*1.5, angle, px, py, rng.Float64()*c.blur, rng.Float64()*8)
			res, err := Decode(img)
			if err == nil && res.Text == payload {
				ok++
			} else {
				t.Logf("%s #%d angle %.1f persp %.5f,%.5f: %v", c.name, i, angle, px, py, err)
			}
		}
		rate := float64(ok) / float64(n)
		t.Logf("%-18s %d/%d", c.name, ok, n)
		if rate < c.floor {
			t.Errorf("%s: %d/%d below %.0f%%", c.name, ok, n, 100*c.floor)
		}
	}
}
