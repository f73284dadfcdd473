//go:build !purego

#include "textflag.h"

// Go's arm64 assembler has no floating-point vector add, so these are
// emitted with WORD:
//
//	FADD  Vd.4S, Vn.4S, Vm.4S = 0x4E20D400 | m<<16 | n<<5 | d
//	FADDP Vd.4S, Vn.4S, Vm.4S = 0x6E20D400 | m<<16 | n<<5 | d
//	FADDP Sd, Vn.2S           = 0x7E30D800 | n<<5 | d
#define VFADD_4S(m, n, d) WORD $(0x4E20D400 | (m)<<16 | (n)<<5 | (d))
#define VFADDP_4S(m, n, d) WORD $(0x6E20D400 | (m)<<16 | (n)<<5 | (d))
#define FADDP_2S(n, d) WORD $(0x7E30D800 | (n)<<5 | (d))

// func dotNEON(x, y []float32) float32
//
// Returns the sum of x[i]*y[i] for i < len(x): eight vector accumulators
// over 32 floats per iteration (eight, so that the multiply-adds of one
// iteration need not wait for the last's: four cycles of latency, two
// pipes), then 16 into the first four, then 4 at a time into the first;
// the accumulators are summed across, then the last len(x)%4 products are
// added one at a time.
TEXT ·dotNEON(SB), NOSPLIT, $0-52
	MOVD x_base+0(FP), R0
	MOVD y_base+24(FP), R1
	MOVD x_len+8(FP), R2

	// V16..V23 = 0: eight independent sums.
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16

	// for ; n >= 32; n -= 32
	LSR $5, R2, R3
	CBZ R3, tail16

loop32:
	// V0..V3, V8..V11 = x[0:32]; V4..V7, V12..V15 = y[0:32]; x, y += 32
	// (pairs at offsets: post-incremented loads would chain on x and y)
	FLDPQ (R0), (F0, F1)
	FLDPQ 32(R0), (F2, F3)
	FLDPQ (R1), (F4, F5)
	FLDPQ 32(R1), (F6, F7)
	FLDPQ 64(R0), (F8, F9)
	FLDPQ 96(R0), (F10, F11)
	FLDPQ 64(R1), (F12, F13)
	FLDPQ 96(R1), (F14, F15)
	ADD   $128, R0
	ADD   $128, R1

	// V16..V23 += x[0:32] * y[0:32]
	VFMLA V0.S4, V4.S4, V16.S4
	VFMLA V1.S4, V5.S4, V17.S4
	VFMLA V2.S4, V6.S4, V18.S4
	VFMLA V3.S4, V7.S4, V19.S4
	VFMLA V8.S4, V12.S4, V20.S4
	VFMLA V9.S4, V13.S4, V21.S4
	VFMLA V10.S4, V14.S4, V22.S4
	VFMLA V11.S4, V15.S4, V23.S4

	SUBS $1, R3
	BNE  loop32

tail16:
	// if n&16 != 0: V16..V19 += x[0:16] * y[0:16]; x, y += 16
	TBZ    $4, R2, tail4
	VLD1.P 64(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA  V0.S4, V4.S4, V16.S4
	VFMLA  V1.S4, V5.S4, V17.S4
	VFMLA  V2.S4, V6.S4, V18.S4
	VFMLA  V3.S4, V7.S4, V19.S4

tail4:
	// for ; n >= 4; n -= 4
	AND $15, R2
	LSR $2, R2, R3
	CBZ R3, reduce

loop4:
	// V16 += x[0:4] * y[0:4]; x, y += 4
	VLD1.P 16(R0), [V0.S4]
	VLD1.P 16(R1), [V4.S4]
	VFMLA  V0.S4, V4.S4, V16.S4

	SUBS $1, R3
	BNE  loop4

reduce:
	// V16 = ((V16 + V20) + (V17 + V21)) + ((V18 + V22) + (V19 + V23))
	VFADD_4S(20, 16, 16)
	VFADD_4S(21, 17, 17)
	VFADD_4S(22, 18, 18)
	VFADD_4S(23, 19, 19)
	VFADD_4S(17, 16, 16)
	VFADD_4S(19, 18, 18)
	VFADD_4S(18, 16, 16)

	// F0 = (V16[0] + V16[1]) + (V16[2] + V16[3])
	VFADDP_4S(16, 16, 16)
	FADDP_2S(16, 0)

	// for ; n > 0; n--
	AND $3, R2
	CBZ R2, done

loop1:
	// sum += x[0] * y[0]; x, y++
	FMOVS.P 4(R0), F1
	FMOVS.P 4(R1), F2
	FMADDS  F1, F0, F2, F0

	SUBS $1, R2
	BNE  loop1

done:
	FMOVS F0, ret+48(FP)
	RET
