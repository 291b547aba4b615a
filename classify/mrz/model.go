package mrz

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"math"
)

//go:generate go run ./gen -o ocrb.model

// ocrbModel holds the recogniser weights produced by gen/ (a one-hidden-layer
// perceptron over cell features, trained on OCR-B glyphs rendered under
// blur, noise, scale and perspective).
//
//go:embed ocrb.model
var ocrbModel []byte

// ModelMagic starts a serialised recogniser model.
const ModelMagic = "MRZOCR1\n"

// Model is a one-hidden-layer perceptron: NumFeatures -> Hidden (ReLU) ->
// len(Alphabet) (softmax).
type Model struct {
	In, Hidden, Out int
	W1, B1, W2, B2  []float32 // W1 Hidden x In, W2 Out x Hidden (row-major)
}

// ErrModel reports a malformed model.
var ErrModel = errors.New("mrz: malformed recogniser model")

// ParseModel decodes a model written by (*Model).Marshal.
func ParseModel(b []byte) (*Model, error) {
	if len(b) < len(ModelMagic)+12 || string(b[:len(ModelMagic)]) != ModelMagic {
		return nil, ErrModel
	}
	b = b[len(ModelMagic):]
	m := &Model{In: int(binary.LittleEndian.Uint32(b)), Hidden: int(binary.LittleEndian.Uint32(b[4:])), Out: int(binary.LittleEndian.Uint32(b[8:]))}
	b = b[12:]
	if m.In != NumFeatures || m.Out != len(Alphabet) || m.Hidden < 1 || m.Hidden > 4096 {
		return nil, ErrModel
	}
	n := m.Hidden*m.In + m.Hidden + m.Out*m.Hidden + m.Out
	if len(b) != 4*n {
		return nil, ErrModel
	}
	all := make([]float32, n)
	for i := range all {
		all[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	m.W1, all = all[:m.Hidden*m.In], all[m.Hidden*m.In:]
	m.B1, all = all[:m.Hidden], all[m.Hidden:]
	m.W2, all = all[:m.Out*m.Hidden], all[m.Out*m.Hidden:]
	m.B2 = all
	return m, nil
}

// Marshal encodes m.
func (m *Model) Marshal() []byte {
	out := []byte(ModelMagic)
	out = binary.LittleEndian.AppendUint32(out, uint32(m.In))
	out = binary.LittleEndian.AppendUint32(out, uint32(m.Hidden))
	out = binary.LittleEndian.AppendUint32(out, uint32(m.Out))
	for _, a := range [][]float32{m.W1, m.B1, m.W2, m.B2} {
		for _, v := range a {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
		}
	}
	return out
}

// Forward computes class probabilities of f into p (len Out), using h
// (len Hidden) as scratch.
func (m *Model) Forward(f, h, p []float32) {
	for j := 0; j < m.Hidden; j++ {
		w := m.W1[j*m.In : (j+1)*m.In]
		s := m.B1[j]
		for i, v := range f[:m.In] {
			s += w[i] * v
		}
		if s < 0 {
			s = 0
		}
		h[j] = s
	}
	mx := float32(-math.MaxFloat32)
	for k := 0; k < m.Out; k++ {
		w := m.W2[k*m.Hidden : (k+1)*m.Hidden]
		s := m.B2[k]
		for j, v := range h[:m.Hidden] {
			s += w[j] * v
		}
		p[k] = s
		if s > mx {
			mx = s
		}
	}
	sum := float32(0)
	for k := range p[:m.Out] {
		p[k] = float32(math.Exp(float64(p[k] - mx)))
		sum += p[k]
	}
	for k := range p[:m.Out] {
		p[k] /= sum
	}
}

var defaultModel, defaultModelErr = ParseModel(ocrbModel)
