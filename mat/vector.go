package mat

import "github.com/pente-go/pente/mat/asm"

// gemmVector computes C = alpha·op(A)·op(B) + beta·C without packing when
// the product is a matrix-vector product or an outer product, and reports
// whether it did:
//
//	m == 1: C's row    = alpha·op(B)ᵀ·(op(A)'s row) + beta·C's row  (gemv)
//	n == 1: C's column = alpha·op(A)·(op(B)'s column) + beta·C's column  (gemv)
//	k == 1: C's row i  = alpha·op(A)(i, 0)·(op(B)'s row) + beta·C's row i  (axpy per row)
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
		v, ok := line(b, tB == Trans, n)
		if !ok {
			return false
		}
		// op(A)(i, 0) is A(i, 0), or A(0, i) when transposed.
		step := a.Stride
		if tA == Trans {
			step = 1
		}
		for i := 0; i < m; i++ {
			row := c.Data[i*c.Stride : i*c.Stride+n]
			scaleBy(k, beta, row)
			// Even when alpha·op(A)(i, 0) is 0, the kernel adds 0·v, which
			// is NaN where v is NaN or infinite, as the product would be.
			k.Axpy(alpha*a.Data[i*step], v, row)
		}
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
