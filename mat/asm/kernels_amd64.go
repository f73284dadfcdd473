//go:build !purego

package asm

import "golang.org/x/sys/cpu"

// useAVX2FMA reports whether the CPU and the operating system support every
// feature the avx2fma kernels need. cpu.X86 already includes the check that
// the OS saves the YMM registers.
var useAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// archKernels returns the amd64 assembly implementations this CPU supports.
func archKernels() []*Kernels {
	if useAVX2FMA {
		return []*Kernels{avx2fma}
	}
	return nil
}

// avx2fma is the AVX2+FMA implementation. Its micro-kernel is 6×16: the C
// tile fills twelve of the sixteen ymm registers. The block sizes are the
// BLIS Haswell/Zen ones: an MC×KC block of A (144 KiB) sits in L2 and a
// KC×NR micro-panel of B (16 KiB) in L1.
var avx2fma = newKernels("avx2fma", Blocks{MR: 6, NR: 16, MC: 144, KC: 256, NC: 4080}, unchecked{
	axpy:  axpyAVX2,
	dot:   dotAVX2,
	scal:  scalAVX2,
	gemvN: gemvNAVX2,
	gemvT: gemvTAVX2,
	gemm:  gemm6x16AVX2,
})

// axpyAVX2 is
//
//	for i := range y {
//		y[i] += alpha * x[i]
//	}
//
// It reads len(y) elements of x: the caller checks len(x) == len(y).
//
// Reference: axpyGeneric. Requires: AVX2, FMA.
//
//go:noescape
func axpyAVX2(alpha float32, x, y []float32)

// dotAVX2 is
//
//	for i := range x {
//		sum += x[i] * y[i]
//	}
//	return sum
//
// with eight partial sums. It reads len(x) elements of y: the caller checks
// len(x) == len(y).
//
// Reference: dotGeneric. Requires: AVX2, FMA.
//
//go:noescape
func dotAVX2(x, y []float32) float32

// scalAVX2 is
//
//	for i := range x {
//		x[i] *= alpha
//	}
//
// Reference: scalGeneric. Requires: AVX2, FMA.
//
//go:noescape
func scalAVX2(alpha float32, x []float32)

// gemvNAVX2 is y += alpha·A·x for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		y[i] += alpha * dot(A[i, :], x)
//	}
//
// four rows at a time. It reads only A[i, 0:n] of each row; the caller
// checks the shapes.
//
// Reference: gemvNGeneric. Requires: AVX2, FMA.
//
//go:noescape
func gemvNAVX2(m, n int, alpha float32, a []float32, lda int, x, y []float32)

// gemvTAVX2 is y += alpha·Aᵀ·x for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		axpy(alpha*x[i], A[i, :], y)
//	}
//
// four rows at a time, so that y is loaded and stored once per four rows. It
// reads only A[i, 0:n] of each row; the caller checks the shapes.
//
// Reference: gemvTGeneric. Requires: AVX2, FMA.
//
//go:noescape
func gemvTAVX2(m, n int, alpha float32, a []float32, lda int, x, y []float32)

// gemm6x16AVX2 is the 6×16 micro-kernel, C = alpha·A·B + beta·C:
//
//	gemmGeneric(6, 16, k, alpha, a, b, beta, c, ldc)
//
// with A packed column by column (a[l*6+i]) and B row by row (b[l*16+j]).
// When beta == 0, C is not read. The caller checks the shapes.
//
// Reference: gemmGeneric. Requires: AVX2, FMA.
//
//go:noescape
func gemm6x16AVX2(k int, alpha float32, a, b []float32, beta float32, c []float32, ldc int)
