package edi

import "math/bits"

// blockMask marks, for one 64-byte block of input, the bytes that are the
// element separator, the segment terminator, or a control character (below
// 0x20, or DEL); bit i stands for byte i of the block.
type blockMask struct {
	sep, term, ctrl uint64
}

// blockMasksGeneric is blockMasks a byte at a time.
func blockMasksGeneric(p []byte, sep, term byte, out []blockMask) {
	for k := range min(len(p)/64, len(out)) {
		var m blockMask
		for i, c := range p[64*k : 64*k+64] {
			bit := uint64(1) << i
			if c == sep {
				m.sep |= bit
			}
			if c == term {
				m.term |= bit
			}
			if c < 0x20 || c == 0x7f {
				m.ctrl |= bit
			}
		}
		out[k] = m
	}
}

// anyCtrl reports whether a control character is marked in masks from
// byte from up to byte to (not included), counted from the first block.
func anyCtrl(masks []blockMask, from, to int) bool {
	if from >= to {
		return false
	}
	i, j := from>>6, (to-1)>>6
	first := ^uint64(0) << (from & 63)
	last := ^uint64(0) >> (63 - (to-1)&63)
	if i == j {
		return masks[i].ctrl&first&last != 0
	}
	if masks[i].ctrl&first != 0 || masks[j].ctrl&last != 0 {
		return true
	}
	for _, m := range masks[i+1 : j] {
		if m.ctrl != 0 {
			return true
		}
	}
	return false
}

// segMark is what walkBlocks finds of one segment: where it starts and
// where its terminator is, as offsets in the text walked; hi, the number
// of element ends written up to its own; the length of its tag; and its
// flags.
type segMark struct {
	start, end, hi int32
	tag, flags     int16
}

// The flags of a segMark.
const (
	markCtrl   = 1 // the segment holds a control character
	markCloser = 2 // the segment is empty, ends in a byte trimSegment trims, or closerStart holds for its first byte
)

// closerStart reports whether a segment starting with c needs a closer
// look than its marks give: it may be an envelope segment (c is 'G', 'I'
// or 'S') or start with a byte order mark (0xEF). So that it is one bit
// test, it also holds for the bytes 64, 128 and 192 away from these.
func closerStart(c byte) bool {
	return uint64(0x10000001005)>>((c-0x47)&63)&1 != 0
}

// walkBlocksGeneric is walkBlocks in Go.
func walkBlocksGeneric(masks []blockMask, text []byte, trim *[8]uint32, ends []int32, marks []segMark) (nmarks, next int) {
	s, na, lo := 0, 0, 0
	for k, m := range masks {
		for bs := m.sep | m.term; bs != 0; bs &= bs - 1 {
			b := bits.TrailingZeros64(bs)
			at := 64*k + b
			ends[na] = int32(at - s)
			na++
			if m.term>>b&1 == 0 {
				continue
			}
			var flags int16
			if anyCtrl(masks, s, at) {
				flags |= markCtrl
			}
			if at == s || trim[text[at-1]>>5]>>(text[at-1]&31)&1 != 0 || closerStart(text[s]) {
				flags |= markCloser
			}
			marks[nmarks] = segMark{start: int32(s), end: int32(at), hi: int32(na), tag: int16(ends[lo]), flags: flags}
			nmarks++
			if string(text[s:s+int(ends[lo])]) == "SE" {
				return nmarks, at + 1
			}
			s, lo = skipLayout(text, at+1), na
		}
	}
	return nmarks, s
}
