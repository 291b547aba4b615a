package pdf417

import (
	"errors"
	"math/big"
	"strings"
	"unicode/utf8"
)

// Mode and function codewords (ISO/IEC 15438 section 5.4).
const (
	cwTextLatch    = 900
	cwByteLatch    = 901
	cwNumericLatch = 902
	cwByteLatch6   = 924
	cwByteShift    = 913
	cwMacroBlock   = 928
	cwMacroOpt     = 923
	cwMacroEnd     = 922
	cwReaderInit   = 921
	cwECIUser      = 925
	cwECIGeneral   = 926
	cwECICharset   = 927
)

// Text compaction sub-mode tables. Values 26..29 are space and the
// latch/shift values, listed in the decoder.
const (
	alphaChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lowerChars = "abcdefghijklmnopqrstuvwxyz"
	mixedChars = "0123456789&\r\t,:#-.$/+%*=^"        // 0..24
	punctChars = ";<>@[\\]_`~!\r\t,:\n-.$/\"|*()?{}'" // 0..28
)

type submode int

const (
	smAlpha submode = iota
	smLower
	smMixed
	smPunct
)

// ErrFormat reports codewords that do not follow the high-level encoding.
var ErrFormat = errors.New("pdf417: invalid data codewords")

// decoded is the output of the high-level decoder.
type decoded struct {
	bytes []byte
	eci   int // last character-set ECI seen (-1 = none)
}

// decodeCodewords decodes data codewords (after the symbol length
// descriptor) into bytes. ECI and reader-initialisation codewords do not
// change the compaction mode: data after them continues in the mode (and
// text sub-mode) that was active.
func decodeCodewords(cw []int) (decoded, error) {
	out := decoded{eci: -1}
	var buf []byte
	var ts textState
	i := 0
	mode := cwTextLatch // a symbol starts in text compaction, alpha sub-mode
	var err error
	for i < len(cw) {
		c := cw[i]
		if c < 0 || c > 928 {
			return out, ErrFormat
		}
		if c < 900 {
			switch mode {
			case cwByteLatch, cwByteLatch6:
				buf, i, err = decodeBytes(cw, i, mode, buf)
			case cwNumericLatch:
				buf, i, err = decodeNumeric(cw, i, buf)
			default:
				buf, i = decodeText(cw, i, buf, &ts)
			}
			if err != nil {
				return out, err
			}
			continue
		}
		i++
		switch c {
		case cwTextLatch:
			mode, ts = c, textState{}
		case cwByteLatch, cwByteLatch6, cwNumericLatch:
			mode = c
		case cwByteShift:
			if i < len(cw) && cw[i] < 900 {
				buf = append(buf, byte(cw[i]))
				i++
			}
			ts.endShift()
		case cwECICharset, cwECIUser:
			if i < len(cw) {
				if c == cwECICharset {
					out.eci = cw[i]
				}
				i++
			}
		case cwECIGeneral:
			i += 2
		case cwReaderInit:
		case cwMacroBlock, cwMacroOpt, cwMacroEnd:
			// Macro PDF417 control block: it ends the data; its fields
			// (segment index, file ID, options) are not part of the message.
			out.bytes = buf
			return out, nil
		default:
			return out, ErrFormat
		}
	}
	out.bytes = buf
	return out, nil
}

// textState is the text compaction sub-mode and a pending one-character
// shift (when shifting, return to shiftFrom after the next character).
type textState struct {
	mode      submode
	shiftFrom submode // valid when shifting
	shifting  bool
}

// endShift cancels a pending shift (a byte shift consumes it).
func (ts *textState) endShift() {
	if ts.shifting {
		ts.mode, ts.shifting = ts.shiftFrom, false
	}
}

// decodeText decodes text compaction codewords from i until a codeword of
// 900 or more (byte shifts 913 are handled here). It returns the new index.
func decodeText(cw []int, i int, buf []byte, ts *textState) ([]byte, int) {
	for i < len(cw) {
		c := cw[i]
		if c >= 900 {
			if c == cwByteShift && i+1 < len(cw) && cw[i+1] < 900 {
				buf = append(buf, byte(cw[i+1]))
				i += 2
				// A pending one-character shift (the pad value of an odd
				// pair) is consumed by the byte shift.
				ts.endShift()
				continue
			}
			return buf, i
		}
		i++
		for _, v := range [2]int{c / 30, c % 30} {
			ch := -1
			shift := false
			switch ts.mode {
			case smAlpha, smLower:
				switch {
				case v < 26:
					if ts.mode == smAlpha {
						ch = int(alphaChars[v])
					} else {
						ch = int(lowerChars[v])
					}
				case v == 26:
					ch = ' '
				case v == 27:
					if ts.mode == smAlpha {
						ts.mode = smLower
					} else { // AS: shift to alpha for one character
						ts.shiftFrom, ts.mode, shift = ts.mode, smAlpha, true
					}
				case v == 28:
					ts.mode = smMixed
				case v == 29: // PS
					ts.shiftFrom, ts.mode, shift = ts.mode, smPunct, true
				}
			case smMixed:
				switch {
				case v < 25:
					ch = int(mixedChars[v])
				case v == 25:
					ts.mode = smPunct
				case v == 26:
					ch = ' '
				case v == 27:
					ts.mode = smLower
				case v == 28:
					ts.mode = smAlpha
				case v == 29: // PS
					ts.shiftFrom, ts.mode, shift = ts.mode, smPunct, true
				}
			case smPunct:
				if v < 29 {
					ch = int(punctChars[v])
				} else { // AL: latch to alpha (also ends a punctuation shift)
					ts.mode, ts.shifting = smAlpha, false
				}
			}
			if shift {
				if ts.shifting {
					// A shift value while shifted is ignored: the shift ends.
					ts.mode, ts.shifting = ts.shiftFrom, false
				} else {
					ts.shifting = true
				}
				continue
			}
			if ch >= 0 {
				buf = append(buf, byte(ch))
			}
			ts.endShift()
		}
	}
	return buf, i
}

// decodeBytes decodes byte compaction from i (after the latch codeword).
func decodeBytes(cw []int, i, latch int, buf []byte) ([]byte, int, error) {
	for i < len(cw) && cw[i] < 900 {
		j := i
		for j < len(cw) && cw[j] < 900 && j-i < 5 {
			j++
		}
		full := j-i == 5 && (latch == cwByteLatch6 || (j < len(cw) && cw[j] < 900))
		if full {
			var v uint64
			for _, c := range cw[i:j] {
				v = v*900 + uint64(c)
			}
			if v >= 1<<48 {
				return buf, j, ErrFormat
			}
			for s := 40; s >= 0; s -= 8 {
				buf = append(buf, byte(v>>uint(s)))
			}
			i = j
			continue
		}
		for _, c := range cw[i:j] {
			if c > 255 {
				return buf, j, ErrFormat
			}
			buf = append(buf, byte(c))
		}
		i = j
	}
	return buf, i, nil
}

// decodeNumeric decodes numeric compaction from i (after the latch).
func decodeNumeric(cw []int, i int, buf []byte) ([]byte, int, error) {
	for i < len(cw) && cw[i] < 900 {
		j := i
		for j < len(cw) && cw[j] < 900 && j-i < 15 {
			j++
		}
		v := new(big.Int)
		n900 := big.NewInt(900)
		for _, c := range cw[i:j] {
			v.Mul(v, n900)
			v.Add(v, big.NewInt(int64(c)))
		}
		s := v.String()
		if len(s) < 2 || s[0] != '1' {
			return buf, j, ErrFormat
		}
		buf = append(buf, s[1:]...)
		i = j
	}
	return buf, i, nil
}

// bytesToText converts decoded bytes to a Go string: UTF-8 when ECI 26
// was signalled or the bytes are valid UTF-8, otherwise ISO 8859-1.
func bytesToText(b []byte, eci int) string {
	if eci == 26 || utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

// ---- encoder ----

// Compaction selects the high-level encoding.
type Compaction int

// Compaction modes for EncodeOptions.
const (
	CompactionAuto Compaction = iota // text + numeric + byte segments
	CompactionText                   // text where possible, byte shifts otherwise
	CompactionByte                   // byte compaction only
)

func textValue(c byte, m submode) (int, bool) {
	var set string
	switch m {
	case smAlpha:
		if c == ' ' {
			return 26, true
		}
		set = alphaChars
	case smLower:
		if c == ' ' {
			return 26, true
		}
		set = lowerChars
	case smMixed:
		if c == ' ' {
			return 26, true
		}
		set = mixedChars
	case smPunct:
		set = punctChars
	}
	if k := strings.IndexByte(set, c); k >= 0 {
		return k, true
	}
	return 0, false
}

func isText(c byte) bool {
	return (c >= 32 && c < 127) || c == '\r' || c == '\n' || c == '\t'
}

// encodeText writes text compaction values for s (all isText) starting in
// alpha sub-mode and returns codewords (pairs of values).
func encodeText(s []byte) []int {
	var vals []int
	mode := smAlpha
	for k := 0; k < len(s); k++ {
		c := s[k]
		if v, ok := textValue(c, mode); ok {
			vals = append(vals, v)
			continue
		}
		// Shifts for a single character.
		next := byte(0)
		if k+1 < len(s) {
			next = s[k+1]
		}
		if mode == smLower {
			if v, ok := textValue(c, smAlpha); ok && c != ' ' {
				if _, nok := textValue(next, smAlpha); !nok || next == ' ' {
					vals = append(vals, 27, v) // AS
					continue
				}
			}
		}
		if mode != smPunct {
			if v, ok := textValue(c, smPunct); ok {
				if _, nok := textValue(next, smPunct); !nok {
					vals = append(vals, 29, v) // PS
					continue
				}
			}
		}
		// Latch to a sub-mode that has c.
		switch {
		case c >= 'A' && c <= 'Z':
			switch mode {
			case smLower:
				vals = append(vals, 28, 28) // ML, AL
			case smMixed:
				vals = append(vals, 28)
			case smPunct:
				vals = append(vals, 29)
			}
			mode = smAlpha
		case c >= 'a' && c <= 'z':
			switch mode {
			case smAlpha, smMixed:
				vals = append(vals, 27)
			case smPunct:
				vals = append(vals, 29, 27)
			}
			mode = smLower
		default:
			if _, ok := textValue(c, smMixed); ok {
				switch mode {
				case smAlpha, smLower:
					vals = append(vals, 28)
				case smPunct:
					vals = append(vals, 29, 28)
				}
				mode = smMixed
			} else { // punctuation only
				switch mode {
				case smAlpha, smLower:
					vals = append(vals, 28, 25)
				case smMixed:
					vals = append(vals, 25)
				}
				mode = smPunct
			}
		}
		v, _ := textValue(c, mode)
		vals = append(vals, v)
	}
	if len(vals)%2 == 1 {
		vals = append(vals, 29)
	}
	cw := make([]int, 0, len(vals)/2)
	for k := 0; k < len(vals); k += 2 {
		cw = append(cw, vals[k]*30+vals[k+1])
	}
	return cw
}

func encodeBytes(b []byte) []int {
	var cw []int
	if len(b)%6 == 0 {
		cw = append(cw, cwByteLatch6)
	} else {
		cw = append(cw, cwByteLatch)
	}
	k := 0
	for ; k+6 <= len(b); k += 6 {
		var v uint64
		for _, x := range b[k : k+6] {
			v = v<<8 | uint64(x)
		}
		var g [5]int
		for j := 4; j >= 0; j-- {
			g[j] = int(v % 900)
			v /= 900
		}
		cw = append(cw, g[:]...)
	}
	for ; k < len(b); k++ {
		cw = append(cw, int(b[k]))
	}
	return cw
}

func encodeNumeric(d []byte) []int {
	cw := []int{cwNumericLatch}
	for k := 0; k < len(d); k += 44 {
		e := k + 44
		if e > len(d) {
			e = len(d)
		}
		v, _ := new(big.Int).SetString("1"+string(d[k:e]), 10)
		var g []int
		n900 := big.NewInt(900)
		m := new(big.Int)
		for v.Sign() > 0 {
			v.DivMod(v, n900, m)
			g = append(g, int(m.Int64()))
		}
		for a, b := 0, len(g)-1; a < b; a, b = a+1, b-1 {
			g[a], g[b] = g[b], g[a]
		}
		cw = append(cw, g...)
	}
	return cw
}

// encodeData turns data into data codewords (without the length descriptor).
func encodeData(data []byte, c Compaction) []int {
	if c == CompactionByte {
		return encodeBytes(data)
	}
	var cw []int
	inText := true // the symbol starts in text compaction, alpha sub-mode
	k := 0
	for k < len(data) {
		// Numeric run.
		if c == CompactionAuto {
			j := k
			for j < len(data) && data[j] >= '0' && data[j] <= '9' {
				j++
			}
			if j-k >= 13 {
				cw = append(cw, encodeNumeric(data[k:j])...)
				inText = false
				k = j
				continue
			}
		}
		j := k
		for j < len(data) && isText(data[j]) {
			if c == CompactionAuto {
				n := j
				for n < len(data) && data[n] >= '0' && data[n] <= '9' {
					n++
				}
				if n-j >= 13 {
					break
				}
			}
			j++
		}
		if j > k {
			if !inText {
				cw = append(cw, cwTextLatch)
			}
			cw = append(cw, encodeText(data[k:j])...)
			inText = true
			k = j
			continue
		}
		j = k
		for j < len(data) && !isText(data[j]) {
			j++
		}
		if j-k == 1 && inText {
			cw = append(cw, cwByteShift, int(data[k]))
			inText = false // text resumes with a latch (alpha, no pending shift)
			k = j
			continue
		}
		cw = append(cw, encodeBytes(data[k:j])...)
		inText = false
		k = j
	}
	return cw
}
