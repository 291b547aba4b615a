package liveness

import (
	"math"
	"math/bits"
)

// fft2 is a small radix-2 2-D FFT for n×n real tiles (n a power of two) with
// a Hann window, accumulating the power spectrum over several tiles (Welch).
type fft2 struct {
	n        int
	re, im   []float64 // n×n work plane
	cos, sin []float64 // twiddles
	rev      []int
	win      []float64 // 1-D Hann window
	power    []float64 // accumulated |F|², n×n, DC at (0,0)
	tiles    int
	cre, cim []float64 // column scratch
}

func newFFT2(n int) *fft2 {
	f := &fft2{n: n, re: make([]float64, n*n), im: make([]float64, n*n),
		cos: make([]float64, n/2), sin: make([]float64, n/2), rev: make([]int, n),
		win: make([]float64, n), power: make([]float64, n*n),
		cre: make([]float64, n), cim: make([]float64, n)}
	lg := bits.TrailingZeros(uint(n))
	for i := 0; i < n; i++ {
		f.rev[i] = int(bits.Reverse(uint(i)) >> (bits.UintSize - lg))
		f.win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*(float64(i)+0.5)/float64(n))
	}
	for i := 0; i < n/2; i++ {
		f.sin[i], f.cos[i] = math.Sincos(-2 * math.Pi * float64(i) / float64(n))
	}
	return f
}

func (f *fft2) reset() {
	clear(f.power)
	f.tiles = 0
}

// fft1 transforms re/im in place (length n).
func (f *fft2) fft1(re, im []float64) {
	n := f.n
	for i := 0; i < n; i++ {
		if j := f.rev[i]; j > i {
			re[i], re[j] = re[j], re[i]
			im[i], im[j] = im[j], im[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		half, step := size/2, n/size
		for start := 0; start < n; start += size {
			for k := 0; k < half; k++ {
				wr, wi := f.cos[k*step], f.sin[k*step]
				a, b := start+k, start+k+half
				tr := re[b]*wr - im[b]*wi
				ti := re[b]*wi + im[b]*wr
				re[b], im[b] = re[a]-tr, im[a]-ti
				re[a], im[a] = re[a]+tr, im[a]+ti
			}
		}
	}
}

// add windows the tile (values v(x, y) for x, y < n, mean removed) and adds
// its power spectrum.
func (f *fft2) add(v func(x, y int) float64) {
	n := f.n
	var mean float64
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			val := v(x, y)
			f.re[y*n+x] = val
			mean += val
		}
	}
	mean /= float64(n * n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			f.re[y*n+x] = (f.re[y*n+x] - mean) * f.win[x] * f.win[y]
			f.im[y*n+x] = 0
		}
	}
	for y := 0; y < n; y++ {
		f.fft1(f.re[y*n:(y+1)*n], f.im[y*n:(y+1)*n])
	}
	for x := 0; x < n; x++ {
		for y := 0; y < n; y++ {
			f.cre[y], f.cim[y] = f.re[y*n+x], f.im[y*n+x]
		}
		f.fft1(f.cre, f.cim)
		for y := 0; y < n; y++ {
			f.power[y*n+x] += f.cre[y]*f.cre[y] + f.cim[y]*f.cim[y]
		}
	}
	f.tiles++
}

// peak returns the strongest isolated periodic peak: the largest ratio of a
// bin's power to the mean of its 7×7 neighbourhood without the central 3×3,
// over bins whose frequency radius lies in [rmin, rmax] (in bins), skipping
// the JPEG block grid (both frequencies multiples of n/8, ±1 bin of window
// leakage) and the Nyquist row and column. It also returns the bin.
func (f *fft2) peak(rmin, rmax float64) (ratio float64, u, v int) {
	n := f.n
	at := func(x, y int) float64 { return f.power[((y+n)%n)*n+(x+n)%n] }
	grid := n / 8
	onGrid := func(k int) bool {
		m := ((k % grid) + grid) % grid
		return m == 0 || m == 1 || m == grid-1
	}
	best := 0.0
	for y := -n/2 + 1; y < n/2; y++ {
		for x := 0; x < n/2; x++ { // half plane: the spectrum of a real tile is symmetric
			r := math.Hypot(float64(x), float64(y))
			if r < rmin || r > rmax {
				continue
			}
			if onGrid(x) && onGrid(y) {
				continue
			}
			p := at(x, y)
			// local maximum in 3×3
			isMax := true
			for dy := -1; dy <= 1 && isMax; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if (dx != 0 || dy != 0) && at(x+dx, y+dy) > p {
						isMax = false
						break
					}
				}
			}
			if !isMax {
				continue
			}
			var bg float64
			for dy := -3; dy <= 3; dy++ {
				for dx := -3; dx <= 3; dx++ {
					if dx >= -1 && dx <= 1 && dy >= -1 && dy <= 1 {
						continue
					}
					bg += at(x+dx, y+dy)
				}
			}
			bg /= 40
			if bg <= 0 {
				continue
			}
			// the 3×3 peak energy (window leakage spreads a line over ±1 bin)
			var pk float64
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					pk += at(x+dx, y+dy)
				}
			}
			if q := pk / 9 / bg; q > best {
				best, u, v = q, x, y
			}
		}
	}
	return best, u, v
}
