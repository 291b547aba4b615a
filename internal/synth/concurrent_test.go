package synth

import (
	"bytes"
	"sync"
	"testing"
)

// Render is safe for concurrent use (tests in other packages run it in
// parallel); concurrent renders match sequential ones.
func TestConcurrentRender(t *testing.T) {
	docs := []Doc{
		{Seed: 1, Width: 320, Height: 180, Background: Clutter},
		{Seed: 2, Width: 320, Height: 180, Format: ID3, Background: Desk, MRZ: []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"}},
		{Seed: 3, Width: 320, Height: 180, Side: "Back", Background: Wood, BlurSigma: 1, Noise: 3},
	}
	want := make([][]byte, len(docs))
	for i, d := range docs {
		s, err := Render(d)
		if err != nil {
			if i == 1 {
				docs[1].MRZ = nil // no OCR-B installed
				s, err = Render(docs[1])
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		want[i] = s.Image.Pix
	}
	var wg sync.WaitGroup
	errs := make(chan string, 12)
	for k := 0; k < 12; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			i := k % len(docs)
			s, err := Render(docs[i])
			if err != nil {
				errs <- err.Error()
				return
			}
			if !bytes.Equal(s.Image.Pix, want[i]) {
				errs <- "concurrent render differs"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
