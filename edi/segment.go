package edi

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Delimiters are the separators of one interchange, taken from its ISA.
type Delimiters struct {
	// Element separates the elements of a segment (the byte after "ISA").
	Element byte
	// Component separates the components of a composite element (ISA16).
	Component byte
	// Repetition separates repeats of one element (ISA11 from 00501 on); 0 when
	// the interchange has none.
	Repetition byte
	// Terminator ends a segment: the character after ISA16. Usually one byte;
	// a multi-byte UTF-8 character is kept whole.
	Terminator string
}

// DefaultDelimiters are the delimiters the gateway writes unless a partner
// asks for others.
var DefaultDelimiters = Delimiters{Element: '*', Component: '>', Repetition: '^', Terminator: "~"}

// Segment is one X12 segment: its tag and elements, without the terminator.
// A Segment returned by a Reader is valid until the next call to Next.
type Segment struct {
	raw []byte
	env *segEnv
	// env.arena[lo:hi] holds, for each element i (i = 0 is the tag), the
	// offset in raw where it ends; hi is 0 until the elements are first needed.
	lo, hi int32
	tag    int32 // length of the tag
	// ctrl tells whether raw holds a control character other than the
	// element separator; ctrlUnknown until the segment is split.
	ctrl ctrlState

	// Position is the 1-based position of the segment within its transaction
	// set (ST = 1), as reported in AK302/IK302; 0 outside a set.
	Position int
	// Offset is the byte offset of the segment's first byte in the input.
	Offset int64
}

// segEnv is what the segments of one interchange share: the delimiters and
// the arena their element offsets are allocated from.
type segEnv struct {
	d     Delimiters
	arena []int32
	trim  [8]uint32 // the bytes trimmed from a segment's end, as a bit set
}

func newSegEnv(d Delimiters) *segEnv {
	env := &segEnv{d: d}
	trims := []byte{'\r', d.Element, d.Component}
	if d.Repetition != 0 {
		trims = append(trims, d.Repetition)
	}
	for _, c := range trims {
		env.trim[c>>5] |= 1 << (c & 31)
	}
	return env
}

// trimmed reports whether c is trimmed from a segment's end.
func (env *segEnv) trimmed(c byte) bool { return env.trim[c>>5]>>(c&31)&1 != 0 }

// NewSegment builds a segment from its tag and element values, for writers
// and tests. Values are used as given: they must not contain delimiters.
func NewSegment(d *Delimiters, tag string, elems ...string) Segment {
	n := len(tag)
	for _, e := range elems {
		n += 1 + len(e)
	}
	raw := make([]byte, 0, n)
	raw = append(raw, tag...)
	for _, e := range elems {
		raw = append(raw, d.Element)
		raw = append(raw, e...)
	}
	return ParseSegment(d, raw)
}

// ParseSegment splits raw (one segment without its terminator) into elements.
func ParseSegment(d *Delimiters, raw []byte) Segment {
	s := Segment{raw: raw, env: newSegEnv(*d), tag: tagLength(raw, d.Element)}
	s.split()
	return s
}

// tagLength returns the length of the segment identifier at the start of raw.
func tagLength(raw []byte, sep byte) int32 {
	if len(raw) >= 8 {
		if m := separatorMask(binary.LittleEndian.Uint64(raw), sep); m != 0 {
			return int32(bits.TrailingZeros64(m) >> 3)
		}
	}
	for i, c := range raw {
		if c == sep {
			return int32(i)
		}
	}
	return int32(len(raw))
}

// ctrlState is what is known of a segment's control characters.
type ctrlState uint8

const (
	ctrlUnknown ctrlState = iota
	ctrlNone
	ctrlFound
)

// ctrlOf is the ctrlState of a segment in which a control character was
// found or not.
func ctrlOf(found bool) ctrlState {
	if found {
		return ctrlFound
	}
	return ctrlNone
}

// split finds the element boundaries on first use, noting whether the
// segment holds a control character.
func (s *Segment) split() []int32 {
	if s.hi != 0 {
		return s.env.arena[s.lo:s.hi]
	}
	if s.env == nil {
		return nil
	}
	a := s.env.arena
	lo := len(a)
	a, ctrl := splitElementsCtrl(s.raw, s.env.d.Element, a)
	s.env.arena = a
	s.lo, s.hi, s.ctrl = int32(lo), int32(len(a)), ctrlOf(ctrl)
	return a[lo:]
}

// splitElements appends to ends the end offset of each element of raw.
func splitElements(raw []byte, sep byte, ends []int32) []int32 {
	ends, _ = splitElementsCtrl(raw, sep, ends)
	return ends
}

// Tag returns the segment identifier, e.g. "BEG".
func (s *Segment) Tag() []byte {
	return s.raw[:s.tag]
}

// ID returns the segment identifier as a string.
func (s *Segment) ID() string { return string(s.Tag()) }

// Is reports whether the segment's tag is id.
func (s *Segment) Is(id string) bool { return string(s.Tag()) == id }

// Len returns the number of elements after the tag, including empty ones.
func (s *Segment) Len() int {
	return max(len(s.split())-1, 0)
}

// Raw returns the segment's bytes without the terminator.
func (s *Segment) Raw() []byte { return s.raw }

// Delimiters returns the delimiters the segment was read or built with.
func (s *Segment) Delimiters() *Delimiters {
	if s.env == nil {
		return nil
	}
	return &s.env.d
}

// Element returns element i (1-based, as in BEG03 = 3) with its components
// and repeats, or nil when the segment has fewer elements.
func (s *Segment) Element(i int) []byte {
	ends := s.split()
	if i <= 0 || i >= len(ends) {
		return nil
	}
	return s.raw[ends[i-1]+1 : ends[i]]
}

// Value returns element i as a string with trailing spaces removed.
func (s *Segment) Value(i int) string {
	return string(bytes.TrimRight(s.Element(i), " "))
}

// Component returns component j (1-based) of element i, or nil.
func (s *Segment) Component(i, j int) []byte {
	return nthPart(s.Element(i), s.env.d.Component, j)
}

// Repeats returns the repetitions of element i (5010). Without a repetition
// separator the element is its only repeat.
func (s *Segment) Repeats(i int) [][]byte {
	e := s.Element(i)
	if e == nil {
		return nil
	}
	if s.env.d.Repetition == 0 {
		return [][]byte{e}
	}
	return bytes.Split(e, []byte{s.env.d.Repetition})
}

// String renders the segment with its own delimiters and terminator.
func (s *Segment) String() string {
	if s.env == nil {
		return string(s.raw)
	}
	return string(s.raw) + s.env.d.Terminator
}

func nthPart(b []byte, sep byte, n int) []byte {
	if b == nil || n <= 0 {
		return nil
	}
	for k := 1; ; k++ {
		i := bytes.IndexByte(b, sep)
		if k == n {
			if i < 0 {
				return b
			}
			return b[:i]
		}
		if i < 0 {
			return nil
		}
		b = b[i+1:]
	}
}
