//go:build !purego

#include "textflag.h"

// The float64 twin of gemv_avx2_amd64.s, four float64 to a ymm register.

// dgemvTailMask<> is four all-ones quadwords followed by four zero ones:
// the four quadwords at dgemvTailMask<>+32-8r are a VMASKMOVPD mask
// enabling the first r lanes, for 0 ≤ r ≤ 4.
DATA dgemvTailMask<>+0(SB)/8, $0xffffffffffffffff
DATA dgemvTailMask<>+8(SB)/8, $0xffffffffffffffff
DATA dgemvTailMask<>+16(SB)/8, $0xffffffffffffffff
DATA dgemvTailMask<>+24(SB)/8, $0xffffffffffffffff
DATA dgemvTailMask<>+32(SB)/8, $0
DATA dgemvTailMask<>+40(SB)/8, $0
DATA dgemvTailMask<>+48(SB)/8, $0
DATA dgemvTailMask<>+56(SB)/8, $0
GLOBL dgemvTailMask<>(SB), RODATA|NOPTR, $64

// func dgemvNAVX2(m, n int, alpha float64, a []float64, lda int, x, y []float64)
//
// Register map:
//	R8–R11: &A[i, 0] … &A[i+3, 0]    BX: lda in bytes
//	SI: &x[0]    DX: &y[i]    CX: n    R12: rows left    R13: n&^7    AX: j
//	Y0, Y1: x[j:j+8]    Y4–Y11: two partial sums per row (row r in Y4+2r, Y5+2r)
//	Y14: mask of the n&3 tail columns    Y15: alpha
TEXT ·dgemvNAVX2(SB), NOSPLIT, $0-104
	MOVQ  m+0(FP), R12
	MOVQ  n+8(FP), CX
	TESTQ R12, R12
	JZ    done
	TESTQ CX, CX
	JZ    done

	MOVQ         a_base+24(FP), R8
	MOVQ         lda+48(FP), BX
	SHLQ         $3, BX
	MOVQ         x_base+56(FP), SI
	MOVQ         y_base+80(FP), DX
	VBROADCASTSD alpha+16(FP), Y15

	// Y14 = mask enabling lanes 0 … n&3-1
	MOVQ    CX, R13
	ANDQ    $3, R13
	NEGQ    R13
	LEAQ    dgemvTailMask<>+32(SB), AX
	VMOVUPD (AX)(R13*8), Y14

	MOVQ CX, R13
	ANDQ $-8, R13

rows4:
	// for ; rows left >= 4; i += 4
	CMPQ   R12, $4
	JLT    rows1
	LEAQ   (R8)(BX*1), R9
	LEAQ   (R9)(BX*1), R10
	LEAQ   (R10)(BX*1), R11
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	XORQ   AX, AX
	TESTQ  R13, R13
	JZ     rows4cols4

rows4cols8:
	// for ; j < n&^7; j += 8 { sum_r += A[i+r, j:j+8] * x[j:j+8] }
	VMOVUPD     (SI)(AX*8), Y0
	VMOVUPD     32(SI)(AX*8), Y1
	VFMADD231PD (R8)(AX*8), Y0, Y4
	VFMADD231PD 32(R8)(AX*8), Y1, Y5
	VFMADD231PD (R9)(AX*8), Y0, Y6
	VFMADD231PD 32(R9)(AX*8), Y1, Y7
	VFMADD231PD (R10)(AX*8), Y0, Y8
	VFMADD231PD 32(R10)(AX*8), Y1, Y9
	VFMADD231PD (R11)(AX*8), Y0, Y10
	VFMADD231PD 32(R11)(AX*8), Y1, Y11
	ADDQ        $8, AX
	CMPQ        AX, R13
	JLT         rows4cols8

rows4cols4:
	// if n&4 != 0 { sum_r += A[i+r, j:j+4] * x[j:j+4]; j += 4 }
	TESTQ       $4, CX
	JZ          rows4tail
	VMOVUPD     (SI)(AX*8), Y0
	VFMADD231PD (R8)(AX*8), Y0, Y4
	VFMADD231PD (R9)(AX*8), Y0, Y6
	VFMADD231PD (R10)(AX*8), Y0, Y8
	VFMADD231PD (R11)(AX*8), Y0, Y10
	ADDQ        $4, AX

rows4tail:
	// if n&3 != 0 { sum_r += A[i+r, j:n] * x[j:n], masked loads }
	TESTQ       $3, CX
	JZ          rows4reduce
	VMASKMOVPD  (SI)(AX*8), Y14, Y0
	VMASKMOVPD  (R8)(AX*8), Y14, Y1
	VMASKMOVPD  (R9)(AX*8), Y14, Y2
	VMASKMOVPD  (R10)(AX*8), Y14, Y3
	VMASKMOVPD  (R11)(AX*8), Y14, Y12
	VFMADD231PD Y1, Y0, Y5
	VFMADD231PD Y2, Y0, Y7
	VFMADD231PD Y3, Y0, Y9
	VFMADD231PD Y12, Y0, Y11

rows4reduce:
	// Y4 = [Σ sum_0, Σ sum_1, Σ sum_2, Σ sum_3]:
	// Y4 = [s0₀₁ s1₀₁ s0₂₃ s1₂₃], Y8 = [s2₀₁ s3₀₁ s2₂₃ s3₂₃] (VHADDPD), then
	// [s0₂₃ s1₂₃ s2₀₁ s3₀₁] (VPERM2F128) + [s0₀₁ s1₀₁ s2₂₃ s3₂₃] (VBLENDPD)
	VADDPD     Y5, Y4, Y4
	VADDPD     Y7, Y6, Y6
	VADDPD     Y9, Y8, Y8
	VADDPD     Y11, Y10, Y10
	VHADDPD    Y6, Y4, Y4
	VHADDPD    Y10, Y8, Y8
	VPERM2F128 $0x21, Y8, Y4, Y5
	VBLENDPD   $0x0c, Y8, Y4, Y6
	VADDPD     Y6, Y5, Y4

	// y[i:i+4] += alpha * Y4
	VMOVUPD     (DX), Y5
	VFMADD231PD Y4, Y15, Y5
	VMOVUPD     Y5, (DX)

	ADDQ $32, DX
	LEAQ (R11)(BX*1), R8
	SUBQ $4, R12
	JMP  rows4

rows1:
	// for ; rows left > 0; i++
	TESTQ  R12, R12
	JZ     done
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	XORQ   AX, AX
	TESTQ  R13, R13
	JZ     rows1cols4

rows1cols8:
	// for ; j < n&^7; j += 8 { sum += A[i, j:j+8] * x[j:j+8] }
	VMOVUPD     (SI)(AX*8), Y0
	VMOVUPD     32(SI)(AX*8), Y1
	VFMADD231PD (R8)(AX*8), Y0, Y4
	VFMADD231PD 32(R8)(AX*8), Y1, Y5
	ADDQ        $8, AX
	CMPQ        AX, R13
	JLT         rows1cols8

rows1cols4:
	// if n&4 != 0 { sum += A[i, j:j+4] * x[j:j+4]; j += 4 }
	TESTQ       $4, CX
	JZ          rows1tail
	VMOVUPD     (SI)(AX*8), Y0
	VFMADD231PD (R8)(AX*8), Y0, Y4
	ADDQ        $4, AX

rows1tail:
	// if n&3 != 0 { sum += A[i, j:n] * x[j:n], masked loads }
	TESTQ       $3, CX
	JZ          rows1reduce
	VMASKMOVPD  (SI)(AX*8), Y14, Y0
	VMASKMOVPD  (R8)(AX*8), Y14, Y1
	VFMADD231PD Y1, Y0, Y5

rows1reduce:
	// X4[0] = Σ sum
	VADDPD       Y5, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPD       X5, X4, X4
	VUNPCKHPD    X4, X4, X5
	VADDSD       X5, X4, X4

	// y[i] += alpha * X4[0]
	VMOVSD      (DX), X5
	VFMADD231SD X4, X15, X5
	VMOVSD      X5, (DX)

	ADDQ $8, DX
	ADDQ BX, R8
	DECQ R12
	JMP  rows1

done:
	VZEROUPPER
	RET

// func dgemvTAVX2(m, n int, alpha float64, a []float64, lda int, x, y []float64)
//
// Register map:
//	R8–R11: &A[i, 0] … &A[i+3, 0]    BX: lda in bytes
//	SI: &x[i]    DX: &y[0]    CX: n    R12: rows left    R13: n&^15    AX: j    DI: j+4
//	Y0–Y3: alpha*x[i] … alpha*x[i+3] in all lanes    Y4–Y7: y[j:j+16]
//	Y15: alpha
TEXT ·dgemvTAVX2(SB), NOSPLIT, $0-104
	MOVQ  m+0(FP), R12
	MOVQ  n+8(FP), CX
	TESTQ R12, R12
	JZ    done
	TESTQ CX, CX
	JZ    done

	MOVQ         a_base+24(FP), R8
	MOVQ         lda+48(FP), BX
	SHLQ         $3, BX
	MOVQ         x_base+56(FP), SI
	MOVQ         y_base+80(FP), DX
	VBROADCASTSD alpha+16(FP), Y15
	MOVQ         CX, R13
	ANDQ         $-16, R13

rows4:
	// for ; rows left >= 4; i += 4
	CMPQ R12, $4
	JLT  rows1
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	LEAQ (R10)(BX*1), R11

	// Y0–Y3 = alpha * x[i+r]
	VBROADCASTSD (SI), Y0
	VBROADCASTSD 8(SI), Y1
	VBROADCASTSD 16(SI), Y2
	VBROADCASTSD 24(SI), Y3
	VMULPD       Y15, Y0, Y0
	VMULPD       Y15, Y1, Y1
	VMULPD       Y15, Y2, Y2
	VMULPD       Y15, Y3, Y3

	XORQ  AX, AX
	TESTQ R13, R13
	JZ    rows4cols4

rows4cols16:
	// for ; j < n&^15; j += 16 { y[j:j+16] += Σ_r alpha*x[i+r] * A[i+r, j:j+16] }
	VMOVUPD     (DX)(AX*8), Y4
	VMOVUPD     32(DX)(AX*8), Y5
	VMOVUPD     64(DX)(AX*8), Y6
	VMOVUPD     96(DX)(AX*8), Y7
	VFMADD231PD (R8)(AX*8), Y0, Y4
	VFMADD231PD 32(R8)(AX*8), Y0, Y5
	VFMADD231PD 64(R8)(AX*8), Y0, Y6
	VFMADD231PD 96(R8)(AX*8), Y0, Y7
	VFMADD231PD (R9)(AX*8), Y1, Y4
	VFMADD231PD 32(R9)(AX*8), Y1, Y5
	VFMADD231PD 64(R9)(AX*8), Y1, Y6
	VFMADD231PD 96(R9)(AX*8), Y1, Y7
	VFMADD231PD (R10)(AX*8), Y2, Y4
	VFMADD231PD 32(R10)(AX*8), Y2, Y5
	VFMADD231PD 64(R10)(AX*8), Y2, Y6
	VFMADD231PD 96(R10)(AX*8), Y2, Y7
	VFMADD231PD (R11)(AX*8), Y3, Y4
	VFMADD231PD 32(R11)(AX*8), Y3, Y5
	VFMADD231PD 64(R11)(AX*8), Y3, Y6
	VFMADD231PD 96(R11)(AX*8), Y3, Y7
	VMOVUPD     Y4, (DX)(AX*8)
	VMOVUPD     Y5, 32(DX)(AX*8)
	VMOVUPD     Y6, 64(DX)(AX*8)
	VMOVUPD     Y7, 96(DX)(AX*8)
	ADDQ        $16, AX
	CMPQ        AX, R13
	JLT         rows4cols16

rows4cols4:
	// for ; j+4 <= n; j += 4 { y[j:j+4] += Σ_r alpha*x[i+r] * A[i+r, j:j+4] }
	LEAQ        4(AX), DI
	CMPQ        DI, CX
	JGT         rows4tail
	VMOVUPD     (DX)(AX*8), Y4
	VFMADD231PD (R8)(AX*8), Y0, Y4
	VFMADD231PD (R9)(AX*8), Y1, Y4
	VFMADD231PD (R10)(AX*8), Y2, Y4
	VFMADD231PD (R11)(AX*8), Y3, Y4
	VMOVUPD     Y4, (DX)(AX*8)
	MOVQ        DI, AX
	JMP         rows4cols4

rows4tail:
	// for ; j < n; j++ { y[j] += Σ_r alpha*x[i+r] * A[i+r, j] }
	CMPQ        AX, CX
	JGE         rows4next
	VMOVSD      (DX)(AX*8), X4
	VFMADD231SD (R8)(AX*8), X0, X4
	VFMADD231SD (R9)(AX*8), X1, X4
	VFMADD231SD (R10)(AX*8), X2, X4
	VFMADD231SD (R11)(AX*8), X3, X4
	VMOVSD      X4, (DX)(AX*8)
	INCQ        AX
	JMP         rows4tail

rows4next:
	ADDQ $32, SI
	LEAQ (R11)(BX*1), R8
	SUBQ $4, R12
	JMP  rows4

rows1:
	// for ; rows left > 0; i++
	TESTQ        R12, R12
	JZ           done
	VBROADCASTSD (SI), Y0
	VMULPD       Y15, Y0, Y0
	XORQ         AX, AX
	TESTQ        R13, R13
	JZ           rows1cols4

rows1cols16:
	// for ; j < n&^15; j += 16 { y[j:j+16] += alpha*x[i] * A[i, j:j+16] }
	VMOVUPD     (DX)(AX*8), Y4
	VMOVUPD     32(DX)(AX*8), Y5
	VMOVUPD     64(DX)(AX*8), Y6
	VMOVUPD     96(DX)(AX*8), Y7
	VFMADD231PD (R8)(AX*8), Y0, Y4
	VFMADD231PD 32(R8)(AX*8), Y0, Y5
	VFMADD231PD 64(R8)(AX*8), Y0, Y6
	VFMADD231PD 96(R8)(AX*8), Y0, Y7
	VMOVUPD     Y4, (DX)(AX*8)
	VMOVUPD     Y5, 32(DX)(AX*8)
	VMOVUPD     Y6, 64(DX)(AX*8)
	VMOVUPD     Y7, 96(DX)(AX*8)
	ADDQ        $16, AX
	CMPQ        AX, R13
	JLT         rows1cols16

rows1cols4:
	// for ; j+4 <= n; j += 4 { y[j:j+4] += alpha*x[i] * A[i, j:j+4] }
	LEAQ        4(AX), DI
	CMPQ        DI, CX
	JGT         rows1tail
	VMOVUPD     (DX)(AX*8), Y4
	VFMADD231PD (R8)(AX*8), Y0, Y4
	VMOVUPD     Y4, (DX)(AX*8)
	MOVQ        DI, AX
	JMP         rows1cols4

rows1tail:
	// for ; j < n; j++ { y[j] += alpha*x[i] * A[i, j] }
	CMPQ        AX, CX
	JGE         rows1next
	VMOVSD      (DX)(AX*8), X4
	VFMADD231SD (R8)(AX*8), X0, X4
	VMOVSD      X4, (DX)(AX*8)
	INCQ        AX
	JMP         rows1tail

rows1next:
	ADDQ $8, SI
	ADDQ BX, R8
	DECQ R12
	JMP  rows1

done:
	VZEROUPPER
	RET
