package main

import (
	"context"
	"fmt"
	"io"
)

func cmdAnalyze(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ggcapture analyze: not built yet")
	return 1
}

func cmdFakecam(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ggcapture fakecam: not built yet")
	return 1
}

func cmdLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ggcapture loadtest: not built yet")
	return 1
}

func cmdTemplates(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ggcapture templates: not built yet")
	return 1
}
