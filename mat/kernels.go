package mat

import "github.com/pente-go/pente/mat/asm"

// The driver (plan.go, small.go, packed.go, pack.go, level1.go, level2.go)
// is written once, over the element type: float32, the Dense type's, and
// float64, that of the BLAS entry points Dgemm, Dgemv… (blas.go). Go
// compiles generic code once per GC shape, and float32 and float64 have
// different shapes, so each precision gets its own machine code, with its
// arithmetic inline; what differs between them, the kernels, is reached
// through a table of functions per precision (kernFuncs), one indirect call
// per kernel call as a method of asm.Kernels would be. The inner loops are
// in the kernels.

// elem is the element type of the driver.
type elem interface{ float32 | float64 }

// kern is an implementation's kernels for elements of type T: for float32
// the methods of asm.Kernels (Gemm, PackRows…), for float64 its float64
// methods (DGemm, DPackRows…), with the block sizes of that precision's
// micro-kernel (Blocks, DBlocks).
type kern[T elem] struct {
	k  asm.Kernels
	f  *kernFuncs[T]
	bl asm.Blocks
}

// kernFuncs is the table of one precision's kernels, as method expressions
// of asm.Kernels, whose checks keep every kernel in bounds.
type kernFuncs[T elem] struct {
	blocks       func(asm.Kernels) asm.Blocks
	axpy         func(k asm.Kernels, alpha T, x, y []T)
	dot          func(k asm.Kernels, x, y []T) T
	scal         func(k asm.Kernels, alpha T, x []T)
	gemvN, gemvT func(k asm.Kernels, m, n int, alpha T, a []T, lda int, x, y []T)
	ger          func(k asm.Kernels, m, n int, alpha T, x, y, a []T, lda int)
	gemm         func(k asm.Kernels, kk int, alpha T, a, b []T, beta T, c []T, ldc int)
	packRows     func(k asm.Kernels, kk, w, nr int, src []T, ld int, panel []T)
	packCols     func(k asm.Kernels, kk, w, nr int, src []T, ld int, panel []T)

	// gemvRows and gemvCols are the blocks of rows of gemvN and of
	// columns of gemvT that every implementation computes the same way
	// wherever they start: a split Gemv cuts at their multiples.
	gemvRows, gemvCols int
}

var funcs32 = kernFuncs[float32]{
	blocks:   asm.Kernels.Blocks,
	axpy:     asm.Kernels.Axpy,
	dot:      asm.Kernels.Dot,
	scal:     asm.Kernels.Scal,
	gemvN:    asm.Kernels.GemvN,
	gemvT:    asm.Kernels.GemvT,
	ger:      asm.Kernels.Ger,
	gemm:     asm.Kernels.Gemm,
	packRows: asm.Kernels.PackRows,
	packCols: asm.Kernels.PackCols,
	gemvRows: 4,
	gemvCols: 32,
}

var funcs64 = kernFuncs[float64]{
	blocks:   asm.Kernels.DBlocks,
	axpy:     asm.Kernels.DAxpy,
	dot:      asm.Kernels.DDot,
	scal:     asm.Kernels.DScal,
	gemvN:    asm.Kernels.DGemvN,
	gemvT:    asm.Kernels.DGemvT,
	ger:      asm.Kernels.DGer,
	gemm:     asm.Kernels.DGemm,
	packRows: asm.Kernels.DPackRows,
	packCols: asm.Kernels.DPackCols,
	gemvRows: 4,
	gemvCols: 32,
}

// funcsOf returns the kernel table of T.
func funcsOf[T elem]() *kernFuncs[T] {
	var f *kernFuncs[T]
	switch p := any(&f).(type) {
	case **kernFuncs[float32]:
		*p = &funcs32
	case **kernFuncs[float64]:
		*p = &funcs64
	}
	return f
}

// kernelsOf returns k's kernels for elements of type T.
func kernelsOf[T elem](k asm.Kernels) kern[T] {
	f := funcsOf[T]()
	return kern[T]{k: k, f: f, bl: f.blocks(k)}
}

func (k kern[T]) Axpy(alpha T, x, y []T) { k.f.axpy(k.k, alpha, x, y) }
func (k kern[T]) Dot(x, y []T) T         { return k.f.dot(k.k, x, y) }
func (k kern[T]) Scal(alpha T, x []T)    { k.f.scal(k.k, alpha, x) }

func (k kern[T]) GemvN(m, n int, alpha T, a []T, lda int, x, y []T) {
	k.f.gemvN(k.k, m, n, alpha, a, lda, x, y)
}

func (k kern[T]) GemvT(m, n int, alpha T, a []T, lda int, x, y []T) {
	k.f.gemvT(k.k, m, n, alpha, a, lda, x, y)
}

func (k kern[T]) Ger(m, n int, alpha T, x, y, a []T, lda int) {
	k.f.ger(k.k, m, n, alpha, x, y, a, lda)
}

func (k kern[T]) Gemm(kk int, alpha T, a, b []T, beta T, c []T, ldc int) {
	k.f.gemm(k.k, kk, alpha, a, b, beta, c, ldc)
}

func (k kern[T]) PackRows(kk, w, nr int, src []T, ld int, panel []T) {
	k.f.packRows(k.k, kk, w, nr, src, ld, panel)
}

func (k kern[T]) PackCols(kk, w, nr int, src []T, ld int, panel []T) {
	k.f.packCols(k.k, kk, w, nr, src, ld, panel)
}

// strided is a row-major matrix as the driver sees it: element (i, j) is
// data[i*stride+j]. A Dense is one of float32; the BLAS entry points make
// them from their arguments. Its operands are checked before the driver
// sees them: whatever is inside rows and cols lies within data.
type strided[T elem] struct {
	rows, cols, stride int
	data               []T
}

// view returns d as the driver sees it.
func (d *Dense) view() strided[float32] {
	return strided[float32]{rows: d.Rows, cols: d.Cols, stride: d.Stride, data: d.Data}
}
