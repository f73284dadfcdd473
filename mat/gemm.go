package mat

import (
	"fmt"

	"github.com/pente-go/pente/mat/asm"
)

// Gemm computes C = alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ as
// tA and tB say. op(A) is m×k, op(B) k×n and C m×n. When beta is zero C is
// not read; when alpha is zero, or k is zero, A and B are not read. Gemm
// panics, before computing anything, if the shapes do not agree.
func Gemm(tA, tB Transpose, alpha float32, a, b *Dense, beta float32, c *Dense) {
	gemm(asm.Default(), tA, tB, alpha, a, b, beta, c)
}

func gemm(k *asm.Kernels, tA, tB Transpose, alpha float32, a, b *Dense, beta float32, c *Dense) {
	tA.check("Gemm", "tA")
	tB.check("Gemm", "tB")
	a.check("Gemm", "A")
	b.check("Gemm", "B")
	c.check("Gemm", "C")
	m, ka := opDims(tA, a)
	kb, n := opDims(tB, b)
	if ka != kb {
		panic(fmt.Sprintf("mat: Gemm: op(A) is %d×%d but op(B) is %d×%d", m, ka, kb, n))
	}
	if c.Rows != m || c.Cols != n {
		panic(fmt.Sprintf("mat: Gemm: op(A)·op(B) is %d×%d but C is %d×%d", m, n, c.Rows, c.Cols))
	}
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || ka == 0 {
		for i := 0; i < m; i++ {
			scaleBy(k, beta, c.Data[i*c.Stride:i*c.Stride+n])
		}
		return
	}
	ws := getWorkspace(k, m, n, ka)
	defer putWorkspace(ws)
	blocked(k, ws, tA, tB, m, n, ka, alpha, a, b, beta, c)
}

// blocked is BLIS's loop nest around the micro-kernel. For each NC-wide
// column block of C and each KC-deep slice of the product, op(B) is packed
// once into NR-column micro-panels (kept in L3); for each MC-tall row block,
// op(A) is packed into MR-row micro-panels (kept in L2); the macro-kernel then
// sweeps NR-wide (L1-resident) panels of B against every A micro-panel.
// beta applies on the first slice of k only; later slices accumulate.
func blocked(k *asm.Kernels, ws *workspace, tA, tB Transpose, m, n, kk int, alpha float32, a, b *Dense, beta float32, c *Dense) {
	for jc := 0; jc < n; jc += k.NC {
		nc := min(k.NC, n-jc)
		for pc := 0; pc < kk; pc += k.KC {
			kc := min(k.KC, kk-pc)
			packB(k.NR, tB, b, pc, jc, kc, nc, ws.b)
			betaP := beta
			if pc > 0 {
				betaP = 1
			}
			for ic := 0; ic < m; ic += k.MC {
				mc := min(k.MC, m-ic)
				packA(k.MR, tA, a, ic, pc, mc, kc, ws.a)
				macroKernel(k, mc, nc, kc, alpha, ws.a, ws.b, betaP, c, ic, jc, ws.tile)
			}
		}
	}
}

// macroKernel multiplies the packed mc×kc block of op(A) by the packed
// kc×nc block of op(B) into C[ic:ic+mc, jc:jc+nc]. Whole MR×NR tiles go
// straight to the micro-kernel; edge tiles are computed into tile and
// copied, so no kernel ever writes outside C.
func macroKernel(k *asm.Kernels, mc, nc, kc int, alpha float32, pa, pb []float32, beta float32, c *Dense, ic, jc int, tile []float32) {
	mr, nr, ldc := k.MR, k.NR, c.Stride
	for jr := 0; jr < nc; jr += nr {
		nw := min(nr, nc-jr)
		bp := pb[jr*kc : jr*kc+kc*nr]
		for ir := 0; ir < mc; ir += mr {
			mh := min(mr, mc-ir)
			ap := pa[ir*kc : ir*kc+kc*mr]
			off := (ic+ir)*ldc + jc + jr
			if mh == mr && nw == nr {
				k.Gemm(kc, alpha, ap, bp, beta, c.Data[off:], ldc)
				continue
			}
			k.Gemm(kc, alpha, ap, bp, 0, tile, nr)
			for i := 0; i < mh; i++ {
				dst, src := c.Data[off+i*ldc:off+i*ldc+nw], tile[i*nr:i*nr+nw]
				if beta == 0 {
					copy(dst, src)
					continue
				}
				for j, v := range src {
					dst[j] = v + beta*dst[j]
				}
			}
		}
	}
}
