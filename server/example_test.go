package server_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/globalgateway/ggcapture/server"
)

// An integrator's backend checks a verdict before trusting it: the signature
// verifies with the key from GET /v1/keys, and imageSha256 is the hash of the
// image bytes it is about to submit.
func ExampleVerifyResult() {
	// In real use: pub from GET /v1/keys (server.PublicKeyFromJWK), sig from the
	// SDK result's classification.Signature or liveness.Signature, image from the
	// base64 after "data:image/jpeg;base64,".
	pub, sig, image := exampleSignedResult()
	claims, err := server.VerifyResult(pub, sig)
	if err != nil {
		fmt.Println("reject:", err)
		return
	}
	sum := sha256.Sum256(image)
	fmt.Println(claims.Kind, claims.ImageSHA256 == hex.EncodeToString(sum[:]), string(claims.Result))
	// Output: liveness true {"LivenessResult":{"LivenessAssessment":"Pass"},"ErrorCode":null,"ErrorMessage":null}
}

func exampleSignedResult() (ed25519.PublicKey, string, []byte) {
	seed := make([]byte, ed25519.SeedSize)
	priv := ed25519.NewKeyFromSeed(seed)
	image := []byte("jpeg bytes")
	sig, err := server.SignResultForTest(priv, "liveness", image,
		[]byte(`{"LivenessResult":{"LivenessAssessment":"Pass"},"ErrorCode":null,"ErrorMessage":null}`), "token-id")
	if err != nil {
		panic(err)
	}
	return priv.Public().(ed25519.PublicKey), sig, image
}
