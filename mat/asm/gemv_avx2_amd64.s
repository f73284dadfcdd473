//go:build !purego

#include "textflag.h"

// gemvTailMask<> is eight all-ones words followed by eight zero words: the
// eight words at gemvTailMask<>+32-4r are a VMASKMOVPS mask enabling the
// first r lanes, for 0 ≤ r ≤ 8.
DATA gemvTailMask<>+0(SB)/8, $0xffffffffffffffff
DATA gemvTailMask<>+8(SB)/8, $0xffffffffffffffff
DATA gemvTailMask<>+16(SB)/8, $0xffffffffffffffff
DATA gemvTailMask<>+24(SB)/8, $0xffffffffffffffff
DATA gemvTailMask<>+32(SB)/8, $0
DATA gemvTailMask<>+40(SB)/8, $0
DATA gemvTailMask<>+48(SB)/8, $0
DATA gemvTailMask<>+56(SB)/8, $0
GLOBL gemvTailMask<>(SB), RODATA|NOPTR, $64

// func gemvNAVX2(m, n int, alpha float32, a []float32, lda int, x, y []float32)
//
// Register map:
//	R8–R11: &A[i, 0] … &A[i+3, 0]    BX: lda in bytes
//	SI: &x[0]    DX: &y[i]    CX: n    R12: rows left    R13: n&^15    AX: j
//	Y0, Y1: x[j:j+16]    Y4–Y11: two partial sums per row (row r in Y4+2r, Y5+2r)
//	Y14: mask of the n&7 tail columns    Y15: alpha
TEXT ·gemvNAVX2(SB), NOSPLIT, $0-104
	MOVQ  m+0(FP), R12
	MOVQ  n+8(FP), CX
	TESTQ R12, R12
	JZ    done
	TESTQ CX, CX
	JZ    done

	MOVQ         a_base+24(FP), R8
	MOVQ         lda+48(FP), BX
	SHLQ         $2, BX
	MOVQ         x_base+56(FP), SI
	MOVQ         y_base+80(FP), DX
	VBROADCASTSS alpha+16(FP), Y15

	// Y14 = mask enabling lanes 0 … n&7-1
	MOVQ    CX, R13
	ANDQ    $7, R13
	NEGQ    R13
	LEAQ    gemvTailMask<>+32(SB), AX
	VMOVUPS (AX)(R13*4), Y14

	MOVQ CX, R13
	ANDQ $-16, R13

rows4:
	// for ; rows left >= 4; i += 4
	CMPQ   R12, $4
	JLT    rows1
	LEAQ   (R8)(BX*1), R9
	LEAQ   (R9)(BX*1), R10
	LEAQ   (R10)(BX*1), R11
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	XORQ   AX, AX
	TESTQ  R13, R13
	JZ     rows4cols8

rows4cols16:
	// for ; j < n&^15; j += 16 { sum_r += A[i+r, j:j+16] * x[j:j+16] }
	VMOVUPS     (SI)(AX*4), Y0
	VMOVUPS     32(SI)(AX*4), Y1
	VFMADD231PS (R8)(AX*4), Y0, Y4
	VFMADD231PS 32(R8)(AX*4), Y1, Y5
	VFMADD231PS (R9)(AX*4), Y0, Y6
	VFMADD231PS 32(R9)(AX*4), Y1, Y7
	VFMADD231PS (R10)(AX*4), Y0, Y8
	VFMADD231PS 32(R10)(AX*4), Y1, Y9
	VFMADD231PS (R11)(AX*4), Y0, Y10
	VFMADD231PS 32(R11)(AX*4), Y1, Y11
	ADDQ        $16, AX
	CMPQ        AX, R13
	JLT         rows4cols16

rows4cols8:
	// if n&8 != 0 { sum_r += A[i+r, j:j+8] * x[j:j+8]; j += 8 }
	TESTQ       $8, CX
	JZ          rows4tail
	VMOVUPS     (SI)(AX*4), Y0
	VFMADD231PS (R8)(AX*4), Y0, Y4
	VFMADD231PS (R9)(AX*4), Y0, Y6
	VFMADD231PS (R10)(AX*4), Y0, Y8
	VFMADD231PS (R11)(AX*4), Y0, Y10
	ADDQ        $8, AX

rows4tail:
	// if n&7 != 0 { sum_r += A[i+r, j:n] * x[j:n], masked loads }
	TESTQ       $7, CX
	JZ          rows4reduce
	VMASKMOVPS  (SI)(AX*4), Y14, Y0
	VMASKMOVPS  (R8)(AX*4), Y14, Y1
	VMASKMOVPS  (R9)(AX*4), Y14, Y2
	VMASKMOVPS  (R10)(AX*4), Y14, Y3
	VMASKMOVPS  (R11)(AX*4), Y14, Y12
	VFMADD231PS Y1, Y0, Y5
	VFMADD231PS Y2, Y0, Y7
	VFMADD231PS Y3, Y0, Y9
	VFMADD231PS Y12, Y0, Y11

rows4reduce:
	// X4 = [Σ sum_0, Σ sum_1, Σ sum_2, Σ sum_3]
	VADDPS       Y5, Y4, Y4
	VADDPS       Y7, Y6, Y6
	VADDPS       Y9, Y8, Y8
	VADDPS       Y11, Y10, Y10
	VHADDPS      Y6, Y4, Y4
	VHADDPS      Y10, Y8, Y8
	VHADDPS      Y8, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPS       X5, X4, X4

	// y[i:i+4] += alpha * X4
	VMOVUPS     (DX), X5
	VFMADD231PS X4, X15, X5
	VMOVUPS     X5, (DX)

	ADDQ $16, DX
	LEAQ (R11)(BX*1), R8
	SUBQ $4, R12
	JMP  rows4

rows1:
	// for ; rows left > 0; i++
	TESTQ  R12, R12
	JZ     done
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	XORQ   AX, AX
	TESTQ  R13, R13
	JZ     rows1cols8

rows1cols16:
	// for ; j < n&^15; j += 16 { sum += A[i, j:j+16] * x[j:j+16] }
	VMOVUPS     (SI)(AX*4), Y0
	VMOVUPS     32(SI)(AX*4), Y1
	VFMADD231PS (R8)(AX*4), Y0, Y4
	VFMADD231PS 32(R8)(AX*4), Y1, Y5
	ADDQ        $16, AX
	CMPQ        AX, R13
	JLT         rows1cols16

rows1cols8:
	// if n&8 != 0 { sum += A[i, j:j+8] * x[j:j+8]; j += 8 }
	TESTQ       $8, CX
	JZ          rows1tail
	VMOVUPS     (SI)(AX*4), Y0
	VFMADD231PS (R8)(AX*4), Y0, Y4
	ADDQ        $8, AX

rows1tail:
	// if n&7 != 0 { sum += A[i, j:n] * x[j:n], masked loads }
	TESTQ       $7, CX
	JZ          rows1reduce
	VMASKMOVPS  (SI)(AX*4), Y14, Y0
	VMASKMOVPS  (R8)(AX*4), Y14, Y1
	VFMADD231PS Y1, Y0, Y5

rows1reduce:
	// X4[0] = Σ sum
	VADDPS       Y5, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPS       X5, X4, X4
	VMOVHLPS     X4, X4, X5
	VADDPS       X5, X4, X4
	VMOVSHDUP    X4, X5
	VADDSS       X5, X4, X4

	// y[i] += alpha * X4[0]
	VMOVSS      (DX), X5
	VFMADD231SS X4, X15, X5
	VMOVSS      X5, (DX)

	ADDQ $4, DX
	ADDQ BX, R8
	DECQ R12
	JMP  rows1

done:
	VZEROUPPER
	RET

// func gemvTAVX2(m, n int, alpha float32, a []float32, lda int, x, y []float32)
//
// Register map:
//	R8–R11: &A[i, 0] … &A[i+3, 0]    BX: lda in bytes
//	SI: &x[i]    DX: &y[0]    CX: n    R12: rows left    R13: n&^31    AX: j    DI: j+8
//	Y0–Y3: alpha*x[i] … alpha*x[i+3] in all lanes    Y4–Y7: y[j:j+32]
//	Y15: alpha
TEXT ·gemvTAVX2(SB), NOSPLIT, $0-104
	MOVQ  m+0(FP), R12
	MOVQ  n+8(FP), CX
	TESTQ R12, R12
	JZ    done
	TESTQ CX, CX
	JZ    done

	MOVQ         a_base+24(FP), R8
	MOVQ         lda+48(FP), BX
	SHLQ         $2, BX
	MOVQ         x_base+56(FP), SI
	MOVQ         y_base+80(FP), DX
	VBROADCASTSS alpha+16(FP), Y15
	MOVQ         CX, R13
	ANDQ         $-32, R13

rows4:
	// for ; rows left >= 4; i += 4
	CMPQ R12, $4
	JLT  rows1
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	LEAQ (R10)(BX*1), R11

	// Y0–Y3 = alpha * x[i+r]
	VBROADCASTSS (SI), Y0
	VBROADCASTSS 4(SI), Y1
	VBROADCASTSS 8(SI), Y2
	VBROADCASTSS 12(SI), Y3
	VMULPS       Y15, Y0, Y0
	VMULPS       Y15, Y1, Y1
	VMULPS       Y15, Y2, Y2
	VMULPS       Y15, Y3, Y3

	XORQ  AX, AX
	TESTQ R13, R13
	JZ    rows4cols8

rows4cols32:
	// for ; j < n&^31; j += 32 { y[j:j+32] += Σ_r alpha*x[i+r] * A[i+r, j:j+32] }
	VMOVUPS     (DX)(AX*4), Y4
	VMOVUPS     32(DX)(AX*4), Y5
	VMOVUPS     64(DX)(AX*4), Y6
	VMOVUPS     96(DX)(AX*4), Y7
	VFMADD231PS (R8)(AX*4), Y0, Y4
	VFMADD231PS 32(R8)(AX*4), Y0, Y5
	VFMADD231PS 64(R8)(AX*4), Y0, Y6
	VFMADD231PS 96(R8)(AX*4), Y0, Y7
	VFMADD231PS (R9)(AX*4), Y1, Y4
	VFMADD231PS 32(R9)(AX*4), Y1, Y5
	VFMADD231PS 64(R9)(AX*4), Y1, Y6
	VFMADD231PS 96(R9)(AX*4), Y1, Y7
	VFMADD231PS (R10)(AX*4), Y2, Y4
	VFMADD231PS 32(R10)(AX*4), Y2, Y5
	VFMADD231PS 64(R10)(AX*4), Y2, Y6
	VFMADD231PS 96(R10)(AX*4), Y2, Y7
	VFMADD231PS (R11)(AX*4), Y3, Y4
	VFMADD231PS 32(R11)(AX*4), Y3, Y5
	VFMADD231PS 64(R11)(AX*4), Y3, Y6
	VFMADD231PS 96(R11)(AX*4), Y3, Y7
	VMOVUPS     Y4, (DX)(AX*4)
	VMOVUPS     Y5, 32(DX)(AX*4)
	VMOVUPS     Y6, 64(DX)(AX*4)
	VMOVUPS     Y7, 96(DX)(AX*4)
	ADDQ        $32, AX
	CMPQ        AX, R13
	JLT         rows4cols32

rows4cols8:
	// for ; j+8 <= n; j += 8 { y[j:j+8] += Σ_r alpha*x[i+r] * A[i+r, j:j+8] }
	LEAQ        8(AX), DI
	CMPQ        DI, CX
	JGT         rows4tail
	VMOVUPS     (DX)(AX*4), Y4
	VFMADD231PS (R8)(AX*4), Y0, Y4
	VFMADD231PS (R9)(AX*4), Y1, Y4
	VFMADD231PS (R10)(AX*4), Y2, Y4
	VFMADD231PS (R11)(AX*4), Y3, Y4
	VMOVUPS     Y4, (DX)(AX*4)
	MOVQ        DI, AX
	JMP         rows4cols8

rows4tail:
	// for ; j < n; j++ { y[j] += Σ_r alpha*x[i+r] * A[i+r, j] }
	CMPQ        AX, CX
	JGE         rows4next
	VMOVSS      (DX)(AX*4), X4
	VFMADD231SS (R8)(AX*4), X0, X4
	VFMADD231SS (R9)(AX*4), X1, X4
	VFMADD231SS (R10)(AX*4), X2, X4
	VFMADD231SS (R11)(AX*4), X3, X4
	VMOVSS      X4, (DX)(AX*4)
	INCQ        AX
	JMP         rows4tail

rows4next:
	ADDQ $16, SI
	LEAQ (R11)(BX*1), R8
	SUBQ $4, R12
	JMP  rows4

rows1:
	// for ; rows left > 0; i++
	TESTQ        R12, R12
	JZ           done
	VBROADCASTSS (SI), Y0
	VMULPS       Y15, Y0, Y0
	XORQ         AX, AX
	TESTQ        R13, R13
	JZ           rows1cols8

rows1cols32:
	// for ; j < n&^31; j += 32 { y[j:j+32] += alpha*x[i] * A[i, j:j+32] }
	VMOVUPS     (DX)(AX*4), Y4
	VMOVUPS     32(DX)(AX*4), Y5
	VMOVUPS     64(DX)(AX*4), Y6
	VMOVUPS     96(DX)(AX*4), Y7
	VFMADD231PS (R8)(AX*4), Y0, Y4
	VFMADD231PS 32(R8)(AX*4), Y0, Y5
	VFMADD231PS 64(R8)(AX*4), Y0, Y6
	VFMADD231PS 96(R8)(AX*4), Y0, Y7
	VMOVUPS     Y4, (DX)(AX*4)
	VMOVUPS     Y5, 32(DX)(AX*4)
	VMOVUPS     Y6, 64(DX)(AX*4)
	VMOVUPS     Y7, 96(DX)(AX*4)
	ADDQ        $32, AX
	CMPQ        AX, R13
	JLT         rows1cols32

rows1cols8:
	// for ; j+8 <= n; j += 8 { y[j:j+8] += alpha*x[i] * A[i, j:j+8] }
	LEAQ        8(AX), DI
	CMPQ        DI, CX
	JGT         rows1tail
	VMOVUPS     (DX)(AX*4), Y4
	VFMADD231PS (R8)(AX*4), Y0, Y4
	VMOVUPS     Y4, (DX)(AX*4)
	MOVQ        DI, AX
	JMP         rows1cols8

rows1tail:
	// for ; j < n; j++ { y[j] += alpha*x[i] * A[i, j] }
	CMPQ        AX, CX
	JGE         rows1next
	VMOVSS      (DX)(AX*4), X4
	VFMADD231SS (R8)(AX*4), X0, X4
	VMOVSS      X4, (DX)(AX*4)
	INCQ        AX
	JMP         rows1tail

rows1next:
	ADDQ $4, SI
	ADDQ BX, R8
	DECQ R12
	JMP  rows1

done:
	VZEROUPPER
	RET
