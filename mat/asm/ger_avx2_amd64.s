//go:build !purego

#include "textflag.h"

// func gerAVX2(m, n int, alpha float32, x, y, a []float32, lda int)
//
// A[i, 0:n] += (alpha·x[i])·y[0:n] for i < m: an axpy of y into each row of
// A, in one call.
//
// Register map:
//	BX: rows left    CX: n    SI: &x[i]    DX: &y[0]    DI: &A[i, 0]
//	R8: lda in bytes    AX: j    R9, R10: loop bounds
//	X15: alpha    Y0: alpha·x[i] in all eight lanes    Y1–Y4: A[i, j:j+32]
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
