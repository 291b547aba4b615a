package mrz

// Field kinds of an MRZ position.
const (
	kindAlpha = 'A' // letters and '<' only
	kindNum   = 'N' // digits and '<' only
	kindAny   = 'X' // letters, digits and '<'
)

// layout returns, per line, a string of field kinds for format f.
func layout(f Format) []string {
	rep := func(c byte, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = c
		}
		return string(b)
	}
	A, N, X := byte(kindAlpha), byte(kindNum), byte(kindAny)
	switch f {
	case TD1:
		return []string{
			rep(A, 2) + rep(A, 3) + rep(X, 9) + rep(X, 1) + rep(X, 15),
			rep(N, 7) + rep(A, 1) + rep(N, 7) + rep(A, 3) + rep(X, 11) + rep(N, 1),
			rep(A, 30),
		}
	case TD2, MRVB:
		l2 := rep(X, 9) + rep(N, 1) + rep(A, 3) + rep(N, 7) + rep(A, 1) + rep(N, 7)
		if f == TD2 {
			l2 += rep(X, 7) + rep(N, 1)
		} else {
			l2 += rep(X, 8)
		}
		return []string{rep(A, 36), l2}
	case TD3, MRVA:
		l2 := rep(X, 9) + rep(N, 1) + rep(A, 3) + rep(N, 7) + rep(A, 1) + rep(N, 7)
		if f == TD3 {
			l2 += rep(X, 14) + rep(N, 2)
		} else {
			l2 += rep(X, 16)
		}
		return []string{rep(A, 44), l2}
	}
	return nil
}

// Confusable letter/digit pairs of OCR-B.
var toDigit = map[byte]byte{'O': '0', 'Q': '0', 'D': '0', 'U': '0', 'I': '1', 'L': '1', 'T': '1', 'Z': '2', 'B': '8', 'S': '5', 'G': '6', 'A': '4'}
var toAlpha = map[byte]byte{'0': 'O', '1': 'I', '2': 'Z', '8': 'B', '5': 'S', '6': 'G', '4': 'A', '7': 'T'}

// partner returns the letter/digit a character is most often confused with.
func partner(c byte) byte {
	if d, ok := toDigit[c]; ok {
		return d
	}
	if a, ok := toAlpha[c]; ok {
		return a
	}
	return 0
}

// Correct fixes recognition errors using the MRZ structure: numeric
// positions (dates, check digits) take the digit look-alike of a letter,
// alphabetic positions (codes, states, names) the letter look-alike of a
// digit, and alphanumeric fields protected by a check digit (document
// number, TD3 personal number) try look-alike substitutions, and the
// recogniser's runner-up characters when given (second[line][pos], 0 =
// none), until their check digit verifies. Lines of an unknown format are
// returned unchanged.
func Correct(lines []string, second [][]byte) []string {
	f := Detect(lines)
	lay := layout(f)
	if lay == nil {
		return lines
	}
	out := make([][]byte, len(lines))
	for li, l := range lines {
		b := []byte(l)
		for i, c := range b {
			switch lay[li][i] {
			case kindNum:
				if d, ok := toDigit[c]; ok {
					b[i] = d
				} else if c >= 'A' && c <= 'Z' && alt(second, li, i) >= '0' && alt(second, li, i) <= '9' {
					b[i] = alt(second, li, i)
				}
			case kindAlpha:
				if a, ok := toAlpha[c]; ok {
					b[i] = a
				} else if c >= '0' && c <= '9' && alt(second, li, i) >= 'A' && alt(second, li, i) <= 'Z' {
					b[i] = alt(second, li, i)
				}
			}
		}
		out[li] = b
	}
	// Check-digit-guided search on alphanumeric fields.
	type field struct{ line, from, to, cd int }
	var fs []field
	switch f {
	case TD1:
		fs = []field{{0, 5, 14, 14}}
	case TD2, MRVB:
		fs = []field{{1, 0, 9, 9}}
	case TD3:
		fs = []field{{1, 0, 9, 9}, {1, 28, 42, 42}}
	case MRVA:
		fs = []field{{1, 0, 9, 9}}
	}
	for _, fd := range fs {
		b := out[fd.line]
		if b[fd.cd] == '<' || checkOK(string(b[fd.from:fd.to]), b[fd.cd]) {
			continue
		}
		var pos []int
		var cand []byte
		for i := fd.from; i < fd.to && len(pos) < 10; i++ {
			p := partner(b[i])
			if a := alt(second, fd.line, i); a != 0 && a != b[i] {
				p = a
			}
			if p != 0 {
				pos = append(pos, i)
				cand = append(cand, p)
			}
		}
		best, bestN := -1, 99
		for m := 1; m < 1<<len(pos); m++ {
			n := popcount(m)
			if n >= bestN || n > 2 {
				continue
			}
			t := append([]byte(nil), b[fd.from:fd.to]...)
			for k, p := range pos {
				if m&(1<<k) != 0 {
					t[p-fd.from] = cand[k]
				}
			}
			if checkOK(string(t), b[fd.cd]) {
				best, bestN = m, n
			}
		}
		if best > 0 {
			for k, p := range pos {
				if best&(1<<k) != 0 {
					b[p] = cand[k]
				}
			}
		}
	}
	// State codes: an unknown issuing state or nationality takes a known
	// code reachable by one runner-up substitution, else the other field's
	// code when they differ in one character (they are usually equal).
	type state struct{ line, from int }
	states := []state{{0, 2}, {1, 10}}
	if f == TD1 {
		states = []state{{0, 2}, {1, 15}}
	}
	known := func(b []byte) bool {
		_, ok := Alpha2(string(b))
		return ok
	}
	for k, st := range states {
		code := out[st.line][st.from : st.from+3]
		if known(code) {
			continue
		}
		fixed := false
		for i := 0; i < 3 && !fixed; i++ {
			a := alt(second, st.line, st.from+i)
			if a < 'A' || a > 'Z' {
				continue
			}
			t := append([]byte(nil), code...)
			t[i] = a
			if known(t) {
				copy(code, t)
				fixed = true
			}
		}
		if fixed {
			continue
		}
		o := states[1-k]
		other := out[o.line][o.from : o.from+3]
		diff := 0
		for i := 0; i < 3; i++ {
			if other[i] != code[i] {
				diff++
			}
		}
		if diff == 1 && known(other) {
			copy(code, other)
		}
	}
	res := make([]string, len(out))
	for i, b := range out {
		res[i] = string(b)
	}
	return res
}

func alt(second [][]byte, line, pos int) byte {
	if line < len(second) && pos < len(second[line]) {
		return second[line][pos]
	}
	return 0
}

func popcount(m int) int {
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}
