package edi

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrBadAck is wrapped by the problems ReadFunctionalAck reports.
var ErrBadAck = errors.New("malformed functional acknowledgment")

// FunctionalAck is a received 997 or 999: the acknowledgment of one
// functional group we sent.
type FunctionalAck struct {
	Type              string // ST01: "997" or "999"
	GroupFunctionalID string // AK101, the acknowledged group's GS01
	GroupControl      string // AK102, its GS06
	GroupVersion      string // AK103, its GS08 (5010)
	Sets              []SetAck
	GroupCode         string   // AK901: A, E, M, P, R, W or X
	Included          int      // AK902, the sets the group said it held
	Received          int      // AK903
	Accepted          int      // AK904
	GroupErrors       []string // AK905–AK909
}

// SetAck is one AK2 loop: the acknowledgment of one transaction set.
type SetAck struct {
	SetID             string   // AK201, the set's ST01
	ControlNumber     string   // AK202, its ST02
	ImplementationRef string   // AK203, its ST03 (5010)
	Code              string   // AK501/IK501: A, E, M, R, W or X
	SetErrors         []string // AK502–AK506 / IK502–IK506
	Segments          []SegmentNote
}

// Accepted reports whether the set was accepted, with or without noted
// errors (AK501 A or E).
func (s *SetAck) Accepted() bool { return s.Code == "A" || s.Code == "E" }

// SegmentNote is one AK3/IK3 loop: a segment in error.
type SegmentNote struct {
	SegmentID string // AK301
	Position  int    // AK302, ST = 1
	LoopID    string // AK303
	Code      string // AK304
	Elements  []ElementNote
	// Context holds the CTX segments of the IK3 loop (999).
	Context []ContextNote
}

// ElementNote is one AK4/IK4: an element in error.
type ElementNote struct {
	Position  int    // AK401-1, the element's position in the segment
	Component int    // AK401-2, 0 when absent
	Repeat    int    // AK401-3 (5010), 0 when absent
	Ref       int    // AK402, the data element reference number; 0 when absent
	Code      string // AK403
	Data      string // AK404, the bad data
	// Context holds the CTX segments of the IK4 loop (999).
	Context []ContextNote
}

// ContextNote is a CTX segment of a 999.
type ContextNote struct {
	// IDs is CTX01, one entry per repeat.
	IDs       []ContextID
	SegmentID string // CTX02
	Position  int    // CTX03, the segment's position in the set
	LoopID    string // CTX04
	// Element, Component and Repeat are CTX05 (C030), 0 when absent.
	Element, Component, Repeat int
	// Ref and ComponentRef are CTX06 (C999), the reference numbers of the
	// element and of its component, as written.
	Ref, ComponentRef string
}

// ContextID is one repeat of CTX01 (C998, context identification).
type ContextID struct {
	Name      string // CTX01-1, e.g. "SITUATIONAL TRIGGER" or "CLM01"
	Reference string // CTX01-2, e.g. a claim number
}

// Accepted reports whether the acknowledged interchange was accepted, with
// or without noted errors (TA104 A or E).
func (t TA1) Accepted() bool { return t.Ack == "A" || t.Ack == "E" }

// NoteCode returns TA105, "000" when the segment omitted it.
func (t TA1) NoteCode() string { return or(t.Note, TA1NoError) }

// maxElements is the number of elements each acknowledgment segment defines.
var maxElements = map[string]int{
	"AK1": 3, "AK2": 3, "AK3": 4, "IK3": 4, "AK4": 4, "IK4": 4,
	"CTX": 6, "AK5": 6, "IK5": 6, "AK9": 9,
}

// ReadFunctionalAck reads a 997 or 999 transaction set. It is lenient: it
// reads all it can and returns, with the acknowledgment, the problems it
// met joined in one error (each wraps ErrBadAck and names the segment and
// its position). The error alone, with a nil acknowledgment, means t is not
// a 997 or 999. Composites (AK401/IK401, CTX05, CTX06) are split with the
// interchange's component separator, CTX01 repeats with its repetition
// separator.
func ReadFunctionalAck(t *Transaction) (*FunctionalAck, error) {
	if t == nil || !isFunctionalAck(t.SetID) {
		id := ""
		if t != nil {
			id = t.SetID
		}
		return nil, fmt.Errorf("edi: ST01 %q is not a 997 or 999: %w", id, ErrBadAck)
	}
	r := &ackReader{ack: &FunctionalAck{Type: t.SetID}}
	body := t.Body()
	for i := range body {
		r.read(&body[i])
	}
	r.finish(t)
	return r.ack, errors.Join(r.errs...)
}

// ackReader holds the state of ReadFunctionalAck.
type ackReader struct {
	ack    *FunctionalAck
	set    *SetAck      // the open AK2 loop; nil before AK2 and after AK5
	seg    *SegmentNote // the open AK3/IK3 loop
	elem   *ElementNote // the last IK4 of the open IK3 loop
	sawAK1 bool
	sawAK9 bool
	errs   []error
}

func (r *ackReader) problem(s *Segment, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("edi: %s at position %d: %s: %w", printable(s.Tag()), s.Position, fmt.Sprintf(format, args...), ErrBadAck))
}

func (r *ackReader) read(s *Segment) {
	id := s.ID()
	if r.sawAK9 {
		r.problem(s, "segment after AK9")
	}
	if limit, ok := maxElements[id]; ok && s.Len() > limit {
		r.problem(s, "%d elements; %s defines %d", s.Len(), id, limit)
	}
	r.checkFamily(s, id)
	switch id {
	case "AK1":
		r.ak1(s)
	case "AK2":
		r.ak2(s)
	case "AK3", "IK3":
		r.ak3(s)
	case "AK4", "IK4":
		r.ak4(s)
	case "CTX":
		r.ctx(s)
	case "AK5", "IK5":
		r.ak5(s)
	case "AK9":
		r.ak9(s)
	default:
		r.problem(s, "segment is not part of a 997 or 999")
	}
}

// checkFamily reports AK3/AK4/AK5 in a 999 and IK3/IK4/IK5/CTX in a 997;
// they are read all the same.
func (r *ackReader) checkFamily(s *Segment, id string) {
	if len(id) != 3 || (id[:2] != "AK" && id[:2] != "IK" && id != "CTX") {
		return
	}
	is999 := id[:2] == "IK" || id == "CTX"
	if r.ack.Type == Ack997 && is999 {
		r.problem(s, "a 999 segment in a 997")
	}
	if r.ack.Type == Ack999 && (id == "AK3" || id == "AK4" || id == "AK5") {
		r.problem(s, "a 997 segment in a 999 (expected IK%c)", id[2])
	}
}

func (r *ackReader) ak1(s *Segment) {
	if r.sawAK1 {
		r.problem(s, "second AK1")
	}
	r.sawAK1 = true
	a := r.ack
	a.GroupFunctionalID = r.required(s, 1)
	a.GroupControl = r.required(s, 2)
	a.GroupVersion = s.Value(3)
}

func (r *ackReader) ak2(s *Segment) {
	r.closeSet(s)
	if !r.sawAK1 {
		r.problem(s, "AK2 before AK1")
	}
	r.ack.Sets = append(r.ack.Sets, SetAck{
		SetID:             r.required(s, 1),
		ControlNumber:     r.required(s, 2),
		ImplementationRef: s.Value(3),
	})
	r.set, r.seg, r.elem = &r.ack.Sets[len(r.ack.Sets)-1], nil, nil
}

// closeSet reports an AK2 loop left without its AK5.
func (r *ackReader) closeSet(s *Segment) {
	if r.set != nil {
		r.problem(s, "the AK2 loop of set %q has no AK5/IK5", r.set.ControlNumber)
	}
	r.set, r.seg, r.elem = nil, nil, nil
}

func (r *ackReader) ak3(s *Segment) {
	if r.set == nil {
		r.problem(s, "outside an AK2 loop")
		return
	}
	r.set.Segments = append(r.set.Segments, SegmentNote{
		SegmentID: r.required(s, 1),
		Position:  r.number(s, 2, true),
		LoopID:    s.Value(3),
		Code:      s.Value(4),
	})
	r.seg, r.elem = &r.set.Segments[len(r.set.Segments)-1], nil
}

func (r *ackReader) ak4(s *Segment) {
	if r.seg == nil {
		r.problem(s, "outside an AK3/IK3 loop")
		return
	}
	e := ElementNote{Ref: r.number(s, 2, false), Code: r.required(s, 3), Data: s.Value(4)}
	e.Position, e.Component, e.Repeat = r.position(s, 1, true)
	r.seg.Elements = append(r.seg.Elements, e)
	r.elem = &r.seg.Elements[len(r.seg.Elements)-1]
}

// ctx attaches a CTX to the IK4 before it, else to the open IK3.
func (r *ackReader) ctx(s *Segment) {
	c := r.readContext(s)
	switch {
	case r.elem != nil:
		r.elem.Context = append(r.elem.Context, c)
	case r.seg != nil:
		r.seg.Context = append(r.seg.Context, c)
	default:
		r.problem(s, "outside an IK3 loop")
	}
}

func (r *ackReader) readContext(s *Segment) ContextNote {
	c := ContextNote{SegmentID: s.Value(2), Position: r.number(s, 3, false), LoopID: s.Value(4)}
	comp := s.Delimiters().Component
	for _, rep := range s.Repeats(1) {
		c.IDs = append(c.IDs, ContextID{Name: string(nthPart(rep, comp, 1)), Reference: string(nthPart(rep, comp, 2))})
	}
	if len(c.IDs) == 0 || c.IDs[0].Name == "" {
		r.problem(s, "CTX01 is missing")
	}
	c.Element, c.Component, c.Repeat = r.position(s, 5, false)
	c.Ref, c.ComponentRef = string(s.Component(6, 1)), string(s.Component(6, 2))
	return c
}

func (r *ackReader) ak5(s *Segment) {
	if r.set == nil {
		r.problem(s, "outside an AK2 loop")
		return
	}
	r.set.Code = r.code(s, 1, "A", "E", "M", "R", "W", "X")
	r.set.SetErrors = values(s, 2, 6)
	r.set, r.seg, r.elem = nil, nil, nil
}

func (r *ackReader) ak9(s *Segment) {
	r.closeSet(s)
	if !r.sawAK1 {
		r.problem(s, "AK9 without AK1")
	}
	r.sawAK9 = true
	a := r.ack
	a.GroupCode = r.code(s, 1, "A", "E", "M", "P", "R", "W", "X")
	a.Included = r.number(s, 2, true)
	a.Received = r.number(s, 3, true)
	a.Accepted = r.number(s, 4, true)
	a.GroupErrors = values(s, 5, 9)
}

func (r *ackReader) finish(t *Transaction) {
	if r.set != nil {
		r.errs = append(r.errs, fmt.Errorf("edi: %s %s: the AK2 loop of set %q has no AK5/IK5: %w", t.SetID, t.ControlNumber, r.set.ControlNumber, ErrBadAck))
	}
	if !r.sawAK1 {
		r.errs = append(r.errs, fmt.Errorf("edi: %s %s: no AK1: %w", t.SetID, t.ControlNumber, ErrBadAck))
	}
	if !r.sawAK9 {
		r.errs = append(r.errs, fmt.Errorf("edi: %s %s: no AK9: %w", t.SetID, t.ControlNumber, ErrBadAck))
	}
}

// required returns element i, reporting it when empty.
func (r *ackReader) required(s *Segment, i int) string {
	v := s.Value(i)
	if v == "" {
		r.problem(s, "%s%02d is missing", s.ID(), i)
	}
	return v
}

// code returns element i, reporting it when missing or not in list.
func (r *ackReader) code(s *Segment, i int, list ...string) string {
	v := r.required(s, i)
	if v != "" && !inList(v, list...) {
		r.problem(s, "%s%02d %q is not one of %v", s.ID(), i, v, list)
	}
	return v
}

// number returns element i as a number, reporting it when it is not one (or
// is missing and required); 0 then.
func (r *ackReader) number(s *Segment, i int, required bool) int {
	v := s.Value(i)
	if v == "" {
		if required {
			r.problem(s, "%s%02d is missing", s.ID(), i)
		}
		return 0
	}
	return r.atoi(s, fmt.Sprintf("%s%02d", s.ID(), i), v)
}

func (r *ackReader) atoi(s *Segment, name, v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		r.problem(s, "%s %q is not a number", name, v)
		return 0
	}
	return n
}

// position reads a C030 position composite from element i: element,
// component and repeat positions.
func (r *ackReader) position(s *Segment, i int, required bool) (elem, comp, rep int) {
	if len(s.Element(i)) == 0 {
		if required {
			r.problem(s, "%s%02d is missing", s.ID(), i)
		}
		return 0, 0, 0
	}
	var out [3]int
	for j := range out {
		if v := string(s.Component(i, j+1)); v != "" {
			out[j] = r.atoi(s, fmt.Sprintf("%s%02d-%d", s.ID(), i, j+1), v)
		}
	}
	return out[0], out[1], out[2]
}

// values returns the non-empty elements from..to of s.
func values(s *Segment, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		if v := s.Value(i); v != "" {
			out = append(out, v)
		}
	}
	return out
}
