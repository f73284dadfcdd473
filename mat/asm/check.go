package asm

import "fmt"

// The checks below run in the wrappers that newKernels puts around every
// kernel, assembly or not, before it touches memory. They guard the
// assembly, which trusts its arguments; the friendly, shape-naming checks of
// the public API live in package mat.

func checkVec(op string, x, y []float32) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("asm: %s: len(x) = %d but len(y) = %d", op, len(x), len(y)))
	}
}

// checkMat panics unless a holds an r×c matrix with leading dimension ld.
func checkMat(op, name string, r, c int, a []float32, ld int) {
	if r < 0 || c < 0 {
		panic(fmt.Sprintf("asm: %s: %s has negative dimension %d×%d", op, name, r, c))
	}
	if ld < c || ld < 1 {
		panic(fmt.Sprintf("asm: %s: %s is %d×%d but its leading dimension is %d", op, name, r, c, ld))
	}
	if r > 0 && c > 0 && len(a) < (r-1)*ld+c {
		panic(fmt.Sprintf("asm: %s: %s is %d×%d with leading dimension %d, needs %d elements, has %d",
			op, name, r, c, ld, (r-1)*ld+c, len(a)))
	}
}

func checkGemv(op string, m, n int, a []float32, lda int, x, y []float32, lx, ly int) {
	checkMat(op, "A", m, n, a, lda)
	if len(x) != lx || len(y) != ly {
		panic(fmt.Sprintf("asm: %s: A is %d×%d but len(x) = %d and len(y) = %d", op, m, n, len(x), len(y)))
	}
}

func checkGer(m, n int, x, y, a []float32, lda int) {
	checkMat("ger", "A", m, n, a, lda)
	if len(x) != m || len(y) != n {
		panic(fmt.Sprintf("asm: ger: A is %d×%d but len(x) = %d and len(y) = %d", m, n, len(x), len(y)))
	}
}

func checkGemm(mr, nr, k int, a, b, c []float32, ldc int) {
	op := "gemm"
	if k < 0 {
		panic(fmt.Sprintf("asm: %s: k = %d", op, k))
	}
	if len(a) < k*mr || len(b) < k*nr {
		panic(fmt.Sprintf("asm: %s: k = %d needs %d elements of A and %d of B, has %d and %d",
			op, k, k*mr, k*nr, len(a), len(b)))
	}
	checkMat(op, "C", mr, nr, c, ldc)
}

// checkPack panics unless src holds the r×c block that a packer of k rows
// of width w reads (k×w for packRows, w×k for packCols) and panel has room
// for the k×nr panel it writes.
func checkPack(op string, k, w, nr, r, c int, src []float32, ld int, panel []float32) {
	if k < 0 || w < 0 || w > nr {
		panic(fmt.Sprintf("asm: %s: k = %d, w = %d, nr = %d", op, k, w, nr))
	}
	checkMat(op, "src", r, c, src, ld)
	if len(panel) < k*nr {
		panic(fmt.Sprintf("asm: %s: a %d×%d panel needs %d elements, has %d", op, k, nr, k*nr, len(panel)))
	}
}
