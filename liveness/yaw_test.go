package liveness

import (
	"image"

	"github.com/disintegration/imaging"
	"math"
	"testing"
)

// yawed renders the real portrait src (face f) with the head turned by psi
// degrees about its vertical axis, using the 3-D head model headDepth
// (orthographic view, texture point (tx, d) rotated: x' = tx·cos ψ + d·sin ψ,
// found by fixed-point iteration; the background plane turns with the head).
func yawed(src *image.NRGBA, f Face, psi float64) *image.NRGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	out := image.NewNRGBA(src.Rect)
	sin, cos := math.Sincos(psi * math.Pi / 180)
	S := f.Size
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			ox, oy := float64(x)+0.5-f.X, float64(y)+0.5-f.Y
			tx := ox
			for it := 0; it < 8; it++ {
				d := headDepth(tx/S, oy/S) * S
				tx = (ox - d*sin) / cos
			}
			r, g, b := sampleRGB(src, f.X+tx, f.Y+oy)
			o := y*out.Stride + x*4
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = clamp8(r), clamp8(g), clamp8(b), 255
		}
	}
	return out
}

// TestYaw turns real heads with the 3-D model (portraits reduced so the
// face box is ~300 px) and reports the yaw estimate and the codes. Asserted:
// the 0° render passes and its estimate stays under MaxYaw. The rejection of
// ±40° turns is reported (docs/liveness.md: the estimate is weak).
func TestYaw(t *testing.T) {
	d := newDetector(t)
	imgs, faces, names := bonaFide(t, d)
	angles := []float64{0, 20, 40, -40}
	if testing.Short() && len(imgs) > 1 {
		imgs, angles = imgs[:1], []float64{0, 40}
	}
	rejected, turned := 0, 0
	for i, src := range imgs {
		f := faces[i]
		if k := 300 / f.Size; k < 1 {
			src = imaging.Resize(src, int(float64(src.Rect.Dx())*k), 0, imaging.Linear)
			f.X, f.Y, f.Size = f.X*k, f.Y*k, f.Size*k
		}
		line := ""
		for _, psi := range angles {
			fs, code := d.Check(yawed(src, f, psi))
			est := math.NaN()
			if len(fs) > 0 {
				est = fs[0].Yaw
			}
			line += imagingFmt(" %+.0f°→%.1f°/%d", psi, est, code)
			if psi == 0 && (code != 0 || math.Abs(est) > MaxYaw) {
				t.Errorf("%s: frontal render code %d, yaw estimate %.1f°", names[i], code, est)
			}
			if math.Abs(psi) >= 40 {
				turned++
				if code != 0 {
					rejected++
				}
			}
		}
		t.Logf("%s: true→estimated/code:%s", names[i], line)
	}
	t.Logf("±40° turns rejected by the face checks: %d/%d", rejected, turned)
}
