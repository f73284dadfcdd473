//go:build !purego

#include "textflag.h"

// Go's arm64 assembler has no floating-point vector multiply, divide,
// add, square root or compare, so they are emitted with WORD (Q = 1, single
// precision):
//
//	FMUL  Vd.4S, Vn.4S, Vm.4S = 0x6E20DC00 | m<<16 | n<<5 | d
//	FDIV  Vd.4S, Vn.4S, Vm.4S = 0x6E20FC00 | m<<16 | n<<5 | d
//	FADD  Vd.4S, Vn.4S, Vm.4S = 0x4E20D400 | m<<16 | n<<5 | d
//	FSQRT Vd.4S, Vn.4S        = 0x6EA1F800 | n<<5 | d
//	FCMGT Vd.4S, Vn.4S, Vm.4S = 0x6EA0E400 | m<<16 | n<<5 | d   (Vn > Vm)
//	FCMEQ Vd.4S, Vn.4S, Vm.4S = 0x4E20E400 | m<<16 | n<<5 | d   (Vn == Vm)
//	ORN   Vd.16B, Vn.16B, Vm.16B = 0x4EE01C00 | m<<16 | n<<5 | d (Vn | ^Vm)
#define FMUL_4S(m, n, d) WORD $(0x6E20DC00 | (m)<<16 | (n)<<5 | (d))
#define FDIV_4S(m, n, d) WORD $(0x6E20FC00 | (m)<<16 | (n)<<5 | (d))
#define FADD_4S(m, n, d) WORD $(0x4E20D400 | (m)<<16 | (n)<<5 | (d))
#define FSQRT_4S(n, d) WORD $(0x6EA1F800 | (n)<<5 | (d))
#define FCMGT_4S(m, n, d) WORD $(0x6EA0E400 | (m)<<16 | (n)<<5 | (d))
#define FCMEQ_4S(m, n, d) WORD $(0x4E20E400 | (m)<<16 | (n)<<5 | (d))
#define ORN_16B(m, n, d) WORD $(0x4EE01C00 | (m)<<16 | (n)<<5 | (d))

// MOMENTS: g ^= sign; θ = decay·θ (after g += l2·θ if Coupled, flag bit
// 1); m = c1·g + b1·m; v = (c2·g)·g + b2·v; V5 is a temporary.
#define MOMENTS(coupledDone) \
	VEOR  V25.B16, V0.B16, V0.B16; \
	TBZ   $1, R6, coupledDone;     \
	VFMLA V17.S4, V1.S4, V0.S4;    \
coupledDone:                       \
	FMUL_4S(16, 1, 1);             \
	FMUL_4S(18, 2, 2);             \
	VFMLA V19.S4, V0.S4, V2.S4;    \
	FMUL_4S(20, 3, 3);             \
	FMUL_4S(21, 0, 5);             \
	VFMLA V5.S4, V0.S4, V3.S4

// MAX: V4 = (v > vmax || v is NaN) ? v : vmax, then w = V3 = V4.
#define MAX \
	FCMGT_4S(4, 3, 5);            \
	FCMEQ_4S(3, 3, 6);            \
	ORN_16B(6, 5, 5);             \
	VBIT  V5.B16, V3.B16, V4.B16; \
	VORR  V4.B16, V4.B16, V3.B16

// UPDATE: d = sqrt(w)/bc2 + eps in V3; θ = t + (alpha·m)/d in V1.
#define UPDATE \
	FSQRT_4S(3, 3);    \
	FDIV_4S(22, 3, 3); \
	FADD_4S(23, 3, 3); \
	FMUL_4S(24, 2, 5); \
	FDIV_4S(3, 5, 5);  \
	FADD_4S(5, 1, 1)

// func adam4NEON(decay, l2, b1, c1, b2, c2, bc2, eps, alpha float32, flags int, theta, grad, m, v, vmax []float32)
//
// One pass of the Adam update (see adamGeneric) over θ, g, m, v and, with
// AMSGrad (flag bit 2), vmax: four elements per iteration, then one at a
// time in lane 0 (a scalar load clears the other lanes).
//
// Register map:
//	R0: θ  R1: grad  R2: m  R3: v  R4: vmax (read cursors, each advanced as it goes)
//	R8: θ  R9: m  R10: v  R11: vmax (write cursors: apart from the read
//	cursors, so that the next loads need not wait for a store's address update)
//	R5: n  R6: flags  R7: count
//	V16: decay  V17: l2  V18: b1  V19: c1  V20: b2  V21: c2  V22: bc2
//	V23: eps  V24: alpha  V25: the sign bit if Maximize, else 0
//	V0: g  V1: θ, then t  V2: m  V3: v, then w and d  V4: vmax  V5, V6: temporaries
TEXT ·adam4NEON(SB), NOSPLIT, $0-168
	MOVD theta_base+48(FP), R0
	MOVD theta_len+56(FP), R5
	MOVD grad_base+72(FP), R1
	MOVD m_base+96(FP), R2
	MOVD v_base+120(FP), R3
	MOVD vmax_base+144(FP), R4
	MOVD flags+40(FP), R6
	MOVD R0, R8
	MOVD R2, R9
	MOVD R3, R10
	MOVD R4, R11

	FMOVS decay+0(FP), F16
	FMOVS l2+4(FP), F17
	FMOVS b1+8(FP), F18
	FMOVS c1+12(FP), F19
	FMOVS b2+16(FP), F20
	FMOVS c2+20(FP), F21
	FMOVS bc2+24(FP), F22
	FMOVS eps+28(FP), F23
	FMOVS alpha+32(FP), F24
	VDUP  V16.S[0], V16.S4
	VDUP  V17.S[0], V17.S4
	VDUP  V18.S[0], V18.S4
	VDUP  V19.S[0], V19.S4
	VDUP  V20.S[0], V20.S4
	VDUP  V21.S[0], V21.S4
	VDUP  V22.S[0], V22.S4
	VDUP  V23.S[0], V23.S4
	VDUP  V24.S[0], V24.S4

	// V25 = −0.0 in every lane if Maximize (flag bit 0), else 0.
	VEOR V25.B16, V25.B16, V25.B16
	TBZ  $0, R6, start
	MOVW $0x80000000, R7
	VDUP R7, V25.S4

start:
	LSR $2, R5, R7
	CBZ R7, tail

loop4:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R0), [V1.S4]
	VLD1.P 16(R2), [V2.S4]
	VLD1.P 16(R3), [V3.S4]
	MOMENTS(coupled4)
	VST1.P [V2.S4], 16(R9)
	VST1.P [V3.S4], 16(R10)
	TBZ    $2, R6, update4
	VLD1.P 16(R4), [V4.S4]
	MAX
	VST1.P [V4.S4], 16(R11)

update4:
	UPDATE
	VST1.P [V1.S4], 16(R8)
	SUBS   $1, R7
	BNE    loop4

tail:
	AND $3, R5
	CBZ R5, done

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R0), F1
	FMOVS.P 4(R2), F2
	FMOVS.P 4(R3), F3
	MOMENTS(coupled1)
	FMOVS.P F2, 4(R9)
	FMOVS.P F3, 4(R10)
	TBZ     $2, R6, update1
	FMOVS.P 4(R4), F4
	MAX
	FMOVS.P F4, 4(R11)

update1:
	UPDATE
	FMOVS.P F1, 4(R8)
	SUBS    $1, R5
	BNE     loop1

done:
	RET
