package liveness

import (
	"image"
	"image/color"
	"math"
)

// Face check codes (DESIGN §4). 0 means the face checks pass.
const (
	CodeTooClose   = 9001
	CodeNoFace     = 9002
	CodeTooSmall   = 9003
	CodeAngle      = 9004
	CodeCropped    = 9005
	CodeUnreadable = 9006
	CodeManyFaces  = 9007
)

var messages = map[int]string{
	CodeTooClose:   "Face is too close. Move the camera further away and retake the picture.",
	CodeNoFace:     "No face was found. Center your face in the frame and retake the picture.",
	CodeTooSmall:   "Face is too small. Move the camera closer to the face and retake the picture.",
	CodeAngle:      "Face angle is too large. Look straight at the camera and retake the picture.",
	CodeCropped:    "Face is cropped. Keep your whole face inside the frame and retake the picture.",
	CodeUnreadable: "The selfie image could not be read. Retake the picture.",
	CodeManyFaces:  "More than one face was found. Make sure only you are in the picture.",
}

// Message returns the default English message for a face check code, or ""
// for an unknown code.
func Message(code int) string { return messages[code] }

// Thresholds of the face checks (documented in docs/liveness.md).
const (
	// TooCloseFrac: a face box at least this fraction of the short side is
	// too close (9001); so is a box touching two or more borders.
	TooCloseFrac = 0.80
	// MinEyeDist: inter-pupil distance in pixels of the full-resolution
	// image below which the face is too small (9003).
	MinEyeDist = 90.0
	// MinFaceFrac: a face box below this fraction of the short side is too
	// small (9003).
	MinFaceFrac = 0.20
	// MaxRoll, MaxYaw: head angles in degrees above which 9004 is reported.
	MaxRoll = 20.0
	MaxYaw  = 25.0
	// TouchFrac: a box edge within this fraction of the short side of an
	// image border (or beyond it) touches that border.
	TouchFrac = 0.02
	// ComparableFrac: another face at least this fraction of the largest
	// face's size counts as a second person (9007).
	ComparableFrac = 0.5
	// MinImageSide: images with a side below this are unreadable (9006), as
	// are images whose aspect ratio exceeds MaxAspect.
	MinImageSide = 32
	MaxAspect    = 8.0
)

// Check detects the faces in a still image (the snapped selfie or a manual
// upload) and runs the face checks in this order: unreadable 9006, no face
// 9002, several comparable faces 9007, too close 9001, cropped 9005, too
// small 9003, angle 9004. Faces are in the input image's pixels, largest
// first; code is 0 when all checks pass. The returned slice is new.
func (d *Detector) Check(img image.Image) (faces []Face, code int) {
	if d == nil {
		return nil, CodeUnreadable
	}
	g, k, ok := d.stillGray(img)
	if !ok {
		return nil, CodeUnreadable
	}
	faces = d.stillFaces(g, k)
	b := img.Bounds()
	return faces, judge(faces, b.Dx(), b.Dy())
}

// judge applies the face checks to faces found in a w×h image.
func judge(faces []Face, w, h int) int {
	if len(faces) == 0 {
		return CodeNoFace
	}
	f := faces[0]
	for _, o := range faces[1:] {
		if o.Size >= ComparableFrac*f.Size {
			return CodeManyFaces
		}
	}
	short := float64(min(w, h))
	t := TouchFrac * short
	l, r := f.X-f.Size/2, f.X+f.Size/2
	top, bot := f.Y-f.Size/2, f.Y+f.Size/2
	touch := 0
	if l < t {
		touch++
	}
	if top < t {
		touch++
	}
	if r > float64(w)-t {
		touch++
	}
	if bot > float64(h)-t {
		touch++
	}
	if f.Size >= TooCloseFrac*short || touch >= 2 {
		return CodeTooClose
	}
	if touch == 1 || cropped(f, w, h) {
		return CodeCropped
	}
	if f.EyeDist < MinEyeDist || f.Size < MinFaceFrac*short {
		return CodeTooSmall
	}
	if math.Abs(f.Roll) > MaxRoll || math.Abs(f.Yaw) > MaxYaw {
		return CodeAngle
	}
	return 0
}

// cropped reports whether the face lacks its own-scale margins: each pupil
// must be at least one inter-pupil distance from the left, right and top
// borders (room for the temples and forehead), and the chin, estimated at
// 0.5·Size below the box centre along the face's vertical axis, must be at
// least 0.1·Size above the bottom border.
func cropped(f Face, w, h int) bool {
	m := f.EyeDist
	for _, e := range []Point{f.LeftEye, f.RightEye} {
		if e.X < m || e.Y < m || e.X > float64(w)-m {
			return true
		}
	}
	sin, cos := math.Sincos(f.Roll * math.Pi / 180)
	chinX := f.X - 0.5*f.Size*sin
	chinY := f.Y + 0.5*f.Size*cos
	mc := 0.1 * f.Size
	return chinY > float64(h)-mc || chinX < 0 || chinX > float64(w)
}

// stillGray converts img to the working gray plane used for stills: the
// luma, box-downsampled by an integer factor k so that the short side is at
// most d.Still.WorkShort. ok is false for a nil, empty or degenerate image.
func (d *Detector) stillGray(img image.Image) (g *image.Gray, k int, ok bool) {
	if img == nil {
		return nil, 0, false
	}
	defer func() {
		// a broken image.Image implementation must not take the caller down
		if recover() != nil {
			g, k, ok = nil, 0, false
		}
	}()
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < MinImageSide || h < MinImageSide {
		return nil, 0, false
	}
	if float64(max(w, h)) > MaxAspect*float64(min(w, h)) {
		return nil, 0, false
	}
	k = 1
	if ws := d.Still.WorkShort; ws > 0 && min(w, h) > ws {
		k = int(math.Ceil(float64(min(w, h)) / float64(ws)))
	}
	return downGray(img, k), k, true
}

// downGray returns the BT.601 luma of img averaged over k×k blocks.
func downGray(img image.Image, k int) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	out := image.NewGray(image.Rect(0, 0, w, h))
	acc := make([]uint32, w)
	for y := 0; y < h; y++ {
		clear(acc)
		for yy := 0; yy < k; yy++ {
			sy := b.Min.Y + y*k + yy
			lumaRow(img, sy, b.Min.X, w*k, k, acc)
		}
		row := out.Pix[y*out.Stride : y*out.Stride+w]
		kk := uint32(k * k)
		for x := range row {
			row[x] = uint8((acc[x] + kk/2) / kk)
		}
	}
	return out
}

// lumaRow adds the luma of n pixels of row y starting at x0 into acc, k
// pixels per accumulator cell.
func lumaRow(img image.Image, y, x0, n, k int, acc []uint32) {
	switch m := img.(type) {
	case *image.Gray:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			acc[i/k] += uint32(p[i])
		}
	case *image.NRGBA:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			q := p[4*i : 4*i+3 : 4*i+3]
			acc[i/k] += (299*uint32(q[0]) + 587*uint32(q[1]) + 114*uint32(q[2]) + 500) / 1000
		}
	case *image.RGBA:
		p := m.Pix[m.PixOffset(x0, y):]
		for i := 0; i < n; i++ {
			q := p[4*i : 4*i+3 : 4*i+3]
			acc[i/k] += (299*uint32(q[0]) + 587*uint32(q[1]) + 114*uint32(q[2]) + 500) / 1000
		}
	case *image.YCbCr:
		for i := 0; i < n; i++ {
			acc[i/k] += uint32(m.Y[m.YOffset(x0+i, y)])
		}
	default:
		for i := 0; i < n; i++ {
			c := color.GrayModel.Convert(img.At(x0+i, y)).(color.Gray)
			acc[i/k] += uint32(c.Y)
		}
	}
}

// stillFaces pads the working plane (edge pixels replicated) so that faces
// partly outside the frame are still found, detects with d.Still and maps
// the faces back to input pixels (factor k). Faces whose centre lies outside
// the image are dropped.
func (d *Detector) stillFaces(g *image.Gray, k int) []Face {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	short := min(w, h)
	p := int(0.15 * float64(short))
	pw, ph := w+2*p, h+2*p
	if cap(d.pad) < pw*ph {
		d.pad = make([]uint8, pw*ph)
	}
	pad := d.pad[:pw*ph]
	for y := 0; y < ph; y++ {
		sy := clampi(y-p, 0, h-1)
		src := g.Pix[sy*g.Stride : sy*g.Stride+w]
		row := pad[y*pw : (y+1)*pw]
		copy(row[p:p+w], src)
		for x := 0; x < p; x++ {
			row[x] = src[0]
			row[p+w+x] = src[w-1]
		}
	}
	found := d.detect(pad, ph, pw, pw, &d.Still, float64(p), float64(p), short)
	out := make([]Face, 0, len(found))
	fk := float64(k)
	for _, f := range found {
		if f.X < 0 || f.Y < 0 || f.X >= float64(w) || f.Y >= float64(h) {
			continue
		}
		// coordinates in the working plane are pixel-centre based; map to input
		f.X, f.Y, f.Size = f.X*fk, f.Y*fk, f.Size*fk
		f.LeftEye = Point{f.LeftEye.X * fk, f.LeftEye.Y * fk}
		f.RightEye = Point{f.RightEye.X * fk, f.RightEye.Y * fk}
		f.EyeDist *= fk
		out = append(out, f)
	}
	return out
}
