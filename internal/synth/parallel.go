package synth

import (
	"runtime"
	"sync"
)

// parallelRows runs f over [0,h) split into contiguous row bands, one per
// available CPU (inline when there is only one, e.g. under wasm). Each band
// must touch only its own rows, so results do not depend on the split.
func parallelRows(h int, f func(y0, y1 int)) {
	n := min(runtime.GOMAXPROCS(0), 8)
	if n <= 1 || h < 64 {
		f(0, h)
		return
	}
	var wg sync.WaitGroup
	chunk := (h + n - 1) / n
	for y0 := 0; y0 < h; y0 += chunk {
		y1 := min(y0+chunk, h)
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(y0, y1)
		}()
	}
	wg.Wait()
}
