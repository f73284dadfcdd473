package asm

// This file is the pure-Go reference for every kernel. It has no build tag:
// it is compiled on every platform and under purego, so that tests anywhere
// can compare the assembly against it, and it is the implementation used
// where there is no assembly.

// generic is the pure-Go implementation. Its micro-kernel is 4×4: sixteen
// accumulators fit the floating-point registers of every Go target.
var generic = newKernels("generic", Blocks{MR: 4, NR: 4, MC: 128, KC: 256, NC: 2048}, unchecked{
	axpy:  axpyGeneric,
	dot:   dotGeneric,
	scal:  scalGeneric,
	gemvN: gemvNGeneric,
	gemvT: gemvTGeneric,
	ger:   gerGeneric,
	gemm:  gemm4x4Generic,

	packRows: packRowsGeneric,
	packCols: packColsGeneric,
	adam:     adamGeneric,
	sgd:      sgdGeneric,
}, genericDBlocks, genericD)

// axpyGeneric is
//
//	for i := range y {
//		y[i] += alpha * x[i]
//	}
func axpyGeneric(alpha float32, x, y []float32) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// dotGeneric is
//
//	for i := range x {
//		sum += x[i] * y[i]
//	}
//	return sum
func dotGeneric(x, y []float32) float32 {
	y = y[:len(x)]
	var sum float32
	for i, v := range x {
		sum += v * y[i]
	}
	return sum
}

// scalGeneric is
//
//	for i := range x {
//		x[i] *= alpha
//	}
func scalGeneric(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

// gemvNGeneric is y += alpha·A·x for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		y[i] += alpha * dot(A[i, :], x)
//	}
func gemvNGeneric(m, n int, alpha float32, a []float32, lda int, x, y []float32) {
	if n == 0 {
		return
	}
	for i := range y[:m] {
		y[i] += alpha * dotGeneric(x[:n], a[i*lda:i*lda+n])
	}
}

// gerGeneric is A += alpha·x·yᵀ for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		axpy(alpha*x[i], y, A[i, :])
//	}
func gerGeneric(m, n int, alpha float32, x, y, a []float32, lda int) {
	if n == 0 {
		return
	}
	for i, v := range x[:m] {
		axpyGeneric(alpha*v, y[:n], a[i*lda:i*lda+n])
	}
}

// gemvTGeneric is y += alpha·Aᵀ·x for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		axpy(alpha*x[i], A[i, :], y)
//	}
func gemvTGeneric(m, n int, alpha float32, a []float32, lda int, x, y []float32) {
	if n == 0 {
		return
	}
	for i, v := range x[:m] {
		axpyGeneric(alpha*v, a[i*lda:i*lda+n], y[:n])
	}
}

// gemmGeneric is the reference micro-kernel for any tile shape mr×nr:
// C = alpha·A·B + beta·C, with A packed column by column (a[l*mr+i]) and B
// row by row (b[l*nr+j]); when beta == 0, C is not read.
func gemmGeneric(mr, nr, k int, alpha float32, a, b []float32, beta float32, c []float32, ldc int) {
	for i := 0; i < mr; i++ {
		for j := 0; j < nr; j++ {
			var sum float32
			for l := 0; l < k; l++ {
				sum += a[l*mr+i] * b[l*nr+j]
			}
			if beta == 0 {
				c[i*ldc+j] = alpha * sum
			} else {
				c[i*ldc+j] = alpha*sum + beta*c[i*ldc+j]
			}
		}
	}
}

// gemm4x4Generic is gemmGeneric(4, 4, ...) with the tile held in sixteen
// local accumulators.
func gemm4x4Generic(k int, alpha float32, a, b []float32, beta float32, c []float32, ldc int) {
	var (
		c00, c01, c02, c03 float32
		c10, c11, c12, c13 float32
		c20, c21, c22, c23 float32
		c30, c31, c32, c33 float32
	)
	a, b = a[:4*k], b[:4*k]
	for len(a) >= 4 && len(b) >= 4 {
		a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
		b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
		a, b = a[4:], b[4:]
	}
	store4(c[0*ldc:0*ldc+4], alpha, beta, c00, c01, c02, c03)
	store4(c[1*ldc:1*ldc+4], alpha, beta, c10, c11, c12, c13)
	store4(c[2*ldc:2*ldc+4], alpha, beta, c20, c21, c22, c23)
	store4(c[3*ldc:3*ldc+4], alpha, beta, c30, c31, c32, c33)
}

// store4 writes c[j] = alpha·s_j + beta·c[j], not reading c when beta == 0.
func store4(c []float32, alpha, beta float32, s0, s1, s2, s3 float32) {
	c = c[:4]
	if beta == 0 {
		c[0], c[1], c[2], c[3] = alpha*s0, alpha*s1, alpha*s2, alpha*s3
		return
	}
	c[0] = alpha*s0 + beta*c[0]
	c[1] = alpha*s1 + beta*c[1]
	c[2] = alpha*s2 + beta*c[2]
	c[3] = alpha*s3 + beta*c[3]
}

// packRowsGeneric is the packer of a k×w block of rows into a k×nr panel:
//
//	for l := 0; l < k; l++ {
//		for j := 0; j < nr; j++ {
//			if j < w {
//				panel[l*nr+j] = src[l*ld+j]
//			} else {
//				panel[l*nr+j] = 0
//			}
//		}
//	}
//
// One copy (memmove) per row: the compiler turns a copy of a whole array as
// well into a call of memmove, since it cannot tell that src and panel do
// not overlap, and measured no faster.
func packRowsGeneric(k, w, nr int, src []float32, ld int, panel []float32) {
	if k == 0 {
		return
	}
	panel = panel[:k*nr]
	if w == 0 {
		clear(panel)
		return
	}
	src = src[:(k-1)*ld+w]
	for l := 0; l < k; l++ {
		row := panel[l*nr : l*nr+nr]
		copy(row, src[l*ld:l*ld+w])
		if w < nr {
			clear(row[w:])
		}
	}
}

// packColsGeneric is the packer of a w×k block of columns into a k×nr
// panel, a transpose:
//
//	for l := 0; l < k; l++ {
//		for j := 0; j < nr; j++ {
//			if j < w {
//				panel[l*nr+j] = src[j*ld+l]
//			} else {
//				panel[l*nr+j] = 0
//			}
//		}
//	}
//
// Four rows of src are read side by side, so that the panel is written four
// contiguous elements at a time.
func packColsGeneric(k, w, nr int, src []float32, ld int, panel []float32) {
	panel = panel[:k*nr]
	if k == 0 {
		return
	}
	j := 0
	for ; j+4 <= w; j += 4 {
		s0 := src[j*ld : j*ld+k]
		s1 := src[(j+1)*ld:]
		s2 := src[(j+2)*ld:]
		s3 := src[(j+3)*ld:]
		s1, s2, s3 = s1[:len(s0)], s2[:len(s0)], s3[:len(s0)]
		o := j
		for l, v := range s0 {
			d := (*[4]float32)(panel[o:])
			d[0], d[1], d[2], d[3] = v, s1[l], s2[l], s3[l]
			o += nr
		}
	}
	for ; j < w; j++ {
		s := src[j*ld : j*ld+k]
		for l, v := range s {
			panel[l*nr+j] = v
		}
	}
	if w < nr {
		// Element by element: the gaps are a few elements each, and a
		// clear per row of the panel was a call of memclr per row, as much
		// as the rest of an edge panel's packing (callgrind).
		for o := w; o < len(panel); o += nr {
			gap := panel[o : o+nr-w]
			for i := 0; i < len(gap); i++ {
				gap[i] = 0
			}
		}
	}
}
