package classify

import (
	"image"

	"github.com/globalgateway/ggcapture/classify/pdf417"
)

// defaultBarcodeReader is the PDF417 decoder used by New.
var defaultBarcodeReader BarcodeReader = func(img image.Image) (string, error) {
	r, err := pdf417.Decode(img)
	if err != nil {
		return "", err
	}
	return r.Text, nil
}
