package pdf417

import "errors"

// Reed–Solomon error correction over the prime field GF(929) with primitive
// element 3 (ISO/IEC 15438 section 5.7 and Annex F). A symbol with k error
// correction codewords is a codeword polynomial C(x) = sum c_i x^(n-1-i)
// (first codeword = highest power) that vanishes at 3^1 .. 3^k.

const gfMod = 929

var (
	gfExp [2 * gfMod]int
	gfLog [gfMod]int
)

func init() {
	x := 1
	for i := 0; i < gfMod-1; i++ {
		gfExp[i] = x
		gfLog[x] = i
		x = x * 3 % gfMod
	}
	for i := gfMod - 1; i < len(gfExp); i++ {
		gfExp[i] = gfExp[i-(gfMod-1)]
	}
}

func gfAdd(a, b int) int { return (a + b) % gfMod }
func gfSub(a, b int) int { return (a - b + gfMod) % gfMod }
func gfMul(a, b int) int { return a * b % gfMod }
func gfInv(a int) int    { return gfExp[gfMod-1-gfLog[a]] }

// poly is a polynomial with coefficients from the lowest power up.
type poly []int

func (p poly) eval(x int) int {
	r := 0
	for i := len(p) - 1; i >= 0; i-- {
		r = (r*x + p[i]) % gfMod
	}
	return r
}

func polyMul(a, b poly) poly {
	r := make(poly, len(a)+len(b)-1)
	for i, x := range a {
		if x == 0 {
			continue
		}
		for j, y := range b {
			r[i+j] = (r[i+j] + x*y) % gfMod
		}
	}
	return r
}

// generator returns g(x) = prod_{i=1..k} (x - 3^i), lowest power first.
func generator(k int) poly {
	g := poly{1}
	for i := 1; i <= k; i++ {
		g = polyMul(g, poly{gfSub(0, gfExp[i]), 1})
	}
	return g
}

// ecCodewords computes the k error correction codewords for data (in
// symbol order): the remainder of D(x)·x^k by g(x), negated.
func ecCodewords(data []int, k int) []int {
	g := generator(k)
	rem := make([]int, k) // rem[0] = highest power x^(k-1)
	for _, d := range data {
		t := (d + rem[0]) % gfMod
		for j := 0; j < k-1; j++ {
			rem[j] = gfSub(rem[j+1], gfMul(t, g[k-1-j]))
		}
		rem[k-1] = gfSub(0, gfMul(t, g[0]))
	}
	for j := range rem {
		rem[j] = gfSub(0, rem[j])
	}
	return rem
}

// ErrTooDamaged reports that there are more errors than the error
// correction codewords can fix.
var ErrTooDamaged = errors.New("pdf417: symbol too damaged to correct")

// correct fixes cw in place (k error correction codewords at the end);
// erasures lists known-bad positions. It returns the number of corrected
// codewords. It follows the errors-and-erasures decoder: syndromes, erasure
// locator, Berlekamp–Massey on the Forney syndromes, Chien search, Forney's
// formula for magnitudes.
func correct(cw []int, k int, erasures []int) (int, error) {
	n := len(cw)
	if k < 2 || k >= n || n > gfMod-1 {
		return 0, ErrTooDamaged
	}
	for i := range cw {
		if cw[i] < 0 || cw[i] >= gfMod {
			cw[i] = 0
		}
	}
	// Syndromes S_j = C(3^j), j = 1..k.
	S := make([]int, k)
	allZero := true
	for j := 1; j <= k; j++ {
		s := 0
		x := gfExp[j]
		for _, c := range cw {
			s = (s*x + c) % gfMod
		}
		S[j-1] = s
		if s != 0 {
			allZero = false
		}
	}
	if allZero {
		return 0, nil
	}
	// Remove duplicate / out-of-range erasures.
	seen := map[int]bool{}
	var er []int
	for _, e := range erasures {
		if e >= 0 && e < n && !seen[e] {
			seen[e] = true
			er = append(er, e)
		}
	}
	if len(er) > k {
		return 0, ErrTooDamaged
	}
	// Position i (0 = first codeword) has power n-1-i; locator X = 3^(n-1-i).
	locOf := func(i int) int { return gfExp[n-1-i] }
	// Erasure locator Γ(x) = prod (1 - X_e x).
	gamma := poly{1}
	for _, e := range er {
		gamma = polyMul(gamma, poly{1, gfSub(0, locOf(e))})
	}
	// Syndrome polynomial S(x) = sum S_{j} x^{j-1}; Forney syndromes T = S·Γ mod x^k.
	sp := poly(S)
	T := polyMul(sp, gamma)
	if len(T) > k {
		T = T[:k]
	}
	// Berlekamp–Massey on T[len(er)..k-1] for the error locator Λ.
	rho := len(er)
	lambda := poly{1}
	B := poly{1}
	L := 0
	m := 1
	b := 1
	for r := rho; r < k; r++ {
		// discrepancy
		d := T[r]
		for i := 1; i <= L && i < len(lambda); i++ {
			d = gfAdd(d, gfMul(lambda[i], T[r-i]))
		}
		if d == 0 {
			m++
			continue
		}
		coef := gfMul(d, gfInv(b))
		tmp := append(poly(nil), lambda...)
		// lambda = lambda - coef x^m B
		need := len(B) + m
		for len(lambda) < need {
			lambda = append(lambda, 0)
		}
		for i, x := range B {
			lambda[i+m] = gfSub(lambda[i+m], gfMul(coef, x))
		}
		if 2*L <= r-rho {
			L = r - rho + 1 - L
			B = tmp
			b = d
			m = 1
		} else {
			m++
		}
	}
	for len(lambda) > 1 && lambda[len(lambda)-1] == 0 {
		lambda = lambda[:len(lambda)-1]
	}
	if 2*(len(lambda)-1)+rho > k {
		return 0, ErrTooDamaged
	}
	// Full locator Ψ = Λ·Γ; find its roots (Chien search over positions).
	psi := polyMul(lambda, gamma)
	var pos []int
	for i := 0; i < n; i++ {
		if psi.eval(gfInv(locOf(i))) == 0 {
			pos = append(pos, i)
		}
	}
	if len(pos) != len(psi)-1 {
		return 0, ErrTooDamaged
	}
	// Evaluator Ω = S·Ψ mod x^k.
	omega := polyMul(sp, psi)
	if len(omega) > k {
		omega = omega[:k]
	}
	// Formal derivative of Ψ.
	dpsi := make(poly, len(psi)-1)
	for i := 1; i < len(psi); i++ {
		dpsi[i-1] = gfMul(i%gfMod, psi[i])
	}
	for _, i := range pos {
		X := locOf(i)
		Xi := gfInv(X)
		den := dpsi.eval(Xi)
		if den == 0 {
			return 0, ErrTooDamaged
		}
		// With syndromes starting at 3^1: e = -Ω(X^-1) / Ψ'(X^-1).
		mag := gfSub(0, gfMul(omega.eval(Xi), gfInv(den)))
		cw[i] = gfSub(cw[i], mag)
	}
	// Verify.
	for j := 1; j <= k; j++ {
		s := 0
		x := gfExp[j]
		for _, c := range cw {
			s = (s*x + c) % gfMod
		}
		if s != 0 {
			return 0, ErrTooDamaged
		}
	}
	return len(pos), nil
}
