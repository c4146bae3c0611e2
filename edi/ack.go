package edi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Acknowledgment types, as used in AckOpts.Type and Ack.Type.
const (
	// AckAuto picks a 997 when the acknowledged group's release (GS08) is
	// below 005010 and a 999 otherwise.
	AckAuto = "auto"
	// Ack997 is the 997 Functional Acknowledgment.
	Ack997 = "997"
	// Ack999 is the 999 Implementation Acknowledgment (005010X231A1).
	Ack999 = "999"
	// AckNone builds no 997/999; TA1s are still sent per the TA1 policy.
	AckNone = "none"
	// AckTA1 is a TA1 Interchange Acknowledgment, sent in an interchange of
	// its own.
	AckTA1 = "TA1"
)

// TA1 policies, as used in AckOpts.TA1.
const (
	// TA1PolicyAlways sends a TA1 for every interchange.
	TA1PolicyAlways = "always"
	// TA1PolicyOnRequest sends a TA1 when ISA14 is "1" or when the envelope
	// has error-severity findings.
	TA1PolicyOnRequest = "on_request"
	// TA1PolicyNever sends no TA1.
	TA1PolicyNever = "never"
)

// Kinds of control numbers asked of AckOpts.Control.
const (
	// ControlInterchange asks for an ISA13/IEA02 (at most nine digits; it is
	// zero-padded to nine).
	ControlInterchange = "interchange"
	// ControlGroup asks for a GS06/GE02 (one to nine digits).
	ControlGroup = "group"
	// ControlSet asks for an ST02/SE02 (four to nine characters; a shorter
	// number is zero-padded to four digits).
	ControlSet = "set"
)

// Implementation999 is the implementation convention of the 999 the builder
// writes: its GS08 and ST03.
const Implementation999 = "005010X231A1"

// ErrAckState is returned when AckBuilder calls are made out of order.
var ErrAckState = errors.New("edi: acknowledgment builder call out of order")

// AckOpts configures an AckBuilder. A nil *AckOpts means the defaults. The
// acknowledgments always mirror the received envelope: the ack's ISA sender
// (ISA05/ISA06) is the received ISA receiver and vice versa, GS02 and GS03
// are swapped, and ISA12 is the received ISA12.
type AckOpts struct {
	// Type is the functional acknowledgment to build: AckAuto ("auto"),
	// Ack997, Ack999 or AckNone. Default "auto", decided once per
	// interchange on the first acknowledged group: a 997 when its release is
	// below 005010 (read from GS08, or from ISA12 when GS08 is not a
	// release), a 999 otherwise.
	Type string
	// TA1 is when a TA1 is sent: TA1PolicyAlways, TA1PolicyOnRequest or
	// TA1PolicyNever. Default "on_request". An interchange that carries only
	// acknowledgments (TA1 segments and GS01 FA groups) never gets one.
	TA1 string
	// Control returns the next control number of a kind: ControlInterchange
	// (the ack's ISA13), ControlGroup (GS06) or ControlSet (ST02). Set
	// numbers are drawn as groups are acknowledged, interchange and group
	// numbers by Finish, TA1 interchange first. Default: a counter per kind
	// starting at 1 for each builder (000000001, 1, 0001, …), which is
	// deterministic but repeats across interchanges; production callers must
	// supply a persistent per-partner sequence.
	Control func(kind string) string
	// Now gives the ack's date and time (ISA09/ISA10, GS04/GS05), read once
	// by Finish and written in the time's own location. Default time.Now.
	Now func() time.Time
	// Usage is the ack's ISA15: "P", "T" or "I". Default: the received
	// ISA15, or "P" when that is not one of those.
	Usage string
	// Delimiters are the ack's delimiters. Default (Element 0): the received
	// interchange's, or DefaultDelimiters when those are unusable.
	Delimiters Delimiters
}

// Ack is one acknowledgment interchange written by Finish or FinishTo.
type Ack struct {
	// Type is AckTA1, Ack997 or Ack999.
	Type string
	// ControlNumber is the ack's ISA13.
	ControlNumber string
	// GroupControls are the GS06 of its FA groups; SetControls the ST02 of
	// its 997/999 sets, one per acknowledged group. Both are empty for a TA1.
	GroupControls []string
	SetControls   []string
	// Offset and Size locate the interchange in the output of FinishTo.
	Offset, Size int64
	// X12 holds the interchange's bytes; only Finish sets it.
	X12 []byte
}

// AckBuilder builds the acknowledgments of one received interchange while it
// is read. Memory does not grow with the number of transaction sets: the
// 997/999 sets are written to a body writer as they are built, and only a
// few strings per acknowledged group are kept. Drive it from Reader events:
//
//	InterchangeStart → NewAckBuilder(ic, opts, spool)
//	GroupStart       → BeginGroup(g)
//	TransactionSet   → AddSet(Validate(t, …))
//	GroupEnd         → EndGroup(g)
//	InterchangeEnd   → Finish(spool) or FinishTo(w, spool)
//
// Acknowledgments are never acknowledged: BeginGroup of a GS01 "FA" group
// leaves the group unacknowledged (Acknowledging reports false until the
// next BeginGroup) and AddSet ignores 997 and 999 sets in any group. An
// interchange rejected by an error-severity EnvelopeError gets its TA1 (when
// the policy allows one) and no 997/999: its groups are not acknowledged.
//
// The first error is sticky: later calls return it, and so does Finish.
type AckBuilder struct {
	ic      *Interchange
	opts    AckOpts
	d       Delimiters
	body    *byteCounter
	bw      *Writer
	typ     string // Ack997 or Ack999, fixed by the first acknowledged group
	grp     *Group // the open group, acknowledged or not
	acking  bool   // the open group is being acknowledged
	cur     ackSet
	sets    []ackSet // one per acknowledged group, in body order
	spooled int64    // bytes of finished sets in the body
	groups  int      // groups begun
	fa      int      // GS01 FA groups begun
	counter [3]int
	err     error
	done    bool
}

// ackSet is the 997/999 set acknowledging one received group.
type ackSet struct {
	control  string // ST02
	sender   string // the ack's GS02
	receiver string // the ack's GS03
	version  string // the ack's GS08
	v5010    bool   // AK103, AK203 and AK401-3 are written
	segs     int    // segments written, ST included
	added    int    // AddSet calls acknowledged
	accepted int    // of those, A or E
	noted    bool   // a set was accepted with errors noted
	size     int64  // bytes in the body
}

// NewAckBuilder returns a builder for the acknowledgments of ic; the
// 997/999 sets are written to body. Invalid options are reported by the
// first call that returns an error.
func NewAckBuilder(ic *Interchange, opts *AckOpts, body io.Writer) *AckBuilder {
	b := &AckBuilder{ic: ic, body: &byteCounter{w: body}}
	b.opts, b.err = resolveAckOpts(opts)
	if ic == nil {
		b.fail(errors.New("edi: NewAckBuilder: nil interchange"))
		b.ic = &Interchange{}
	}
	if body == nil {
		b.fail(errors.New("edi: NewAckBuilder: nil body writer"))
		b.body.w = io.Discard
	}
	b.d = ackDelimiters(b.ic, b.opts.Delimiters)
	b.bw = NewWriter(b.body, b.d, nil)
	return b
}

func resolveAckOpts(o *AckOpts) (AckOpts, error) {
	var r AckOpts
	if o != nil {
		r = *o
	}
	switch r.Type {
	case "", AckAuto:
		r.Type = AckAuto
	case Ack997, Ack999, AckNone:
	default:
		return r, fmt.Errorf("edi: AckOpts.Type %q is not auto, 997, 999 or none", r.Type)
	}
	switch r.TA1 {
	case "":
		r.TA1 = TA1PolicyOnRequest
	case TA1PolicyAlways, TA1PolicyOnRequest, TA1PolicyNever:
	default:
		return r, fmt.Errorf("edi: AckOpts.TA1 %q is not always, on_request or never", r.TA1)
	}
	if r.Usage != "" && !inList(r.Usage, "P", "T", "I") {
		return r, fmt.Errorf("edi: AckOpts.Usage %q is not P, T or I", r.Usage)
	}
	if r.Delimiters.Element != 0 {
		if err := usableDelimiters(r.Delimiters); err != nil {
			return r, fmt.Errorf("edi: AckOpts.Delimiters: %w", err)
		}
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	return r, nil
}

// ackDelimiters returns the chosen delimiters, else the received ones when
// usable, else the defaults.
func ackDelimiters(ic *Interchange, chosen Delimiters) Delimiters {
	if chosen.Element != 0 {
		return chosen
	}
	if ic.Delimiters.Element != 0 && usableDelimiters(ic.Delimiters) == nil {
		return ic.Delimiters
	}
	return DefaultDelimiters
}

func usableDelimiters(d Delimiters) error {
	if isAlnum(d.Element) || d.Element == ' ' || d.Element == '\r' || d.Element == '\n' {
		return fmt.Errorf("element separator %s is not a usable delimiter", quoteByte(d.Element))
	}
	if d.Terminator == "" {
		return errors.New("the segment terminator is empty")
	}
	if e := checkDelimiters(&d, 0); e != nil {
		return errors.New(e.Msg)
	}
	r := d.Repetition
	if r != 0 && (isAlnum(r) || r == ' ' || r == d.Element || r == d.Component || string(r) == d.Terminator) {
		return fmt.Errorf("repetition separator %s is not a usable delimiter", quoteByte(r))
	}
	return nil
}

// addressable reports whether the ISA was read far enough to address an
// acknowledgment: its header fields are filled only once its delimiters
// were found.
// addressable reports whether an acknowledgment can be sent back: the ISA's
// delimiters were read and its sender and receiver, as our ISA would carry
// them, are usable.
func (b *AckBuilder) addressable() bool {
	ok := func(q, id string) bool {
		q, id = b.clean(q), b.clean(id)
		return len(q) == 2 && strings.TrimSpace(q) == q && strings.TrimSpace(id) != "" && len(id) <= 15
	}
	ic := b.ic
	return ic.Delimiters.Element != 0 && ok(ic.SenderQualifier, ic.SenderID) && ok(ic.ReceiverQualifier, ic.ReceiverID)
}

// Acknowledging reports whether the group opened by the last BeginGroup is
// being acknowledged. It is false for GS01 FA groups, for groups of a
// rejected or unreadable interchange, with AckOpts.Type "none", and outside
// a group.
func (b *AckBuilder) Acknowledging() bool { return b.grp != nil && b.acking }

// BeginGroup starts acknowledging g: it opens the 997/999 set (ST, AK1) in
// the body, unless g is not to be acknowledged (see Acknowledging).
func (b *AckBuilder) BeginGroup(g *Group) error {
	switch {
	case b.err != nil:
		return b.err
	case g == nil:
		return b.fail(errors.New("edi: BeginGroup: nil group"))
	case b.done:
		return b.fail(fmt.Errorf("%w: BeginGroup after Finish", ErrAckState))
	case b.grp != nil:
		return b.fail(fmt.Errorf("%w: BeginGroup of GS06 %q with GS06 %q still open", ErrAckState, g.ControlNumber, b.grp.ControlNumber))
	}
	b.grp = g
	b.groups++
	isFA := g.FunctionalID == "FA"
	if isFA {
		b.fa++
	}
	b.acking = !isFA && b.opts.Type != AckNone && b.addressable() && !b.ic.Rejected()
	if b.acking {
		b.openSet(g)
	}
	return b.err
}

// openSet writes the ST and AK1 of the set acknowledging g.
func (b *AckBuilder) openSet(g *Group) {
	release := b.release(g)
	if b.typ == "" {
		b.typ = b.opts.Type
		if b.typ == AckAuto {
			b.typ = Ack997
			if release >= "005010" {
				b.typ = Ack999
			}
		}
	}
	ctl, err := b.setControl()
	if err != nil {
		b.fail(err)
		return
	}
	b.cur = ackSet{
		control:  ctl,
		sender:   b.clean(or(g.Receiver, b.ic.ReceiverID)),
		receiver: b.clean(or(g.Sender, b.ic.SenderID)),
		version:  release,
		v5010:    b.typ == Ack999 || release >= "005010",
	}
	st03 := ""
	if b.typ == Ack999 {
		b.cur.version, st03 = Implementation999, Implementation999
	}
	b.seg("ST", b.typ, ctl, st03)
	b.seg("AK1", b.clean(g.FunctionalID), b.clean(g.ControlNumber), b.if5010(g.Version))
}

// release returns the six-digit release of g (GS08); when GS08 does not
// start with one, 005010 for an ISA12 of 00501 or later, else 004010.
func (b *AckBuilder) release(g *Group) string {
	if r := g.Release(); len(r) == 6 && allDigits(r) {
		return r
	}
	if ackVersion(b.ic) >= "00501" {
		return "005010"
	}
	return "004010"
}

// ackVersion returns the ack's ISA12: the received one, or 00401 when that
// is not a control version.
func ackVersion(ic *Interchange) string {
	v := ic.Version
	if len(v) != 5 || !allDigits(v) || v < "00200" || v > "00899" {
		return "00401"
	}
	return v
}

func (b *AckBuilder) if5010(v string) string {
	if !b.cur.v5010 {
		return ""
	}
	return b.clean(v)
}

// AddSet adds the AK2 loop reporting r to the open group's 997/999 set: AK2,
// one AK3/IK3 per segment with findings followed by an AK4/IK4 per element
// finding, and AK5/IK5. Warnings are listed like errors; r.Status decides
// AK501. It does nothing when the group is not acknowledged or r reports a
// 997 or 999.
func (b *AckBuilder) AddSet(r *SetResult) error {
	switch {
	case b.err != nil:
		return b.err
	case b.grp == nil:
		return b.fail(fmt.Errorf("%w: AddSet outside a group", ErrAckState))
	case r == nil:
		return b.fail(errors.New("edi: AddSet: nil SetResult"))
	case !b.acking || isFunctionalAck(r.SetID):
		return nil
	}
	b.cur.added++
	if r.Status != SetRejected {
		b.cur.accepted++
	}
	b.cur.noted = b.cur.noted || r.Status == SetAcceptedWithErrors
	b.writeSetLoop(r)
	return b.err
}

func isFunctionalAck(setID string) bool { return setID == Ack997 || setID == Ack999 }

func (b *AckBuilder) writeSetLoop(r *SetResult) {
	b.seg("AK2", b.clean(r.SetID), b.clean(r.ControlNumber), b.if5010(r.ImplementationRef))
	notes := segmentNotes(r.Errors)
	for _, n := range notes {
		b.writeSegmentNote(n)
	}
	b.seg(b.tag("5"), append([]string{r.Status.AckCode()}, setCodes(r.Errors, len(notes) > 0)...)...)
}

// tag returns the 997 (AK) or 999 (IK) tag of an AK3, AK4 or AK5.
func (b *AckBuilder) tag(n string) string {
	if b.typ == Ack999 {
		return "IK" + n
	}
	return "AK" + n
}

// segmentNote gathers the findings on one segment of a set.
type segmentNote struct {
	id      string
	pos     int
	loop    string
	code    string // from a SegmentError; "" when there is none
	codeErr bool   // code comes from an error-severity finding
	elems   []*ElementError
}

// segmentNotes groups the segment and element findings by segment, in the
// order the segments first appear.
func segmentNotes(errs []error) []*segmentNote {
	type key struct {
		id  string
		pos int
	}
	var notes []*segmentNote
	index := map[key]*segmentNote{}
	note := func(id string, pos int, loop string) *segmentNote {
		n := index[key{id, pos}]
		if n == nil {
			n = &segmentNote{id: id, pos: pos, loop: loop}
			index[key{id, pos}] = n
			notes = append(notes, n)
		}
		return n
	}
	// AK303 names bounded (LS/LE) loops only; the loop a finding was made
	// in is for people and stays out of the acknowledgment.
	for _, err := range errs {
		var ee *ElementError
		var se *SegmentError
		switch {
		case errors.As(err, &ee):
			n := note(ee.SegmentID, ee.Position, "")
			n.elems = append(n.elems, ee)
		case errors.As(err, &se):
			note(se.SegmentID, se.Position, "").takeCode(se)
		}
	}
	return notes
}

// takeCode keeps the first segment code, preferring error severity.
func (n *segmentNote) takeCode(se *SegmentError) {
	isErr := se.Severity == SeverityError
	if se.Code != "" && (n.code == "" || isErr && !n.codeErr) {
		n.code, n.codeErr = se.Code, isErr
	}
}

// writeSegmentNote writes an AK3/IK3 and its AK4/IK4s. AK304 is the segment
// finding's code, or 8 when the segment only has element findings. A 997
// carries at most 99 AK4 per AK3.
func (b *AckBuilder) writeSegmentNote(n *segmentNote) {
	code := n.code
	if code == "" {
		code = AK3ElementErrors
	}
	b.seg(b.tag("3"), b.clean(n.id), strconv.Itoa(n.pos), b.clean(n.loop), code)
	elems := n.elems
	if b.typ == Ack997 && len(elems) > 99 {
		elems = elems[:99]
	}
	for _, e := range elems {
		b.seg(b.tag("4"), b.ak401(e), positive(e.Ref), e.Code, b.badData(e.Data))
	}
}

// ak401 renders the element position composite C030: element, component
// and (5010) repeat, dropping trailing empty parts.
func (b *AckBuilder) ak401(e *ElementError) string {
	parts := []string{strconv.Itoa(e.Element), positive(e.Component)}
	if b.cur.v5010 {
		parts = append(parts, positive(e.Repeat))
	}
	return b.bw.Composite(parts...)
}

func positive(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// maxBadData is the maximum length of AK404/IK404.
const maxBadData = 99

// badData returns AK404: the bad value without delimiters or control
// characters, cut to 99 characters.
func (b *AckBuilder) badData(s string) string {
	s = b.clean(s)
	n := 0
	for i := range s {
		if n == maxBadData {
			return s[:i]
		}
		n++
	}
	return s
}

// clean removes from a received value the bytes that cannot appear in an
// element written with the ack's delimiters: the delimiters themselves and
// control characters.
func (b *AckBuilder) clean(s string) string {
	if t := b.d.Terminator; len(t) > 1 {
		s = strings.ReplaceAll(s, t, "")
	}
	var out []byte // nil until a byte is dropped
	for i := 0; i < len(s); i++ {
		c := s[i]
		keep := c >= 0x20 && c != 0x7f && !b.isDelimiter(c)
		switch {
		case keep && out != nil:
			out = append(out, c)
		case !keep && out == nil:
			out = append(make([]byte, 0, len(s)), s[:i]...)
		}
	}
	if out == nil {
		return s
	}
	return string(out)
}

func (b *AckBuilder) isDelimiter(c byte) bool {
	d := &b.d
	return c == d.Element || c == d.Component || (d.Repetition != 0 && c == d.Repetition) ||
		(len(d.Terminator) == 1 && c == d.Terminator[0])
}

// setCodes returns AK502–AK506: the set-level codes in order, plus 5 when
// segments are in error; at most five.
func setCodes(errs []error, segmentsInError bool) []string {
	var codes []string
	for _, err := range errs {
		var ee *ElementError
		var sg *SegmentError
		var se *SetError
		if errors.As(err, &ee) || errors.As(err, &sg) || !errors.As(err, &se) {
			continue
		}
		if se.Code != "" && !slices.Contains(codes, se.Code) {
			codes = append(codes, se.Code)
		}
	}
	if segmentsInError && !slices.Contains(codes, AK5SegmentsInError) {
		codes = append(codes[:min(len(codes), 4)], AK5SegmentsInError)
	}
	return codes[:min(len(codes), 5)]
}

// EndGroup closes the open group's 997/999 set: AK9 and SE. g must be the
// group given to BeginGroup, with its trailer read (Reader's GroupEnd).
func (b *AckBuilder) EndGroup(g *Group) error {
	switch {
	case b.err != nil:
		return b.err
	case b.grp == nil:
		return b.fail(fmt.Errorf("%w: EndGroup without BeginGroup", ErrAckState))
	case g != b.grp:
		return b.fail(fmt.Errorf("%w: EndGroup for a group other than the open one (GS06 %q)", ErrAckState, b.grp.ControlNumber))
	}
	if b.acking {
		b.seg("AK9", b.ak9(g)...)
		b.seg("SE", strconv.Itoa(b.cur.segs+1), b.cur.control)
		b.closeSet()
	}
	b.grp, b.acking = nil, false
	return b.err
}

// ak9 returns the AK9 elements. AK902 is GE01 as received (the count of sets
// read when GE01 is missing or not a number), AK903 the sets read, AK904 the
// sets acknowledged with A or E.
func (b *AckBuilder) ak9(g *Group) []string {
	received := max(g.Transactions, b.cur.added)
	included := g.TrailerCount
	if !allDigits(included) {
		included = strconv.Itoa(received)
	}
	elems := []string{b.groupCode(g, received), included, strconv.Itoa(received), strconv.Itoa(b.cur.accepted)}
	return append(elems, groupCodes(g.Errors)...)
}

// groupCode returns AK901: R when the group has error-severity findings or
// no set was accepted, P when some sets were not accepted, E when errors
// were noted (on sets or, as warnings, on the group), else A.
func (b *AckBuilder) groupCode(g *Group, received int) string {
	accepted := b.cur.accepted
	switch {
	case g.Rejected(), received > 0 && accepted == 0:
		return "R"
	case accepted < received:
		return "P"
	case b.cur.noted || len(g.Errors) > 0:
		return "E"
	}
	return "A"
}

// groupCodes returns AK905–AK909: the codes of the group findings, those of
// error severity first, without repeats, at most five.
func groupCodes(errs []*GroupError) []string {
	var codes []string
	for _, sev := range []Severity{SeverityError, SeverityWarning} {
		for _, e := range errs {
			if e.Severity == sev && e.Code != "" && !slices.Contains(codes, e.Code) {
				codes = append(codes, e.Code)
			}
		}
	}
	return codes[:min(len(codes), 5)]
}

// closeSet flushes the finished set to the body and records its size.
func (b *AckBuilder) closeSet() {
	if b.err != nil {
		return
	}
	if err := b.bw.Flush(); err != nil {
		b.fail(fmt.Errorf("edi: writing the %s for group %s to the body: %w", b.typ, b.grp.ControlNumber, err))
		return
	}
	b.cur.size = b.body.n - b.spooled
	b.spooled = b.body.n
	b.sets = append(b.sets, b.cur)
}

// seg writes one segment of the open 997/999 set to the body.
func (b *AckBuilder) seg(tag string, elems ...string) {
	if b.err != nil {
		return
	}
	if err := b.bw.Segment(tag, elems...); err != nil {
		b.fail(fmt.Errorf("edi: writing %s at position %d of the %s: %w", tag, b.cur.segs+1, or(b.typ, "acknowledgment"), err))
		return
	}
	b.cur.segs++
}

func (b *AckBuilder) fail(err error) error {
	if b.err == nil {
		b.err = err
	}
	return b.err
}

// Finish writes the acknowledgment interchanges (see FinishTo) to memory and
// returns them with their bytes in Ack.X12, one entry per interchange.
func (b *AckBuilder) Finish(body io.Reader) ([]Ack, error) {
	var out bytes.Buffer
	acks, err := b.FinishTo(&out, body)
	if err != nil {
		return nil, err
	}
	all := out.Bytes()
	for i := range acks {
		a := &acks[i]
		a.X12 = all[a.Offset : a.Offset+a.Size : a.Offset+a.Size]
	}
	return acks, nil
}

// FinishTo writes the acknowledgment interchanges to w and says where each
// one is. body must hold exactly what the builder wrote to its body writer;
// it is read once, and only when a 997/999 is written.
//
// First comes a TA1-only interchange (ISA, TA1, IEA with IEA01 = 0) when
// the TA1 policy asks for one: TA101–TA103 are the received ISA13, ISA09 and
// ISA10; TA104/TA105 are A/000 without findings, E and the first warning's
// code with warnings only, R and the first error's code otherwise. Then the
// 997/999 interchange, when at least one group was acknowledged and the
// interchange was not rejected: ISA, one GS*FA group per run of
// consecutive sets with the same GS02, GS03 and GS08 (a 997 carries the
// acknowledged group's release, e.g. 004010; a 999 carries 005010X231A1),
// the sets copied from body, GE, IEA. Nothing is written for an interchange
// whose ISA could not be read, nor for one carrying only acknowledgments.
func (b *AckBuilder) FinishTo(w io.Writer, body io.Reader) ([]Ack, error) {
	switch {
	case b.err != nil:
		return nil, b.err
	case b.done:
		return nil, b.fail(fmt.Errorf("%w: Finish called twice", ErrAckState))
	case b.grp != nil:
		return nil, b.fail(fmt.Errorf("%w: Finish with group GS06 %q still open", ErrAckState, b.grp.ControlNumber))
	}
	b.done = true
	cw := &byteCounter{w: w}
	now := b.opts.Now()
	var acks []Ack
	if b.wantTA1() {
		a, err := b.writeTA1(cw, now)
		if err != nil {
			return nil, b.fail(err)
		}
		acks = append(acks, a)
	}
	if len(b.sets) > 0 && !b.ic.Rejected() {
		a, err := b.writeFunctional(cw, body, now)
		if err != nil {
			return nil, b.fail(err)
		}
		acks = append(acks, a)
	}
	return acks, nil
}

// wantTA1 applies the TA1 policy.
func (b *AckBuilder) wantTA1() bool {
	if !b.addressable() || b.acksOnly() {
		return false
	}
	switch b.opts.TA1 {
	case TA1PolicyAlways:
		return true
	case TA1PolicyNever:
		return false
	}
	return b.ic.AckRequested == "1" || b.ic.Rejected()
}

// acksOnly reports whether the interchange carries acknowledgments and
// nothing else: TA1 segments and GS01 FA groups.
func (b *AckBuilder) acksOnly() bool {
	total := max(b.ic.Groups, b.groups)
	return (total > 0 || len(b.ic.TA1) > 0) && b.fa == total
}

// TA1Result returns the TA104 and TA105 for an interchange's findings: A and
// 000 without findings, E and the first warning's code with warnings only,
// R and the first error's code otherwise.
func TA1Result(errs []*EnvelopeError) (ack, note string) {
	warn := ""
	for _, e := range errs {
		code := or(e.Code, TA1BadContent)
		if e.Severity == SeverityError {
			return "R", code
		}
		if warn == "" {
			warn = code
		}
	}
	if warn != "" {
		return "E", warn
	}
	return "A", TA1NoError
}

func (b *AckBuilder) writeTA1(cw *byteCounter, now time.Time) (Ack, error) {
	ctl, err := b.interchangeControl()
	if err != nil {
		return Ack{}, err
	}
	start := cw.n
	wr := NewWriter(cw, b.d, nil)
	ack, note := TA1Result(b.ic.Errors)
	ta101 := b.clean(b.ic.ControlNumber)
	if p, err := pad9(ta101); err == nil {
		ta101 = p
	}
	err = errors.Join(
		wr.BeginInterchange(b.header(ctl, now)),
		wr.Segment("TA1", ta101, b.clean(b.ic.Date), b.clean(b.ic.Time), ack, note),
		wr.Segment("IEA", "0", ctl),
		wr.Flush(),
	)
	if err != nil {
		return Ack{}, fmt.Errorf("edi: writing the TA1 interchange %s: %w", ctl, err)
	}
	return Ack{Type: AckTA1, ControlNumber: ctl, Offset: start, Size: cw.n - start}, nil
}

func (b *AckBuilder) writeFunctional(cw *byteCounter, body io.Reader, now time.Time) (Ack, error) {
	if body == nil {
		return Ack{}, errors.New("edi: Finish: nil body with acknowledgment sets to copy")
	}
	ctl, err := b.interchangeControl()
	if err != nil {
		return Ack{}, err
	}
	a := Ack{Type: b.typ, ControlNumber: ctl, Offset: cw.n}
	wr := NewWriter(cw, b.d, nil)
	if err := wr.BeginInterchange(b.header(ctl, now)); err != nil {
		return Ack{}, fmt.Errorf("edi: writing the ISA of %s interchange %s: %w", b.typ, ctl, err)
	}
	for run := b.sets; len(run) > 0; {
		n := 1
		for n < len(run) && sameFAGroup(run[0], run[n]) {
			n++
		}
		gctl, err := b.writeFAGroup(wr, cw, body, run[:n], now)
		if err != nil {
			return Ack{}, err
		}
		a.GroupControls = append(a.GroupControls, gctl)
		for _, s := range run[:n] {
			a.SetControls = append(a.SetControls, s.control)
		}
		run = run[n:]
	}
	if err := errors.Join(wr.Segment("IEA", strconv.Itoa(len(a.GroupControls)), ctl), wr.Flush()); err != nil {
		return Ack{}, fmt.Errorf("edi: writing the IEA of %s interchange %s: %w", b.typ, ctl, err)
	}
	a.Size = cw.n - a.Offset
	return a, nil
}

func sameFAGroup(a, b ackSet) bool {
	return a.sender == b.sender && a.receiver == b.receiver && a.version == b.version
}

// writeFAGroup writes GS*FA, copies the group's sets from body, and writes
// the GE; it returns the GS06.
func (b *AckBuilder) writeFAGroup(wr *Writer, cw *byteCounter, body io.Reader, sets []ackSet, now time.Time) (string, error) {
	gctl, err := b.groupControl()
	if err != nil {
		return "", err
	}
	first := sets[0]
	err = errors.Join(
		wr.Segment("GS", "FA", first.sender, first.receiver, now.Format("20060102"), now.Format("1504"), gctl, "X", first.version),
		wr.Flush(),
	)
	if err != nil {
		return "", fmt.Errorf("edi: writing GS %s: %w", gctl, err)
	}
	for _, s := range sets {
		if _, err := io.CopyN(cw, body, s.size); err != nil {
			return "", fmt.Errorf("edi: copying %s set %s (%d bytes) from the body: %w", b.typ, s.control, s.size, err)
		}
	}
	if err := wr.Segment("GE", strconv.Itoa(len(sets)), gctl); err != nil {
		return "", fmt.Errorf("edi: writing GE %s: %w", gctl, err)
	}
	return gctl, nil
}

// header returns the ack's ISA fields: the received envelope mirrored.
func (b *AckBuilder) header(ctl string, now time.Time) *Interchange {
	ic := b.ic
	version := ackVersion(ic)
	isa11 := "U"
	if version >= "00402" && b.d.Repetition != 0 {
		isa11 = string([]byte{b.d.Repetition})
	}
	usage := b.opts.Usage
	if usage == "" {
		usage = "P"
		if inList(ic.Usage, "P", "T", "I") {
			usage = ic.Usage
		}
	}
	return &Interchange{
		AuthQualifier: "00", SecurityQualifier: "00",
		SenderQualifier: b.clean(ic.ReceiverQualifier), SenderID: b.clean(ic.ReceiverID),
		ReceiverQualifier: b.clean(ic.SenderQualifier), ReceiverID: b.clean(ic.SenderID),
		Date: now.Format("060102"), Time: now.Format("1504"),
		StandardsID: isa11, Version: version, ControlNumber: ctl,
		AckRequested: "0", Usage: usage,
	}
}

// interchangeControl returns the next ISA13, zero-padded to nine digits.
func (b *AckBuilder) interchangeControl() (string, error) {
	v := b.nextControl(ControlInterchange)
	if len(v) > 9 || !allDigits(v) {
		return "", fmt.Errorf("edi: AckOpts.Control(%q) returned %q, not a number of at most nine digits", ControlInterchange, v)
	}
	return strings.Repeat("0", 9-len(v)) + v, nil
}

// groupControl returns the next GS06.
func (b *AckBuilder) groupControl() (string, error) {
	v := b.nextControl(ControlGroup)
	if len(v) > 9 || !allDigits(v) {
		return "", fmt.Errorf("edi: AckOpts.Control(%q) returned %q, not a number of one to nine digits", ControlGroup, v)
	}
	return v, nil
}

// setControl returns the next ST02; numbers shorter than four digits are
// zero-padded to four.
func (b *AckBuilder) setControl() (string, error) {
	v := b.nextControl(ControlSet)
	if allDigits(v) && len(v) < 4 {
		v = strings.Repeat("0", 4-len(v)) + v
	}
	if len(v) < 4 || len(v) > 9 || strings.IndexFunc(v, func(r rune) bool { return r >= 0x80 || !isAlnum(byte(r)) }) >= 0 {
		return "", fmt.Errorf("edi: AckOpts.Control(%q) returned %q, not a control number of four to nine letters or digits", ControlSet, v)
	}
	return v, nil
}

func (b *AckBuilder) nextControl(kind string) string {
	if b.opts.Control != nil {
		return strings.TrimSpace(b.opts.Control(kind))
	}
	i := slices.Index([]string{ControlInterchange, ControlGroup, ControlSet}, kind)
	b.counter[i]++
	return strconv.Itoa(b.counter[i])
}

// byteCounter counts the bytes written through it.
type byteCounter struct {
	w io.Writer
	n int64
}

func (c *byteCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
