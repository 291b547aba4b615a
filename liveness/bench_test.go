package liveness

import (
	"image"
	"image/color"
	"path/filepath"
	"testing"

	"github.com/disintegration/imaging"
	"github.com/globalgateway/ggcapture/internal/realdata"
)

// selfieFrame is a 1280x720 gray frame with a real face filling a selfie
// oval (box ≈ 40 % of the height) when test data is present, else a
// textured frame with no face (the detector's cost is about the same: most
// windows are rejected by the first trees either way).
func selfieFrame(b testing.TB) (*image.Gray, *image.NRGBA) {
	canvas := imaging.New(1280, 720, color.NRGBA{110, 120, 130, 255})
	if d := realdata.Find(); d != "" {
		img, err := imaging.Open(filepath.Join(d, "faces", "frontal_single", "human_stock-emotions-b-7.jpg"), imaging.AutoOrientation(true))
		if err == nil {
			// face box ≈ 360 px of 1280 px width in the source: scale to ≈ 290 px
			img = imaging.Resize(img, 820, 0, imaging.Linear)
			canvas = imaging.PasteCenter(canvas, imaging.CropCenter(img, 640, 720))
		}
	} else {
		for y := 0; y < 720; y++ {
			for x := 0; x < 1280; x++ {
				v := uint8((x*7 + y*13 + (x*y)%97) % 256)
				canvas.SetNRGBA(x, y, color.NRGBA{v, v, v, 255})
			}
		}
	}
	g := image.NewGray(canvas.Bounds())
	for i := 0; i < len(g.Pix); i++ {
		p := canvas.Pix[4*i : 4*i+3]
		g.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000)
	}
	return g, canvas
}

// BenchmarkFaces is the per-frame browser path on a 1280x720 luma frame
// with FrameParams (MinFrac 0.15 → 108 px windows, shift 0.1, scale 1.1,
// one of 3 scale groups per frame plus tracking of the face), in the steady
// state of a video.
func BenchmarkFaces(b *testing.B) {
	d := newDetector(b)
	g, _ := selfieFrame(b)
	// steady state of a video: the face has been found and is tracked
	for i := 0; i < d.Frame.ScaleGroups; i++ {
		d.Faces(g)
	}
	n := len(d.Faces(g))
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuNanos()
	defer func() { reportCPU(b, c0) }()
	for i := 0; i < b.N; i++ {
		d.Faces(g)
	}
	b.ReportMetric(float64(n), "faces")
}

// BenchmarkFacesFullScan is one complete single-frame scan (ScaleGroups 1,
// no tracking): the cost of the first frame, or of Faces on a still.
func BenchmarkFacesFullScan(b *testing.B) {
	d := newDetector(b)
	d.Frame.ScaleGroups, d.Frame.Track = 1, false
	g, _ := selfieFrame(b)
	n := len(d.Faces(g))
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuNanos()
	defer func() { reportCPU(b, c0) }()
	for i := 0; i < b.N; i++ {
		d.Faces(g)
	}
	b.ReportMetric(float64(n), "faces")
}

func BenchmarkCheck(b *testing.B) {
	d := newDetector(b)
	_, img := selfieFrame(b)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuNanos()
	defer func() { reportCPU(b, c0) }()
	for i := 0; i < b.N; i++ {
		d.Check(img)
	}
}

func BenchmarkAssess(b *testing.B) {
	d := newDetector(b)
	_, img := selfieFrame(b)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuNanos()
	defer func() { reportCPU(b, c0) }()
	for i := 0; i < b.N; i++ {
		d.Assess(img, nil)
	}
}

func reportCPU(b *testing.B, c0 int64) {
	if c := cpuNanos(); c > 0 && b.N > 0 {
		b.ReportMetric(float64(c-c0)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkAssessBurst is the service's verdict with a 4-frame 480x640
// burst (the 3-D head model approaching 2.2×); needs the real test images.
func BenchmarkAssessBurst(b *testing.B) {
	d := newDetector(b)
	dir := realdata.Find()
	if dir == "" {
		b.Skip("real test images not found")
	}
	img, err := imaging.Open(filepath.Join(dir, "faces", "frontal_single", "human_stock-emotions-b-7.jpg"), imaging.AutoOrientation(true))
	if err != nil {
		b.Skip(err)
	}
	src := imaging.Clone(img)
	faces, code := d.Check(src)
	if code != 0 {
		b.Fatalf("code %d", code)
	}
	frames := burst(src, faces[0], []float64{4.5, 3.6, 2.9, 2.2}, headDepth, 480, 640, 150)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuNanos()
	defer func() { reportCPU(b, c0) }()
	for i := 0; i < b.N; i++ {
		if a, _ := d.Assess(src, frames); a.Result() != Pass {
			b.Fatal("not Pass")
		}
	}
}
