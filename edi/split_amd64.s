//go:build amd64 && !purego

#include "textflag.h"

// BLOCK folds the sixteen bytes in X4 into the running minima X2 (of the
// bytes) and X3 (of the bytes xor 0x7F), and sets m to the mask of the
// bytes equal to the separator. YBLOCK does the same for the thirty-two
// bytes in Y4.
#define BLOCK(m) \
	PMINUB	X4, X2; \
	MOVO	X4, X5; \
	PXOR	X1, X5; \
	PMINUB	X5, X3; \
	PCMPEQB	X0, X4; \
	PMOVMSKB	X4, m

#define YBLOCK(m) \
	VPMINUB	Y4, Y2, Y2; \
	VPXOR	Y1, Y4, Y5; \
	VPMINUB	Y5, Y3, Y3; \
	VPCMPEQB	Y0, Y4, Y4; \
	VPMOVMSKB	Y4, m

DATA bytes7f<>+0(SB)/8, $0x7f7f7f7f7f7f7f7f
DATA bytes7f<>+8(SB)/8, $0x7f7f7f7f7f7f7f7f
GLOBL bytes7f<>(SB), RODATA|NOPTR, $16
DATA bytes1f<>+0(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA bytes1f<>+8(SB)/8, $0x1f1f1f1f1f1f1f1f
GLOBL bytes1f<>(SB), RODATA|NOPTR, $16

// func splitWords(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int)
TEXT ·splitWords(SB), NOSPLIT, $0-80
	CMPB	·useAVX2(SB), $0
	JEQ	sse2
	JMP	·splitWordsAVX2(SB)

sse2:
	JMP	·splitWordsSSE2(SB)

// Registers: SI raw, BX len(raw), R12 len(raw)-16, DI ends, R11 i, DX n,
// R8 separator mask, X0 separator in every byte, X1 0x7F in every byte.
//
// func splitWordsSSE2(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int)
TEXT ·splitWordsSSE2(SB), NOSPLIT, $0-80
	MOVQ	raw_base+0(FP), SI
	MOVQ	raw_len+8(FP), BX
	MOVQ	ends_base+32(FP), DI
	MOVBLZX	sep+24(FP), AX
	IMULL	$0x01010101, AX
	MOVL	AX, X0
	PSHUFD	$0, X0, X0
	MOVOU	bytes7f<>(SB), X1
	PCMPEQB	X2, X2
	PCMPEQB	X3, X3
	XORL	R11, R11
	XORL	DX, DX
	LEAQ	-16(BX), R12
	CMPQ	BX, $16
	JB	short

loop:
	MOVOU	(SI)(R11*1), X4
	BLOCK(R8)
	TESTL	R8, R8
	JZ	next

put:
	BSFL	R8, AX
	ADDL	R11, AX
	MOVL	AX, (DI)(DX*4)
	INCQ	DX
	LEAL	-1(R8), AX
	ANDL	AX, R8
	JNZ	put

next:
	ADDQ	$16, R11
	CMPQ	R11, R12
	JLS	loop
	CMPQ	R11, BX
	JEQ	done

	// The last sixteen bytes, of which the first R11+16-len were seen.
	MOVOU	-16(SI)(BX*1), X4
	BLOCK(R8)
	LEAQ	16(R11), CX
	SUBQ	BX, CX
	SHRL	CX, R8
	JMP	tail

short:
	// Eight to fifteen bytes: the first eight and the last eight, whose
	// mask bits are moved to their offsets; the overlap sets a bit twice.
	CMPQ	BX, $8
	JB	done
	MOVQ	(SI), X4
	MOVQ	-8(SI)(BX*1), X5
	PUNPCKLQDQ	X5, X4
	BLOCK(R8)
	MOVL	R8, AX
	SHRL	$8, AX
	LEAQ	-8(BX), CX
	SHLL	CX, AX
	MOVBLZX	R8B, R8
	ORL	AX, R8

tail:
	TESTL	R8, R8
	JZ	last

puttail:
	BSFL	R8, AX
	ADDL	R11, AX
	MOVL	AX, (DI)(DX*4)
	INCQ	DX
	LEAL	-1(R8), AX
	ANDL	AX, R8
	JNZ	puttail

last:
	MOVQ	BX, R11

done:
	// A control byte left a minimum below 0x20 in X2 or a zero in X3.
	MOVOU	bytes1f<>(SB), X5
	PSUBUSB	X5, X2
	PMINUB	X3, X2
	PXOR	X5, X5
	PCMPEQB	X5, X2
	PMOVMSKB	X2, AX
	MOVQ	DX, n+56(FP)
	MOVQ	AX, ctrl+64(FP)
	MOVQ	R11, i+72(FP)
	RET

// FIRST starts the running minima Y2 and Y3 with the bytes in Y2 and sets m
// to the mask of the bytes equal to the separator.
#define FIRST(m) \
	VPXOR	Y1, Y2, Y3; \
	VPCMPEQB	Y0, Y2, Y5; \
	VPMOVMSKB	Y5, m

// Up to sixty-four bytes are read as two overlapping blocks whose masks are
// merged into one, of the separators' offsets; longer input thirty-two
// bytes at a time as in splitWordsSSE2, with R12 len(raw)-32.
//
// func splitWordsAVX2(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int)
TEXT ·splitWordsAVX2(SB), NOSPLIT, $0-80
	MOVQ	raw_base+0(FP), SI
	MOVQ	raw_len+8(FP), BX
	MOVQ	ends_base+32(FP), DI
	XORL	DX, DX
	CMPQ	BX, $8
	JB	none
	VPBROADCASTB	sep+24(FP), Y0
	VPBROADCASTB	bytes7f<>(SB), Y1
	CMPQ	BX, $16
	JB	upto16
	CMPQ	BX, $32
	JB	upto32
	CMPQ	BX, $64
	JA	long
	VMOVDQU	(SI), Y2
	FIRST(R8)
	VMOVDQU	-32(SI)(BX*1), Y4
	YBLOCK(AX)
	LEAQ	-32(BX), CX
	SHLXQ	CX, AX, AX
	ORQ	AX, R8
	JMP	merged

upto32:
	VMOVDQU	(SI), X2
	VINSERTI128	$1, -16(SI)(BX*1), Y2, Y2
	FIRST(R8)
	MOVL	R8, AX
	SHRL	$16, AX
	LEAQ	-16(BX), CX
	SHLXL	CX, AX, AX
	MOVWLZX	R8, R8
	ORL	AX, R8
	JMP	merged

upto16:
	// The first and the last eight bytes, in both halves of Y2.
	VMOVQ	(SI), X2
	VPINSRQ	$1, -8(SI)(BX*1), X2, X2
	VINSERTI128	$1, X2, Y2, Y2
	FIRST(R8)
	MOVL	R8, AX
	SHRL	$8, AX
	MOVBLZX	AX, AX
	LEAQ	-8(BX), CX
	SHLXL	CX, AX, AX
	MOVBLZX	R8, R8
	ORL	AX, R8

merged:
	TESTQ	R8, R8
	JZ	last32

putmerged:
	TZCNTQ	R8, AX
	MOVL	AX, (DI)(DX*4)
	INCQ	DX
	BLSRQ	R8, R8
	JNZ	putmerged
	JMP	last32

long:
	VPCMPEQB	Y2, Y2, Y2
	VPCMPEQB	Y3, Y3, Y3
	XORL	R11, R11
	LEAQ	-32(BX), R12

loop32:
	VMOVDQU	(SI)(R11*1), Y4
	YBLOCK(R8)
	TESTL	R8, R8
	JZ	next32

put32:
	TZCNTL	R8, AX
	ADDL	R11, AX
	MOVL	AX, (DI)(DX*4)
	INCQ	DX
	BLSRL	R8, R8
	JNZ	put32

next32:
	ADDQ	$32, R11
	CMPQ	R11, R12
	JLS	loop32
	CMPQ	R11, BX
	JEQ	last32

	// The last thirty-two bytes, of which the first R11+32-len were seen.
	VMOVDQU	-32(SI)(BX*1), Y4
	YBLOCK(R8)
	LEAQ	32(R11), CX
	SUBQ	BX, CX
	SHRXL	CX, R8, R8
	TESTL	R8, R8
	JZ	last32

puttail32:
	TZCNTL	R8, AX
	ADDL	R11, AX
	MOVL	AX, (DI)(DX*4)
	INCQ	DX
	BLSRL	R8, R8
	JNZ	puttail32

last32:
	// A control byte left a minimum below 0x20 in Y2 or a zero in Y3.
	VPBROADCASTB	bytes1f<>(SB), Y5
	VPSUBUSB	Y5, Y2, Y2
	VPMINUB	Y3, Y2, Y2
	VPXOR	Y5, Y5, Y5
	VPCMPEQB	Y5, Y2, Y2
	VPMOVMSKB	Y2, AX
	VZEROUPPER
	MOVQ	DX, n+56(FP)
	MOVQ	AX, ctrl+64(FP)
	MOVQ	BX, i+72(FP)
	RET

none:
	MOVQ	$0, n+56(FP)
	MOVQ	$0, ctrl+64(FP)
	MOVQ	$0, i+72(FP)
	RET
