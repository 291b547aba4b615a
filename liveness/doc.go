// Package liveness finds faces in selfies with pigo
// (github.com/esimov/pigo), runs the face checks of DESIGN §4 (codes
// 9001–9007) and assesses liveness from explainable evidence: passive
// single-image cues (periodic spectral peaks of a screen pixel grid, moiré or
// halftone, an enclosing bezel or paper edge, grey skin, specular clipping)
// and an active perspective test on a burst of frames recorded while the user
// moves towards the camera.
//
// The package is pure: it does no I/O, imports neither syscall/js nor
// net/http, never panics on bad input and runs both in the browser (WASM,
// per-frame guidance through Faces) and in the service (Check, Assess).
// Cascades are passed as bytes (the files cascade/facefinder and
// cascade/puploc of the pigo module); they are not part of this repository.
//
// See docs/liveness.md for thresholds, the physical models behind each cue,
// what the assessment does and does not resist, and measured figures.
package liveness
