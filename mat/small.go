package mat

import "github.com/pente-go/pente/mat/asm"

// The unpacked paths of Gemm: products that are matrix-vector products or
// outer products, and small ones, computed on the level-1 and level-2
// kernels, where packing would cost more than the product. These are the
// shapes of a network fed one sample at a time, and of its output layer.

// gemmM1, gemmN1 and gemmK1 compute C = alpha·op(A)·op(B) + beta·C as
// one kernel call when the product is a matrix-vector or an outer product
// whose vectors are contiguous in memory (planGemm checked that).

// gemmM1 is the product for m = 1:
//
//	C's row = alpha·op(B)ᵀ·(op(A)'s row) + beta·C's row
func gemmM1(k asm.Kernels, tB Transpose, n, kk int, alpha float32, a, b *Dense, beta float32, c *Dense) {
	x, y := a.Data[:kk], c.Data[:n]
	scaleBy(k, beta, y)
	if tB == NoTrans {
		k.GemvT(b.Rows, b.Cols, alpha, b.Data, b.Stride, x, y) // op(B)ᵀ = Bᵀ
	} else {
		k.GemvN(b.Rows, b.Cols, alpha, b.Data, b.Stride, x, y) // op(B)ᵀ = B
	}
}

// gemmN1 is the product for n = 1:
//
//	C's column = alpha·op(A)·(op(B)'s column) + beta·C's column
func gemmN1(k asm.Kernels, tA Transpose, m, kk int, alpha float32, a, b *Dense, beta float32, c *Dense) {
	x, y := b.Data[:kk], c.Data[:m]
	scaleBy(k, beta, y)
	gemvOf(k, tA, alpha, a, x, y)
}

// gemmK1 is the product for k = 1, a rank-1 update:
//
//	C = alpha·(op(A)'s column)·(op(B)'s row) + beta·C
func gemmK1(k asm.Kernels, m, n int, alpha float32, a, b *Dense, beta float32, c *Dense) {
	if beta != 1 {
		for i := 0; i < m; i++ {
			scaleBy(k, beta, c.Data[i*c.Stride:i*c.Stride+n])
		}
	}
	// Even where alpha·u[i] is 0 the kernel adds 0·v, which is NaN
	// where v is NaN or infinite, as the product would be.
	k.Ger(m, n, alpha, a.Data[:m], b.Data[:n], c.Data, c.Stride)
}

// gemmRows computes C = alpha·A·op(B) + beta·C without packing, one gemv
// per row of C:
//
//	C's row i = alpha·op(B)ᵀ·(A's row i) + beta·C's row i
func gemmRows(k asm.Kernels, tB Transpose, m, n, kk int, alpha float32, a, b *Dense, beta float32, c *Dense) {
	for i := 0; i < m; i++ {
		x := a.Data[i*a.Stride : i*a.Stride+kk]
		y := c.Data[i*c.Stride : i*c.Stride+n]
		scaleBy(k, beta, y)
		gemvOf(k, 1-tB, alpha, b, x, y) // op(B)ᵀ
	}
}

// gemvOf computes y += alpha·op(A)·x on the calling goroutine.
func gemvOf(k asm.Kernels, tA Transpose, alpha float32, a *Dense, x, y []float32) {
	if tA == NoTrans {
		k.GemvN(a.Rows, a.Cols, alpha, a.Data, a.Stride, x, y)
	} else {
		k.GemvT(a.Rows, a.Cols, alpha, a.Data, a.Stride, x, y)
	}
}

// scaleBy computes y = beta·y with BLAS's rule for beta: when beta is zero,
// y is set to zero without being read. It is inlined, so that beta = 1 costs
// no call.
func scaleBy(k asm.Kernels, beta float32, y []float32) {
	if beta != 1 {
		scale(k, beta, y)
	}
}

//go:noinline
func scale(k asm.Kernels, beta float32, y []float32) {
	if beta == 0 {
		clear(y)
		return
	}
	k.Scal(beta, y)
}
