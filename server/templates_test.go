package server

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadTemplates(t *testing.T) {
	if lib, err := LoadTemplates(""); err != nil || lib == nil {
		t.Fatalf("built-in: %v", err)
	}
	if _, err := LoadTemplates(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing templates directory was accepted")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadTemplates(dir); err == nil {
		t.Error("a malformed template was accepted")
	}
	// serve refuses to start with a bad templates directory rather than
	// silently classifying without the integrator's documents.
	if _, err := New(Config{Dev: true, TemplatesDir: dir}); err == nil {
		t.Error("New accepted a malformed templates directory")
	}
}
