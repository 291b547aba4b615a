package server

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Token limits.
const (
	// DefaultTokenTTL is the lifetime of a token when the minter does not say.
	DefaultTokenTTL = 15 * time.Minute
	// MaxTokenTTL is the longest lifetime a token may have.
	MaxTokenTTL = 24 * time.Hour
	// MinSigningKeyLen is the minimum HS256 key length in bytes.
	MinSigningKeyLen = 32
	// maxTokenLen bounds the token header before any parsing.
	maxTokenLen = 4096
	// maxDomains bounds the number of origins one token may carry.
	maxDomains  = 32
	tokenIssuer = "ggcapture"
	// clockSkew is the leeway allowed for exp/iat between instances.
	clockSkew = 30 * time.Second
)

// TokenClaims is what an SDK token says: the origins it may be used from, when it
// expires, how many classification/liveness calls it allows (0 = no limit) and its
// id (jti; the only part of a token that is ever logged).
type TokenClaims struct {
	Domains []string
	Expires time.Time
	MaxUses int
	ID      string
}

// sdkClaims is the JWT payload.
type sdkClaims struct {
	Domains []string `json:"domains"`
	MaxUses int      `json:"maxUses,omitempty"`
	jwt.RegisteredClaims
}

// KeyID is the short public fingerprint of a signing key, put in the token's "kid"
// header so that a token signed with a different key is reported as "unknown key".
func KeyID(key []byte) string {
	h := sha256.Sum256(append([]byte("ggcapture-kid:"), key...))
	return hex.EncodeToString(h[:6])
}

// MintToken signs an SDK token with HS256. Domains are normalised (see
// NormalizeOrigin); an empty ID gets a fresh UUID; a zero Expires means
// now+DefaultTokenTTL. Expires may lie in the past (tests mint expired tokens) but
// not more than MaxTokenTTL in the future.
func MintToken(key []byte, c TokenClaims) (string, error) {
	if len(key) < MinSigningKeyLen {
		return "", fmt.Errorf("signing key too short: %d bytes, need at least %d", len(key), MinSigningKeyLen)
	}
	if len(c.Domains) == 0 {
		return "", errors.New("token needs at least one domain")
	}
	if len(c.Domains) > maxDomains {
		return "", fmt.Errorf("too many domains (%d > %d)", len(c.Domains), maxDomains)
	}
	doms := make([]string, len(c.Domains))
	for i, d := range c.Domains {
		n, err := NormalizeOrigin(d)
		if err != nil {
			return "", err
		}
		doms[i] = n
	}
	if c.MaxUses < 0 {
		return "", errors.New("max uses must be >= 0")
	}
	now := time.Now()
	if c.Expires.IsZero() {
		c.Expires = now.Add(DefaultTokenTTL)
	}
	if c.Expires.After(now.Add(MaxTokenTTL + clockSkew)) {
		return "", fmt.Errorf("token lifetime over %v", MaxTokenTTL)
	}
	if c.ID == "" {
		c.ID = uuid.NewString()
	}
	iat := now
	if c.Expires.Before(iat) {
		iat = c.Expires.Add(-time.Minute)
	}
	claims := sdkClaims{
		Domains: doms,
		MaxUses: c.MaxUses,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			ID:        c.ID,
			IssuedAt:  jwt.NewNumericDate(iat),
			ExpiresAt: jwt.NewNumericDate(c.Expires),
		},
	}
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	t.Header["kid"] = KeyID(key)
	return t.SignedString(key)
}

// TokenError is why a token was refused, with the SDK error code (1008 or 1009).
type TokenError struct {
	Code int
	Msg  string
}

func (e *TokenError) Error() string { return e.Msg }

// VerifyToken checks an SDK token's signature (HS256 with key only), issuer, expiry
// and claims, and returns its claims. Every failure is a *TokenError: 1008 when the
// token is empty, 1009 otherwise. It does not check the origin or use count.
func VerifyToken(key []byte, tok string, now time.Time) (TokenClaims, error) {
	return VerifyTokenKeys([][]byte{key}, tok, now)
}

// VerifyTokenKeys is VerifyToken with several accepted keys (the current one and
// older ones during a key rotation): the token's "kid" header picks the key; a
// token without kid is tried against the first key only.
func VerifyTokenKeys(keys [][]byte, tok string, now time.Time) (TokenClaims, error) {
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return TokenClaims{}, &TokenError{1008, "missing token"}
	}
	if len(tok) > maxTokenLen {
		return TokenClaims{}, &TokenError{1009, "invalid token: too long"}
	}
	if len(keys) == 0 {
		return TokenClaims{}, &TokenError{1009, "invalid token: no verification key"}
	}
	var cl sdkClaims
	var kidMismatch bool
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithLeeway(clockSkew),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithStrictDecoding(),
	)
	_, err := p.ParseWithClaims(tok, &cl, func(t *jwt.Token) (any, error) {
		k, ok := t.Header["kid"]
		if !ok {
			return keys[0], nil
		}
		ks, _ := k.(string)
		for _, key := range keys {
			if len(key) >= MinSigningKeyLen && ks == KeyID(key) {
				return key, nil
			}
		}
		kidMismatch = true
		return nil, errors.New("unknown signing key")
	})
	switch {
	case err == nil:
	case kidMismatch:
		return TokenClaims{}, &TokenError{1009, "invalid token: unknown signing key"}
	case errors.Is(err, jwt.ErrTokenExpired):
		return TokenClaims{}, &TokenError{1009, "invalid token: expired"}
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return TokenClaims{}, &TokenError{1009, "invalid token: bad signature"}
	default:
		return TokenClaims{}, &TokenError{1009, "invalid token"}
	}
	if cl.ID == "" || len(cl.ID) > 128 {
		return TokenClaims{}, &TokenError{1009, "invalid token: bad id"}
	}
	if len(cl.Domains) == 0 || len(cl.Domains) > maxDomains {
		return TokenClaims{}, &TokenError{1009, "invalid token: bad domains"}
	}
	for _, d := range cl.Domains {
		if n, err := NormalizeOrigin(d); err != nil || n != d {
			return TokenClaims{}, &TokenError{1009, "invalid token: bad domain"}
		}
	}
	if cl.MaxUses < 0 {
		return TokenClaims{}, &TokenError{1009, "invalid token: bad max uses"}
	}
	exp := cl.ExpiresAt.Time
	if exp.After(now.Add(MaxTokenTTL + 2*clockSkew)) {
		return TokenClaims{}, &TokenError{1009, "invalid token: lifetime too long"}
	}
	return TokenClaims{Domains: cl.Domains, Expires: exp, MaxUses: cl.MaxUses, ID: cl.ID}, nil
}

// NormalizeOrigin turns "https://Shop.Example:443/" into "https://shop.example".
// Accepted: http or https scheme, a host (name, IPv4 or [IPv6]), an optional port,
// nothing else (no user info, path, query or fragment). A wildcard is allowed only
// as the whole leftmost label of a name with at least two more labels:
// "https://*.example.com" (matches any subdomain, not example.com itself).
func NormalizeOrigin(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		return "", errors.New("origin too long")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("bad origin %q", s)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("bad origin %q: scheme must be http or https", s)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || u.ForceQuery {
		return "", fmt.Errorf("bad origin %q: only scheme://host[:port]", s)
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if host == "" {
		return "", fmt.Errorf("bad origin %q: no host", s)
	}
	if port != "" {
		p, err := strconv.Atoi(port)
		if err != nil || p < 1 || p > 65535 || strconv.Itoa(p) != port {
			return "", fmt.Errorf("bad origin %q: bad port", s)
		}
		if (scheme == "https" && p == 443) || (scheme == "http" && p == 80) {
			port = ""
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return "", fmt.Errorf("bad origin %q: empty port", s)
	}
	if ip := net.ParseIP(host); ip != nil {
		if strings.Contains(host, ":") {
			host = "[" + ip.String() + "]"
		} else {
			host = ip.String()
		}
	} else if !validHostName(host) {
		return "", fmt.Errorf("bad origin %q: bad host name", s)
	}
	out := scheme + "://" + host
	if port != "" {
		out += ":" + port
	}
	return out, nil
}

func validHostName(h string) bool {
	if len(h) > 253 || h == "" {
		return false
	}
	labels := strings.Split(h, ".")
	for i, l := range labels {
		if l == "*" {
			if i != 0 || len(labels) < 3 {
				return false
			}
			continue
		}
		if l == "" || len(l) > 63 {
			return false
		}
		for j := 0; j < len(l); j++ {
			c := l[j]
			ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || (c == '_' && j > 0)
			if !ok {
				return false
			}
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
	}
	return true
}

// OriginAllowed reports whether the (normalised) origin matches one of the token's
// domains: exactly, or by a "*." wildcard with the same scheme and port.
func OriginAllowed(domains []string, origin string) bool {
	o, err := NormalizeOrigin(origin)
	if err != nil || strings.Contains(o, "*") {
		return false
	}
	for _, d := range domains {
		if d == o {
			return true
		}
		i := strings.Index(d, "://*.")
		if i < 0 {
			continue
		}
		scheme := d[:i+3] // "https://"
		rest := d[i+4:]   // ".example.com[:port]"
		if !strings.HasPrefix(o, scheme) {
			continue
		}
		ohost := o[len(scheme):]
		if strings.HasSuffix(ohost, rest) && len(ohost) > len(rest) {
			prefix := ohost[:len(ohost)-len(rest)]
			if prefix != "" && !strings.ContainsAny(prefix, ":[]") {
				return true
			}
		}
	}
	return false
}

// ParseKey reads a key setting: standard or URL-safe base64 (padded or not) that
// decodes to at least minLen bytes, else the raw bytes of the string.
func ParseKey(s string, minLen int) []byte {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) >= minLen {
			return b
		}
	}
	return []byte(s)
}
