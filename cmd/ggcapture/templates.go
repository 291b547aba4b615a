package main

import (
	"io"

	"github.com/globalgateway/ggcapture/classify/templatecmd"
)

// cmdTemplates dispatches `ggcapture templates ...` to the classify package's
// template-library tool (add entries from specimens, list the library).
func cmdTemplates(args []string, stdout, stderr io.Writer) int {
	return templatecmd.Run(args, stdout, stderr)
}
