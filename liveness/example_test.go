package liveness_test

import (
	"encoding/json"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/globalgateway/ggcapture/liveness"
)

// loadCascades reads pigo's cascades from the module (the service reads them
// from its --cascades directory instead): `go list -m`, or the module cache
// when the go tool cannot run (wasm). The package builds only when pigo is
// in the module cache, so this finds it wherever the example runs.
func loadCascades() (ff, pl []byte, err error) {
	var dirs []string
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/esimov/pigo").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	for _, root := range []string{os.Getenv("GOMODCACHE"), filepath.Join(os.Getenv("GOPATH"), "pkg", "mod"), filepath.Join(os.Getenv("HOME"), "go", "pkg", "mod")} {
		dirs = append(dirs, filepath.Join(root, "github.com", "esimov", "pigo@v1.4.6"))
	}
	for _, d := range dirs {
		ff, err = os.ReadFile(filepath.Join(d, "cascade", "facefinder"))
		if err != nil {
			continue
		}
		pl, err = os.ReadFile(filepath.Join(d, "cascade", "puploc"))
		if err == nil {
			return ff, pl, nil
		}
	}
	return nil, nil, err
}

// A truncated cascade is an error, never a panic.
func ExampleNewDetector() {
	_, err := liveness.NewDetector([]byte("not a cascade"), nil)
	fmt.Println(err)
	// Output: liveness: invalid cascade: facefinder: 13 bytes, need at least 16
}

// The liveness object of DESIGN §3 for a face check failure and a verdict.
func ExampleErrorAssessment() {
	a, _ := json.Marshal(liveness.ErrorAssessment(liveness.CodeNoFace))
	fmt.Println(string(a))
	p, _ := json.Marshal(liveness.Verdict(liveness.Pass))
	fmt.Println(string(p))
	// Output:
	// {"LivenessResult":{"LivenessAssessment":null},"ErrorCode":9002,"ErrorMessage":"No face was found. Center your face in the frame and retake the picture."}
	// {"LivenessResult":{"LivenessAssessment":"Pass"},"ErrorCode":null,"ErrorMessage":null}
}

// Check on an image without a face, and Assess on an unreadable one.
func ExampleDetector_Check() {
	ff, pl, err := loadCascades()
	if err != nil {
		fmt.Println("cascades not found:", err)
		return
	}
	d, err := liveness.NewDetector(ff, pl)
	if err != nil {
		fmt.Println(err)
		return
	}
	blank := image.NewGray(image.Rect(0, 0, 640, 480))
	faces, code := d.Check(blank)
	fmt.Println("faces:", len(faces), "code:", code)
	a, _ := d.Assess(image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	fmt.Println(*a.ErrorCode, *a.ErrorMessage)
	// Output:
	// faces: 0 code: 9002
	// 9006 The selfie image could not be read. Retake the picture.
}

// The per-frame path: one reused gray plane per video frame.
func ExampleDetector_Faces() {
	ff, pl, err := loadCascades()
	if err != nil {
		fmt.Println("cascades not found:", err)
		return
	}
	d, _ := liveness.NewDetector(ff, pl)
	frame := image.NewGray(image.Rect(0, 0, 1280, 720)) // filled from the camera each frame
	for i := 0; i < 3; i++ {
		faces := d.Faces(frame) // valid until the next call
		if i == 2 {
			fmt.Println(len(faces), "faces")
		}
	}
	// Output: 0 faces
}
