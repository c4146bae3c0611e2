package edi

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/partnergate/partnergate/canonical"
)

// Sentinels of the maps between X12 and canonical documents.
var (
	// ErrNoMap: no map exists for the transaction set or the document kind.
	ErrNoMap = errors.New("edi: no canonical map for this set or document kind")
	// ErrMapData: the set's content cannot be expressed canonically — a key
	// segment is missing, or a number, date or time is malformed.
	ErrMapData = errors.New("edi: transaction set content cannot be mapped")
)

// ToCanonical translates one 850, 856, 940 or 945 transaction set into its
// canonical document: *canonical.Order for 850 and 940, *canonical.Shipment
// for 856 and 945. Any other set gives an error wrapping ErrNoMap; content
// that cannot be mapped gives an error wrapping ErrMapData that names the
// segment and its position. The transaction is read, never kept: the
// document owns all its strings.
//
// ToCanonical assumes the set was validated; it maps what it recognises and
// ignores other segments. t.Group and t.Group.Interchange may be nil.
func ToCanonical(t *Transaction) (canonical.Document, error) {
	tr := &Translator{presize: true}
	return tr.Translate(t)
}

// Translator translates transaction sets as ToCanonical does, but reuses
// the storage of its documents from one set to the next: the document
// Translate returns, its lists included, is valid only until the next call.
// Its strings are never reused and stay valid. The zero value is ready to
// use; a Translator is not safe for concurrent use.
type Translator struct {
	m     canonMapper
	order canonical.Order
	ship  canonical.Shipment
	tree  hlTree
	// presize sizes the storage by a census of each set, which suits a
	// Translator used once.
	presize bool
}

// NewTranslator returns a Translator.
func NewTranslator() *Translator { return &Translator{} }

// Translate translates t as ToCanonical does; the document is valid until
// the next call.
func (tr *Translator) Translate(t *Transaction) (canonical.Document, error) {
	var err error
	switch t.SetID {
	case "850":
		err = tr.map850(t)
	case "856":
		err = tr.map856(t)
	case "940":
		err = tr.map940(t)
	case "945":
		err = tr.map945(t)
	default:
		return nil, fmt.Errorf("edi: transaction set %q: %w", t.SetID, ErrNoMap)
	}
	if err != nil {
		return nil, err
	}
	if t.SetID == "850" || t.SetID == "940" {
		return &tr.order, nil
	}
	return &tr.ship, nil
}

// census returns the census of body when the Translator presizes its
// storage, else nil.
func (tr *Translator) census(body []Segment, line string, firstPair, maxPairs int) *census {
	if !tr.presize {
		return nil
	}
	c := takeCensus(body, line, firstPair, maxPairs)
	return &c
}

// newOrder empties the Translator's order for the next set, keeping the
// storage of its lines, and returns it.
func (tr *Translator) newOrder(c *census) *canonical.Order {
	o := &tr.order
	*o = canonical.Order{Lines: reuse(o.Lines, c)}
	return o
}

// newShipment empties the Translator's shipment for the next set, keeping
// the storage of its lines, and returns it.
func (tr *Translator) newShipment(c *census) *canonical.Shipment {
	sh := &tr.ship
	*sh = canonical.Shipment{Lines: reuse(sh.Lines, c)}
	return sh
}

// reuse empties the lines of the last set, keeping their storage, with room
// for the lines c counts; the result is never nil.
func reuse[T any](lines []T, c *census) []T {
	clear(lines)
	if lines == nil || (c != nil && cap(lines) < c.lines) {
		n := 0
		if c != nil {
			n = c.lines
		}
		return make([]T, 0, n)
	}
	return lines[:0]
}

// canonHeader fills a document's header from the transaction and its envelopes.
func canonHeader(h *canonical.Header, t *Transaction, docType, kind string) {
	h.Schema, h.Type, h.Kind = canonical.SchemaV1, docType, kind
	src := &h.Source
	src.Format = canonical.FormatX12
	src.Set = t.SetID
	src.TransactionControl = t.ControlNumber
	if g := t.Group; g != nil {
		src.Version = g.Version
		src.GroupControl = g.ControlNumber
		src.ApplicationSender = g.Sender
		src.ApplicationReceiver = g.Receiver
		if ic := g.Interchange; ic != nil {
			src.InterchangeControl = ic.ControlNumber
			src.SenderQualifier = ic.SenderQualifier
			src.SenderID = ic.SenderID
			src.ReceiverQualifier = ic.ReceiverQualifier
			src.ReceiverID = ic.ReceiverID
		}
	}
}

// canonMapper carries one map's state. Every string of the document it
// builds lies in one arena: a copy of the set's segments, which most values
// are substrings of, and the few values a conversion rewrites (dates,
// times, decimals not in normal form). The document's lists are
// carved from one slab per element type, sized by a census of the set. The
// first error is kept in err, so that element conversions read as plain
// assignments.
//
// Element accessors (str, decimal, date …) read the current segment, set by
// at.
type canonMapper struct {
	set string
	err error
	// text is a copy of span, the input from the first segment's start to
	// the last one's end, when the segments lie there in order; offsets in
	// it are told by capacity. Other segments are copied one by one.
	text string
	span []byte
	conv arena // holds text, then copied segments and converted values

	seg *Segment // the current segment
	// cur is the copy of its bytes, and ends are the end offsets of its tag
	// and elements (see Segment.split): the segment's own when validation
	// split it, else scanned into scan.
	cur  string
	ends []int32
	scan [mapElements]int32

	parties slab[canonical.Party]
	refs    slab[canonical.Reference]
	strs    slab[string]
	ids     slab[canonical.ProductID]
}

// init prepares the mapper for body: it copies body into a new text when
// its segments lie in order in one buffer, else makes room to copy them
// as they are visited, and empties the slabs, sizing them from c when c is
// set.
func (m *canonMapper) init(set string, body []Segment, c *census) {
	m.set, m.err, m.text, m.span, m.seg = set, nil, "", nil, nil
	var sz census
	if c != nil {
		sz = *c
	}
	m.parties.reset(sz.parties)
	m.refs.reset(sz.refs)
	m.strs.reset(sz.strs)
	m.ids.reset(sz.ids)
	if len(body) == 0 {
		return
	}
	// Room for the converted values: ten bytes a date, a few spare. A
	// reused mapper takes its arena in chunks that serve several sets.
	spare, chunk := 10*sz.dates+16, 0
	if c == nil {
		spare, chunk = 64, textChunk
	}
	if span, ok := bodySpan(body); ok {
		// The Reader's segments lie in order in one buffer: copy the span,
		// terminators included, in one go.
		m.conv.room(len(span)+spare, chunk)
		m.text, m.span = m.conv.add(span), span
		return
	}
	n := 0
	for i := range body {
		n += len(body[i].raw)
	}
	m.conv.room(n+spare, chunk)
}

// textChunk is the least a reused mapper's arena grows by. A string kept
// from a document keeps its chunk alive, so it stays small: the largest
// size the allocator serves from its per-size caches.
const textChunk = 32 << 10

// bodySpan reports whether the last segment's bytes lie after the first
// one's in one array, and returns the span from the first segment's start to
// the last one's end. The segments between are checked one by one, by
// inSpan, as they are read.
func bodySpan(body []Segment) ([]byte, bool) {
	first, last := body[0].raw, body[len(body)-1].raw
	if len(first) == 0 {
		return nil, false
	}
	if off, ok := inSpan(first[:cap(first)], last); ok {
		return first[:off+len(last)], true
	}
	return nil, false
}

// inSpan returns the offset of raw in span and whether raw lies there. A
// segment's offset from the start of the span is told by how much less
// capacity it has.
func inSpan(span, raw []byte) (int, bool) {
	off := cap(span) - cap(raw)
	if uint(off) >= uint(len(span)) || len(raw) == 0 || len(raw) > len(span)-off || &span[off] != &raw[0] {
		return 0, false
	}
	return off, true
}

// at makes s, a segment of the body, the current segment: it finds the
// copy of its bytes, and its element ends, in its own table when validation
// has split it already, else by scanning its bytes. Segments the map does
// not read need not be visited.
func (m *canonMapper) at(s *Segment) {
	m.seg = s
	raw := s.raw
	if off, ok := inSpan(m.span, raw); ok {
		m.cur = m.text[off : off+len(raw)]
	} else {
		m.cur = m.conv.add(raw)
	}
	switch {
	case s.hi != 0:
		m.ends = s.env.arena[s.lo:s.hi]
	case s.env != nil:
		m.ends = m.scan[:scanEnds(s.raw, int(s.tag), s.env.d.Element, &m.scan)]
	default:
		m.ends = nil
	}
}

// atSplit is at for the usual segment, split and in the span, and reports
// whether s was one; for any other it does nothing, and the caller calls
// at. As it calls nothing, it is inlined, which spares a call for each
// segment mapped: "if !m.atSplit(s) { m.at(s) }" does what at does.
func (m *canonMapper) atSplit(s *Segment) bool {
	span, raw := m.span, s.raw
	off := cap(span) - cap(raw) // as in inSpan
	if s.hi == 0 || uint(off) >= uint(len(span)) || len(raw) > len(span)-off || &span[off] != &raw[:1][0] {
		return false
	}
	m.seg, m.cur, m.ends = s, m.text[off:off+len(raw)], s.env.arena[s.lo:s.hi]
	return true
}

// finish caps the lists carved from the slabs, so that appending to one of
// them copies it rather than overwriting its neighbour, and returns the
// first error.
func (m *canonMapper) finish() error {
	m.parties.close()
	m.refs.close()
	m.strs.close()
	m.ids.close()
	return m.err
}

// mapElements is the number of element ends a map reads: the tag's, then
// up to LIN31's. Ends after these may be present, but are never read.
const mapElements = 32

// str returns element i of the current segment without trailing spaces, a
// substring of its copy; "" when absent.
func (m *canonMapper) str(i int) string {
	ends := m.ends
	if i <= 0 || i >= len(ends) {
		return ""
	}
	return element(m.cur, ends, i)
}

// element returns element i of seg, whose element ends are ends, without
// trailing spaces.
func element(seg string, ends []int32, i int) string {
	return trimTrailingSpaces(seg[ends[i-1]+1 : ends[i]])
}

// untrimmed returns element i of the current segment as sent, trailing
// spaces included; "" when absent.
func (m *canonMapper) untrimmed(i int) string {
	ends := m.ends
	if i <= 0 || i >= len(ends) {
		return ""
	}
	return m.cur[ends[i-1]+1 : ends[i]]
}

// trimSpace is strings.TrimSpace, without a call when s starts and ends
// with bytes that cannot be white space.
func trimSpace(s string) string {
	if len(s) > 0 && s[0]-'!' < 0x80-'!' && s[len(s)-1]-'!' < 0x80-'!' {
		return s
	}
	return strings.TrimSpace(s)
}

func trimTrailingSpaces(s string) string {
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// scanEnds records in ends the end offset of the tag of raw, tag bytes
// long, and of each element after it, up to len(ends), and returns how many
// it recorded. Like splitElements it looks for separators eight bytes at a
// time, but into a fixed array.
func scanEnds(raw []byte, tag int, sep byte, ends *[mapElements]int32) int {
	ends[0] = int32(tag)
	n, i := 1, tag+1
	for ; i+8 <= len(raw) && n < len(ends); i += 8 {
		for seps := separatorMask(binary.LittleEndian.Uint64(raw[i:]), sep); seps != 0 && n < len(ends); seps &= seps - 1 {
			ends[n] = int32(i + bits.TrailingZeros64(seps)>>3)
			n++
		}
	}
	for ; i < len(raw) && n < len(ends); i++ {
		if raw[i] == sep {
			ends[n] = int32(i)
			n++
		}
	}
	if tag < len(raw) && n < len(ends) {
		ends[n] = int32(len(raw))
		n++
	}
	return n
}

func (m *canonMapper) fail(elem int, msg string) {
	if m.err != nil {
		return
	}
	s := m.seg
	tag := s.ID()
	m.err = fmt.Errorf("%s %s at position %d: %s%02d %q: %s: %w",
		m.set, tag, s.Position, tag, elem, s.Element(elem), msg, ErrMapData)
}

// missing reports a mandatory segment the map needs and did not find.
func (m *canonMapper) missing(tag string) {
	if m.err == nil {
		m.err = fmt.Errorf("%s: no %s segment: %w", m.set, tag, ErrMapData)
	}
}

// decimal converts an R element (see canonDecimal); a value already in
// normal form is a substring of the text.
func (m *canonMapper) decimal(i int) canonical.Decimal {
	v := m.untrimmed(i) // spaces are not in normal form, and appendDecimal trims them
	if isCanonicalDecimal(v) {
		return canonical.Decimal(v)
	}
	b, ok := appendDecimal(m.conv.scratch[:0], v)
	if !ok {
		m.fail(i, "not a decimal number")
		return ""
	}
	return canonical.Decimal(m.conv.add(b))
}

// implied converts an Nn element with n implied decimal places.
func (m *canonMapper) implied(i, n int) canonical.Decimal {
	b, ok := appendImplied(m.conv.scratch[:0], m.str(i), n)
	if !ok {
		m.fail(i, "not a numeric value")
		return ""
	}
	return canonical.Decimal(m.conv.add(b))
}

// integer converts an N0 element; empty is 0.
func (m *canonMapper) integer(i int) int {
	n := 0
	for _, c := range []byte(trimSpace(m.str(i))) {
		if c < '0' || c > '9' || n > 1e8 {
			m.fail(i, "not a whole number")
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// date converts a DT element (CCYYMMDD, or YYMMDD read as 20YY).
func (m *canonMapper) date(i int) canonical.Date {
	var out [10]byte
	b, ok := isoDate(&out, m.str(i))
	d := canonical.Date(m.conv.add(b))
	if !ok || (d != "" && !d.Valid()) {
		m.fail(i, "not a date")
		return ""
	}
	return d
}

// time converts a TM element (HHMM or HHMMSS, decimal seconds dropped).
func (m *canonMapper) time(i int) canonical.Time {
	var out [8]byte
	b, ok := isoTime(&out, m.str(i))
	t := canonical.Time(m.conv.add(b))
	if !ok || (t != "" && !t.Valid()) {
		m.fail(i, "not a time")
		return ""
	}
	return t
}

// arena hands out strings from a strings.Builder whose bytes are never
// rewritten: a string taken from it stays valid however the builder grows,
// and while it has room a new string costs no allocation.
type arena struct {
	b       strings.Builder
	scratch [32]byte // room to convert a value before adding it
}

// room makes room for n more bytes, starting a new builder of at least
// chunk bytes when the current one has too little left.
func (a *arena) room(n, chunk int) {
	if a.b.Cap()-a.b.Len() < n {
		a.b.Reset()
		a.b.Grow(max(n, chunk))
	}
}

// add copies p into the arena. When the builder is full a new one is
// started: the strings of the old one keep it alive.
func (a *arena) add(p []byte) string {
	if len(p) == 0 {
		return ""
	}
	if a.b.Cap()-a.b.Len() < len(p) {
		a.b.Reset()
		a.b.Grow(max(len(p), 64))
	}
	n := a.b.Len()
	a.b.Write(p)
	return a.b.String()[n:]
}

// slab carves the lists of one element type of a document from one
// allocation, its store, which serves set after set. The list being
// appended to grows into the free rest of the slab; opening another list
// caps it, so that a later append to it copies instead of overwriting its
// neighbour. A list that outgrows the slab is moved by append, whose spare
// capacity then serves the next lists; when nothing is left, a new slab is
// allocated, each twice the last.
type slab[T any] struct {
	store  []T
	free   []T  // never handed out, so zeroed; empty while a list is open
	open   *[]T // the list growing into free, if any
	refill int  // the size of the next slab, should this one run out
	n      int  // elements handed out since the last reset
}

// reset frees the whole store for the next set, zeroing what the last set
// used, and grows it to at least n elements, or, when n is 0, to what the
// last set needed.
func (s *slab[T]) reset(n int) {
	if n == 0 && s.n > len(s.store) {
		n = s.n + s.n/4
	}
	if n > len(s.store) {
		s.store = make([]T, n)
	} else {
		// The store's lists were carved from its start.
		clear(s.store[:min(s.n, len(s.store))])
	}
	s.free, s.open, s.n, s.refill = s.store, nil, 0, max(len(s.store)/2, 8)
}

// add extends *list by one zero element, carved from the slab, and returns
// it.
func (s *slab[T]) add(list *[]T) *T {
	s.n++
	s.openList(list)
	return grow(list)
}

// reserve makes room in *list for n more elements, carved from the slab,
// which appending to it then fills without moving it. They count as handed
// out, used or not.
func (s *slab[T]) reserve(list *[]T, n int) {
	s.n += n
	if o := s.open; o != nil && o != list && len(*list) == 0 && cap(*o)-len(*o) >= n {
		// The usual case, a new list after another: what openList does,
		// the open list's spare room handed on directly.
		k := len(*o)
		*list, *o, s.open = (*o)[k:k], (*o)[:k:k], list
		return
	}
	s.openList(list)
	*list = slices.Grow(*list, n)
}

// openList makes *list the list growing into the free rest of the slab,
// when it is empty.
func (s *slab[T]) openList(list *[]T) {
	if list == s.open {
		return
	}
	s.close()
	if len(*list) == 0 {
		if len(s.free) == 0 { // the census fell short
			s.free = make([]T, s.refill)
			s.refill *= 2
		}
		s.open, *list, s.free = list, s.free[:0], nil
	}
}

// close caps the open list and returns its unused capacity to the slab.
func (s *slab[T]) close() {
	if s.open == nil {
		return
	}
	l := *s.open
	n := len(l)
	s.free, *s.open, s.open = l[n:cap(l)], l[:n:n], nil
}

// canonDecimal normalises an X12 R value: a leading '+' is dropped, as are
// redundant leading zeros; ".5" becomes "0.5" and "5." becomes "5". Digits
// after the point are kept exactly, trailing zeros included. Empty input is
// the empty Decimal.
func canonDecimal(b []byte) (canonical.Decimal, bool) {
	d, ok := appendDecimal(nil, string(b))
	return canonical.Decimal(d), ok
}

// appendDecimal appends the normal form of the R value b to dst (see
// canonDecimal).
func appendDecimal(dst []byte, b string) ([]byte, bool) {
	b = trimSpace(b)
	if len(b) == 0 {
		return dst, true
	}
	if isCanonicalDecimal(b) {
		return append(dst, b...), true
	}
	neg, intPart, frac, ok := splitDecimal(b)
	if !ok {
		return dst, false
	}
	return joinDecimal(dst, neg, intPart, frac), true
}

// canonImplied converts an Nn value: "4300" with n = 2 is "43.00". A value
// written with a decimal point, which X12 forbids in Nn but partners send, is
// read as an R value.
func canonImplied(b []byte, n int) (canonical.Decimal, bool) {
	d, ok := appendImplied(nil, string(b), n)
	return canonical.Decimal(d), ok
}

// appendImplied appends the decimal form of the Nn value b to dst (see
// canonImplied).
func appendImplied(dst []byte, b string, n int) ([]byte, bool) {
	b = trimSpace(b)
	if len(b) == 0 {
		return dst, true
	}
	if strings.IndexByte(b, '.') >= 0 {
		return appendDecimal(dst, b)
	}
	neg, digits, _, ok := splitDecimal(b)
	if !ok {
		return dst, false
	}
	digits = trimLeadingZeros(digits)
	if neg {
		dst = append(dst, '-')
	}
	for pad := n + 1 - len(digits); pad > 0; pad-- {
		dst = append(dst, '0')
	}
	dst = append(dst, digits...)
	if n > 0 {
		dot := len(dst) - n
		dst = append(dst, 0)
		copy(dst[dot+1:], dst[dot:len(dst)-1])
		dst[dot] = '.'
	}
	return dst, true
}

// splitDecimal parses [+-]digits[.digits]; at least one digit is required.
func splitDecimal(b string) (neg bool, intPart, frac string, ok bool) {
	i := 0
	if b[0] == '+' || b[0] == '-' {
		neg = b[0] == '-'
		i++
	}
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	intPart = b[i:j]
	if j < len(b) {
		if b[j] != '.' {
			return false, "", "", false
		}
		k := j + 1
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			k++
		}
		if k != len(b) {
			return false, "", "", false
		}
		frac = b[j+1:]
	}
	return neg, intPart, frac, len(intPart)+len(frac) > 0
}

// isCanonicalDecimal reports whether b is a decimal in normal form: an
// optional '-', digits without a redundant leading zero, and optionally a
// point followed by digits.
func isCanonicalDecimal(b string) bool {
	i := 0
	if len(b) > 0 && b[0] == '-' {
		i = 1
	}
	if i >= len(b) || b[i]-'0' > 9 || (b[i] == '0' && i+1 < len(b) && b[i+1] != '.') {
		return false
	}
	for i++; i < len(b) && b[i]-'0' <= 9; i++ {
	}
	if i == len(b) {
		return true
	}
	if b[i] != '.' || i+1 == len(b) {
		return false
	}
	for i++; i < len(b) && b[i]-'0' <= 9; i++ {
	}
	return i == len(b)
}

// joinDecimal appends a parsed decimal in normal form to dst.
func joinDecimal(dst []byte, neg bool, intPart, frac string) []byte {
	intPart = trimLeadingZeros(intPart)
	if neg {
		dst = append(dst, '-')
	}
	if len(intPart) == 0 {
		dst = append(dst, '0')
	}
	dst = append(dst, intPart...)
	if len(frac) > 0 {
		dst = append(dst, '.')
		dst = append(dst, frac...)
	}
	return dst
}

// trimLeadingZeros drops leading zeros, keeping one digit.
func trimLeadingZeros(d string) string {
	for len(d) > 1 && d[0] == '0' {
		d = d[1:]
	}
	return d
}

// canonDate converts CCYYMMDD (or YYMMDD, read as 20YY) to YYYY-MM-DD.
func canonDate(b []byte) (canonical.Date, bool) {
	var out [10]byte
	d, ok := isoDate(&out, string(b))
	date := canonical.Date(d)
	return date, ok && (date == "" || date.Valid())
}

// isoDate writes the date b into out as YYYY-MM-DD (see canonDate) and
// returns the bytes written, none for an empty element, and whether b has
// a date's length; whether the date is real is for the caller to check
// (Date.Valid), on the string it keeps.
func isoDate(out *[10]byte, b string) ([]byte, bool) {
	if n := len(b); n == 0 || b[0]-'0' > 9 || b[n-1]-'0' > 9 {
		b = trimSpace(b) // a date between digits has nothing to trim
	}
	switch len(b) {
	case 0:
		return nil, true
	case 8:
		copy(out[0:4], b[0:4])
		b = b[4:]
	case 6:
		out[0], out[1], out[2], out[3] = '2', '0', b[0], b[1]
		b = b[2:]
	default:
		return nil, false
	}
	out[4], out[5], out[6], out[7], out[8], out[9] = '-', b[0], b[1], '-', b[2], b[3]
	return out[:], true
}

// canonTime converts HHMM or HHMMSS[d…] to HH:MM or HH:MM:SS.
func canonTime(b []byte) (canonical.Time, bool) {
	var out [8]byte
	t, ok := isoTime(&out, string(b))
	tm := canonical.Time(t)
	return tm, ok && (tm == "" || tm.Valid())
}

// isoTime writes the time b into out as HH:MM or HH:MM:SS (see canonTime)
// and returns the bytes written, none for an empty element, and whether b
// has a time's form; whether the time is real is for the caller to check
// (Time.Valid), on the string it keeps.
func isoTime(out *[8]byte, b string) ([]byte, bool) {
	b = trimSpace(b)
	if len(b) == 0 {
		return nil, true
	}
	if len(b) < 4 || len(b) == 5 {
		return nil, false
	}
	out[0], out[1], out[2], out[3], out[4] = b[0], b[1], ':', b[2], b[3]
	n := 5
	if len(b) >= 6 {
		out[5], out[6], out[7] = ':', b[4], b[5]
		n = 8
		for _, c := range []byte(b[6:]) {
			if c < '0' || c > '9' {
				return nil, false
			}
		}
	}
	return out[:n], true
}

// purposeFromX12 maps BEG01/BSN01 (element 353) to a canonical purpose;
// unknown codes are kept as sent.
func purposeFromX12(code string) string {
	switch code {
	case "00":
		return canonical.PurposeOriginal
	case "01":
		return canonical.PurposeCancel
	case "04":
		return canonical.PurposeChange
	case "05":
		return canonical.PurposeReplace
	case "06":
		return canonical.PurposeConfirmation
	case "07":
		return canonical.PurposeDuplicate
	}
	return code
}

// purposeToX12 is the inverse of purposeFromX12; an empty purpose is original.
func purposeToX12(p string) string {
	switch p {
	case "", canonical.PurposeOriginal:
		return "00"
	case canonical.PurposeCancel:
		return "01"
	case canonical.PurposeChange:
		return "04"
	case canonical.PurposeReplace:
		return "05"
	case canonical.PurposeConfirmation:
		return "06"
	case canonical.PurposeDuplicate:
		return "07"
	}
	return p
}

// x12Roles pairs N101 entity identifier codes with canonical roles.
var x12Roles = [...]struct{ code, role string }{
	{"BY", canonical.RoleBuyer},
	{"ST", canonical.RoleShipTo},
	{"BT", canonical.RoleBillTo},
	{"SF", canonical.RoleShipFrom},
	{"VN", canonical.RoleVendor},
	{"WH", canonical.RoleWarehouse},
	{"DE", canonical.RoleDepositor},
	{"Z7", canonical.RoleMarkFor},
	{"SE", canonical.RoleSeller},
	{"SU", canonical.RoleSupplier},
	{"CN", canonical.RoleConsignee},
	{"BS", canonical.RoleBillAndShipTo},
}

// roleFromN101 maps an entity code to a role, as x12Roles pairs them;
// unknown codes are kept raw. A switch finds a code in fewer steps than
// a walk of the table does.
func roleFromN101(code string) string {
	switch code {
	case "BY":
		return canonical.RoleBuyer
	case "ST":
		return canonical.RoleShipTo
	case "BT":
		return canonical.RoleBillTo
	case "SF":
		return canonical.RoleShipFrom
	case "VN":
		return canonical.RoleVendor
	case "WH":
		return canonical.RoleWarehouse
	case "DE":
		return canonical.RoleDepositor
	case "Z7":
		return canonical.RoleMarkFor
	case "SE":
		return canonical.RoleSeller
	case "SU":
		return canonical.RoleSupplier
	case "CN":
		return canonical.RoleConsignee
	case "BS":
		return canonical.RoleBillAndShipTo
	}
	return code
}

// roleToN101 is the inverse of roleFromN101.
func roleToN101(role string) string {
	for i := range x12Roles {
		if role == x12Roles[i].role {
			return x12Roles[i].code
		}
	}
	return role
}

// partyCursor builds parties from an N1 loop: N1 opens a party in a list,
// the N2, N3 and N4 that follow complete it. The party stays put until the
// next N1, as only N1 adds to a list of parties.
type partyCursor struct {
	p *canonical.Party
}

// n1 opens a party in list from the current segment.
func (c *partyCursor) n1(m *canonMapper, list *[]canonical.Party) {
	p := m.parties.add(list)
	p.Role = roleFromN101(m.str(1))
	p.Name = m.str(2)
	p.IDQualifier = m.str(3)
	p.ID = m.str(4)
	c.p = p
}

// reset closes the open party: later N2/N3/N4 segments are ignored.
func (c *partyCursor) reset() { c.p = nil }

// n2 adds the names of the current segment to the open party, if any.
func (c *partyCursor) n2(m *canonMapper) {
	if c.p != nil {
		m.appendValues(&c.p.AdditionalNames, 1, 2)
	}
}

// n3 adds the address lines of the current segment to the open party, if
// any.
func (c *partyCursor) n3(m *canonMapper) {
	if c.p != nil {
		m.appendValues(&c.p.Address.Lines, 1, 2)
	}
}

// n4 sets the city, state, postal code and country of the open party, if
// any.
func (c *partyCursor) n4(m *canonMapper) {
	if c.p != nil {
		a := &c.p.Address
		a.City, a.State, a.PostalCode, a.Country = m.str(1), m.str(2), m.str(3), m.str(4)
	}
}

// appendValues appends the non-empty elements from..to to *list.
func (m *canonMapper) appendValues(list *[]string, from, to int) {
	for i := from; i <= to; i++ {
		if v := m.str(i); v != "" {
			*m.strs.add(list) = v
		}
	}
}

// ref appends a reference from REF01/02/03 or N901/02/03 to *list.
func (m *canonMapper) ref(list *[]canonical.Reference) {
	r := m.refs.add(list)
	r.Qualifier, r.Value, r.Description = m.str(1), m.str(2), m.str(3)
}

// note appends the free text of an MSG, MTX or NTE segment to *list, when
// there is some.
func (m *canonMapper) note(list *[]string) {
	var n string
	switch string(m.seg.Tag()) {
	case "MSG":
		n = m.str(1)
	case "MTX", "NTE":
		n = m.str(2)
	}
	if n != "" {
		*m.strs.add(list) = n
	}
}

// fillEmpty sets *dst to element i unless *dst is already set.
func (m *canonMapper) fillEmpty(dst *string, i int) {
	if *dst == "" {
		*dst = m.str(i)
	}
}

// Item field identifiers, for itemBuilder.
const (
	itemNone = iota
	itemBuyer
	itemVendor
	itemUPC
	itemGTIN
	itemCaseUPC
	itemSKU
	itemLot
	itemFields
)

// productQualifier tells which named Item field a product ID qualifier
// (element 235) fills and with what precedence (1 wins over 2 …).
func productQualifier(q string) (field, rank int) {
	switch q {
	case "UP":
		return itemUPC, 1
	case "UK":
		return itemGTIN, 1
	case "EN":
		return itemGTIN, 2
	case "UA":
		return itemCaseUPC, 1
	case "VN":
		return itemVendor, 1
	case "VP":
		return itemVendor, 2
	case "VC":
		return itemVendor, 3
	case "BP":
		return itemBuyer, 1
	case "IN":
		return itemBuyer, 2
	case "PI":
		return itemBuyer, 3
	case "CB":
		return itemBuyer, 4
	case "SK":
		return itemSKU, 1
	case "LT":
		return itemLot, 1
	}
	return itemNone, 0
}

// itemBuilder fills an Item from product ID pairs. Every pair lands in
// Item.IDs, in order (a repeated qualifier keeps its first value); each named
// field takes the value of the best-ranked qualifier present, whatever the
// pair order. IDs are carved from the mapper's slab. (The mapper is passed
// to each method rather than kept, so that it does not escape.)
type itemBuilder struct {
	item *canonical.Item
	rank [itemFields]int8
	// seen has bit 8*field+rank set for each known qualifier added, which
	// spares comparing it with the qualifiers before it.
	seen uint64
}

func newItemBuilder(it *canonical.Item) itemBuilder {
	return itemBuilder{item: it}
}

// pairs adds the qualifier/value pairs of the current segment at elements
// first, first+1, …, first+2(n-1), in room it reserves, as add does; a
// known qualifier with a value, the usual pair, is added inline.
func (b *itemBuilder) pairs(m *canonMapper, first, n int) {
	cur, ends := m.cur, m.ends
	last := min(first+2*n, len(ends)-1) // the last qualifier's, plus 2
	if last <= first {
		return
	}
	it := b.item
	m.ids.reserve((*[]canonical.ProductID)(&it.IDs), (last-first+1)/2)
	// Each step reads the end of the element before a pair, then the ends
	// of its qualifier and of its value: the elements are sliced from the
	// copy directly, with one bounds check for all their ends.
	for e := ends[first-1 : last+1]; len(e) >= 3; e = e[2:] {
		q := cur[e[0]+1 : e[1]]
		v := trimTrailingSpaces(cur[e[1]+1 : e[2]])
		field, rank := productQualifier(q)
		if field == itemNone || v == "" {
			// An empty pair, or a qualifier followed by spaces or unknown.
			b.add(trimTrailingSpaces(q), v)
			continue
		}
		bit := uint64(1) << (8*field + rank)
		if b.seen&bit != 0 {
			continue
		}
		b.seen |= bit
		it.IDs = append(it.IDs, canonical.ProductID{Qualifier: q, Value: v})
		if r := b.rank[field]; r == 0 || int(r) > rank {
			b.rank[field] = int8(rank)
			*namedField(it, field) = v
		}
	}
}

// add records one pair, as pairs does for those it reads, in room pairs
// reserved; an empty qualifier or value is skipped.
func (b *itemBuilder) add(q, v string) {
	if q == "" || v == "" {
		return
	}
	field, rank := productQualifier(q)
	if field == itemNone {
		if _, dup := b.item.IDs.Get(q); !dup {
			b.item.IDs = append(b.item.IDs, canonical.ProductID{Qualifier: q, Value: v})
		}
		return
	}
	bit := uint64(1) << (8*field + rank)
	if b.seen&bit != 0 {
		return
	}
	b.seen |= bit
	b.item.IDs = append(b.item.IDs, canonical.ProductID{Qualifier: q, Value: v})
	if r := b.rank[field]; r == 0 || int(r) > rank {
		b.rank[field] = int8(rank)
		*namedField(b.item, field) = v
	}
}

// set fills a named field from a dedicated element (W0103, W0113, W1206 …),
// which outranks any pair.
func (b *itemBuilder) set(m *canonMapper, field, i int) {
	v := m.str(i)
	if v == "" || b.rank[field] == -1 {
		return
	}
	b.rank[field] = -1
	*namedField(b.item, field) = v
}

// itemField returns the named field of it that field identifies.
func itemField(it *canonical.Item, field int) *string {
	if p := namedField(it, field); p != nil {
		return p
	}
	panic("edi: bad item field " + strconv.Itoa(field))
}

// namedField returns the named field of it that field identifies, nil for
// itemNone.
func namedField(it *canonical.Item, field int) *string {
	switch field {
	case itemBuyer:
		return &it.BuyerItem
	case itemVendor:
		return &it.VendorItem
	case itemUPC:
		return &it.UPC
	case itemGTIN:
		return &it.GTIN
	case itemCaseUPC:
		return &it.CaseUPC
	case itemSKU:
		return &it.SKU
	case itemLot:
		return &it.Lot
	}
	return nil
}

// grow extends *s by one zero element and returns it. Within capacity the
// slice is extended in place (spare capacity is always zeroed memory), which
// spares copying a zero value in.
func grow[T any](s *[]T) *T {
	if n := len(*s); n < cap(*s) {
		*s = (*s)[:n+1]
	} else {
		var zero T
		*s = append(*s, zero)
	}
	return &(*s)[len(*s)-1]
}

// census counts, in one pass over the tags, what sizes a document's lists
// and arena: its lines (the segments tagged line), parties (N1), references
// (REF, N9), strings (a note per MSG, MTX or NTE, up to two per N2 or N3)
// and dates (a DTM or G62 each, and one for the beginning segment). The
// product IDs are estimated as the pairs of the first line (up to maxPairs
// from element firstPair on) times the lines: partners send the same
// identifiers on every line, and the slab copes when they do not.
type census struct {
	lines, ids, parties, refs, strs, dates int
}

func takeCensus(body []Segment, line string, firstPair, maxPairs int) census {
	c := census{dates: 1}
	pairs := 0
	for i := range body {
		s := &body[i]
		switch tag := s.Tag(); string(tag) {
		case "PO1", "LIN", "W01", "W12":
			if string(tag) != line {
				break
			}
			if c.lines == 0 {
				pairs = min(max(elementCount(s)-firstPair+2, 0)/2, maxPairs)
			}
			c.lines++
		case "N1":
			c.parties++
		case "N2", "N3":
			c.strs += min(elementCount(s), 2)
		case "REF", "N9":
			c.refs++
		case "DTM", "G62":
			c.dates++
		case "MSG", "MTX", "NTE":
			c.strs++
		}
	}
	c.ids = pairs * c.lines
	return c
}

// elementCount returns the number of elements of s after the tag, counting
// separators rather than splitting.
func elementCount(s *Segment) int {
	d := s.Delimiters()
	if d == nil {
		return 0
	}
	return bytes.Count(s.raw, []byte{d.Element})
}
