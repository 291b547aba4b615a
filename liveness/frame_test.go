package liveness

import (
	"image"
	"image/color"
	"math"
	"math/rand"
	"testing"

	"github.com/disintegration/imaging"
)

// grayOf converts an NRGBA image to BT.601 luma.
func grayOf(m *image.NRGBA) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, m.Rect.Dx(), m.Rect.Dy()))
	for y := 0; y < m.Rect.Dy(); y++ {
		for x := 0; x < m.Rect.Dx(); x++ {
			p := m.Pix[y*m.Stride+4*x:]
			g.Pix[y*g.Stride+x] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
		}
	}
	return g
}

// TestFramesRealFaces places real faces in 1280x720 selfie frames at random
// positions with the face box 20–45 % of the frame height (the range the
// oval guidance works in) and checks the per-frame path finds exactly that
// face, near its true position and size.
func TestFramesRealFaces(t *testing.T) {
	d := newDetector(t)
	imgs, faces, names := bonaFide(t, d)
	if len(imgs) == 0 {
		t.Skip("no bona fide portraits")
	}
	rng := rand.New(rand.NewSource(3))
	per := 4
	if testing.Short() {
		per = 1
		imgs = imgs[:min(len(imgs), 4)]
	}
	total, hit, extra := 0, 0, 0
	var posErr, sizeErr float64
	for i, src := range imgs {
		f := faces[i]
		for k := 0; k < per; k++ {
			want := (0.2 + 0.25*rng.Float64()) * 720
			sc := want / f.Size
			m := imaging.Resize(src, int(float64(src.Rect.Dx())*sc), 0, imaging.Linear)
			cx := 640 + (rng.Float64()*2-1)*(640-want)
			cy := 360 + (rng.Float64()*2-1)*(360-want*0.8)
			frame := imaging.New(1280, 720, color.NRGBA{90, 100, 110, 255})
			frame = imaging.Paste(frame, m, image.Pt(int(cx-f.X*sc), int(cy-f.Y*sc)))
			// a face appears: within ScaleGroups frames it is found
			gf := grayOf(frame)
			d.Reset()
			var got []Face
			for k := 0; k < max(1, d.Frame.ScaleGroups); k++ {
				got = d.Faces(gf)
			}
			total++
			if len(got) == 0 {
				t.Logf("%s #%d: no face (size %.0f at %.0f,%.0f)", names[i], k, want, cx, cy)
				continue
			}
			g := got[0]
			pe := math.Hypot(g.X-cx, g.Y-cy) / want
			se := math.Abs(g.Size-want) / want
			if pe < 0.25 && se < 0.3 {
				hit++
				posErr += pe
				sizeErr += se
			} else {
				t.Logf("%s #%d: face off: got %.0f,%.0f size %.0f want %.0f,%.0f size %.0f", names[i], k, g.X, g.Y, g.Size, cx, cy, want)
			}
			if len(got) > 1 {
				extra++
				t.Logf("%s #%d: %d faces", names[i], k, len(got))
			}
		}
	}
	t.Logf("per-frame: %d/%d faces found at the right place (mean centre error %.1f %%, size error %.1f %% of the size); %d frames with extra faces",
		hit, total, 100*posErr/float64(max(hit, 1)), 100*sizeErr/float64(max(hit, 1)), extra)
	if float64(hit) < 0.95*float64(total) || float64(extra) > 0.05*float64(total) {
		t.Errorf("per-frame detection: %d/%d found, %d with extra faces", hit, total, extra)
	}
}

// TestTrackingStable: a real face drifting 6 px and growing 1 % per frame in
// a 1280x720 video is reported on every frame once found (3 frames).
func TestTrackingStable(t *testing.T) {
	d := newDetector(t)
	imgs, faces, names := bonaFide(t, d)
	if testing.Short() && len(imgs) > 2 {
		imgs = imgs[:2]
	}
	tracked, missed := 0, 0
	for i, src := range imgs {
		f := faces[i]
		sc := 250 / f.Size
		m := imaging.Resize(src, int(float64(src.Rect.Dx())*sc), 0, imaging.Linear)
		frame := imaging.New(1280, 720, color.NRGBA{90, 100, 110, 255})
		d.Reset()
		miss := 0
		for k := 0; k < 12; k++ {
			mk := imaging.Resize(m, int(float64(m.Rect.Dx())*(1+0.01*float64(k))), 0, imaging.Linear)
			g := imaging.Paste(frame, mk, image.Pt(640-int(f.X*sc)+6*k, 360-int(f.Y*sc)))
			got := d.Faces(grayOf(g))
			if k >= d.Frame.ScaleGroups {
				tracked++
				if len(got) == 0 {
					miss++
				}
			}
		}
		missed += miss
		if miss > 0 {
			t.Logf("%s: missed %d frames", names[i], miss)
		}
	}
	t.Logf("tracking: face reported on %d/%d frames after acquisition", tracked-missed, tracked)
	if float64(missed) > 0.05*float64(tracked) {
		t.Errorf("tracking lost the face on %d/%d frames", missed, tracked)
	}
}
