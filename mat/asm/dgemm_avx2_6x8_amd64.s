//go:build !purego

#include "textflag.h"

// The float64 twin of gemm_avx2_6x16_amd64.s: the same registers and the
// same schedule, four float64 to a ymm register instead of eight float32,
// so the tile is 6×8.

// DRANK1(ao, bo) is one step l of the k loop, C += A[:, l] · B[l, :], with
// the packed A column A[0:6, l] at ao(AX) and the packed B row B[l, 0:8] at
// bo(BX):
//
//	b0, b1 := B[l, 0:4], B[l, 4:8]
//	for i := 0; i < 6; i++ {
//		c[i][0:4] += A[i, l] * b0
//		c[i][4:8] += A[i, l] * b1
//	}
#define DRANK1(ao, bo) \
	VMOVUPD      bo(BX), Y0;        \
	VMOVUPD      bo+32(BX), Y1;     \
	VBROADCASTSD ao(AX), Y2;        \
	VBROADCASTSD ao+8(AX), Y3;      \
	VFMADD231PD  Y0, Y2, Y4;        \
	VFMADD231PD  Y1, Y2, Y5;        \
	VFMADD231PD  Y0, Y3, Y6;        \
	VFMADD231PD  Y1, Y3, Y7;        \
	VBROADCASTSD ao+16(AX), Y2;     \
	VBROADCASTSD ao+24(AX), Y3;     \
	VFMADD231PD  Y0, Y2, Y8;        \
	VFMADD231PD  Y1, Y2, Y9;        \
	VFMADD231PD  Y0, Y3, Y10;       \
	VFMADD231PD  Y1, Y3, Y11;       \
	VBROADCASTSD ao+32(AX), Y2;     \
	VBROADCASTSD ao+40(AX), Y3;     \
	VFMADD231PD  Y0, Y2, Y12;       \
	VFMADD231PD  Y1, Y2, Y13;       \
	VFMADD231PD  Y0, Y3, Y14;       \
	VFMADD231PD  Y1, Y3, Y15

// DSTORE0(lo, hi): beta == 0, C[i, 0:8] = [lo, hi] at (CX), C not read.
#define DSTORE0(lo, hi) \
	VMOVUPD lo, (CX);   \
	VMOVUPD hi, 32(CX); \
	ADDQ    DX, CX

// DSTOREBETA(lo, hi): C[i, 0:8] = [lo, hi] + beta*C[i, 0:8] at (CX), with
// beta in Y1.
#define DSTOREBETA(lo, hi) \
	VFMADD231PD (CX), Y1, lo;   \
	VFMADD231PD 32(CX), Y1, hi; \
	VMOVUPD     lo, (CX);       \
	VMOVUPD     hi, 32(CX);     \
	ADDQ        DX, CX

// func dgemm6x8AVX2(k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int)
//
// Register map:
//	AX: &a[6l] (packed A column l)    BX: &b[8l] (packed B row l)
//	CX: &C[i, 0]    DX: ldc in bytes    SI: loop counter
//	Y0, Y1: B[l, 0:4], B[l, 4:8]
//	Y2, Y3: A[i, l] broadcast, two rows at a time
//	Y4–Y15: the 6×8 C tile, row i in Y(4+2i) (columns 0:4) and Y(5+2i) (columns 4:8)
TEXT ·dgemm6x8AVX2(SB), NOSPLIT, $0-104
	MOVQ a_base+16(FP), AX
	MOVQ b_base+40(FP), BX
	MOVQ c_base+72(FP), CX
	MOVQ ldc+96(FP), DX
	SHLQ $3, DX

	// Prefetch the six rows of C (64 bytes each, at most two lines).
	MOVQ       CX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 56(DI)
	ADDQ       DX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 56(DI)
	ADDQ       DX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 56(DI)
	ADDQ       DX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 56(DI)
	ADDQ       DX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 56(DI)
	ADDQ       DX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 56(DI)

	// c := [6][8]float64{}
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	VXORPD Y12, Y12, Y12
	VXORPD Y13, Y13, Y13
	VXORPD Y14, Y14, Y14
	VXORPD Y15, Y15, Y15

	// for l := 0; l < k&^3; l += 4, four rank-1 updates per iteration.
	MOVQ k+0(FP), SI
	SHRQ $2, SI
	JZ   rem

loop4:
	// Fetch A and B well ahead: an iteration reads 192 bytes of A and
	// 256 bytes of B.
	PREFETCHT0 384(AX)
	PREFETCHT0 1024(BX)
	DRANK1(0, 0)
	DRANK1(48, 64)
	PREFETCHT0 1152(BX)
	DRANK1(96, 128)
	PREFETCHT0 448(AX)
	DRANK1(144, 192)
	ADDQ       $192, AX
	ADDQ       $256, BX
	DECQ       SI
	JNZ        loop4

rem:
	// for ; l < k; l++, one rank-1 update per iteration.
	MOVQ k+0(FP), SI
	ANDQ $3, SI
	JZ   scale

loop1:
	DRANK1(0, 0)
	ADDQ $48, AX
	ADDQ $64, BX
	DECQ SI
	JNZ  loop1

scale:
	// c *= alpha
	VBROADCASTSD alpha+8(FP), Y0
	VMULPD       Y0, Y4, Y4
	VMULPD       Y0, Y5, Y5
	VMULPD       Y0, Y6, Y6
	VMULPD       Y0, Y7, Y7
	VMULPD       Y0, Y8, Y8
	VMULPD       Y0, Y9, Y9
	VMULPD       Y0, Y10, Y10
	VMULPD       Y0, Y11, Y11
	VMULPD       Y0, Y12, Y12
	VMULPD       Y0, Y13, Y13
	VMULPD       Y0, Y14, Y14
	VMULPD       Y0, Y15, Y15

	// if beta == 0 (+0 or -0, not NaN) { C = c } else { C = c + beta*C }
	VBROADCASTSD beta+64(FP), Y1
	VXORPD       X2, X2, X2
	VUCOMISD     X2, X1
	JNE          betanz
	JPS          betanz

	DSTORE0(Y4, Y5)
	DSTORE0(Y6, Y7)
	DSTORE0(Y8, Y9)
	DSTORE0(Y10, Y11)
	DSTORE0(Y12, Y13)
	DSTORE0(Y14, Y15)
	VZEROUPPER
	RET

betanz:
	DSTOREBETA(Y4, Y5)
	DSTOREBETA(Y6, Y7)
	DSTOREBETA(Y8, Y9)
	DSTOREBETA(Y10, Y11)
	DSTOREBETA(Y12, Y13)
	DSTOREBETA(Y14, Y15)
	VZEROUPPER
	RET
