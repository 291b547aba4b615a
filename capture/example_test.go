package capture_test

import (
	"fmt"
	"time"

	"github.com/globalgateway/ggcapture/capture"
)

func Example() {
	s := capture.NewSession(capture.Front, nil) // defaults: glare ≥ 50, sharpness ≥ 50, DPI ≥ 250, 0.5 s steady
	card := capture.Observation{
		FrameW: 1280, FrameH: 720, Found: true,
		Corners: [4][2]float64{{200, 80}, {1080, 80}, {1080, 635}, {200, 635}},
		Glare:   97, Sharpness: 35, DPI: 261, Score: 60,
	}
	// 30 fps: a blurry card for 5 frames, then a sharp one held steady.
	for i := 0; i < 30; i++ {
		if i == 5 {
			card.Sharpness = 80
		}
		card.Score = float64(60 + i%4) // frame quality varies a little
		d := s.Step(card, time.Duration(i)*33*time.Millisecond)
		if d.Keep {
			fmt.Printf("frame %2d: keep (score %.0f)\n", i, card.Score)
		}
		if i < 9 || d.Snap {
			fmt.Printf("frame %2d: %-12s %q progress %.2f\n", i, d.Guidance, capture.Message(d.Guidance), d.Progress)
		}
		if d.Snap {
			break
		}
	}
	// Output:
	// frame  0: blurry       "Too blurry, hold the camera still" progress 0.00
	// frame  1: blurry       "Too blurry, hold the camera still" progress 0.00
	// frame  2: blurry       "Too blurry, hold the camera still" progress 0.00
	// frame  3: blurry       "Too blurry, hold the camera still" progress 0.00
	// frame  4: blurry       "Too blurry, hold the camera still" progress 0.00
	// frame  5: keep (score 61)
	// frame  5: blurry       "Too blurry, hold the camera still" progress 0.00
	// frame  6: keep (score 62)
	// frame  6: blurry       "Too blurry, hold the camera still" progress 0.07
	// frame  7: keep (score 63)
	// frame  7: hold_steady  "Hold steady" progress 0.13
	// frame  8: hold_steady  "Hold steady" progress 0.20
	// frame 21: capturing    "Capturing…" progress 1.00
}
