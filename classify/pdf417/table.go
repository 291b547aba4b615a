package pdf417

// The symbol character table (ISO/IEC 15438 section 5.3 and Annex A),
// generated from the definition instead of being stored pattern by pattern.
//
// A symbol character is 4 bars and 4 spaces, b1 s1 b2 s2 b3 s3 b4 s4, each 1
// to 6 modules wide, 17 modules in all. Its cluster is (b1-b2+b3-b4+9) mod 9;
// PDF417 uses clusters 0, 3 and 6. Its t-sequence is the edge-to-similar-edge
// distances e1..e6 (e1 = b1+s1, e2 = s1+b2, ..., e6 = s3+b4).
//
// Generation, per cluster:
//  1. enumerate every pattern of the cluster in lexicographic order of its
//     eight widths (1484 candidates in cluster 0, 1002 in clusters 3 and 6);
//  2. keep the 929 that the standard selected (clusterSelection, one bit per
//     candidate in that order). The standard's choice keeps at most one
//     pattern per t-sequence, so a decoder can read characters from edge
//     distances alone; which t-sequences it kept is a design choice of the
//     standard with no closed form, hence this bitmap;
//  3. order the kept patterns by (e2, e3, e4, e5, e6): the codeword value is
//     the position in that order.
//
// table_test.go checks the result against the rules above and against the
// worked example of the standard ("PDF417": row 0 reads 31111136 51111251
// 31312223 51211142 51111152 for values 0, 5, 453, 178, 2).

import (
	"sort"
	"strings"
	"sync"
)

// clusterSelection[i] holds one bit per candidate pattern of cluster 3*i,
// most significant bit of each hex digit first.
var clusterSelection = [3]string{
	"f38cbf39dff75ef97dc443bcef9cffbff7381e65cdfe077f81bded4d336efb4d" +
		"37087bdba6fbeda8e6e7d343feed5afc77dfe95e77bfdfe77e07bffaefbfde8f" +
		"fffe003efe37fd8000000000003b8efdeff3bfff8dda23f927eafd040f11fa7a" +
		"03ded39cdd33dfefd7a89aabb4d58fa6bd3a3cef57bfef95da6be3cec3ff3dff" +
		"fc978010d6000000038cfdfdfff91f27bdbe57e9e90f7b6e6efffeb2d7fa4b43" +
		"b3bffffffef03ccc000033dfef7fffffeb7fefdff2c003fffb8",
	"f7bfdfffffe3bdfffff7fffffffffffffdf7fbfdff7fffffffffffdffdffffff" +
		"f8ffffe7fffffffffffffff4f7bfdffffffeff7bfef7ffffdfff7fffffffffff" +
		"fffffffff4f7ff7fffeff7ffef7fffdfff7ffffffffffffffffffff4f7bf7fff" +
		"eff7bfed7fffdfff7ffffff8ffffffe9efffffeffb5fffeffcffffffffc",
	"f7bfdfffffffffffffffffffffffffffffffffffffffff9fffff7ffbfdfeffff" +
		"ff7fbfffffdfeffffff7fbfeffffffeffffffffffefffff7fffeffffffffbffd" +
		"fdffffffcff8f7effffbf4f7bfd3deff4f7bfd3deddffffffbdfcefef7fbbfff" +
		"fbf7fffdfffdefffffdff7efdfbfffffffffffffffffffffffffffffff8",
}

// tables are generated on first use (about 1.5 ms natively), so programs
// that link the package but never read a bar code pay nothing at start-up.
var tables struct {
	once   sync.Once
	widths [3][929][8]int8 // widths[ci][v]: element widths of value v in cluster 3*ci
	lookup map[int]int     // patternKey -> ci*929 + v + 1
}

func symbolTables() *[3][929][8]int8 {
	tables.once.Do(func() {
		tables.widths = genSymbolTable()
		tables.lookup = make(map[int]int, 3*929)
		for ci := 0; ci < 3; ci++ {
			for v := 0; v < 929; v++ {
				var w [8]int
				for i, x := range tables.widths[ci][v] {
					w[i] = int(x)
				}
				tables.lookup[patternKey(w)] = ci*929 + v + 1
			}
		}
	})
	return &tables.widths
}

func genSymbolTable() (tab [3][929][8]int8) {
	for ci := 0; ci < 3; ci++ {
		bits := clusterSelection[ci]
		var kept [][8]int8
		idx := 0
		var w [8]int8
		var rec func(pos, sum int)
		rec = func(pos, sum int) {
			if pos == 8 {
				if sum != 17 || (int(w[0])-int(w[2])+int(w[4])-int(w[6])+18)%9 != 3*ci {
					return
				}
				d := strings.IndexByte("0123456789abcdef", bits[idx/4])
				if d>>(3-uint(idx%4))&1 == 1 {
					kept = append(kept, w)
				}
				idx++
				return
			}
			for x := 1; x <= 6 && sum+x <= 17; x++ {
				w[pos] = int8(x)
				rec(pos+1, sum+x)
			}
		}
		rec(0, 0)
		key := func(w [8]int8) [5]int8 {
			return [5]int8{w[1] + w[2], w[2] + w[3], w[3] + w[4], w[4] + w[5], w[5] + w[6]}
		}
		sort.Slice(kept, func(a, b int) bool {
			ka, kb := key(kept[a]), key(kept[b])
			for i := range ka {
				if ka[i] != kb[i] {
					return ka[i] < kb[i]
				}
			}
			return false
		})
		for v := 0; v < 929 && v < len(kept); v++ {
			tab[ci][v] = kept[v]
		}
	}
	return tab
}
