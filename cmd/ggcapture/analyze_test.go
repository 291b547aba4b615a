package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/globalgateway/ggcapture/internal/realdata"
	"github.com/globalgateway/ggcapture/internal/synth"
)

type analyzeLine struct {
	File     string
	Kind     string
	Quality  *struct{ Glare, Sharpness, DPI float64 }
	Document *struct {
		Found   bool
		Corners [][2]float64
		Format  string
		MRZ     []string
		Barcode string
	}
	Classification *struct{ ClassName, Side, InstanceID string }
	Faces          []struct{ X, Y, Size, Score float64 }
	Liveness       *struct {
		LivenessResult *struct{ LivenessAssessment *string }
		ErrorCode      *int
	}
	Error *string
}

func runAnalyze(t *testing.T, args ...string) ([]analyzeLine, int) {
	t.Helper()
	var so, se bytes.Buffer
	rc := run(context.Background(), append([]string{"analyze"}, args...), &so, &se)
	var out []analyzeLine
	sc := bufio.NewScanner(&so)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l analyzeLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("bad line %q: %v", sc.Text(), err)
		}
		if !strings.Contains(sc.Text(), `"error":`) {
			t.Fatalf("line lacks error field: %s", sc.Text())
		}
		out = append(out, l)
	}
	if se.Len() > 0 {
		t.Logf("stderr: %s", se.String())
	}
	return out, rc
}

func TestAnalyzeDocuments(t *testing.T) {
	dir := t.TempDir()
	var files []string
	var truth []synth.Sample
	for i, d := range []synth.Doc{
		{Format: synth.ID1, Side: "Front", Seed: 11, Background: synth.Wood, TiltY: 10},
		{Format: synth.ID1, Side: "Front", Seed: 12, Background: synth.Desk, Roll: 5},
	} {
		s, err := synth.Render(d)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "card"+string(rune('a'+i))+".jpg")
		var b bytes.Buffer
		jpeg.Encode(&b, s.Image, &jpeg.Options{Quality: 92})
		os.WriteFile(p, b.Bytes(), 0o644)
		files, truth = append(files, p), append(truth, s)
	}
	os.WriteFile(filepath.Join(dir, "bad.jpg"), []byte("GIF89a"), 0o644)
	lines, rc := runAnalyze(t, append(append([]string{"--kind", "front"}, files...), filepath.Join(dir, "bad.jpg"))...)
	if rc != 1 || len(lines) != 3 {
		t.Fatalf("rc %d, %d lines", rc, len(lines))
	}
	for i, l := range lines[:2] {
		if l.Error != nil || l.File != files[i] || l.Kind != "front" || l.Document == nil || !l.Document.Found || l.Document.Format != "ID1" ||
			l.Classification == nil || len(l.Classification.InstanceID) != 36 || l.Quality == nil || l.Faces != nil || l.Liveness != nil {
			t.Fatalf("line %d: %+v", i, l)
		}
		diag := math.Hypot(1280, 720)
		for k, c := range l.Document.Corners {
			if d := math.Hypot(c[0]-truth[i].Corners[k][0], c[1]-truth[i].Corners[k][1]); d > 0.03*diag {
				t.Errorf("file %d corner %d off by %.1f px", i, k, d)
			}
		}
		if math.Abs(l.Quality.DPI-truth[i].DPI) > 0.1*truth[i].DPI {
			t.Errorf("file %d DPI %.0f, truth %.0f", i, l.Quality.DPI, truth[i].DPI)
		}
	}
	if l := lines[2]; l.Error == nil || !strings.Contains(*l.Error, "file type") {
		t.Fatalf("bad file line: %+v", l)
	}
	if _, rc := runAnalyze(t, "--kind", "nope", files[0]); rc != 2 {
		t.Fatalf("bad kind rc %d", rc)
	}
}

func pigoCascadeDir(t *testing.T) string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/esimov/pigo").Output()
	if err != nil {
		t.Skipf("pigo module not found: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "cascade")
}

func TestAnalyzeSelfie(t *testing.T) {
	casc := pigoCascadeDir(t)
	dir := t.TempDir()
	s, err := synth.Render(synth.Doc{Format: synth.ID1, Seed: 3, Blank: true})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "noface.jpg")
	var b bytes.Buffer
	jpeg.Encode(&b, s.Image, nil)
	os.WriteFile(p, b.Bytes(), 0o644)
	lines, rc := runAnalyze(t, "--kind", "selfie", "--cascades", casc, p)
	if rc != 0 || len(lines) != 1 {
		t.Fatalf("rc %d lines %d", rc, len(lines))
	}
	l := lines[0]
	if l.Liveness == nil || l.Liveness.ErrorCode == nil || *l.Liveness.ErrorCode != 9002 || l.Faces == nil || len(l.Faces) != 0 || l.Document != nil {
		t.Fatalf("%+v", l)
	}
	if _, rc := runAnalyze(t, "--kind", "selfie", "--cascades", dir, p); rc != 1 {
		t.Fatalf("missing cascades rc %d", rc)
	}
}

// TestAnalyzeRealFaces checks the selfie path on real photos with exactly one
// face each (skipped without the shared test data).
func TestAnalyzeRealFaces(t *testing.T) {
	dir := realdata.Dir(t, "faces", "frontal_single")
	casc := pigoCascadeDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
	if len(files) > 4 {
		files = files[:4]
	}
	if len(files) == 0 {
		t.Skip("no jpg in faces/frontal_single")
	}
	lines, _ := runAnalyze(t, append([]string{"--kind", "selfie", "--cascades", casc}, files...)...)
	found := 0
	for _, l := range lines {
		if l.Error != nil {
			t.Errorf("%s: %s", l.File, *l.Error)
			continue
		}
		if len(l.Faces) >= 1 {
			found++
		}
	}
	t.Logf("faces found in %d of %d single-face photos", found, len(lines))
	if found < len(lines)*3/4 {
		t.Fatalf("faces found in only %d of %d", found, len(lines))
	}
}
