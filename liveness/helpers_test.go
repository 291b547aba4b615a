package liveness

import (
	"bufio"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/disintegration/imaging"
	"github.com/globalgateway/ggcapture/internal/realdata"
)

const pigoModule = "github.com/esimov/pigo"

// pigoDir finds the pigo module directory: `go list -m` when the go tool is
// available, else the module cache (GOMODCACHE, GOPATH or ~/go) with the
// version recorded in the test binary (the wasm test runner cannot exec).
func pigoDir() string {
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", pigoModule).Output(); err == nil {
		if d := strings.TrimSpace(string(out)); d != "" {
			return d
		}
	}
	version := "v1.4.6"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == pigoModule {
				version = m.Version
			}
		}
	}
	var roots []string
	if v := os.Getenv("GOMODCACHE"); v != "" {
		roots = append(roots, v)
	}
	if v := os.Getenv("GOPATH"); v != "" {
		roots = append(roots, filepath.Join(strings.Split(v, string(os.PathListSeparator))[0], "pkg", "mod"))
	}
	if v := os.Getenv("HOME"); v != "" {
		roots = append(roots, filepath.Join(v, "go", "pkg", "mod"))
	}
	for _, r := range roots {
		d := filepath.Join(r, "github.com", "esimov", "pigo@"+version)
		if _, err := os.Stat(filepath.Join(d, "cascade", "facefinder")); err == nil {
			return d
		}
	}
	return ""
}

var (
	cascadeOnce          sync.Once
	ffBytes, puplocBytes []byte
)

// cascades returns the facefinder and puploc cascade bytes or skips the test.
func cascades(t testing.TB) (ff, pl []byte) {
	t.Helper()
	cascadeOnce.Do(func() {
		d := pigoDir()
		if d == "" {
			return
		}
		ffBytes, _ = os.ReadFile(filepath.Join(d, "cascade", "facefinder"))
		puplocBytes, _ = os.ReadFile(filepath.Join(d, "cascade", "puploc"))
	})
	if len(ffBytes) == 0 || len(puplocBytes) == 0 {
		t.Skip("pigo cascades not found (go list -m " + pigoModule + " failed and no module cache); skipping")
	}
	return ffBytes, puplocBytes
}

func newDetector(t testing.TB) *Detector {
	t.Helper()
	ff, pl := cascades(t)
	d, err := NewDetector(ff, pl)
	if err != nil {
		t.Fatalf("NewDetector: %v", err)
	}
	return d
}

// manifestRow is one line of faces/MANIFEST.tsv.
type manifestRow struct{ File, Shows, Truth string }

func facesManifest(t testing.TB) (dir string, rows []manifestRow) {
	t.Helper()
	dir = realdata.Dir(t, "faces")
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("faces manifest: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 6 {
			continue
		}
		rows = append(rows, manifestRow{File: c[0], Shows: c[4], Truth: c[5]})
	}
	return dir, rows
}

// loadImage decodes a test image honouring EXIF orientation (Go's decoders
// ignore it).
func loadImage(t testing.TB, path string) image.Image {
	t.Helper()
	img, err := imaging.Open(path, imaging.AutoOrientation(true))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return img
}

func inFolder(rows []manifestRow, folder string) []manifestRow {
	var out []manifestRow
	for _, r := range rows {
		if strings.HasPrefix(r.File, folder+"/") {
			out = append(out, r)
		}
	}
	return out
}

func imagingFmt(format string, a ...any) string { return fmt.Sprintf(format, a...) }
