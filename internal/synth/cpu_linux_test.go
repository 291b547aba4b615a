//go:build linux

package synth

import (
	"syscall"
	"time"
)

// processCPU is the user+system CPU time of the process, to report
// benchmark cost that is less sensitive to other load on the machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
