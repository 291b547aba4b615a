package imagein_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"

	"github.com/globalgateway/ggcapture/internal/imagein"
)

func Example() {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 640, 480)))
	url := "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())

	img, raw, err := imagein.DecodeDataURL(url, imagein.Limits{})
	fmt.Println(img.Bounds(), imagein.Sniff(raw), err)

	// The same bytes labelled as JPEG are refused, and so is a GIF.
	_, _, err = imagein.DecodeDataURL("data:image/jpeg;base64,"+url[len("data:image/png;base64,"):], imagein.Limits{})
	fmt.Println(imagein.Code(err), err)
	_, err = imagein.Decode([]byte("GIF89a..."), imagein.Limits{})
	fmt.Println(imagein.Code(err), err)

	// Too small for a document upload that needs 1000 px across.
	_, err = imagein.Decode(buf.Bytes(), imagein.Limits{MinWidth: 1000})
	fmt.Println(imagein.Code(err), err)
	// Output:
	// (0,0)-(640,480) png <nil>
	// 1003 imagein: file type not accepted: data URL says image/jpeg, content is png
	// 1003 imagein: file type not accepted: GIF (JPEG, PNG or WebP expected)
	// 1001 imagein: image smaller than the minimum size: 640x480, minimum 1000x64
}
