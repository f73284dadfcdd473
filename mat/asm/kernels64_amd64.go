//go:build !purego

package asm

// The float64 kernels of the amd64 sets (the float32 ones are in
// kernels_amd64.go).

// avx2DBlocks are the float64 block sizes of the 6×8 AVX2 micro-kernel,
// BLIS's Haswell/Zen dgemm ones (MC 72, KC 256, NC 4080): an MC×KC block
// of A (144 KiB, as the float32 144×256 one) sits in L2 and a KC×NR
// micro-panel of B (16 KiB) in L1. BenchmarkDGemm measures them.
var avx2DBlocks = Blocks{MR: 6, NR: 8, MC: 72, KC: 256, NC: 4080}

// withAVX2D returns the float64 AVX2+FMA kernels around the micro-kernel
// gemm, as withAVX2 does for float32.
func withAVX2D(gemm func(k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int)) unchecked64 {
	d := genericD
	d.axpy = daxpyAVX2
	d.dot = ddotAVX2
	d.scal = dscalAVX2
	d.gemm = gemm
	return d
}

// daxpyAVX2 is
//
//	for i := range y {
//		y[i] += alpha * x[i]
//	}
//
// It reads len(y) elements of x: the caller checks len(x) == len(y).
//
// Reference: daxpyGeneric. Requires: AVX2, FMA.
//
//go:noescape
func daxpyAVX2(alpha float64, x, y []float64)

// ddotAVX2 is
//
//	for i := range x {
//		sum += x[i] * y[i]
//	}
//	return sum
//
// with eight partial sums of four lanes. It reads len(x) elements of y:
// the caller checks len(x) == len(y).
//
// Reference: ddotGeneric. Requires: AVX2, FMA.
//
//go:noescape
func ddotAVX2(x, y []float64) float64

// dscalAVX2 is
//
//	for i := range x {
//		x[i] *= alpha
//	}
//
// Reference: dscalGeneric. Requires: AVX2.
//
//go:noescape
func dscalAVX2(alpha float64, x []float64)

// dgemm6x8AVX2 is the 6×8 float64 micro-kernel, C = alpha·A·B + beta·C:
//
//	dgemmGeneric(6, 8, k, alpha, a, b, beta, c, ldc)
//
// with A packed column by column (a[l*6+i]) and B row by row (b[l*8+j]).
// When beta == 0, C is not read. The caller checks the shapes.
//
// Reference: dgemmGeneric. Requires: AVX2, FMA.
//
//go:noescape
func dgemm6x8AVX2(k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int)

// dgemm12x16AVX512 is the 12×16 float64 micro-kernel, C = alpha·A·B + beta·C:
//
//	dgemmGeneric(12, 16, k, alpha, a, b, beta, c, ldc)
//
// with A packed column by column (a[l*12+i]) and B row by row (b[l*16+j]).
// When beta == 0, C is not read. The caller checks the shapes.
//
// It is in no kernel set yet: it is gemm12x32AVX512 with float64 elements,
// instruction for instruction, but it has not run on an AVX-512 machine
// (the one it was written on has none, and no emulator at hand implements
// AVX-512), so the avx512 set uses the AVX2 float64 kernels.
// TestDGemm12x16AVX512 runs it where the CPU has AVX-512F; once it passes
// there, avx512 can take it with Blocks{MR: 12, NR: 16, ...}.
//
// Reference: dgemmGeneric. Requires: AVX-512F.
//
//go:noescape
func dgemm12x16AVX512(k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int)
