// Package realdata locates the shared real-image test set (never committed to
// this repository). Tests call Dir and are skipped with a clear message when
// the folder is absent, so a fresh clone still passes its tests.
package realdata

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the environment variable that overrides the location.
const EnvVar = "GGCAPTURE_TESTDATA"

// Find returns the shared test-data folder, or "" when it cannot be found.
// It looks at $GGCAPTURE_TESTDATA, then at ../shared/testdata from the
// repository root (found by walking up from the working directory to go.mod).
func Find() string {
	if d := os.Getenv(EnvVar); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
		return ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared", "testdata")
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				return d
			}
			return ""
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// Dir returns the shared test-data folder joined with sub (e.g. "faces"),
// or skips the test when it is absent.
func Dir(t testing.TB, sub ...string) string {
	t.Helper()
	d := Find()
	if d == "" {
		t.Skipf("real test images not found: set %s or place them at ../shared/testdata (skipping)", EnvVar)
	}
	p := filepath.Join(append([]string{d}, sub...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real test images: %s missing (skipping)", p)
	}
	return p
}
