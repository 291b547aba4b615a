package synth_test

import (
	"fmt"

	"github.com/globalgateway/ggcapture/internal/synth"
)

func ExampleRender() {
	s, err := synth.Render(synth.Doc{
		Format:     synth.ID1,
		Side:       "Front",
		Seed:       42,
		DPI:        250,
		TiltX:      10,
		Roll:       -5,
		Background: synth.Clutter,
		BlurSigma:  0.7,
		Glare:      0.03,
		Noise:      2,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Image.Bounds(), fmt.Sprintf("%.1f", s.DPI))
	for _, c := range s.Corners {
		fmt.Printf("(%.0f,%.0f) ", c[0], c[1])
	}
	fmt.Println()
	// Output:
	// (0,0)-(1280,720) 250.0
	// (181,127) (1056,48) (1066,576) (263,642)
}

func ExampleSample_DocToImage() {
	s, _ := synth.Render(synth.Doc{Format: synth.ID3, Blank: true, DPI: 150})
	// where the first MRZ line's centre starts on the passport page
	y := synth.MRZLineCenters(synth.ID3, 2)[0]
	x, py := s.DocToImage(6.6, y)
	fmt.Printf("%.1f mm from the top -> (%.0f, %.0f) px\n", y, x, py)
	// Output: 72.2 mm from the top -> (310, 527) px
}
