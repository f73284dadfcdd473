//go:build !purego

#include "textflag.h"

// RANK1(ao, bo) is one step l of the k loop, C += A[:, l] · B[l, :], with the
// packed A column A[0:6, l] at ao(AX) and the packed B row B[l, 0:16] at
// bo(BX):
//
//	b0, b1 := B[l, 0:8], B[l, 8:16]
//	for i := 0; i < 6; i++ {
//		c[i][0:8] += A[i, l] * b0
//		c[i][8:16] += A[i, l] * b1
//	}
#define RANK1(ao, bo) \
	VMOVUPS      bo(BX), Y0;        \
	VMOVUPS      bo+32(BX), Y1;     \
	VBROADCASTSS ao(AX), Y2;        \
	VBROADCASTSS ao+4(AX), Y3;      \
	VFMADD231PS  Y0, Y2, Y4;        \
	VFMADD231PS  Y1, Y2, Y5;        \
	VFMADD231PS  Y0, Y3, Y6;        \
	VFMADD231PS  Y1, Y3, Y7;        \
	VBROADCASTSS ao+8(AX), Y2;      \
	VBROADCASTSS ao+12(AX), Y3;     \
	VFMADD231PS  Y0, Y2, Y8;        \
	VFMADD231PS  Y1, Y2, Y9;        \
	VFMADD231PS  Y0, Y3, Y10;       \
	VFMADD231PS  Y1, Y3, Y11;       \
	VBROADCASTSS ao+16(AX), Y2;     \
	VBROADCASTSS ao+20(AX), Y3;     \
	VFMADD231PS  Y0, Y2, Y12;       \
	VFMADD231PS  Y1, Y2, Y13;       \
	VFMADD231PS  Y0, Y3, Y14;       \
	VFMADD231PS  Y1, Y3, Y15

// STORE0(lo, hi): beta == 0, C[i, 0:16] = [lo, hi] at (CX), C not read.
#define STORE0(lo, hi) \
	VMOVUPS lo, (CX);   \
	VMOVUPS hi, 32(CX); \
	ADDQ    DX, CX

// STOREBETA(lo, hi): C[i, 0:16] = [lo, hi] + beta*C[i, 0:16] at (CX),
// with beta in Y1.
#define STOREBETA(lo, hi) \
	VFMADD231PS (CX), Y1, lo;   \
	VFMADD231PS 32(CX), Y1, hi; \
	VMOVUPS     lo, (CX);       \
	VMOVUPS     hi, 32(CX);     \
	ADDQ        DX, CX

// func gemm6x16AVX2(k int, alpha float32, a, b []float32, beta float32, c []float32, ldc int)
//
// Register map:
//	AX: &a[6l] (packed A column l)    BX: &b[16l] (packed B row l)
//	CX: &C[i, 0]    DX: ldc in bytes    SI: loop counter
//	Y0, Y1: B[l, 0:8], B[l, 8:16]
//	Y2, Y3: A[i, l] broadcast, two rows at a time
//	Y4–Y15: the 6×16 C tile, row i in Y(4+2i) (columns 0:8) and Y(5+2i) (columns 8:16)
TEXT ·gemm6x16AVX2(SB), NOSPLIT, $0-104
	MOVQ a_base+16(FP), AX
	MOVQ b_base+40(FP), BX
	MOVQ c_base+72(FP), CX
	MOVQ ldc+96(FP), DX
	SHLQ $2, DX

	// Prefetch the six rows of C (64 bytes each, at most two lines).
	MOVQ       CX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 60(DI)
	ADDQ       DX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 60(DI)
	ADDQ       DX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 60(DI)
	ADDQ       DX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 60(DI)
	ADDQ       DX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 60(DI)
	ADDQ       DX, DI
	PREFETCHT0 (DI)
	PREFETCHT0 60(DI)

	// c := [6][16]float32{}
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15

	// for l := 0; l < k&^3; l += 4, four rank-1 updates per iteration.
	MOVQ k+0(FP), SI
	SHRQ $2, SI
	JZ   rem

loop4:
	// Fetch A and B well ahead: an iteration reads 96 bytes of A and
	// 256 bytes of B.
	PREFETCHT0 384(AX)
	PREFETCHT0 1024(BX)
	RANK1(0, 0)
	RANK1(24, 64)
	PREFETCHT0 1152(BX)
	RANK1(48, 128)
	RANK1(72, 192)
	ADDQ       $96, AX
	ADDQ       $256, BX
	DECQ       SI
	JNZ        loop4

rem:
	// for ; l < k; l++, one rank-1 update per iteration.
	MOVQ k+0(FP), SI
	ANDQ $3, SI
	JZ   scale

loop1:
	RANK1(0, 0)
	ADDQ $24, AX
	ADDQ $64, BX
	DECQ SI
	JNZ  loop1

scale:
	// c *= alpha
	VBROADCASTSS alpha+8(FP), Y0
	VMULPS       Y0, Y4, Y4
	VMULPS       Y0, Y5, Y5
	VMULPS       Y0, Y6, Y6
	VMULPS       Y0, Y7, Y7
	VMULPS       Y0, Y8, Y8
	VMULPS       Y0, Y9, Y9
	VMULPS       Y0, Y10, Y10
	VMULPS       Y0, Y11, Y11
	VMULPS       Y0, Y12, Y12
	VMULPS       Y0, Y13, Y13
	VMULPS       Y0, Y14, Y14
	VMULPS       Y0, Y15, Y15

	// if beta == 0 (+0 or -0, not NaN) { C = c } else { C = c + beta*C }
	VBROADCASTSS beta+64(FP), Y1
	VXORPS       X2, X2, X2
	VUCOMISS     X2, X1
	JNE          betanz
	JPS          betanz

	STORE0(Y4, Y5)
	STORE0(Y6, Y7)
	STORE0(Y8, Y9)
	STORE0(Y10, Y11)
	STORE0(Y12, Y13)
	STORE0(Y14, Y15)
	VZEROUPPER
	RET

betanz:
	STOREBETA(Y4, Y5)
	STOREBETA(Y6, Y7)
	STOREBETA(Y8, Y9)
	STOREBETA(Y10, Y11)
	STOREBETA(Y12, Y13)
	STOREBETA(Y14, Y15)
	VZEROUPPER
	RET
