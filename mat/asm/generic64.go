package asm

// This file is the pure-Go reference for every float64 kernel, the float64
// twin of generic.go: no build tag, compiled everywhere, the specification
// of the assembly and the implementation where there is none.

// genericD is the pure-Go float64 implementation, with a 4×4 micro-kernel
// like the float32 one, and the same block sizes but MC: an MC×KC block of
// A is 64×256·8 B = 128 KiB, as the float32 128×256 one.
var (
	genericDBlocks = Blocks{MR: 4, NR: 4, MC: 64, KC: 256, NC: 2048}
	genericD       = unchecked64{
		axpy:  daxpyGeneric,
		dot:   ddotGeneric,
		scal:  dscalGeneric,
		gemvN: dgemvNGeneric,
		gemvT: dgemvTGeneric,
		ger:   dgerGeneric,
		gemm:  dgemm4x4Generic,

		packRows: dpackRowsGeneric,
		packCols: dpackColsGeneric,
	}
)

// daxpyGeneric is
//
//	for i := range y {
//		y[i] += alpha * x[i]
//	}
func daxpyGeneric(alpha float64, x, y []float64) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// ddotGeneric is
//
//	for i := range x {
//		sum += x[i] * y[i]
//	}
//	return sum
func ddotGeneric(x, y []float64) float64 {
	y = y[:len(x)]
	var sum float64
	for i, v := range x {
		sum += v * y[i]
	}
	return sum
}

// dscalGeneric is
//
//	for i := range x {
//		x[i] *= alpha
//	}
func dscalGeneric(alpha float64, x []float64) {
	for i := range x {
		x[i] *= alpha
	}
}

// dgemvNGeneric is y += alpha·A·x for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		y[i] += alpha * dot(A[i, :], x)
//	}
func dgemvNGeneric(m, n int, alpha float64, a []float64, lda int, x, y []float64) {
	if n == 0 {
		return
	}
	for i := range y[:m] {
		y[i] += alpha * ddotGeneric(x[:n], a[i*lda:i*lda+n])
	}
}

// dgemvTGeneric is y += alpha·Aᵀ·x for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		axpy(alpha*x[i], A[i, :], y)
//	}
func dgemvTGeneric(m, n int, alpha float64, a []float64, lda int, x, y []float64) {
	if n == 0 {
		return
	}
	for i, v := range x[:m] {
		daxpyGeneric(alpha*v, a[i*lda:i*lda+n], y[:n])
	}
}

// dgerGeneric is A += alpha·x·yᵀ for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		axpy(alpha*x[i], y, A[i, :])
//	}
func dgerGeneric(m, n int, alpha float64, x, y, a []float64, lda int) {
	if n == 0 {
		return
	}
	for i, v := range x[:m] {
		daxpyGeneric(alpha*v, y[:n], a[i*lda:i*lda+n])
	}
}

// dgemmGeneric is the reference float64 micro-kernel for any tile shape
// mr×nr: C = alpha·A·B + beta·C, with A packed column by column
// (a[l*mr+i]) and B row by row (b[l*nr+j]); when beta == 0, C is not read.
func dgemmGeneric(mr, nr, k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int) {
	for i := 0; i < mr; i++ {
		for j := 0; j < nr; j++ {
			var sum float64
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

// dgemm4x4Generic is dgemmGeneric(4, 4, ...) with the tile held in sixteen
// local accumulators.
func dgemm4x4Generic(k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int) {
	var (
		c00, c01, c02, c03 float64
		c10, c11, c12, c13 float64
		c20, c21, c22, c23 float64
		c30, c31, c32, c33 float64
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
	dstore4(c[0*ldc:0*ldc+4], alpha, beta, c00, c01, c02, c03)
	dstore4(c[1*ldc:1*ldc+4], alpha, beta, c10, c11, c12, c13)
	dstore4(c[2*ldc:2*ldc+4], alpha, beta, c20, c21, c22, c23)
	dstore4(c[3*ldc:3*ldc+4], alpha, beta, c30, c31, c32, c33)
}

// dstore4 writes c[j] = alpha·s_j + beta·c[j], not reading c when beta == 0.
func dstore4(c []float64, alpha, beta float64, s0, s1, s2, s3 float64) {
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

// dpackRowsGeneric is the packer of a k×w block of rows into a k×nr panel:
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
func dpackRowsGeneric(k, w, nr int, src []float64, ld int, panel []float64) {
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

// dpackColsGeneric is the packer of a w×k block of columns into a k×nr
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
func dpackColsGeneric(k, w, nr int, src []float64, ld int, panel []float64) {
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
			d := (*[4]float64)(panel[o:])
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
		for l := 0; l < k; l++ {
			clear(panel[l*nr+w : l*nr+nr])
		}
	}
}
