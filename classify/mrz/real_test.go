package mrz

import (
	"bufio"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/globalgateway/ggcapture/internal/realdata"
)

// groundTruth reads documents/MANIFEST.tsv: file -> MRZ lines for the rows
// that transcribe them.
func groundTruth(t *testing.T, docs string) map[string][]string {
	f, err := os.Open(filepath.Join(docs, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("manifest: %v", err)
	}
	defer f.Close()
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 6 || !strings.HasPrefix(cols[0], "mrz/") {
			continue
		}
		gt := cols[5]
		if i := strings.Index(gt, "MRZ lines"); i >= 0 {
			if j := strings.Index(gt[i:], "): "); j >= 0 {
				out[strings.TrimPrefix(cols[0], "mrz/")] = strings.Split(strings.TrimSpace(gt[i+j+3:]), "|")
			}
		}
	}
	return out
}

func decodeFile(t *testing.T, p string) image.Image {
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return img
}

// TestRealGroundTruth: every transcribed MRZ of the real specimen set is read
// exactly, with every check digit valid.
func TestRealGroundTruth(t *testing.T) {
	docs := realdata.Dir(t, "documents")
	gt := groundTruth(t, docs)
	if len(gt) == 0 {
		t.Skip("no transcribed MRZ rows in the manifest")
	}
	ok := 0
	for file, want := range gt {
		r, err := Read(decodeFile(t, filepath.Join(docs, "mrz", file)))
		switch {
		case err != nil:
			t.Errorf("%s: %v", file, err)
		case strings.Join(r.Doc.Lines, "|") != strings.Join(want, "|"):
			t.Errorf("%s: read %q (raw %q), want %q", file, r.Doc.Lines, r.Raw, want)
		case !r.Doc.Valid():
			t.Errorf("%s: checks %+v", file, r.Doc.Checks)
		default:
			ok++
		}
	}
	t.Logf("real ground truth: %d/%d read exactly with all check digits valid", ok, len(gt))
}

// TestRealNegatives: images without a document give no MRZ.
func TestRealNegatives(t *testing.T) {
	dir := realdata.Dir(t, "documents", "negatives")
	ents, _ := os.ReadDir(dir)
	n := 0
	for _, e := range ents {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".tsv") || strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		n++
		if r, err := Read(decodeFile(t, filepath.Join(dir, e.Name()))); err == nil {
			t.Errorf("%s: MRZ reported: %q", e.Name(), r.Doc.Lines)
		}
	}
	t.Logf("negatives: %d images, none with an MRZ expected", n)
}
