package liveness

import (
	"image"
)

// Verdicts of LivenessResult.LivenessAssessment.
const (
	Pass = "Pass"
	Fail = "Fail"
)

// LivenessResult holds the verdict: "Pass", "Fail" or null (JSON) when a
// face check failed.
type LivenessResult struct {
	LivenessAssessment *string `json:"LivenessAssessment"`
}

// Assessment is the liveness object of DESIGN §3:
//
//	{"LivenessResult":{"LivenessAssessment":"Pass"},"ErrorCode":null,"ErrorMessage":null}
//	{"LivenessResult":{"LivenessAssessment":null},"ErrorCode":9002,"ErrorMessage":"No face was found. ..."}
//
// A Pass or Fail carries no error code. LivenessResult is never nil in
// values returned by this package.
type Assessment struct {
	LivenessResult *LivenessResult `json:"LivenessResult"`
	ErrorCode      *int            `json:"ErrorCode"`
	ErrorMessage   *string         `json:"ErrorMessage"`
}

// Verdict returns an assessment with verdict v ("Pass" or "Fail").
func Verdict(v string) Assessment {
	return Assessment{LivenessResult: &LivenessResult{LivenessAssessment: &v}}
}

// ErrorAssessment returns the null-verdict assessment for a face check code
// (9001..9007) with its DESIGN §4 message.
func ErrorAssessment(code int) Assessment {
	m := Message(code)
	return Assessment{LivenessResult: &LivenessResult{}, ErrorCode: &code, ErrorMessage: &m}
}

// Result returns "Pass", "Fail" or "" (error / null verdict).
func (a Assessment) Result() string {
	if a.LivenessResult == nil || a.LivenessResult.LivenessAssessment == nil {
		return ""
	}
	return *a.LivenessResult.LivenessAssessment
}

// Evidence is the per-cue measurement behind an assessment, for server-side
// logs and QA. It holds numbers only, never image bytes.
type Evidence struct {
	Code  int `json:"code"`  // face check code of the selfie, 0 = passed
	Faces int `json:"faces"` // faces found in the selfie
	// Face geometry of the selfie's main face (input pixels, degrees).
	FaceSize float64 `json:"faceSize"`
	EyeDist  float64 `json:"eyeDist"`
	Roll     float64 `json:"roll"`
	Yaw      float64 `json:"yaw"`
	// Passive cues.
	Spectral       float64 `json:"spectral"`       // log10 luma periodic peak ratio
	Chroma         float64 `json:"chroma"`         // log10 chroma periodic peak ratio
	SpectralPeriod float64 `json:"spectralPeriod"` // px, of the stronger peak
	Border         float64 `json:"border"`         // mean edge fraction of the 3 best frame sides
	BorderSides    int     `json:"borderSides"`    // sides with a straight frame edge
	Saturation     float64 `json:"saturation"`     // median HSV saturation of the face
	Specular       float64 `json:"specular"`       // clipped fraction of the face box
	// Active (burst) cues; Active is false when fewer than MinBurst frames
	// were given.
	Active      bool    `json:"active"`
	BurstFrames int     `json:"burstFrames"` // frames given
	BurstFaces  int     `json:"burstFaces"`  // frames in which one face was found
	Motion      float64 `json:"motion"`      // face size ratio last/first
	Perspective float64 `json:"perspective"` // inner/outer scale ratio − 1 (see active.go)
	Planarity   float64 `json:"planarity"`   // NCC of the similarity-aligned first/last crops
	// Cues lists the attack cues that fired, Verdict the outcome.
	Cues    []string `json:"cues"`
	Verdict string   `json:"verdict"`
}

// Assess runs the face checks on the selfie img and, when they pass, the
// liveness cues: passive cues on img and, when at least MinBurst frames are
// given (the burst recorded while the user moved towards the camera), the
// active perspective test. The verdict is Pass only when the face checks pass
// and no attack cue fires. Face check failures give a null verdict with the
// error code. Evidence carries the scores (numbers only).
func (d *Detector) Assess(img image.Image, frames []image.Image) (Assessment, Evidence) {
	var ev Evidence
	ev.BurstFrames = len(frames)
	if d == nil {
		ev.Code = CodeUnreadable
		return ErrorAssessment(CodeUnreadable), ev
	}
	g, k, ok := d.stillGray(img)
	if !ok {
		ev.Code = CodeUnreadable
		return ErrorAssessment(CodeUnreadable), ev
	}
	faces := d.stillFaces(g, k)
	b := img.Bounds()
	ev.Faces = len(faces)
	if len(faces) > 0 {
		f := faces[0]
		ev.FaceSize, ev.EyeDist, ev.Roll, ev.Yaw = f.Size, f.EyeDist, f.Roll, f.Yaw
	}
	if ev.Code = judge(faces, b.Dx(), b.Dy()); ev.Code != 0 {
		return ErrorAssessment(ev.Code), ev
	}
	if !d.safely(func() { passive(img, faces[0], g, k, &ev) }) {
		ev.Code = CodeUnreadable
		return ErrorAssessment(CodeUnreadable), ev
	}
	if ev.Spectral >= SpectralFire {
		ev.Cues = append(ev.Cues, "periodic_luma")
	}
	if ev.Chroma >= ChromaFire {
		ev.Cues = append(ev.Cues, "periodic_chroma")
	}
	if ev.BorderSides >= BorderSides {
		ev.Cues = append(ev.Cues, "frame_edge")
	}
	if ev.Saturation < GraySkinFire {
		ev.Cues = append(ev.Cues, "grey_skin")
	}
	if ev.Specular >= SpecularFire {
		ev.Cues = append(ev.Cues, "specular")
	}
	if len(frames) >= MinBurst {
		ev.Active = true
		var cues []string
		if !d.safely(func() { cues = d.active(frames, &ev) }) {
			cues = []string{"burst_unreadable"}
		}
		ev.Cues = append(ev.Cues, cues...)
	}
	if len(ev.Cues) > 0 {
		ev.Verdict = Fail
	} else {
		ev.Verdict = Pass
	}
	return Verdict(ev.Verdict), ev
}

// safely runs fn and reports false if it panicked (a broken image.Image
// implementation must not take the service down).
func (d *Detector) safely(fn func()) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	fn()
	return true
}
