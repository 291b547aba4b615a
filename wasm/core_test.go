package main

import (
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/globalgateway/ggcapture/internal/realdata"
	"github.com/globalgateway/ggcapture/internal/synth"
	"github.com/globalgateway/ggcapture/liveness"
	"github.com/globalgateway/ggcapture/quality"
)

func grayOf(img *image.NRGBA) *image.Gray {
	g := image.NewGray(img.Rect)
	for i := range g.Pix {
		p := img.Pix[4*i:]
		g.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000)
	}
	return g
}

// feed runs gray frames through the core as the shim would, at 30 fps.
func feed(c *Core, frames []*image.Gray, t0 float64) (flags []int, keys []string) {
	names := GuidanceKeys()
	for i, g := range frames {
		b := c.Buffer(0, len(g.Pix))
		copy(b, g.Pix)
		w, h := g.Rect.Dx(), g.Rect.Dy()
		c.Frame(FrameDesc{Format: "GRAY", Width: w, Height: h, Stride: w, FullW: w, FullH: h}, t0+float64(i)*1000/30)
		flags = append(flags, int(c.Out[outFlags]))
		keys = append(keys, names[int(c.Out[outGuidance])])
	}
	return flags, keys
}

func TestSelfieStages(t *testing.T) {
	dir := realdata.Dir(t, "faces", "frontal_single")
	root := filepath.Join("..", "public", "GlobalGatewayCapturePublic", "cascade")
	ff, err1 := os.ReadFile(filepath.Join(root, "facefinder"))
	pl, err2 := os.ReadFile(filepath.Join(root, "puploc"))
	if err1 != nil || err2 != nil {
		t.Skip("cascades not copied (make sdk)")
	}
	c := NewCore()
	if err := c.LoadCascades(ff, pl); err != nil {
		t.Fatal(err)
	}
	photo, err := imaging.Open(filepath.Join(dir, "dlib_Tom_Cruise_avp_2014_4.jpg"), imaging.AutoOrientation(true))
	if err != nil {
		t.Fatal(err)
	}
	faces, _ := c.selfie.det.Check(photo)
	f := faces[0]
	frame := func(frac float64) *image.Gray {
		k := frac * 720 / f.Size
		b := photo.Bounds()
		sc := imaging.Resize(photo, int(float64(b.Dx())*k+0.5), int(float64(b.Dy())*k+0.5), imaging.Linear)
		fr := imaging.New(1280, 720, color.NRGBA{118, 122, 126, 255})
		return grayOf(imaging.Paste(fr, sc, image.Pt(int(640-f.X*k), int(360-f.Y*k))))
	}
	if err := c.Begin("selfie", SessionConfig{TimeoutMs: 60000}); err != nil {
		t.Fatal(err)
	}
	var seq []*image.Gray
	small, big := frame(0.25), frame(0.64)
	for i := 0; i < 45; i++ {
		seq = append(seq, small)
	}
	for i := 1; i <= 30; i++ {
		seq = append(seq, frame(0.25+0.39*float64(i)/30))
	}
	for i := 0; i < 60; i++ {
		seq = append(seq, big)
	}
	flags, keys := feed(c, seq, 0)
	snap, bursts := -1, 0
	for i, fl := range flags {
		if snap >= 0 {
			break
		}
		if fl&flagBurst != 0 {
			bursts++
		}
		if fl&flagSnap != 0 {
			snap = i
		}
	}
	flags = flags[:snap+1]
	t.Logf("guidance: %v", keys)
	t.Logf("flags: %v", flags)
	if snap < 0 {
		t.Fatalf("never snapped")
	}
	if bursts < 3 || bursts > maxBurst {
		t.Errorf("%d burst frames, want 3..%d", bursts, maxBurst)
	}
	// The burst spans the approach: the first at the end of stage 1 (small
	// face), the last at the snap (big face).
	first, last := -1, -1
	for i, fl := range flags {
		if fl&flagBurst != 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first >= 45 || last != snap {
		t.Errorf("burst frames from %d to %d; want the first before the approach (frame 45) and the last at the snap (%d)", first, last, snap)
	}
}

// TestDocumentSnap runs a synthetic card through the core the way the shim
// does: frames until the snap, then the RGBA snapshot of the kept frame.
func TestDocumentSnap(t *testing.T) {
	s, err := synth.Render(synth.Doc{Format: synth.ID1, Side: "Front", Seed: 5, Width: 1280, Height: 720, DPI: 280, TiltX: 5, Background: synth.Clutter})
	if err != nil {
		t.Fatal(err)
	}
	c := NewCore()
	if err := c.Begin("front", SessionConfig{}); err != nil {
		t.Fatal(err)
	}
	g := grayOf(s.Image)
	seq := make([]*image.Gray, 40)
	for i := range seq {
		seq[i] = g
	}
	flags, keys := feed(c, seq, 0)
	if firstSnap(flags) < 0 {
		t.Fatalf("never snapped: %v", keys)
	}
	res := snapChecked(t, c, s)
	if res.Quality.Sharpness < 70 || res.Quality.Glare < 90 {
		t.Errorf("quality %+v", res.Quality)
	}
}

// TestDocumentTurned: a phone held upright (720x1280 frames: turn_sideways)
// and then turned sideways mid-capture (1280x720 frames of the same card):
// the frame size changes between frames, the capture snaps on the
// landscape frames and the result is the card.
func TestDocumentTurned(t *testing.T) {
	up, err := synth.Render(synth.Doc{Format: synth.ID1, Side: "Front", Seed: 5, Width: 720, Height: 1280, DPI: 0.85 * 720 / 3.370, Background: synth.Desk})
	if err != nil {
		t.Fatal(err)
	}
	side, err := synth.Render(synth.Doc{Format: synth.ID1, Side: "Front", Seed: 5, Width: 1280, Height: 720, DPI: 280, TiltX: 5, Background: synth.Desk})
	if err != nil {
		t.Fatal(err)
	}
	c := NewCore()
	if err := c.Begin("front", SessionConfig{}); err != nil {
		t.Fatal(err)
	}
	var seq []*image.Gray
	for range 15 {
		seq = append(seq, grayOf(up.Image))
	}
	for range 40 {
		seq = append(seq, grayOf(side.Image))
	}
	flags, keys := feed(c, seq, 0)
	if keys[14] != "turn_sideways" {
		t.Errorf("upright frames: guidance %v", keys[:15])
	}
	if snap := firstSnap(flags); snap < 15 {
		t.Fatalf("snap at frame %d (want on a landscape frame): %v", snap, keys)
	}
	snapChecked(t, c, side)
}

// firstSnap is the index of the first frame whose flags say snap, or -1.
func firstSnap(flags []int) int {
	for i, fl := range flags {
		if fl&flagSnap != 0 {
			return i
		}
	}
	return -1
}

// snapChecked hands the scene's 1280x720 RGBA frame to Snap and checks
// that the result's DPI is within 3 % of the scene's.
func snapChecked(t *testing.T, c *Core, s synth.Sample) *Result {
	t.Helper()
	buf := c.Buffer(1, len(s.Image.Pix))
	copy(buf, s.Image.Pix)
	res, e := c.Snap(0, 1280, 720, 1280*4, Meta{Mode: "auto", CaptureType: "DOCUMENT_FRONT"})
	if e != nil {
		t.Fatalf("snap: %v", e)
	}
	if res.Quality.DPI < 0.97*s.DPI || res.Quality.DPI > 1.03*s.DPI {
		t.Errorf("dpi %.1f, truth %.1f", res.Quality.DPI, s.DPI)
	}
	return res
}

// TestFrameAllocs: the per-frame path of a document session allocates nothing.
func TestFrameAllocs(t *testing.T) {
	s, err := synth.Render(synth.Doc{Format: synth.ID1, Side: "Front", Seed: 9, Width: 1280, Height: 720})
	if err != nil {
		t.Fatal(err)
	}
	c := NewCore()
	c.Begin("front", SessionConfig{TimeoutMs: 1e9})
	g := grayOf(s.Image)
	if n := frameAllocs(c, g.Pix, FrameDesc{Format: "GRAY", Width: 1280, Height: 720, Stride: 1280, FullW: 1280, FullH: 720}); n != 0 {
		t.Errorf("Frame allocates %.1f times per call, want 0", n)
	}
}

// frameAllocs is the average number of allocations of c.Frame on frame
// (copied into buffer 0 before each call, at 33 ms steps).
func frameAllocs(c *Core, frame []byte, fd FrameDesc) float64 {
	b := c.Buffer(0, len(frame))
	tm := 0.0
	return testing.AllocsPerRun(20, func() {
		copy(b, frame)
		c.Frame(fd, tm)
		tm += 33
	})
}

// i420 packs img as an I420 frame (Y, then Cb, then Cr planes) and returns
// the buffer with the frame description.
func i420(img image.Image) ([]byte, FrameDesc) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	buf := make([]byte, w*h+2*cw*ch)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			yy, u, v := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bb>>8))
			buf[y*w+x] = yy
			if x%2 == 0 && y%2 == 0 {
				buf[w*h+(y/2)*cw+x/2] = u
				buf[w*h+cw*ch+(y/2)*cw+x/2] = v
			}
		}
	}
	return buf, FrameDesc{Format: "I420", Width: w, Height: h, Stride: w, FullW: w, FullH: h,
		UOffset: w * h, VOffset: w*h + cw*ch, CStride: cw}
}

// TestFrameColour: I420 frames with their chroma planes, and RGBA frames,
// find the card; a chroma description outside the buffer is ignored (luma
// only), never a panic; and the colour path allocates nothing per frame.
func TestFrameColour(t *testing.T) {
	s, err := synth.Render(synth.Doc{Format: synth.ID1, Side: "Front", Seed: 9, Width: 1280, Height: 720, Background: synth.Wood, TiltX: 6})
	if err != nil {
		t.Fatal(err)
	}
	frame, fd := i420(s.Image)
	rgba := image.NewNRGBA(s.Image.Bounds())
	draw.Draw(rgba, rgba.Rect, s.Image, s.Image.Bounds().Min, draw.Src)
	small := imaging.Resize(rgba, 640, 360, imaging.Box)
	bad := fd
	bad.UOffset, bad.VOffset = len(frame)-10, len(frame)-5
	cases := []struct {
		name string
		buf  []byte
		fd   FrameDesc
	}{
		{"I420", frame, fd},
		{"I420 chroma out of range", frame, bad},
		{"RGBA", rgba.Pix, FrameDesc{Format: "RGBA", Width: 1280, Height: 720, Stride: rgba.Stride, FullW: 1280, FullH: 720}},
		{"RGBA 640x360 (canvas)", small.Pix, FrameDesc{Format: "RGBA", Width: 640, Height: 360, Stride: small.Stride, FullW: 1280, FullH: 720}},
	}
	for _, tc := range cases {
		c := NewCore()
		c.Begin("front", SessionConfig{TimeoutMs: 1e9})
		copy(c.Buffer(0, len(tc.buf)), tc.buf)
		c.Frame(tc.fd, 0)
		if int(c.Out[outFlags])&flagFound == 0 {
			t.Errorf("%s: no document found", tc.name)
		}
	}
	c := NewCore()
	c.Begin("front", SessionConfig{TimeoutMs: 1e9})
	if n := frameAllocs(c, frame, fd); n != 0 {
		t.Errorf("I420 Frame allocates %.1f times per call, want 0", n)
	}
}

func BenchmarkFrameDocument720p(b *testing.B) {
	s, err := synth.Render(synth.Doc{Format: synth.ID1, Side: "Front", Seed: 9, Width: 1280, Height: 720})
	if err != nil {
		b.Fatal(err)
	}
	c := NewCore()
	c.Begin("front", SessionConfig{TimeoutMs: 1e12})
	g := grayOf(s.Image)
	buf := c.Buffer(0, len(g.Pix))
	copy(buf, g.Pix)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.Frame(FrameDesc{Format: "GRAY", Width: 1280, Height: 720, Stride: 1280, FullW: 1280, FullH: 720}, float64(i))
	}
}

// TestSelfieStagesNeedMotion: the two stages force the approach the liveness
// burst test needs.
func TestSelfieStagesNeedMotion(t *testing.T) {
	if r := selfieStage2.MinFace / selfieStage1.MaxFace; r < liveness.MinMotion {
		t.Errorf("stage 2 / stage 1 face size %.2f < liveness.MinMotion %.2f", r, liveness.MinMotion)
	}
}

// BenchmarkSnapDocument720p: what Snap does once the picture is taken, step
// by step (crop + deskew of the 720p frame, the crop's metrics, JPEG with
// EXIF + base64), and the whole document().
func BenchmarkSnapDocument720p(b *testing.B) {
	s, err := synth.Render(synth.Doc{Format: synth.ID1, Side: "Front", Seed: 9, Width: 1280, Height: 720, TiltX: 5})
	if err != nil {
		b.Fatal(err)
	}
	img := s.Image // the snapshot the shim hands over: NRGBA
	var q quality.Quad
	for i, p := range s.Corners {
		q[i] = quality.Point{X: p[0], Y: p[1]}
	}
	c := NewCore()
	c.Begin("front", SessionConfig{TimeoutMs: 1e12})
	doc, err := quality.CropDeskew(img, q, quality.FormatID1, MaxDocumentSide)
	if err != nil {
		b.Fatal(err)
	}
	qm := &Quality{Glare: 100, DPI: 250, Sharpness: 90}
	m := Meta{Mode: "auto", CaptureType: "DOCUMENT_FRONT", DeviceType: "desktop", Time: "2026-11-26T00:00:00Z"}
	b.Run("crop", func(b *testing.B) {
		for b.Loop() {
			_, _ = quality.CropDeskew(img, q, quality.FormatID1, MaxDocumentSide)
		}
	})
	b.Run("measure", func(b *testing.B) {
		for b.Loop() {
			_ = quality.Measure(doc, 250)
		}
	})
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			_, _ = encode(doc, m, qm)
		}
	})
	b.Run("document", func(b *testing.B) {
		for b.Loop() {
			_, _ = c.document(img, q, true, m)
		}
	})
}
