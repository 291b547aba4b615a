package main

import (
	"fmt"
	"io"
)

func cmdTemplates(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ggcapture templates: not built yet")
	return 1
}
