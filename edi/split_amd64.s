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

// MASKS sets m to the mask of the bytes of Y2 (low half) and Y3 (high half)
// that equal the byte broadcast in Y, through the scratch register R8.
#define MASKS(Y, m) \
	VPCMPEQB	Y, Y2, Y4; \
	VPMOVMSKB	Y4, m; \
	VPCMPEQB	Y, Y3, Y4; \
	VPMOVMSKB	Y4, R8; \
	SHLQ	$32, R8; \
	ORQ	R8, m

// CTRL sets m to the mask of the control bytes (below 0x20, or 0x7F) of
// the thirty-two bytes in Y: those left unchanged by a minimum with 0x1F,
// and those equal to 0x7F.
#define CTRL(Y, m) \
	VPMINUB	Y6, Y, Y4; \
	VPCMPEQB	Y, Y4, Y4; \
	VPCMPEQB	Y7, Y, Y5; \
	VPOR	Y5, Y4, Y4; \
	VPMOVMSKB	Y4, m

// Registers: SI p, BX blocks left, DI out, Y0 separator, Y1 terminator,
// Y6 0x1F and Y7 0x7F in every byte.
//
// func blockMasksAVX2(p []byte, sep, term byte, out []blockMask)
TEXT ·blockMasksAVX2(SB), NOSPLIT, $0-56
	MOVQ	p_base+0(FP), SI
	MOVQ	p_len+8(FP), BX
	SHRQ	$6, BX
	MOVQ	out_base+32(FP), DI
	MOVQ	out_len+40(FP), CX
	CMPQ	CX, BX
	CMOVQLT	CX, BX
	TESTQ	BX, BX
	JZ	nomasks
	VPBROADCASTB	sep+24(FP), Y0
	VPBROADCASTB	term+25(FP), Y1
	VPBROADCASTB	bytes1f<>(SB), Y6
	VPBROADCASTB	bytes7f<>(SB), Y7

blockloop:
	VMOVDQU	(SI), Y2
	VMOVDQU	32(SI), Y3
	MASKS(Y0, AX)
	MOVQ	AX, 0(DI)
	MASKS(Y1, AX)
	MOVQ	AX, 8(DI)
	CTRL(Y2, AX)
	CTRL(Y3, R8)
	SHLQ	$32, R8
	ORQ	R8, AX
	MOVQ	AX, 16(DI)
	ADDQ	$64, SI
	ADDQ	$24, DI
	DECQ	BX
	JNZ	blockloop
	VZEROUPPER

nomasks:
	RET

// CLOSER sets 14(R11), the flags of the segment starting with the byte in
// AX, to markCloser when closerStart holds for the byte, and records in
// 0(R11) where the segment's first end goes, until its terminator.
#define CLOSER \
	LEAL	-0x47(AX), AX; \
	MOVQ	$0x10000001005, R8; \
	XORL	R9, R9; \
	BTQ	AX, R8; \
	SETCS	R9B; \
	ADDL	R9, R9; \
	MOVW	R9, 14(R11); \
	MOVQ	R10, 0(R11)

// Registers: SI the block's masks, CX blocks left, DI text, R13 the
// block's offset less the segment's start, BX the segment's start, R8 the
// block's separators after its last terminator walked, R12 the block's
// terminators not walked yet, R9 the next of them, R10 the next end, R11
// the next mark, whose flags gather the segment's control characters of
// the blocks walked.
//
// func walkBlocksAVX2(masks []blockMask, text []byte, trim *[8]uint32, ends []int32, marks []segMark) (nmarks, next int)
TEXT ·walkBlocksAVX2(SB), NOSPLIT, $0-120
	MOVQ	masks_base+0(FP), SI
	MOVQ	masks_len+8(FP), CX
	MOVQ	text_base+24(FP), DI
	MOVQ	ends_base+56(FP), R10
	MOVQ	marks_base+80(FP), R11
	XORL	BX, BX
	XORL	R13, R13
	MOVBLZX	(DI), AX
	CLOSER
	TESTQ	CX, CX
	JZ	walked

walkblock:
	MOVQ	0(SI), R8
	MOVQ	8(SI), R12
	TESTQ	R12, R12
	JZ	restseps

walkseg:
	// The separators before the block's next terminator, at bit R9.
	TZCNTQ	R12, R9
	BZHIQ	R9, R8, DX
	JZ	walkterm

walksep:
	TZCNTQ	DX, AX
	ADDQ	R13, AX
	MOVL	AX, (R10)
	ADDQ	$4, R10
	BLSRQ	DX, DX
	JNZ	walksep

walkterm:
	// The segment ends at bit R9; DX is its length. Its control
	// characters in this block: those below the terminator and from its
	// start.
	LEAQ	(R13)(R9*1), DX
	MOVL	DX, (R10)
	ADDQ	$4, R10
	MOVQ	16(SI), R8
	BZHIQ	R9, R8, R8
	MOVQ	R13, AX
	NEGQ	AX
	JS	fromblock
	SHRXQ	AX, R8, R8

fromblock:
	TESTQ	R8, R8
	JZ	noctrl
	ORB	$1, 14(R11)

noctrl:
	MOVQ	0(R11), R8
	MOVL	(R8), R8
	MOVW	R8, 12(R11)
	MOVL	BX, 0(R11)
	LEAQ	(BX)(DX*1), AX
	MOVL	AX, 4(R11)
	MOVQ	R10, R8
	SUBQ	ends_base+56(FP), R8
	SHRQ	$2, R8
	MOVL	R8, 8(R11)

	// An empty segment, or one ending in a byte trimSegment trims, is
	// marked for a closer look. The bit set is read as four 64-bit words,
	// as a bit test on memory takes many more steps than on a register.
	TESTQ	DX, DX
	JZ	closer
	MOVBLZX	-1(DI)(AX*1), R8
	MOVL	R8, R9
	SHRL	$6, R9
	MOVQ	trim+48(FP), DX
	MOVQ	(DX)(R9*8), R9
	BTQ	R8, R9
	JCC	marked

closer:
	ORB	$2, 14(R11)

marked:
	TESTB	$2, 14(R11)
	JNZ	maybese

notse:
	ADDQ	$16, R11

	// The next segment starts after the line breaks and blanks that follow.
	LEAQ	1(AX), DX
	MOVQ	$0x100003e00, R8

skiplayout:
	CMPQ	DX, text_len+32(FP)
	JAE	skipped
	MOVBLZX	(DI)(DX*1), AX
	CMPL	AX, $0x20
	JA	skipped
	BTQ	AX, R8
	JCC	skipped
	INCQ	DX
	JMP	skiplayout

skipped:
	// At the end of text, CLOSER writes past the last mark, into the
	// room marks has for one more.
	CLOSER
	ADDQ	BX, R13
	SUBQ	DX, R13
	MOVQ	DX, BX
	BLSMSKQ	R12, AX
	ANDNQ	0(SI), AX, R8
	BLSRQ	R12, R12
	JNZ	walkseg

restseps:
	// The separators after the block's last terminator, all of them
	// after the segment's start.
	TESTQ	R8, R8
	JZ	blockdone

restsep:
	TZCNTQ	R8, AX
	ADDQ	R13, AX
	MOVL	AX, (R10)
	ADDQ	$4, R10
	BLSRQ	R8, R8
	JNZ	restsep

blockdone:
	// The segment's control characters in this block, from its start when
	// that lies in the block; none when it starts after the block.
	MOVQ	R13, DX
	NEGQ	DX
	JS	wholeblock
	CMPQ	DX, $64
	JGE	nextblock
	MOVQ	16(SI), AX
	SHRXQ	DX, AX, AX
	TESTQ	AX, AX
	JZ	nextblock
	ORB	$1, 14(R11)
	JMP	nextblock

wholeblock:
	CMPQ	16(SI), $0
	JEQ	nextblock
	ORB	$1, 14(R11)

nextblock:
	ADDQ	$64, R13
	ADDQ	$24, SI
	DECQ	CX
	JNZ	walkblock
	JMP	walked

maybese:
	// An SE ends the set: the walk stops after it, with the next segment
	// taken to start right after its terminator.
	CMPW	12(R11), $2
	JNE	notse
	MOVWLZX	(DI)(BX*1), R8
	CMPL	R8, $0x4553
	JNE	notse
	ADDQ	$16, R11
	LEAQ	1(AX), BX

walked:
	SUBQ	marks_base+80(FP), R11
	SHRQ	$4, R11
	MOVQ	R11, nmarks+104(FP)
	MOVQ	BX, next+112(FP)
	RET
