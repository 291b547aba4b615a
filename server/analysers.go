package server

import (
	"context"
	"image"

	"github.com/globalgateway/ggcapture/classify"
)

// loadAnalysers wires the classify and liveness packages unless the Config
// overrides them.
func (s *Server) loadAnalysers() error {
	if s.cfg.Classify == nil {
		c := classify.New(nil)
		s.cfg.Classify = func(_ context.Context, img image.Image, captureType string) (any, error) {
			res, _, err := c.Classify(img, &classify.Options{CaptureType: captureType})
			if err != nil {
				return nil, err
			}
			return res, nil
		}
	}
	return nil
}
