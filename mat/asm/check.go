package asm

import (
	"fmt"
	"math/bits"
	"strconv"
)

// The checks in this file guard the kernels: every method of Kernels runs
// one before any assembly, since the assembly trusts its arguments and
// computes its addresses unchecked. They keep one rule:
//
//	Anything that passes a check is in bounds.
//
// A check passes only when every element the kernel reads or writes lies
// inside its slice, and it proves that with arithmetic that cannot
// overflow, so that no huge or negative argument wraps around into a small
// one that passes (as Go's runtime checks makeslice with math.MulUintptr
// and a limit before it allocates):
//
//   - Vectors have the lengths their kernel reads: len(x) == len(y) for
//     Axpy and Dot, the dimensions of A for the x and y of GemvN, GemvT and
//     Ger. Scal reads and writes x[0:len(x)] and nothing else, so any x
//     passes.
//
//   - An r×c matrix a with leading dimension ld (A of GemvN, GemvT and
//     Ger, the C tile of Gemm, the src of the packers) needs r ≥ 0,
//     0 ≤ c ≤ ld, 1 ≤ ld ≤ maxLD and, unless r or c is 0,
//     (r-1)·ld + c ≤ len(a). The product (r-1)·ld is computed in 128 bits
//     (bits.Mul64) and must fit in 64; then c ≤ len(a) and
//     (r-1)·ld ≤ len(a)-c are compared, neither of which can overflow.
//     Element (i, j) of the matrix, i < r and j < c, is then
//     a[i·ld+j] with i·ld + j ≤ (r-1)·ld + c - 1 < len(a).
//
//   - A panel of k steps of w elements (Gemm's packed A, k·MR, and B, k·NR;
//     the packers' panel, k·nr) needs k ≥ 0, w ≥ 0 and k·w ≤ len, the
//     product again in 128 bits.
//
// The limit maxLD on leading dimensions keeps the assembly's own address
// arithmetic from wrapping. The assembly scales ld to bytes (ld<<2, at
// most 2^50, and up to eight rows at once, at most 2^53) and moves its row
// pointers by whole rows, ending one row past the last row it reads or
// writes, a pointer it never dereferences. Since r·ld ≤ len(a) + ld, that
// pointer lies at most 2^50 bytes past the end of the slice and cannot wrap
// around a 64-bit address space. The limit holds even for a single row,
// whose next-row pointer the assembly still computes. It refuses no real
// matrix: Go's heap holds at most 2^48 bytes, 2^46 float32. (Where int has
// 32 bits, no int exceeds it, and the rest of the arithmetic is the same.)
//
// The prefetches of the x86 gemm micro-kernels (PREFETCHT0) point past the
// packed panels, into the next micro-panel that the driver packs after
// them. A prefetch is a hint, not an access: it never faults and reads
// nothing into registers, so it needs no check. The masked loads of gemvN
// on x86 (VMASKMOVPS) touch only the enabled lanes, within the row.
//
// Each method of Kernels tests its arguments with the predicates inMat and
// inPanel, which the compiler inlines: they run on every call, once per
// micro-tile in the gemm driver, and cost a few nanoseconds
// (BenchmarkSmallCalls). Only when one fails does the method call its fail
// function, which builds a message naming the kernel and the shapes.

// maxLD is the largest leading dimension that any kernel accepts; see the
// rule above. Package mat refuses a Dense whose Stride exceeds its
// maxStride, which must equal maxLD, so that every matrix mat accepts
// passes these checks.
const maxLD = 1 << 48

// inMat reports whether n elements hold an r×c matrix with leading
// dimension ld: r ≥ 0, 0 ≤ c ≤ ld, 1 ≤ ld ≤ maxLD and, unless r or c is
// 0, (r-1)·ld + c ≤ n, computed without overflow.
func inMat(r, c, ld, n int) bool {
	if r < 0 || c < 0 || ld < max(c, 1) || uint64(ld) > maxLD {
		return false
	}
	if r == 0 || c == 0 {
		return true
	}
	hi, lo := bits.Mul64(uint64(r-1), uint64(ld))
	return hi == 0 && c <= n && lo <= uint64(n-c)
}

// inPanel reports whether n elements hold k steps of w elements each:
// k ≥ 0, w ≥ 0 and k·w ≤ n, computed without overflow.
func inPanel(k, w, n int) bool {
	hi, lo := bits.Mul64(uint64(k), uint64(w))
	return k >= 0 && w >= 0 && hi == 0 && lo <= uint64(n)
}

// product returns a·b + c, for a, b, c ≥ 0, in decimal, exact even where it
// overflows int: the size that a failed check reports.
func product(a, b, c int) string {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	lo, carry := bits.Add64(lo, uint64(c), 0)
	if hi != 0 || carry != 0 {
		return "at least 2^64"
	}
	return strconv.FormatUint(lo, 10)
}

// matFault says why n elements do not hold the r×c matrix name with
// leading dimension ld, or returns "" if they do (inMat).
func matFault(name string, r, c, ld, n int) string {
	shape := fmt.Sprintf("%s is %d×%d with leading dimension %d", name, r, c, ld)
	switch {
	case r < 0 || c < 0:
		return shape + ": a negative dimension"
	case ld < max(c, 1):
		return fmt.Sprintf("%s < max(%d, 1)", shape, c)
	case uint64(ld) > maxLD:
		return shape + " > maxLD = 2^48"
	case !inMat(r, c, ld, n):
		return fmt.Sprintf("%s: needs (%d-1)·%d + %d = %s elements, has %d", shape, r, ld, c, product(r-1, ld, c), n)
	}
	return ""
}

// fail panics with "asm: op: " and the first fault that is not "".
func fail(op string, faults ...string) {
	for _, f := range faults {
		if f != "" {
			panic("asm: " + op + ": " + f)
		}
	}
	panic("asm: " + op + ": bad arguments") // unreachable: a check failed
}

// The fail functions below are called by the methods of Kernels when their
// check fails, with the arguments that failed it, and panic with a message
// that says why. They serve both precisions.

// float is the element type of a kernel.
type float interface{ float32 | float64 }

// failVec: Axpy and Dot, whose vectors differ in length.
func failVec[T float](op string, x, y []T) {
	fail(op, fmt.Sprintf("len(x) = %d but len(y) = %d", len(x), len(y)))
}

// failGemv: GemvN (lx, ly = n, m) and GemvT (lx, ly = m, n).
func failGemv[T float](op string, m, n int, a []T, lda int, x, y []T, lx, ly int) {
	var lens string
	if len(x) != lx || len(y) != ly {
		lens = fmt.Sprintf("A is %d×%d but len(x) = %d and len(y) = %d", m, n, len(x), len(y))
	}
	fail(op, matFault("A", m, n, lda, len(a)), lens)
}

// failGer: Ger and DGer.
func failGer[T float](op string, m, n int, x, y, a []T, lda int) {
	var lens string
	if len(x) != m || len(y) != n {
		lens = fmt.Sprintf("A is %d×%d but len(x) = %d and len(y) = %d", m, n, len(x), len(y))
	}
	fail(op, matFault("A", m, n, lda, len(a)), lens)
}

// failGemm: Gemm and DGemm, the micro-kernels of an mr×nr tile.
func failGemm[T float](op string, mr, nr, k int, a, b, c []T, ldc int) {
	var neg, fa, fb string
	if k < 0 {
		neg = fmt.Sprintf("k = %d < 0", k)
	}
	if !inPanel(k, mr, len(a)) {
		fa = fmt.Sprintf("k = %d needs k·MR = %s elements of A, has %d", k, product(k, mr, 0), len(a))
	}
	if !inPanel(k, nr, len(b)) {
		fb = fmt.Sprintf("k = %d needs k·NR = %s elements of B, has %d", k, product(k, nr, 0), len(b))
	}
	fail(op, neg, fa, fb, matFault("C", mr, nr, ldc, len(c)))
}

// failPack: PackRows and PackCols, packing k rows of width w into a k×nr
// panel from the r×c block at the start of src (k×w for PackRows, w×k for
// PackCols).
// failPackPanels panics for DPackRowsPanels.
func failPackPanels(op string, k, w, nr int, src []float64, ld int, panel []float64) {
	var args, fp string
	if k < 0 || w < 0 || nr < 1 || uint64(nr) > maxLD {
		args = fmt.Sprintf("k = %d, w = %d, nr = %d: want k ≥ 0, w ≥ 0 and 1 ≤ nr ≤ 2^48", k, w, nr)
	} else if w <= ld && uint64(ld) <= maxLD {
		panels := (w + nr - 1) / nr
		if !inPanel(k, panels*nr, len(panel)) {
			fp = fmt.Sprintf("%d panels of %d×%d need %s elements, have %d", panels, k, nr, product(k, panels*nr, 0), len(panel))
		}
	}
	fail(op, args, matFault("src", k, w, ld, len(src)), fp)
}

func failPack[T float](op string, k, w, nr, r, c int, src []T, ld int, panel []T) {
	var args, fp string
	if k < 0 || w < 0 || w > nr {
		args = fmt.Sprintf("k = %d, w = %d, nr = %d: want k ≥ 0 and 0 ≤ w ≤ nr", k, w, nr)
	}
	if !inPanel(k, nr, len(panel)) {
		fp = fmt.Sprintf("a %d×%d panel needs %s elements, has %d", k, nr, product(k, nr, 0), len(panel))
	}
	fail(op, args, matFault("src", r, c, ld, len(src)), fp)
}
