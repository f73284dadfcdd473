//go:build !purego

#include "textflag.h"

// The 12×32 tile is the transpose of BLIS's 32×12 Skylake-X sgemm tile: two
// zmm loads of a packed B row feed 24 FMAs, one per accumulator, with the
// twelve A elements of the step broadcast from memory. Two FMA ports retire
// the 24 FMAs of a step in 12 cycles; the 2 + 12 loads fit the load ports
// in the same time, and 24 independent accumulators cover the FMA latency
// (4 cycles × 2 ports) three times over.

// ROWS2(ao, c0, c1, c2, c3) is two rows of one k step, with B[l, 0:32] in
// Z0, Z1 and A[i, l], A[i+1, l] at ao(AX), ao+4(AX):
//
//	[c0, c1] += A[i, l] * B[l, 0:32]
//	[c2, c3] += A[i+1, l] * B[l, 0:32]
#define ROWS2(ao, c0, c1, c2, c3) \
	VBROADCASTSS ao(AX), Z2;   \
	VBROADCASTSS ao+4(AX), Z3; \
	VFMADD231PS  Z0, Z2, c0;   \
	VFMADD231PS  Z1, Z2, c1;   \
	VFMADD231PS  Z0, Z3, c2;   \
	VFMADD231PS  Z1, Z3, c3

// RANK1(ao, bo) is one step l of the k loop, C += A[:, l] · B[l, :], with the
// packed A column A[0:12, l] at ao(AX) and the packed B row B[l, 0:32] at
// bo(BX):
//
//	b0, b1 := B[l, 0:16], B[l, 16:32]
//	for i := 0; i < 12; i++ {
//		c[i][0:16] += A[i, l] * b0
//		c[i][16:32] += A[i, l] * b1
//	}
#define RANK1(ao, bo) \
	VMOVUPS bo(BX), Z0;                \
	VMOVUPS bo+64(BX), Z1;             \
	ROWS2(ao, Z4, Z5, Z6, Z7);         \
	ROWS2(ao+8, Z8, Z9, Z10, Z11);     \
	ROWS2(ao+16, Z12, Z13, Z14, Z15);  \
	ROWS2(ao+24, Z16, Z17, Z18, Z19);  \
	ROWS2(ao+32, Z20, Z21, Z22, Z23);  \
	ROWS2(ao+40, Z24, Z25, Z26, Z27)

// STEP4 is four steps of the k loop. They read 192 bytes of A (three cache
// lines) and 512 of B. A streams from L2, so its lines are fetched two
// iterations (384 bytes) ahead, past the end of the micro-panel into the
// next one, which the driver packed right after it. The B micro-panel is
// the one the driver keeps close (in L1, or L2 for the deeper part of a
// KC-deep panel) and is read in order, which the hardware prefetchers
// follow.
#define STEP4 \
	PREFETCHT0 384(AX); \
	PREFETCHT0 448(AX); \
	PREFETCHT0 512(AX); \
	RANK1(0, 0);        \
	RANK1(48, 128);     \
	RANK1(96, 256);     \
	RANK1(144, 384);    \
	ADDQ       $192, AX; \
	ADDQ       $512, BX

// PREFETCHC fetches row i of C at (DI), 128 bytes over at most three cache
// lines, and moves DI to row i+1. Prefetches never fault, but they are kept
// inside the tile anyway.
#define PREFETCHC \
	PREFETCHT0 (DI);    \
	PREFETCHT0 64(DI);  \
	PREFETCHT0 124(DI); \
	ADDQ       DX, DI

// STORE0(lo, hi): beta == 0, C[i, 0:32] = alpha*[lo, hi] at (CX), C not
// read; alpha in Z0.
#define STORE0(lo, hi) \
	VMULPS  Z0, lo, lo; \
	VMULPS  Z0, hi, hi; \
	VMOVUPS lo, (CX);   \
	VMOVUPS hi, 64(CX); \
	ADDQ    DX, CX

// STOREBETA(lo, hi): C[i, 0:32] = alpha*[lo, hi] + beta*C[i, 0:32] at (CX),
// with alpha in Z0 and beta in Z1.
#define STOREBETA(lo, hi) \
	VMULPS      Z0, lo, lo;     \
	VMULPS      Z0, hi, hi;     \
	VFMADD231PS (CX), Z1, lo;   \
	VFMADD231PS 64(CX), Z1, hi; \
	VMOVUPS     lo, (CX);       \
	VMOVUPS     hi, 64(CX);     \
	ADDQ        DX, CX

// func gemm12x32AVX512(k int, alpha float32, a, b []float32, beta float32, c []float32, ldc int)
//
// Register map:
//	AX: &a[12l] (packed A column l)    BX: &b[32l] (packed B row l)
//	CX: &C[i, 0] (stores)    DI: &C[i, 0] (prefetches)    DX: ldc in bytes
//	SI: iterations of four steps without, R8: with a prefetch of C
//	Z0, Z1: B[l, 0:16], B[l, 16:32]; then alpha and beta
//	Z2, Z3: A[i, l] broadcast, two rows at a time
//	Z4–Z27: the 12×32 C tile, row i in Z(4+2i) (columns 0:16) and Z(5+2i) (columns 16:32)
//	Z28–Z31: unused
//
// The rows of C are prefetched one per iteration during the last twelve
// iterations of four steps, 48 steps (some 600 cycles) before the
// write-back: late enough that they are still in L1, early enough to hide
// a trip to L3. When k < 48 they are all prefetched at the start.
TEXT ·gemm12x32AVX512(SB), NOSPLIT, $0-104
	MOVQ a_base+16(FP), AX
	MOVQ b_base+40(FP), BX
	MOVQ c_base+72(FP), CX
	MOVQ ldc+96(FP), DX
	SHLQ $2, DX
	MOVQ CX, DI

	// c := [12][32]float32{}
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
	VPXORD Z20, Z20, Z20
	VPXORD Z21, Z21, Z21
	VPXORD Z22, Z22, Z22
	VPXORD Z23, Z23, Z23
	VPXORD Z24, Z24, Z24
	VPXORD Z25, Z25, Z25
	VPXORD Z26, Z26, Z26
	VPXORD Z27, Z27, Z27

	// SI, R8 = k/4 - 12, 12 when k/4 >= 12; otherwise k/4, 0 and all of
	// C is prefetched now.
	MOVQ k+0(FP), SI
	SHRQ $2, SI
	MOVQ $12, R8
	CMPQ SI, R8
	JAE  long
	XORQ R8, R8
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	JMP  main

long:
	SUBQ R8, SI

main:
	// for l := 0; l < k&^3 - 48; l += 4, four rank-1 updates per iteration.
	TESTQ SI, SI
	JZ    late

loop4:
	STEP4
	DECQ SI
	JNZ  loop4

late:
	// The last (at most) twelve iterations of four steps, each also
	// prefetching a row of C.
	TESTQ R8, R8
	JZ    rem

loop4c:
	PREFETCHC
	STEP4
	DECQ R8
	JNZ  loop4c

rem:
	// for ; l < k; l++, one rank-1 update per iteration.
	MOVQ k+0(FP), SI
	ANDQ $3, SI
	JZ   store

loop1:
	RANK1(0, 0)
	ADDQ $48, AX
	ADDQ $128, BX
	DECQ SI
	JNZ  loop1

store:
	// if beta == 0 (+0 or -0, not NaN) { C = alpha*c } else { C = alpha*c + beta*C }
	VBROADCASTSS alpha+8(FP), Z0
	VBROADCASTSS beta+64(FP), Z1
	VXORPS       X2, X2, X2
	VUCOMISS     X2, X1
	JNE          betanz
	JPS          betanz

	STORE0(Z4, Z5)
	STORE0(Z6, Z7)
	STORE0(Z8, Z9)
	STORE0(Z10, Z11)
	STORE0(Z12, Z13)
	STORE0(Z14, Z15)
	STORE0(Z16, Z17)
	STORE0(Z18, Z19)
	STORE0(Z20, Z21)
	STORE0(Z22, Z23)
	STORE0(Z24, Z25)
	STORE0(Z26, Z27)
	VZEROUPPER
	RET

betanz:
	STOREBETA(Z4, Z5)
	STOREBETA(Z6, Z7)
	STOREBETA(Z8, Z9)
	STOREBETA(Z10, Z11)
	STOREBETA(Z12, Z13)
	STOREBETA(Z14, Z15)
	STOREBETA(Z16, Z17)
	STOREBETA(Z18, Z19)
	STOREBETA(Z20, Z21)
	STOREBETA(Z22, Z23)
	STOREBETA(Z24, Z25)
	STOREBETA(Z26, Z27)
	VZEROUPPER
	RET
