//go:build !purego

#include "textflag.h"

// The float64 twin of ger_avx2_amd64.s, four float64 to a ymm register.

// func dgerAVX2(m, n int, alpha float64, x, y, a []float64, lda int)
//
// A[i, 0:n] += (alpha·x[i])·y[0:n] for i < m: an axpy of y into each row of
// A, in one call. Rows go four at a time while four are left, so that each
// four elements of y are loaded once for four rows; the rest go one at a
// time. Every element is fma(alpha·x[i], y[j], A[i, j]) either way.
//
// Register map:
//	BX: rows left    CX: n    SI: &x[i]    DX: &y[0]    DI: &A[i, 0]
//	R8: lda in bytes    AX: j    R9, R10: loop bounds
//	R11, R12, R13: &A[i+1, 0], &A[i+2, 0], &A[i+3, 0]
//	X15: alpha    Y0: alpha·x[i] in all four lanes    Y1–Y4: A[i, j:j+16]
//	four rows: Y0–Y3: alpha·x[i+r]    Y4: y[j:j+4]    Y5–Y8: A[i+r, j:j+4]
TEXT ·dgerAVX2(SB), NOSPLIT, $0-104
	MOVQ   m+0(FP), BX
	MOVQ   n+8(FP), CX
	VMOVSD alpha+16(FP), X15
	MOVQ   x_base+24(FP), SI
	MOVQ   y_base+48(FP), DX
	MOVQ   a_base+72(FP), DI
	MOVQ   lda+96(FP), R8
	SHLQ   $3, R8
	TESTQ  BX, BX
	JZ     done
	TESTQ  CX, CX
	JZ     done

	// R9 = n&^15
	MOVQ CX, R9
	ANDQ $-16, R9

	CMPQ BX, $4
	JLT  row

quad:
	// Y0–Y3 = alpha·x[i:i+4], each in every lane; R11–R13 = rows i+1..i+3
	VMULSD       (SI), X15, X0
	VBROADCASTSD X0, Y0
	VMULSD       8(SI), X15, X1
	VBROADCASTSD X1, Y1
	VMULSD       16(SI), X15, X2
	VBROADCASTSD X2, Y2
	VMULSD       24(SI), X15, X3
	VBROADCASTSD X3, Y3
	LEAQ         (DI)(R8*1), R11
	LEAQ         (R11)(R8*1), R12
	LEAQ         (R12)(R8*1), R13
	XORQ         AX, AX

quad4:
	// for ; j+4 <= n; j += 4 { A[i+r, j:j+4] += Yr · y[j:j+4] for r < 4 }
	LEAQ        4(AX), R10
	CMPQ        R10, CX
	JGT         quadtail
	VMOVUPD     (DX)(AX*8), Y4
	VMOVUPD     (DI)(AX*8), Y5
	VMOVUPD     (R11)(AX*8), Y6
	VMOVUPD     (R12)(AX*8), Y7
	VMOVUPD     (R13)(AX*8), Y8
	VFMADD231PD Y4, Y0, Y5
	VFMADD231PD Y4, Y1, Y6
	VFMADD231PD Y4, Y2, Y7
	VFMADD231PD Y4, Y3, Y8
	VMOVUPD     Y5, (DI)(AX*8)
	VMOVUPD     Y6, (R11)(AX*8)
	VMOVUPD     Y7, (R12)(AX*8)
	VMOVUPD     Y8, (R13)(AX*8)
	MOVQ        R10, AX
	JMP         quad4

quadtail:
	// for ; j < n; j++ { A[i+r, j] += Xr · y[j] for r < 4 }
	CMPQ        AX, CX
	JGE         quadnext
	VMOVSD      (DX)(AX*8), X4
	VMOVSD      (DI)(AX*8), X5
	VMOVSD      (R11)(AX*8), X6
	VMOVSD      (R12)(AX*8), X7
	VMOVSD      (R13)(AX*8), X8
	VFMADD231SD X4, X0, X5
	VFMADD231SD X4, X1, X6
	VFMADD231SD X4, X2, X7
	VFMADD231SD X4, X3, X8
	VMOVSD      X5, (DI)(AX*8)
	VMOVSD      X6, (R11)(AX*8)
	VMOVSD      X7, (R12)(AX*8)
	VMOVSD      X8, (R13)(AX*8)
	INCQ        AX
	JMP         quadtail

quadnext:
	// i += 4
	ADDQ  $32, SI
	LEAQ  (R13)(R8*1), DI
	SUBQ  $4, BX
	CMPQ  BX, $4
	JGE   quad
	TESTQ BX, BX
	JZ    done

row:
	// Y0 = alpha·x[i] in every lane
	VMULSD       (SI), X15, X0
	VBROADCASTSD X0, Y0
	XORQ         AX, AX
	TESTQ        R9, R9
	JZ           loop4

loop16:
	// A[i, j:j+16] += Y0 · y[j:j+16]
	VMOVUPD     (DI)(AX*8), Y1
	VMOVUPD     32(DI)(AX*8), Y2
	VMOVUPD     64(DI)(AX*8), Y3
	VMOVUPD     96(DI)(AX*8), Y4
	VFMADD231PD (DX)(AX*8), Y0, Y1
	VFMADD231PD 32(DX)(AX*8), Y0, Y2
	VFMADD231PD 64(DX)(AX*8), Y0, Y3
	VFMADD231PD 96(DX)(AX*8), Y0, Y4
	VMOVUPD     Y1, (DI)(AX*8)
	VMOVUPD     Y2, 32(DI)(AX*8)
	VMOVUPD     Y3, 64(DI)(AX*8)
	VMOVUPD     Y4, 96(DI)(AX*8)
	ADDQ        $16, AX
	CMPQ        AX, R9
	JLT         loop16

loop4:
	// for ; j+4 <= n; j += 4 { A[i, j:j+4] += Y0 · y[j:j+4] }
	LEAQ        4(AX), R10
	CMPQ        R10, CX
	JGT         tail
	VMOVUPD     (DI)(AX*8), Y1
	VFMADD231PD (DX)(AX*8), Y0, Y1
	VMOVUPD     Y1, (DI)(AX*8)
	MOVQ        R10, AX
	JMP         loop4

tail:
	// for ; j < n; j++ { A[i, j] += X0 · y[j] }
	CMPQ        AX, CX
	JGE         next
	VMOVSD      (DI)(AX*8), X1
	VFMADD231SD (DX)(AX*8), X0, X1
	VMOVSD      X1, (DI)(AX*8)
	INCQ        AX
	JMP         tail

next:
	ADDQ $8, SI
	ADDQ R8, DI
	DECQ BX
	JNZ  row

done:
	VZEROUPPER
	RET
