package imagein

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/globalgateway/ggcapture/internal/realdata"
)

// Every real JPEG/PNG of the shared test set decodes (no size minimum).
func TestRealImagesDecode(t *testing.T) {
	if testing.Short() {
		t.Skip("real images: skipped in -short")
	}
	dir := realdata.Dir(t)
	n := 0
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".jpg", ".jpeg", ".png", ".webp":
		default:
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		img, info, err := DecodeInfo(data, Limits{MinWidth: -1, MinHeight: -1})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			return nil
		}
		if b := img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
			t.Errorf("%s: bounds %v info %+v", filepath.Base(p), b, info)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no images found")
	}
	t.Logf("%d real images decoded", n)
}
