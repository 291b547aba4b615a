package quality

import (
	"testing"
)

func TestQuickFixture(t *testing.T) {
	q := Quad{{250, 140}, {1010, 170}, {990, 600}, {270, 620}}
	g := fixture(1280, 720, q, FormatID1, 1)
	a := NewAnalyzer(nil)
	var r FrameResult
	if err := a.Analyze(&r, g, FormatID1); err != nil {
		t.Fatal(err)
	}
	t.Logf("lines=%d pairs=%d edges=%d", a.det.nLines, a.det.nPairs, len(a.det.edges))
	t.Logf("%+v", r)
	for _, s := range []float64{0, 0.5, 1, 1.5, 2, 3} {
		b := blurGray(g, s)
		t.Logf("sigma %.1f sharp %.1f", s, Sharpness(b, b.Rect))
	}
}
