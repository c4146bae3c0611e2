package edi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
)

// EventKind says what a Reader event carries.
type EventKind uint8

const (
	// InterchangeStart: an ISA was read; Event.Interchange is set.
	InterchangeStart EventKind = iota + 1
	// GroupStart: a GS was read; Event.Group is set.
	GroupStart
	// TransactionSet: a whole ST…SE set was read; Event.Transaction is set.
	TransactionSet
	// GroupEnd: the group ended (GE read or missing); Group.Errors are final.
	GroupEnd
	// InterchangeEnd: the interchange ended (IEA read or missing);
	// Interchange.Errors are final.
	InterchangeEnd
	// Garbage: bytes outside any interchange; Event.Err describes them.
	Garbage
)

// Event is one step of reading a stream of interchanges.
type Event struct {
	Kind        EventKind
	Interchange *Interchange
	Group       *Group
	Transaction *Transaction
	Err         *EnvelopeError
}

// ReaderOpts bounds a Reader. A nil *ReaderOpts means the defaults.
type ReaderOpts struct {
	// MaxSetBytes is the largest transaction set accepted; a larger set is
	// reported (AK502 5 with ErrSetTooLarge) and skipped. Default 64 MiB.
	MaxSetBytes int
}

const (
	defaultMaxSetBytes = 64 << 20
	minBufSize         = 64 << 10
)

type readState uint8

const (
	stOutside readState = iota
	stInterchange
	stGroup
	stSet
	stSkipSet // discarding an oversized set up to its SE
)

// Reader streams interchanges from an io.Reader. Memory is bounded by the
// largest transaction set, not by the input. Transactions returned are valid
// until the next call to Next.
type Reader struct {
	r     io.Reader
	opts  ReaderOpts
	buf   []byte
	base  int64 // input offset of buf[0]
	pos   int   // next unread byte in buf
	end   int   // bytes of buf holding data
	eof   bool
	ioErr error

	state  readState
	ic     *Interchange
	grp    *Group
	tx     *Transaction
	segs   []Segment
	env    *segEnv         // delimiters and element arena of the open interchange
	keep   int64           // input offset below which buffered bytes may be discarded
	sawISA bool            // an ISA was seen, or the absence of one was reported
	groups map[string]bool // GS06 values seen in the interchange
	setIDs map[string]bool // ST02 values seen in the group
	queue  []Event
	head   int // next event of queue to hand out
	cur    Segment
	txBuf  Transaction // the set being read; handed out until the next call
	// afterSkip is the state to return to after an oversized or stray set.
	afterSkip readState
	marks     [scanBlocks*64 + 1]segMark // what scanSetBlocks finds in a pass, and room walkBlocks writes past it
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader, opts *ReaderOpts) *Reader {
	rd := &Reader{r: r, buf: make([]byte, minBufSize), keep: -1}
	if opts != nil {
		rd.opts = *opts
	}
	if rd.opts.MaxSetBytes <= 0 {
		rd.opts.MaxSetBytes = defaultMaxSetBytes
	}
	return rd
}

// Next returns the next event. At the end of the input it returns io.EOF;
// any other error is an I/O error of the underlying reader. Problems in the
// data are never returned as errors: they are findings on the events.
func (r *Reader) Next() (Event, error) {
	for r.head == len(r.queue) {
		r.queue, r.head = r.queue[:0], 0
		if err := r.step(); err != nil {
			if len(r.queue) > 0 {
				break
			}
			return Event{}, err
		}
	}
	ev := r.queue[r.head]
	r.head++
	return ev, nil
}

func (r *Reader) emit(ev Event) { r.queue = append(r.queue, ev) }

// step consumes input until at least one event is queued or the input ends.
func (r *Reader) step() error {
	if r.state == stOutside {
		return r.seekISA()
	}
	if r.state == stSet && r.scanSet() {
		return nil
	}
	seg, ok, err := r.readSegment()
	if err != nil {
		return err
	}
	if !ok {
		r.endOfInput()
		return nil
	}
	r.dispatch(seg)
	return nil
}

// endOfInput closes whatever is open when the data ends.
func (r *Reader) endOfInput() {
	if r.state == stSet || r.state == stSkipSet {
		r.closeSet(nil)
	}
	if r.state == stGroup {
		r.closeGroup(nil, AK9TrailerMissing, "the group has no GE trailer before the end of the data")
	}
	if r.state == stInterchange {
		r.closeInterchange(nil, TA1PrematureEnd, "the interchange has no IEA trailer before the end of the data")
	}
	r.state = stOutside
}

func (r *Reader) dispatch(seg *Segment) {
	switch r.state {
	case stInterchange:
		r.inInterchange(seg)
	case stGroup:
		r.inGroup(seg)
	case stSet:
		r.inSet(seg)
	case stSkipSet:
		if seg.Is("SE") || isEnvelopeTag(seg) {
			r.closeSet(nil)
			if !seg.Is("SE") {
				r.unread(seg)
			}
		}
	}
}

func isEnvelopeTag(seg *Segment) bool { return isEnvelope(seg.Tag()) }

// unread makes seg the next segment read again.
func (r *Reader) unread(seg *Segment) {
	r.pos = int(seg.Offset - r.base)
}

func (r *Reader) inInterchange(seg *Segment) {
	switch string(seg.Tag()) {
	case "GS":
		r.openGroup(seg)
	case "IEA":
		r.closeInterchange(seg, "", "")
	case "TA1":
		r.ic.TA1 = append(r.ic.TA1, readTA1(seg))
	case "ISB", "ISE":
	case "ISA":
		r.unread(seg)
		r.closeInterchange(nil, TA1PrematureEnd, fmt.Sprintf("the interchange has no IEA trailer before the next ISA at byte %d", seg.Offset))
	default:
		r.ic.fail(TA1BadContent, seg.ID(), fmt.Sprintf("segment %s at byte %d is outside any functional group", printable(seg.Tag()), seg.Offset))
		if seg.Is("ST") {
			r.state, r.afterSkip = stSkipSet, stInterchange
			r.tx = nil
		}
	}
}

func (r *Reader) inGroup(seg *Segment) {
	switch string(seg.Tag()) {
	case "ST":
		r.openSet(seg)
	case "GE":
		r.closeGroup(seg, "", "")
	case "GS", "IEA", "ISA":
		r.unread(seg)
		r.closeGroup(nil, AK9TrailerMissing, fmt.Sprintf("the group has no GE trailer before the %s at byte %d", seg.ID(), seg.Offset))
	default:
		r.ic.fail(TA1BadContent, seg.ID(), fmt.Sprintf("segment %s at byte %d is outside any transaction set", printable(seg.Tag()), seg.Offset))
	}
}

func (r *Reader) inSet(seg *Segment) {
	if seg.Offset+int64(len(seg.raw))-r.tx.Offset > int64(r.opts.MaxSetBytes) {
		r.tx.Errors = append(r.tx.Errors, &SetError{Code: AK5SegmentsInError, Segment: seg.ID(), Position: len(r.segs) + 1,
			Msg: fmt.Sprintf("the set exceeds %d bytes and was not read further", r.opts.MaxSetBytes), Err: ErrSetTooLarge})
		r.state = stSkipSet
		return
	}
	seg.Position = len(r.segs) + 1
	r.segs = append(r.segs, *seg)
	r.tx.Segments = r.segs
	switch string(seg.Tag()) {
	case "SE":
		r.closeSet(&r.segs[len(r.segs)-1])
	case "ST", "GE", "GS", "IEA", "ISA":
		r.segs = r.segs[:len(r.segs)-1]
		r.tx.Segments = r.segs
		r.unread(seg)
		r.closeSet(nil)
	}
}

// setID returns ST01 as a string, without allocating for the usual sets.
func setID(b []byte) string {
	switch string(b) {
	case "850":
		return "850"
	case "856":
		return "856"
	case "940":
		return "940"
	case "945":
		return "945"
	case "997":
		return "997"
	case "999":
		return "999"
	}
	return string(bytes.TrimRight(b, " "))
}

func (r *Reader) openGroup(seg *Segment) {
	g := &Group{
		FunctionalID: seg.Value(1), Sender: seg.Value(2), Receiver: seg.Value(3),
		Date: seg.Value(4), Time: seg.Value(5), ControlNumber: seg.Value(6),
		Agency: seg.Value(7), Version: seg.Value(8),
		Interchange: r.ic, Offset: seg.Offset,
	}
	checkGS(g, seg)
	if r.groups[g.ControlNumber] && g.ControlNumber != "" {
		g.fail(AK9ControlNotUnique, "GS", fmt.Sprintf("GS06 %q is used by an earlier group of this interchange", g.ControlNumber))
	}
	r.groups[g.ControlNumber] = true
	r.grp, r.state = g, stGroup
	r.setIDs = emptied(r.setIDs)
	r.emit(Event{Kind: GroupStart, Interchange: r.ic, Group: g})
}

// emptied returns m emptied, keeping its room for the next group or
// interchange, unless m is nil or grew large.
func emptied(m map[string]bool) map[string]bool {
	if m == nil || len(m) > 4096 {
		return map[string]bool{}
	}
	clear(m)
	return m
}

func (r *Reader) openSet(seg *Segment) {
	r.keep = seg.Offset
	seg.Position = 1
	r.segs = append(r.segs[:0], *seg)
	st := &r.segs[0] // split in segs, where the validator reuses it
	r.txBuf = Transaction{
		SetID: setID(st.Element(1)), ControlNumber: st.Value(2), ImplementationRef: st.Value(3),
		Segments: r.segs, Group: r.grp, Offset: st.Offset,
	}
	r.tx = &r.txBuf
	r.grp.Transactions++
	checkST(r.tx, r.setIDs)
	r.state, r.afterSkip = stSet, stGroup
}

// closeSet ends the open set; se is its SE, or nil when the SE is missing.
func (r *Reader) closeSet(se *Segment) {
	tx, skipped := r.tx, r.state == stSkipSet
	r.state, r.afterSkip = r.afterSkip, stGroup
	r.keep = -1
	if tx == nil {
		return
	}
	if se == nil && !skipped {
		tx.Errors = append(tx.Errors, &SetError{Code: AK5TrailerMissing, Segment: "SE", Position: len(tx.Segments) + 1,
			Msg: fmt.Sprintf("the transaction set has no SE trailer after its %d segments", len(tx.Segments))})
	} else if se != nil {
		checkSE(tx, se)
	}
	r.tx = nil
	r.emit(Event{Kind: TransactionSet, Interchange: r.ic, Group: tx.Group, Transaction: tx})
}

// closeGroup ends the open group; ge is its GE, or nil with the code and
// message of why it ended without one.
func (r *Reader) closeGroup(ge *Segment, code, msg string) {
	g := r.grp
	if ge != nil {
		checkGE(g, ge)
	} else {
		g.fail(code, "GE", msg)
	}
	r.ic.Groups++
	r.grp, r.state = nil, stInterchange
	r.emit(Event{Kind: GroupEnd, Interchange: r.ic, Group: g})
}

// closeInterchange ends the open interchange; iea is its IEA, or nil with the
// TA105 code and message of why it ended without one.
func (r *Reader) closeInterchange(iea *Segment, code, msg string) {
	ic := r.ic
	if iea != nil {
		checkIEA(ic, iea)
	} else {
		ic.fail(code, "IEA", msg)
	}
	r.ic, r.state = nil, stOutside
	r.emit(Event{Kind: InterchangeEnd, Interchange: ic})
}

// seekISA skips whitespace and finds the next ISA, reporting what it skipped.
func (r *Reader) seekISA() error {
	if err := r.skipSpace(); err != nil {
		return err
	}
	if err := r.ensure(4); err != nil {
		return err
	}
	if r.pos >= r.end {
		if !r.sawISA {
			r.sawISA = true
			r.emit(Event{Kind: Garbage, Err: &EnvelopeError{Code: TA1BadContent, Offset: r.base + int64(r.pos),
				Msg: "the data is empty: no ISA interchange header", Severity: SeverityError}})
			return nil
		}
		return io.EOF
	}
	if !r.hasPrefixISA() {
		return r.skipGarbage()
	}
	return r.openInterchange()
}

func (r *Reader) hasPrefixISA() bool {
	return r.end-r.pos >= 3 && bytes.Equal(r.buf[r.pos:r.pos+3], []byte("ISA"))
}

// skipGarbage reports and discards bytes up to the next line starting an ISA.
func (r *Reader) skipGarbage() error {
	const quoted = 20
	if err := r.ensure(quoted); err != nil {
		return err
	}
	start := r.base + int64(r.pos)
	first := printable(r.buf[r.pos:min(r.end, r.pos+quoted)])
	var skipped int64
	for {
		if i := indexISA(r.buf[r.pos+1 : r.end]); i >= 0 {
			skipped += int64(i + 1)
			r.pos += i + 1
			break
		}
		if r.end-r.pos > 4 {
			n := r.end - r.pos - 4
			skipped += int64(n)
			r.pos += n
		}
		if r.eof {
			skipped += int64(r.end - r.pos)
			r.pos = r.end
			break
		}
		if err := r.fill(); err != nil {
			return err
		}
	}
	msg := fmt.Sprintf("%d bytes starting %q are not part of any interchange", skipped, first)
	if !r.sawISA && r.pos >= r.end {
		msg = fmt.Sprintf("no ISA interchange header found: the data starts %q (%d bytes); this is not an X12 interchange", first, skipped)
		r.sawISA = true // reported: the end of the data needs no second message
	}
	r.emit(Event{Kind: Garbage, Err: &EnvelopeError{Code: TA1BadContent, Offset: start, Msg: msg}})
	return nil
}

// indexISA finds "ISA" followed by a byte that can be an element separator.
func indexISA(b []byte) int {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte("ISA"))
		if i < 0 {
			return -1
		}
		j := off + i
		if j+3 < len(b) && !isAlnum(b[j+3]) {
			return j
		}
		if j+3 >= len(b) {
			return -1
		}
		off = j + 1
	}
}

func (r *Reader) openInterchange() error {
	if err := r.ensure(isaReadAhead); err != nil {
		return err
	}
	off := r.base + int64(r.pos)
	p, e := parseISA(r.buf[r.pos:r.end], off, r.eof)
	r.sawISA = true
	if p == nil {
		ic := &Interchange{Offset: off, Errors: []*EnvelopeError{e}}
		r.pos += 3
		r.emit(Event{Kind: InterchangeStart, Interchange: ic})
		r.emit(Event{Kind: InterchangeEnd, Interchange: ic})
		return nil
	}
	ic := p.ic
	if e != nil {
		ic.Errors = append(ic.Errors, e)
		r.pos += p.length
		r.emit(Event{Kind: InterchangeStart, Interchange: ic})
		r.emit(Event{Kind: InterchangeEnd, Interchange: ic})
		return nil
	}
	checkISA(ic)
	env := newSegEnv(ic.Delimiters)
	if r.env != nil {
		env.arena = r.env.arena[:0]
	}
	r.env = env
	r.pos += p.length
	r.ic, r.state = ic, stInterchange
	r.groups = emptied(r.groups)
	r.emit(Event{Kind: InterchangeStart, Interchange: ic})
	return nil
}

// ensure tries to have n bytes buffered after pos.
func (r *Reader) ensure(n int) error {
	for r.end-r.pos < n && !r.eof {
		if err := r.fill(); err != nil {
			return err
		}
	}
	return nil
}

func (r *Reader) skipSpace() error {
	for {
		for r.pos < r.end {
			if isLayout(r.buf[r.pos]) {
				r.pos++
				continue
			}
			if r.end-r.pos >= len(bom) && string(r.buf[r.pos:r.pos+len(bom)]) == bom {
				r.pos += len(bom)
				continue
			}
			if r.end-r.pos < len(bom) && r.buf[r.pos] == bom[0] && !r.eof {
				break
			}
			return nil
		}
		if r.eof {
			return nil
		}
		if err := r.fill(); err != nil {
			return err
		}
	}
}

// scanSet is the fast path through the body of a set: it appends buffered
// segments until it meets one the general path must see (an envelope
// segment, the size limit, an incomplete segment), or the SE, with which
// it closes the set and reports true.
func (r *Reader) scanSet() bool {
	d := &r.ic.Delimiters
	if len(d.Terminator) != 1 {
		return false
	}
	term, sep := d.Terminator[0], d.Element
	if blockScan && plainDelimiter(term) && plainDelimiter(sep) && term != sep {
		return r.scanSetBlocks(sep, term)
	}
	return r.scanSetBytes(sep, term)
}

// plainDelimiter reports whether c is neither a control character nor a
// blank, so that a block's masks tell it apart from the bytes between
// segments and from those that make a segment's text fail.
func plainDelimiter(c byte) bool { return c > ' ' && c != 0x7f }

// scanSetBytes is scanSet a segment at a time; the elements are split
// when first needed.
func (r *Reader) scanSetBytes(sep, term byte) bool {
	buf, pos, segs := r.buf[:r.end], r.pos, r.segs
	limit := r.tx.Offset + int64(r.opts.MaxSetBytes) - r.base // as an index of buf
	for {
		pos = skipLayout(buf, pos)
		i := bytes.IndexByte(buf[pos:], term)
		if i < 0 || buf[pos] == bom[0] {
			break
		}
		raw := trimSegment(buf[pos:pos+i], r.env)
		tag := raw[:tagLength(raw, sep)]
		se := false
		if len(tag) > 0 && (tag[0] == 'S' || tag[0] == 'G' || tag[0] == 'I') { // could be an envelope segment
			se = string(tag) == "SE"
			if isEnvelope(tag) && !se {
				break
			}
		}
		if int64(pos+len(raw)) > limit {
			break
		}
		segs = append(segs, Segment{raw: raw, env: r.env, tag: int32(len(tag)), Position: len(segs) + 1, Offset: r.base + int64(pos)})
		pos += i + 1
		if se {
			// As inSet would, whose size check passes when this one does.
			r.pos, r.segs, r.tx.Segments = pos, segs, segs
			r.closeSet(&segs[len(segs)-1])
			return true
		}
	}
	r.pos, r.segs, r.tx.Segments = pos, segs, segs
	return false
}

// scanBlocks is how many 64-byte blocks scanSetBlocks looks at in a pass.
const scanBlocks = 8

// scanSetBlocks is scanSet for delimiters that are neither control
// characters nor blanks. It marks the separators, terminators and control
// characters of up to scanBlocks blocks at a time, and walks the marks,
// recording each segment's element ends and whether it holds a control
// character as split would. Each pass starts at a segment, so that no
// segment straddles two passes: a segment cut by the end of a pass is
// looked at again by the next.
func (r *Reader) scanSetBlocks(sep, term byte) bool {
	env := r.env
	buf, segs := r.buf[:r.end], r.segs
	limit := int(min(r.tx.Offset+int64(r.opts.MaxSetBytes)-r.base, int64(len(buf)))) // as an index of buf
	s := skipLayout(buf, r.pos)                                                      // the segment looked at
	var masks [scanBlocks]blockMask
	for s < len(buf) && buf[s] != bom[0] {
		base, n := s, min(len(buf)-s, scanBlocks*64)
		nb := (n + 63) / 64
		blockMasks(buf[base:base+n], sep, term, masks[:])
		if n%64 != 0 {
			var tail [64]byte
			copy(tail[:], buf[base+n&^63:base+n])
			blockMasks(tail[:], sep, term, masks[nb-1:nb])
		}
		a := slices.Grow(env.arena, n)
		lo0 := len(a) // the arena index of the pass's first end
		a = a[:lo0+n]
		nm, next := walkBlocks(masks[:nb], buf[base:], &env.trim, a[lo0:], r.marks[:])
		text := buf[base:]
		lo := lo0 // where the ends of the segment at s start
		for i := 0; i < nm; i++ {
			var k int
			segs, k, lo = appendMarks(segs, r.marks[i:nm], text, lo0, lo, env, r.base+int64(base), limit-base)
			if i += k; i == nm {
				break
			}
			mk := &r.marks[i]
			s = base + int(mk.start)
			if buf[s] == bom[0] {
				return r.stopSetBlocks(s, segs, a[:lo])
			}
			e, hi, ctrl := base+int(mk.end), lo0+int(mk.hi), mk.flags&markCtrl != 0
			if e > s && env.trimmed(buf[e-1]) {
				e, hi = trimEnds(buf, s, e, a[lo:hi], env)
				hi += lo
				ctrl = anyCtrl(masks[:nb], s-base, e-base)
			}
			tag := buf[s : s+int(a[lo])]
			se := string(tag) == "SE"
			if (isEnvelope(tag) && !se) || e > limit {
				return r.stopSetBlocks(s, segs, a[:lo])
			}
			segs = append(segs, Segment{raw: buf[s:e], env: env, lo: int32(lo), hi: int32(hi), tag: int32(len(tag)),
				ctrl: ctrlOf(ctrl), Position: len(segs) + 1, Offset: r.base + int64(s)})
			lo = lo0 + int(mk.hi)
			if se {
				// As inSet would, whose size check passes when this one does.
				env.arena = a[:lo]
				r.pos, r.segs, r.tx.Segments = skipLayout(buf, base+int(mk.end)+1), segs, segs
				r.closeSet(&segs[len(segs)-1])
				return true
			}
		}
		s, env.arena = base+next, a[:lo]
		if nm == 0 {
			break // a segment longer than a pass, or cut by the end of the data
		}
	}
	return r.stopSetBlocks(s, segs, env.arena)
}

// appendMarks appends to segs the segments of text that marks describe,
// up to the first that needs a closer look (see segMark) or ends past
// limit. Their element ends are in the arena from lo0 for the first
// segment of the pass, and from lo for the first of marks. It returns
// segs, how many it appended, and where the ends of the next segment
// start.
func appendMarks(segs []Segment, marks []segMark, text []byte, lo0, lo int, env *segEnv, offset int64, limit int) ([]Segment, int, int) {
	segs = slices.Grow(segs, len(marks))
	for i, mk := range marks {
		if mk.flags&markCloser != 0 || int(mk.end) > limit {
			return segs, i, lo
		}
		hi, n := lo0+int(mk.hi), len(segs)
		// Zeroed and then filled, so that no field keeps a value from an
		// earlier set, as with a built value, which the compiler would copy
		// through a zeroed temporary.
		segs = segs[:n+1]
		seg := &segs[n]
		*seg = Segment{}
		seg.raw, seg.env = text[mk.start:mk.end], env
		seg.lo, seg.hi, seg.tag, seg.ctrl = int32(lo), int32(hi), int32(mk.tag), ctrlNone+ctrlState(mk.flags&markCtrl)
		seg.Position, seg.Offset = n+1, offset+int64(mk.start)
		lo = hi
	}
	return segs, len(marks), lo
}

// trimEnds trims the segment buf[s:e] as trimSegment does, and its element
// ends, which it updates in place; it returns the new end and how many of
// the ends remain.
func trimEnds(buf []byte, s, e int, ends []int32, env *segEnv) (int, int) {
	e = s + len(trimSegment(buf[s:e], env))
	n := len(ends)
	for n > 0 && int(ends[n-1]) >= e-s {
		n--
	}
	ends[n] = int32(e - s)
	return e, n + 1
}

// stopSetBlocks leaves scanSetBlocks at the segment at pos, which the
// general path reads next.
func (r *Reader) stopSetBlocks(pos int, segs []Segment, arena []int32) bool {
	r.env.arena = arena
	r.pos, r.segs, r.tx.Segments = pos, segs, segs
	return false
}

// skipLayout returns the index of the first byte of buf from pos that is
// not a line break or blank, or len(buf).
func skipLayout(buf []byte, pos int) int {
	for pos < len(buf) && isLayout(buf[pos]) {
		pos++
	}
	return pos
}

// bom is the UTF-8 byte order mark, skipped like a blank between segments.
const bom = "\ufeff"

// isLayout reports whether c is a line break or blank between segments.
func isLayout(c byte) bool {
	const mask uint64 = 1<<'\n' | 1<<'\r' | 1<<' ' | 1<<'\t' | 1<<'\f' | 1<<'\v'
	return c <= ' ' && mask>>c&1 != 0
}

// isEnvelope reports whether tag is one of the envelope segments that end a
// set's body.
func isEnvelope(tag []byte) bool {
	switch len(tag) {
	case 2:
		return (tag[0] == 'S' && (tag[1] == 'E' || tag[1] == 'T')) || (tag[0] == 'G' && (tag[1] == 'E' || tag[1] == 'S'))
	case 3:
		return string(tag) == "IEA" || string(tag) == "ISA"
	}
	return false
}

// readSegment returns the next segment of the open interchange, or ok false
// at the end of the input. A segment longer than MaxSetBytes is reported and
// skipped without being buffered.
func (r *Reader) readSegment() (seg *Segment, ok bool, err error) {
	for {
		if err := r.skipSpace(); err != nil {
			return nil, false, err
		}
		if r.pos >= r.end {
			return nil, false, nil
		}
		seg, err := r.scanSegment()
		if err != nil || seg != nil {
			return seg, seg != nil, err
		}
	}
}

// scanSegment reads the segment at pos; it returns nil, nil when the segment
// was too long and was skipped.
func (r *Reader) scanSegment() (*Segment, error) {
	d := &r.ic.Delimiters
	term := d.Terminator
	for {
		i := r.indexTerminator(term)
		if i > r.opts.MaxSetBytes || (i < 0 && r.end-r.pos > r.opts.MaxSetBytes) {
			return nil, r.skipOversized(term)
		}
		if i >= 0 {
			raw := r.buf[r.pos : r.pos+i]
			off := r.base + int64(r.pos)
			r.pos += i + len(term)
			return r.newSegment(raw, off, d), nil
		}
		if r.eof {
			raw := r.buf[r.pos:r.end]
			off := r.base + int64(r.pos)
			r.pos = r.end
			return r.newSegment(raw, off, d), nil
		}
		if err := r.fill(); err != nil {
			return nil, err
		}
	}
}

func (r *Reader) indexTerminator(term string) int {
	if len(term) == 1 {
		return bytes.IndexByte(r.buf[r.pos:r.end], term[0])
	}
	return bytes.Index(r.buf[r.pos:r.end], []byte(term))
}

// skipOversized reports the over-long segment at pos and discards input up
// to and including its terminator.
func (r *Reader) skipOversized(term string) error {
	off := r.base + int64(r.pos)
	msg := fmt.Sprintf("the segment at byte %d has no segment terminator %q within %d bytes; it was skipped", off, term, r.opts.MaxSetBytes)
	if r.state == stSet {
		r.tx.Errors = append(r.tx.Errors, &SetError{Code: AK5SegmentsInError, Segment: printable(r.buf[r.pos:min(r.pos+3, r.end)]),
			Position: len(r.segs) + 1, Msg: msg, Err: ErrSetTooLarge})
		r.state = stSkipSet
	} else {
		r.ic.failAt(TA1BadContent, "", off, msg)
	}
	for {
		if i := r.indexTerminator(term); i >= 0 {
			r.pos += i + len(term)
			return nil
		}
		r.pos = max(r.pos, r.end-len(term)+1)
		if r.eof {
			r.pos = r.end
			return nil
		}
		if err := r.fill(); err != nil {
			return err
		}
	}
}

func (r *Reader) newSegment(raw []byte, off int64, d *Delimiters) *Segment {
	if r.state != stSet {
		r.env.arena = r.env.arena[:0]
	}
	raw = trimSegment(raw, r.env)
	r.cur = Segment{raw: raw, env: r.env, tag: tagLength(raw, d.Element), Offset: off}
	return &r.cur
}

// trimSegment removes a CR left by CRLF line ends when the terminator is LF,
// and trailing separators that only add empty elements or components.
func trimSegment(raw []byte, env *segEnv) []byte {
	for len(raw) > 0 && env.trimmed(raw[len(raw)-1]) {
		raw = raw[:len(raw)-1]
	}
	return raw
}

// fill reads more input, first discarding bytes no longer needed and growing
// the buffer when a transaction set needs it.
func (r *Reader) fill() error {
	if r.eof {
		return nil
	}
	if r.ioErr != nil {
		return r.ioErr
	}
	if r.end == len(r.buf) {
		r.makeRoom()
	}
	n, err := r.r.Read(r.buf[r.end:])
	r.end += n
	if errors.Is(err, io.EOF) {
		r.eof = true
		return nil
	}
	if err != nil {
		r.ioErr = fmt.Errorf("edi: reading input at byte %d: %w", r.base+int64(r.end), err)
		return r.ioErr
	}
	return nil
}

// makeRoom discards consumed bytes (keeping the open transaction set) and
// grows the buffer when that frees too little.
func (r *Reader) makeRoom() {
	keep := r.pos
	if r.keep >= 0 && r.state == stSet && r.keep-r.base < int64(keep) {
		keep = int(r.keep - r.base)
	}
	if keep < len(r.buf)/4 {
		nb := make([]byte, 2*len(r.buf))
		copy(nb, r.buf[keep:r.end])
		r.buf = nb
	} else {
		copy(r.buf, r.buf[keep:r.end])
	}
	r.end -= keep
	r.pos -= keep
	r.base += int64(keep)
	if r.state != stSet {
		return
	}
	for i := range r.segs {
		s := &r.segs[i]
		s.raw = r.buf[s.Offset-r.base:][:len(s.raw)]
	}
}

func printable(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			out = append(out, '.')
			continue
		}
		out = append(out, c)
	}
	return string(out)
}
