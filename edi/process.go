package edi

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/partnergate/partnergate/canonical"
)

// FileStatus is the outcome of processing a whole input.
type FileStatus uint8

const (
	// FileAccepted: every transaction set was accepted and nothing was rejected.
	FileAccepted FileStatus = iota
	// FilePartiallyAccepted: some sets were accepted, others rejected.
	FilePartiallyAccepted
	// FileRejected: no set was accepted.
	FileRejected
)

// String returns the status as written in translate output.
func (s FileStatus) String() string {
	return [...]string{"accepted", "partially_accepted", "rejected"}[s]
}

// Sink receives what Process finds, in input order. Documents handed to Set
// are provisional until the group and interchange holding them end accepted:
// GroupEnd and InterchangeEnd say whether the documents received since the
// matching start are kept (accepted) or void.
type Sink interface {
	InterchangeStart(ic *Interchange) error
	GroupStart(g *Group) error
	// Set reports one set; doc is nil unless the set was accepted and
	// translated. t and doc are valid only during the call: Process reuses
	// the document's storage (see Translator) for the next set, so a sink
	// that keeps a document must serialize or copy it inside Set. The
	// strings in doc stay valid.
	Set(t *Transaction, r *SetResult, doc canonical.Document) error
	GroupEnd(g *Group, accepted bool) error
	InterchangeEnd(ic *Interchange, accepted bool, acks []Ack) error
	// Garbage reports bytes outside any interchange, or input that is not X12.
	Garbage(e *EnvelopeError) error
}

// ProcessOpts configures Process. A nil *ProcessOpts means the defaults.
type ProcessOpts struct {
	Reader   *ReaderOpts
	Validate *ValidateOpts
	// Ack builds acknowledgments with these options; nil builds none.
	Ack *AckOpts
	// SetCheck, when set, is called for each set that passed validation; a
	// non-nil finding (a *SetError or *SegmentError) is added to the set's
	// result, and rejects it when of error severity. partners/ uses it for
	// the sets a partner may send.
	SetCheck func(t *Transaction) error
	// InterchangeCheck, when set, is called as each interchange starts,
	// after its ISA was read; a non-nil finding is added to the
	// interchange's errors and, when of error severity, rejects the whole
	// interchange: its sets are neither translated nor acknowledged in a
	// 997/999, and its TA1 carries the finding's code. The gateway uses it
	// for the sender a partner may use and for duplicate ISA13s.
	InterchangeCheck func(ic *Interchange) *EnvelopeError
	// DocumentCheck, when set, is called with each set's translated
	// document before the set is acknowledged; its findings are added to
	// the set's result, and one of error severity rejects the set (its
	// document is dropped). The gateway applies partner policies with it.
	DocumentCheck func(t *Transaction, doc canonical.Document) []error
}

// Summary counts what Process saw.
type Summary struct {
	Interchanges int
	Groups       int
	Sets         int
	Accepted     int // sets whose documents were kept
	Rejected     int
	Documents    int
	Garbage      int
	// RejectedEnvelopes counts interchanges and groups rejected as a whole.
	RejectedEnvelopes int
	Status            FileStatus
}

// Process reads every interchange of r, validates each set, translates the
// accepted ones to canonical documents and builds the acknowledgments,
// reporting all of it to sink. Memory is bounded by one transaction set and
// the acknowledgments of one interchange. The error is an I/O error of r or
// the first error returned by sink.
func Process(r io.Reader, sink Sink, opts *ProcessOpts) (*Summary, error) {
	p := newProcessor(sink, opts)
	rd := NewReader(r, p.opts.Reader)
	for {
		ev, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return p.summary(), nil
		}
		if err != nil {
			return p.summary(), err
		}
		if err := p.handle(ev); err != nil {
			return p.summary(), err
		}
	}
}

type processor struct {
	sink Sink
	opts ProcessOpts
	val  *Validator
	tr   Translator
	sum  Summary

	ack     *AckBuilder
	ackBody bytes.Buffer
	// accepted sets of the open group and interchange, kept or dropped when
	// they end
	groupAccepted, icAccepted int
	groupDocs, icDocs         int
}

func newProcessor(sink Sink, opts *ProcessOpts) *processor {
	p := &processor{sink: sink}
	if opts != nil {
		p.opts = *opts
	}
	p.val = NewValidator(p.opts.Validate)
	return p
}

func (p *processor) handle(ev Event) error {
	switch ev.Kind {
	case InterchangeStart:
		return p.interchangeStart(ev.Interchange)
	case GroupStart:
		return p.groupStart(ev.Group)
	case TransactionSet:
		return p.set(ev.Transaction)
	case GroupEnd:
		return p.groupEnd(ev.Group)
	case InterchangeEnd:
		return p.interchangeEnd(ev.Interchange)
	case Garbage:
		p.sum.Garbage++
		return p.sink.Garbage(ev.Err)
	}
	return nil
}

func (p *processor) interchangeStart(ic *Interchange) error {
	p.sum.Interchanges++
	p.icAccepted, p.icDocs = 0, 0
	if p.opts.InterchangeCheck != nil {
		if e := p.opts.InterchangeCheck(ic); e != nil {
			ic.Errors = append(ic.Errors, e)
		}
	}
	p.ack = nil
	if p.opts.Ack != nil {
		p.ackBody.Reset()
		p.ack = NewAckBuilder(ic, p.opts.Ack, &p.ackBody)
	}
	return p.sink.InterchangeStart(ic)
}

func (p *processor) groupStart(g *Group) error {
	p.sum.Groups++
	p.groupAccepted, p.groupDocs = 0, 0
	if p.ack != nil {
		p.ack.BeginGroup(g)
	}
	return p.sink.GroupStart(g)
}

func (p *processor) set(t *Transaction) error {
	p.sum.Sets++
	res := p.val.Validate(t)
	if res.Status != SetRejected && p.opts.SetCheck != nil {
		if err := p.opts.SetCheck(t); err != nil {
			res.Errors = append([]error{err}, res.Errors...)
			res.Status = statusOf(res.Errors)
		}
	}
	var doc canonical.Document
	if res.Status != SetRejected && !isAckSet(t.SetID) && !t.Group.Interchange.Rejected() {
		var err error
		doc, err = p.tr.Translate(t)
		if err != nil && !errors.Is(err, ErrNoMap) {
			res.Errors = append(res.Errors, &SetError{Code: AK5SegmentsInError, Segment: t.SetID, Position: 1,
				Msg: fmt.Sprintf("the set could not be translated: %v", err)})
			res.Status = SetRejected
			doc = nil
		}
	}
	if doc != nil && p.opts.DocumentCheck != nil {
		if errs := p.opts.DocumentCheck(t, doc); len(errs) > 0 {
			res.Errors = append(res.Errors, errs...)
			if res.Status = statusOf(res.Errors); res.Status == SetRejected {
				doc = nil
			}
		}
	}
	if res.Status != SetRejected {
		p.groupAccepted++
		if doc != nil {
			p.groupDocs++
		}
	}
	if p.ack != nil {
		p.ack.AddSet(res)
	}
	return p.sink.Set(t, res, doc)
}

func isAckSet(id string) bool { return id == "997" || id == "999" }

// statusOf derives a set status from its findings.
func statusOf(errs []error) SetStatus {
	st := SetAccepted
	for _, e := range errs {
		if s, ok := e.(interface{ severity() Severity }); ok {
			if s.severity() == SeverityError {
				return SetRejected
			}
			st = SetAcceptedWithErrors
		}
	}
	return st
}

func (p *processor) groupEnd(g *Group) error {
	if p.ack != nil {
		p.ack.EndGroup(g)
	}
	ok := !g.Rejected()
	if !ok {
		p.sum.RejectedEnvelopes++
	}
	if ok {
		p.icAccepted += p.groupAccepted
		p.icDocs += p.groupDocs
	}
	return p.sink.GroupEnd(g, ok)
}

func (p *processor) interchangeEnd(ic *Interchange) error {
	ok := !ic.Rejected()
	if !ok {
		p.sum.RejectedEnvelopes++
	}
	if ok {
		p.sum.Accepted += p.icAccepted
		p.sum.Documents += p.icDocs
	}
	var acks []Ack
	if p.ack != nil {
		var err error
		acks, err = p.ack.Finish(&p.ackBody)
		if err != nil {
			return fmt.Errorf("edi: building acknowledgments for interchange %s: %w", ic.ControlNumber, err)
		}
	}
	return p.sink.InterchangeEnd(ic, ok, acks)
}

func (p *processor) summary() *Summary {
	s := p.sum
	s.Rejected = s.Sets - s.Accepted
	switch problems := s.Rejected + s.RejectedEnvelopes + s.Garbage; {
	case problems == 0:
		s.Status = FileAccepted
	case s.Accepted > 0:
		s.Status = FilePartiallyAccepted
	default:
		s.Status = FileRejected
	}
	return &s
}
