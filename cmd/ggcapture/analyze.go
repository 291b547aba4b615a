package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sync"

	"github.com/globalgateway/ggcapture/classify"
	"github.com/globalgateway/ggcapture/internal/imagein"
	"github.com/globalgateway/ggcapture/liveness"
	"github.com/globalgateway/ggcapture/quality"
	"github.com/globalgateway/ggcapture/server"
)

// analyzeResult is one output line of `ggcapture analyze` (DESIGN §6).
type analyzeResult struct {
	File           string               `json:"file"`
	Kind           string               `json:"kind"`
	Quality        *analyzeQuality      `json:"quality,omitempty"`
	Document       *analyzeDocument     `json:"document,omitempty"`
	Classification *classify.Result     `json:"classification,omitempty"`
	Faces          *[]analyzeFace       `json:"faces,omitempty"`
	Liveness       *liveness.Assessment `json:"liveness,omitempty"`
	Error          *string              `json:"error"`
}

type analyzeQuality struct {
	Glare     float64 `json:"glare"`
	Sharpness float64 `json:"sharpness"`
	DPI       float64 `json:"dpi"`
}

type analyzeDocument struct {
	Found   bool         `json:"found"`
	Corners [][2]float64 `json:"corners"`
	Format  string       `json:"format"`
	MRZ     []string     `json:"mrz"`
	Barcode string       `json:"barcode"`
}

type analyzeFace struct {
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Size  float64 `json:"size"`
	Score float64 `json:"score"`
}

var captureTypes = map[string]string{"front": classify.CaptureFront, "back": classify.CaptureBack, "passport": classify.CapturePassport}

func cmdAnalyze(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ggcapture analyze", flag.ContinueOnError)
	kind := fs.String("kind", "", "front, back, passport or selfie (required)")
	cascades := fs.String("cascades", "public/GlobalGatewayCapturePublic/cascade", "directory with the pigo cascades (selfie)")
	maxLong := fs.Int("max-long", 2000, "long side of the cropped document, as the SDK sends it")
	workers := fs.Int("j", runtime.GOMAXPROCS(0), "files analysed in parallel (output keeps the input order)")
	templates := fs.String("templates", "", "directory of extra document templates (from `ggcapture templates add`)")
	var files []string
	rest := args
	for {
		if rc := parseFlags(fs, rest, stderr); rc >= 0 {
			return rc
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if _, ok := captureTypes[*kind]; !ok && *kind != "selfie" {
		fmt.Fprintln(stderr, "usage: ggcapture analyze --kind front|back|passport|selfie FILE...")
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "ggcapture analyze: no files")
		return 2
	}
	var newDetector func() (*liveness.Detector, error)
	if *kind == "selfie" {
		ff, pl, err := server.LoadCascades(*cascades)
		if err != nil {
			fmt.Fprintf(stderr, "ggcapture analyze: face cascades: %v (run make, or pass --cascades DIR)\n", err)
			return 1
		}
		if _, err := liveness.NewDetector(ff, pl); err != nil {
			fmt.Fprintln(stderr, "ggcapture analyze:", err)
			return 1
		}
		newDetector = func() (*liveness.Detector, error) { return liveness.NewDetector(ff, pl) }
	}
	lib, err := server.LoadTemplates(*templates)
	if err != nil {
		fmt.Fprintln(stderr, "ggcapture analyze:", err)
		return 1
	}
	cls := classify.New(lib)
	if *workers < 1 {
		*workers = 1
	}
	results := make([]chan analyzeResult, len(files))
	for i := range results {
		results[i] = make(chan analyzeResult, 1)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var det *liveness.Detector
			if newDetector != nil {
				det, _ = newDetector()
			}
			for i := range jobs {
				results[i] <- analyzeFile(files[i], *kind, *maxLong, cls, det)
			}
		}()
	}
	go func() {
		for i := range files {
			jobs <- i
		}
		close(jobs)
	}()
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	rc := 0
	for i := range files {
		r := <-results[i]
		if r.Error != nil {
			rc = 1
		}
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(stderr, "ggcapture analyze:", err)
			return 1
		}
	}
	wg.Wait()
	return rc
}

func analyzeFile(file, kind string, maxLong int, cls *classify.Classifier, det *liveness.Detector) (r analyzeResult) {
	r.File, r.Kind = file, kind
	fail := func(err error) analyzeResult {
		s := err.Error()
		r.Error = &s
		return r
	}
	defer func() {
		if p := recover(); p != nil {
			s := fmt.Sprintf("internal error: %v", p)
			r.Error = &s
		}
	}()
	data, err := os.ReadFile(file)
	if err != nil {
		return fail(err)
	}
	img, err := imagein.Decode(data, imagein.Limits{MaxBytes: 100 << 20})
	if err != nil {
		return fail(err)
	}
	if kind == "selfie" {
		faces, _ := det.Check(img)
		list := []analyzeFace{}
		for _, f := range faces {
			list = append(list, analyzeFace{X: round2(f.X), Y: round2(f.Y), Size: round2(f.Size), Score: round2(f.Score)})
		}
		r.Faces = &list
		a, _ := det.Assess(img, nil)
		r.Liveness = &a
		m := quality.Measure(img, 0)
		r.Quality = &analyzeQuality{Glare: round2(m.Glare), Sharpness: round2(m.Sharpness), DPI: 0}
		return r
	}
	f := quality.FormatID1
	fname := "ID1"
	if kind == "passport" {
		f, fname = quality.FormatID3, "ID3"
	}
	doc := &analyzeDocument{Corners: [][2]float64{}, MRZ: []string{}}
	r.Document = doc
	target := img
	var m quality.Metrics
	if q, ok := quality.DetectQuad(img, f); ok {
		doc.Found, doc.Format = true, fname
		// quality's quad starts at the top-left of the document's upper long
		// side; DESIGN §6 prints corners clockwise from the image's top-left.
		first := 0
		for i, p := range q {
			if p.X+p.Y < q[first].X+q[first].Y {
				first = i
			}
		}
		for i := range q {
			p := q[(first+i)%4]
			doc.Corners = append(doc.Corners, [2]float64{round2(p.X), round2(p.Y)})
		}
		crop, err := quality.CropDeskew(img, q, f, maxLong)
		if err != nil {
			return fail(fmt.Errorf("crop: %w", err))
		}
		target = crop
		m = quality.Measure(crop, quality.DPI(q, f))
	} else {
		m = quality.Measure(img, 0)
	}
	r.Quality = &analyzeQuality{Glare: round2(m.Glare), Sharpness: round2(m.Sharpness), DPI: math.Round(m.DPI)}
	res, det2, err := cls.Classify(target, &classify.Options{CaptureType: captureTypes[kind]})
	if err != nil {
		return fail(fmt.Errorf("classify: %w", err))
	}
	if res.ClassName == classify.ClassUnknown && target != img {
		// A crop that missed the edges can cut the MRZ or the barcode off; the
		// readers also work on an uncropped photo.
		if res2, det3, err := cls.Classify(img, &classify.Options{CaptureType: captureTypes[kind]}); err == nil &&
			(res2.ClassName != classify.ClassUnknown || len(det3.MRZ) > 0 || det3.Barcode != "") {
			res, det2 = res2, det3
		}
	}
	r.Classification = &res
	if det2.MRZ != nil {
		doc.MRZ = det2.MRZ
	}
	doc.Barcode = det2.Barcode
	return r
}

func round2(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return math.Round(v*100) / 100
}
