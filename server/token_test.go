package server

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestNormalizeOrigin(t *testing.T) {
	ok := map[string]string{
		"https://Shop.Example":          "https://shop.example",
		"https://shop.example:443/":     "https://shop.example",
		"http://shop.example:80":        "http://shop.example",
		"https://shop.example:8443":     "https://shop.example:8443",
		"http://localhost:3000":         "http://localhost:3000",
		"https://127.0.0.1:8443":        "https://127.0.0.1:8443",
		"https://[::1]:8443":            "https://[::1]:8443",
		"https://*.example.com":         "https://*.example.com",
		"HTTPS://*.Example.com:444":     "https://*.example.com:444",
		"https://xn--bcher-kva.example": "https://xn--bcher-kva.example",
	}
	for in, want := range ok {
		got, err := NormalizeOrigin(in)
		if err != nil || got != want {
			t.Errorf("NormalizeOrigin(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "shop.example", "ftp://shop.example", "https://", "https://user@shop.example",
		"https://shop.example/path", "https://shop.example?q", "https://shop.example#f", "https://shop.example:0",
		"https://shop.example:99999", "https://shop.example:08443", "https://*.com", "https://a.*.example.com",
		"https://*example.com", "https://sh op.example", "https://-a.example", "javascript:alert(1)", "null",
		"https://shop.example:", "https://" + strings.Repeat("a", 300) + ".com"} {
		if got, err := NormalizeOrigin(in); err == nil {
			t.Errorf("NormalizeOrigin(%q) = %q, want error", in, got)
		}
	}
}

func TestOriginAllowed(t *testing.T) {
	doms := []string{"https://shop.example", "https://*.example.com", "http://localhost:3000"}
	tests := map[string]bool{
		"https://shop.example":          true,
		"https://SHOP.example:443":      true,
		"https://shop.example:8443":     false,
		"http://shop.example":           false,
		"https://evil-shop.example":     false,
		"https://a.example.com":         true,
		"https://a.b.example.com":       true,
		"https://example.com":           false,
		"https://evilexample.com":       false,
		"https://a.example.com:8443":    false,
		"http://a.example.com":          false,
		"https://a.example.com.evil.io": false,
		"http://localhost:3000":         true,
		"http://localhost:3001":         false,
		"https://*.example.com":         false,
		"":                              false,
		"null":                          false,
	}
	for o, want := range tests {
		if got := OriginAllowed(doms, o); got != want {
			t.Errorf("OriginAllowed(%q) = %v want %v", o, got, want)
		}
	}
}

func TestMintVerifyRoundTrip(t *testing.T) {
	exp := time.Now().Add(time.Hour).Truncate(time.Second)
	tok, err := MintToken(testKey, TokenClaims{Domains: []string{"https://A.example:443"}, Expires: exp, MaxUses: 7, ID: "abc"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := VerifyToken(testKey, tok, time.Now())
	if err != nil || c.ID != "abc" || c.MaxUses != 7 || !c.Expires.Equal(exp) || c.Domains[0] != "https://a.example" {
		t.Fatalf("%v %+v", err, c)
	}
	// The token id is a header-visible claim, the key never is.
	if strings.Contains(tok, base64.RawURLEncoding.EncodeToString(testKey)) {
		t.Fatal("key in token")
	}
	for _, bad := range []TokenClaims{
		{Domains: nil},
		{Domains: []string{"ftp://x"}},
		{Domains: []string{"https://a.example"}, MaxUses: -1},
		{Domains: []string{"https://a.example"}, Expires: time.Now().Add(25 * time.Hour)},
	} {
		if _, err := MintToken(testKey, bad); err == nil {
			t.Errorf("MintToken(%+v) succeeded", bad)
		}
	}
	if _, err := MintToken([]byte("short"), TokenClaims{Domains: []string{"https://a.example"}}); err == nil {
		t.Error("short key accepted")
	}
}

// TestRandomTokensRejected is the property test: 10 000 randomised bad tokens
// (forged, re-signed with another key, expired, wrong origin, tampered claims,
// alg none / other algorithms, bit flips) and none is accepted for testOrigin.
func TestRandomTokensRejected(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	now := time.Now()
	n := 10000
	accept := func(tok string) bool {
		c, err := VerifyToken(testKey, tok, now)
		return err == nil && OriginAllowed(c.Domains, testOrigin)
	}
	valid := mint(t, TokenClaims{})
	if !accept(valid) {
		t.Fatal("valid token rejected")
	}
	b64 := base64.RawURLEncoding
	randStr := func(n int) string {
		b := make([]byte, n)
		rng.Read(b)
		return b64.EncodeToString(b)
	}
	claimsJSON := func(dom []string, exp time.Time, mu int) []byte {
		b, _ := json.Marshal(map[string]any{"domains": dom, "maxUses": mu, "iss": "ggcapture", "jti": randStr(6),
			"iat": now.Add(-time.Minute).Unix(), "exp": exp.Unix()})
		return b
	}
	otherOrigins := []string{"https://evil.example", "http://shop.example", "https://shop.example:8443",
		"https://shop.example.evil", "https://*.shop.example", "https://sub.shop.example"}
	kinds := map[string]int{}
	for i := 0; i < n; i++ {
		var tok, kind string
		switch i % 9 {
		case 0: // random garbage in JWT shape
			kind = "forged"
			tok = randStr(rng.Intn(40)+1) + "." + randStr(rng.Intn(200)+1) + "." + randStr(32)
		case 1: // valid claims, another key (with our kid copied, or its own)
			kind = "other key"
			other := make([]byte, 32+rng.Intn(32))
			rng.Read(other)
			tok, _ = MintToken(other, TokenClaims{Domains: []string{testOrigin}, Expires: now.Add(time.Hour), MaxUses: rng.Intn(5)})
			if rng.Intn(2) == 0 {
				p := strings.SplitN(tok, ".", 3)
				hdr, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT", "kid": KeyID(testKey)})
				p[0] = b64.EncodeToString(hdr)
				tok = strings.Join(p, ".")
			}
		case 2: // expired, properly signed
			kind = "expired"
			tok = mint(t, TokenClaims{Expires: now.Add(-clockSkew - time.Duration(rng.Intn(86400)+1)*time.Second)})
		case 3: // wrong origin, properly signed
			kind = "wrong origin"
			tok = mint(t, TokenClaims{Domains: []string{otherOrigins[rng.Intn(len(otherOrigins))]}})
		case 4: // tampered claims: a valid token's payload replaced
			kind = "tampered"
			base := mint(t, TokenClaims{Domains: []string{"https://other.example"}, MaxUses: 1})
			p := strings.SplitN(base, ".", 3)
			p[1] = b64.EncodeToString(claimsJSON([]string{testOrigin}, now.Add(time.Duration(rng.Intn(1000))*time.Hour), 0))
			tok = strings.Join(p, ".")
		case 5: // alg none
			kind = "alg none"
			hdr := `{"alg":"none","typ":"JWT"}`
			if rng.Intn(2) == 0 {
				hdr = `{"alg":"None"}`
			}
			sig := ""
			if rng.Intn(3) == 0 {
				sig = randStr(32)
			}
			tok = b64.EncodeToString([]byte(hdr)) + "." + b64.EncodeToString(claimsJSON([]string{testOrigin}, now.Add(time.Hour), 0)) + "." + sig
		case 6: // other algorithms with the same key (HS384/HS512), correct claims
			kind = "other alg"
			m := []jwt.SigningMethod{jwt.SigningMethodHS384, jwt.SigningMethodHS512}[rng.Intn(2)]
			tk := jwt.NewWithClaims(m, sdkClaims{Domains: []string{testOrigin}, RegisteredClaims: jwt.RegisteredClaims{
				Issuer: tokenIssuer, ID: randStr(6), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)), IssuedAt: jwt.NewNumericDate(now)}})
			tok, _ = tk.SignedString(testKey)
		case 7: // bit flips anywhere in a valid token
			kind = "bit flip"
			b := []byte(valid)
			for k := 0; k < 1+rng.Intn(3); k++ {
				j := rng.Intn(len(b))
				b[j] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."[rng.Intn(65)]
			}
			if string(b) == valid {
				b[len(b)-1] ^= 1
			}
			tok = string(b)
			// Flipping only the last base64 character's unused low bits can leave
			// the signature bytes unchanged; strict decoding rejects those too.
		case 8: // well-signed but invalid claims: no jti, bad domains, lifetime too long, wrong issuer, no exp
			kind = "bad claims"
			var c sdkClaims
			c.Domains = []string{testOrigin}
			c.Issuer = tokenIssuer
			c.ID = randStr(6)
			c.IssuedAt = jwt.NewNumericDate(now)
			c.ExpiresAt = jwt.NewNumericDate(now.Add(time.Hour))
			switch rng.Intn(6) {
			case 0:
				c.ID = ""
			case 1:
				c.Domains = []string{"HTTPS://SHOP.EXAMPLE"} // not normalised: only MintToken writes tokens
			case 2:
				c.ExpiresAt = jwt.NewNumericDate(now.Add(48 * time.Hour))
			case 3:
				c.Issuer = "someone-else"
			case 4:
				c.ExpiresAt = nil
			case 5:
				c.IssuedAt = jwt.NewNumericDate(now.Add(time.Hour))
			}
			tk := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
			tk.Header["kid"] = KeyID(testKey)
			tok, _ = tk.SignedString(testKey)
		}
		kinds[kind]++
		if accept(tok) {
			t.Fatalf("accepted %s token #%d: %s", kind, i, tok)
		}
	}
	t.Logf("0 of %d accepted: %v", n, kinds)
}

// TestTokensOverHTTP runs a sample of bad tokens through the real endpoint.
func TestTokensOverHTTP(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	body := `{"image":"` + dataURL("image/jpeg", jpegBytes(t, testImage(200, 200))) + `"}`
	rng := rand.New(rand.NewSource(2))
	good := mint(t, TokenClaims{})
	for i := 0; i < 200; i++ {
		b := []byte(good)
		j := rng.Intn(len(b))
		c := b[j]
		for c == b[j] {
			c = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."[rng.Intn(65)]
		}
		b[j] = c
		a := post(t, nil, ts.URL+"/v1/classification", string(b), testOrigin, strings.NewReader(body))
		if a.Status == 200 || a.Status >= 500 {
			t.Fatalf("mutated token answered %d %s", a.Status, a.Body)
		}
	}
	if a := post(t, nil, ts.URL+"/v1/classification", good, testOrigin, strings.NewReader(body)); a.Status != 200 {
		t.Fatalf("good token: %d %s", a.Status, a.Body)
	}
}

func FuzzVerifyToken(f *testing.F) {
	good, _ := MintToken(testKey, TokenClaims{Domains: []string{testOrigin}, Expires: time.Now().Add(time.Hour)})
	f.Add(good)
	f.Add("")
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJub25lIn0.eyJkb20iOlsiaHR0cHM6Ly9zaG9wLmV4YW1wbGUiXX0.")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := VerifyToken(testKey, tok, time.Now())
		if err == nil && tok != good {
			// Only a token we minted can verify; any other string that verifies
			// must still carry normalised, well-formed claims.
			for _, d := range c.Domains {
				if n, err := NormalizeOrigin(d); err != nil || n != d {
					t.Fatalf("accepted bad domain %q", d)
				}
			}
		}
		if err != nil {
			if _, ok := err.(*TokenError); !ok {
				t.Fatalf("error type %T", err)
			}
		}
	})
}

func FuzzOrigin(f *testing.F) {
	for _, s := range []string{"https://shop.example", "https://*.example.com:8443", "http://[::1]:80", "https://a.example.com"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, dom, origin string) {
		n, err := NormalizeOrigin(dom)
		if err != nil {
			return
		}
		if n2, err := NormalizeOrigin(n); err != nil || n2 != n {
			t.Fatalf("not idempotent: %q -> %q -> %q %v", dom, n, n2, err)
		}
		if OriginAllowed([]string{n}, origin) {
			o, err := NormalizeOrigin(origin)
			if err != nil || strings.Contains(o, "*") {
				t.Fatalf("allowed bad origin %q for %q", origin, n)
			}
			if !strings.Contains(n, "*") && o != n {
				t.Fatalf("exact domain %q allowed %q", n, o)
			}
		}
	})
}

func ExampleMintToken() {
	key := []byte("an-example-signing-key-of-32-bytes-or-more")
	tok, _ := MintToken(key, TokenClaims{
		Domains: []string{"https://shop.example"},
		Expires: time.Now().Add(15 * time.Minute),
		MaxUses: 10,
	})
	c, err := VerifyToken(key, tok, time.Now())
	fmt.Println(err, c.Domains, c.MaxUses, OriginAllowed(c.Domains, "https://shop.example"), OriginAllowed(c.Domains, "https://evil.example"))
	// Output: <nil> [https://shop.example] 10 true false
}

func TestKeyRotation(t *testing.T) {
	oldKey := []byte("the-previous-signing-key-0123456789abcdef")
	_, ts := newTestServer(t, Config{OldSigningKeys: [][]byte{oldKey}, Classify: fastClassify})
	body := `{"image":"` + dataURL("image/jpeg", jpegBytes(t, testImage(100, 100))) + `"}`
	byOld, _ := MintToken(oldKey, TokenClaims{Domains: []string{testOrigin}, Expires: time.Now().Add(time.Hour)})
	byNew := mint(t, TokenClaims{})
	other, _ := MintToken([]byte("some-unrelated-signing-key-0123456789ab"), TokenClaims{Domains: []string{testOrigin}, Expires: time.Now().Add(time.Hour)})
	for _, c := range []struct {
		tok  string
		want int
	}{{byOld, 200}, {byNew, 200}, {other, 401}} {
		if a := post(t, nil, ts.URL+"/v1/classification", c.tok, testOrigin, strings.NewReader(body)); a.Status != c.want {
			t.Errorf("want %d, got %d %s", c.want, a.Status, a.Body)
		}
	}
	// A token whose kid names the old key but which is signed with another key fails.
	p := strings.SplitN(other, ".", 3)
	hdr, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT", "kid": KeyID(oldKey)})
	forged := base64.RawURLEncoding.EncodeToString(hdr) + "." + p[1] + "." + p[2]
	if _, err := VerifyTokenKeys([][]byte{testKey, oldKey}, forged, time.Now()); err == nil {
		t.Fatal("forged kid accepted")
	}
}
