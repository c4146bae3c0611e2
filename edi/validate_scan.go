package edi

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// scanWellFormed is the fast check of a segment: it reports whether every
// element passes the fast checks and no mandatory one is missing, without
// building any finding, and returns the present elements as a bit set. A
// segment not split yet is split here by a pass that also notes control
// characters, so that text elements need no second look at their bytes.
func (cs *compiledSegment) scanWellFormed(seg *Segment, codes bool) (uint64, bool) {
	var ends []int32
	chars := seg.hi != 0 || seg.env == nil // whether text must still be checked for control characters
	if chars {
		ends = seg.split()
	} else {
		env := seg.env
		lo := len(env.arena)
		a, ctrl := splitElementsCtrl(seg.raw, env.d.Element, env.arena)
		env.arena = a
		seg.lo, seg.hi = int32(lo), int32(len(a))
		if ctrl {
			return 0, false
		}
		ends = a[lo:]
	}
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
// control character (below 0x20, or DEL) other than the separator, eight
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

// splitWords handles raw eight bytes at a time: it writes the separator
// offsets into ends and returns how many, a non-zero mask when a control
// character was seen, and the offset up to which it looked. The last
// partial word is read as the last eight bytes, with the bytes already seen
// masked off. A flag past a true control byte may be false, which does not
// matter for "is there one".
func splitWords(raw []byte, sep byte, ends []int32) (int, uint64, int) {
	const lo, hi = 0x0101010101010101, 0x7F7F7F7F7F7F7F7F
	pattern := uint64(sep) * lo
	var ctrl uint64
	i, n := 0, 0
	for rest := raw; len(rest) >= 8; rest, i = rest[8:], i+8 {
		w := binary.LittleEndian.Uint64(rest)
		x, d := w^pattern, w^(0x7F*lo)
		ctrl |= (w-0x20*lo)&^w | (d-lo)&^d
		for m := ^((x&hi + hi) | x | hi); m != 0; m &= m - 1 {
			ends[n] = int32(i + bits.TrailingZeros64(m)>>3)
			n++
		}
	}
	if rem := len(raw) - i; rem > 0 && len(raw) >= 8 {
		base := len(raw) - 8
		keep := ^uint64(0) << (8 * (8 - rem))
		w := binary.LittleEndian.Uint64(raw[base:])
		x, d := w^pattern, w^(0x7F*lo)
		ctrl |= ((w-0x20*lo)&^w | (d-lo)&^d) & keep
		for m := ^((x&hi + hi) | x | hi) & keep; m != 0; m &= m - 1 {
			ends[n] = int32(base + bits.TrailingZeros64(m)>>3)
			n++
		}
		i = len(raw)
	}
	return n, ctrl &^ hi, i
}

// separatorMask returns a mask with the high bit set in exactly the bytes of
// w that equal sep.
func separatorMask(w uint64, sep byte) uint64 {
	const lo, hi = 0x0101010101010101, 0x7F7F7F7F7F7F7F7F
	x := w ^ uint64(sep)*lo
	return ^(((x & hi) + hi) | x | hi)
}
