//go:build !(js && wasm)

package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// wasmBudget is the limit for capture.wasm as browsers download it:
// 1.0 MB brotli.
const wasmBudget = 1_000_000

// TestWasmSize: the capture.wasm.br that the harness built (make sdk) and
// the service sends stays within the download budget. The figure is also
// printed by the browser benchmark (make bench-browser).
func TestWasmSize(t *testing.T) {
	need(t)
	pub := filepath.Join(repoRoot, "public", "GlobalGatewayCapturePublic")
	raw, err := os.Stat(filepath.Join(pub, "capture.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	br, err := os.Stat(filepath.Join(pub, "capture.wasm.br"))
	if err != nil {
		t.Fatal(err)
	}
	if br.ModTime().Before(raw.ModTime()) {
		t.Fatalf("capture.wasm.br is older than capture.wasm: make sdk did not compress the build")
	}
	t.Logf("capture.wasm %d B raw, %d B brotli (budget %d B, %d B left)", raw.Size(), br.Size(), wasmBudget, wasmBudget-br.Size())
	if br.Size() > wasmBudget {
		t.Errorf("capture.wasm.br is %d B, over the %d B budget", br.Size(), wasmBudget)
	}
}
