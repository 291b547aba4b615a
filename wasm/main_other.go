//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "capture.wasm is built with GOOS=js GOARCH=wasm (make sdk)")
	os.Exit(2)
}
