//go:build !purego

package asm

import "golang.org/x/sys/cpu"

// useAVX2FMA reports whether the CPU and the operating system support every
// feature the avx2fma kernels need. cpu.X86 already includes the check that
// the OS saves the YMM registers.
var useAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// useAVX512 reports whether the CPU and the operating system support every
// feature the avx512 kernels need: those of avx2fma, whose level-1 and
// level-2 kernels and packers the set shares, and AVX-512F for its
// micro-kernel.
// cpu.X86.HasAVX512F already includes the check that the OS saves the ZMM
// and opmask registers.
var useAVX512 = useAVX2FMA && cpu.X86.HasAVX512F

// archKernels returns the amd64 assembly implementations this CPU supports,
// fastest first.
func archKernels() []Kernels {
	switch {
	case useAVX512:
		return []Kernels{avx512, avx2fma}
	case useAVX2FMA:
		return []Kernels{avx2fma}
	}
	return nil
}

// avx512 is the AVX-512 implementation: the avx2fma level-1 and level-2
// kernels and packers, which are bound by memory rather than by the width
// of the vectors (packers on zmm registers, masked for the 12-wide rows,
// were no faster), and a 12×32 gemm micro-kernel on zmm registers. The C
// tile fills 24 of the 32 zmm registers, as in BLIS's Skylake-X sgemm
// kernel (32×12, column-major: the same tile transposed).
//
// The block sizes come from the caches of a core with 48 KiB of L1d and
// 2 MiB of L2: the A block (MC×KC, 960 KiB) takes half of L2, leaving the
// other half to the B micro-panels that stream through it; a KC×NR
// micro-panel of B (64 KiB) no longer fits L1, but its rows are read in
// order, which the L2 and the hardware prefetchers sustain; KC = 512 halves
// the passes that read C back, one per KC slice past the first, against
// KC = 256; NC = 4096 keeps a KC×NC block of B (8 MiB) in L3.
// BenchmarkGemm measures them; bench/README.md has what it measured.
var avx512 = newKernels("avx512", Blocks{MR: 12, NR: 32, MC: 480, KC: 512, NC: 4096}, withAVX2(gemm12x32AVX512),
	avx2DBlocks, withAVX2D(dgemm6x8AVX2))

// avx2fma is the AVX2+FMA implementation. Its micro-kernel is 6×16: the C
// tile fills twelve of the sixteen ymm registers. The block sizes are the
// BLIS Haswell/Zen ones: an MC×KC block of A (144 KiB) sits in L2 and a
// KC×NR micro-panel of B (16 KiB) in L1.
var avx2fma = newKernels("avx2fma", Blocks{MR: 6, NR: 16, MC: 144, KC: 256, NC: 4080}, withAVX2(gemm6x16AVX2),
	avx2DBlocks, withAVX2D(dgemm6x8AVX2))

// withAVX2 returns the AVX2+FMA kernels that both amd64 sets use around the
// gemm micro-kernel gemm, the one kernel that tells them apart. The avx512
// set has no zmm versions of the others (zmm packers were tried and
// measured slightly slower, being bound by memory).
func withAVX2(gemm func(k int, alpha float32, a, b []float32, beta float32, c []float32, ldc int)) unchecked {
	return unchecked{
		axpy:  axpyAVX2,
		dot:   dotAVX2,
		scal:  scalAVX2,
		gemvN: gemvNAVX2,
		gemvT: gemvTAVX2,
		ger:   gerAVX2,
		gemm:  gemm,

		packRows: packRowsAVX2,
		packCols: packColsAVX2,
	}
}

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

// gerAVX2 is A += alpha·x·yᵀ for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		axpy(alpha*x[i], y, A[i, :])
//	}
//
// in one call, y streamed from L1 for every row. It writes only A[i, 0:n]
// of each row; the caller checks the shapes.
//
// Reference: gerGeneric. Requires: AVX2, FMA.
//
//go:noescape
func gerAVX2(m, n int, alpha float32, x, y, a []float32, lda int)

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

// gemm12x32AVX512 is the 12×32 micro-kernel, C = alpha·A·B + beta·C:
//
//	gemmGeneric(12, 32, k, alpha, a, b, beta, c, ldc)
//
// with A packed column by column (a[l*12+i]) and B row by row (b[l*32+j]).
// When beta == 0, C is not read. The caller checks the shapes.
//
// Reference: gemmGeneric. Requires: AVX-512F.
//
//go:noescape
func gemm12x32AVX512(k int, alpha float32, a, b []float32, beta float32, c []float32, ldc int)

// packRowsAVX2 is packRowsGeneric with the full panels (w == nr) of the
// widths the x86 micro-kernels pack, 6, 12, 16 and 32, in assembly: the
// edge panels, one per block of the gemm driver, stay in Go.
func packRowsAVX2(k, w, nr int, src []float32, ld int, panel []float32) {
	if w == nr && k > 0 {
		switch nr {
		case 6:
			packRows6AVX2(k, src, ld, panel)
			return
		case 12:
			packRows12AVX2(k, src, ld, panel)
			return
		case 16:
			packRows16AVX2(k, src, ld, panel)
			return
		case 32:
			packRows32AVX2(k, src, ld, panel)
			return
		}
	}
	packRowsGeneric(k, w, nr, src, ld, panel)
}

// packColsAVX2 is packColsGeneric with the full panels (w == nr) of the
// widths the x86 micro-kernels pack, 6, 12, 16 and 32, in assembly, eight
// columns of src at a time; the last k%8 columns, and the edge panels,
// stay in Go.
func packColsAVX2(k, w, nr int, src []float32, ld int, panel []float32) {
	k8 := k &^ 7
	if w == nr && k8 > 0 {
		switch nr {
		case 6:
			packCols6AVX2(k8, src, ld, panel)
		case 12:
			packCols12AVX2(k8, src, ld, panel)
		case 16:
			packCols16AVX2(k8, src, ld, panel)
		case 32:
			packCols32AVX2(k8, src, ld, panel)
		default:
			k8 = 0
		}
		src, panel = src[k8:], panel[k8*nr:]
		k -= k8
	}
	packColsGeneric(k, w, nr, src, ld, panel)
}

// packRows6AVX2 is
//
//	for l := 0; l < k; l++ {
//		copy(panel[l*6:l*6+6], src[l*ld:l*ld+6])
//	}
//
// for k > 0. The caller checks that src holds the k×6 block and that
// len(panel) >= k·6.
//
// Reference: packRowsGeneric. Requires: AVX2.
//
//go:noescape
func packRows6AVX2(k int, src []float32, ld int, panel []float32)

// packRows12AVX2 is
//
//	for l := 0; l < k; l++ {
//		copy(panel[l*12:l*12+12], src[l*ld:l*ld+12])
//	}
//
// for k > 0. The caller checks that src holds the k×12 block and that
// len(panel) >= k·12.
//
// Reference: packRowsGeneric. Requires: AVX2.
//
//go:noescape
func packRows12AVX2(k int, src []float32, ld int, panel []float32)

// packRows16AVX2 is
//
//	for l := 0; l < k; l++ {
//		copy(panel[l*16:l*16+16], src[l*ld:l*ld+16])
//	}
//
// for k > 0. The caller checks that src holds the k×16 block and that
// len(panel) >= k·16.
//
// Reference: packRowsGeneric. Requires: AVX2.
//
//go:noescape
func packRows16AVX2(k int, src []float32, ld int, panel []float32)

// packRows32AVX2 is
//
//	for l := 0; l < k; l++ {
//		copy(panel[l*32:l*32+32], src[l*ld:l*ld+32])
//	}
//
// for k > 0. The caller checks that src holds the k×32 block and that
// len(panel) >= k·32.
//
// Reference: packRowsGeneric. Requires: AVX2.
//
//go:noescape
func packRows32AVX2(k int, src []float32, ld int, panel []float32)

// packCols6AVX2 is
//
//	for l := 0; l < k&^7; l++ {
//		for j := 0; j < 6; j++ {
//			panel[l*6+j] = src[j*ld+l]
//		}
//	}
//
// eight columns of src at a time. The caller checks that src holds the
// 6×k block and that len(panel) >= k·6.
//
// Reference: packColsGeneric. Requires: AVX2.
//
//go:noescape
func packCols6AVX2(k int, src []float32, ld int, panel []float32)

// packCols12AVX2 is
//
//	for l := 0; l < k&^7; l++ {
//		for j := 0; j < 12; j++ {
//			panel[l*12+j] = src[j*ld+l]
//		}
//	}
//
// eight columns of src at a time. The caller checks that src holds the
// 12×k block and that len(panel) >= k·12.
//
// Reference: packColsGeneric. Requires: AVX2.
//
//go:noescape
func packCols12AVX2(k int, src []float32, ld int, panel []float32)

// packCols16AVX2 is
//
//	for l := 0; l < k&^7; l++ {
//		for j := 0; j < 16; j++ {
//			panel[l*16+j] = src[j*ld+l]
//		}
//	}
//
// eight columns of src at a time. The caller checks that src holds the
// 16×k block and that len(panel) >= k·16.
//
// Reference: packColsGeneric. Requires: AVX2.
//
//go:noescape
func packCols16AVX2(k int, src []float32, ld int, panel []float32)

// packCols32AVX2 is
//
//	for l := 0; l < k&^7; l++ {
//		for j := 0; j < 32; j++ {
//			panel[l*32+j] = src[j*ld+l]
//		}
//	}
//
// eight columns of src at a time. The caller checks that src holds the
// 32×k block and that len(panel) >= k·32.
//
// Reference: packColsGeneric. Requires: AVX2.
//
//go:noescape
func packCols32AVX2(k int, src []float32, ld int, panel []float32)
