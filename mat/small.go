package mat

import "github.com/pente-go/pente/mat/asm"

// The unpacked paths of Gemm: products that are matrix-vector products or
// outer products, and small ones, computed on the level-1 and level-2
// kernels, where packing would cost more than the product. These are the
// shapes of a network fed one sample at a time, and of its output layer.

// gemmM1, gemmN1 and gemmK1 compute C = alpha·op(A)·op(B) + beta·C as
// one kernel call when the product is a matrix-vector or an outer product
// whose vectors are contiguous in memory (planGemm checked that). A gemv
// is split into up to parts parts as Gemv splits it, so its result does not
// depend on the number of parts either.

// gemmM1 is the product for m = 1:
//
//	C's row = alpha·op(B)ᵀ·(op(A)'s row) + beta·C's row
func gemmM1[T elem](k kern[T], parts int, tB Transpose, n, kk int, alpha T, a, b *strided[T], beta T, c *strided[T]) {
	x, y := a.data[:kk], c.data[:n]
	scaleBy(k.k, beta, y)
	switch {
	case parts > 1:
		gemvSplit(k, parts, 1-tB, alpha, b, x, y) // op(B)ᵀ
	case isFloat32[T]() && tB == NoTrans: // as gemvOnce, inline: one call less
		k.k.GemvT(b.rows, b.cols, float32(alpha), as32(b.data), b.stride, as32(x), as32(y)) // op(B)ᵀ = Bᵀ
	case isFloat32[T]():
		k.k.GemvN(b.rows, b.cols, float32(alpha), as32(b.data), b.stride, as32(x), as32(y)) // op(B)ᵀ = B
	default:
		gemvOnce(k, 1-tB, alpha, b, x, y)
	}
}

// gemmN1 is the product for n = 1:
//
//	C's column = alpha·op(A)·(op(B)'s column) + beta·C's column
func gemmN1[T elem](k kern[T], parts int, tA Transpose, m, kk int, alpha T, a, b *strided[T], beta T, c *strided[T]) {
	x, y := b.data[:kk], c.data[:m]
	scaleBy(k.k, beta, y)
	if parts > 1 {
		gemvSplit(k, parts, tA, alpha, a, x, y)
		return
	}
	gemvOnce(k, tA, alpha, a, x, y)
}

// gemmK1 is the product for k = 1, a rank-1 update:
//
//	C = alpha·(op(A)'s column)·(op(B)'s row) + beta·C
func gemmK1[T elem](k kern[T], m, n int, alpha T, a, b *strided[T], beta T, c *strided[T]) {
	if beta != 1 {
		for i := 0; i < m; i++ {
			scaleBy(k.k, beta, c.data[i*c.stride:i*c.stride+n])
		}
	}
	// Even where alpha·u[i] is 0 the kernel adds 0·v, which is NaN
	// where v is NaN or infinite, as the product would be.
	x, y := a.data[:m], b.data[:n]
	if isFloat32[T]() { // as gemvOnce: one call less
		k.k.Ger(m, n, float32(alpha), as32(x), as32(y), as32(c.data), c.stride)
		return
	}
	k.Ger(m, n, alpha, x, y, c.data, c.stride)
}

// gemmRows computes C = alpha·A·op(B) + beta·C without packing, one gemv
// per row of C:
//
//	C's row i = alpha·op(B)ᵀ·(A's row i) + beta·C's row i
func gemmRows(k asm.Kernels, tB Transpose, m, n, kk int, alpha float32, a, b *Dense, beta float32, c *Dense) {
	gemmRowsOf(kernelsOf[float32](k), tB, m, n, kk, alpha, a.view(), b.view(), beta, c.view())
}

// gemmRowsOf is gemmRows for either precision.
func gemmRowsOf[T elem](k kern[T], tB Transpose, m, n, kk int, alpha T, a, b *strided[T], beta T, c *strided[T]) {
	for i := 0; i < m; i++ {
		x := a.data[i*a.stride : i*a.stride+kk]
		y := c.data[i*c.stride : i*c.stride+n]
		scaleBy(k.k, beta, y)
		gemvOnce(k, 1-tB, alpha, b, x, y) // op(B)ᵀ
	}
}

// gemvOnce computes y += alpha·op(A)·x on the calling goroutine. It calls
// the kernels of asm.Kernels itself, rather than through kern's methods,
// which are too large to be inlined: one call less per row of gemmRows.
func gemvOnce[T elem](k kern[T], tA Transpose, alpha T, a *strided[T], x, y []T) {
	if isFloat32[T]() {
		if tA == NoTrans {
			k.k.GemvN(a.rows, a.cols, float32(alpha), as32(a.data), a.stride, as32(x), as32(y))
		} else {
			k.k.GemvT(a.rows, a.cols, float32(alpha), as32(a.data), a.stride, as32(x), as32(y))
		}
		return
	}
	if tA == NoTrans {
		k.GemvN(a.rows, a.cols, alpha, a.data, a.stride, x, y)
	} else {
		k.GemvT(a.rows, a.cols, alpha, a.data, a.stride, x, y)
	}
}

// scaleBy computes y = beta·y with BLAS's rule for beta: when beta is zero,
// y is set to zero without being read. It is inlined, so that beta = 1 costs
// no call.
func scaleBy[T elem](k asm.Kernels, beta T, y []T) {
	if beta != 1 {
		scale(k, beta, y)
	}
}

//go:noinline
func scale[T elem](k asm.Kernels, beta T, y []T) {
	if beta == 0 {
		clear(y)
		return
	}
	kernelsOf[T](k).Scal(beta, y)
}
