package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ResultClaims is the payload of a result Signature (a compact JWS, EdDSA/Ed25519):
// it binds the verdict to the exact image bytes, the SDK token and the time.
type ResultClaims struct {
	Kind        string          `json:"kind"`        // "classification" or "liveness"
	ImageSHA256 string          `json:"imageSha256"` // hex SHA-256 of the decoded image file bytes
	Result      json.RawMessage `json:"result"`      // the answer object without Signature
	TokenID     string          `json:"tokenId"`
	jwt.RegisteredClaims
}

// resultSigner signs result payloads.
type resultSigner struct {
	priv ed25519.PrivateKey
	kid  string
}

// ParseResultKey reads an Ed25519 private key setting: base64 (std or URL-safe) of
// a 32-byte seed or a 64-byte private key.
func ParseResultKey(s string) (ed25519.PrivateKey, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		switch len(b) {
		case ed25519.SeedSize:
			return ed25519.NewKeyFromSeed(b), nil
		case ed25519.PrivateKeySize:
			return ed25519.NewKeyFromSeed(b[:32]), nil
		}
	}
	return nil, errors.New("result key must be base64 of a 32-byte Ed25519 seed")
}

func newResultSigner(priv ed25519.PrivateKey) (*resultSigner, error) {
	if priv == nil {
		_, p, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		priv = p
	}
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("bad Ed25519 key length %d", len(priv))
	}
	pub := priv.Public().(ed25519.PublicKey)
	h := sha256.Sum256(pub)
	return &resultSigner{priv: priv, kid: hex.EncodeToString(h[:8])}, nil
}

func (s *resultSigner) sign(kind string, image []byte, result []byte, tokenID string, now time.Time) (string, error) {
	sum := sha256.Sum256(image)
	c := ResultClaims{
		Kind:        kind,
		ImageSHA256: hex.EncodeToString(sum[:]),
		Result:      json.RawMessage(result),
		TokenID:     tokenID,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:   tokenIssuer,
			IssuedAt: jwt.NewNumericDate(now),
		},
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	t.Header["kid"] = s.kid
	return t.SignedString(s.priv)
}

// JWK is a public key in JSON Web Key form (RFC 8037 OKP for Ed25519).
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

func (s *resultSigner) jwk() JWK {
	pub := s.priv.Public().(ed25519.PublicKey)
	return JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(pub), Kid: s.kid, Alg: "EdDSA", Use: "sig"}
}

// VerifyResult checks a result Signature against a public key (from /v1/keys) and
// returns its claims. An integrator's backend does this before trusting a verdict,
// and compares ImageSHA256 with the SHA-256 of the image bytes it is submitting.
func VerifyResult(pub ed25519.PublicKey, sig string) (ResultClaims, error) {
	var c ResultClaims
	_, err := jwt.ParseWithClaims(sig, &c, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}), jwt.WithIssuer(tokenIssuer), jwt.WithIssuedAt())
	if err != nil {
		return ResultClaims{}, err
	}
	return c, nil
}

// PublicKeyFromJWK decodes the x of an Ed25519 JWK.
func PublicKeyFromJWK(k JWK) (ed25519.PublicKey, error) {
	if k.Kty != "OKP" || k.Crv != "Ed25519" {
		return nil, errors.New("not an Ed25519 JWK")
	}
	b, err := base64.RawURLEncoding.DecodeString(k.X)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("bad JWK x")
	}
	return ed25519.PublicKey(b), nil
}
