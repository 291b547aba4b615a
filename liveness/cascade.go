package liveness

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Cascade file formats (pico / pigo, little endian):
//
// facefinder: 8 bytes version/magic (skipped), uint32 tree depth d, uint32 tree
// count n, then n trees of (4·2^d − 4) int8 split codes, 2^d float32 leaf
// predictions and one float32 stage threshold: 8·2^d bytes per tree.
//
// puploc: uint32 stages, float32 scale multiplier, uint32 trees per stage,
// uint32 depth d, then stages·trees trees of (4·2^d − 4) int8 split codes and
// 2^d pairs of float32 (row, column) displacements: 12·2^d − 4 bytes per tree.
//
// pigo's own unpackers index the byte slice without bounds checks and panic on
// a short file, so every size is validated here before pigo sees the bytes.

const (
	maxTreeDepth = 12      // real cascades use 6 (facefinder) and 10 (puploc)
	maxTrees     = 1 << 16 // facefinder has 468 trees; anything larger is not a cascade
	maxStages    = 64
)

// ErrCascade is wrapped by every cascade validation error.
var ErrCascade = errors.New("liveness: invalid cascade")

func cascadeErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrCascade, fmt.Sprintf(format, a...))
}

// validateFacefinder checks the facefinder structure: header, depth, tree
// count and exact length, and that leaf values and thresholds are finite.
func validateFacefinder(b []byte) error {
	if len(b) < 16 {
		return cascadeErr("facefinder: %d bytes, need at least 16", len(b))
	}
	depth := binary.LittleEndian.Uint32(b[8:])
	n := binary.LittleEndian.Uint32(b[12:])
	if depth < 1 || depth > maxTreeDepth {
		return cascadeErr("facefinder: tree depth %d out of range 1..%d", depth, maxTreeDepth)
	}
	if n < 1 || n > maxTrees {
		return cascadeErr("facefinder: tree count %d out of range 1..%d", n, maxTrees)
	}
	leaves := 1 << depth
	per := 8 * leaves
	want := 16 + int(n)*per
	if len(b) != want {
		return cascadeErr("facefinder: %d bytes, depth %d and %d trees need %d", len(b), depth, n, want)
	}
	pos := 16
	for t := 0; t < int(n); t++ {
		pos += 4*leaves - 4
		for i := 0; i <= leaves; i++ { // leaves, then the threshold
			f := math.Float32frombits(binary.LittleEndian.Uint32(b[pos:]))
			if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
				return cascadeErr("facefinder: tree %d has a non-finite value", t)
			}
			pos += 4
		}
	}
	return nil
}

// puploc is our own parsed pupil-localisation cascade. We evaluate it
// ourselves (instead of pigo's RunDetector) so that the perturbations are
// deterministic (pigo draws them from the global math/rand source), the
// evaluation allocates nothing, and any roll angle can be used.
type puploc struct {
	stages int
	scale  float32
	trees  int
	depth  int
	codes  []int8    // per tree: 4·(2^d − 1) split codes (r1, c1, r2, c2 per node)
	preds  []float32 // per tree: 2^d leaves × (dr, dc)
}

func parsePuploc(b []byte) (*puploc, error) {
	if len(b) < 16 {
		return nil, cascadeErr("puploc: %d bytes, need at least 16", len(b))
	}
	stages := binary.LittleEndian.Uint32(b[0:])
	scale := math.Float32frombits(binary.LittleEndian.Uint32(b[4:]))
	trees := binary.LittleEndian.Uint32(b[8:])
	depth := binary.LittleEndian.Uint32(b[12:])
	if stages < 1 || stages > maxStages {
		return nil, cascadeErr("puploc: stage count %d out of range 1..%d", stages, maxStages)
	}
	if !(scale > 0.1 && scale <= 2) {
		return nil, cascadeErr("puploc: scale multiplier %v out of range", scale)
	}
	if trees < 1 || trees > 4096 {
		return nil, cascadeErr("puploc: trees per stage %d out of range", trees)
	}
	if depth < 1 || depth > maxTreeDepth {
		return nil, cascadeErr("puploc: tree depth %d out of range 1..%d", depth, maxTreeDepth)
	}
	leaves := 1 << depth
	ncode := 4*leaves - 4
	per := ncode + 8*leaves
	total := int(stages) * int(trees)
	if total > maxTrees {
		return nil, cascadeErr("puploc: %d trees in total", total)
	}
	want := 16 + total*per
	if len(b) != want {
		return nil, cascadeErr("puploc: %d bytes, header needs %d", len(b), want)
	}
	p := &puploc{
		stages: int(stages), scale: scale, trees: int(trees), depth: int(depth),
		codes: make([]int8, 0, total*ncode),
		preds: make([]float32, 0, total*2*leaves),
	}
	pos := 16
	for t := 0; t < total; t++ {
		for _, c := range b[pos : pos+ncode] {
			p.codes = append(p.codes, int8(c))
		}
		pos += ncode
		for i := 0; i < 2*leaves; i++ {
			f := math.Float32frombits(binary.LittleEndian.Uint32(b[pos:]))
			if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) || math.Abs(float64(f)) > 100 {
				return nil, cascadeErr("puploc: tree %d has an out-of-range displacement", t)
			}
			p.preds = append(p.preds, f)
			pos += 4
		}
	}
	return p, nil
}

// locate runs the cascade once from (r, c) at scale s (pixels) with the
// sampling pattern rotated by roll (radians, image rotation of the face,
// positive = clockwise on screen). It returns the refined position.
// Pixel reads are clamped to the image, so any input is safe.
func (p *puploc) locate(pix []uint8, rows, cols, stride int, r, c, s float64, cosA, sinA float64) (float64, float64) {
	leaves := 1 << p.depth
	ncode := 4*leaves - 4
	t := 0
	for st := 0; st < p.stages; st++ {
		var dr, dc float64
		// 16.16 fixed point: position and the rotated, scaled code step
		k := s / 256
		R, C := int(r*65536), int(c*65536)
		A, B := int(k*cosA*65536), int(k*sinA*65536)
		for j := 0; j < p.trees; j++ {
			codes := p.codes[t*ncode : (t+1)*ncode]
			idx := 0
			for d := 0; d < p.depth; d++ {
				n := codes[4*idx : 4*idx+4 : 4*idx+4]
				// offsets in the face frame (row, col), rotated into the image
				n0, n1, n2, n3 := int(n[0]), int(n[1]), int(n[2]), int(n[3])
				r1 := clampi((R+n0*A+n1*B)>>16, 0, rows-1)
				c1 := clampi((C-n0*B+n1*A)>>16, 0, cols-1)
				r2 := clampi((R+n2*A+n3*B)>>16, 0, rows-1)
				c2 := clampi((C-n2*B+n3*A)>>16, 0, cols-1)
				idx = 2*idx + 1
				if pix[r1*stride+c1] > pix[r2*stride+c2] {
					idx++
				}
			}
			leaf := idx - (leaves - 1)
			pr := p.preds[2*(t*leaves+leaf):]
			dr += float64(pr[0])
			dc += float64(pr[1])
			t++
		}
		// displacement is in the face frame: rotate it back into the image
		r += (dr*cosA + dc*sinA) * s
		c += (-dr*sinA + dc*cosA) * s
		s *= float64(p.scale)
	}
	return r, c
}

func clampi(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
