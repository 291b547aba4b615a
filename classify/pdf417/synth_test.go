package pdf417

import (
	"math/rand"
	"testing"

	"github.com/globalgateway/ggcapture/classify/aamva"
	"github.com/globalgateway/ggcapture/internal/synth"
)

// TestSynthCardBacks decodes licence backs drawn by the capture generator
// (internal/synth): an AAMVA symbol on an ID-1 back in a 1280x720 frame at
// 180-300 DPI, tilted up to ±25° about both axes, rolled ±8°, on the
// generator's backgrounds, with blur, noise and vignetting — what the
// back-capture flow hands to classify.
func TestSynthCardBacks(t *testing.T) {
	n := 40
	if testing.Short() {
		n = 4
	}
	rng := rand.New(rand.NewSource(11))
	ok := 0
	for i := 0; i < n; i++ {
		rec := randomAAMVA(rng)
		payload := aamva.Build(rec)
		sym, err := Encode([]byte(payload), EncodeOptions{AutoEC: true, Columns: 13})
		if err != nil {
			t.Fatal(err)
		}
		d := synth.Doc{
			Format: synth.ID1, Side: "Back", Seed: int64(1000 + i),
			Barcode:    sym.Image(1, 3, 2),
			DPI:        180 + rng.Float64()*120,
			TiltX:      (rng.Float64()*2 - 1) * 25,
			TiltY:      (rng.Float64()*2 - 1) * 25,
			Roll:       (rng.Float64()*2 - 1) * 8,
			Background: synth.Background(rng.Intn(5)),
			BlurSigma:  rng.Float64() * 0.8,
			Noise:      rng.Float64() * 6,
			Vignette:   rng.Float64() * 0.4,
		}
		s, err := synth.Render(d)
		if err != nil {
			t.Fatalf("#%d render: %v", i, err)
		}
		res, err := Decode(s.Image)
		if err != nil || res.Text != payload {
			t.Logf("#%d (tilt %.0f,%.0f roll %.0f blur %.2f dpi %.0f): %v", i, d.TiltX, d.TiltY, d.Roll, d.BlurSigma, s.DPI, err)
			continue
		}
		ok++
	}
	t.Logf("synthetic card backs (1280x720): %d/%d decoded exactly", ok, n)
	if float64(ok) < 0.9*float64(n) {
		t.Errorf("decoded %d/%d, want >= 90%%", ok, n)
	}
}
