package exif

import (
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The APP1 segment for sampleMeta is fixed byte for byte (checked against
// exiftool 12.57 -validate when it was created): any change to the layout
// shows up here.
func TestGoldenSegment(t *testing.T) {
	seg, err := Segment(sampleMeta(), 1280, 806)
	if err != nil {
		t.Fatal(err)
	}
	got := hex.Dump(seg)
	p := filepath.Join("testdata", "segment.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("segment differs from %s (run go test -update if intended):\n%s", p, got)
	}
}
