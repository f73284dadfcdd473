package asm

// The float64 kernels. They sit on the same Kernels value as the float32
// ones, as methods of the same names with a D prefix (BLAS's d), and
// DBlocks gives the block sizes of the float64 micro-kernel, which has a
// tile of its own (half as many columns per vector register). Their
// specifications are those of the float32 methods with float64 elements;
// each is spelt out again below, and the pure-Go references are in
// generic64.go. Panics name the kernel with its D: "asm: dgemm: ...".

// DBlocks returns (a copy of) the gemm block sizes that belong to the
// float64 micro-kernel DGemm.
func (k Kernels) DBlocks() Blocks { return k.dblocks }

// DAxpy is
//
//	for i := range y {
//		y[i] += alpha * x[i]
//	}
//
// It panics if len(x) != len(y).
func (k Kernels) DAxpy(alpha float64, x, y []float64) {
	if len(x) != len(y) {
		failVec("daxpy", x, y)
	}
	raceRead(x, len(x))
	raceWrite(y, len(y))
	k.dimpl.axpy(alpha, x, y)
}

// DDot is
//
//	for i := range x {
//		sum += x[i] * y[i]
//	}
//	return sum
//
// It panics if len(x) != len(y). The order of the additions is the
// implementation's.
func (k Kernels) DDot(x, y []float64) float64 {
	if len(x) != len(y) {
		failVec("ddot", x, y)
	}
	raceRead(x, len(x))
	raceRead(y, len(y))
	return k.dimpl.dot(x, y)
}

// DScal is
//
//	for i := range x {
//		x[i] *= alpha
//	}
//
// It never panics: it reads and writes x[0:len(x)], so every x will do.
func (k Kernels) DScal(alpha float64, x []float64) {
	raceWrite(x, len(x))
	k.dimpl.scal(alpha, x)
}

// DGemvN is y += alpha·A·x for the m×n matrix A with leading dimension lda:
//
//	for i := 0; i < m; i++ {
//		var sum float64
//		for j := 0; j < n; j++ {
//			sum += a[i*lda+j] * x[j]
//		}
//		y[i] += alpha * sum
//	}
//
// It panics unless len(x) == n, len(y) == m, max(n, 1) <= lda <= 2^48 and
// a holds A: m or n is 0, or (m-1)·lda + n <= len(a). The order of the
// additions is the implementation's.
func (k Kernels) DGemvN(m, n int, alpha float64, a []float64, lda int, x, y []float64) {
	if !inMat(m, n, lda, len(a)) || len(x) != n || len(y) != m {
		failGemv("dgemvN", m, n, a, lda, x, y, n, m)
	}
	raceMat(m, n, a, lda, false)
	raceRead(x, len(x))
	raceWrite(y, len(y))
	k.dimpl.gemvN(m, n, alpha, a, lda, x, y)
}

// DGemvT is y += alpha·Aᵀ·x for the m×n matrix A with leading dimension lda:
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
func (k Kernels) DGemvT(m, n int, alpha float64, a []float64, lda int, x, y []float64) {
	if !inMat(m, n, lda, len(a)) || len(x) != m || len(y) != n {
		failGemv("dgemvT", m, n, a, lda, x, y, m, n)
	}
	raceMat(m, n, a, lda, false)
	raceRead(x, len(x))
	raceWrite(y, len(y))
	k.dimpl.gemvT(m, n, alpha, a, lda, x, y)
}

// DGer is the rank-1 update A += alpha·x·yᵀ of the m×n matrix A with
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
func (k Kernels) DGer(m, n int, alpha float64, x, y, a []float64, lda int) {
	if !inMat(m, n, lda, len(a)) || len(x) != m || len(y) != n {
		failGer("dger", m, n, x, y, a, lda)
	}
	raceRead(x, len(x))
	raceRead(y, len(y))
	raceMat(m, n, a, lda, true)
	k.dimpl.ger(m, n, alpha, x, y, a, lda)
}

// DGemm is the float64 micro-kernel: C = alpha·A·B + beta·C for one MR×NR
// tile of C (MR and NR of DBlocks) with leading dimension ldc, where A is
// an MR×k micro-panel packed column by column (a[l*MR+i] is A(i, l)) and B
// is a k×NR micro-panel packed row by row (b[l*NR+j] is B(l, j)):
//
//	for i := 0; i < MR; i++ {
//		for j := 0; j < NR; j++ {
//			var sum float64
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
func (k Kernels) DGemm(kk int, alpha float64, a, b []float64, beta float64, c []float64, ldc int) {
	mr, nr := k.dblocks.MR, k.dblocks.NR
	if !inPanel(kk, mr, len(a)) || !inPanel(kk, nr, len(b)) || !inMat(mr, nr, ldc, len(c)) {
		failGemm("dgemm", mr, nr, kk, a, b, c, ldc)
	}
	raceRead(a, kk*mr)
	raceRead(b, kk*nr)
	raceMat(mr, nr, c, ldc, true)
	k.dimpl.gemm(kk, alpha, a, b, beta, c, ldc)
}

// DPackRows copies the k×w block at the start of src, a matrix with
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
// It is how the gemm driver packs a micro-panel of B (nr = NR of DBlocks)
// and one of a transposed A (nr = MR). It writes panel[0:k·nr] and nothing
// else; panel must not overlap src. It panics unless k >= 0,
// 0 <= w <= nr, max(w, 1) <= ld <= 2^48, src holds the k×w block (k or w
// is 0, or (k-1)·ld + w <= len(src)) and len(panel) >= k·nr.
func (k Kernels) DPackRows(kk, w, nr int, src []float64, ld int, panel []float64) {
	if kk < 0 || w < 0 || w > nr || !inMat(kk, w, ld, len(src)) || !inPanel(kk, nr, len(panel)) {
		failPack("dpackRows", kk, w, nr, kk, w, src, ld, panel)
	}
	raceMat(kk, w, src, ld, false)
	raceWrite(panel, kk*nr)
	k.dimpl.packRows(kk, w, nr, src, ld, panel)
}

// DPackRowsPanels is DPackRows for every micro-panel of a k×w block: it
// copies the block at the start of src, a matrix with leading dimension
// ld, into ⌈w/nr⌉ panels of k×nr, panel p (columns p·nr.. of the block)
// at panel[p·k·nr:], the last one padded with zeros:
//
//	for p := 0; p*nr < w; p++ {
//		DPackRows(k, min(nr, w-p*nr), nr, src[p*nr:], ld, panel[p*k*nr:])
//	}
//
// It is how the gemm driver packs a block of B (nr = NR of DBlocks) and
// one of a transposed A (nr = MR): an implementation may copy several
// panels per pass over the rows of src. It writes panel[0:⌈w/nr⌉·k·nr]
// and nothing else; panel must not overlap src. It panics unless k >= 0,
// w >= 0, 1 <= nr <= 2^48, max(w, 1) <= ld <= 2^48, src holds the k×w
// block and len(panel) >= ⌈w/nr⌉·k·nr.
func (k Kernels) DPackRowsPanels(kk, w, nr int, src []float64, ld int, panel []float64) {
	panels := 0
	if nr >= 1 && uint64(nr) <= maxLD && w >= 0 {
		panels = w / nr
		if w%nr != 0 {
			panels++
		}
	}
	if kk < 0 || w < 0 || nr < 1 || uint64(nr) > maxLD || !inMat(kk, w, ld, len(src)) || !inPanel(kk, panels*nr, len(panel)) {
		failPackPanels("dpackRowsPanels", kk, w, nr, src, ld, panel)
	}
	if kk == 0 || w == 0 {
		return
	}
	raceMat(kk, w, src, ld, false)
	raceWrite(panel, kk*panels*nr)
	if f := k.dimpl.packRowsPanels; f != nil {
		f(kk, w, nr, src, ld, panel)
		return
	}
	for s := 0; s < w; s += nr {
		k.dimpl.packRows(kk, min(nr, w-s), nr, src[s:], ld, panel[s*kk:])
	}
}

// DPackCols is DPackRows of the transpose: it copies the w×k block at the
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
// It is how the gemm driver packs a micro-panel of A (nr = MR of DBlocks)
// and one of a transposed B (nr = NR). It writes panel[0:k·nr] and nothing
// else; panel must not overlap src. It panics unless k >= 0,
// 0 <= w <= nr, max(k, 1) <= ld <= 2^48, src holds the w×k block (w or k
// is 0, or (w-1)·ld + k <= len(src)) and len(panel) >= k·nr.
func (k Kernels) DPackCols(kk, w, nr int, src []float64, ld int, panel []float64) {
	if kk < 0 || w < 0 || w > nr || !inMat(w, kk, ld, len(src)) || !inPanel(kk, nr, len(panel)) {
		failPack("dpackCols", kk, w, nr, w, kk, src, ld, panel)
	}
	raceMat(w, kk, src, ld, false)
	raceWrite(panel, kk*nr)
	k.dimpl.packCols(kk, w, nr, src, ld, panel)
}

// unchecked64 is an implementation's float64 kernels as written, trusting
// their arguments: unchecked with float64 elements. Their specifications
// are those of the Kernels methods of the same names with a D prefix.
type unchecked64 struct {
	axpy         func(alpha float64, x, y []float64)
	dot          func(x, y []float64) float64
	scal         func(alpha float64, x []float64)
	gemvN, gemvT func(m, n int, alpha float64, a []float64, lda int, x, y []float64)
	ger          func(m, n int, alpha float64, x, y, a []float64, lda int)
	gemm         func(k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int)
	packRows     func(k, w, nr int, src []float64, ld int, panel []float64)
	packCols     func(k, w, nr int, src []float64, ld int, panel []float64)

	// packRowsPanels, when not nil, is DPackRowsPanels for k ≥ 1 and
	// w ≥ 1; when nil, DPackRowsPanels calls packRows for each panel.
	packRowsPanels func(k, w, nr int, src []float64, ld int, panel []float64)
}
