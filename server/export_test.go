package server

import (
	"crypto/ed25519"
	"time"
)

// SignResultForTest signs a result like the service does (for examples/tests).
func SignResultForTest(priv ed25519.PrivateKey, kind string, image, result []byte, tokenID string) (string, error) {
	s, err := newResultSigner(priv)
	if err != nil {
		return "", err
	}
	return s.sign(kind, image, result, tokenID, time.Now())
}
