package pdf417_test

import (
	"fmt"

	"github.com/globalgateway/ggcapture/classify/pdf417"
)

func ExampleDecode() {
	sym, err := pdf417.Encode([]byte("This is PDF417"), pdf417.EncodeOptions{AutoEC: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	img := sym.Image(2, 6, 2) // 2 px modules, rows 6 px high, 2-module quiet zone
	res, err := pdf417.Decode(img)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q rows=%d cols=%d ec=%d\n", res.Text, res.Rows, res.Cols, res.ECLevel)
	// Output: "This is PDF417" rows=9 cols=2 ec=2
}

func ExampleDecodeCodewords() {
	// Length descriptor 5, then "PDF417" in text compaction.
	msg, err := pdf417.DecodeCodewords([]int{5, 453, 178, 121, 239})
	fmt.Printf("%s %v\n", msg, err)
	// Output: PDF417 <nil>
}
