//go:build !purego

#include "textflag.h"

// The eight words at sgdTailMask<>+32-4r are a VMASKMOVPS mask enabling
// the first r lanes, 0 ≤ r ≤ 8.
DATA sgdTailMask<>+0(SB)/8, $0xffffffffffffffff
DATA sgdTailMask<>+8(SB)/8, $0xffffffffffffffff
DATA sgdTailMask<>+16(SB)/8, $0xffffffffffffffff
DATA sgdTailMask<>+24(SB)/8, $0xffffffffffffffff
DATA sgdTailMask<>+32(SB)/8, $0
DATA sgdTailMask<>+40(SB)/8, $0
DATA sgdTailMask<>+48(SB)/8, $0
DATA sgdTailMask<>+56(SB)/8, $0
GLOBL sgdTailMask<>(SB), RODATA|NOPTR, $64

// OPTION sets reg to all ones if flags (DX) has bit, else to zeros.
#define OPTION(bit, reg, skip) \
	VXORPS   reg, reg, reg; \
	TESTQ    $(bit), DX;    \
	JZ       skip;          \
	VPCMPEQD reg, reg, reg; \
skip:

// The lines of the update for the general loops, each computed and then
// kept or dropped by its option's mask with VBLENDVPS (mask, kept,
// dropped, dst), so that the loops have no branch but their own (a branch
// per option in the loop made it several times slower than the passes it
// replaces on Zen 3, so many branches so close together), and a dropped
// line changes no bit (fma(0, θ, g) would turn −0 into +0, ±Inf into NaN).
//
// DECAY: g = Decay ? wd·θ + g : g
#define DECAY \
	VMOVAPS     Y0, Y3;         \
	VFMADD231PS Y15, Y1, Y3;    \
	VBLENDVPS   Y9, Y3, Y0, Y0

// BUFFER, after Y2 = mu·buf: buf = First ? g : (Dampen ? c·g + Y2 : Y2)
#define BUFFER \
	VMOVAPS     Y2, Y3;         \
	VFMADD231PS Y13, Y0, Y3;    \
	VBLENDVPS   Y8, Y3, Y2, Y2; \
	VBLENDVPS   Y7, Y0, Y2, Y2

// DIRECTION: g = Nesterov ? mu·buf + g : buf
#define DIRECTION \
	VMOVAPS     Y0, Y3;         \
	VFMADD231PS Y14, Y2, Y3;    \
	VBLENDVPS   Y6, Y3, Y2, Y0

// UPDATE: θ = Update ? alpha·g + θ : θ
#define UPDATE \
	VMOVAPS     Y1, Y3;         \
	VFMADD231PS Y12, Y0, Y3;    \
	VBLENDVPS   Y5, Y3, Y1, Y1

// func sgd8AVX2(wd, mu, c, alpha float32, flags int, theta, grad, buf []float32)
//
// One pass of the SGD update (see sgdGeneric) over θ, g and, with
// momentum, buf: eight elements per iteration, then the last n%8 with
// masked loads and stores (VMASKMOVPS touches only the enabled lanes).
// The usual configurations (momentum past the first step with 1 − τ ≠ 0,
// or none; γ ≠ 0; with or without decay, Nesterov, Maximize) have loops
// of their own (FASTM, FASTP); the others run a general loop, with
// momentum or without, in which the options are masks (see DECAY): the
// five blends cost as much as the arithmetic (Zen 3, 2048 elements in L1,
// best of 300 interleaved: 473 ns masked, 225 ns in a loop of its own,
// 343 ns as the Scal and Axpy passes). There, with momentum, buf is read
// even at the first step (its length is n), but its values are not used;
// θ is written back unchanged when alpha is zero.
//
// Register map:
//	SI: &theta[0]  DI: &grad[0]  R8: &buf[0]
//	CX: n = len(theta)  AX: i  BX: n&^7  DX: flags
//	Y15: wd  Y14: mu  Y13: c = 1−τ  Y12: alpha = −γ
//	Y11: the sign bit if Maximize, else 0  Y10: the tail mask
//	Y9: Decay  Y8: Dampen  Y7: First  Y6: Nesterov  Y5: Update (masks)
//	Y0: g  Y1: θ  Y2: buf  Y3: a temporary
TEXT ·sgd8AVX2(SB), NOSPLIT, $0-96
	MOVQ theta_base+24(FP), SI
	MOVQ theta_len+32(FP), CX
	MOVQ grad_base+48(FP), DI
	MOVQ buf_base+72(FP), R8
	MOVQ flags+16(FP), DX

	VBROADCASTSS wd+0(FP), Y15
	VBROADCASTSS mu+4(FP), Y14
	VBROADCASTSS c+8(FP), Y13
	VBROADCASTSS alpha+12(FP), Y12

	// Y11 = −0.0 in every lane if Maximize (g ^= Y11 negates), else 0.
	OPTION(1, Y11, optMaximize)
	VPSLLD $31, Y11, Y11
	OPTION(2, Y9, optDecay)
	OPTION(16, Y8, optDampen)
	OPTION(8, Y7, optFirst)
	OPTION(32, Y6, optNesterov)
	OPTION(64, Y5, optUpdate)

	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-8, BX

	// The usual configurations (past the first step, 1 − τ ≠ 0, γ ≠ 0;
	// Maximize or not) run in loops of their own, without masks: the
	// blends cost as much as the arithmetic.
	TESTQ BX, BX
	JZ    general
	MOVQ  DX, R9
	ANDQ  $-2, R9
	CMPQ  R9, $(4|16|64)
	JEQ   heavy
	CMPQ  R9, $(2|4|16|64)
	JEQ   heavydecay
	CMPQ  R9, $(4|16|32|64)
	JEQ   nesterov
	CMPQ  R9, $(2|4|16|32|64)
	JEQ   nesterovdecay
	CMPQ  R9, $(64)
	JEQ   plainfast
	CMPQ  R9, $(2|64)
	JEQ   plaindecay

general:
	TESTQ $4, DX
	JZ    plain
	TESTQ BX, BX
	JZ    tailm

loopm:
	// With momentum: g = ±grad[i:i+8]; θ = theta[i:i+8]; Y2 = mu·buf[i:i+8]
	VMOVUPS (DI)(AX*4), Y0
	VXORPS  Y11, Y0, Y0
	VMOVUPS (SI)(AX*4), Y1
	DECAY
	VMULPS  (R8)(AX*4), Y14, Y2
	BUFFER
	VMOVUPS Y2, (R8)(AX*4)
	DIRECTION
	UPDATE
	VMOVUPS Y1, (SI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, BX
	JLT     loopm

tailm:
	// The last r = n − i < 8 elements: the same, under the mask Y10 of
	// their lanes.
	SUBQ    AX, CX
	JZ      done
	SHLQ    $2, CX
	LEAQ    sgdTailMask<>+32(SB), BX
	SUBQ    CX, BX
	VMOVUPS (BX), Y10

	VMASKMOVPS (DI)(AX*4), Y10, Y0
	VXORPS     Y11, Y0, Y0
	VMASKMOVPS (SI)(AX*4), Y10, Y1
	DECAY
	VMASKMOVPS (R8)(AX*4), Y10, Y2
	VMULPS     Y14, Y2, Y2
	BUFFER
	VMASKMOVPS Y2, Y10, (R8)(AX*4)
	DIRECTION
	UPDATE
	VMASKMOVPS Y1, Y10, (SI)(AX*4)
	JMP        done

plain:
	TESTQ BX, BX
	JZ    tailp

loopp:
	// Without momentum: g = ±grad[i:i+8]; θ = theta[i:i+8]
	VMOVUPS (DI)(AX*4), Y0
	VXORPS  Y11, Y0, Y0
	VMOVUPS (SI)(AX*4), Y1
	DECAY
	UPDATE
	VMOVUPS Y1, (SI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, BX
	JLT     loopp

tailp:
	SUBQ    AX, CX
	JZ      done
	SHLQ    $2, CX
	LEAQ    sgdTailMask<>+32(SB), BX
	SUBQ    CX, BX
	VMOVUPS (BX), Y10

	VMASKMOVPS (DI)(AX*4), Y10, Y0
	VXORPS     Y11, Y0, Y0
	VMASKMOVPS (SI)(AX*4), Y10, Y1
	DECAY
	UPDATE
	VMASKMOVPS Y1, Y10, (SI)(AX*4)

done:
	VZEROUPPER
	RET

// The fast loops, each for one configuration, n&^7 > 0 elements; the
// general tails do the last n%8.
//
// FASTM: the momentum loop with line decay (nothing or g += wd·θ) and
// line direction (g = buf, or g += mu·buf).
#define FASTM(decay, direction) \
	VMOVUPS     (DI)(AX*4), Y0;    \
	VXORPS      Y11, Y0, Y0;       \
	VMOVUPS     (SI)(AX*4), Y1;    \
	decay;                         \
	VMULPS      (R8)(AX*4), Y14, Y2; \
	VFMADD231PS Y13, Y0, Y2;       \
	VMOVUPS     Y2, (R8)(AX*4);    \
	direction;                     \
	VFMADD231PS Y12, Y0, Y1;       \
	VMOVUPS     Y1, (SI)(AX*4);    \
	ADDQ        $8, AX;            \
	CMPQ        AX, BX

// FASTP: the loop without momentum, with line decay.
#define FASTP(decay) \
	VMOVUPS     (DI)(AX*4), Y0; \
	VXORPS      Y11, Y0, Y0;    \
	VMOVUPS     (SI)(AX*4), Y1; \
	decay;                      \
	VFMADD231PS Y12, Y0, Y1;    \
	VMOVUPS     Y1, (SI)(AX*4); \
	ADDQ        $8, AX;         \
	CMPQ        AX, BX

#define NODECAY VMOVAPS Y0, Y0
#define WDDECAY VFMADD231PS Y15, Y1, Y0
#define HEAVY VMOVAPS Y2, Y0
#define NESTEROV VFMADD231PS Y14, Y2, Y0

heavy:
	FASTM(NODECAY, HEAVY)
	JLT heavy
	JMP tailm

heavydecay:
	FASTM(WDDECAY, HEAVY)
	JLT heavydecay
	JMP tailm

nesterov:
	FASTM(NODECAY, NESTEROV)
	JLT nesterov
	JMP tailm

nesterovdecay:
	FASTM(WDDECAY, NESTEROV)
	JLT nesterovdecay
	JMP tailm

plainfast:
	FASTP(NODECAY)
	JLT plainfast
	JMP tailp

plaindecay:
	FASTP(WDDECAY)
	JLT plaindecay
	JMP tailp
