// Command gen trains the MRZ character recogniser and writes its weights
// (classify/mrz/ocrb.model, embedded by package mrz). It renders random,
// check-digit-valid MRZs in OCR-B (Debian fonts-ocr-b) on synthetic
// documents under blur, noise, scale, rotation and perspective, runs the
// same locator and cell segmentation as package mrz, and fits a
// one-hidden-layer perceptron on the resulting cells with SGD. Everything is
// seeded: the same font and flags give the same weights.
//
//	go generate ./classify/mrz   (or: go run ./classify/mrz/gen -o classify/mrz/ocrb.model)
package main

import (
	"flag"
	"fmt"
	"image"
	"math"
	"math/rand"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/globalgateway/ggcapture/classify/mrz"
	"github.com/globalgateway/ggcapture/classify/mrz/internal/render"
)

type sample struct {
	f     []float32
	label int
	line  int // source line id (image*8 + copy*4 + line)
}

func main() {
	out := flag.String("o", "ocrb.model", "output file")
	images := flag.Int("images", 1000, "synthetic documents to render")
	hidden := flag.Int("hidden", 128, "hidden units")
	epochs := flag.Int("epochs", 10, "training epochs")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	f, err := render.LoadFont()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen: OCR-B font (apt-get install fonts-ocr-b):", err)
		os.Exit(1)
	}
	t0 := time.Now()
	data, miss := collect(f, *images, *seed)
	fmt.Fprintf(os.Stderr, "gen: %d cells from %d images (%d not located) in %v\n", len(data), *images, miss, time.Since(t0).Round(time.Second))
	rng := rand.New(rand.NewSource(*seed))
	rng.Shuffle(len(data), func(i, j int) { data[i], data[j] = data[j], data[i] })
	nval := len(data) / 10
	val, train := data[:nval], data[nval:]
	m := trainMLP(train, val, *hidden, (*epochs+1)/2, rng)
	// Drop lines the first model mostly gets wrong (the locator or the
	// segmentation failed there, so their labels are shifted) and train
	// again on the rest.
	train = clean(m, train)
	val = clean(m, val)
	m = trainMLP(train, val, *hidden, *epochs, rng)
	if err := os.WriteFile(*out, m.Marshal(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gen: wrote %s (%d bytes) in %v\n", *out, len(m.Marshal()), time.Since(t0).Round(time.Second))
}

// spec draws random rendering conditions.
func spec(rng *rand.Rand, lines []string, seed int64) render.Spec {
	return render.Spec{
		Lines:     lines,
		Seed:      seed,
		Pitch:     6 + rng.Float64()*26,
		Blur:      rng.Float64() * 1.6,
		Noise:     rng.Float64() * 14,
		Tilt:      rng.Float64() * 0.05,
		Rotate:    (rng.Float64()*2 - 1) * 8,
		Uncropped: rng.Intn(3) == 0,
		Clutter:   rng.Intn(5) != 0,
	}
}

// collect renders n documents and returns labelled cells.
func collect(f *render.Font, n int, seed int64) ([]sample, int) {
	var mu sync.Mutex
	var data []sample
	miss := 0
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				rng := rand.New(rand.NewSource(seed*1_000_003 + int64(i)))
				lines := render.RandomMRZ(rng, "")
				s, err := render.Render(f, spec(rng, lines, rng.Int63()))
				if err != nil {
					continue
				}
				z, ok := matchZone(s.Image, lines)
				if !ok {
					mu.Lock()
					miss++
					mu.Unlock()
					continue
				}
				var local []sample
				// The located geometry, plus jittered copies so the
				// recogniser tolerates segmentation error.
				for j := 0; j < 2; j++ {
					zz := z
					if j > 0 {
						zz = jitter(rng, z)
					}
					feats := mrz.CellFeatures(s.Image, &zz)
					for li, lf := range feats {
						for ci, fv := range lf {
							if li < len(lines) && ci < len(lines[li]) {
								local = append(local, sample{fv, strings.IndexByte(mrz.Alphabet, lines[li][ci]), i*8 + j*4 + li})
							}
						}
					}
				}
				mu.Lock()
				data = append(data, local...)
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	return data, miss
}

func matchZone(img *image.Gray, lines []string) (mrz.Zone, bool) {
	zs, err := mrz.Locate(img)
	if err != nil {
		return mrz.Zone{}, false
	}
	for _, z := range zs {
		if len(z.Lines) == len(lines) && z.Lines[0].N == len(lines[0]) {
			return z, true
		}
	}
	return mrz.Zone{}, false
}

func jitter(rng *rand.Rand, z mrz.Zone) mrz.Zone {
	out := mrz.Zone{Score: z.Score}
	for _, l := range z.Lines {
		L := math.Hypot(l.X1-l.X0, l.Y1-l.Y0)
		p := L / float64(l.N)
		ux, uy := (l.X1-l.X0)/L, (l.Y1-l.Y0)/L
		d0 := (rng.Float64()*2 - 1) * 0.12 * p
		d1 := (rng.Float64()*2 - 1) * 0.12 * p
		dv := (rng.Float64()*2 - 1) * 0.08 * l.CharH
		l.X0 += d0*ux - dv*uy
		l.Y0 += d0*uy + dv*ux
		l.X1 += d1*ux - dv*uy
		l.Y1 += d1*uy + dv*ux
		l.CharH *= 1 + (rng.Float64()*2-1)*0.08
		out.Lines = append(out.Lines, l)
	}
	return out
}

func trainMLP(train, val []sample, hidden, epochs int, rng *rand.Rand) *mrz.Model {
	in, out := mrz.NumFeatures, len(mrz.Alphabet)
	m := &mrz.Model{In: in, Hidden: hidden, Out: out,
		W1: make([]float32, hidden*in), B1: make([]float32, hidden),
		W2: make([]float32, out*hidden), B2: make([]float32, out)}
	s1 := math.Sqrt(2 / float64(in))
	for i := range m.W1 {
		m.W1[i] = float32(rng.NormFloat64() * s1)
	}
	s2 := math.Sqrt(1 / float64(hidden))
	for i := range m.W2 {
		m.W2[i] = float32(rng.NormFloat64() * s2)
	}
	h := make([]float32, hidden)
	p := make([]float32, out)
	dh := make([]float32, hidden)
	for ep := 0; ep < epochs; ep++ {
		lr := float32(0.05 * math.Pow(0.75, float64(ep)))
		rng.Shuffle(len(train), func(i, j int) { train[i], train[j] = train[j], train[i] })
		loss := 0.0
		for _, s := range train {
			m.Forward(s.f, h, p)
			loss -= math.Log(math.Max(float64(p[s.label]), 1e-9))
			// output gradient
			for j := range dh {
				dh[j] = 0
			}
			for k := 0; k < out; k++ {
				g := p[k]
				if k == s.label {
					g -= 1
				}
				if g > -1e-5 && g < 1e-5 {
					continue
				}
				w := m.W2[k*hidden : (k+1)*hidden]
				for j := 0; j < hidden; j++ {
					dh[j] += g * w[j]
					w[j] -= lr * g * h[j]
				}
				m.B2[k] -= lr * g
			}
			for j := 0; j < hidden; j++ {
				if h[j] <= 0 || dh[j] == 0 {
					continue
				}
				g := lr * dh[j]
				w := m.W1[j*in : (j+1)*in]
				for i, v := range s.f {
					w[i] -= g * v
				}
				m.B1[j] -= g
			}
		}
		fmt.Fprintf(os.Stderr, "gen: epoch %d loss %.4f train-err %.3f%% val-err %.3f%%\n", ep, loss/float64(len(train)),
			100*errRate(m, train[:min(len(train), 20000)]), 100*errRate(m, val))
	}
	return m
}

func clean(m *mrz.Model, data []sample) []sample {
	h := make([]float32, m.Hidden)
	p := make([]float32, m.Out)
	bad, tot := map[int]int{}, map[int]int{}
	for _, s := range data {
		m.Forward(s.f, h, p)
		b := 0
		for k := range p {
			if p[k] > p[b] {
				b = k
			}
		}
		tot[s.line]++
		if b != s.label {
			bad[s.line]++
		}
	}
	var out []sample
	dropped := map[int]bool{}
	for _, s := range data {
		if bad[s.line]*4 > tot[s.line] {
			dropped[s.line] = true
			continue
		}
		out = append(out, s)
	}
	fmt.Fprintf(os.Stderr, "gen: dropped %d of %d lines as misaligned\n", len(dropped), len(tot))
	return out
}

func errRate(m *mrz.Model, data []sample) float64 {
	h := make([]float32, m.Hidden)
	p := make([]float32, m.Out)
	bad := 0
	for _, s := range data {
		m.Forward(s.f, h, p)
		b := 0
		for k := range p {
			if p[k] > p[b] {
				b = k
			}
		}
		if b != s.label {
			bad++
		}
	}
	return float64(bad) / math.Max(1, float64(len(data)))
}
