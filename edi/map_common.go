package edi

import (
	"bytes"
	"errors"
	"fmt"
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
	switch t.SetID {
	case "850":
		return map850(t)
	case "856":
		return map856(t)
	case "940":
		return map940(t)
	case "945":
		return map945(t)
	}
	return nil, fmt.Errorf("edi: transaction set %q: %w", t.SetID, ErrNoMap)
}

// canonHeader starts a document's header from the transaction and its envelopes.
func canonHeader(t *Transaction, docType, kind string) canonical.Header {
	h := canonical.Header{Schema: canonical.SchemaV1, Type: docType, Kind: kind}
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
	return h
}

// canonMapper carries one map's state. Every string of the document it
// builds is a substring of text, one copy of the set's segments, so that
// mapping costs one allocation for the strings rather than one per value;
// the document keeps that copy alive. The first error is kept in err, so
// that element conversions read as plain assignments.
type canonMapper struct {
	set  string
	err  error
	text string   // the segments of the set, concatenated
	next int      // offset in text of the segment after the current one
	base int      // offset in text of the current segment
	seg  *Segment // the current segment
	// first is the first segment's bytes when the text is a copy of the
	// span the segments lie in; offsets are then told by capacity.
	first []byte
	// ids is a slab the product IDs of all items are carved from.
	ids []canonical.ProductID
}

// newCanonMapper copies body into the mapper's text. idHint sizes the first
// product ID slab.
func newCanonMapper(set string, body []Segment, idHint int) canonMapper {
	m := canonMapper{set: set, ids: make([]canonical.ProductID, 0, max(idHint, 16))}
	if len(body) == 0 {
		return m
	}
	if span, ok := contiguous(body); ok {
		// The Reader's segments lie in order in one buffer: copy the span,
		// terminators included, in one go.
		m.text, m.first = string(span), body[0].raw
		return m
	}
	n := 0
	for i := range body {
		n += len(body[i].raw)
	}
	var b strings.Builder
	b.Grow(n)
	for i := range body {
		b.Write(body[i].raw)
	}
	m.text = b.String()
	return m
}

// contiguous reports whether the segments' bytes lie in order in one array,
// and returns the span from the first segment's start to the last one's end.
// A segment's offset from the first is told by how much less capacity it has.
func contiguous(body []Segment) ([]byte, bool) {
	first := body[0].raw
	full := first[:cap(first)]
	end := 0
	for i := range body {
		raw := body[i].raw
		off := cap(first) - cap(raw)
		if len(raw) == 0 || off < end || off+len(raw) > len(full) || &full[off] != &raw[0] {
			return nil, false
		}
		end = off + len(raw)
	}
	return full[:end], true
}

// at makes s, the next segment of the body, the current segment.
func (m *canonMapper) at(s *Segment) {
	m.seg = s
	if m.first != nil {
		m.base = cap(m.first) - cap(s.raw)
		return
	}
	m.base = m.next
	m.next += len(s.raw)
}

// str returns element i of s without trailing spaces. For the current
// segment it is a substring of the mapper's text and costs no allocation.
func (m *canonMapper) str(s *Segment, i int) string {
	ends := s.split()
	if i <= 0 || i >= len(ends) {
		return ""
	}
	start, end := int(ends[i-1])+1, int(ends[i])
	for end > start && s.raw[end-1] == ' ' {
		end--
	}
	if s == m.seg {
		return m.text[m.base+start : m.base+end]
	}
	return string(s.raw[start:end])
}

func (m *canonMapper) fail(s *Segment, elem int, msg string) {
	if m.err != nil {
		return
	}
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
// normal form costs no allocation.
func (m *canonMapper) decimal(s *Segment, i int) canonical.Decimal {
	e := s.Element(i)
	if isCanonicalDecimal(e) {
		return canonical.Decimal(m.str(s, i))
	}
	d, ok := canonDecimal(e)
	if !ok {
		m.fail(s, i, "not a decimal number")
	}
	return d
}

// implied converts an Nn element with n implied decimal places.
func (m *canonMapper) implied(s *Segment, i, n int) canonical.Decimal {
	d, ok := canonImplied(s.Element(i), n)
	if !ok {
		m.fail(s, i, "not a numeric value")
	}
	return d
}

// integer converts an N0 element; empty is 0.
func (m *canonMapper) integer(s *Segment, i int) int {
	b := bytes.TrimSpace(s.Element(i))
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' || n > 1e8 {
			m.fail(s, i, "not a whole number")
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// date converts a DT element (CCYYMMDD, or YYMMDD read as 20YY).
func (m *canonMapper) date(s *Segment, i int) canonical.Date {
	d, ok := canonDate(s.Element(i))
	if !ok {
		m.fail(s, i, "not a date")
	}
	return d
}

// time converts a TM element (HHMM or HHMMSS, decimal seconds dropped).
func (m *canonMapper) time(s *Segment, i int) canonical.Time {
	t, ok := canonTime(s.Element(i))
	if !ok {
		m.fail(s, i, "not a time")
	}
	return t
}

// canonDecimal normalises an X12 R value: a leading '+' is dropped, as are
// redundant leading zeros; ".5" becomes "0.5" and "5." becomes "5". Digits
// after the point are kept exactly, trailing zeros included. Empty input is
// the empty Decimal.
func canonDecimal(b []byte) (canonical.Decimal, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", true
	}
	if isCanonicalDecimal(b) {
		return canonical.Decimal(b), true
	}
	neg, intPart, frac, ok := splitDecimal(b)
	if !ok {
		return "", false
	}
	return joinDecimal(neg, intPart, frac), true
}

// canonImplied converts an Nn value: "4300" with n = 2 is "43.00". A value
// written with a decimal point, which X12 forbids in Nn but partners send, is
// read as an R value.
func canonImplied(b []byte, n int) (canonical.Decimal, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", true
	}
	if bytes.IndexByte(b, '.') >= 0 {
		return canonDecimal(b)
	}
	neg, digits, _, ok := splitDecimal(b)
	if !ok {
		return "", false
	}
	digits = trimLeadingZeros(digits)
	buf := make([]byte, 0, len(digits)+n+3)
	if neg {
		buf = append(buf, '-')
	}
	for pad := n + 1 - len(digits); pad > 0; pad-- {
		buf = append(buf, '0')
	}
	buf = append(buf, digits...)
	if n > 0 {
		dot := len(buf) - n
		buf = append(buf, 0)
		copy(buf[dot+1:], buf[dot:len(buf)-1])
		buf[dot] = '.'
	}
	return canonical.Decimal(buf), true
}

// splitDecimal parses [+-]digits[.digits]; at least one digit is required.
func splitDecimal(b []byte) (neg bool, intPart, frac []byte, ok bool) {
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
			return false, nil, nil, false
		}
		k := j + 1
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			k++
		}
		if k != len(b) {
			return false, nil, nil, false
		}
		frac = b[j+1:]
	}
	return neg, intPart, frac, len(intPart)+len(frac) > 0
}

// isCanonicalDecimal reports whether b is a decimal in normal form: an
// optional '-', digits without a redundant leading zero, and optionally a
// point followed by digits.
func isCanonicalDecimal(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || (b[0] == '0' && len(b) > 1 && b[1] != '.') {
		return false
	}
	dot := -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && dot < 0 && i > 0:
			dot = i
		default:
			return false
		}
	}
	return dot != len(b)-1
}

// joinDecimal writes a parsed decimal in normal form.
func joinDecimal(neg bool, intPart, frac []byte) canonical.Decimal {
	intPart = trimLeadingZeros(intPart)
	buf := make([]byte, 0, len(intPart)+len(frac)+3)
	if neg {
		buf = append(buf, '-')
	}
	if len(intPart) == 0 {
		buf = append(buf, '0')
	}
	buf = append(buf, intPart...)
	if len(frac) > 0 {
		buf = append(buf, '.')
		buf = append(buf, frac...)
	}
	return canonical.Decimal(buf)
}

// trimLeadingZeros drops leading zeros, keeping one digit.
func trimLeadingZeros(d []byte) []byte {
	for len(d) > 1 && d[0] == '0' {
		d = d[1:]
	}
	return d
}

// canonDate converts CCYYMMDD (or YYMMDD, read as 20YY) to YYYY-MM-DD.
func canonDate(b []byte) (canonical.Date, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", true
	}
	var out [10]byte
	switch len(b) {
	case 8:
		copy(out[0:4], b[0:4])
		b = b[4:]
	case 6:
		out[0], out[1], out[2], out[3] = '2', '0', b[0], b[1]
		b = b[2:]
	default:
		return "", false
	}
	out[4], out[5], out[6], out[7], out[8], out[9] = '-', b[0], b[1], '-', b[2], b[3]
	d := canonical.Date(out[:])
	return d, d.Valid()
}

// canonTime converts HHMM or HHMMSS[d…] to HH:MM or HH:MM:SS.
func canonTime(b []byte) (canonical.Time, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", true
	}
	var out [8]byte
	if len(b) < 4 || len(b) == 5 {
		return "", false
	}
	out[0], out[1], out[2], out[3], out[4] = b[0], b[1], ':', b[2], b[3]
	n := 5
	if len(b) >= 6 {
		out[5], out[6], out[7] = ':', b[4], b[5]
		n = 8
		for _, c := range b[6:] {
			if c < '0' || c > '9' {
				return "", false
			}
		}
	}
	t := canonical.Time(out[:n])
	return t, t.Valid()
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

// roleFromN101 maps an entity code to a role; unknown codes are kept raw.
func roleFromN101(code string) string {
	for i := range x12Roles {
		if code == x12Roles[i].code {
			return x12Roles[i].role
		}
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
// the N2, N3 and N4 that follow complete it.
type partyCursor struct {
	list *[]canonical.Party
	i    int
}

// n1 opens a party in list.
func (c *partyCursor) n1(m *canonMapper, list *[]canonical.Party, s *Segment) {
	*list = append(*list, canonical.Party{
		Role:        roleFromN101(m.str(s, 1)),
		Name:        m.str(s, 2),
		IDQualifier: m.str(s, 3),
		ID:          m.str(s, 4),
	})
	c.list, c.i = list, len(*list)-1
}

// reset closes the open party: later N2/N3/N4 segments are ignored.
func (c *partyCursor) reset() { c.list = nil }

// detail applies an N2, N3 or N4 to the open party, if any.
func (c *partyCursor) detail(m *canonMapper, s *Segment) {
	if c.list == nil {
		return
	}
	p := &(*c.list)[c.i]
	switch string(s.Tag()) {
	case "N2":
		p.AdditionalNames = m.appendValues(p.AdditionalNames, s, 1, 2)
	case "N3":
		p.Address.Lines = m.appendValues(p.Address.Lines, s, 1, 2)
	case "N4":
		a := &p.Address
		a.City, a.State, a.PostalCode, a.Country = m.str(s, 1), m.str(s, 2), m.str(s, 3), m.str(s, 4)
	}
}

// appendValues appends the non-empty elements from..to of s.
func (m *canonMapper) appendValues(dst []string, s *Segment, from, to int) []string {
	for i := from; i <= to; i++ {
		if v := m.str(s, i); v != "" {
			dst = append(dst, v)
		}
	}
	return dst
}

// ref builds a reference from REF01/02/03 or N901/02/03.
func (m *canonMapper) ref(s *Segment) canonical.Reference {
	return canonical.Reference{Qualifier: m.str(s, 1), Value: m.str(s, 2), Description: m.str(s, 3)}
}

// note returns the free text of an MSG, MTX or NTE segment, "" for others.
func (m *canonMapper) note(s *Segment) string {
	switch string(s.Tag()) {
	case "MSG":
		return m.str(s, 1)
	case "MTX", "NTE":
		return m.str(s, 2)
	}
	return ""
}

// fillEmpty sets *dst to element i of s unless *dst is already set.
func (m *canonMapper) fillEmpty(dst *string, s *Segment, i int) {
	if *dst == "" {
		*dst = m.str(s, i)
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
// pair order. IDs are carved from the mapper's slab.
type itemBuilder struct {
	m     *canonMapper
	item  *canonical.Item
	start int // where the item's IDs begin in m.ids
	rank  [itemFields]int
}

func (m *canonMapper) itemBuilder(it *canonical.Item) itemBuilder {
	return itemBuilder{m: m, item: it, start: len(m.ids)}
}

// pairs adds the qualifier/value pairs at elements first, first+1, …,
// first+2(n-1).
func (b *itemBuilder) pairs(s *Segment, first, n int) {
	for k := 0; k < n; k++ {
		i := first + 2*k
		if i+1 > s.Len() {
			return
		}
		b.add(b.m.str(s, i), b.m.str(s, i+1))
	}
}

// add records one pair; empty qualifiers or values are skipped.
func (b *itemBuilder) add(q, v string) {
	if q == "" || v == "" {
		return
	}
	m := b.m
	for _, id := range m.ids[b.start:] {
		if id.Qualifier == q {
			return
		}
	}
	if len(m.ids) == cap(m.ids) {
		// A new slab; the item's IDs so far move with it, earlier items
		// keep the old one.
		slab := make([]canonical.ProductID, 0, 2*cap(m.ids))
		m.ids = append(slab, m.ids[b.start:]...)
		b.start = 0
	}
	m.ids = append(m.ids, canonical.ProductID{Qualifier: q, Value: v})
	field, rank := productQualifier(q)
	if field == itemNone || (b.rank[field] != 0 && b.rank[field] <= rank) {
		return
	}
	b.rank[field] = rank
	*itemField(b.item, field) = v
}

// set fills a named field from a dedicated element (W0103, W0113, W1206 …),
// which outranks any pair.
func (b *itemBuilder) set(field int, s *Segment, i int) {
	v := b.m.str(s, i)
	if v == "" || b.rank[field] == -1 {
		return
	}
	b.rank[field] = -1
	*itemField(b.item, field) = v
}

// done stores the item's IDs, capped so that appending to them copies.
func (b *itemBuilder) done() {
	if end := len(b.m.ids); end > b.start {
		b.item.IDs = b.m.ids[b.start:end:end]
	}
}

// itemField returns the named field of it that field identifies.
func itemField(it *canonical.Item, field int) *string {
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
	panic("edi: bad item field " + strconv.Itoa(field))
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

// countTags counts the segments of body tagged tag, to size slices.
func countTags(body []Segment, tag string) int {
	n := 0
	for i := range body {
		if string(body[i].Tag()) == tag {
			n++
		}
	}
	return n
}

// trimmedElem returns element i without trailing spaces, for comparisons.
func trimmedElem(s *Segment, i int) []byte {
	return bytes.TrimRight(s.Element(i), " ")
}
