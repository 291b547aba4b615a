//go:build !(js && wasm)

package e2e

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"sort"
	"testing"
	"time"

	"github.com/globalgateway/ggcapture/internal/synth"
)

// patchScene is the e2e card with a patch of colour c over 15 % of it.
func patchScene(t *testing.T, c color.RGBA) image.Image {
	t.Helper()
	s := cardScene(t, synth.ID1, "Front", 0)
	img := image.NewRGBA(s.Image.Bounds())
	draw.Draw(img, img.Rect, s.Image, s.Image.Bounds().Min, draw.Src)
	q := s.Corners
	cx, cy := (q[0][0]+q[2][0])/2, (q[0][1]+q[2][1])/2
	hw, hh := 0.19*(q[1][0]-q[0][0]), 0.19*(q[3][1]-q[0][1])
	draw.Draw(img, image.Rect(int(cx-hw), int(cy-hh), int(cx+hw), int(cy+hh)), &image.Uniform{c}, image.Point{}, draw.Src)
	return img
}

// TestLiveGlareColour: every frame source hands the core colour, which
// tells a reflection (near white) from bright printed colour. A white
// hotspot over 15 % of the card keeps the live glare low (the capture
// never snaps: 1006); a bright yellow patch of the same size is not glare
// (the capture snaps). Chroma that did not reach the core, or reached it
// garbled, fails one of the two.
func TestLiveGlareColour(t *testing.T) {
	need(t)
	white := video(t, "patch-white", patchScene(t, color.RGBA{255, 255, 255, 255}))
	yellow := video(t, "patch-yellow", patchScene(t, color.RGBA{255, 255, 60, 255}))
	for _, src := range []string{"videoframe", "webgl", "canvas"} {
		t.Run(src, func(t *testing.T) {
			ctx := tab(t, white)
			setConfig(t, ctx, fmt.Sprintf(`{frameSource: %q, autoCaptureTimeoutMs: 4000}`, src))
			start(t, ctx, "w", "StartFrontDocumentCapture", true, false, token(t, nil))
			expectError(t, ctx, "w", 1006, 60*time.Second)
			gw := liveGlare(t, ctx)

			ctx = tab(t, yellow)
			setConfig(t, ctx, fmt.Sprintf(`{frameSource: %q, autoCaptureTimeoutMs: 60000}`, src))
			start(t, ctx, "y", "StartFrontDocumentCapture", true, false, token(t, nil))
			o := expectImage(t, ctx, "y", 90*time.Second)
			gy := liveGlare(t, ctx)
			doc := decodeDoc(t, o.Images[0])
			t.Logf("live glare median: white patch %.0f, yellow patch %.0f; the yellow capture's result glare %.1f", gw, gy, doc.Quality.Glare)
			if gw >= 50 || gy < 95 {
				t.Errorf("live glare: white patch %.0f (want < 50), yellow patch %.0f (want >= 95)", gw, gy)
			}
			if doc.Quality.Glare < 95 {
				t.Errorf("result glare of the yellow-patch card %.1f, want >= 95 (measured with colour on the crop)", doc.Quality.Glare)
			}
		})
	}
}

// liveGlare is the median live glare of the frames of the last capture
// in which the document was found.
func liveGlare(t *testing.T, ctx context.Context) float64 {
	t.Helper()
	tr := eval[[]any](t, ctx, `GlobalGatewayCapture.lastStats().trace.filter(e => (e[1] & 1) !== 0).map(e => e[7])`)
	var v []float64
	for _, x := range tr {
		if f, ok := x.(float64); ok {
			v = append(v, f)
		}
	}
	if len(v) == 0 {
		t.Fatal("no frame with a document found")
	}
	sort.Float64s(v)
	return v[len(v)/2]
}
