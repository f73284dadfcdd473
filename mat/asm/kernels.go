package asm

import (
	"fmt"
	"os"
)

// Blocks are gemm block sizes, following BLIS: the micro-kernel computes an
// MR×NR tile of C; op(A) is packed in MC×KC blocks of MR-row micro-panels
// (meant to stay in L2) and op(B) in KC×NC blocks of NR-column micro-panels
// (L3), a KC×NR micro-panel of B staying in L1. MC is a multiple of MR and
// NC a multiple of NR.
type Blocks struct {
	MR, NR, MC, KC, NC int
}

// Kernels is one implementation of every kernel, with the gemm block sizes
// that belong to its micro-kernel. It is a value, a handle of a set that
// the package keeps unexported, as an os.File is of a file: its fields are
// unexported and Blocks returns a copy, so no caller can change a kernel or
// a block size that package mat relies on, nor which set Default returns.
// A Kernels is immutable; the zero Kernels panics when used.
//
// Every method checks its arguments before any assembly runs, and panics
// with a message "asm: <kernel>: ..." unless everything the kernel reads
// and writes lies inside its slices (see check.go). Leading dimensions are
// at most 2^48, even for one row, so that the assembly's address arithmetic
// cannot wrap.
//
// All matrices are row-major: element (i, j) of a matrix with leading
// dimension ld is a[i*ld+j].
type Kernels struct {
	*kernelSet
}

// kernelSet is what a Kernels stands for. Default and Lookup return
// copies of the package's handles, so overwriting one changes only the
// caller's copy. A zero Kernels panics (a nil dereference) as soon as it is
// used, rather than report block sizes of 0, on which a gemm driver would
// loop forever, or run a nil kernel.
type kernelSet struct {
	name   string
	blocks Blocks
	impl   unchecked

	dblocks Blocks      // of the float64 micro-kernel (kernels64.go)
	dimpl   unchecked64 // the float64 kernels
}

// Name returns "avx512", "avx2fma", "neon" or "generic".
func (k Kernels) Name() string { return k.name }

// Blocks returns (a copy of) the gemm block sizes that belong to the
// micro-kernel.
func (k Kernels) Blocks() Blocks { return k.blocks }

// Axpy is
//
//	for i := range y {
//		y[i] += alpha * x[i]
//	}
//
// It panics if len(x) != len(y).
func (k Kernels) Axpy(alpha float32, x, y []float32) {
	if len(x) != len(y) {
		failVec("axpy", x, y)
	}
	raceRead(x, len(x))
	raceWrite(y, len(y))
	k.impl.axpy(alpha, x, y)
}

// Dot is
//
//	for i := range x {
//		sum += x[i] * y[i]
//	}
//	return sum
//
// It panics if len(x) != len(y). The order of the additions is the
// implementation's.
func (k Kernels) Dot(x, y []float32) float32 {
	if len(x) != len(y) {
		failVec("dot", x, y)
	}
	raceRead(x, len(x))
	raceRead(y, len(y))
	return k.impl.dot(x, y)
}

// Scal is
//
//	for i := range x {
//		x[i] *= alpha
//	}
//
// It never panics: it reads and writes x[0:len(x)], so every x will do.
func (k Kernels) Scal(alpha float32, x []float32) {
	raceWrite(x, len(x))
	k.impl.scal(alpha, x)
}

// GemvN is y += alpha·A·x for the m×n matrix A with leading dimension lda:
//
//	for i := 0; i < m; i++ {
//		var sum float32
//		for j := 0; j < n; j++ {
//			sum += a[i*lda+j] * x[j]
//		}
//		y[i] += alpha * sum
//	}
//
// It panics unless len(x) == n, len(y) == m, max(n, 1) <= lda <= 2^48 and
// a holds A: m or n is 0, or (m-1)·lda + n <= len(a).
func (k Kernels) GemvN(m, n int, alpha float32, a []float32, lda int, x, y []float32) {
	if !inMat(m, n, lda, len(a)) || len(x) != n || len(y) != m {
		failGemv("gemvN", m, n, a, lda, x, y, n, m)
	}
	raceMat(m, n, a, lda, false)
	raceRead(x, len(x))
	raceWrite(y, len(y))
	k.impl.gemvN(m, n, alpha, a, lda, x, y)
}

// GemvT is y += alpha·Aᵀ·x for the m×n matrix A with leading dimension lda:
//
//	for i := 0; i < m; i++ {
//		for j := 0; j < n; j++ {
//			y[j] += alpha * x[i] * a[i*lda+j]
//		}
//	}
//
// It panics unless len(x) == m, len(y) == n, max(n, 1) <= lda <= 2^48 and
// a holds A: m or n is 0, or (m-1)·lda + n <= len(a). The order of the
// additions is the implementation's.
func (k Kernels) GemvT(m, n int, alpha float32, a []float32, lda int, x, y []float32) {
	if !inMat(m, n, lda, len(a)) || len(x) != m || len(y) != n {
		failGemv("gemvT", m, n, a, lda, x, y, m, n)
	}
	raceMat(m, n, a, lda, false)
	raceRead(x, len(x))
	raceWrite(y, len(y))
	k.impl.gemvT(m, n, alpha, a, lda, x, y)
}

// Ger is the rank-1 update A += alpha·x·yᵀ of the m×n matrix A with
// leading dimension lda:
//
//	for i := 0; i < m; i++ {
//		s := alpha * x[i]
//		for j := 0; j < n; j++ {
//			a[i*lda+j] += s * y[j]
//		}
//	}
//
// It panics unless len(x) == m, len(y) == n, max(n, 1) <= lda <= 2^48 and
// a holds A: m or n is 0, or (m-1)·lda + n <= len(a).
func (k Kernels) Ger(m, n int, alpha float32, x, y, a []float32, lda int) {
	if !inMat(m, n, lda, len(a)) || len(x) != m || len(y) != n {
		failGer("ger", m, n, x, y, a, lda)
	}
	raceRead(x, len(x))
	raceRead(y, len(y))
	raceMat(m, n, a, lda, true)
	k.impl.ger(m, n, alpha, x, y, a, lda)
}

// Gemm is the micro-kernel: C = alpha·A·B + beta·C for one MR×NR tile of
// C with leading dimension ldc, where A is an MR×k micro-panel packed
// column by column (a[l*MR+i] is A(i, l)) and B is a k×NR micro-panel
// packed row by row (b[l*NR+j] is B(l, j)):
//
//	for i := 0; i < MR; i++ {
//		for j := 0; j < NR; j++ {
//			var sum float32
//			for l := 0; l < k; l++ {
//				sum += a[l*MR+i] * b[l*NR+j]
//			}
//			if beta == 0 {
//				c[i*ldc+j] = alpha * sum
//			} else {
//				c[i*ldc+j] = alpha*sum + beta*c[i*ldc+j]
//			}
//		}
//	}
//
// When beta == 0, C is not read, so NaN or Inf already there vanish.
// It panics unless k >= 0, len(a) >= k·MR, len(b) >= k·NR,
// NR <= ldc <= 2^48 and len(c) >= (MR-1)·ldc + NR.
func (k Kernels) Gemm(kk int, alpha float32, a, b []float32, beta float32, c []float32, ldc int) {
	mr, nr := k.blocks.MR, k.blocks.NR
	if !inPanel(kk, mr, len(a)) || !inPanel(kk, nr, len(b)) || !inMat(mr, nr, ldc, len(c)) {
		failGemm("gemm", mr, nr, kk, a, b, c, ldc)
	}
	raceRead(a, kk*mr)
	raceRead(b, kk*nr)
	raceMat(mr, nr, c, ldc, true)
	k.impl.gemm(kk, alpha, a, b, beta, c, ldc)
}

// PackRows copies the k×w block at the start of src, a matrix with
// leading dimension ld, into a k×nr panel row by row, padding each row
// of the panel with zeros:
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
// It is how the gemm driver packs a micro-panel of B (nr = NR) and one of
// a transposed A (nr = MR). It writes panel[0:k·nr] and nothing else;
// panel must not overlap src. It panics unless k >= 0, 0 <= w <= nr,
// max(w, 1) <= ld <= 2^48, src holds the k×w block (k or w is 0, or
// (k-1)·ld + w <= len(src)) and len(panel) >= k·nr.
func (k Kernels) PackRows(kk, w, nr int, src []float32, ld int, panel []float32) {
	if kk < 0 || w < 0 || w > nr || !inMat(kk, w, ld, len(src)) || !inPanel(kk, nr, len(panel)) {
		failPack("packRows", kk, w, nr, kk, w, src, ld, panel)
	}
	raceMat(kk, w, src, ld, false)
	raceWrite(panel, kk*nr)
	k.impl.packRows(kk, w, nr, src, ld, panel)
}

// PackCols is PackRows of the transpose: it copies the w×k block at the
// start of src, a matrix with leading dimension ld, into a k×nr panel,
// column l of the block becoming row l of the panel, padded with zeros:
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
// It is how the gemm driver packs a micro-panel of A (nr = MR) and one of
// a transposed B (nr = NR). It writes panel[0:k·nr] and nothing else;
// panel must not overlap src. It panics unless k >= 0, 0 <= w <= nr,
// max(k, 1) <= ld <= 2^48, src holds the w×k block (w or k is 0, or
// (w-1)·ld + k <= len(src)) and len(panel) >= k·nr.
func (k Kernels) PackCols(kk, w, nr int, src []float32, ld int, panel []float32) {
	if kk < 0 || w < 0 || w > nr || !inMat(w, kk, ld, len(src)) || !inPanel(kk, nr, len(panel)) {
		failPack("packCols", kk, w, nr, w, kk, src, ld, panel)
	}
	raceMat(w, kk, src, ld, false)
	raceWrite(panel, kk*nr)
	k.impl.packCols(kk, w, nr, src, ld, panel)
}

// unchecked is an implementation's kernels as written: assembly, or the
// pure-Go reference, trusting their arguments. Their specifications are
// those of the Kernels methods of the same names.
type unchecked struct {
	axpy         func(alpha float32, x, y []float32)
	dot          func(x, y []float32) float32
	scal         func(alpha float32, x []float32)
	gemvN, gemvT func(m, n int, alpha float32, a []float32, lda int, x, y []float32)
	ger          func(m, n int, alpha float32, x, y, a []float32, lda int)
	gemm         func(k int, alpha float32, a, b []float32, beta float32, c []float32, ldc int)
	packRows     func(k, w, nr int, src []float32, ld int, panel []float32)
	packCols     func(k, w, nr int, src []float32, ld int, panel []float32)
}

// newKernels returns an implementation's kernels, float32 (blocks, impl)
// and float64 (dblocks, dimpl), behind the checks of check.go, so that no
// kernel can be reached with arguments that take it outside its slices.
func newKernels(name string, blocks Blocks, impl unchecked, dblocks Blocks, dimpl unchecked64) Kernels {
	return Kernels{&kernelSet{name: name, blocks: blocks, impl: impl, dblocks: dblocks, dimpl: dimpl}}
}

// all lists the implementations that can run on this machine, fastest
// first; the pure-Go one is always last. archKernels is defined once per
// architecture (kernels_amd64.go, kernels_arm64.go, kernels_other.go) and
// asks the CPU, so all and active are set before any init function runs.
var all = append(archKernels(), generic)

// EnvVar is the environment variable read once, at start-up: set it to the
// name of an available implementation (for example PENTE_KERNELS=generic)
// to use that one instead of the fastest. A name that is unknown, or not
// available on this machine, is not fatal: one line on standard error says
// so and names the available ones, and the fastest is used.
const EnvVar = "PENTE_KERNELS"

// active is the implementation chosen at start-up.
var active = choose(os.Getenv(EnvVar))

func choose(want string) Kernels {
	if want == "" {
		return all[0]
	}
	if k, ok := Lookup(want); ok {
		return k
	}
	fmt.Fprintf(os.Stderr, "pente: %s=%q names no implementation available here (have %v); using %q\n",
		EnvVar, want, Available(), all[0].name)
	return all[0]
}

// Default returns the implementation chosen at start-up: the fastest one
// available, unless PENTE_KERNELS names another.
func Default() Kernels { return active }

// Active returns the name of the default implementation: "avx512",
// "avx2fma", "neon" or "generic".
func Active() string { return active.name }

// Available returns the names of the implementations that can run on this
// machine, fastest first; the last one is always the pure-Go "generic".
func Available() []string {
	names := make([]string, len(all))
	for i, k := range all {
		names[i] = k.name
	}
	return names
}

// Lookup returns the available implementation with the given name and
// true, or the zero Kernels and false if there is none.
func Lookup(name string) (Kernels, bool) {
	for _, k := range all {
		if k.name == name {
			return k, true
		}
	}
	return Kernels{}, false
}
