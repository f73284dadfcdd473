//go:build !purego

#include "textflag.h"

// Go's arm64 assembler has no floating-point vector multiply, so it is
// emitted with WORD (Q = 1, single precision):
//
//	FMUL Vd.4S, Vn.4S, Vm.4S = 0x6E20DC00 | m<<16 | n<<5 | d
#define FMUL_4S(m, n, d) WORD $(0x6E20DC00 | (m)<<16 | (n)<<5 | (d))

// func sgd8NEON(wd, mu, c, alpha float32, flags int, theta, grad, buf []float32)
//
// One pass of the SGD update (see sgdGeneric) over θ, g and, with
// momentum, buf: eight elements per iteration, then one at a time in lane
// 0 (a scalar load clears the other lanes). Each line of the update runs
// under its bit of flags (sgdFlags), tested by a branch that goes the
// same way on every iteration.
//
// Register map:
//	R0: θ  R1: grad  R2: buf (read cursors, each advanced by its load)
//	R8: θ  R9: buf (write cursors: apart from the read cursors, so that
//	the next loads need not wait for a store's address update)
//	R5: n  R6: flags  R7: count
//	V16: wd  V17: mu  V18: c = 1−τ  V19: alpha = −γ
//	V20: the sign bit if Maximize, else 0
//	V0, V1: g  V2, V3: θ  V4, V5: buf
TEXT ·sgd8NEON(SB), NOSPLIT, $0-96
	MOVD theta_base+24(FP), R0
	MOVD theta_len+32(FP), R5
	MOVD grad_base+48(FP), R1
	MOVD buf_base+72(FP), R2
	MOVD flags+16(FP), R6
	MOVD R0, R8
	MOVD R2, R9

	FMOVS wd+0(FP), F16
	FMOVS mu+4(FP), F17
	FMOVS c+8(FP), F18
	FMOVS alpha+12(FP), F19
	VDUP  V16.S[0], V16.S4
	VDUP  V17.S[0], V17.S4
	VDUP  V18.S[0], V18.S4
	VDUP  V19.S[0], V19.S4

	// V20 = −0.0 in every lane if Maximize (flag bit 0), else 0.
	VEOR V20.B16, V20.B16, V20.B16
	TBZ  $0, R6, start
	MOVW $0x80000000, R7
	VDUP R7, V20.S4

start:
	LSR $3, R5, R7
	CBZ R7, tail

loop8:
	// g = ±grad[0:8]; θ = theta[0:8]
	VLD1.P 32(R1), [V0.S4, V1.S4]
	VLD1.P 32(R0), [V2.S4, V3.S4]
	VEOR   V20.B16, V0.B16, V0.B16
	VEOR   V20.B16, V1.B16, V1.B16

	// if Decay (bit 1) { g += wd·θ }
	TBZ   $1, R6, momentum8
	VFMLA V16.S4, V2.S4, V0.S4
	VFMLA V16.S4, V3.S4, V1.S4

momentum8:
	TBZ $2, R6, update8

	// buf = First (bit 3) ? g : mu·buf (+ c·g if Dampen, bit 4)
	TBZ  $3, R6, old8
	VORR V0.B16, V0.B16, V4.B16
	VORR V1.B16, V1.B16, V5.B16
	B    store8

old8:
	VLD1.P 32(R2), [V4.S4, V5.S4]
	FMUL_4S(17, 4, 4)
	FMUL_4S(17, 5, 5)
	TBZ    $4, R6, store8
	VFMLA  V18.S4, V0.S4, V4.S4
	VFMLA  V18.S4, V1.S4, V5.S4

store8:
	VST1.P [V4.S4, V5.S4], 32(R9)

	// g = Nesterov (bit 5) ? g + mu·buf : buf
	TBZ   $5, R6, heavy8
	VFMLA V17.S4, V4.S4, V0.S4
	VFMLA V17.S4, V5.S4, V1.S4
	B     update8

heavy8:
	VORR V4.B16, V4.B16, V0.B16
	VORR V5.B16, V5.B16, V1.B16

update8:
	// if Update (bit 6) { theta[0:8] = θ + alpha·g }
	TBZ    $6, R6, next8
	VFMLA  V19.S4, V0.S4, V2.S4
	VFMLA  V19.S4, V1.S4, V3.S4
	VST1.P [V2.S4, V3.S4], 32(R8)

next8:
	SUBS $1, R7
	BNE  loop8

tail:
	AND $7, R5
	CBZ R5, done

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R0), F2
	VEOR    V20.B16, V0.B16, V0.B16

	TBZ   $1, R6, momentum1
	VFMLA V16.S4, V2.S4, V0.S4

momentum1:
	TBZ $2, R6, update1

	TBZ  $3, R6, old1
	VORR V0.B16, V0.B16, V4.B16
	B    store1

old1:
	FMOVS.P 4(R2), F4
	FMUL_4S(17, 4, 4)
	TBZ     $4, R6, store1
	VFMLA   V18.S4, V0.S4, V4.S4

store1:
	FMOVS.P F4, 4(R9)

	TBZ   $5, R6, heavy1
	VFMLA V17.S4, V4.S4, V0.S4
	B     update1

heavy1:
	VORR V4.B16, V4.B16, V0.B16

update1:
	TBZ     $6, R6, next1
	VFMLA   V19.S4, V0.S4, V2.S4
	FMOVS.P F2, 4(R8)

next1:
	SUBS $1, R5
	BNE  loop1

done:
	RET
