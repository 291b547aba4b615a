package server

import (
	"image"
	"net/http"
	"strings"

	"github.com/globalgateway/ggcapture/internal/imagein"
)

// decodeImage turns a data URL (or bare base64) into an upright image through
// internal/imagein (type sniffing, size and pixel limits from the header before
// decoding, EXIF orientation). It returns the decoded file bytes too (for the
// result signature). Every failure is a 400 with imagein's SDK code.
func decodeImage(s string, lim imagein.Limits) (image.Image, []byte, *httpError) {
	img, raw, err := imagein.DecodeDataURL(s, lim)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "imagein: ")
		return nil, nil, errf(http.StatusBadRequest, imagein.Code(err), msg)
	}
	return img, raw, nil
}
