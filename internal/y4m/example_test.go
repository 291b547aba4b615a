package y4m_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"github.com/globalgateway/ggcapture/internal/y4m"
)

func ExampleWrite() {
	frame := image.NewNRGBA(image.Rect(0, 0, 64, 36))
	draw.Draw(frame, frame.Rect, image.NewUniform(color.NRGBA{128, 128, 128, 255}), image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := y4m.Write(&buf, []image.Image{frame, frame, frame}, 30); err != nil {
		panic(err)
	}
	v, _ := y4m.Read(&buf)
	f := v.Frames[0]
	fmt.Println(v.Width, v.Height, len(v.Frames), f.Y[0], f.Cb[0], f.Cr[0])
	// Output: 64 36 3 126 128 128
}

func ExampleFromImage() {
	photo := image.NewNRGBA(image.Rect(0, 0, 3000, 4000)) // portrait photo
	frame := y4m.FromImage(photo, 1280, 720)
	fmt.Println(frame.Bounds())
	// Output: (0,0)-(1280,720)
}
