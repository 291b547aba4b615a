package pdf417

// Pattern helpers: a symbol character is 8 elements (bar, space, ... space)
// whose widths in modules sum to 17.

// widths returns the 8 element widths of codeword value v in cluster index
// ci (0, 1, 2 for clusters 0, 3, 6).
func widths(ci, v int) [8]int {
	var w [8]int
	for i, x := range symbolTables()[ci][v] {
		w[i] = int(x)
	}
	return w
}

// patternKey packs 8 widths (each 1..6) into an int.
func patternKey(w [8]int) int {
	k := 0
	for _, x := range w {
		k = k*8 + x
	}
	return k
}

// clusterOf returns the cluster number (b1-b2+b3-b4+9) mod 9 of a pattern.
func clusterOf(w [8]int) int {
	return ((w[0]-w[2]+w[4]-w[6])%9 + 9) % 9
}

// decodePattern returns the cluster index and value of a width pattern.
func decodePattern(w [8]int) (ci, v int, ok bool) {
	symbolTables()
	x := tables.lookup[patternKey(w)]
	if x == 0 {
		return 0, 0, false
	}
	x--
	return x / 929, x % 929, true
}

// Start and stop patterns (element widths in modules).
var (
	startPattern = [8]int{8, 1, 1, 1, 1, 1, 1, 3}
	stopPattern  = [9]int{7, 1, 1, 3, 1, 1, 1, 2, 1}
)
