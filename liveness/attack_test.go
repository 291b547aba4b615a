package liveness

import (
	"bytes"
	"flag"
	"image"
	"image/jpeg"
	"math"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/disintegration/imaging"
)

// Attack simulators. Each one is a small physical model of a presentation
// attack, rendered at camera resolution with supersampling (the camera pixel
// integrates light over its area), optical blur, sensor noise and the JPEG
// encoding the SDK applies. All randomness is seeded.

// camera finishes a rendered frame: Gaussian optical blur, sensor noise and
// a JPEG round trip at quality 92.
func camera(m *image.NRGBA, rng *rand.Rand, blur, noise float64) *image.NRGBA {
	if blur > 0 {
		m = imaging.Blur(m, blur)
	}
	for i := 0; i < len(m.Pix); i += 4 {
		n := rng.NormFloat64() * noise
		for c := 0; c < 3; c++ {
			m.Pix[i+c] = clamp8(float64(m.Pix[i+c]) + n + rng.NormFloat64()*noise*0.5)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 92}); err != nil {
		panic(err)
	}
	out, err := jpeg.Decode(&buf)
	if err != nil {
		panic(err)
	}
	return imaging.Clone(out)
}

func clamp8(v float64) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// sampleRGB reads m bilinearly at (x, y) in pixel units (centres at +0.5).
func sampleRGB(m *image.NRGBA, x, y float64) (r, g, b float64) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	x, y = x-0.5, y-0.5
	x = math.Max(0, math.Min(float64(w-1), x))
	y = math.Max(0, math.Min(float64(h-1), y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	var out [3]float64
	for c := 0; c < 3; c++ {
		p := func(xx, yy int) float64 { return float64(m.Pix[yy*m.Stride+xx*4+c]) }
		out[c] = (p(x0, y0)*(1-fx)+p(x1, y0)*fx)*(1-fy) + (p(x0, y1)*(1-fx)+p(x1, y1)*fx)*fy
	}
	return out[0], out[1], out[2]
}

// wall is a smooth, slightly textured background colour at (x, y).
func wall(x, y float64, seed float64) (float64, float64, float64) {
	v := 150 + 20*math.Sin(x/97+seed)*math.Cos(y/131-seed) + 6*math.Sin(x/7.3+y/11.1)
	return v * 1.02, v * 0.98, v * 0.9
}

// portraitContent cuts a natural head-and-shoulders view of the real face:
// 2.2·Size wide, 2.9·Size high, face slightly above centre (grey padding
// where the source ends).
func portraitContent(src *image.NRGBA, f Face) *image.NRGBA {
	w, h := int(2.2*f.Size), int(2.9*f.Size)
	return frameAt(src, f, float64(w)/2, float64(h)*0.42, w, h)
}

type screenModel struct {
	Pitch    float64 // camera pixels per screen pixel
	Rotation float64 // degrees, screen in-plane rotation seen by the camera
	Bezel    float64 // bezel width as a fraction of the screen width
	Fill     float64 // lit fraction of each sub-pixel stripe (black matrix)
	Gain     float64 // display brightness × exposure
}

// screenReplay renders a face photo shown on an RGB-stripe LCD/OLED and
// recaptured by a camera: each screen pixel is three vertical R, G, B stripes
// with a black matrix between them; the camera samples this grid at a
// non-integer pitch and small rotation (resampling moiré); a dark bezel
// surrounds the active area and a wall the device. faceIED is the desired
// inter-pupil distance in the captured frame (camera pixels).
func screenReplay(content *image.NRGBA, contentIED float64, faceIED float64, m screenModel, rng *rand.Rand) *image.NRGBA {
	// the displayed image in screen pixels
	camScale := faceIED / contentIED // camera px per content px
	cw, ch := float64(content.Rect.Dx())*camScale, float64(content.Rect.Dy())*camScale
	sw, sh := int(cw/m.Pitch), int(ch/m.Pitch)
	shown := imaging.Resize(content, sw, sh, imaging.Linear)
	bez := m.Bezel * float64(sw)
	W := int(cw + 2*bez*m.Pitch + 0.18*cw)
	H := int(ch + 2*bez*m.Pitch + 0.12*ch)
	out := image.NewNRGBA(image.Rect(0, 0, W, H))
	sin, cos := math.Sincos(m.Rotation * math.Pi / 180)
	cx, cy := float64(W)/2, float64(H)/2
	const ss = 2
	seed := rng.Float64() * 10
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			var acc [3]float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := float64(x) + (float64(sx)+0.5)/ss - cx
					py := float64(y) + (float64(sy)+0.5)/ss - cy
					// camera → screen pixel coordinates (inverse rotation, scale)
					u := (px*cos+py*sin)/m.Pitch + float64(sw)/2
					v := (-px*sin+py*cos)/m.Pitch + float64(sh)/2
					var r, g, b float64
					switch {
					case u >= 0 && v >= 0 && u < float64(sw) && v < float64(sh):
						i, j := int(u), int(v)
						o := j*shown.Stride + i*4
						fu, fv := u-float64(i), v-float64(j)
						sub := int(fu * 3)
						phase := fu*3 - float64(sub)
						if phase < m.Fill && fv < 0.85 {
							val := float64(shown.Pix[o+sub]) * m.Gain * 3 / (m.Fill * 0.85)
							// each stripe emits only its primary
							switch sub {
							case 0:
								r = val
							case 1:
								g = val
							default:
								b = val
							}
						}
					case u >= -bez && v >= -bez && u < float64(sw)+bez && v < float64(sh)+bez:
						r, g, b = 18, 18, 20 // bezel
					default:
						r, g, b = wall(px+cx, py+cy, seed)
					}
					acc[0] += r
					acc[1] += g
					acc[2] += b
				}
			}
			o := y*out.Stride + x*4
			out.Pix[o] = clamp8(acc[0] / (ss * ss))
			out.Pix[o+1] = clamp8(acc[1] / (ss * ss))
			out.Pix[o+2] = clamp8(acc[2] / (ss * ss))
			out.Pix[o+3] = 255
		}
	}
	return camera(out, rng, 0.9, 1.5)
}

type printModel struct {
	Pitch    float64 // halftone cell size in camera pixels
	Rotation float64 // degrees, print in-plane rotation
	Margin   float64 // white paper margin as a fraction of the photo width
	Light    float64 // illumination gradient amplitude (0..0.2)
}

// printAttack renders a face photo printed with a CMYK halftone (screen
// angles C 15°, M 75°, Y 0°, K 45°; round dots whose area is the ink
// coverage; inks are imperfect filters so the gamut shrinks and paper white
// is not 255) on paper with a white margin, lying on a desk, under an uneven
// light, and photographed.
func printAttack(content *image.NRGBA, contentIED, faceIED float64, m printModel, rng *rand.Rand) *image.NRGBA {
	camScale := faceIED / contentIED
	cw, ch := float64(content.Rect.Dx())*camScale, float64(content.Rect.Dy())*camScale
	marg := m.Margin * cw
	W := int(cw + 2*marg + 0.16*cw)
	H := int(ch + 2*marg + 0.12*ch)
	out := image.NewNRGBA(image.Rect(0, 0, W, H))
	sin, cos := math.Sincos(m.Rotation * math.Pi / 180)
	cx, cy := float64(W)/2, float64(H)/2
	paper := [3]float64{240, 237, 228}
	// reflectance filters of the inks (fraction of R, G, B reflected)
	inks := [4][3]float64{{0.22, 0.72, 0.92}, {0.88, 0.25, 0.62}, {0.97, 0.92, 0.18}, {0.16, 0.16, 0.17}}
	angles := [4]float64{15, 75, 0, 45}
	var isin, icos [4]float64
	for k := range angles {
		isin[k], icos[k] = math.Sincos(angles[k] * math.Pi / 180)
	}
	const ss = 2
	seed := rng.Float64() * 10
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			var acc [3]float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := float64(x) + (float64(sx)+0.5)/ss - cx
					py := float64(y) + (float64(sy)+0.5)/ss - cy
					// camera → print coordinates (camera pixel units)
					u := px*cos + py*sin + cw/2
					v := -px*sin + py*cos + ch/2
					light := 1 + m.Light*(px/float64(W)-py/float64(H))
					var col [3]float64
					switch {
					case u >= 0 && v >= 0 && u < cw && v < ch:
						r, g, b := sampleRGB(content, u/camScale, v/camScale)
						// RGB → CMYK with full grey replacement
						c, mm, yy := 1-r/255, 1-g/255, 1-b/255
						k := math.Min(c, math.Min(mm, yy))
						cov := [4]float64{}
						if k < 1 {
							cov = [4]float64{(c - k) / (1 - k), (mm - k) / (1 - k), (yy - k) / (1 - k), k}
						} else {
							cov[3] = 1
						}
						col = paper
						for i := 0; i < 4; i++ {
							// rotated halftone cell; dot of area cov
							a := (u*icos[i] + v*isin[i]) / m.Pitch
							bb := (-u*isin[i] + v*icos[i]) / m.Pitch
							da, db := a-math.Floor(a)-0.5, bb-math.Floor(bb)-0.5
							if math.Pi*(da*da+db*db) < cov[i] {
								for ch := 0; ch < 3; ch++ {
									col[ch] *= inks[i][ch]
								}
							}
						}
					case u >= -marg && v >= -marg && u < cw+marg && v < ch+marg:
						col = paper
					default:
						r, g, b := wall(px+cx, py+cy, seed)
						col = [3]float64{r * 0.8, g * 0.65, b * 0.45} // wooden desk
					}
					for ch := 0; ch < 3; ch++ {
						acc[ch] += col[ch] * light
					}
				}
			}
			o := y*out.Stride + x*4
			out.Pix[o] = clamp8(acc[0] / (ss * ss))
			out.Pix[o+1] = clamp8(acc[1] / (ss * ss))
			out.Pix[o+2] = clamp8(acc[2] / (ss * ss))
			out.Pix[o+3] = 255
		}
	}
	return camera(out, rng, 0.7, 1.5)
}

// photoPrint renders a continuous-tone photo print (dye-sublimation or
// photo paper: no halftone) that fills the whole camera frame (no paper
// edge in view): only the gamut loss remains (blacks lifted to ~25, paper
// white ~235, saturation × 0.8) with uneven light. No passive cue here can
// see it; it is the documented limit of manual mode.
func photoPrint(content *image.NRGBA, contentIED, faceIED float64, rng *rand.Rand) *image.NRGBA {
	k := faceIED / contentIED
	m := imaging.Resize(content, int(float64(content.Rect.Dx())*k), 0, imaging.Linear)
	W, H := m.Rect.Dx(), m.Rect.Dy()
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			o := y*m.Stride + 4*x
			r, g, b := float64(m.Pix[o]), float64(m.Pix[o+1]), float64(m.Pix[o+2])
			l := 0.299*r + 0.587*g + 0.114*b
			light := 1 + 0.1*(float64(x)/float64(W)-float64(y)/float64(H))
			for c, v := range [3]float64{r, g, b} {
				v = l + 0.8*(v-l)
				m.Pix[o+c] = clamp8((25 + v*210/255) * light)
			}
		}
	}
	return camera(m, rng, 0.7, 1.5)
}

// headDepth is the 3-D head model used for bona fide bursts, in units of the
// face box size S, relative to the ear plane (positive = towards the camera):
// an ellipsoid (half-width 0.62·S, half-height 0.85·S, depth 0.55·S) plus a
// Gaussian nose (0.15·S high, σ = 0.09·S) just below the box centre.
func headDepth(dx, dy float64) float64 {
	u, v := dx/0.62, (dy-0.05)/0.85
	r := 1 - u*u - v*v
	if r <= 0 {
		return 0
	}
	nx, ny := dx, dy-0.12
	return 0.55*math.Sqrt(r) + 0.15*math.Exp(-(nx*nx+ny*ny)/(2*0.09*0.09))
}

// burst renders frames of src (an orthographic texture of the face f) seen
// by a pinhole camera at distances zs (in face sizes from the ear plane), the
// face growing as 1/Z. depth gives the depth (in S) at a texture offset (in
// S) from the face centre: headDepth for a real head, a tilted plane for a
// flat photo. Frames are w×h, face centred; the far frame's face is
// size0 pixels.
func burst(src *image.NRGBA, f Face, zs []float64, depth func(dx, dy float64) float64, w, h int, size0 float64) []image.Image {
	var out []image.Image
	for _, z := range zs {
		m := size0 / f.Size * zs[0] / z // ear-plane magnification
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				ox, oy := (float64(x)+0.5-float64(w)/2)/m, (float64(y)+0.5-float64(h)*0.45)/m
				// fixed point: texture offset t with image offset = t·Z/(Z−d(t))
				tx, ty := ox, oy
				for it := 0; it < 6; it++ {
					d := depth(tx/f.Size, ty/f.Size)
					k := (z - d) / z
					tx, ty = ox*k, oy*k
				}
				r, g, b := sampleRGB(src, f.X+tx, f.Y+ty)
				o := y*img.Stride + x*4
				img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = clamp8(r), clamp8(g), clamp8(b), 255
			}
		}
		out = append(out, img)
	}
	return out
}

// bonaFide returns the real frontal portraits that pass the face checks.
func bonaFide(t *testing.T, d *Detector) (imgs []*image.NRGBA, faces []Face, names []string) {
	t.Helper()
	dir, rows := facesManifest(t)
	for _, r := range inFolder(rows, "frontal_single") {
		img := imaging.Clone(loadImage(t, filepath.Join(dir, r.File)))
		fs, code := d.Check(img)
		if code != 0 {
			continue
		}
		imgs, faces, names = append(imgs, img), append(faces, fs[0]), append(names, r.File)
	}
	return
}

var fullAttacks = flag.Bool("attacks.full", false, "also run the fine-pitch screen and print sets (slow; figures in docs/liveness.md)")

// TestAttacks runs the bona fide and attack sets and reports APCER (attacks
// accepted as Pass) and BPCER (bona fide rejected as Fail).
func TestAttacks(t *testing.T) {
	d := newDetector(t)
	imgs, faces, names := bonaFide(t, d)
	if len(imgs) == 0 {
		t.Skip("no bona fide portraits")
	}
	n := len(imgs)
	if testing.Short() {
		n = min(n, 2)
	}
	rng := rand.New(rand.NewSource(7))
	fineRng := rand.New(rand.NewSource(11)) // separate: the default sets do not depend on -attacks.full
	type tally struct {
		total, pass, fail, null int
		cues                    map[string]int
	}
	res := map[string]*tally{}
	record := func(set, name string, a Assessment, ev Evidence) {
		tl := res[set]
		if tl == nil {
			tl = &tally{cues: map[string]int{}}
			res[set] = tl
		}
		tl.total++
		for _, c := range ev.Cues {
			tl.cues[c]++
		}
		switch a.Result() {
		case Pass:
			tl.pass++
		case Fail:
			tl.fail++
		default:
			tl.null++
		}
		t.Logf("%-14s %-40s %-4s code=%d spec=%.2f chroma=%.2f per=%.1f border=%.2f/%d sat=%.2f spec=%.2f motion=%.2f persp=%.3f cues=%v",
			set, name, a.Result(), ev.Code, ev.Spectral, ev.Chroma, ev.SpectralPeriod, ev.Border, ev.BorderSides,
			ev.Saturation, ev.Specular, ev.Motion, ev.Perspective, ev.Cues)
	}
	for i := 0; i < n; i++ {
		src, f, name := imgs[i], faces[i], names[i]
		a, ev := d.Assess(src, nil)
		record("bona fide", name, a, ev)
		content := portraitContent(src, f)
		// The attacker adjusts the set-up (distance, angle) until the face
		// checks accept the picture: up to 4 attempts with new geometry; the
		// last attempt is scored.
		var sm screenModel
		var pm printModel
		var ied float64
		for try := 0; try < 4; try++ {
			ied = 105 + 20*rng.Float64()
			sm = screenModel{Pitch: 2.2 + 1.2*rng.Float64(), Rotation: -4 + 8*rng.Float64(), Bezel: 0.05, Fill: 0.9, Gain: 0.9}
			a, ev = d.Assess(screenReplay(content, f.EyeDist, ied, sm, rng), nil)
			if ev.Code == 0 {
				break
			}
		}
		record("screen", name, a, ev)
		for try := 0; try < 4; try++ {
			ied = 105 + 20*rng.Float64()
			pm = printModel{Pitch: 2.4 + 1.2*rng.Float64(), Rotation: -5 + 10*rng.Float64(), Margin: 0.06, Light: 0.15}
			a, ev = d.Assess(printAttack(content, f.EyeDist, ied, pm, rng), nil)
			if ev.Code == 0 {
				break
			}
		}
		record("print", name, a, ev)
		if *fullAttacks {
			// beyond the model's reach (reported, not asserted): a fine
			// high-DPI screen (pitch 1.2 camera px, so the camera's blur
			// averages the sub-pixels away) and a fine halftone (1.4 px)
			fs := screenModel{Pitch: 1.2, Rotation: sm.Rotation, Bezel: 0.05, Fill: 0.9, Gain: 0.9}
			a, ev = d.Assess(screenReplay(content, f.EyeDist, ied, fs, fineRng), nil)
			record("fine screen", name, a, ev)
			fp := printModel{Pitch: 1.4, Rotation: pm.Rotation, Margin: 0.06, Light: 0.15}
			a, ev = d.Assess(printAttack(content, f.EyeDist, ied, fp, fineRng), nil)
			record("fine print", name, a, ev)
			a, ev = d.Assess(photoPrint(content, f.EyeDist, ied, fineRng), nil)
			record("photo print", name, a, ev)
		}
		// bursts: camera from 4.5 to 2.2 face sizes (≈ 65 → 32 cm)
		zs := []float64{4.5, 3.6, 2.9, 2.2}
		w, h := 480, 640
		real := burst(src, f, zs, headDepth, w, h, 150)
		a, ev = d.Assess(src, real)
		record("bona fide 3-D", name, a, ev)
		tilt := 0.05 * (rng.Float64()*2 - 1)
		flat := burst(src, f, zs, func(dx, dy float64) float64 { return tilt * dx }, w, h, 150)
		a, ev = d.Assess(src, flat)
		record("flat burst", name, a, ev)
	}
	for _, set := range []string{"bona fide", "bona fide 3-D", "screen", "print", "flat burst", "fine screen", "fine print", "photo print"} {
		tl := res[set]
		if tl == nil {
			continue
		}
		t.Logf("%-14s n=%d pass=%d fail=%d null(face check)=%d cues fired %v", set, tl.total, tl.pass, tl.fail, tl.null, tl.cues)
	}
	// BPCER: bona fide presentations classified as attacks (Fail), over
	// those that passed the face checks. APCER: attacks accepted (Pass).
	for _, set := range []string{"bona fide", "bona fide 3-D"} {
		tl := res[set]
		bpcer := float64(tl.fail) / float64(max(1, tl.pass+tl.fail))
		t.Logf("BPCER %-14s %.1f %% (%d/%d)", set, 100*bpcer, tl.fail, tl.pass+tl.fail)
		if bpcer > 0.10 || tl.null > 0 {
			t.Errorf("%s: BPCER %.1f %%, %d null verdicts", set, 100*bpcer, tl.null)
		}
	}
	for _, set := range []string{"screen", "print", "flat burst"} {
		tl := res[set]
		apcer := float64(tl.pass) / float64(tl.total)
		t.Logf("APCER %-14s %.1f %% (%d/%d); reached the liveness cues: %d/%d", set, 100*apcer, tl.pass, tl.total, tl.pass+tl.fail, tl.total)
		if tl.pass > 0 {
			t.Errorf("%s: %d attacks passed", set, tl.pass)
		}
		if float64(tl.null) > math.Max(1, 0.1*float64(tl.total)) {
			t.Errorf("%s: only %d/%d attacks reached a Fail verdict (the rest failed face checks)", set, tl.fail, tl.total)
		}
	}
	for _, set := range []string{"fine screen", "fine print", "photo print"} {
		if tl := res[set]; tl != nil {
			t.Logf("APCER %-14s %.1f %% (%d/%d) — outside the model, see docs/liveness.md", set, 100*float64(tl.pass)/float64(tl.total), tl.pass, tl.total)
		}
	}
}
