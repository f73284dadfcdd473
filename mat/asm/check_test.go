// The hostile values of these tests need a 64-bit int.

//go:build amd64 || arm64 || loong64 || mips64 || mips64le || ppc64 || ppc64le || riscv64 || s390x || wasm

package asm

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/guard"
	"github.com/pente-go/pente/internal/testkit"
)

// bigMat is the rule of check.go for an r×c matrix with leading dimension
// ld in n elements, in exact arithmetic: the reference inMat must agree
// with.
func bigMat(r, c, ld, n int) bool {
	if r < 0 || c < 0 || ld < 1 || ld < c || int64(ld) > 1<<48 {
		return false
	}
	if r == 0 || c == 0 {
		return true
	}
	need := new(big.Int).Mul(big.NewInt(int64(r-1)), big.NewInt(int64(ld)))
	need.Add(need, big.NewInt(int64(c)))
	return need.Cmp(big.NewInt(int64(n))) <= 0
}

// bigPanel is the rule for k steps of w elements in n, exactly.
func bigPanel(k, w, n int) bool {
	if k < 0 || w < 0 {
		return false
	}
	need := new(big.Int).Mul(big.NewInt(int64(k)), big.NewInt(int64(w)))
	return need.Cmp(big.NewInt(int64(n))) <= 0
}

// edgeInts are the values on which bounds arithmetic goes wrong: around 0,
// around maxLD, where products of small numbers wrap around 2^63 and 2^64,
// and the extremes of int.
var edgeInts = func() []int {
	s := []int{0, 1, 2, 3, 4, 5, 6, 12, 16, 17, 32, 1000, 1 << 16, 1<<16 + 1, 1 << 31, -1, -2, -16,
		math.MaxInt, math.MinInt, math.MaxInt - 1, math.MinInt + 1}
	for _, v := range []uint64{1 << 48, 1<<48 - 1, 1<<48 + 1, 1 << 60, 1 << 61, 1 << 62, 1<<62 + 1, 1<<63 - 1<<48,
		math.MaxUint64/6 + 1, math.MaxUint64/12 + 1, math.MaxUint64/3 + 1} {
		s = append(s, int(v), -int(v))
	}
	return s
}()

// TestCheckRule compares inMat and inPanel with the rule in exact
// arithmetic on every combination of edgeInts (and of lengths that a slice
// can have), so that no wrapped product passes.
func TestCheckRule(t *testing.T) {
	var lens []int
	for _, v := range edgeInts {
		if v >= 0 {
			lens = append(lens, v)
		}
	}
	for _, r := range edgeInts {
		for _, c := range edgeInts {
			for _, n := range lens {
				if got, want := inPanel(r, c, n), bigPanel(r, c, n); got != want {
					t.Fatalf("inPanel(k=%d, w=%d, n=%d) = %v, want %v", r, c, n, got, want)
				}
				for _, ld := range edgeInts {
					if got, want := inMat(r, c, ld, n), bigMat(r, c, ld, n); got != want {
						t.Fatalf("inMat(r=%d, c=%d, ld=%d, n=%d) = %v, want %v", r, c, ld, n, got, want)
					}
				}
			}
		}
	}
}

// hostileCase is one call with arguments that no check may let through.
// The kernel gets the slices s[0], s[1], s[2] of lengths lens.
type hostileCase struct {
	op, name string
	lens     [3]int
	call     func(k Kernels, s [3][]float32)
}

// wrapK returns the smallest k for which k·w wraps around 2^64 to less
// than w: a depth whose naive product is tiny.
func wrapK(w int) int { return int(math.MaxUint64/uint64(w) + 1) }

// hostileCases are, for the kernel set k, the overflowing, huge and
// negative arguments of every kernel: products of rows and leading
// dimension that wrap (past 2^63 and past 2^64), leading dimensions above
// maxLD even for one row, depths whose k·MR, k·NR or k·nr wraps, w > nr,
// and negative values of every integer.
func hostileCases(k Kernels) []hostileCase {
	mr, nr := k.blocks.MR, k.blocks.NR
	const big62 = 1<<62 + 1
	cases := []hostileCase{
		{"axpy", "short x", [3]int{3, 4}, func(k Kernels, s [3][]float32) { k.Axpy(1, s[0], s[1]) }},
		{"axpy", "empty x", [3]int{0, 1}, func(k Kernels, s [3][]float32) { k.Axpy(1, s[0], s[1]) }},
		{"dot", "short y", [3]int{4, 3}, func(k Kernels, s [3][]float32) { k.Dot(s[0], s[1]) }},
		{"dot", "empty y", [3]int{1, 0}, func(k Kernels, s [3][]float32) { k.Dot(s[0], s[1]) }},
	}
	type gemvCall func(k Kernels, m, n, lda int, s [3][]float32)
	gemvs := []struct {
		op   string
		call gemvCall
		// lx, ly are the lengths of x and y for an m×n A
		lx, ly func(m, n int) int
	}{
		{"gemvN", func(k Kernels, m, n, lda int, s [3][]float32) { k.GemvN(m, n, 1, s[0], lda, s[1], s[2]) },
			func(m, n int) int { return n }, func(m, n int) int { return m }},
		{"gemvT", func(k Kernels, m, n, lda int, s [3][]float32) { k.GemvT(m, n, 1, s[0], lda, s[1], s[2]) },
			func(m, n int) int { return m }, func(m, n int) int { return n }},
		{"ger", func(k Kernels, m, n, lda int, s [3][]float32) { k.Ger(m, n, 1, s[1], s[2], s[0], lda) },
			func(m, n int) int { return m }, func(m, n int) int { return n }},
	}
	for _, g := range gemvs {
		// x and y have the lengths the dimensions ask for wherever a slice
		// can, so that only the check of A stands in the way.
		vec := func(v int) int { return max(0, min(v, 1<<17)) }
		for _, c := range []struct {
			name      string
			m, n, lda int
			la        int
			lx, ly    int // -1: as the dimensions ask
		}{
			{name: "4×1, lda 2^62+1 (issue 9)", m: 4, n: 1, lda: big62, la: 1, lx: -1, ly: -1},
			{name: "5×1, lda 2^61", m: 5, n: 1, lda: 1 << 61, la: 1, lx: -1, ly: -1},
			{name: "5×1, lda 2^62: (m-1)·lda wraps to 0", m: 5, n: 1, lda: 1 << 62, la: 1, lx: -1, ly: -1},
			{name: "(2^16+1)×1, lda maxLD: (m-1)·lda wraps to 0", m: 1<<16 + 1, n: 1, lda: maxLD, la: 1, lx: -1, ly: -1},
			{name: "(2^16+1)×16, lda maxLD: (m-1)·lda + n wraps to 16", m: 1<<16 + 1, n: 16, lda: maxLD, la: 16, lx: -1, ly: -1},
			{name: "1×1, lda maxLD+1", m: 1, n: 1, lda: maxLD + 1, la: 1, lx: -1, ly: -1},
			{name: "1×1, lda MaxInt", m: 1, n: 1, lda: math.MaxInt, la: 1, lx: -1, ly: -1},
			{name: "0×0, lda MaxInt", m: 0, n: 0, lda: math.MaxInt, la: 0, lx: -1, ly: -1},
			{name: "lda < n", m: 3, n: 4, lda: 3, la: 12, lx: -1, ly: -1},
			{name: "lda 0", m: 0, n: 0, lda: 0, la: 0, lx: -1, ly: -1},
			{name: "lda -1", m: 1, n: 0, lda: -1, la: 0, lx: -1, ly: -1},
			{name: "lda MinInt", m: 1, n: 1, lda: math.MinInt, la: 1, lx: -1, ly: -1},
			{name: "m -1", m: -1, n: 1, lda: 1, la: 4, lx: 1, ly: 1},
			{name: "n -1", m: 1, n: -1, lda: 1, la: 4, lx: 1, ly: 1},
			{name: "m MinInt", m: math.MinInt, n: 1, lda: 1, la: 4, lx: 1, ly: 1},
			{name: "m MaxInt", m: math.MaxInt, n: 1, lda: 1, la: 4, lx: 1, ly: 1},
			{name: "n MaxInt", m: 1, n: math.MaxInt, lda: math.MaxInt, la: 4, lx: 1, ly: 1},
			{name: "short a", m: 3, n: 4, lda: 5, la: 2*5 + 3, lx: -1, ly: -1},
		} {
			lx, ly := c.lx, c.ly
			if lx < 0 {
				lx = vec(g.lx(c.m, c.n))
			}
			if ly < 0 {
				ly = vec(g.ly(c.m, c.n))
			}
			m, n, lda, call := c.m, c.n, c.lda, g.call
			cases = append(cases, hostileCase{g.op, c.name, [3]int{c.la, lx, ly},
				func(k Kernels, s [3][]float32) { call(k, m, n, lda, s) }})
		}
	}
	for _, c := range []struct {
		name   string
		k, ldc int
		la, lb int
		lc     int // -1: MR·NR
	}{
		{name: "k 2^62", k: 1 << 62, ldc: nr, la: 64, lb: 64, lc: -1},
		{name: "k·MR wraps", k: wrapK(mr), ldc: nr, la: mr, lb: 64 * nr, lc: -1},
		{name: "k·NR wraps", k: wrapK(nr), ldc: nr, la: 64 * mr, lb: nr, lc: -1},
		{name: "k MaxInt", k: math.MaxInt, ldc: nr, la: 64, lb: 64, lc: -1},
		{name: "k -1", k: -1, ldc: nr, la: 64, lb: 64, lc: -1},
		{name: "k MinInt", k: math.MinInt, ldc: nr, la: 64, lb: 64, lc: -1},
		{name: "ldc 2^62+1", k: 1, ldc: big62, la: mr, lb: nr, lc: -1},
		{name: "ldc maxLD+1", k: 1, ldc: maxLD + 1, la: mr, lb: nr, lc: -1},
		{name: "ldc < NR", k: 1, ldc: nr - 1, la: mr, lb: nr, lc: -1},
		{name: "ldc -1", k: 1, ldc: -1, la: mr, lb: nr, lc: -1},
		{name: "ldc MinInt", k: 1, ldc: math.MinInt, la: mr, lb: nr, lc: -1},
		{name: "short C", k: 1, ldc: nr + 1, la: mr, lb: nr, lc: (mr-1)*(nr+1) + nr - 1},
	} {
		lc := c.lc
		if lc < 0 {
			lc = mr * nr
		}
		kk, ldc := c.k, c.ldc
		cases = append(cases, hostileCase{"gemm", c.name, [3]int{c.la, c.lb, lc},
			func(k Kernels, s [3][]float32) { k.Gemm(kk, 1, s[0], s[1], 0, s[2], ldc) }})
	}
	for _, op := range []string{"packRows", "packCols"} {
		pack := func(k Kernels) func(k, w, nr int, src []float32, ld int, panel []float32) {
			if op == "packRows" {
				return k.PackRows
			}
			return k.PackCols
		}
		// src is k×w for packRows, w×k for packCols; leading dimensions
		// that pass for one are given to both, the check of the other
		// refusing them as well.
		for _, c := range []struct {
			name         string
			k, w, nr, ld int
			lsrc, lpanel int
		}{
			{"k 2^60, w = nr = 16: k·nr wraps to 0", 1 << 60, 16, 16, 16, 64, 64},
			{"k·MR wraps, full panel", wrapK(mr), mr, mr, mr, 64, 64},
			{"k·NR wraps, full panel", wrapK(nr), nr, nr, nr, 64, 64},
			{"k·NR wraps, edge panel", wrapK(nr), 1, nr, 1, 64, 64},
			{"k MaxInt", math.MaxInt, 1, 1, 1, 64, 64},
			{"k -1", -1, 1, 1, 1, 64, 64},
			{"k MinInt", math.MinInt, 1, 4, 4, 64, 64},
			{"w > nr", 3, 7, 6, 8, 64, 64},
			{"w -1", 3, -1, 6, 8, 64, 64},
			{"nr -1", 0, 0, -1, 1, 0, 0},
			{"w MinInt", 3, math.MinInt, 6, 8, 64, 64},
			{"ld 2^62+1", 4, 4, 4, big62, 64, 64},
			{"ld maxLD+1, one row and one column", 1, 1, 1, maxLD + 1, 1, 1},
			{"ld MaxInt", 1, 1, 1, math.MaxInt, 1, 1},
			{"ld 0", 0, 0, 4, 0, 0, 0},
			{"ld -1", 1, 1, 1, -1, 1, 1},
			{"ld MinInt", 1, 1, 1, math.MinInt, 1, 1},
			{"k = 2^16+1 rows (packRows), ld maxLD: (k-1)·ld wraps to 0", 1<<16 + 1, 1, 1<<16 + 1, maxLD, 1, 1<<16 + 1},
			{"w = 2^16+1 rows (packCols), ld maxLD: (w-1)·ld wraps to 0", 1, 1<<16 + 1, 1<<16 + 1, maxLD, 1, 1<<16 + 1},
			{"short panel", 3, 4, 6, 5, 64, 3*6 - 1},
		} {
			cases = append(cases, hostileCase{op, c.name, [3]int{c.lsrc, c.lpanel},
				func(k Kernels, s [3][]float32) { pack(k)(c.k, c.w, c.nr, s[0], c.ld, s[1]) }})
		}
		cases = append(cases,
			hostileCase{op, "ld < w (rows) or k (cols)", [3]int{64, 64}, func(k Kernels, s [3][]float32) {
				if op == "packRows" {
					k.PackRows(3, 4, 6, s[0], 3, s[1])
				} else {
					k.PackCols(5, 3, 6, s[0], 4, s[1])
				}
			}},
			hostileCase{op, "short src", [3]int{2*5 + 3, 64}, func(k Kernels, s [3][]float32) {
				if op == "packRows" {
					k.PackRows(3, 4, 6, s[0], 5, s[1])
				} else {
					k.PackCols(3, 4, 6, s[0], 5, s[1]) // 4×3 block: needs 3·5 + 3
				}
			}})
	}
	return cases
}

// TestHostileArgs calls every kernel of every implementation with
// arguments that overflow, exceed maxLD or are negative, on slices placed
// against protected pages and padded with sentinels: each call must panic
// with "asm: <op>: ", not fault, not trip a Go bounds check and not return,
// and must leave every element of every slice, and the padding, as it was.
func TestHostileArgs(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		for _, c := range hostileCases(k) {
			for _, l := range []layout{layouts[0], layouts[1], layouts[5]} {
				var s, s0 [3][]float32
				var checks [3]func()
				for i, n := range c.lens {
					s[i], checks[i] = alloc(t, l, n, fillWith(guard.Sentinel))
					s0[i] = append([]float32(nil), s[i]...)
				}
				msg := refusal(func() { c.call(k, s) })
				what := fmt.Sprintf("%s %s, lens %v, %v", c.op, c.name, c.lens, l)
				if !strings.HasPrefix(msg, "asm: "+c.op+": ") {
					t.Fatalf("%s: got %q, want a panic \"asm: %s: ...\"", what, msg, c.op)
				}
				for i := range s {
					checks[i]()
					if !testkit.SameBits(s[i], s0[i]) {
						t.Fatalf("%s: slice %d was modified before the panic %q", what, i, msg)
					}
				}
			}
		}
	})
}

// TestHostileMessages pins a few of the messages, which name the kernel
// and the shapes.
func TestHostileMessages(t *testing.T) {
	k := generic
	s := make([]float32, 64)
	for _, c := range []struct {
		f    func()
		want string
	}{
		{func() { k.GemvN(4, 1, 1, s[:1], 1<<62+1, s[:1], s[:4]) },
			"asm: gemvN: A is 4×1 with leading dimension 4611686018427387905 > maxLD = 2^48"},
		{func() { k.Ger(1<<16+1, 1, 1, make([]float32, 1<<16+1), s[:1], s[:1], maxLD) },
			"asm: ger: A is 65537×1 with leading dimension 281474976710656: needs (65537-1)·281474976710656 + 1 = at least 2^64 elements, has 1"},
		{func() { k.GemvT(3, 4, 1, s, 5, s[:3], s[:3]) },
			"asm: gemvT: A is 3×4 but len(x) = 3 and len(y) = 3"},
		{func() { k.Gemm(1<<62, 1, s, s, 0, s[:16], 4) },
			"asm: gemm: k = 4611686018427387904 needs k·MR = at least 2^64 elements of A, has 64"},
		{func() { k.Gemm(1, 1, s, s, 0, s[:15], 4) },
			"asm: gemm: C is 4×4 with leading dimension 4: needs (4-1)·4 + 4 = 16 elements, has 15"},
		{func() { k.Gemm(-1, 1, s, s, 0, s, 4) }, "asm: gemm: k = -1 < 0"},
		{func() { k.PackRows(1<<60, 16, 16, s, 16, s) },
			"asm: packRows: src is 1152921504606846976×16 with leading dimension 16: needs (1152921504606846976-1)·16 + 16 = at least 2^64 elements, has 64"},
		{func() { k.PackCols(2, 7, 6, s, 2, s) }, "asm: packCols: k = 2, w = 7, nr = 6: want k ≥ 0 and 0 ≤ w ≤ nr"},
		{func() { k.PackCols(2, 6, 6, s, 2, s[:11]) }, "asm: packCols: a 2×6 panel needs 12 elements, has 11"},
		{func() { k.Axpy(1, s[:3], s[:4]) }, "asm: axpy: len(x) = 3 but len(y) = 4"},
	} {
		if got := refusal(c.f); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}

// checkOps are the kernels FuzzCheck calls, by the op byte modulo their
// number: the float32 ones, then (the second half) the float64 ones.
var checkOps = []string{"axpy", "dot", "scal", "gemvN", "gemvT", "ger", "gemm", "packRows", "packCols",
	"daxpy", "ddot", "dscal", "dgemvN", "dgemvT", "dger", "dgemm", "dpackRows", "dpackCols"}

// FuzzCheck calls every kernel of every implementation with unconstrained
// integers, huge, negative and overflowing ones, on slices of up to 2^17+1
// elements that lie against a protected page or between sentinels: a call
// must either panic with "asm: <op>: " having touched nothing, or pass and
// compute what its specification says, and which of the two must be what
// the rule of check.go, in exact arithmetic, decides. The slices hold small
// integers, so that every result is exact and compared with ==.
//
//	go test -run '^$' -fuzz FuzzCheck ./mat/asm/
func FuzzCheck(f *testing.F) {
	const big62 = 1<<62 + 1
	// op picks the kernel, checkOps[op>>1], and the placement of the
	// slices, op&1; the meaning of the integers is the kernel's.
	seeds := []struct {
		op             uint8
		i0, i1, i2, i3 int64
		l0, l1, l2     uint32
	}{
		{6, 4, 1, big62, 0, 1, 1, 4},                          // gemvN 4×1, lda 2^62+1: issue 9
		{11, 4, 1, big62, 0, 1, 4, 1},                         // ger, the same, between sentinels
		{8, 1<<16 + 1, 1, maxLD, 0, 1, 1<<16 + 1, 1},          // gemvT, (m-1)·lda wraps to 0
		{6, 3, 5, 7, 0, 2*7 + 5, 5, 3},                        // gemvN that passes
		{12, 1 << 62, 0, 16, 0, 64, 64, 64},                   // gemm, k 2^62
		{12, 5, 1, 16, 0, 96, 256, 256},                       // gemm that passes (but for avx512), beta 1
		{13, 5, 0, 40, 0, 96, 256, 512},                       // gemm that passes, ldc with a gap
		{14, 1 << 60, 16, 16, 16, 64, 64, 0},                  // packRows, k·nr wraps to 0
		{14, 17, 16, 16, 20, 16*20 + 16, 17 * 16, 0},          // packRows that passes
		{17, 1 << 60, 16, 16, 16, 64, 64, 0},                  // packCols, k·nr wraps to 0
		{17, 19, 6, 6, 19, 5*19 + 19, 19*6 + 3, 0},            // packCols that passes
		{16, 1, 1<<16 + 1, 1<<16 + 1, maxLD, 1, 1<<16 + 1, 0}, // packCols, (w-1)·ld wraps to 0
		{0, 0, 0, 0, 0, 3, 4, 0},                              // axpy, lengths differ
		{3, 0, 0, 0, 0, 33, 33, 0},                            // dot that passes
		{4, 0, 0, 0, 0, 17, 0, 0},                             // scal
		{14, math.MaxInt64, 0, 0, 1, 0, 0, 0},                 // packRows of 2^63-1 rows of width 0 into nr = 0: passes, writes nothing
		{6, -1, math.MinInt64, math.MaxInt64, 0, 0, 0, 0},     // gemvN, all negative or huge
		// the float64 kernels, checkOps[9:]
		{24, 4, 1, big62, 0, 1, 1, 4},                 // dgemvN 4×1, lda 2^62+1
		{24, 3, 5, 7, 0, 2*7 + 5, 5, 3},               // dgemvN that passes
		{29, 4, 1, big62, 0, 1, 4, 1},                 // dger, between sentinels
		{26, 1<<16 + 1, 1, maxLD, 0, 1, 1<<16 + 1, 1}, // dgemvT, (m-1)·lda wraps to 0
		{30, 1 << 62, 0, 16, 0, 64, 64, 64},           // dgemm, k 2^62
		{30, 5, 1, 8, 0, 96, 256, 256},                // dgemm that passes, beta 1
		{31, 5, 0, 40, 0, 96, 256, 512},               // dgemm that passes, ldc with a gap
		{32, 1 << 60, 16, 16, 16, 64, 64, 0},          // dpackRows, k·nr wraps to 0
		{32, 17, 8, 8, 20, 16*20 + 8, 17 * 8, 0},      // dpackRows that passes
		{35, 19, 6, 6, 19, 5*19 + 19, 19*6 + 3, 0},    // dpackCols that passes
		{18, 0, 0, 0, 0, 3, 4, 0},                     // daxpy, lengths differ
		{20, 0, 0, 0, 0, 33, 33, 0},                   // ddot that passes
		{22, 0, 0, 0, 0, 17, 0, 0},                    // dscal
	}
	for _, s := range seeds {
		f.Add(s.op, s.i0, s.i1, s.i2, s.i3, s.l0, s.l1, s.l2)
	}
	f.Fuzz(func(t *testing.T, op uint8, i0, i1, i2, i3 int64, l0, l1, l2 uint32) {
		name := checkOps[int(op>>1)%len(checkOps)]
		l := layouts[0] // against a protected page at the end, or
		if op&1 != 0 {
			l = layouts[5] // between sentinels
		}
		ints := [4]int{int(i0), int(i1), int(i2), int(i3)}
		const maxLen = 1<<17 + 1 // room for 2^16+1 rows
		lens := [3]int{int(l0 % (maxLen + 1)), int(l1 % (maxLen + 1)), int(l2 % (maxLen + 1))}
		for _, k := range all {
			if int(op>>1)%len(checkOps) >= len(checkOps)/2 { // a float64 kernel
				fuzzCheck64(t, k, name, l, ints, lens)
			} else {
				fuzzCheck(t, k, name, l, ints, lens)
			}
		}
	})
}

// fuzzCheck is one FuzzCheck call of kernel op of k.
func fuzzCheck(t *testing.T, k Kernels, op string, l layout, ints [4]int, lens [3]int) {
	var s, s0 [3][]float32
	var checks [3]func()
	for i, n := range lens {
		s[i], checks[i] = alloc(t, l, n, func(v []float32) {
			for j := range v {
				v[j] = float32((j*7+i*3)%9 - 4) // small integers: exact sums
			}
		})
		s0[i] = append([]float32(nil), s[i]...)
	}
	i0, i1, i2, i3 := ints[0], ints[1], ints[2], ints[3]
	mr, nr := k.blocks.MR, k.blocks.NR
	var ok bool     // what the rule decides
	var call func() // the kernel call
	var want func() // the expected contents of s, given that call passes
	switch op {
	case "axpy":
		ok = lens[0] == lens[1]
		call = func() { k.Axpy(-2, s[0], s[1]) }
		want = func() {
			for i := range s0[1] {
				s0[1][i] += -2 * s0[0][i]
			}
		}
	case "dot":
		ok = lens[0] == lens[1]
		var got float32
		call = func() { got = k.Dot(s[0], s[1]) }
		want = func() {
			var sum float32
			for i := range s0[0] {
				sum += s0[0][i] * s0[1][i]
			}
			if got != sum {
				t.Fatalf("%s: dot = %v, want %v", k.name, got, sum)
			}
		}
	case "scal":
		ok = true
		call = func() { k.Scal(-3, s[0]) }
		want = func() {
			for i := range s0[0] {
				s0[0][i] *= -3
			}
		}
	case "gemvN", "gemvT":
		m, n, lda := i0, i1, i2
		a, x, y := s0[0], s0[1], s0[2]
		if op == "gemvN" {
			ok = bigMat(m, n, lda, lens[0]) && lens[1] == n && lens[2] == m
			call = func() { k.GemvN(m, n, 2, s[0], lda, s[1], s[2]) }
		} else {
			ok = bigMat(m, n, lda, lens[0]) && lens[1] == m && lens[2] == n
			call = func() { k.GemvT(m, n, 2, s[0], lda, s[1], s[2]) }
		}
		want = func() {
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					if op == "gemvN" {
						y[i] += 2 * a[i*lda+j] * x[j]
					} else {
						y[j] += 2 * x[i] * a[i*lda+j]
					}
				}
			}
		}
	case "ger":
		m, n, lda := i0, i1, i2
		a, x, y := s0[0], s0[1], s0[2]
		ok = bigMat(m, n, lda, lens[0]) && lens[1] == m && lens[2] == n
		call = func() { k.Ger(m, n, -1, s[1], s[2], s[0], lda) }
		want = func() {
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					a[i*lda+j] += -x[i] * y[j]
				}
			}
		}
	case "gemm":
		depth, beta, ldc := i0, float32(i1&1), i2
		a, b, c := s0[0], s0[1], s0[2]
		ok = bigPanel(depth, mr, lens[0]) && bigPanel(depth, nr, lens[1]) && bigMat(mr, nr, ldc, lens[2])
		call = func() { k.Gemm(depth, 3, s[0], s[1], beta, s[2], ldc) }
		want = func() {
			for i := 0; i < mr; i++ {
				for j := 0; j < nr; j++ {
					var sum float32
					for p := 0; p < depth; p++ {
						sum += a[p*mr+i] * b[p*nr+j]
					}
					c[i*ldc+j] = 3*sum + beta*c[i*ldc+j]
				}
			}
		}
	case "packRows", "packCols":
		depth, w, width, ld := i0, i1, i2, i3
		src, panel := s0[0], s0[1]
		rows, cols := depth, w
		pack := k.PackRows
		if op == "packCols" {
			rows, cols = w, depth
			pack = k.PackCols
		}
		ok = depth >= 0 && w >= 0 && w <= width && bigMat(rows, cols, ld, lens[0]) && bigPanel(depth, width, lens[1])
		call = func() { pack(depth, w, width, s[0], ld, s[1]) }
		want = func() {
			// k·nr ≤ len(panel), however large k is
			for e := 0; e < depth*width; e++ {
				l, j := e/width, e%width
				switch {
				case j >= w:
					panel[e] = 0
				case op == "packRows":
					panel[e] = src[l*ld+j]
				default:
					panel[e] = src[j*ld+l]
				}
			}
		}
	}
	what := fmt.Sprintf("%s: %s ints %v lens %v %v", k.name, op, ints, lens, l)
	msg := refusal(call)
	for i := range s {
		checks[i]()
	}
	if !ok {
		if !strings.HasPrefix(msg, "asm: "+op+": ") {
			t.Fatalf("%s: the rule refuses it, but got %q, want a panic \"asm: %s: ...\"", what, msg, op)
		}
		for i := range s {
			if !testkit.SameBits(s[i], s0[i]) {
				t.Fatalf("%s: slice %d was modified before the panic %q", what, i, msg)
			}
		}
		return
	}
	if msg != "(returned)" {
		t.Fatalf("%s: the rule lets it through, but it panicked: %s", what, msg)
	}
	want()
	for i := range s {
		for j := range s[i] {
			if s[i][j] != s0[i][j] {
				t.Fatalf("%s: slice %d, element %d = %v, want %v", what, i, j, s[i][j], s0[i][j])
			}
		}
	}
}

// fuzzCheck64 is fuzzCheck for the float64 kernel op ("daxpy", ...) of k:
// the same rule, the same calls through the D methods.
func fuzzCheck64(t *testing.T, k Kernels, op string, l layout, ints [4]int, lens [3]int) {
	var s, s0 [3][]float64
	var checks [3]func()
	for i, n := range lens {
		s[i], checks[i] = alloc64(t, l, n, func(v []float64) {
			for j := range v {
				v[j] = float64((j*7+i*3)%9 - 4) // small integers: exact sums
			}
		})
		s0[i] = append([]float64(nil), s[i]...)
	}
	i0, i1, i2, i3 := ints[0], ints[1], ints[2], ints[3]
	mr, nr := k.dblocks.MR, k.dblocks.NR
	base := strings.TrimPrefix(op, "d")
	var ok bool     // what the rule decides
	var call func() // the kernel call
	var want func() // the expected contents of s, given that call passes
	switch base {
	case "axpy":
		ok = lens[0] == lens[1]
		call = func() { k.DAxpy(-2, s[0], s[1]) }
		want = func() {
			for i := range s0[1] {
				s0[1][i] += -2 * s0[0][i]
			}
		}
	case "dot":
		ok = lens[0] == lens[1]
		var got float64
		call = func() { got = k.DDot(s[0], s[1]) }
		want = func() {
			var sum float64
			for i := range s0[0] {
				sum += s0[0][i] * s0[1][i]
			}
			if got != sum {
				t.Fatalf("%s: dot = %v, want %v", k.name, got, sum)
			}
		}
	case "scal":
		ok = true
		call = func() { k.DScal(-3, s[0]) }
		want = func() {
			for i := range s0[0] {
				s0[0][i] *= -3
			}
		}
	case "gemvN", "gemvT":
		m, n, lda := i0, i1, i2
		a, x, y := s0[0], s0[1], s0[2]
		if base == "gemvN" {
			ok = bigMat(m, n, lda, lens[0]) && lens[1] == n && lens[2] == m
			call = func() { k.DGemvN(m, n, 2, s[0], lda, s[1], s[2]) }
		} else {
			ok = bigMat(m, n, lda, lens[0]) && lens[1] == m && lens[2] == n
			call = func() { k.DGemvT(m, n, 2, s[0], lda, s[1], s[2]) }
		}
		want = func() {
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					if base == "gemvN" {
						y[i] += 2 * a[i*lda+j] * x[j]
					} else {
						y[j] += 2 * x[i] * a[i*lda+j]
					}
				}
			}
		}
	case "ger":
		m, n, lda := i0, i1, i2
		a, x, y := s0[0], s0[1], s0[2]
		ok = bigMat(m, n, lda, lens[0]) && lens[1] == m && lens[2] == n
		call = func() { k.DGer(m, n, -1, s[1], s[2], s[0], lda) }
		want = func() {
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					a[i*lda+j] += -x[i] * y[j]
				}
			}
		}
	case "gemm":
		depth, beta, ldc := i0, float64(i1&1), i2
		a, b, c := s0[0], s0[1], s0[2]
		ok = bigPanel(depth, mr, lens[0]) && bigPanel(depth, nr, lens[1]) && bigMat(mr, nr, ldc, lens[2])
		call = func() { k.DGemm(depth, 3, s[0], s[1], beta, s[2], ldc) }
		want = func() {
			for i := 0; i < mr; i++ {
				for j := 0; j < nr; j++ {
					var sum float64
					for p := 0; p < depth; p++ {
						sum += a[p*mr+i] * b[p*nr+j]
					}
					c[i*ldc+j] = 3*sum + beta*c[i*ldc+j]
				}
			}
		}
	case "packRows", "packCols":
		depth, w, width, ld := i0, i1, i2, i3
		src, panel := s0[0], s0[1]
		rows, cols := depth, w
		pack := k.DPackRows
		if base == "packCols" {
			rows, cols = w, depth
			pack = k.DPackCols
		}
		ok = depth >= 0 && w >= 0 && w <= width && bigMat(rows, cols, ld, lens[0]) && bigPanel(depth, width, lens[1])
		call = func() { pack(depth, w, width, s[0], ld, s[1]) }
		want = func() {
			// k·nr ≤ len(panel), however large k is
			for e := 0; e < depth*width; e++ {
				l, j := e/width, e%width
				switch {
				case j >= w:
					panel[e] = 0
				case base == "packRows":
					panel[e] = src[l*ld+j]
				default:
					panel[e] = src[j*ld+l]
				}
			}
		}
	}
	what := fmt.Sprintf("%s: %s ints %v lens %v %v", k.name, op, ints, lens, l)
	msg := refusal(call)
	for i := range s {
		checks[i]()
	}
	if !ok {
		if !strings.HasPrefix(msg, "asm: "+op+": ") {
			t.Fatalf("%s: the rule refuses it, but got %q, want a panic \"asm: %s: ...\"", what, msg, op)
		}
		for i := range s {
			if !testkit.SameBits64(s[i], s0[i]) {
				t.Fatalf("%s: slice %d was modified before the panic %q", what, i, msg)
			}
		}
		return
	}
	if msg != "(returned)" {
		t.Fatalf("%s: the rule lets it through, but it panicked: %s", what, msg)
	}
	want()
	for i := range s {
		for j := range s[i] {
			if s[i][j] != s0[i][j] {
				t.Fatalf("%s: slice %d, element %d = %v, want %v", what, i, j, s[i][j], s0[i][j])
			}
		}
	}
}
