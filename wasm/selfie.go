package main

import (
	"errors"
	"image"
	"math"
	"time"

	"github.com/globalgateway/ggcapture/capture"
	"github.com/globalgateway/ggcapture/liveness"
)

// Selfie capture runs in two stages, each a capture.Session of kind Selfie:
//
//  1. the face fills a small oval (MinFace..MaxFace of the frame's short side
//     below), centred, straight and steady — this proves a person is framed;
//  2. "Move closer": the oval grows and the face must fill the larger one.
//
// While the user moves from the first oval to the second the shim records a
// burst of frames (out[outBurst] asks for one), which the service's active
// liveness test uses: a real face changes its proportions with distance
// (perspective), a flat photo or screen only scales. The selfie image is the
// best frame of stage 2.
var (
	// The liveness burst test needs the face to grow at least
	// liveness.MinMotion (1.8×) between the stages: 0.30 → 0.56 is 1.87×.
	selfieStage1 = capture.Config{MinFace: 0.18, MaxFace: 0.30, Steady: 400 * time.Millisecond}
	selfieStage2 = capture.Config{MinFace: 0.56, MaxFace: 0.78, Steady: 500 * time.Millisecond}
)

// Oval heights (fraction of the displayed frame height) the shim draws per stage.
const (
	ovalStage1 = 0.42
	ovalStage2 = 0.95
	// burstGrowth: in stage 2 a burst frame is recorded each time the face
	// has grown by this factor since the last one, so the burst spans the
	// approach; maxBurst bounds how many the shim collects (the service
	// accepts 8), the last being the snap frame.
	burstGrowth = 1.12
	maxBurst    = 7
	// MaxSelfieSide is the long side of the returned selfie, px.
	MaxSelfieSide = 1280
)

// selfieState is the per-session selfie state of a Core.
type selfieState struct {
	det       *liveness.Detector
	stage     int
	sess2     *capture.Session
	cfg2      capture.Config
	t2        time.Duration // when stage 2 started
	lastSize  float64       // face size at the last burst frame
	bursts    int
	best      liveness.Face // best kept face, full-resolution frame pixels
	bestOK    bool
	bestFullW int
	// smooth is the face box filtered over frames: pigo's box jitters by a
	// few per cent from frame to frame (more with the per-frame scale-group
	// rotation), which would otherwise break the steadiness test.
	smooth   [3]float64 // x, y, size
	smoothOK bool
}

// faceSmoothing is the weight of the new frame in the face-box filter; a
// box that moved more than faceJump of its size restarts the filter (a real
// move, not jitter).
const (
	faceSmoothing = 0.35
	faceJump      = 0.25
)

// filter smooths the face box in place.
func (s *selfieState) filter(f *liveness.Face, found bool) {
	if !found {
		s.smoothOK = false
		return
	}
	cur := [3]float64{f.X, f.Y, f.Size}
	if s.smoothOK {
		d := math.Hypot(cur[0]-s.smooth[0], cur[1]-s.smooth[1]) + math.Abs(cur[2]-s.smooth[2])
		if d < faceJump*s.smooth[2] {
			for i := range cur {
				cur[i] = s.smooth[i] + faceSmoothing*(cur[i]-s.smooth[i])
			}
		}
	}
	s.smooth, s.smoothOK = cur, true
	f.X, f.Y, f.Size = cur[0], cur[1], cur[2]
}

// LoadCascades parses pigo's facefinder and puploc cascades (bytes fetched
// by the shim). A bad cascade is an error, never a panic.
func (c *Core) LoadCascades(facefinder, puploc []byte) error {
	d, err := liveness.NewDetector(facefinder, puploc)
	if err != nil {
		return err
	}
	c.selfie.det = d
	return nil
}

func (c *Core) beginSelfie(timeout time.Duration) error {
	if c.selfie.det == nil {
		return errors.New("face cascades are not loaded")
	}
	c.selfie.det.Reset()
	cfg1 := selfieStage1
	cfg1.Timeout = timeout
	c.sess = capture.NewSession(capture.Selfie, &cfg1)
	c.selfie.cfg2 = selfieStage2
	c.selfie.cfg2.Timeout = timeout
	c.selfie.stage, c.selfie.sess2 = 1, nil
	c.selfie.bursts, c.selfie.lastSize, c.selfie.bestOK, c.selfie.smoothOK = 0, 0, false, false
	return nil
}

// frameSelfie analyses one frame of a selfie session and fills Out.
func (c *Core) frameSelfie(f FrameDesc, t time.Duration, ok bool) {
	s := &c.selfie
	obs := capture.Observation{FrameW: f.FullW, FrameH: f.FullH}
	scale := float64(f.FullW) / float64(max(f.Width, 1))
	var face liveness.Face
	if ok && s.det != nil {
		faces := s.det.Faces(&c.gray)
		if len(faces) > 0 {
			face = faces[0] // largest first
			n := 0
			for _, o := range faces {
				if o.Size >= 0.5*face.Size { // faces of comparable size
					n++
				}
			}
			obs.Faces = n
			face.X, face.Y, face.Size = face.X*scale, face.Y*scale, face.Size*scale
			face.EyeDist *= scale
			s.filter(&face, true)
			obs.FaceX, obs.FaceY, obs.FaceSize = face.X, face.Y, face.Size
			obs.Roll, obs.Yaw = face.Roll, face.Yaw
		}
	}
	if obs.Faces == 0 {
		s.filter(nil, false)
	}
	var d capture.Decision
	burst := false
	if s.stage == 1 {
		d = c.sess.Step(obs, t)
		if d.Snap {
			// Stage 1 done: the first burst frame is this one; stage 2 begins.
			s.stage, s.t2 = 2, t
			s.sess2 = capture.NewSession(capture.Selfie, &s.cfg2)
			d = s.sess2.Step(obs, 0)
			burst = obs.Faces > 0
		}
	} else {
		d = s.sess2.Step(obs, t-s.t2)
		if d.Snap || (obs.Faces == 1 && obs.FaceSize >= s.lastSize*burstGrowth && s.bursts < maxBurst-1) {
			burst = true
		}
	}
	if burst {
		s.lastSize = obs.FaceSize
	}
	if burst {
		s.bursts++
	}
	flags := 0
	if obs.Faces > 0 {
		flags |= flagFound
		q := capture.FaceQuad(face.X, face.Y, face.Size)
		for i, p := range q {
			c.Out[outCorners+2*i], c.Out[outCorners+2*i+1] = p[0], p[1]
		}
	}
	if d.Keep && obs.Faces > 0 && s.stage == 2 {
		flags |= flagKeep
		s.best, s.bestOK, s.bestFullW = face, true, f.FullW
	}
	if d.Snap && s.stage == 2 {
		flags |= flagSnap
	}
	if d.TimedOut {
		flags |= flagTimedOut
	}
	if burst {
		flags |= flagBurst
	}
	c.Out[outFlags] = float64(flags)
	c.Out[outGuidance] = float64(d.Guidance)
	c.Out[outProgress] = d.Progress
	c.Out[outStage] = float64(s.stage)
	if s.stage == 2 {
		c.Out[outOval] = ovalStage2
	} else {
		c.Out[outOval] = ovalStage1
	}
}

// snapSelfie crops the kept stage-2 frame to a head-and-shoulders portrait.
func (c *Core) snapSelfie(img *image.NRGBA, m Meta) (*Result, *Error) {
	s := &c.selfie
	if !s.bestOK {
		return nil, &Error{1016, "no face frame was kept"}
	}
	f := s.best
	if s.bestFullW > 0 && s.bestFullW != img.Rect.Dx() {
		k := float64(img.Rect.Dx()) / float64(s.bestFullW)
		f.X, f.Y, f.Size = f.X*k, f.Y*k, f.Size*k
	}
	out := liveness.PortraitCrop(img, f, MaxSelfieSide)
	if out == nil {
		return nil, &Error{1016, "the portrait crop failed"}
	}
	data, e := encode(out, m, &Quality{})
	if e != nil {
		return nil, e
	}
	return &Result{Image: data}, nil
}

// fileSelfie prepares a manually chosen selfie: cropped around the largest
// face when one is found, else sent as it is (reduced) so that the service
// gives the face error (9002 …) with its verdict.
func (c *Core) fileSelfie(img image.Image, m Meta) (*Result, *Error) {
	var out *image.NRGBA
	if c.selfie.det != nil {
		if faces, _ := c.selfie.det.Check(img); len(faces) > 0 {
			out = liveness.PortraitCrop(img, faces[0], MaxSelfieSide)
		}
	}
	if out == nil {
		out = resizeLong(img, MaxSelfieSide)
	}
	data, e := encode(out, m, &Quality{})
	if e != nil {
		return nil, e
	}
	return &Result{Image: data}, nil
}
