package mat

import (
	"unsafe"

	"github.com/pente-go/pente/mat/asm"
)

// The driver (plan.go, small.go, packed.go, pack.go, level1.go, level2.go)
// is written once, over the element type: float32, the Dense type's, and
// float64, that of the BLAS entry points Dgemm, Dgemv… (blas.go). Go
// compiles generic code once per GC shape, and float32 and float64 have
// different shapes, so each precision gets its own machine code, with its
// arithmetic inline; what differs between them, the kernels, is reached
// through kern, whose methods call the kernels of T's precision directly.
// The inner loops are in the kernels.

// elem is the element type of the driver.
type elem interface{ float32 | float64 }

// kern is an implementation's kernels for elements of type T: for float32
// the methods of asm.Kernels (Gemm, PackRows…, with the block sizes
// Blocks), for float64 its D methods (DGemm, DPackRows…, DBlocks). Each
// method of kern calls the one of its precision directly: which one is
// decided by the size of T, a constant in each instantiation, so that the
// choice costs nothing at run time and the float32 driver calls its kernels
// exactly as it did before it was generic.
type kern[T elem] struct {
	k asm.Kernels
}

// kernelsOf returns k's kernels for elements of type T.
func kernelsOf[T elem](k asm.Kernels) kern[T] { return kern[T]{k} }

// isFloat32 reports whether T is float32 (else it is float64).
func isFloat32[T elem]() bool {
	var zero T
	return unsafe.Sizeof(zero) == 4
}

// as32 and as64 return s, a []T, as the []float32 or []float64 that T is:
// the same slice header, read as its own type.
func as32[T elem](s []T) []float32 { return *(*[]float32)(unsafe.Pointer(&s)) }
func as64[T elem](s []T) []float64 { return *(*[]float64)(unsafe.Pointer(&s)) }

// blocks returns the block sizes of the T micro-kernel.
func (k kern[T]) blocks() asm.Blocks {
	if isFloat32[T]() {
		return k.k.Blocks()
	}
	return k.k.DBlocks()
}

func (k kern[T]) Axpy(alpha T, x, y []T) {
	if isFloat32[T]() {
		k.k.Axpy(float32(alpha), as32(x), as32(y))
		return
	}
	k.k.DAxpy(float64(alpha), as64(x), as64(y))
}

func (k kern[T]) Dot(x, y []T) T {
	if isFloat32[T]() {
		return T(k.k.Dot(as32(x), as32(y)))
	}
	return T(k.k.DDot(as64(x), as64(y)))
}

func (k kern[T]) Scal(alpha T, x []T) {
	if isFloat32[T]() {
		k.k.Scal(float32(alpha), as32(x))
		return
	}
	k.k.DScal(float64(alpha), as64(x))
}

func (k kern[T]) GemvN(m, n int, alpha T, a []T, lda int, x, y []T) {
	if isFloat32[T]() {
		k.k.GemvN(m, n, float32(alpha), as32(a), lda, as32(x), as32(y))
		return
	}
	k.k.DGemvN(m, n, float64(alpha), as64(a), lda, as64(x), as64(y))
}

func (k kern[T]) GemvT(m, n int, alpha T, a []T, lda int, x, y []T) {
	if isFloat32[T]() {
		k.k.GemvT(m, n, float32(alpha), as32(a), lda, as32(x), as32(y))
		return
	}
	k.k.DGemvT(m, n, float64(alpha), as64(a), lda, as64(x), as64(y))
}

func (k kern[T]) Ger(m, n int, alpha T, x, y, a []T, lda int) {
	if isFloat32[T]() {
		k.k.Ger(m, n, float32(alpha), as32(x), as32(y), as32(a), lda)
		return
	}
	k.k.DGer(m, n, float64(alpha), as64(x), as64(y), as64(a), lda)
}

func (k kern[T]) Gemm(kk int, alpha T, a, b []T, beta T, c []T, ldc int) {
	if isFloat32[T]() {
		k.k.Gemm(kk, float32(alpha), as32(a), as32(b), float32(beta), as32(c), ldc)
		return
	}
	k.k.DGemm(kk, float64(alpha), as64(a), as64(b), float64(beta), as64(c), ldc)
}

func (k kern[T]) PackRows(kk, w, nr int, src []T, ld int, panel []T) {
	if isFloat32[T]() {
		k.k.PackRows(kk, w, nr, as32(src), ld, as32(panel))
		return
	}
	k.k.DPackRows(kk, w, nr, as64(src), ld, as64(panel))
}

// PackRowsPanels packs the kc×w block at the start of src into ⌈w/nr⌉
// panels of kc×nr, panel p at panel[p·kc·nr:], as PackRows does each:
// the float64 kernels may copy several panels per pass over the rows
// (asm.Kernels.DPackRowsPanels); float32 packs panel by panel.
func (k kern[T]) PackRowsPanels(kk, w, nr int, src []T, ld int, panel []T) {
	if isFloat32[T]() {
		for s := 0; s < w; s += nr {
			k.k.PackRows(kk, min(nr, w-s), nr, as32(src[s:]), ld, as32(panel[s*kk:s*kk+kk*nr]))
		}
		return
	}
	k.k.DPackRowsPanels(kk, w, nr, as64(src), ld, as64(panel))
}

func (k kern[T]) PackCols(kk, w, nr int, src []T, ld int, panel []T) {
	if isFloat32[T]() {
		k.k.PackCols(kk, w, nr, as32(src), ld, as32(panel))
		return
	}
	k.k.DPackCols(kk, w, nr, as64(src), ld, as64(panel))
}

// gemvRows and gemvCols are the blocks of rows of GemvN and of columns of
// GemvT, in either precision, that every implementation computes the same
// way wherever they start: a split Gemv cuts at their multiples.
const gemvRows, gemvCols = 4, 32

// strided is a row-major matrix as the driver sees it: element (i, j) is
// data[i*stride+j]. A Dense is one of float32; the BLAS entry points make
// them from their arguments. Its operands are checked before the driver
// sees them: whatever is inside rows and cols lies within data.
type strided[T elem] struct {
	rows, cols, stride int
	data               []T
}

// view returns d as the driver sees it: the same memory, since a Dense and
// a strided[float32] have the same fields in the same order (TestView), so
// that the float32 driver works on the caller's Dense as it did before it
// was generic, with nothing copied.
func (d *Dense) view() *strided[float32] { return (*strided[float32])(unsafe.Pointer(d)) }
