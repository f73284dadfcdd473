//go:build !purego

package asm

// The float64 kernels of the amd64 sets (the float32 ones are in
// kernels_amd64.go).

// avx2DBlocks are the float64 block sizes of the 6×8 AVX2 micro-kernel,
// BLIS's Haswell/Zen dgemm ones (MC 72, KC 256, NC 4080): an MC×KC block
// of A (144 KiB, as the float32 144×256 one) sits in L2 and a KC×NR
// micro-panel of B (16 KiB) in L1. BenchmarkDGemmBlocks measures them
// against others, those of the cache sizes cpuid reports among them: on
// Zen 3 every MC from 72 to 144 with KC = 256 was alike within the noise,
// and KC = 512, whose micro-panel of B fills L1d, slower.
var avx2DBlocks = Blocks{MR: 6, NR: 8, MC: 72, KC: 256, NC: 4080}

// withAVX2D returns the float64 AVX2+FMA kernels around the micro-kernel
// gemm, as withAVX2 does for float32.
func withAVX2D(gemm func(k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int)) unchecked64 {
	d := genericD
	d.axpy = daxpyAVX2
	d.dot = ddotAVX2
	d.scal = dscalAVX2
	d.gemvN = dgemvNAVX2
	d.gemvT = dgemvTAVX2
	d.ger = dgerAVX2
	d.gemm = gemm
	d.packRows = dpackRowsAVX2
	d.packCols = dpackColsAVX2
	d.packRowsPanels = dpackRowsPanelsAVX2
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

// dgemvNAVX2 is y += alpha·A·x for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		y[i] += alpha * ddot(A[i, :], x)
//	}
//
// four rows at a time. It reads only A[i, 0:n] of each row; the caller
// checks the shapes.
//
// Reference: dgemvNGeneric. Requires: AVX2, FMA.
//
//go:noescape
func dgemvNAVX2(m, n int, alpha float64, a []float64, lda int, x, y []float64)

// dgemvTAVX2 is y += alpha·Aᵀ·x for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		daxpy(alpha*x[i], A[i, :], y)
//	}
//
// four rows at a time, so that y is loaded and stored once per four rows. It
// reads only A[i, 0:n] of each row; the caller checks the shapes.
//
// Reference: dgemvTGeneric. Requires: AVX2, FMA.
//
//go:noescape
func dgemvTAVX2(m, n int, alpha float64, a []float64, lda int, x, y []float64)

// dgerAVX2 is A += alpha·x·yᵀ for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		daxpy(alpha*x[i], y, A[i, :])
//	}
//
// in one call, four rows at a time. It writes only A[i, 0:n] of each row;
// the caller checks the shapes.
//
// Reference: dgerGeneric. Requires: AVX2, FMA.
//
//go:noescape
func dgerAVX2(m, n int, alpha float64, x, y, a []float64, lda int)

// dpackRowsAVX2 is dpackRowsGeneric with the full panels (w == nr) of the
// widths the float64 AVX2 micro-kernel packs, 6 and 8, in assembly: the
// edge panels, one per block of the gemm driver, stay in Go.
func dpackRowsAVX2(k, w, nr int, src []float64, ld int, panel []float64) {
	if w == nr && k > 0 {
		switch nr {
		case 6:
			dpackRows6AVX2(k, src, ld, panel)
			return
		case 8:
			dpackRows8AVX2(k, src, ld, panel)
			return
		}
	}
	dpackRowsGeneric(k, w, nr, src, ld, panel)
}

// dpackColsAVX2 is dpackColsGeneric with the full panels (w == nr) of the
// widths the float64 AVX2 micro-kernel packs, 6 and 8, in assembly, four
// columns of src at a time; the last k%4 columns, and the edge panels,
// stay in Go.
func dpackColsAVX2(k, w, nr int, src []float64, ld int, panel []float64) {
	k4 := k &^ 3
	if w == nr && k4 > 0 {
		switch nr {
		case 6:
			dpackCols6AVX2(k4, src, ld, panel)
		case 8:
			dpackCols8AVX2(k4, src, ld, panel)
		default:
			k4 = 0
		}
		src, panel = src[k4:], panel[k4*nr:]
		k -= k4
	}
	dpackColsGeneric(k, w, nr, src, ld, panel)
}

// dpackRowsPanelsAVX2 is DPackRowsPanels for k, w ≥ 1: four full panels
// at a time of the widths the float64 AVX2 micro-kernel packs, 6 and 8, in
// assembly (one pass over the rows of src for four panels), the rest one
// panel at a time by dpackRowsAVX2.
func dpackRowsPanelsAVX2(k, w, nr int, src []float64, ld int, panel []float64) {
	s := 0
	if nr == 6 || nr == 8 {
		for ; s+4*nr <= w; s += 4 * nr {
			if nr == 6 {
				dpackRows6x4AVX2(k, src[s:], ld, panel[s*k:])
			} else {
				dpackRows8x4AVX2(k, src[s:], ld, panel[s*k:])
			}
		}
	}
	for ; s < w; s += nr {
		dpackRowsAVX2(k, min(nr, w-s), nr, src[s:], ld, panel[s*k:])
	}
}

// dpackRows6x4AVX2 is
//
//	for p := 0; p < 4; p++ {
//		for l := 0; l < k; l++ {
//			copy(panel[p*k*6+l*6:p*k*6+l*6+6], src[l*ld+p*6:l*ld+p*6+6])
//		}
//	}
//
// for k > 0, a row of 24 float64 of src per iteration. The caller checks
// that src holds the k×24 block and that len(panel) >= 4·k·6.
//
// Reference: dpackRowsGeneric, per panel. Requires: AVX2.
//
//go:noescape
func dpackRows6x4AVX2(k int, src []float64, ld int, panel []float64)

// dpackRows8x4AVX2 is dpackRows6x4AVX2 with panels 8 wide: a row of 32
// float64 of src per iteration. The caller checks that src holds the
// k×32 block and that len(panel) >= 4·k·8.
//
// Reference: dpackRowsGeneric, per panel. Requires: AVX2.
//
//go:noescape
func dpackRows8x4AVX2(k int, src []float64, ld int, panel []float64)

// dpackRows6AVX2 is
//
//	for l := 0; l < k; l++ {
//		copy(panel[l*6:l*6+6], src[l*ld:l*ld+6])
//	}
//
// for k > 0. The caller checks that src holds the k×6 block and that
// len(panel) >= k·6.
//
// Reference: dpackRowsGeneric. Requires: AVX2.
//
//go:noescape
func dpackRows6AVX2(k int, src []float64, ld int, panel []float64)

// dpackRows8AVX2 is
//
//	for l := 0; l < k; l++ {
//		copy(panel[l*8:l*8+8], src[l*ld:l*ld+8])
//	}
//
// for k > 0. The caller checks that src holds the k×8 block and that
// len(panel) >= k·8.
//
// Reference: dpackRowsGeneric. Requires: AVX2.
//
//go:noescape
func dpackRows8AVX2(k int, src []float64, ld int, panel []float64)

// dpackCols6AVX2 is
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 6; j++ {
//			panel[l*6+j] = src[j*ld+l]
//		}
//	}
//
// four columns of src at a time. The caller checks that src holds the
// 6×k block and that len(panel) >= k·6.
//
// Reference: dpackColsGeneric. Requires: AVX2.
//
//go:noescape
func dpackCols6AVX2(k int, src []float64, ld int, panel []float64)

// dpackCols8AVX2 is
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 8; j++ {
//			panel[l*8+j] = src[j*ld+l]
//		}
//	}
//
// four columns of src at a time. The caller checks that src holds the
// 8×k block and that len(panel) >= k·8.
//
// Reference: dpackColsGeneric. Requires: AVX2.
//
//go:noescape
func dpackCols8AVX2(k int, src []float64, ld int, panel []float64)

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
