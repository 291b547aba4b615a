package server

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sync"

	"github.com/globalgateway/ggcapture/classify"
	"github.com/globalgateway/ggcapture/liveness"
)

// loadAnalysers wires the classify and liveness packages unless the Config
// overrides them. The liveness cascades (facefinder, puploc) are read once from
// CascadesDir; when they cannot be loaded the service still starts, logs an
// error and answers /v1/liveness-check with 503 / 1013.
func (s *Server) loadAnalysers() error {
	if s.cfg.Classify == nil {
		lib, err := LoadTemplates(s.cfg.TemplatesDir)
		if err != nil {
			return err
		}
		c := classify.New(lib)
		s.cfg.Classify = func(_ context.Context, img image.Image, captureType string) (any, error) {
			res, _, err := c.Classify(img, &classify.Options{CaptureType: captureType})
			if err != nil {
				return nil, err
			}
			return res, nil
		}
	}
	if s.cfg.Liveness == nil {
		pool, err := newDetectorPool(s.cfg.CascadesDir)
		if err != nil {
			s.log.Error("liveness disabled: cannot load face cascades", "dir", s.cfg.CascadesDir, "err", err.Error())
			s.livenessErr = err.Error()
			return nil
		}
		s.cfg.Liveness = pool.assess
	}
	return nil
}

// detectorPool hands each request its own liveness.Detector (a Detector reuses
// internal buffers and is not safe for concurrent use).
type detectorPool struct {
	facefinder, puploc []byte
	pool               sync.Pool
}

// LoadCascades reads facefinder and puploc from dir.
func LoadCascades(dir string) (facefinder, puploc []byte, err error) {
	facefinder, err = os.ReadFile(filepath.Join(dir, "facefinder"))
	if err != nil {
		return nil, nil, err
	}
	puploc, err = os.ReadFile(filepath.Join(dir, "puploc"))
	if err != nil {
		return nil, nil, err
	}
	return facefinder, puploc, nil
}

func newDetectorPool(dir string) (*detectorPool, error) {
	ff, pl, err := LoadCascades(dir)
	if err != nil {
		return nil, err
	}
	d, err := liveness.NewDetector(ff, pl)
	if err != nil {
		return nil, err
	}
	p := &detectorPool{facefinder: ff, puploc: pl}
	p.pool.Put(d)
	return p, nil
}

func (p *detectorPool) assess(_ context.Context, img image.Image, frames []image.Image) (any, error) {
	d, _ := p.pool.Get().(*liveness.Detector)
	if d == nil {
		var err error
		if d, err = liveness.NewDetector(p.facefinder, p.puploc); err != nil {
			return nil, fmt.Errorf("liveness detector: %w", err)
		}
	}
	defer p.pool.Put(d)
	a, _ := d.Assess(img, frames)
	return a, nil
}

// LoadTemplates returns the built-in template library merged with the
// templates in dir (JSON files made by `ggcapture templates add`); with an
// empty dir, the built-in library.
func LoadTemplates(dir string) (*classify.Library, error) {
	lib, err := classify.Builtin()
	if err != nil {
		return nil, fmt.Errorf("built-in templates: %w", err)
	}
	if dir == "" {
		return lib, nil
	}
	extra, err := classify.LoadLibrary(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("templates %s: %w", dir, err)
	}
	return lib.Merge(extra), nil
}
