package pdf417

import (
	"errors"
	"image"
	"image/color"
)

// EncodeOptions controls Encode.
type EncodeOptions struct {
	ECLevel    int        // 0..8; -1 (or leave 0 with AutoEC) chooses by data size
	AutoEC     bool       // choose the error correction level from the data size
	Columns    int        // data columns 1..30; 0 = choose for a ~3:1 symbol
	Compaction Compaction // high-level encoding
}

// Symbol is an encoded PDF417 symbol.
type Symbol struct {
	Rows, Cols, ECLevel int
	Codewords           []int    // rows*cols data + EC codewords in symbol order
	Modules             [][]bool // Rows x (17*Cols+69) modules, true = bar
}

// ErrTooLong reports data that does not fit one symbol.
var ErrTooLong = errors.New("pdf417: data too long for one symbol")

// ecLevelFor is the recommended minimum error correction level for n data
// codewords (ISO/IEC 15438 Annex E).
func ecLevelFor(n int) int {
	switch {
	case n <= 40:
		return 2
	case n <= 160:
		return 3
	case n <= 320:
		return 4
	case n <= 863:
		return 5
	}
	return 6
}

// Encode encodes data into a PDF417 symbol.
func Encode(data []byte, opts EncodeOptions) (*Symbol, error) {
	dcw := encodeData(data, opts.Compaction)
	n := len(dcw) + 1 // + symbol length descriptor
	ec := opts.ECLevel
	if opts.AutoEC || ec < 0 {
		ec = ecLevelFor(n)
	}
	if ec > 8 {
		ec = 8
	}
	k := 2 << uint(ec)
	total := n + k
	if total > 928 {
		return nil, ErrTooLong
	}
	cols := opts.Columns
	if cols <= 0 || cols > 30 {
		best, bestErr := 0, 1e9
		for c := 1; c <= 30; c++ {
			r := (total + c - 1) / c
			if r < 3 {
				r = 3
			}
			if r > 90 {
				continue
			}
			ratio := float64(17*c+69) / float64(3*r)
			e := ratio - 3
			if e < 0 {
				e = -e
			}
			if e < bestErr {
				best, bestErr = c, e
			}
		}
		cols = best
		if cols == 0 {
			return nil, ErrTooLong
		}
	}
	rows := (total + cols - 1) / cols
	if rows < 3 {
		rows = 3
	}
	if rows > 90 {
		return nil, ErrTooLong
	}
	nd := rows*cols - k
	cw := make([]int, 0, rows*cols)
	cw = append(cw, nd)
	cw = append(cw, dcw...)
	for len(cw) < nd {
		cw = append(cw, cwTextLatch) // padding
	}
	cw = append(cw, ecCodewords(cw, k)...)
	s := &Symbol{Rows: rows, Cols: cols, ECLevel: ec, Codewords: cw}
	width := 17*cols + 69
	for r := 0; r < rows; r++ {
		ci := r % 3
		row := make([]bool, 0, width)
		put := func(w []int) {
			bar := true
			for _, x := range w {
				for j := 0; j < x; j++ {
					row = append(row, bar)
				}
				bar = !bar
			}
		}
		put(startPattern[:])
		left, right := indicators(r, rows, cols, ec)
		lw := widths(ci, left)
		put(lw[:])
		for c := 0; c < cols; c++ {
			w := widths(ci, cw[r*cols+c])
			put(w[:])
		}
		rw := widths(ci, right)
		put(rw[:])
		put(stopPattern[:])
		s.Modules = append(s.Modules, row)
	}
	return s, nil
}

// indicators returns the left and right row indicator values of row r.
func indicators(r, rows, cols, ec int) (left, right int) {
	base := 30 * (r / 3)
	rd3 := (rows - 1) / 3
	ecm := ec*3 + (rows-1)%3
	switch r % 3 {
	case 0:
		return base + rd3, base + cols - 1
	case 1:
		return base + ecm, base + rd3
	default:
		return base + cols - 1, base + ecm
	}
}

// Image renders the symbol with the given module width and row height in
// pixels and a quiet zone of quiet modules on every side.
func (s *Symbol) Image(moduleW, rowH, quiet int) *image.Gray {
	if moduleW < 1 {
		moduleW = 1
	}
	if rowH < 1 {
		rowH = 3 * moduleW
	}
	if quiet < 0 {
		quiet = 0
	}
	w := len(s.Modules[0])
	img := image.NewGray(image.Rect(0, 0, (w+2*quiet)*moduleW, s.Rows*rowH+2*quiet*moduleW))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for r, row := range s.Modules {
		for c, bar := range row {
			if !bar {
				continue
			}
			x0 := (c + quiet) * moduleW
			y0 := r*rowH + quiet*moduleW
			for y := y0; y < y0+rowH; y++ {
				for x := x0; x < x0+moduleW; x++ {
					img.SetGray(x, y, color.Gray{0})
				}
			}
		}
	}
	return img
}
