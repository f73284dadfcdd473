//go:build !purego

#include "textflag.h"

// The float64 twin of gemm_avx512_12x32_amd64.s: the same registers and the
// same schedule, eight float64 to a zmm register instead of sixteen
// float32, so the tile is 12×16. Two zmm loads of a packed B row feed 24
// FMAs, one per accumulator, with the twelve A elements of the step
// broadcast from memory.

// DROWS2(ao, c0, c1, c2, c3) is two rows of one k step, with B[l, 0:16] in
// Z0, Z1 and A[i, l], A[i+1, l] at ao(AX), ao+8(AX):
//
//	[c0, c1] += A[i, l] * B[l, 0:16]
//	[c2, c3] += A[i+1, l] * B[l, 0:16]
#define DROWS2(ao, c0, c1, c2, c3) \
	VBROADCASTSD ao(AX), Z2;   \
	VBROADCASTSD ao+8(AX), Z3; \
	VFMADD231PD  Z0, Z2, c0;   \
	VFMADD231PD  Z1, Z2, c1;   \
	VFMADD231PD  Z0, Z3, c2;   \
	VFMADD231PD  Z1, Z3, c3

// DRANK1(ao, bo) is one step l of the k loop, C += A[:, l] · B[l, :], with
// the packed A column A[0:12, l] at ao(AX) and the packed B row B[l, 0:16]
// at bo(BX):
//
//	b0, b1 := B[l, 0:8], B[l, 8:16]
//	for i := 0; i < 12; i++ {
//		c[i][0:8] += A[i, l] * b0
//		c[i][8:16] += A[i, l] * b1
//	}
#define DRANK1(ao, bo) \
	VMOVUPD bo(BX), Z0;                \
	VMOVUPD bo+64(BX), Z1;             \
	DROWS2(ao, Z4, Z5, Z6, Z7);        \
	DROWS2(ao+16, Z8, Z9, Z10, Z11);   \
	DROWS2(ao+32, Z12, Z13, Z14, Z15); \
	DROWS2(ao+48, Z16, Z17, Z18, Z19); \
	DROWS2(ao+64, Z20, Z21, Z22, Z23); \
	DROWS2(ao+80, Z24, Z25, Z26, Z27)

// DSTEP4 is four steps of the k loop. They read 384 bytes of A (six cache
// lines) and 512 of B. A streams from L2, so its lines are fetched two
// iterations (768 bytes) ahead, past the end of the micro-panel into the
// next one, which the driver packed right after it. The B micro-panel is
// the one the driver keeps close (in L1, or L2 for the deeper part of a
// KC-deep panel) and is read in order, which the hardware prefetchers
// follow.
#define DSTEP4 \
	PREFETCHT0 768(AX);  \
	PREFETCHT0 832(AX);  \
	PREFETCHT0 896(AX);  \
	DRANK1(0, 0);        \
	PREFETCHT0 960(AX);  \
	PREFETCHT0 1024(AX); \
	PREFETCHT0 1088(AX); \
	DRANK1(96, 128);     \
	DRANK1(192, 256);    \
	DRANK1(288, 384);    \
	ADDQ       $384, AX; \
	ADDQ       $512, BX

// PREFETCHC fetches row i of C at (DI), 128 bytes over at most three cache
// lines, and moves DI to row i+1. Prefetches never fault, but they are kept
// inside the tile anyway.
#define PREFETCHC \
	PREFETCHT0 (DI);    \
	PREFETCHT0 64(DI);  \
	PREFETCHT0 120(DI); \
	ADDQ       DX, DI

// DSTORE0(lo, hi): beta == 0, C[i, 0:16] = alpha*[lo, hi] at (CX), C not
// read; alpha in Z0.
#define DSTORE0(lo, hi) \
	VMULPD  Z0, lo, lo; \
	VMULPD  Z0, hi, hi; \
	VMOVUPD lo, (CX);   \
	VMOVUPD hi, 64(CX); \
	ADDQ    DX, CX

// DSTOREBETA(lo, hi): C[i, 0:16] = alpha*[lo, hi] + beta*C[i, 0:16] at
// (CX), with alpha in Z0 and beta in Z1.
#define DSTOREBETA(lo, hi) \
	VMULPD      Z0, lo, lo;     \
	VMULPD      Z0, hi, hi;     \
	VFMADD231PD (CX), Z1, lo;   \
	VFMADD231PD 64(CX), Z1, hi; \
	VMOVUPD     lo, (CX);       \
	VMOVUPD     hi, 64(CX);     \
	ADDQ        DX, CX

// func dgemm12x16AVX512(k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int)
//
// Register map:
//	AX: &a[12l] (packed A column l)    BX: &b[16l] (packed B row l)
//	CX: &C[i, 0] (stores)    DI: &C[i, 0] (prefetches)    DX: ldc in bytes
//	SI: iterations of four steps without, R8: with a prefetch of C
//	Z0, Z1: B[l, 0:8], B[l, 8:16]; then alpha and beta
//	Z2, Z3: A[i, l] broadcast, two rows at a time
//	Z4–Z27: the 12×16 C tile, row i in Z(4+2i) (columns 0:8) and Z(5+2i) (columns 8:16)
//	Z28–Z31: unused
//
// The rows of C are prefetched one per iteration during the last twelve
// iterations of four steps, 48 steps (some 600 cycles) before the
// write-back: late enough that they are still in L1, early enough to hide
// a trip to L3. When k < 48 they are all prefetched at the start.
TEXT ·dgemm12x16AVX512(SB), NOSPLIT, $0-104
	MOVQ a_base+16(FP), AX
	MOVQ b_base+40(FP), BX
	MOVQ c_base+72(FP), CX
	MOVQ ldc+96(FP), DX
	SHLQ $3, DX
	MOVQ CX, DI

	// c := [12][16]float64{}
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
	DSTEP4
	DECQ SI
	JNZ  loop4

late:
	// The last (at most) twelve iterations of four steps, each also
	// prefetching a row of C.
	TESTQ R8, R8
	JZ    rem

loop4c:
	PREFETCHC
	DSTEP4
	DECQ R8
	JNZ  loop4c

rem:
	// for ; l < k; l++, one rank-1 update per iteration.
	MOVQ k+0(FP), SI
	ANDQ $3, SI
	JZ   store

loop1:
	DRANK1(0, 0)
	ADDQ $96, AX
	ADDQ $128, BX
	DECQ SI
	JNZ  loop1

store:
	// if beta == 0 (+0 or -0, not NaN) { C = alpha*c } else { C = alpha*c + beta*C }
	VBROADCASTSD alpha+8(FP), Z0
	VBROADCASTSD beta+64(FP), Z1
	VXORPD       X2, X2, X2
	VUCOMISD     X2, X1
	JNE          betanz
	JPS          betanz

	DSTORE0(Z4, Z5)
	DSTORE0(Z6, Z7)
	DSTORE0(Z8, Z9)
	DSTORE0(Z10, Z11)
	DSTORE0(Z12, Z13)
	DSTORE0(Z14, Z15)
	DSTORE0(Z16, Z17)
	DSTORE0(Z18, Z19)
	DSTORE0(Z20, Z21)
	DSTORE0(Z22, Z23)
	DSTORE0(Z24, Z25)
	DSTORE0(Z26, Z27)
	VZEROUPPER
	RET

betanz:
	DSTOREBETA(Z4, Z5)
	DSTOREBETA(Z6, Z7)
	DSTOREBETA(Z8, Z9)
	DSTOREBETA(Z10, Z11)
	DSTOREBETA(Z12, Z13)
	DSTOREBETA(Z14, Z15)
	DSTOREBETA(Z16, Z17)
	DSTOREBETA(Z18, Z19)
	DSTOREBETA(Z20, Z21)
	DSTOREBETA(Z22, Z23)
	DSTOREBETA(Z24, Z25)
	DSTOREBETA(Z26, Z27)
	VZEROUPPER
	RET
