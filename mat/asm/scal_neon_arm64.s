//go:build !purego

#include "textflag.h"

// Go's arm64 assembler has no floating-point vector multiply, so it is
// emitted with WORD:
//
//	FMUL Vd.4S, Vn.4S, Vm.4S = 0x6E20DC00 | m<<16 | n<<5 | d
#define VFMUL_4S(m, n, d) WORD $(0x6E20DC00 | (m)<<16 | (n)<<5 | (d))

// func scalNEON(alpha float32, x []float32)
//
// x[i] *= alpha, 16 floats per iteration, then 4, then one at a time.
TEXT ·scalNEON(SB), NOSPLIT, $0-32
	FMOVS alpha+0(FP), F0
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2
	MOVD  R0, R1 // x's write cursor, R0 its read cursor: apart, so that a
	             // load need not wait for the last store's address update

	// V0 = {alpha, alpha, alpha, alpha}; F0 (its lane 0) is still alpha.
	VDUP V0.S[0], V0.S4

	// for ; n >= 16; n -= 16
	LSR $4, R2, R3
	CBZ R3, tail4

loop16:
	// V1..V4 = x[0:16] * alpha
	FLDPQ (R0), (F1, F2)
	FLDPQ 32(R0), (F3, F4)
	ADD   $64, R0
	VFMUL_4S(0, 1, 1)
	VFMUL_4S(0, 2, 2)
	VFMUL_4S(0, 3, 3)
	VFMUL_4S(0, 4, 4)

	// x[0:16] = V1..V4; x += 16
	VST1.P [V1.S4, V2.S4, V3.S4, V4.S4], 64(R1)

	SUBS $1, R3
	BNE  loop16

tail4:
	// for ; n >= 4; n -= 4
	AND $15, R2
	LSR $2, R2, R3
	CBZ R3, tail1

loop4:
	// x[0:4] *= alpha; x += 4
	VLD1.P 16(R0), [V1.S4]
	VFMUL_4S(0, 1, 1)
	VST1.P [V1.S4], 16(R1)

	SUBS $1, R3
	BNE  loop4

tail1:
	// for ; n > 0; n--
	AND $3, R2
	CBZ R2, done

loop1:
	// x[0] *= alpha; x++
	FMOVS   (R0), F1
	FMULS   F0, F1, F1
	FMOVS.P F1, 4(R0)

	SUBS $1, R2
	BNE  loop1

done:
	RET
