//go:build !purego

#include "textflag.h"

// func gerAVX2(m, n int, alpha float32, x, y, a []float32, lda int)
//
// A[i, 0:n] += (alpha·x[i])·y[0:n] for i < m: an axpy of y into each row of
// A, in one call. Rows go four at a time while four are left, so that each
// eight elements of y are loaded once for four rows and the loop overhead
// is shared (the small layers of a network at batch 1 have short rows);
// the rest go one at a time. Every element is fma(alpha·x[i], y[j], A[i, j])
// either way.
//
// Register map:
//	BX: rows left    CX: n    SI: &x[i]    DX: &y[0]    DI: &A[i, 0]
//	R8: lda in bytes    AX: j    R9, R10: loop bounds
//	R11, R12, R13: &A[i+1, 0], &A[i+2, 0], &A[i+3, 0]
//	X15: alpha    Y0: alpha·x[i] in all eight lanes    Y1–Y4: A[i, j:j+32]
//	four rows: Y0–Y3: alpha·x[i+r]    Y4: y[j:j+8]    Y5–Y8: A[i+r, j:j+8]
TEXT ·gerAVX2(SB), NOSPLIT, $0-104
	MOVQ  m+0(FP), BX
	MOVQ  n+8(FP), CX
	VMOVSS alpha+16(FP), X15
	MOVQ  x_base+24(FP), SI
	MOVQ  y_base+48(FP), DX
	MOVQ  a_base+72(FP), DI
	MOVQ  lda+96(FP), R8
	SHLQ  $2, R8
	TESTQ BX, BX
	JZ    done
	TESTQ CX, CX
	JZ    done

	// R9 = n&^31
	MOVQ CX, R9
	ANDQ $-32, R9

	CMPQ BX, $4
	JLT  row

quad:
	// Y0–Y3 = alpha·x[i:i+4], each in every lane; R11–R13 = rows i+1..i+3
	VMULSS       (SI), X15, X0
	VBROADCASTSS X0, Y0
	VMULSS       4(SI), X15, X1
	VBROADCASTSS X1, Y1
	VMULSS       8(SI), X15, X2
	VBROADCASTSS X2, Y2
	VMULSS       12(SI), X15, X3
	VBROADCASTSS X3, Y3
	LEAQ         (DI)(R8*1), R11
	LEAQ         (R11)(R8*1), R12
	LEAQ         (R12)(R8*1), R13
	XORQ         AX, AX

quad8:
	// for ; j+8 <= n; j += 8 { A[i+r, j:j+8] += Yr · y[j:j+8] for r < 4 }
	LEAQ        8(AX), R10
	CMPQ        R10, CX
	JGT         quadtail
	VMOVUPS     (DX)(AX*4), Y4
	VMOVUPS     (DI)(AX*4), Y5
	VMOVUPS     (R11)(AX*4), Y6
	VMOVUPS     (R12)(AX*4), Y7
	VMOVUPS     (R13)(AX*4), Y8
	VFMADD231PS Y4, Y0, Y5
	VFMADD231PS Y4, Y1, Y6
	VFMADD231PS Y4, Y2, Y7
	VFMADD231PS Y4, Y3, Y8
	VMOVUPS     Y5, (DI)(AX*4)
	VMOVUPS     Y6, (R11)(AX*4)
	VMOVUPS     Y7, (R12)(AX*4)
	VMOVUPS     Y8, (R13)(AX*4)
	MOVQ        R10, AX
	JMP         quad8

quadtail:
	// for ; j < n; j++ { A[i+r, j] += Xr · y[j] for r < 4 }
	CMPQ        AX, CX
	JGE         quadnext
	VMOVSS      (DX)(AX*4), X4
	VMOVSS      (DI)(AX*4), X5
	VMOVSS      (R11)(AX*4), X6
	VMOVSS      (R12)(AX*4), X7
	VMOVSS      (R13)(AX*4), X8
	VFMADD231SS X4, X0, X5
	VFMADD231SS X4, X1, X6
	VFMADD231SS X4, X2, X7
	VFMADD231SS X4, X3, X8
	VMOVSS      X5, (DI)(AX*4)
	VMOVSS      X6, (R11)(AX*4)
	VMOVSS      X7, (R12)(AX*4)
	VMOVSS      X8, (R13)(AX*4)
	INCQ        AX
	JMP         quadtail

quadnext:
	// i += 4
	ADDQ $16, SI
	LEAQ (R13)(R8*1), DI
	SUBQ $4, BX
	CMPQ BX, $4
	JGE  quad
	TESTQ BX, BX
	JZ   done

row:
	// Y0 = alpha·x[i] in every lane
	VMULSS       (SI), X15, X0
	VBROADCASTSS X0, Y0
	XORQ         AX, AX
	TESTQ        R9, R9
	JZ           loop8

loop32:
	// A[i, j:j+32] += Y0 · y[j:j+32]
	VMOVUPS     (DI)(AX*4), Y1
	VMOVUPS     32(DI)(AX*4), Y2
	VMOVUPS     64(DI)(AX*4), Y3
	VMOVUPS     96(DI)(AX*4), Y4
	VFMADD231PS (DX)(AX*4), Y0, Y1
	VFMADD231PS 32(DX)(AX*4), Y0, Y2
	VFMADD231PS 64(DX)(AX*4), Y0, Y3
	VFMADD231PS 96(DX)(AX*4), Y0, Y4
	VMOVUPS     Y1, (DI)(AX*4)
	VMOVUPS     Y2, 32(DI)(AX*4)
	VMOVUPS     Y3, 64(DI)(AX*4)
	VMOVUPS     Y4, 96(DI)(AX*4)
	ADDQ        $32, AX
	CMPQ        AX, R9
	JLT         loop32

loop8:
	// for ; j+8 <= n; j += 8 { A[i, j:j+8] += Y0 · y[j:j+8] }
	LEAQ        8(AX), R10
	CMPQ        R10, CX
	JGT         tail
	VMOVUPS     (DI)(AX*4), Y1
	VFMADD231PS (DX)(AX*4), Y0, Y1
	VMOVUPS     Y1, (DI)(AX*4)
	MOVQ        R10, AX
	JMP         loop8

tail:
	// for ; j < n; j++ { A[i, j] += X0 · y[j] }
	CMPQ        AX, CX
	JGE         next
	VMOVSS      (DI)(AX*4), X1
	VFMADD231SS (DX)(AX*4), X0, X1
	VMOVSS      X1, (DI)(AX*4)
	INCQ        AX
	JMP         tail

next:
	ADDQ $4, SI
	ADDQ R8, DI
	DECQ BX
	JNZ  row

done:
	VZEROUPPER
	RET
