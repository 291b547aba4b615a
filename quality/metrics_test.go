package quality

import (
	"image"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	_ "image/jpeg"
	_ "image/png"

	"github.com/globalgateway/ggcapture/internal/realdata"
	"github.com/globalgateway/ggcapture/internal/synth"
)

func quadBounds(q Quad) image.Rectangle {
	minX, minY, maxX, maxY := q[0].X, q[0].Y, q[0].X, q[0].Y
	for _, p := range q[1:] {
		minX, minY = math.Min(minX, p.X), math.Min(minY, p.Y)
		maxX, maxY = math.Max(maxX, p.X), math.Max(maxY, p.Y)
	}
	return image.Rect(int(minX), int(minY), int(maxX), int(maxY))
}

// innerRect is the axis-aligned rectangle well inside an (almost upright) quad.
func innerRect(q Quad) image.Rectangle {
	x0 := math.Max(q[0].X, q[3].X)
	x1 := math.Min(q[1].X, q[2].X)
	y0 := math.Max(q[0].Y, q[1].Y)
	y1 := math.Min(q[2].Y, q[3].Y)
	dx, dy := 0.05*(x1-x0), 0.05*(y1-y0)
	return image.Rect(int(x0+dx), int(y0+dy), int(x1-dx), int(y1-dy))
}

// TestSharpnessBlurSeries: a crisp 300-DPI card scores >= 70, sigma = 2 < 50,
// and the score falls strictly with sigma (Sharpness, Analyze and Measure).
func TestSharpnessBlurSeries(t *testing.T) {
	sigmas := []float64{0, 0.5, 1, 1.5, 2, 3, 4}
	seeds := []int64{1, 2}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for si, seed := range seeds {
		for _, bg := range []synth.Background{[]synth.Background{synth.Desk, synth.Plain}[si%2]} {
			prev, prevA, prevM := math.Inf(1), math.Inf(1), math.Inf(1)
			for _, s := range sigmas {
				smp, err := synth.Render(synth.Doc{Format: synth.ID1, Seed: seed, DPI: 300, BlurSigma: s, Background: bg, TiltX: 5, TiltY: -4, Roll: 2})
				if err != nil {
					t.Fatal(err)
				}
				g := toGray(smp.Image)
				truth := toQuad(smp.Corners)
				v := Sharpness(g, innerRect(truth))
				var r FrameResult
				if err := NewAnalyzer(nil).Analyze(&r, g, FormatID1); err != nil {
					t.Fatal(err)
				}
				crop, err := CropDeskew(smp.Image, truth, FormatID1, 0)
				if err != nil {
					t.Fatal(err)
				}
				m := Measure(crop, smp.DPI)
				t.Logf("seed %d %v sigma %.1f: Sharpness %.1f  Analyze %.1f (found %v)  Measure(crop) %.1f", seed, bg, s, v, r.Sharpness, r.Found, m.Sharpness)
				if v >= prev || m.Sharpness >= prevM {
					t.Errorf("seed %d %v sigma %.1f: sharpness not falling (%.1f after %.1f; measure %.1f after %.1f)", seed, bg, s, v, prev, m.Sharpness, prevM)
				}
				if r.Found && r.Sharpness >= prevA {
					t.Errorf("seed %d %v sigma %.1f: Analyze sharpness not falling (%.1f after %.1f)", seed, bg, s, r.Sharpness, prevA)
				}
				if s == 0 && (v < 70 || m.Sharpness < 70) {
					t.Errorf("crisp card scores %.1f / measure %.1f, want >= 70", v, m.Sharpness)
				}
				if s == 2 && (v >= 50 || m.Sharpness >= 50) {
					t.Errorf("sigma 2 scores %.1f / measure %.1f, want < 50", v, m.Sharpness)
				}
				prev, prevM = v, m.Sharpness
				if r.Found {
					prevA = r.Sharpness
				}
			}
		}
	}
}

// TestSharpnessContrastInvariant: halving the contrast barely moves the score.
func TestSharpnessContrastInvariant(t *testing.T) {
	smp, err := synth.Render(synth.Doc{Format: synth.ID1, Seed: 4, DPI: 300, BlurSigma: 1})
	if err != nil {
		t.Fatal(err)
	}
	g := toGray(smp.Image)
	r := innerRect(toQuad(smp.Corners))
	low := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		low.Pix[i] = 64 + v/2
	}
	a, b := Sharpness(g, r), Sharpness(low, r)
	t.Logf("full contrast %.1f, half contrast %.1f", a, b)
	if math.Abs(a-b) > 8 {
		t.Errorf("contrast changes sharpness from %.1f to %.1f", a, b)
	}
}

// TestGlareMonotone: glare falls strictly as the hotspot grows; no hotspot = ~100.
func TestGlareMonotone(t *testing.T) {
	areas := []float64{0, 0.005, 0.01, 0.02, 0.04, 0.08, 0.15}
	seeds := []int64{1, 2, 3}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		for _, side := range []string{"Front", "Back"} {
			prev, prevA := math.Inf(1), math.Inf(1)
			for _, ar := range areas {
				smp, err := synth.Render(synth.Doc{Format: synth.ID1, Seed: seed, Side: side, Glare: ar, GlareStrength: 1, Background: synth.Desk, TiltX: -6, TiltY: 8})
				if err != nil {
					t.Fatal(err)
				}
				g := toGray(smp.Image)
				v := Glare(g, toQuad(smp.Corners))
				var r FrameResult
				_ = NewAnalyzer(nil).Analyze(&r, g, FormatID1)
				// Analyze's glare is checked only when it measured the document
				// (its quad within 1.5 % of the truth); detection accuracy has
				// its own tests (TestSynthAccuracy).
				if r.Found {
					m, diag := cornerErr(r.Quad, toQuad(smp.Corners))
					r.Found = m <= 0.015*diag
				}
				t.Logf("seed %d %s area %.3f: Glare %.1f  Analyze %.1f (quad correct %v)", seed, side, ar, v, r.Glare, r.Found)
				if v >= prev {
					t.Errorf("seed %d %s area %.3f: glare %.1f not below %.1f", seed, side, ar, v, prev)
				}
				if r.Found && r.Glare >= prevA && ar > 0 {
					t.Errorf("seed %d %s area %.3f: Analyze glare %.1f not below %.1f", seed, side, ar, r.Glare, prevA)
				}
				if ar == 0 && v < 95 {
					t.Errorf("no hotspot scores %.1f, want >= 95", v)
				}
				if ar >= 0.08 && v >= 50 {
					t.Errorf("area %.2f scores %.1f, want < 50", ar, v)
				}
				prev = v
				if r.Found {
					prevA = r.Glare
				}
			}
		}
	}
}

// TestGlareWhiteCard: a blank white card on a dark desk is not glare.
func TestGlareWhiteCard(t *testing.T) {
	smp, err := synth.Render(synth.Doc{Format: synth.ID1, Seed: 9, Blank: true, Background: synth.Plain, Noise: 3})
	if err != nil {
		t.Fatal(err)
	}
	v := Glare(toGray(smp.Image), toQuad(smp.Corners))
	if v < 95 {
		t.Errorf("white card glare %.1f, want >= 95", v)
	}
}

// auc is the probability that a random positive scores above a random negative.
func auc(pos, neg []float64) float64 {
	var s float64
	for _, p := range pos {
		for _, n := range neg {
			switch {
			case p > n:
				s++
			case p == n:
				s += 0.5
			}
		}
	}
	return s / float64(len(pos)*len(neg))
}

func loadGray(t *testing.T, path string) *image.Gray {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return toGray(img)
}

// TestRealDataSharpnessAUC: on the shared real photos, Sharpness ranks the
// blurry ones below the sharp ones (ROC AUC).
func TestRealDataSharpnessAUC(t *testing.T) {
	dir := realdata.Dir(t, "quality")
	score := func(sub string) []float64 {
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
		sort.Strings(files)
		var out []float64
		for _, fn := range files {
			l := strings.ToLower(fn)
			if !strings.HasSuffix(l, ".jpg") && !strings.HasSuffix(l, ".jpeg") && !strings.HasSuffix(l, ".png") {
				continue
			}
			g := loadGray(t, fn)
			v := Sharpness(g, g.Rect)
			t.Logf("%-8s %-45s %.1f", sub, filepath.Base(fn), v)
			out = append(out, v)
		}
		return out
	}
	sharp, blur := score("sharp"), score("blur")
	if len(sharp) == 0 || len(blur) == 0 {
		t.Skip("no sharp/blur images")
	}
	a := auc(sharp, blur)
	t.Logf("real data: sharpness ROC AUC (sharp above blurry) = %.3f over %d sharp / %d blurry photos", a, len(sharp), len(blur))
	if a < realAUCMin {
		t.Errorf("AUC %.3f < %.2f", a, realAUCMin)
	}
}
