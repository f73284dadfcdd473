package mat

import "github.com/pente-go/pente/mat/asm"

// packA copies the mc×kc block of op(A) starting at (i0, p0) into dst as
// MR-row micro-panels: panel r holds rows r·MR..r·MR+MR-1 column by column,
// dst[r·MR·kc + l·MR + i] = op(A)(i0 + r·MR + i, p0 + l). Rows past mc are
// zero, so the micro-kernel can always compute whole tiles.
//
// Read column by column, an MR-row panel of op(A) is an MR-column panel of
// op(A)ᵀ read row by row, so packA is packB of the transpose.
func packA[T elem](k kern[T], bl asm.Blocks, tA Transpose, a *strided[T], i0, p0, mc, kc int, dst []T) {
	packPanels(k, bl.MR, 1-tA, a, p0, i0, kc, mc, dst) // 1-tA: the other Transpose
}

// packB copies the kc×nc block of op(B) starting at (p0, j0) into dst as
// NR-column micro-panels: panel s holds columns s·NR..s·NR+NR-1 row by row,
// dst[s·NR·kc + l·NR + j] = op(B)(p0 + l, j0 + s·NR + j). Columns past nc
// are zero.
func packB[T elem](k kern[T], bl asm.Blocks, tB Transpose, b *strided[T], p0, j0, kc, nc int, dst []T) {
	packPanels(k, bl.NR, tB, b, p0, j0, kc, nc, dst)
}

// packPanels is packB with micro-panels nr columns wide, packed by k's
// packers: PackRowsPanels when op(B) = B, PackCols, a transpose, panel by
// panel, when op(B) = Bᵀ.
// Only the last panel of a block can be narrower than nr.
func packPanels[T elem](k kern[T], nr int, tB Transpose, b *strided[T], p0, j0, kc, nc int, dst []T) {
	ldb := b.stride
	if tB == NoTrans {
		// op(B)(l, j) = B(l, j): each row of a panel is a contiguous
		// piece of a row of B, and the rows of the block are whole
		// rows of the panels side by side.
		k.PackRowsPanels(kc, nc, nr, b.data[p0*ldb+j0:], ldb, dst[:(nc+nr-1)/nr*nr*kc])
		return
	}
	for s := 0; s < nc; s += nr {
		// op(B)(l, j) = B(j, l): each column of the panel is a
		// contiguous piece of a row of B.
		k.PackCols(kc, min(nr, nc-s), nr, b.data[(j0+s)*ldb+p0:], ldb, dst[s*kc:s*kc+kc*nr])
	}
}
