package mat

import "github.com/pente-go/pente/mat/asm"

// gemmVector computes C = alpha·op(A)·op(B) + beta·C without packing when
// the product is a matrix-vector product or an outer product, and reports
// whether it did:
//
//	m == 1: C's row    = alpha·op(B)ᵀ·(op(A)'s row) + beta·C's row  (gemv)
//	n == 1: C's column = alpha·op(A)·(op(B)'s column) + beta·C's column  (gemv)
//	k == 1: C = alpha·(op(A)'s column)·(op(B)'s row) + beta·C  (ger)
//
// These are the shapes of a network fed one sample at a time, where packing
// would cost more than the product. The vectors must be contiguous in
// memory; when one is not (a column of a matrix with Stride > 1), it
// returns false and the packed path computes the product. m, n, k > 0 and
// alpha ≠ 0.
func gemmVector(k *asm.Kernels, tA, tB Transpose, m, n, kk int, alpha float32, a, b *Dense, beta float32, c *Dense) bool {
	switch {
	case m == 1:
		x, ok := line(a, tA == Trans, kk)
		if !ok {
			return false
		}
		y := c.Data[:n]
		scaleBy(k, beta, y)
		if tB == NoTrans {
			k.GemvT(b.Rows, b.Cols, alpha, b.Data, b.Stride, x, y) // op(B)ᵀ = Bᵀ
		} else {
			k.GemvN(b.Rows, b.Cols, alpha, b.Data, b.Stride, x, y) // op(B)ᵀ = B
		}
		return true
	case n == 1:
		x, okx := line(b, tB == NoTrans, kk)
		y, oky := line(c, true, m)
		if !okx || !oky {
			return false
		}
		scaleBy(k, beta, y)
		if tA == NoTrans {
			k.GemvN(a.Rows, a.Cols, alpha, a.Data, a.Stride, x, y)
		} else {
			k.GemvT(a.Rows, a.Cols, alpha, a.Data, a.Stride, x, y)
		}
		return true
	case kk == 1:
		u, oku := line(a, tA == NoTrans, m)
		v, okv := line(b, tB == Trans, n)
		if !oku || !okv {
			return false
		}
		if beta != 1 {
			for i := 0; i < m; i++ {
				scaleBy(k, beta, c.Data[i*c.Stride:i*c.Stride+n])
			}
		}
		// Even where alpha·u[i] is 0 the kernel adds 0·v, which is NaN
		// where v is NaN or infinite, as the product would be.
		k.Ger(m, n, alpha, u, v, c.Data, c.Stride)
		return true
	}
	return false
}

// line returns the first n elements of the first row of d, or of its first
// column when col is true, as a slice, and whether they are contiguous in
// memory: a column is only when the matrix has one row or a Stride of 1.
func line(d *Dense, col bool, n int) ([]float32, bool) {
	if col && n > 1 && d.Stride != 1 {
		return nil, false
	}
	return d.Data[:n], true
}

// gemmRows computes C = alpha·A·op(B) + beta·C without packing, one gemv
// per row of C:
//
//	C's row i = alpha·op(B)ᵀ·(A's row i) + beta·C's row i
//
// Gemm uses it for tiny products, and for A·Bᵀ when C is narrower than a
// micro-tile in either direction, where packing would pad the tiles mostly
// with zeros: the output layer of a classifier, C = X·Wᵀ with few classes,
// is such a product. BenchmarkGemmSmall measured it (avx512): 128×10×128
// A·Bᵀ takes 7.9 µs against 17.2 µs packed, 8×8×8 0.20 against 0.27 µs;
// packing wins for A·Bᵀ from 32×32×32 on, and for Aᵀ·B at every size.
func gemmRows(k *asm.Kernels, tB Transpose, m, n, kk int, alpha float32, a, b *Dense, beta float32, c *Dense) {
	for i := 0; i < m; i++ {
		x := a.Data[i*a.Stride : i*a.Stride+kk]
		y := c.Data[i*c.Stride : i*c.Stride+n]
		scaleBy(k, beta, y)
		if tB == NoTrans {
			k.GemvT(b.Rows, b.Cols, alpha, b.Data, b.Stride, x, y) // op(B)ᵀ = Bᵀ
		} else {
			k.GemvN(b.Rows, b.Cols, alpha, b.Data, b.Stride, x, y) // op(B)ᵀ = B
		}
	}
}

// byRows reports whether gemmRows should compute an m×n×kk product of
// kernels k with these transposes: op(A) = A, and the product tiny, or
// A·Bᵀ with C at most a tile tall or half a tile wide and too small to be
// split over threads.
func byRows(k *asm.Kernels, tA, tB Transpose, m, n, kk int) bool {
	if tA != NoTrans {
		return false
	}
	size := m * n * kk
	return size <= 16*16*16 || tB == Trans && (m <= k.Blocks().MR || n <= k.Blocks().NR/2) && size < parallelFlops
}
