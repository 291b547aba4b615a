package quality_test

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"github.com/globalgateway/ggcapture/quality"
)

// A frame with a plain light card on a dark background, as a luma plane.
func exampleFrame() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 1280, 720))
	draw.Draw(g, g.Rect, image.NewUniform(color.Gray{40}), image.Point{}, draw.Src)
	card := image.Rect(240, 150, 240+800, 150+504) // 800 x 504 px: aspect 1.587
	draw.Draw(g, card, image.NewUniform(color.Gray{215}), image.Point{}, draw.Src)
	for y := card.Min.Y + 120; y < card.Max.Y-80; y += 48 { // some "text"
		draw.Draw(g, image.Rect(card.Min.X+330, y, card.Max.X-60, y+20), image.NewUniform(color.Gray{30}), image.Point{}, draw.Src)
	}
	return g
}

func ExampleAnalyzer_Analyze() {
	a := quality.NewAnalyzer(nil) // reuse it for every frame
	var r quality.FrameResult
	if err := a.Analyze(&r, exampleFrame(), quality.FormatID1); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("found=%v coverage=%.2f dpi=%.0f glare=%.0f sharp=%v\n", r.Found, r.Coverage, r.DPI, r.Glare, r.Sharpness >= 70)
	// Output: found=true coverage=0.62 dpi=237 glare=100 sharp=true
}

func ExampleDetectQuad() {
	q, ok := quality.DetectQuad(exampleFrame(), quality.FormatID1)
	fmt.Println(ok)
	for _, p := range q {
		fmt.Printf("(%.0f,%.0f) ", p.X, p.Y)
	}
	fmt.Println()
	// Output:
	// true
	// (240,150) (1040,150) (1040,654) (240,654)
}

func ExampleCropDeskew() {
	q := quality.Quad{{240, 150}, {1040, 150}, {1040, 654}, {240, 654}}
	doc, err := quality.CropDeskew(exampleFrame(), q, quality.FormatID1, 400)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := quality.Measure(doc, quality.DPI(q, quality.FormatID1))
	fmt.Println(doc.Bounds().Dx(), doc.Bounds().Dy(), fmt.Sprintf("%.0f", m.DPI))
	// Output: 400 252 237
}

func ExampleDPI() {
	q := quality.Quad{{0, 0}, {1011, 0}, {1011, 637}, {0, 637}}
	fmt.Printf("%.0f\n", quality.DPI(q, quality.FormatID1))
	// Output: 300
}
