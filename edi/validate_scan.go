package edi

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// scanWellFormed is the fast check of a segment: it reports whether every
// element passes the fast checks and no mandatory one is missing, without
// building any finding, and returns the present elements as a bit set. A
// segment is split, by the reader's fast path or here, by a pass that also
// notes control characters, so that text elements need no second look at
// their bytes; only a segment without delimiters has them checked.
func (cs *compiledSegment) scanWellFormed(seg *Segment, codes bool) (uint64, bool) {
	var ends []int32
	if seg.hi != 0 {
		ends = seg.env.arena[seg.lo:seg.hi]
	} else {
		ends = seg.split()
	}
	if seg.ctrl == ctrlFound {
		return 0, false
	}
	chars := seg.ctrl == ctrlUnknown // whether text must still be checked for control characters
	if len(ends)-1 > len(cs.fast) {
		return 0, false
	}
	present, ok := commonKindsOK(seg.raw, ends, cs.fast, codes)
	if !ok {
		return 0, false
	}
	others := present & cs.others
	if chars {
		others = present // for ok to look for control characters
	}
	if others != 0 && !cs.othersOK(seg.raw, ends, others, codes, chars) {
		return 0, false
	}
	return present, present&cs.mandatory == cs.mandatory
}

// splitElementsCtrl is splitElements that also reports whether raw holds a
// control character (below 0x20, or DEL) other than the separator, many
// bytes at a time. A separator that is itself a control character is left
// to the byte loop, which tells the two apart. The offsets are written into
// room made up front, so that the loops never call out.
func splitElementsCtrl(raw []byte, sep byte, ends []int32) ([]int32, bool) {
	lo := len(ends)
	ends = slices.Grow(ends, len(raw)+1)
	buf := ends[lo : lo+len(raw)+1]
	i, n := 0, 0
	var ctrl uint64
	if sep >= 0x20 && sep != 0x7f {
		n, ctrl, i = splitWords(raw, sep, buf)
	}
	for ; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == sep:
			buf[n] = int32(i)
			n++
		case c < 0x20 || c == 0x7f:
			ctrl = 1
		}
	}
	buf[n] = int32(len(raw))
	return ends[:lo+n+1], ctrl != 0
}

// splitWordsGeneric is splitWords in Go, eight bytes at a time, sixteen
// while it can. The last partial word is read as the last eight bytes, with
// the bytes already seen masked off.
func splitWordsGeneric(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int) {
	const lo = 0x0101010101010101
	pattern := uint64(sep) * lo
	plain := ^uint64(0)
	for ; i <= len(raw)-16; i += 16 {
		b := (*[16]byte)(raw[i:])
		w, v := binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])
		plain &= plainBytes(w) & plainBytes(v)
		n = putSeparators(ends, n, i, zeroBytes(w^pattern))
		n = putSeparators(ends, n, i+8, zeroBytes(v^pattern))
	}
	if i <= len(raw)-8 {
		w := binary.LittleEndian.Uint64((*[8]byte)(raw[i:])[:])
		plain &= plainBytes(w)
		n = putSeparators(ends, n, i, zeroBytes(w^pattern))
		i += 8
	}
	if rem := len(raw) - i; rem > 0 && len(raw) >= 8 {
		base := len(raw) - 8
		seen := ^uint64(0) >> (uint(rem) * 8 % 64)
		w := binary.LittleEndian.Uint64((*[8]byte)(raw[base:])[:])
		plain &= plainBytes(w) | seen
		n = putSeparators(ends, n, base, zeroBytes(w^pattern)&^seen)
		i = len(raw)
	}
	return n, ^plain & (0x80 * lo), i
}

// plainBytes returns a mask with the high bit set in the bytes of w that are
// not control characters. For the low seven bits c of a byte, c+0x60 and
// c+1 agree in bit 7 exactly when c < 0x20 or c == 0x7F.
func plainBytes(w uint64) uint64 {
	const lo = 0x0101010101010101
	c := w & (0x7F * lo)
	return (c + 0x60*lo) ^ (c + lo) | w
}

// zeroBytes returns a mask with the high bit set in exactly the zero bytes
// of x.
func zeroBytes(x uint64) uint64 {
	const hi = 0x7F7F7F7F7F7F7F7F
	return ^((x&hi + hi) | x | hi)
}

// putSeparators writes into ends from n the offset from i of each byte
// marked in mask, and returns the new count.
func putSeparators(ends []int32, n, i int, mask uint64) int {
	for ; mask != 0; mask &= mask - 1 {
		ends[n] = int32(i + bits.TrailingZeros64(mask)>>3)
		n++
	}
	return n
}

// separatorMask returns a mask with the high bit set in exactly the bytes of
// w that equal sep.
func separatorMask(w uint64, sep byte) uint64 {
	return zeroBytes(w ^ uint64(sep)*0x0101010101010101)
}
