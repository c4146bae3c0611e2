//go:build !amd64 || purego

package edi

// splitWords writes the offsets of the separators in raw into ends, which
// has room for len(raw)+1, and returns how many, a non-zero value when a
// control character was seen, and the offset up to which it looked.
func splitWords(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int) {
	return splitWordsGeneric(raw, sep, ends)
}

// blockScan tells whether the reader's fast path may find a set's
// delimiters a block of the buffer at a time, which pays only when
// blockMasks runs in vector registers.
const blockScan = false

// blockMasks sets out[k] to the masks of the 64 bytes of p from 64*k, for
// as many whole blocks as p and out both hold.
func blockMasks(p []byte, sep, term byte, out []blockMask) {
	blockMasksGeneric(p, sep, term, out)
}

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
	return walkBlocksGeneric(masks, text, trim, ends, marks)
}
