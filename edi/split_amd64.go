//go:build amd64 && !purego

package edi

import "golang.org/x/sys/cpu"

// useAVX2 tells whether splitWords may use AVX2 and the BMI1 and BMI2 bit
// instructions.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasBMI1 && cpu.X86.HasBMI2

// splitWords writes the offsets of the separators in raw into ends, which
// has room for len(raw)+1, and returns how many, a non-zero value when a
// control character was seen, and the offset up to which it looked.
// It is splitWordsAVX2 when useAVX2, else splitWordsSSE2.
//
//go:noescape
func splitWords(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int)

// splitWordsSSE2 is splitWords sixteen bytes at a time; below eight bytes it
// leaves everything to the caller.
//
//go:noescape
func splitWordsSSE2(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int)

// splitWordsAVX2 is splitWords thirty-two bytes at a time; below eight bytes
// it leaves everything to the caller.
//
//go:noescape
func splitWordsAVX2(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int)

// blockScan tells whether the reader's fast path may find a set's
// delimiters a block of the buffer at a time, which pays only when
// blockMasks runs in vector registers.
var blockScan = useAVX2

// blockMasks sets out[k] to the masks of the 64 bytes of p from 64*k, for
// as many whole blocks as p and out both hold.
func blockMasks(p []byte, sep, term byte, out []blockMask) {
	if useAVX2 {
		blockMasksAVX2(p, sep, term, out)
		return
	}
	blockMasksGeneric(p, sep, term, out)
}

// blockMasksAVX2 is blockMasks two 32-byte halves at a time.
//
//go:noescape
func blockMasksAVX2(p []byte, sep, term byte, out []blockMask)

// walkBlocks walks the separators and terminators marked in masks, the
// masks of text from its start, which starts a segment. For each segment
// whose terminator it meets it writes into ends the offset from the
// segment's start of each separator and of the terminator, and into marks
// a segMark, whose markCloser flag also tells whether the segment ends in
// a byte in the bit set trim; the segment after each one starts after the
// line breaks and blanks following its terminator. It stops after an SE,
// which ends the set, taking the next segment to start right after it. It
// returns the number of marks and the start of the first segment not
// marked. ends must have room for every mark in masks,
// and marks for every terminator and one more; text must not be empty.
func walkBlocks(masks []blockMask, text []byte, trim *[8]uint32, ends []int32, marks []segMark) (nmarks, next int) {
	if useAVX2 {
		return walkBlocksAVX2(masks, text, trim, ends, marks)
	}
	return walkBlocksGeneric(masks, text, trim, ends, marks)
}

// walkBlocksAVX2 is walkBlocks with the BMI1 and BMI2 bit instructions,
// which come with AVX2.
//
//go:noescape
func walkBlocksAVX2(masks []blockMask, text []byte, trim *[8]uint32, ends []int32, marks []segMark) (nmarks, next int)
