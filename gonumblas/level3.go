package gonumblas

import "gonum.org/v1/gonum/blas"

// Block sizes of the Level 3 algorithms. A triangular or symmetric
// operand is halved, recursively, at a multiple of split, until a diagonal
// block has at most base3 rows; everything off the diagonal goes to gemm,
// so the share of the work left to the diagonal blocks is about base3/n.
// symm expands diagonal blocks of symmBlock into full ones for gemm.
const (
	base3     = 16
	split     = 16
	symmBlock = 128
)

// half is where an n×n triangle (n > base3) is cut: about n/2, a multiple
// of split, and less than n.
func half(n int) int { return (n/2 + split - 1) / split * split }

// sub is the r×c block of the row-major matrix a (leading dimension ld)
// whose top-left element is (i, j), cut to its exact extent so that blocks
// of one matrix that do not share elements do not share the slice either.
// r and c are at least 1 and the block lies inside a checked matrix.
func sub[T float](a []T, ld, i, j, r, c int) []T {
	return a[i*ld+j : (i+r-1)*ld+j+c]
}

// scaleMat sets the r×c matrix c to beta·c (to zero when beta is zero, NaN
// or not); the whole rows when lower and upper are both set, else only the
// triangle they name, diagonal included.
func scaleMat[T float](r, n int, beta T, c []T, ldc int, lower, upper bool) {
	if beta == 1 {
		return
	}
	for i := range r {
		lo, hi := 0, n
		if !lower {
			lo = i
		}
		if !upper {
			hi = i + 1
		}
		row := c[i*ldc+lo : i*ldc+hi]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

func gemm[T float](k *kernels[T], tA, tB blas.Transpose, m, n, kk int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	checkTrans(tA)
	checkTrans(tB)
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	if kk < 0 {
		panic(kLT0)
	}
	aT, bT := trans(tA), trans(tB)
	ar, ac := m, kk
	if aT {
		ar, ac = kk, m
	}
	br, bc := kk, n
	if bT {
		br, bc = n, kk
	}
	if lda < max(1, ac) {
		panic(badLdA)
	}
	if ldb < max(1, bc) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return
	}
	if shortMat(len(a), ar, ac, lda) {
		panic(shortA)
	}
	if shortMat(len(b), br, bc, ldb) {
		panic(shortB)
	}
	if shortMat(len(c), m, n, ldc) {
		panic(shortC)
	}
	if alpha == 0 || kk == 0 {
		scaleMat(m, n, beta, c, ldc, true, true)
		return
	}
	k.gemm(aT, bT, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc)
}

// symk holds one syrk or syr2k: C = alpha·P·Qᵀ (+ alpha·Q·Pᵀ) + beta·C on
// the triangle of C, where P = op(A) and Q = op(B) are n×k.
type symk[T float] struct {
	k       *kernels[T]
	lower   bool
	tA      bool // op(X) = Xᵀ
	two     bool // syr2k
	kk      int
	alpha   T
	a, b    []T
	lda     int
	ldb     int
	beta    T
	c       []T
	ldc     int
	scratch []T
}

// rows is op(X)[i : i+r, :], as a slice for gemm's operand in the
// transpose s.tA.
func (s *symk[T]) rows(x []T, ld, i, r int) []T {
	if s.tA {
		return sub(x, ld, 0, i, s.kk, r)
	}
	return sub(x, ld, i, 0, r, s.kk)
}

// block sets C[i:i+r, j:j+c] = alpha·P_i·Q_jᵀ (+ alpha·Q_i·P_jᵀ) + beta·C,
// into c (leading dimension ldc) and with beta given.
func (s *symk[T]) block(i, j, r, c int, beta T, out []T, ldc int) {
	s.k.gemm(s.tA, !s.tA, r, c, s.kk, s.alpha, s.rows(s.a, s.lda, i, r), s.lda, s.rows(s.b, s.ldb, j, c), s.ldb, beta, out, ldc)
	if s.two {
		s.k.gemm(s.tA, !s.tA, r, c, s.kk, s.alpha, s.rows(s.b, s.ldb, i, r), s.ldb, s.rows(s.a, s.lda, j, c), s.lda, 1, out, ldc)
	}
}

// run does the triangle of C[i0:i0+n, i0:i0+n].
func (s *symk[T]) run(i0, n int) {
	if n <= base3 {
		// The whole diagonal block by gemm into scratch, then its
		// triangle into C.
		s.block(i0, i0, n, n, 0, s.scratch, n)
		for i := range n {
			lo, hi := i, n
			if s.lower {
				lo, hi = 0, i+1
			}
			row := s.c[(i0+i)*s.ldc+i0 : (i0+i)*s.ldc+i0+n]
			for j := lo; j < hi; j++ {
				if s.beta == 0 {
					row[j] = s.scratch[i*n+j]
				} else {
					row[j] = s.scratch[i*n+j] + s.beta*row[j]
				}
			}
		}
		return
	}
	h := half(n)
	s.run(i0, h)
	if s.lower {
		s.block(i0+h, i0, n-h, h, s.beta, sub(s.c, s.ldc, i0+h, i0, n-h, h), s.ldc)
	} else {
		s.block(i0, i0+h, h, n-h, s.beta, sub(s.c, s.ldc, i0, i0+h, h, n-h), s.ldc)
	}
	s.run(i0+h, n-h)
}

func syrk[T float](k *kernels[T], ul blas.Uplo, tA blas.Transpose, n, kk int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, two bool) {
	checkUplo(ul)
	checkTrans(tA)
	if n < 0 {
		panic(nLT0)
	}
	if kk < 0 {
		panic(kLT0)
	}
	row, col := kk, n
	if tA == blas.NoTrans {
		row, col = n, kk
	}
	if lda < max(1, col) {
		panic(badLdA)
	}
	if two && ldb < max(1, col) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if n == 0 {
		return
	}
	if shortMat(len(a), row, col, lda) {
		panic(shortA)
	}
	if two && shortMat(len(b), row, col, ldb) {
		panic(shortB)
	}
	if shortMat(len(c), n, n, ldc) {
		panic(shortC)
	}
	lower := ul == blas.Lower
	if alpha == 0 || kk == 0 {
		scaleMat(n, n, beta, c, ldc, lower, !lower)
		return
	}
	if !two {
		b, ldb = a, lda
	}
	s := symk[T]{k: k, lower: lower, tA: trans(tA), two: two, kk: kk, alpha: alpha,
		a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc,
		scratch: make([]T, min(n, base3)*min(n, base3))}
	s.run(0, n)
}

// symBlock is A[i:i+r, j:j+c] of the symmetric matrix stored in the ul
// triangle of a, for ranges that do not meet the diagonal: the stored block
// itself, or the block on the other side and true when it is the
// transpose.
func symBlock[T float](a []T, lda int, lower bool, i, j, r, c int) ([]T, bool) {
	if (i > j) == lower {
		return sub(a, lda, i, j, r, c), false
	}
	return sub(a, lda, j, i, c, r), true
}

// expandSym writes the n×n symmetric diagonal block of a at (i, i), stored
// in one triangle, into full (leading dimension n) as a full matrix.
func expandSym[T float](a []T, lda int, lower bool, i, n int, full []T) {
	for r := range n {
		for c := range n {
			if (c <= r) == lower || r == c {
				full[r*n+c] = a[(i+r)*lda+i+c]
			} else {
				full[r*n+c] = a[(i+c)*lda+i+r]
			}
		}
	}
}

func symm[T float](k *kernels[T], side blas.Side, ul blas.Uplo, m, n int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if side != blas.Right && side != blas.Left {
		panic(badSide)
	}
	checkUplo(ul)
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	na := n
	if side == blas.Left {
		na = m
	}
	if lda < max(1, na) {
		panic(badLdA)
	}
	if ldb < max(1, n) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return
	}
	if shortMat(len(a), na, na, lda) {
		panic(shortA)
	}
	if shortMat(len(b), m, n, ldb) {
		panic(shortB)
	}
	if shortMat(len(c), m, n, ldc) {
		panic(shortC)
	}
	if alpha == 0 {
		scaleMat(m, n, beta, c, ldc, true, true)
		return
	}
	lower := ul == blas.Lower
	nb := min(na, symmBlock)
	full := make([]T, nb*nb)
	for i := 0; i < na; i += nb {
		ib := min(nb, na-i)
		expandSym(a, lda, lower, i, ib, full)
		if side == blas.Left {
			// C_i = alpha·(A[i, :i]·B[:i] + A_ii·B_i + A[i, i+ib:]·B[i+ib:]) + beta·C_i
			ci := sub(c, ldc, i, 0, ib, n)
			k.gemm(false, false, ib, n, ib, alpha, full, ib, sub(b, ldb, i, 0, ib, n), ldb, beta, ci, ldc)
			if i > 0 {
				s, t := symBlock(a, lda, lower, i, 0, ib, i)
				k.gemm(t, false, ib, n, i, alpha, s, lda, sub(b, ldb, 0, 0, i, n), ldb, 1, ci, ldc)
			}
			if j := i + ib; j < na {
				s, t := symBlock(a, lda, lower, i, j, ib, na-j)
				k.gemm(t, false, ib, n, na-j, alpha, s, lda, sub(b, ldb, j, 0, na-j, n), ldb, 1, ci, ldc)
			}
			continue
		}
		// C[:, i] = alpha·(B[:, :i]·A[:i, i] + B_i·A_ii + B[:, i+ib:]·A[i+ib:, i]) + beta·C[:, i]
		ci := sub(c, ldc, 0, i, m, ib)
		k.gemm(false, false, m, ib, ib, alpha, sub(b, ldb, 0, i, m, ib), ldb, full, ib, beta, ci, ldc)
		if i > 0 {
			s, t := symBlock(a, lda, lower, 0, i, i, ib)
			k.gemm(false, t, m, ib, i, alpha, sub(b, ldb, 0, 0, m, i), ldb, s, lda, 1, ci, ldc)
		}
		if j := i + ib; j < na {
			s, t := symBlock(a, lda, lower, j, i, na-j, ib)
			k.gemm(false, t, m, ib, na-j, alpha, sub(b, ldb, 0, j, m, na-j), ldb, s, lda, 1, ci, ldc)
		}
	}
}

// tri holds one trmm or trsm: B = alpha·op(A)·B, B = alpha·B·op(A), or the
// solves op(A)·X = alpha·B, X·op(A) = alpha·B, with B m×n.
type tri[T float] struct {
	k     *kernels[T]
	side  blas.Side
	ul    blas.Uplo
	tA    blas.Transpose
	diag  blas.Diag
	lower bool // op(A) is lower triangular
	m, n  int
	a     []T
	lda   int
	b     []T
	ldb   int
}

// op is op(A)[i:i+r, j:j+c], a block off the diagonal, as gemm's operand
// and its transpose.
func (t *tri[T]) op(i, j, r, c int) ([]T, bool) {
	if t.tA == blas.NoTrans {
		return sub(t.a, t.lda, i, j, r, c), false
	}
	return sub(t.a, t.lda, j, i, c, r), true
}

// rows is B[i:i+r, :]; cols is B[:, j:j+c].
func (t *tri[T]) rows(i, r int) []T { return sub(t.b, t.ldb, i, 0, r, t.n) }
func (t *tri[T]) cols(j, c int) []T { return sub(t.b, t.ldb, 0, j, t.m, c) }

// base runs gonum's routine on the diagonal block of A at (i, i), of size
// r, and the rows (Left) or columns (Right) of B it acts on.
func (t *tri[T]) base(solve bool, i, r int, alpha T) {
	f := t.k.trmm
	if solve {
		f = t.k.trsm
	}
	if t.side == blas.Left {
		f(t.side, t.ul, t.tA, t.diag, r, t.n, alpha, sub(t.a, t.lda, i, i, r, r), t.lda, t.rows(i, r), t.ldb)
	} else {
		f(t.side, t.ul, t.tA, t.diag, t.m, r, alpha, sub(t.a, t.lda, i, i, r, r), t.lda, t.cols(i, r), t.ldb)
	}
}

// trmm does the part of B that op(A)[i:i+r, i:i+r] acts on.
func (t *tri[T]) trmm(i, r int, alpha T) {
	if r <= base3 {
		t.base(false, i, r, alpha)
		return
	}
	h := half(r)
	i1, r1 := i+h, r-h // the second half
	k := t.k
	switch {
	case t.side == blas.Left && t.lower: // B2 = alpha·(L21·B1 + L22·B2), B1 = alpha·L11·B1
		t.trmm(i1, r1, alpha)
		s, tr := t.op(i1, i, r1, h)
		k.gemm(tr, false, r1, t.n, h, alpha, s, t.lda, t.rows(i, h), t.ldb, 1, t.rows(i1, r1), t.ldb)
		t.trmm(i, h, alpha)
	case t.side == blas.Left: // B1 = alpha·(U11·B1 + U12·B2), B2 = alpha·U22·B2
		t.trmm(i, h, alpha)
		s, tr := t.op(i, i1, h, r1)
		k.gemm(tr, false, h, t.n, r1, alpha, s, t.lda, t.rows(i1, r1), t.ldb, 1, t.rows(i, h), t.ldb)
		t.trmm(i1, r1, alpha)
	case t.lower: // B1 = alpha·(B1·L11 + B2·L21), B2 = alpha·B2·L22
		t.trmm(i, h, alpha)
		s, tr := t.op(i1, i, r1, h)
		k.gemm(false, tr, t.m, h, r1, alpha, t.cols(i1, r1), t.ldb, s, t.lda, 1, t.cols(i, h), t.ldb)
		t.trmm(i1, r1, alpha)
	default: // B2 = alpha·(B1·U12 + B2·U22), B1 = alpha·B1·U11
		t.trmm(i1, r1, alpha)
		s, tr := t.op(i, i1, h, r1)
		k.gemm(false, tr, t.m, r1, h, alpha, t.cols(i, h), t.ldb, s, t.lda, 1, t.cols(i1, r1), t.ldb)
		t.trmm(i, h, alpha)
	}
}

// trsm solves for the part of B that op(A)[i:i+r, i:i+r] acts on.
func (t *tri[T]) trsm(i, r int, alpha T) {
	if r <= base3 {
		t.base(true, i, r, alpha)
		return
	}
	h := half(r)
	i1, r1 := i+h, r-h
	k := t.k
	switch {
	case t.side == blas.Left && t.lower: // X1 = L11⁻¹·alpha·B1, then L22·X2 = alpha·B2 − L21·X1
		t.trsm(i, h, alpha)
		s, tr := t.op(i1, i, r1, h)
		k.gemm(tr, false, r1, t.n, h, -1, s, t.lda, t.rows(i, h), t.ldb, alpha, t.rows(i1, r1), t.ldb)
		t.trsm(i1, r1, 1)
	case t.side == blas.Left: // X2 = U22⁻¹·alpha·B2, then U11·X1 = alpha·B1 − U12·X2
		t.trsm(i1, r1, alpha)
		s, tr := t.op(i, i1, h, r1)
		k.gemm(tr, false, h, t.n, r1, -1, s, t.lda, t.rows(i1, r1), t.ldb, alpha, t.rows(i, h), t.ldb)
		t.trsm(i, h, 1)
	case t.lower: // X2 = alpha·B2·L22⁻¹, then X1·L11 = alpha·B1 − X2·L21
		t.trsm(i1, r1, alpha)
		s, tr := t.op(i1, i, r1, h)
		k.gemm(false, tr, t.m, h, r1, -1, t.cols(i1, r1), t.ldb, s, t.lda, alpha, t.cols(i, h), t.ldb)
		t.trsm(i, h, 1)
	default: // X1 = alpha·B1·U11⁻¹, then X2·U22 = alpha·B2 − X1·U12
		t.trsm(i, h, alpha)
		s, tr := t.op(i, i1, h, r1)
		k.gemm(false, tr, t.m, r1, h, -1, t.cols(i, h), t.ldb, s, t.lda, alpha, t.cols(i1, r1), t.ldb)
		t.trsm(i1, r1, 1)
	}
}

func trxm[T float](k *kernels[T], solve bool, s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha T, a []T, lda int, b []T, ldb int) {
	checkSide(s)
	checkUplo(ul)
	checkTrans(tA)
	checkDiag(d)
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	na := n
	if s == blas.Left {
		na = m
	}
	if lda < max(1, na) {
		panic(badLdA)
	}
	if ldb < max(1, n) {
		panic(badLdB)
	}
	if m == 0 || n == 0 {
		return
	}
	if shortMat(len(a), na, na, lda) {
		panic(shortA)
	}
	if shortMat(len(b), m, n, ldb) {
		panic(shortB)
	}
	if alpha == 0 {
		scaleMat(m, n, 0, b, ldb, true, true)
		return
	}
	t := tri[T]{k: k, side: s, ul: ul, tA: tA, diag: d,
		lower: (ul == blas.Lower) == (tA == blas.NoTrans),
		m:     m, n: n, a: a, lda: lda, b: b, ldb: ldb}
	if solve {
		t.trsm(0, na, alpha)
	} else {
		t.trmm(0, na, alpha)
	}
}

// Dgemm computes C = alpha·op(A)·op(B) + beta·C on pente's dgemm.
func (Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(f64, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C on pente's sgemm.
func (Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(f32, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dsyrk computes the ul triangle of C = alpha·A·Aᵀ + beta·C (tA NoTrans,
// A n×k) or C = alpha·Aᵀ·A + beta·C (A k×n), by gemm.
func (Implementation) Dsyrk(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float64, a []float64, lda int, beta float64, c []float64, ldc int) {
	syrk(f64, ul, tA, n, k, alpha, a, lda, nil, 0, beta, c, ldc, false)
}

// Ssyrk is Dsyrk in float32.
func (Implementation) Ssyrk(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float32, a []float32, lda int, beta float32, c []float32, ldc int) {
	syrk(f32, ul, tA, n, k, alpha, a, lda, nil, 0, beta, c, ldc, false)
}

// Dsyr2k computes the ul triangle of C = alpha·A·Bᵀ + alpha·B·Aᵀ + beta·C
// (tA NoTrans) or C = alpha·Aᵀ·B + alpha·Bᵀ·A + beta·C, by gemm.
func (Implementation) Dsyr2k(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	syrk(f64, ul, tA, n, k, alpha, a, lda, b, ldb, beta, c, ldc, true)
}

// Ssyr2k is Dsyr2k in float32.
func (Implementation) Ssyr2k(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	syrk(f32, ul, tA, n, k, alpha, a, lda, b, ldb, beta, c, ldc, true)
}

// Dsymm computes C = alpha·A·B + beta·C (Left) or C = alpha·B·A + beta·C
// (Right), A symmetric and stored in its ul triangle, by gemm.
func (Implementation) Dsymm(s blas.Side, ul blas.Uplo, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	symm(f64, s, ul, m, n, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Ssymm is Dsymm in float32.
func (Implementation) Ssymm(s blas.Side, ul blas.Uplo, m, n int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	symm(f32, s, ul, m, n, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dtrmm computes B = alpha·op(A)·B (Left) or B = alpha·B·op(A) (Right), A
// triangular; the blocks off the diagonal by gemm.
func (Implementation) Dtrmm(s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int) {
	trxm(f64, false, s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
}

// Strmm is Dtrmm in float32.
func (Implementation) Strmm(s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha float32, a []float32, lda int, b []float32, ldb int) {
	trxm(f32, false, s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
}

// Dtrsm solves op(A)·X = alpha·B (Left) or X·op(A) = alpha·B (Right) for
// X, which overwrites B, A triangular; the updates off the diagonal by
// gemm.
func (Implementation) Dtrsm(s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int) {
	trxm(f64, true, s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
}

// Strsm is Dtrsm in float32.
func (Implementation) Strsm(s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha float32, a []float32, lda int, b []float32, ldb int) {
	trxm(f32, true, s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
}
