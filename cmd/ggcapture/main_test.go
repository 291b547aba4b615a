package main

import (
	"context"
	"os"
	"testing"
)

// TestMain lets tests run this test binary as the ggcapture command itself
// (GGCAPTURE_TEST_MAIN=1 ./ggcapture.test serve ...), to send it real signals.
func TestMain(m *testing.M) {
	if os.Getenv("GGCAPTURE_TEST_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
