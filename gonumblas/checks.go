package gonumblas

import "gonum.org/v1/gonum/blas"

// The panic messages of gonum's blas/gonum (its errors.go), word for word:
// gonum's testblas suites and gonum's callers expect exactly these.
const (
	zeroIncX = "blas: zero x index increment"
	zeroIncY = "blas: zero y index increment"

	mLT0 = "blas: m < 0"
	nLT0 = "blas: n < 0"
	kLT0 = "blas: k < 0"

	badUplo      = "blas: illegal triangle"
	badTranspose = "blas: illegal transpose"
	badDiag      = "blas: illegal diagonal"
	badSide      = "blas: illegal side"

	badLdA = "blas: bad leading dimension of A"
	badLdB = "blas: bad leading dimension of B"
	badLdC = "blas: bad leading dimension of C"

	shortX = "blas: insufficient length of x"
	shortY = "blas: insufficient length of y"
	shortA = "blas: insufficient length of a"
	shortB = "blas: insufficient length of b"
	shortC = "blas: insufficient length of c"
)

// The checks below are gonum's, in gonum's order, so that a bad call
// panics with the message gonum would give. They differ in one way: the
// lengths are compared in arithmetic that cannot overflow, so that huge
// dimensions are reported as too short instead of wrapping around.

func checkTrans(t blas.Transpose) {
	if t != blas.NoTrans && t != blas.Trans && t != blas.ConjTrans {
		panic(badTranspose)
	}
}

func checkUplo(ul blas.Uplo) {
	if ul != blas.Lower && ul != blas.Upper {
		panic(badUplo)
	}
}

func checkDiag(d blas.Diag) {
	if d != blas.NonUnit && d != blas.Unit {
		panic(badDiag)
	}
}

func checkSide(s blas.Side) {
	if s != blas.Left && s != blas.Right {
		panic(badSide)
	}
}

// shortMat reports whether a slice of length n cannot hold a rows×cols
// row-major matrix with leading dimension ld ≥ 1, which needs
// ld·(rows−1) + cols elements (none when rows is 0), as gonum counts.
func shortMat(n, rows, cols, ld int) bool {
	if rows <= 0 {
		return false
	}
	if cols > n {
		return true
	}
	return rows-1 > (n-cols)/ld
}

// shortVec reports whether a slice of length n cannot hold a vector of
// length l ≥ 1 with increment inc ≠ 0, which needs |inc|·(l−1) + 1
// elements.
func shortVec(n, l, inc int) bool {
	if inc < 0 {
		inc = -inc
		if inc < 0 { // the most negative int
			return l > 1 || n < 1
		}
	}
	if n < 1 {
		return true
	}
	return l-1 > (n-1)/inc
}

// trans maps gonum's transposes onto pente's; for real matrices ConjTrans
// is Trans. The argument has been checked.
func trans(t blas.Transpose) bool { return t != blas.NoTrans }
