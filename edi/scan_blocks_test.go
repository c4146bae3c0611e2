package edi

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unsafe"
)

// checkRecordedEnds fails when a segment already split holds other element
// ends or another control flag than splitting its bytes gives, and reports
// whether it was split.
func checkRecordedEnds(t testing.TB, s *Segment) bool {
	t.Helper()
	if s.hi == 0 {
		if s.ctrl != ctrlUnknown {
			t.Fatalf("segment %q at byte %d: control flag %d without element ends", s.raw, s.Offset, s.ctrl)
		}
		return false
	}
	want, ctrl := splitElementsCtrl(s.raw, s.env.d.Element, nil)
	got := s.env.arena[s.lo:s.hi]
	if !slices.Equal(got, want) || s.ctrl != ctrlOf(ctrl) {
		t.Fatalf("segment %q at byte %d: ends %v control %v, split gives %v %v", s.raw, s.Offset, got, s.ctrl == ctrlFound, want, ctrl)
	}
	if s.tag != want[0] {
		t.Fatalf("segment %q at byte %d: tag length %d, split gives %d", s.raw, s.Offset, s.tag, want[0])
	}
	return true
}

// checkReadEnds reads in and checks every segment of every set with
// checkRecordedEnds, returning how many segments between the ST and the
// last segment, which the Reader itself reads, it had split.
func checkReadEnds(t testing.TB, in io.Reader) int {
	t.Helper()
	r := NewReader(in, &ReaderOpts{MaxSetBytes: 1 << 16})
	recorded := 0
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return recorded
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if ev.Kind != TransactionSet {
			continue
		}
		segs := ev.Transaction.Segments
		for i := range segs {
			if checkRecordedEnds(t, &segs[i]) && i > 0 && i < len(segs)-1 {
				recorded++
			}
		}
	}
}

// chunkReader hands out its data in pieces of random sizes up to max.
type chunkReader struct {
	data []byte
	rnd  *rand.Rand
	max  int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(c.data), 1+c.rnd.IntN(c.max))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// randomBody returns a set body of n segments between ST and SE with the
// given delimiters, with empty elements, trailing separators, control bytes
// anywhere in the text, and line breaks, blanks and byte order marks
// between segments.
func randomBody(rnd *rand.Rand, d Delimiters, n int) string {
	text := []byte("AB09 .-\x00\x01\t\r\n\x1f\x7f\x80\xc3\xa9")
	text = append(text, d.Component, d.Element, d.Element)
	if d.Repetition != 0 {
		text = append(text, d.Repetition)
	}
	layouts := []string{"", "", "\n", "\r\n", " \t", "\f\v", bom}
	tags := []string{"PO1", "REF", "N1", "DTM", "S", "G", "I", "SEX", "GSA", "ISX", "", "PID"}
	var b strings.Builder
	s := string([]byte{d.Element})
	b.WriteString("ST" + s + "850" + s + "0001" + d.Terminator)
	for range n {
		if rnd.IntN(4) == 0 {
			b.WriteString(layouts[rnd.IntN(len(layouts))])
		}
		b.WriteString(tags[rnd.IntN(len(tags))])
		for range rnd.IntN(8) {
			b.WriteByte(d.Element)
			for range rnd.IntN(6) {
				if c := text[rnd.IntN(len(text))]; c != d.Terminator[0] {
					if c < 0x20 && rnd.IntN(3) != 0 {
						c = 'X' // fewer control bytes, so that more segments are clean
					}
					b.WriteByte(c)
				}
			}
		}
		for range rnd.IntN(3) * rnd.IntN(2) {
			b.WriteByte([]byte{d.Element, d.Component, '\r'}[rnd.IntN(3)])
		}
		b.WriteString(d.Terminator)
	}
	b.WriteString("SE" + s + "1" + s + "0001" + d.Terminator)
	return b.String()
}

// TestReaderRecordsEnds checks the element ends and control flags the
// reader's fast path records against splitting each segment's bytes, for
// delimiters the fast path takes and some it leaves to the byte loop, read
// whole, in pieces of random sizes, and a byte at a time.
func TestReaderRecordsEnds(t *testing.T) {
	t.Parallel()
	delims := []struct {
		sep, comp, rep, term byte
		fast                 bool
	}{
		{'*', '>', '^', '~', true},
		{'|', ':', 0, '\'', true},
		{'^', '\\', '{', '!', true},
		{0xa6, '>', '^', '~', true},
		{'*', 0x1f, 0x1e, '~', true},
		{'*', '>', '^', '\n', false},
		{0x1d, 0x1f, 0x1e, 0x1c, false},
		{' ', '>', '^', '~', false},
	}
	rnd := rand.New(rand.NewPCG(7, 11))
	for _, dl := range delims {
		s, term := string([]byte{dl.sep}), string([]byte{dl.term})
		d := Delimiters{Element: dl.sep, Component: dl.comp, Repetition: dl.rep, Terminator: term}
		rep, version := "U", "00401"
		if dl.rep != 0 {
			rep, version = string([]byte{dl.rep}), "00501"
		}
		var b strings.Builder
		b.WriteString(isa(s, rep, version, "000000905", "0", string([]byte{dl.comp}), term))
		b.WriteString("GS" + s + "PO" + s + "A" + s + "B" + s + "20261126" + s + "1200" + s + "905" + s + "X" + s + version + "0" + term)
		for k := range 60 {
			b.WriteString(randomBody(rnd, d, 1+k*7%90))
		}
		b.WriteString("GE" + s + "60" + s + "905" + term + "IEA" + s + "1" + s + "000000905" + term)
		data := []byte(b.String())
		recorded := checkReadEnds(t, bytes.NewReader(data))
		if want := dl.fast && blockScan; (recorded > 0) != want {
			t.Errorf("delimiters %q %q %q %q: %d segments split while reading, want some: %v", dl.sep, dl.comp, dl.rep, dl.term, recorded, want)
		}
		for max := range []int{7, 100, 1000} {
			checkReadEnds(t, &chunkReader{data: data, rnd: rnd, max: max + 1})
		}
		checkReadEnds(t, iotest.OneByteReader(bytes.NewReader(data)))
		whole := describeRead(t, bytes.NewReader(data), 1<<16)
		if bytewise := describeRead(t, iotest.OneByteReader(bytes.NewReader(data)), 1<<16); whole != bytewise {
			t.Fatalf("delimiters %q %q %q %q: read whole:\n%s\nread byte by byte:\n%s", dl.sep, dl.comp, dl.rep, dl.term, whole, bytewise)
		}
	}
}

// TestBlockMasks compares blockMasks with a byte loop.
func TestBlockMasks(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(3, 5))
	alphabet := []byte("AB09*~:^ .-\x00\x1f\x20\x7e\x7f\x80\xff\n\r")
	for range 500 {
		p := make([]byte, rnd.IntN(600))
		for i := range p {
			p[i] = alphabet[rnd.IntN(len(alphabet))]
		}
		sep, term := alphabet[rnd.IntN(len(alphabet))], alphabet[rnd.IntN(len(alphabet))]
		out := make([]blockMask, 1+rnd.IntN(12))
		blockMasks(p, sep, term, out)
		for k := range min(len(p)/64, len(out)) {
			var want blockMask
			for i, c := range p[64*k : 64*k+64] {
				bit := uint64(1) << i
				if c == sep {
					want.sep |= bit
				}
				if c == term {
					want.term |= bit
				}
				if c < 0x20 || c == 0x7f {
					want.ctrl |= bit
				}
			}
			generic := make([]blockMask, 1)
			blockMasksGeneric(p[64*k:], sep, term, generic)
			if out[k] != want || generic[0] != want {
				t.Fatalf("block %d of %q, sep %q term %q: %+v, generic %+v, want %+v", k, p, sep, term, out[k], generic[0], want)
			}
		}
	}
}

// TestWalkBlocks compares walkBlocks with walkBlocksGeneric on text with
// segments of all lengths, layout bytes between them, and control bytes
// anywhere.
func TestWalkBlocks(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(5, 8))
	alphabet := []byte("AB09*~*~ .\x00\x1f\x7f\x80\n\r\t\v\f    >^GIS\xef")
	for range 2000 {
		text := make([]byte, 1+rnd.IntN(700))
		for i := range text {
			text[i] = alphabet[rnd.IntN(len(alphabet))]
			if rnd.IntN(4) != 0 {
				text[i] = 'Q' // longer runs of text
			}
		}
		n := min(len(text), scanBlocks*64)
		masks := make([]blockMask, (n+63)/64)
		padded := append(text[:n:n], make([]byte, 64)...)
		blockMasks(padded, '*', '~', masks)
		ends, marks := make([]int32, n), make([]segMark, n+1)
		trim := &newSegEnv(Delimiters{Element: '*', Component: '>', Repetition: '^'}).trim
		nm, next := walkBlocks(masks, text, trim, ends, marks)
		gEnds, gMarks := make([]int32, n), make([]segMark, n+1)
		gnm, gnext := walkBlocksGeneric(masks, text, trim, gEnds, gMarks)
		if nm != gnm || next != gnext || !slices.Equal(marks[:nm], gMarks[:nm]) {
			t.Fatalf("text %q: %d marks %v next %d, generic %d %v next %d", text, nm, marks[:nm], next, gnm, gMarks[:gnm], gnext)
		}
		if nm > 0 && !slices.Equal(ends[:marks[nm-1].hi], gEnds[:marks[nm-1].hi]) {
			t.Fatalf("text %q: ends %v, generic %v", text, ends[:marks[nm-1].hi], gEnds[:marks[nm-1].hi])
		}
		for i, mk := range gMarks[:gnm] {
			lo := int32(0)
			if i > 0 {
				lo = gMarks[i-1].hi
			}
			want, ctrl := splitElementsCtrl(text[mk.start:mk.end], '*', nil)
			closer := mk.start == mk.end || newSegEnv(Delimiters{Element: '*', Component: '>', Repetition: '^'}).trimmed(text[mk.end-1]) || closerStart(text[mk.start])
			if !slices.Equal(gEnds[lo:mk.hi], want) || int32(mk.tag) != want[0] || mk.flags&markCtrl != 0 != ctrl || mk.flags&markCloser != 0 != closer {
				t.Fatalf("text %q, segment %d: ends %v tag %d flags %d, split gives %v %v, closer look %v", text, i, gEnds[lo:mk.hi], mk.tag, mk.flags, want, ctrl, closer)
			}
		}
	}
}

// TestCloserStart checks that the segments starting an envelope segment or
// a byte order mark get a closer look, and those starting other tags not.
func TestCloserStart(t *testing.T) {
	for c := range 256 {
		want := c == 'G' || c == 'I' || c == 'S' || c == 0xef
		if got := closerStart(byte(c)); want && !got || !want && got && (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			t.Errorf("closerStart(%q) = %v", byte(c), got)
		}
	}
}

// TestSegmentSize checks that the control flag fits in the padding after
// the int32 fields of a Segment, which the reader appends by the thousand.
func TestSegmentSize(t *testing.T) {
	if size := unsafe.Sizeof(Segment{}); unsafe.Sizeof(uintptr(0)) == 8 && size != 64 {
		t.Errorf("a Segment takes %d bytes, want 64", size)
	}
}
