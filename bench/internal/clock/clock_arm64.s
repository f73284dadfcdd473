//go:build !purego

#include "textflag.h"

// func addChain(n, inc int) int
//
// addChain returns 16·n·inc (0 if n ≤ 0), computed as 16·n additions of
// inc to one register, each waiting for the one before: the chain runs at
// one ADD per cycle.
TEXT ·addChain(SB), NOSPLIT, $0-24
	MOVD n+0(FP), R1
	MOVD inc+8(FP), R2
	MOVD $0, R0
	CMP  $0, R1
	BLE  done

loop:
	// sum += inc, sixteen times; SUBS and BNE run beside the chain
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	ADD R2, R0, R0
	SUBS $1, R1, R1
	BNE  loop

done:
	MOVD R0, ret+16(FP)
	RET
