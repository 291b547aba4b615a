package liveness

import (
	"errors"
	"image"
	"image/color"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
)

func TestNewDetectorErrors(t *testing.T) {
	ff, pl := cascades(t)
	cases := []struct {
		name   string
		ff, pl []byte
	}{
		{"nil both", nil, nil},
		{"empty facefinder", []byte{}, pl},
		{"truncated facefinder", ff[:len(ff)/2], pl},
		{"facefinder one byte short", ff[:len(ff)-1], pl},
		{"facefinder trailing byte", append(append([]byte{}, ff...), 0), pl},
		{"truncated puploc", ff, pl[:1000]},
		{"swapped", pl, ff},
		{"header only", ff[:16], pl},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := NewDetector(c.ff, c.pl)
			if err == nil || d != nil {
				t.Fatalf("want error, got %v, %v", d, err)
			}
			if !errors.Is(err, ErrCascade) {
				t.Fatalf("error %v does not wrap ErrCascade", err)
			}
		})
	}
	// a huge depth in the header must be rejected before any allocation
	bad := append([]byte{}, ff[:64]...)
	bad[8] = 30
	if _, err := NewDetector(bad, pl); err == nil {
		t.Fatal("depth 30 accepted")
	}
	if _, err := NewDetector(ff, pl); err != nil {
		t.Fatalf("real cascades rejected: %v", err)
	}
}

// TestUnreadable needs no cascades beyond a detector and no test data.
func TestUnreadable(t *testing.T) {
	d := newDetector(t)
	cases := map[string]image.Image{
		"nil":          nil,
		"empty":        image.NewNRGBA(image.Rect(0, 0, 0, 0)),
		"tiny":         image.NewGray(image.Rect(0, 0, 10, 10)),
		"degenerate":   image.NewNRGBA(image.Rect(0, 0, 2000, 40)),
		"typed nil":    (*image.NRGBA)(nil),
		"offset empty": image.NewRGBA(image.Rect(50, 50, 50, 90)),
	}
	for name, img := range cases {
		t.Run(name, func(t *testing.T) {
			faces, code := d.Check(img)
			if code != CodeUnreadable || len(faces) != 0 {
				t.Fatalf("code %d faces %d, want 9006", code, len(faces))
			}
			a, ev := d.Assess(img, nil)
			if a.ErrorCode == nil || *a.ErrorCode != CodeUnreadable || a.LivenessResult == nil || a.LivenessResult.LivenessAssessment != nil {
				t.Fatalf("assessment %+v", a)
			}
			if ev.Code != CodeUnreadable {
				t.Fatalf("evidence code %d", ev.Code)
			}
		})
	}
	var nd *Detector
	if _, code := nd.Check(image.NewGray(image.Rect(0, 0, 100, 100))); code != CodeUnreadable {
		t.Fatalf("nil detector code %d", code)
	}
}

// TestNoFaceSynthetic: flat, noise and gradient images have no face.
func TestNoFaceSynthetic(t *testing.T) {
	d := newDetector(t)
	rng := rand.New(rand.NewSource(1))
	noise := image.NewGray(image.Rect(0, 0, 320, 240))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.Intn(256))
	}
	grad := image.NewNRGBA(image.Rect(0, 0, 400, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 400; x++ {
			grad.Set(x, y, color.NRGBA{uint8(x / 2), uint8(y / 2), 128, 255})
		}
	}
	flat := imaging.New(640, 480, color.NRGBA{200, 180, 160, 255})
	for name, img := range map[string]image.Image{"noise": noise, "gradient": grad, "flat": flat} {
		if faces, code := d.Check(img); code != CodeNoFace {
			t.Errorf("%s: code %d with %d faces, want 9002", name, code, len(faces))
		}
	}
}

func TestMessages(t *testing.T) {
	for c := 9001; c <= 9007; c++ {
		m := Message(c)
		if m == "" || !strings.HasSuffix(m, ".") {
			t.Errorf("code %d: message %q", c, m)
		}
	}
	if Message(9003) != "Face is too small. Move the camera closer to the face and retake the picture." {
		t.Error("9003 message differs from DESIGN §4")
	}
	if Message(42) != "" {
		t.Error("unknown code has a message")
	}
}

// TestRealFaces checks detection on the shared real images: a face in
// ≥ 98 % of frontal_single, none in no_face, 9007 on every group photo.
func TestRealFaces(t *testing.T) {
	d := newDetector(t)
	dir, rows := facesManifest(t)
	type set struct {
		folder string
		n, hit int
	}
	front := inFolder(rows, "frontal_single")
	none := inFolder(rows, "no_face")
	multi := inFolder(rows, "multi")
	pose := inFolder(rows, "pose_varied")
	if testing.Short() {
		// wasm/-short: a deterministic subset, same assertions
		front, multi = every(front, 4), every(multi, 4)
	}
	found, codes := 0, map[int]int{}
	for _, r := range front {
		faces, code := d.Check(loadImage(t, filepath.Join(dir, r.File)))
		codes[code]++
		if len(faces) > 0 {
			found++
		} else {
			t.Logf("frontal_single: no face in %s", r.File)
		}
	}
	rate := float64(found) / float64(len(front))
	t.Logf("frontal_single: face found in %d/%d (%.1f %%); codes %v", found, len(front), 100*rate, codes)
	if rate < 0.98 {
		t.Errorf("face found in %.1f %% of frontal_single, want ≥ 98 %%", 100*rate)
	}
	for _, r := range none {
		faces, code := d.Check(loadImage(t, filepath.Join(dir, r.File)))
		t.Logf("no_face %s: %d faces, code %d", r.File, len(faces), code)
		if len(faces) != 0 || code != CodeNoFace {
			t.Errorf("no_face %s: %d faces, code %d", r.File, len(faces), code)
		}
	}
	ok := 0
	for _, r := range multi {
		faces, code := d.Check(loadImage(t, filepath.Join(dir, r.File)))
		t.Logf("multi %s: %d faces (%s), code %d", r.File, len(faces), r.Truth, code)
		if code == CodeManyFaces {
			ok++
		} else {
			t.Errorf("multi %s: code %d, want 9007", r.File, code)
		}
	}
	t.Logf("multi: 9007 on %d/%d group photos", ok, len(multi))
	for _, r := range pose {
		faces, code := d.Check(loadImage(t, filepath.Join(dir, r.File)))
		if len(faces) > 0 {
			t.Logf("pose_varied %s (%s): code %d roll %.1f yaw %.1f", r.File, r.Shows, code, faces[0].Roll, faces[0].Yaw)
		} else {
			t.Logf("pose_varied %s (%s): code %d (no face)", r.File, r.Shows, code)
		}
	}
}

func every(rows []manifestRow, k int) []manifestRow {
	var out []manifestRow
	for i := 0; i < len(rows); i += k {
		out = append(out, rows[i])
	}
	return out
}

// sourceFace loads a real frontal portrait that passes the face checks and
// returns it with its face.
func sourceFace(t *testing.T, d *Detector, name string) (*image.NRGBA, Face) {
	t.Helper()
	dir, _ := facesManifest(t)
	img := imaging.Clone(loadImage(t, filepath.Join(dir, "frontal_single", name)))
	faces, code := d.Check(img)
	if code != 0 {
		t.Fatalf("source %s: code %d (faces %d), want 0", name, code, len(faces))
	}
	return img, faces[0]
}

// TestSyntheticCodes builds each failure from real passing portraits by
// cropping, shrinking, rotating, padding and duplicating, and expects the
// exact code.
func TestSyntheticCodes(t *testing.T) {
	d := newDetector(t)
	sources := []string{"human_stock-emotions-b-7.jpg", "fr_img2.jpg", "deepface_img9.jpg"}
	if testing.Short() {
		sources = sources[:1]
	}
	gray := color.NRGBA{128, 128, 128, 255}
	for _, name := range sources {
		src, f := sourceFace(t, d, name)
		W, H := src.Bounds().Dx(), src.Bounds().Dy()
		box := func(cx, cy, side float64) image.Rectangle {
			return image.Rect(int(cx-side/2), int(cy-side/2), int(cx+side/2), int(cy+side/2))
		}
		cases := []struct {
			name string
			img  image.Image
			want int
		}{
			// face box ≈ 90 % of the short side
			{"close crop", imaging.Crop(src, box(f.X, f.Y, f.Size/0.9)), CodeTooClose},
			// face centre 0.2·Size from the left edge of a 2.5·Size crop
			{"cut at left", frameAt(src, f, 0.2*f.Size, 1.25*f.Size, int(2.6*f.Size), int(2.6*f.Size)), CodeCropped},
			// chin cut off by the bottom border
			{"cut at chin", imaging.Crop(src, image.Rect(int(f.X-1.25*f.Size), int(f.Y-1.6*f.Size), int(f.X+1.25*f.Size), int(f.Y+0.3*f.Size))), CodeCropped},
			// shrunk so the eyes are ~60 px apart
			{"shrunk", imaging.Resize(src, int(float64(W)*60/f.EyeDist), 0, imaging.Box), CodeTooSmall},
			// padded into a canvas 4x larger: box < 20 % of the short side
			{"padded", imaging.PasteCenter(imaging.New(4*W, 4*H, gray), src), CodeTooSmall},
			// head tilted by 30° and 35° (rotated about the face, padded)
			{"rotated 30", imaging.Rotate(imaging.Crop(src, box(f.X, f.Y, 2.6*f.Size)), 30, gray), CodeAngle},
			{"rotated -35", imaging.Rotate(imaging.Crop(src, box(f.X, f.Y, 2.6*f.Size)), -35, gray), CodeAngle},
			// the same portrait twice side by side
			{"duplicated", sideBySide(imaging.Crop(src, box(f.X, f.Y, 2.4*f.Size)), imaging.Crop(src, box(f.X, f.Y, 2.4*f.Size))), CodeManyFaces},
			// the face blanked out
			{"blanked", blank(src, box(f.X, f.Y, 1.6*f.Size)), CodeNoFace},
			// a readable crop of the same portrait passes
			{"natural", imaging.Crop(src, box(f.X, f.Y+0.4*f.Size, 2.6*f.Size)), 0},
		}
		for _, c := range cases {
			faces, code := d.Check(c.img)
			desc := ""
			if len(faces) > 0 {
				g := faces[0]
				desc = " " + faceString(g)
			}
			t.Logf("%s / %s: %v code %d, %d faces%s", name, c.name, c.img.Bounds().Size(), code, len(faces), desc)
			if code != c.want {
				t.Errorf("%s / %s: code %d, want %d", name, c.name, code, c.want)
			}
		}
	}
}

func faceString(f Face) string {
	return strings.TrimSpace(strings.ReplaceAll(
		imagingFmt("x=%.0f y=%.0f size=%.0f score=%.1f roll=%.1f yaw=%.1f eyes=%.0f ok=%v pass=%v",
			f.X, f.Y, f.Size, f.Score, f.Roll, f.Yaw, f.EyeDist, f.EyesOK, f.Angle), "\n", " "))
}

// frameAt places src on a w×h grey canvas so that the face centre lands at
// (cx, cy): a crop where the frame extends past the source, padded.
func frameAt(src *image.NRGBA, f Face, cx, cy float64, w, h int) *image.NRGBA {
	out := imaging.New(w, h, color.NRGBA{128, 128, 128, 255})
	return imaging.Paste(out, src, image.Pt(int(cx-f.X), int(cy-f.Y)))
}

func sideBySide(a, b image.Image) *image.NRGBA {
	w := a.Bounds().Dx() + b.Bounds().Dx()
	h := max(a.Bounds().Dy(), b.Bounds().Dy())
	out := imaging.New(w, h, color.NRGBA{128, 128, 128, 255})
	out = imaging.Paste(out, a, image.Pt(0, 0))
	return imaging.Paste(out, b, image.Pt(a.Bounds().Dx(), 0))
}

func blank(src *image.NRGBA, r image.Rectangle) *image.NRGBA {
	out := imaging.Clone(src)
	r = r.Intersect(out.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			out.SetNRGBA(x, y, color.NRGBA{150, 140, 130, 255})
		}
	}
	return out
}
