//go:build !(js && wasm)

package e2e

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"github.com/globalgateway/ggcapture/internal/realdata"
	"github.com/globalgateway/ggcapture/liveness"
)

// faceDetector loads pigo's cascades from the SDK folder (copied by make sdk).
func faceDetector(t *testing.T) *liveness.Detector {
	t.Helper()
	dir := filepath.Join(repoRoot, "public", "GlobalGatewayCapturePublic", "cascade")
	ff, err := os.ReadFile(filepath.Join(dir, "facefinder"))
	if err != nil {
		t.Fatalf("cascade: %v", err)
	}
	pl, err := os.ReadFile(filepath.Join(dir, "puploc"))
	if err != nil {
		t.Fatalf("cascade: %v", err)
	}
	d, err := liveness.NewDetector(ff, pl)
	if err != nil {
		t.Fatalf("detector: %v", err)
	}
	return d
}

// facePhoto opens a real frontal face photo from the shared test set and
// returns it with its face box (skips when the test set is absent).
func facePhoto(t *testing.T, name string) (image.Image, liveness.Face) {
	t.Helper()
	p := filepath.Join(realdata.Dir(t, "faces", "frontal_single"), name)
	img, err := imaging.Open(p, imaging.AutoOrientation(true))
	if err != nil {
		t.Fatalf("open %s: %v", p, err)
	}
	faces, code := faceDetector(t).Check(img)
	if len(faces) == 0 {
		t.Fatalf("%s: no face found (code %d)", name, code)
	}
	return img, faces[0]
}

// placeFace draws photo onto a grey frame (dst), scaled so that its face
// box is frac of the frame's short side, with the face at the frame centre
// (dx shifts it horizontally by that fraction of the width).
func placeFace(dst *image.NRGBA, photo image.Image, f liveness.Face, frac, dx float64) {
	fw, fh := dst.Rect.Dx(), dst.Rect.Dy()
	k := frac * float64(min(fw, fh)) / f.Size
	b := photo.Bounds()
	w, h := int(float64(b.Dx())*k+0.5), int(float64(b.Dy())*k+0.5)
	scaled := imaging.Resize(photo, w, h, imaging.Linear)
	x := int(float64(fw)/2 + dx*float64(fw) - (f.X-float64(b.Min.X))*k)
	y := int(float64(fh)/2 - (f.Y-float64(b.Min.Y))*k)
	draw := imaging.Paste(dst, scaled, image.Pt(x, y))
	copy(dst.Pix, draw.Pix)
}

func greyFrame() *image.NRGBA { return greyFrameSized(1280, 720) }

func greyFrameSized(w, h int) *image.NRGBA {
	return imaging.New(w, h, color.NRGBA{R: 118, G: 122, B: 126, A: 255})
}

// approachVideo: a face photo held at a distance, then moved towards the
// camera (a flat photo: the active liveness test should see no perspective).
func approachVideo(t *testing.T) string { return approachVideoSized(t, "selfie-approach2", 1280, 720) }

// approachVideoSized is approachVideo on a w x h camera.
func approachVideoSized(t *testing.T, name string, fw, fh int) string {
	t.Helper()
	photo, face := facePhoto(t, "dlib_Tom_Cruise_avp_2014_4.jpg")
	const fps = 15
	var frames []image.Image
	add := func(frac float64, n int) {
		fr := greyFrameSized(fw, fh)
		placeFace(fr, photo, face, frac, 0)
		for i := 0; i < n; i++ {
			frames = append(frames, fr)
		}
	}
	add(0.25, fps*3/2) // 1.5 s in the first oval
	for i := 1; i <= fps; i++ {
		add(0.25+(0.64-0.25)*float64(i)/fps, 1) // 1 s moving closer
	}
	add(0.64, fps*6) // 6 s in the closer oval
	return videoSized(t, name, fps, fw, fh, frames...)
}

// TestAutoSelfie: the two-oval selfie flow with a real face photo returns an
// image and a liveness object, from a landscape camera and from one that
// gives upright frames (a phone held so).
func TestAutoSelfie(t *testing.T) {
	need(t)
	t.Run("1280x720", func(t *testing.T) { autoSelfie(t, approachVideo(t)) })
	t.Run("720x1280", func(t *testing.T) { autoSelfie(t, approachVideoSized(t, "selfie-approach-upright", 720, 1280)) })
}

func autoSelfie(t *testing.T, y4m string) {
	ctx := tab(t, y4m)
	setConfig(t, ctx, `{autoCaptureTimeoutMs: 60000}`)
	start(t, ctx, "selfie", "StartSelfieCapture", true, false, token(t, nil))
	o := finished(t, ctx, "selfie", 90*time.Second)
	settled(t, ctx, "selfie")
	t.Logf("guidance shown: %v", o.Guidance)
	if len(o.Errors) > 0 {
		tr := eval[[]any](t, ctx, `GlobalGatewayCapture.lastStats().trace`)
		for i, x := range tr {
			if i < 400 {
				t.Logf("trace %v", x)
			}
		}
		t.Fatalf("showError %+v", o.Errors[0])
	}
	r := decodeDoc(t, o.Images[0])
	img := jpegOf(t, r.Image)
	b := img.Bounds()
	if max(b.Dx(), b.Dy()) > 1280 || b.Dy() <= b.Dx() {
		t.Errorf("selfie %dx%d: want a portrait ≤ 1280 px", b.Dx(), b.Dy())
	}
	lr, _ := r.Liveness["LivenessResult"].(map[string]any)
	t.Logf("selfie %dx%d, liveness %v", b.Dx(), b.Dy(), r.Liveness)
	if lr == nil && r.Liveness["ErrorCode"] == nil {
		t.Fatalf("liveness object has neither a verdict nor an error code: %v", r.Liveness)
	}
	if lr != nil {
		v := lr["LivenessAssessment"]
		if v != "Pass" && v != "Fail" {
			t.Errorf("LivenessAssessment %v", v)
		}
		// A flat photo moved towards the camera is an attack the burst test
		// is built to catch.
		if v != "Fail" {
			t.Errorf("a flat photo moved towards the camera got %v, want Fail", v)
		}
	}
	seen := map[string]bool{}
	for _, g := range o.Guidance {
		seen[g] = true
	}
	if !seen["move_closer"] {
		t.Errorf("the closer-oval stage never asked to move closer: %v", o.Guidance)
	}
}

// TestSelfieNoFaceTimesOut: no face → "Center your face", then 1006.
func TestSelfieNoFaceTimesOut(t *testing.T) {
	need(t)
	ctx := tab(t, video(t, "nothing", blankScene(t).Image))
	setConfig(t, ctx, `{autoCaptureTimeoutMs: 4000}`)
	start(t, ctx, "noface", "StartSelfieCapture", true, false, token(t, nil))
	o := expectError(t, ctx, "noface", 1006, 60*time.Second)
	found := false
	for _, g := range o.Guidance {
		found = found || g == "center_face"
	}
	if !found {
		t.Errorf("guidance never said center_face: %v", o.Guidance)
	}
}

// TestSelfieTwoFaces: two faces → "Only one face".
func TestSelfieTwoFaces(t *testing.T) {
	need(t)
	a, fa := facePhoto(t, "dlib_Tom_Cruise_avp_2014_4.jpg")
	b, fb := facePhoto(t, "skimage_astronaut.png")
	fr := greyFrame()
	placeFace(fr, a, fa, 0.30, -0.2)
	placeFace(fr, b, fb, 0.30, 0.2)
	ctx := tab(t, video(t, "two-faces", fr))
	setConfig(t, ctx, `{autoCaptureTimeoutMs: 60000}`)
	start(t, ctx, "two", "StartSelfieCapture", true, false, token(t, nil))
	wait(t, ctx, `window.__gg.two.guidance.includes('only_one_face')`, 60*time.Second)
	eval[bool](t, ctx, `(GlobalGatewayCapture.cancel(), true)`)
	expectError(t, ctx, "two", 1020, 10*time.Second)
}

// TestManualSelfieNoFace: a manual selfie without a face gets liveness 9002.
func TestManualSelfieNoFace(t *testing.T) {
	need(t)
	p := filepath.Join(workDir, "noface.png")
	writePNG(t, p, blankScene(t).Image)
	ctx := tab(t, "")
	start(t, ctx, "mself", "StartSelfieCapture", false, false, token(t, nil))
	upload(t, ctx, p)
	o := expectImage(t, ctx, "mself", 60*time.Second)
	r := decodeDoc(t, o.Images[0])
	if code, _ := r.Liveness["ErrorCode"].(float64); code != 9002 {
		t.Fatalf("liveness %v, want ErrorCode 9002", r.Liveness)
	}
	if r.Liveness["LivenessResult"] != nil {
		if lr, ok := r.Liveness["LivenessResult"].(map[string]any); ok && lr["LivenessAssessment"] != nil {
			t.Errorf("a face error must carry a null assessment: %v", r.Liveness)
		}
	}
}
