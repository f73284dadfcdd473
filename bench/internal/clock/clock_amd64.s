//go:build !purego

#include "textflag.h"

// func addChain(n, inc int) int
//
// addChain returns 16·n·inc (0 if n ≤ 0), computed as 16·n additions of
// inc to one register, each waiting for the one before: the chain runs at
// one ADD per cycle. The addend is a register, not an immediate, because recent Intel
// cores can fold chains of small-immediate additions at rename.
TEXT ·addChain(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ inc+8(FP), DX
	XORQ AX, AX
	TESTQ CX, CX
	JLE  done

loop:
	// sum += inc, sixteen times; DECQ and JNZ run beside the chain
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	ADDQ DX, AX
	DECQ CX
	JNZ  loop

done:
	MOVQ AX, ret+16(FP)
	RET
