// Package pdf417 reads and writes PDF417 bar codes (ISO/IEC 15438), the
// stacked symbology on the back of North American driver's licences.
//
// Decode locates a symbol in a photograph or scan (start and stop patterns
// found on scan lines, left and right edges fitted as lines, so rotated and
// skewed symbols are read along their own rows), reads every row along
// many scan lines, identifies rows by their row indicators, votes the
// codewords, corrects errors and erasures with Reed–Solomon over GF(929), and
// decodes text, byte and numeric compaction. Encode builds symbols for tests.
//
// The package is pure Go, does no I/O and never panics on any input.
package pdf417

import (
	"errors"
	"fmt"
	"image"
	"math"
	"sort"
)

// Result is a decoded symbol.
type Result struct {
	Text      string // the message (ISO 8859-1 or UTF-8, see Bytes)
	Bytes     []byte // the message bytes
	Rows      int
	Cols      int // data columns
	ECLevel   int
	Corrected int // codewords fixed by error correction (errors + erasures)
}

// Errors returned by Decode.
var (
	ErrNotFound = errors.New("pdf417: no symbol found")
)

// Decode finds and decodes one PDF417 symbol in img.
func Decode(img image.Image) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil { // defensive: never panic on bad input
			res, err = Result{}, fmt.Errorf("pdf417: internal error: %v", r)
		}
	}()
	if img == nil {
		return Result{}, ErrNotFound
	}
	b := img.Bounds()
	if b.Dx() < 20 || b.Dy() < 3 || b.Dx()*b.Dy() > 64<<20 {
		return Result{}, ErrNotFound
	}
	p := toPlane(img)
	err = ErrNotFound
	for _, q := range []int{0, 2, 1, 3} {
		r, e := decodePlane(p.rotate(q))
		if e == nil {
			return r, nil
		}
		if errors.Is(err, ErrNotFound) || !errors.Is(e, ErrNotFound) {
			err = e
		}
	}
	return Result{}, err
}

// decodePlane decodes a symbol whose rows run roughly left to right.
func decodePlane(p plane) (Result, error) {
	starts, stops := findPatterns(p)
	ls, ns := fitLine(starts)
	rsl, nr := fitLine(stops)
	if ns < 3 {
		// No start pattern (cropped on the left): read from the stop pattern.
		if nr < 6 {
			return Result{}, ErrNotFound
		}
		return readSymbol(p, stopOnly(p, rsl))
	}
	ym := (ls.y0 + ls.y1) / 2
	if nr >= 3 && 4*nr >= ns && rsl.a*ym+rsl.b > ls.a*ym+ls.b+20*ls.m {
		g := geometry{
			tl: [2]float64{ls.a*ls.y0 + ls.b, ls.y0}, bl: [2]float64{ls.a*ls.y1 + ls.b, ls.y1},
			tr: [2]float64{rsl.a*rsl.y0 + rsl.b, rsl.y0}, br: [2]float64{rsl.a*rsl.y1 + rsl.b, rsl.y1},
			m: (ls.m + rsl.m) / 2, mL: ls.m, mR: rsl.m,
		}
		r, err := readSymbol(p, g)
		if err == nil {
			return r, nil
		}
		// Fall back to one edge alone (the other one damaged).
		if r2, err2 := readSymbol(p, startOnly(p, ls)); err2 == nil {
			return r2, nil
		}
		if r2, err2 := readSymbol(p, stopOnly(p, rsl)); err2 == nil {
			return r2, nil
		}
		return r, err
	}
	// No stop pattern: truncated/compact PDF417 or a cropped symbol. Rows run
	// perpendicular to the start pattern's edge. A real start edge shows on
	// many lines; a few stray matches are not worth reading.
	if ns < 6 {
		return Result{}, ErrNotFound
	}
	r, err := readSymbol(p, startOnly(p, ls))
	if err != nil && nr >= 6 {
		if r2, err2 := readSymbol(p, stopOnly(p, rsl)); err2 == nil {
			return r2, nil
		}
	}
	return r, err
}

// startOnly builds a geometry from the start line alone: the right end of
// each scan line lies perpendicular to the start edge, as far as 30 columns.
func startOnly(p plane, ls line) geometry {
	n := math.Hypot(ls.a, 1)
	ux, uy := 1/n, -ls.a/n
	L := float64(17*30+69) * ls.m
	if lim := float64(p.w + p.h); L > lim {
		L = lim
	}
	tl := [2]float64{ls.a*ls.y0 + ls.b, ls.y0}
	bl := [2]float64{ls.a*ls.y1 + ls.b, ls.y1}
	return geometry{tl: tl, bl: bl,
		tr:     [2]float64{tl[0] + ux*L, tl[1] + uy*L},
		br:     [2]float64{bl[0] + ux*L, bl[1] + uy*L},
		m:      ls.m,
		noStop: true,
	}
}

type geometry struct {
	tl, tr, br, bl [2]float64 // start-pattern left edge and stop-pattern right edge, top and bottom
	m              float64    // module size estimate (px)
	mL, mR         float64    // module size at the start and stop edges (px; 0 = use m)
	noStop         bool       // tr/br are not the stop edge: read from the start pattern only
	noStart        bool       // tl/bl are not the start edge: read from the stop pattern only
}

// stopOnly builds a geometry from the stop line alone (a symbol cropped on
// the left): scan lines start perpendicular to the stop edge, 30 columns
// away.
func stopOnly(p plane, rl line) geometry {
	n := math.Hypot(rl.a, 1)
	ux, uy := 1/n, -rl.a/n
	L := float64(17*30+69) * rl.m
	if lim := float64(p.w + p.h); L > lim {
		L = lim
	}
	tr := [2]float64{rl.a*rl.y0 + rl.b, rl.y0}
	br := [2]float64{rl.a*rl.y1 + rl.b, rl.y1}
	return geometry{tr: tr, br: br,
		tl:      [2]float64{tr[0] - ux*L, tr[1] - uy*L},
		bl:      [2]float64{br[0] - ux*L, br[1] - uy*L},
		m:       rl.m,
		noStart: true,
	}
}

// lineAt returns the scan line end points for v (0 = top, 1 = bottom):
// the images of (0, v) and (1, v) under the homography that maps the unit
// square onto the corners, so that under perspective both ends stay on the
// same row.
func (g geometry) lineAt(v float64) (p, q [2]float64) {
	return g.mapUV(0, v), g.mapUV(1, v)
}

// mapUV maps unit-square coordinates to the image (square-to-quad
// projective mapping; affine when the corners form a parallelogram).
func (g geometry) mapUV(u, v float64) [2]float64 {
	x0, y0 := g.tl[0], g.tl[1]
	x1, y1 := g.tr[0], g.tr[1]
	x2, y2 := g.br[0], g.br[1]
	x3, y3 := g.bl[0], g.bl[1]
	dx3, dy3 := x0-x1+x2-x3, y0-y1+y2-y3
	var a, b, c, d, e, f, gg, h float64
	c, f = x0, y0
	det := (x1-x2)*(y3-y2) - (x3-x2)*(y1-y2)
	if math.Abs(dx3) < 1e-9 && math.Abs(dy3) < 1e-9 || math.Abs(det) < 1e-9 {
		a, b, d, e = x1-x0, x3-x0, y1-y0, y3-y0
	} else {
		gg = (dx3*(y3-y2) - (x3-x2)*dy3) / det
		h = ((x1-x2)*dy3 - dx3*(y1-y2)) / det
		a, b = x1-x0+gg*x1, x3-x0+h*x3
		d, e = y1-y0+gg*y1, y3-y0+h*y3
	}
	z := gg*u + h*v + 1
	if math.Abs(z) < 1e-9 {
		z = 1e-9
	}
	return [2]float64{(a*u + b*v + c) / z, (d*u + e*v + f) / z}
}

// rowRead is what one scan line yielded.
type rowRead struct {
	ci          int // cluster index 0..2 (-1 unknown)
	left, right int // indicator values (-1 unknown)
	cw          []int
}

// scanner holds reusable buffers.
type scanner struct {
	prof    []float64
	runs    []run
	scratch []float64
}

// readLine samples the scan line for v and reads its codewords assuming
// cols data columns (cols <= 0: estimate from the width).
func (s *scanner) readLine(p plane, g geometry, v float64, cols int) (rowRead, int) {
	rr := rowRead{ci: -1, left: -1, right: -1}
	a, b := g.lineAt(v)
	dx, dy := b[0]-a[0], b[1]-a[1]
	L := math.Hypot(dx, dy)
	if L < 10 {
		return rr, 0
	}
	ux, uy := dx/L, dy/L
	step := 0.5
	if g.m > 4 {
		step = g.m / 8
	}
	margin := 4 * g.m
	n := int((L+2*margin)/step) + 1
	if n > 20000 {
		return rr, 0
	}
	if cap(s.prof) < n {
		s.prof = make([]float64, n)
	}
	prof := s.prof[:n]
	for i := range prof {
		t := -margin + float64(i)*step
		prof[i] = p.at(a[0]+ux*t, a[1]+uy*t)
	}
	m := g.m / step // module in samples
	s.runs = runsOf(prof, int(17*m), s.runs, &s.scratch)
	rs := s.runs
	// Start pattern near the left end.
	x0, m0 := -1.0, 0.0
	si := -1
	for i := 0; i+8 <= len(rs); i++ {
		if rs[i].start > margin/step+6*m {
			break
		}
		if mm, ok := matchPattern(rs[i:], startPattern[:], 17); ok {
			x0, m0, si = rs[i].start, mm, i
			break
		}
	}
	// Stop pattern near the right end.
	x1, m1, ti := -1.0, 0.0, -1
	for i := len(rs) - 9; i >= 0 && !g.noStop; i-- {
		if rs[i].start < float64(n)-margin/step-30*m {
			break
		}
		if mm, ok := matchPattern(rs[i:], stopPattern[:], 18); ok {
			x1, m1, ti = rs[i+8].start+rs[i+8].len, mm, i
			break
		}
	}
	if g.noStart {
		return s.readBackward(rs, x1, m1, ti, m, margin/step, cols)
	}
	if x0 < 0 {
		x0 = margin / step
		m0 = m
		if g.mL > 0 {
			m0 = g.mL / step
		}
	}
	if x1 < 0 {
		x1 = float64(n-1) - margin/step
		m1 = m
		if g.mR > 0 {
			m1 = g.mR / step
		}
	}
	if g.noStop {
		m1 = m0
	}
	span := x1 - x0
	var mod float64
	if g.noStop {
		mod = m0
		if cols <= 0 {
			cols = int((span/m0 - 34) / 17)
			if cols > 30 {
				cols = 30
			}
		}
		if cols < 1 || cols > 30 {
			return rr, 0
		}
	} else {
		if cols <= 0 {
			cols = int(math.Round((span/((m0+m1)/2) - 69) / 17))
		}
		if cols < 1 || cols > 30 {
			return rr, 0
		}
		mod = span / float64(17*cols+69)
	}
	if mod <= 0 {
		return rr, cols
	}
	// Read codewords k = 0 (left indicator) .. cols+1 (right indicator).
	vals := make([]int, cols+2)
	cis := make([]int, cols+2)
	// Codeword k is expected 17 modules after the end of the last codeword
	// read (or of the start pattern); the module estimate follows the
	// codewords read so far, which absorbs perspective and print growth.
	// Under perspective the module grows or shrinks along the line: the
	// prediction interpolates between the start and stop pattern modules
	// (scaled to the measured mean), and ratio tracks what the codewords
	// actually measure.
	scale := 1.0
	if !g.noStop && m0+m1 > 0 {
		scale = mod / ((m0 + m1) / 2)
	}
	pred := func(x float64) float64 {
		t := (x - x0) / span
		if t < 0 {
			t = 0
		} else if t > 1 {
			t = 1
		}
		return (m0 + (m1-m0)*t) * scale
	}
	ratio := 1.0
	lastEnd, lastK := x0+17*pred(x0), -1
	if si >= 0 {
		lastEnd = rs[si+7].start + rs[si+7].len
	}
	var votes [3]int
	for k := 0; k < cols+2; k++ {
		vals[k], cis[k] = -1, -1
		gapMods := float64(k-lastK-1) * 17
		modEst := pred(lastEnd+gapMods/2*pred(lastEnd)) * ratio
		start := lastEnd + gapMods*modEst
		modEst = pred(start+8*modEst) * ratio
		// Find the bar run starting nearest to start.
		bi, bd := -1, 2.2*modEst
		for i := range rs {
			if !rs[i].dark {
				continue
			}
			d := math.Abs(rs[i].start - start)
			if d < bd {
				bi, bd = i, d
			}
			if rs[i].start > start+3*modEst {
				break
			}
		}
		if bi < 0 || bi+8 > len(rs) {
			continue
		}
		ci, val, T, ok := decodeAt(rs, bi, modEst)
		if !ok {
			continue
		}
		vals[k], cis[k] = val, ci
		votes[ci]++
		lastEnd, lastK = rs[bi+7].start+rs[bi+7].len, k
		if pm := pred(rs[bi].start + T/2); pm > 0 {
			ratio = 0.7*ratio + 0.3*(T/17)/pm
		}
	}
	return finishRow(rr, vals, cis, votes, cols), cols
}

// decodeAt decodes the 8 runs starting at rs[bi] (a bar) as a symbol
// character, given the current module estimate.
func decodeAt(rs []run, bi int, modEst float64) (ci, val int, T float64, ok bool) {
	if bi < 0 || bi+8 > len(rs) || !rs[bi].dark {
		return 0, 0, 0, false
	}
	var f [8]float64
	for j := 0; j < 8; j++ {
		f[j] = rs[bi+j].len
		T += f[j]
	}
	if T < 13*modEst || T > 21*modEst {
		return 0, 0, T, false
	}
	w, ok := toModules(f, T)
	if !ok {
		return 0, 0, T, false
	}
	ci, val, ok = decodePattern(w)
	return ci, val, T, ok
}

// readBackward reads a line from the stop pattern leftwards (no start
// pattern): codeword k = cols+1 (right indicator) down to 0.
func (s *scanner) readBackward(rs []run, x1, m1 float64, ti int, m, lineStart float64, cols int) (rowRead, int) {
	rr := rowRead{ci: -1, left: -1, right: -1}
	if ti < 0 {
		return rr, 0
	}
	stopStart := rs[ti].start
	if cols <= 0 {
		cols = int(((stopStart-lineStart)/m1 - 17) / 17)
		if cols > 30 {
			cols = 30
		}
	}
	if cols < 1 || cols > 30 {
		return rr, 0
	}
	vals := make([]int, cols+2)
	cis := make([]int, cols+2)
	lastStart, lastK := stopStart, cols+2
	modEst := m1
	var votes [3]int
	for k := cols + 1; k >= 0; k-- {
		vals[k], cis[k] = -1, -1
		end := lastStart - float64(lastK-k-1)*17*modEst
		bj, bd := -1, 2.2*modEst
		for i := len(rs) - 1; i >= 0; i-- {
			if !rs[i].dark {
				continue
			}
			d := math.Abs(rs[i].start - end)
			if d < bd {
				bj, bd = i, d
			}
			if rs[i].start < end-3*modEst {
				break
			}
		}
		if bj < 8 {
			continue
		}
		ci, val, T, ok := decodeAt(rs, bj-8, modEst)
		if !ok {
			continue
		}
		vals[k], cis[k] = val, ci
		votes[ci]++
		lastStart, lastK = rs[bj-8].start, k
		modEst = 0.7*modEst + 0.3*T/17
	}
	return finishRow(rr, vals, cis, votes, cols), cols
}

// finishRow keeps the codewords of the row's majority cluster.
func finishRow(rr rowRead, vals, cis []int, votes [3]int, cols int) rowRead {
	ci, best := -1, 0
	for c, n := range votes {
		if n > best {
			ci, best = c, n
		}
	}
	if ci < 0 || best < 2 && cols+2 > 3 {
		return rr
	}
	rr.ci = ci
	rr.cw = make([]int, cols)
	for k := 0; k < cols; k++ {
		rr.cw[k] = -1
		if cis[k+1] == ci {
			rr.cw[k] = vals[k+1]
		}
	}
	if cis[0] == ci {
		rr.left = vals[0]
	}
	if cis[cols+1] == ci {
		rr.right = vals[cols+1]
	}
	return rr
}

// toModules converts 8 run widths (total T) to module counts summing to 17.
func toModules(f [8]float64, T float64) ([8]int, bool) {
	var w [8]int
	var res [8]float64
	m := T / 17
	sum := 0
	for i, x := range f {
		v := x / m
		r := int(math.Round(v))
		if r < 1 {
			r = 1
		}
		if r > 6 {
			r = 6
		}
		w[i] = r
		res[i] = v - float64(r)
		sum += r
	}
	for it := 0; sum != 17 && it < 8; it++ {
		j := -1
		if sum < 17 {
			for i := range w {
				if w[i] < 6 && (j < 0 || res[i] > res[j]) {
					j = i
				}
			}
			if j < 0 {
				return w, false
			}
			w[j]++
			res[j]--
			sum++
		} else {
			for i := range w {
				if w[i] > 1 && (j < 0 || res[i] < res[j]) {
					j = i
				}
			}
			if j < 0 {
				return w, false
			}
			w[j]--
			res[j]++
			sum--
		}
	}
	return w, sum == 17
}

type votes map[int]int

func (v votes) best() (val, n, second int) {
	val = -1
	keys := make([]int, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		c := v[k]
		if c > n {
			val, second, n = k, n, c
		} else if c > second {
			second = c
		}
	}
	return
}

// readSymbol reads all scan lines and decodes the symbol.
func readSymbol(p plane, g geometry) (Result, error) {
	var s scanner
	hL := math.Hypot(g.bl[0]-g.tl[0], g.bl[1]-g.tl[1])
	hR := math.Hypot(g.br[0]-g.tr[0], g.br[1]-g.tr[1])
	H := math.Max(hL, hR)
	if H < 2 {
		H = 2
	}
	dv := math.Min(0.5, math.Max(0.34, g.m/3)) / H
	// Scan past the fitted ends: near the top and bottom a horizontal line
	// crosses a tilted start/stop column only partly, so the fitted edges
	// stop about 17 modules x tan(tilt) short of the corners.
	slope := math.Max(math.Abs(g.tl[0]-g.bl[0])/math.Max(1, math.Abs(g.bl[1]-g.tl[1])),
		math.Abs(g.tr[0]-g.br[0])/math.Max(1, math.Abs(g.br[1]-g.tr[1])))
	ext := (2 + 18*math.Min(slope, 1.2)) * g.m / H
	// Pass 1: estimate the number of columns, rows and EC level from the
	// row indicators on a subset of lines.
	colV, rowV, ecV := votes{}, votes{}, votes{}
	addInd := func(rr rowRead) {
		add := func(val int, kind int) {
			if val < 0 {
				return
			}
			x := val % 30
			switch kind {
			case 0: // (rows-1)/3
				rowV[x]++
			case 1: // ec*3 + (rows-1)%3
				ecV[x]++
			case 2: // cols-1
				colV[x+1]++
			}
		}
		switch rr.ci {
		case 0:
			add(rr.left, 0)
			add(rr.right, 2)
		case 1:
			add(rr.left, 1)
			add(rr.right, 0)
		case 2:
			add(rr.left, 2)
			add(rr.right, 1)
		}
	}
	for v := -ext; v <= 1+ext; v += 4 * dv {
		rr, _ := s.readLine(p, g, v, 0)
		addInd(rr)
	}
	cols, cn, _ := colV.best()
	if cn == 0 {
		// No indicator read: fall back to the geometric estimate.
		cv := votes{}
		for v := 0.1; v <= 0.9; v += 0.1 {
			if _, c := s.readLine(p, g, v, 0); c > 0 {
				cv[c]++
			}
		}
		cols, cn, _ = cv.best()
		if cn == 0 {
			return Result{}, ErrNotFound
		}
	}
	// Pass 2: all lines with the column count fixed.
	type line struct {
		v   float64
		row int
		rr  rowRead
	}
	var lines []line
	rowV, ecV = votes{}, votes{}
	for v := -ext; v <= 1+ext; v += dv {
		rr, _ := s.readLine(p, g, v, cols)
		if rr.ci < 0 {
			continue
		}
		addInd(rr)
		row := -1
		if rr.left >= 0 {
			row = 3*(rr.left/30) + rr.ci
		}
		if rr.right >= 0 {
			r2 := 3*(rr.right/30) + rr.ci
			if row < 0 {
				row = r2
			} else if r2 != row {
				row = -1
			}
		}
		lines = append(lines, line{v, row, rr})
	}
	// Lines without a readable indicator take the row of their neighbours
	// when both sides agree and the cluster matches.
	for i := range lines {
		if lines[i].row >= 0 {
			continue
		}
		prev, next := -1, -1
		for j := i - 1; j >= 0; j-- {
			if lines[j].row >= 0 {
				prev = lines[j].row
				break
			}
		}
		for j := i + 1; j < len(lines); j++ {
			if lines[j].row >= 0 {
				next = lines[j].row
				break
			}
		}
		if prev >= 0 && prev == next && prev%3 == lines[i].rr.ci {
			lines[i].row = prev
		}
	}
	rd3, n1, _ := rowV.best()
	ecm, n2, _ := ecV.best()
	if n1 == 0 || n2 == 0 {
		return Result{}, fmt.Errorf("%w: row indicators unreadable", ErrNotFound)
	}
	rows := 3*rd3 + ecm%3 + 1
	ec := ecm / 3
	if rows < 3 || rows > 90 || ec > 8 {
		return Result{}, fmt.Errorf("%w: bad row indicators", ErrTooDamaged)
	}
	k := 2 << uint(ec)
	total := rows * cols
	if total > 928 || k >= total {
		return Result{}, fmt.Errorf("%w: bad dimensions", ErrTooDamaged)
	}
	cells := make([]votes, total)
	for _, ln := range lines {
		if ln.row < 0 || ln.row >= rows {
			continue
		}
		for c, val := range ln.rr.cw {
			if val < 0 || c >= cols {
				continue
			}
			i := ln.row*cols + c
			if cells[i] == nil {
				cells[i] = votes{}
			}
			cells[i][val]++
		}
	}
	cw := make([]int, total)
	var erasures, weak []int
	for i, cv := range cells {
		val, n, second := cv.best()
		if n == 0 {
			erasures = append(erasures, i)
			cw[i] = 0
			continue
		}
		cw[i] = val
		if second*2 >= n {
			weak = append(weak, i)
		}
	}
	res := Result{Rows: rows, Cols: cols, ECLevel: ec}
	try := func(er []int) ([]int, int, error) {
		c := append([]int(nil), cw...)
		n, err := correct(c, k, er)
		return c, n, err
	}
	fixed, nfix, err := try(erasures)
	if err != nil && len(weak) > 0 {
		fixed, nfix, err = try(append(append([]int(nil), erasures...), weak...))
	}
	if err != nil {
		return res, err
	}
	res.Corrected = nfix
	nd := fixed[0]
	if nd < 1 || nd > total-k {
		return res, fmt.Errorf("%w: bad symbol length descriptor %d", ErrFormat, nd)
	}
	d, err := decodeCodewords(fixed[1:nd])
	if err != nil {
		return res, err
	}
	res.Bytes = d.bytes
	res.Text = bytesToText(d.bytes, d.eci)
	return res, nil
}

// DecodeCodewords decodes the data codewords of a symbol (starting with the
// symbol length descriptor, error correction codewords excluded or
// included: only the first cw[0] codewords are read) into the message.
// It is the high-level decoder on its own, for tests and fuzzing.
func DecodeCodewords(cw []int) ([]byte, error) {
	if len(cw) == 0 || cw[0] < 1 || cw[0] > len(cw) {
		return nil, ErrFormat
	}
	d, err := decodeCodewords(cw[1:cw[0]])
	if err != nil {
		return nil, err
	}
	return d.bytes, nil
}
