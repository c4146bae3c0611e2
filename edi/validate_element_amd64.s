//go:build amd64 && !purego

#include "textflag.h"

// Offsets of the fields of a fastElement, which is 16 bytes long.
#define FAST_KIND 0
#define FAST_MIN 2
#define FAST_WIDTH 4
#define FAST_CODES 8

// Registers: SI raw, R9 len(raw), DI ends after the tag's, CX elements,
// DX i, BX start of element i, AX present, R10 end of element i, R11 its
// length, R12 &fast[i]; R13, R14 and R15 scratch.
//
// func commonKindsOK(raw []byte, ends []int32, fast []fastElement, codes bool) (uint64, bool)
TEXT ·commonKindsOK(SB), NOSPLIT, $0-89
	MOVQ	raw_base+0(FP), SI
	MOVQ	raw_len+8(FP), R9
	MOVQ	ends_base+24(FP), DI
	MOVQ	ends_len+32(FP), CX
	MOVQ	fast_base+48(FP), R12
	XORL	AX, AX
	XORL	DX, DX
	DECQ	CX
	JL	fail
	CMPQ	CX, fast_len+56(FP)
	JA	fail
	MOVLQSX	(DI), BX
	CMPQ	BX, R9
	JA	fail		// the tag ends outside raw
	INCQ	BX
	ADDQ	$4, DI
	TESTQ	CX, CX
	JEQ	done

loop:
	MOVLQSX	(DI)(DX*4), R10
	CMPQ	R10, R9
	JA	fail		// outside raw; unsigned, so also below it
	MOVQ	R10, R11
	SUBQ	BX, R11
	LEAQ	1(R10), BX
	JLE	next		// empty
	BTSQ	DX, AX
	MOVBLZX	FAST_KIND(R12), R13
	CMPB	R13, $1
	JA	number
	JB	text
	CMPB	codes+72(FP), $0
	JNE	code

text:
	CMPB	-1(SI)(R10*1), $0x20
	JEQ	fail		// trailing space

fits:
	MOVWQZX	FAST_MIN(R12), R13
	SUBQ	R13, R11
	MOVWQZX	FAST_WIDTH(R12), R13
	CMPQ	R11, R13
	JA	fail

next:
	INCQ	DX
	ADDQ	$16, R12
	CMPQ	DX, CX
	JB	loop

done:
	MOVQ	AX, ret+80(FP)
	MOVB	$1, ret1+88(FP)
	RET

fail:
	MOVQ	$0, ret+80(FP)
	MOVB	$0, ret1+88(FP)
	RET

// A code of one to three characters numbers as shortCodeIndex says; the
// codes of fast[i] hold only those whose length fits.
code:
	LEAQ	·base37(SB), R15
	CMPQ	R11, $2
	JNE	code1
	MOVBLZX	-2(SI)(R10*1), R13
	MOVLQSX	(R15)(R13*4), R13
	IMUL3Q	$37, R13, R13
	MOVBLZX	-1(SI)(R10*1), R14
	MOVLQSX	(R15)(R14*4), R14
	ADDQ	R14, R13

lookup:
	TESTQ	R13, R13
	JS	fail		// a character outside 0-9 and A-Z
	MOVQ	FAST_CODES(R12), R14
	MOVQ	R13, R15
	SHRQ	$6, R15
	MOVQ	(R14)(R15*8), R14
	BTQ	R13, R14
	JCC	fail
	JMP	next

code1:
	CMPQ	R11, $1
	JNE	code3
	MOVBLZX	-1(SI)(R10*1), R13
	MOVLQSX	(R15)(R13*4), R13
	JMP	lookup

code3:
	CMPQ	R11, $3
	JNE	fail
	MOVBLZX	-3(SI)(R10*1), R13
	MOVLQSX	(R15)(R13*4), R13
	IMUL3Q	$37, R13, R13
	MOVBLZX	-2(SI)(R10*1), R14
	MOVLQSX	(R15)(R14*4), R14
	ADDQ	R14, R13
	IMUL3Q	$37, R13, R13
	MOVBLZX	-1(SI)(R10*1), R14
	MOVLQSX	(R15)(R14*4), R14
	ADDQ	R14, R13
	JMP	lookup

// A number is numericLength's: a sign ('+' only in a decimal), then digits
// and, in a decimal, at most one point; its length is its digits. R13 holds
// the kind, which turns from fastDecimal to fastInteger at the point.
number:
	CMPB	R13, $3
	JA	date
	MOVQ	R10, R14
	SUBQ	R11, R14
	MOVBLZX	(SI)(R14*1), R15
	CMPB	R15, $0x2d	// '-'
	JEQ	sign
	CMPB	R15, $0x2b	// '+'
	JNE	digits
	CMPB	R13, $3
	JNE	digits

sign:
	INCQ	R14

digits:
	MOVQ	R10, R11
	SUBQ	R14, R11

dloop:
	CMPQ	R14, R10
	JAE	dend
	MOVBLZX	(SI)(R14*1), R15
	INCQ	R14
	SUBL	$0x30, R15
	CMPL	R15, $9
	JLS	dloop
	CMPL	R15, $-2	// '.'
	JNE	fail
	CMPB	R13, $3
	JNE	fail		// not a decimal, or a second point
	MOVL	$2, R13
	DECQ	R11
	JMP	dloop

dend:
	TESTQ	R11, R11
	JLE	fail		// no digit
	JMP	fits

// A date is plainDate's: six or eight digits, a month from 1 to 12 and a
// day of it, February 29 being left to the full check.
date:
	CMPB	R13, $4
	JNE	next		// left to othersOK
	CMPQ	R11, $8
	JEQ	dateform
	CMPQ	R11, $6
	JNE	fail

dateform:
	MOVQ	R10, R14
	SUBQ	R11, R14

ddigit:
	MOVBLZX	(SI)(R14*1), R15
	SUBL	$0x30, R15
	CMPL	R15, $9
	JHI	fail
	INCQ	R14
	CMPQ	R14, R10
	JB	ddigit
	MOVBLZX	-4(SI)(R10*1), R13
	SUBL	$0x30, R13
	IMUL3L	$10, R13, R13
	MOVBLZX	-3(SI)(R10*1), R14
	LEAL	-0x30(R13)(R14*1), R13	// month
	MOVBLZX	-2(SI)(R10*1), R14
	SUBL	$0x30, R14
	IMUL3L	$10, R14, R14
	MOVBLZX	-1(SI)(R10*1), R15
	LEAL	-0x30(R14)(R15*1), R14	// day
	CMPL	R13, $12
	JHI	fail
	TESTL	R14, R14
	JEQ	fail
	LEAQ	·monthDays(SB), R15
	MOVBLZX	(R15)(R13*1), R15
	CMPL	R14, R15
	JHI	fail
	JMP	fits
