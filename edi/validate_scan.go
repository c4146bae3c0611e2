package edi

import (
	"encoding/binary"
	"math/bits"
)

// scanWellFormed checks a segment on the validation hot path. A segment not
// split yet is split here by a pass that also notes control characters, so
// that text elements need no second look at their bytes. It reports whether
// every element passed the fast checks and every syntax note holds.
func (cs *compiledSegment) scanWellFormed(seg *Segment, codes bool) bool {
	if seg.hi != 0 || seg.env == nil {
		return cs.wellFormed(seg.raw, seg.split(), codes, true)
	}
	env := seg.env
	lo := len(env.arena)
	a, ctrl := splitElementsCtrl(seg.raw, env.d.Element, env.arena)
	env.arena = a
	seg.lo, seg.hi = int32(lo), int32(len(a))
	return !ctrl && cs.wellFormed(seg.raw, a[lo:], codes, false)
}

// splitElementsCtrl is splitElements that also reports whether raw holds a
// control character (below 0x20, or DEL) other than the separator, eight
// bytes at a time. A separator that is itself a control character is left
// to the byte loop, which tells the two apart.
func splitElementsCtrl(raw []byte, sep byte, ends []int32) ([]int32, bool) {
	i := 0
	var ctrl uint64
	if sep >= 0x20 && sep != 0x7f {
		ends, ctrl, i = splitWords(raw, sep, ends)
	}
	for ; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == sep:
			ends = append(ends, int32(i))
		case c < 0x20 || c == 0x7f:
			ctrl = 1
		}
	}
	return append(ends, int32(len(raw))), ctrl != 0
}

// splitWords handles raw eight bytes at a time: it appends the separator
// offsets, returns a non-zero mask when a control character was seen, and
// the offset up to which it looked. The last partial word is read as the
// last eight bytes, with the bytes already seen masked off.
func splitWords(raw []byte, sep byte, ends []int32) ([]int32, uint64, int) {
	var ctrl uint64
	i := 0
	for ; i+8 <= len(raw); i += 8 {
		var m uint64
		m, ctrl = wordMasks(binary.LittleEndian.Uint64(raw[i:]), sep, ctrl)
		ends = appendOffsets(ends, i, m)
	}
	if rem := len(raw) - i; rem > 0 && len(raw) >= 8 {
		base := len(raw) - 8
		keep := ^uint64(0) << (8 * (8 - rem))
		m, c := wordMasks(binary.LittleEndian.Uint64(raw[base:]), sep, 0)
		ends = appendOffsets(ends, base, m&keep)
		ctrl |= c & keep
		i = len(raw)
	}
	return ends, ctrl, i
}

// wordMasks returns, for eight bytes, a mask with the high bit of each byte
// equal to sep, and ctrl with high bits added where a byte is below 0x20 or
// DEL. A flag past a true control byte may be false, which does not matter
// for "is there one".
func wordMasks(w uint64, sep byte, ctrl uint64) (sepMask, ctrlMask uint64) {
	const lo, high = 0x0101010101010101, 0x8080808080808080
	d := w ^ (0x7F * lo)
	return separatorMask(w, sep), ctrl | ((w-0x20*lo)&^w|(d-lo)&^d)&high
}

// separatorMask returns a mask with the high bit set in exactly the bytes of
// w that equal sep.
func separatorMask(w uint64, sep byte) uint64 {
	const lo, hi = 0x0101010101010101, 0x7F7F7F7F7F7F7F7F
	x := w ^ uint64(sep)*lo
	return ^(((x & hi) + hi) | x | hi)
}

func appendOffsets(ends []int32, base int, m uint64) []int32 {
	for m != 0 {
		ends = append(ends, int32(base+bits.TrailingZeros64(m)>>3))
		m &= m - 1
	}
	return ends
}
