package render

import (
	"math/rand"
	"strings"
)

func cd(s string) byte {
	w := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * w[i%3]
	}
	return byte('0' + sum%10)
}

var states = []string{"UTO", "D<<", "GBR", "FRA", "USA", "CAN", "NLD", "CHE", "ESP", "ITA", "POL", "CHN", "ROU", "HRV", "LTU", "CZE", "SWE", "JPN", "BRA", "IND", "AUS", "MEX", "ZAF", "KOR"}

func letters(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + rng.Intn(26))
	}
	return string(b)
}

func alnumN(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[rng.Intn(len(alnum))]
	}
	return string(b)
}

func digits(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + rng.Intn(10))
	}
	return string(b)
}

func date(rng *rand.Rand) string {
	m, d := 1+rng.Intn(12), 1+rng.Intn(28)
	return digits(rng, 2) + string([]byte{byte('0' + m/10), byte('0' + m%10), byte('0' + d/10), byte('0' + d%10)})
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

func nameField(rng *rand.Rand, n int) string {
	s := letters(rng, 3+rng.Intn(9)) + "<<" + letters(rng, 3+rng.Intn(7))
	if rng.Intn(2) == 0 {
		s += "<" + letters(rng, 2+rng.Intn(8))
	}
	return pad(s, n)
}

// RandomMRZ returns valid MRZ lines (all check digits right) of a random
// format: "TD1", "TD2", "TD3", "MRVA" or "MRVB" ("" = random).
func RandomMRZ(rng *rand.Rand, format string) []string {
	if format == "" {
		format = []string{"TD1", "TD2", "TD3", "TD3", "MRVA", "MRVB"}[rng.Intn(6)]
	}
	st := states[rng.Intn(len(states))]
	nat := states[rng.Intn(len(states))]
	num := pad(alnumN(rng, 6+rng.Intn(4)), 9)
	dob, exp := date(rng), date(rng)
	sex := string("MF<"[rng.Intn(3)])
	switch format {
	case "TD1":
		code := []string{"I<", "ID", "IR", "AR", "C<", "A<"}[rng.Intn(6)]
		opt1 := pad(alnumN(rng, rng.Intn(10)), 15)
		l1 := code + st + num + string(cd(num)) + opt1
		opt2 := pad(alnumN(rng, rng.Intn(8)), 11)
		l2 := dob + string(cd(dob)) + sex + exp + string(cd(exp)) + nat + opt2
		comp := l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
		l2 += string(cd(comp))
		return []string{l1, l2, nameField(rng, 30)}
	case "TD2", "MRVB":
		code := []string{"I<", "ID", "IR", "AC"}[rng.Intn(4)]
		if format == "MRVB" {
			code = []string{"V<", "VI", "VT"}[rng.Intn(3)]
		}
		l1 := code + st + nameField(rng, 31)
		l2 := num + string(cd(num)) + nat + dob + string(cd(dob)) + sex + exp + string(cd(exp))
		if format == "TD2" {
			opt := pad(alnumN(rng, rng.Intn(7)), 7)
			l2 += opt
			l2 += string(cd(l2[0:10] + l2[13:20] + l2[21:35]))
		} else {
			l2 += pad(alnumN(rng, rng.Intn(8)), 8)
		}
		return []string{l1, l2}
	default:
		code := []string{"P<", "PM", "PD", "PO"}[rng.Intn(4)]
		if format == "MRVA" {
			code = []string{"V<", "VI", "VT"}[rng.Intn(3)]
		}
		l1 := code + st + nameField(rng, 39)
		l2 := num + string(cd(num)) + nat + dob + string(cd(dob)) + sex + exp + string(cd(exp))
		if format == "TD3" {
			opt := pad(alnumN(rng, rng.Intn(14)), 14)
			l2 += opt + string(cd(opt))
			l2 += string(cd(l2[0:10] + l2[13:20] + l2[21:43]))
		} else {
			l2 += pad(alnumN(rng, rng.Intn(16)), 16)
		}
		return []string{l1, l2}
	}
}
