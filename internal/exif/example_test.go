package exif_test

import (
	"bytes"
	"fmt"
	"image"
	"time"

	"github.com/globalgateway/ggcapture/internal/exif"
)

func Example() {
	img := image.NewGray(image.Rect(0, 0, 320, 200))
	var buf bytes.Buffer
	err := exif.Encode(&buf, img, 90, exif.Meta{
		Mode: "auto", CaptureType: "DOCUMENT_FRONT", SDKVersion: "1.0.0", DeviceType: "mobile",
		Time:  time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Glare: 99.5, Sharpness: 72.25, DPI: 301,
		GPS: &exif.GPS{Lat: 49.28, Lon: -123.12, Accuracy: 12},
	})
	if err != nil {
		panic(err)
	}
	m, _ := exif.Parse(buf.Bytes())
	fmt.Println(m.Mode, m.CaptureType, m.SDKVersion, m.DeviceType, m.Time.Format(time.RFC3339))
	fmt.Println(m.Glare, m.Sharpness, m.DPI)
	fmt.Println(m.GPS.Lat, m.GPS.Lon, m.GPS.Accuracy, exif.Orientation(buf.Bytes()))
	// Output:
	// auto DOCUMENT_FRONT 1.0.0 mobile 2026-11-25T12:00:00Z
	// 99.5 72.25 301
	// 49.28 -123.12 12 1
}
