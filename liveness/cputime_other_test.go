//go:build !unix

package liveness

func cpuNanos() int64 { return 0 }
