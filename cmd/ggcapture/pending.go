package main

import (
	"fmt"
	"io"
)

func cmdAnalyze(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ggcapture analyze: not built yet")
	return 1
}

func cmdTemplates(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ggcapture templates: not built yet")
	return 1
}
