package ingest

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// Batches are sent, and pending documents flushed, at these sizes; they
// bound the memory of a run whatever the size of the file.
const (
	maxQueued  = 256
	maxPending = 256
)

// run is one processing run of one file. It is the edi.Sink of the run: it
// queues rows in a batch and keeps the documents of the open interchange
// pending until they are known to stand, or until there are too many, when
// they are stored and deleted again should their envelope be rejected.
type run struct {
	p       *Pipeline
	ctx     context.Context
	tx      pgx.Tx
	file    *store.File
	partner *partners.Partner
	no      int
	batch   *pgx.Batch
	txRows  []*store.Transaction // set results not yet queued in batch
	err     error                // the first database error met inside a callback

	icSeq, groupSeq, txSeq int
	icHeld                 bool   // the open interchange's documents are held
	icDupOf                *int64 // the file that first carried the open interchange's ISA13
	pending                []*store.Document
	// violations are the policy violations of the sets whose documents
	// are pending, or being checked, by set seq.
	violations map[int][]partners.Violation
	// policyRejected counts the CSV documents policies rejected.
	policyRejected int
	csv            bool // the file is read with a CSV profile

	sum    Summary
	dupOf  *int64
	counts counts
	out    *outcome
}

func (r *run) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// ackCode qualifies an X12 error code with the acknowledgment element that
// carries it, as exceptions and scorecards show it: "AK403:7" (invalid
// code value) is not "AK304:7" (segment not in proper sequence).
func ackCode(element, code string) string {
	if code == "" {
		return ""
	}
	return element + ":" + code
}

func (r *run) exception(e *store.Exception) {
	e.PartnerID, e.FileID = r.file.PartnerID, &r.file.ID
	r.p.cfg.Store.QueueException(r.batch, e)
	r.sum.Exceptions++
}

// InterchangeStart implements edi.Sink; checkInterchange has run already.
func (r *run) InterchangeStart(*edi.Interchange) error { return r.err }

// GroupStart implements edi.Sink.
func (r *run) GroupStart(*edi.Group) error {
	r.groupSeq++
	return r.err
}

// Set implements edi.Sink.
func (r *run) Set(t *edi.Transaction, res *edi.SetResult, doc canonical.Document) error {
	r.txSeq++
	findings := edi.Findings(res.Errors)
	errs, _ := json.Marshal(findings)
	r.txRows = append(r.txRows, &store.Transaction{
		FileID: r.file.ID, Seq: r.txSeq, InterchangeSeq: r.icSeq, GroupSeq: r.groupSeq, GroupControl: t.Group.ControlNumber,
		FunctionalID: t.Group.FunctionalID, Version: t.Group.Version, SetID: t.SetID, ControlNumber: t.ControlNumber,
		Offset: t.Offset, Size: t.Size(), Status: res.Status.String(), Errors: errs,
	})
	r.counts.add(t.SetID, res.Status.String(), findings)
	switch {
	case res.Status == edi.SetRejected && r.violations[r.txSeq] != nil:
		r.policyExceptions(r.txSeq, 0)
	case res.Status == edi.SetRejected && !t.Group.Interchange.Rejected():
		r.rejectedSet(t, findings)
	}
	if doc != nil {
		if err := r.keep(doc); err != nil {
			return err
		}
	}
	return r.sendIfFull()
}

func (r *run) rejectedSet(t *edi.Transaction, findings []edi.Finding) {
	seq := r.txSeq
	e := &store.Exception{Check: CheckValidation, Severity: store.SeverityError, Action: store.ActionReject, TransactionSeq: &seq,
		Message: fmt.Sprintf("transaction set %s %s was rejected", t.SetID, t.ControlNumber)}
	if len(findings) > 0 {
		e.Code, e.Message = ackCode(findings[0].AckElement(), findings[0].Code), fmt.Sprintf("%s: %s at position %d: %s (%d findings)", e.Message,
			findings[0].Segment, findings[0].Position, findings[0].Message, len(findings))
	}
	r.exception(e)
}

// keep makes a pending document of doc.
func (r *run) keep(doc canonical.Document) error {
	body, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("document of set %d: %w", r.txSeq, err)
	}
	h := doc.Head()
	status := store.DocumentAccepted
	if r.icHeld || partners.Outcome(r.violations[r.txSeq]) == partners.ActionHold {
		status = store.DocumentHeld
	}
	d := &store.Document{
		FileID: r.file.ID, TransactionSeq: r.txSeq, InterchangeSeq: r.icSeq, GroupSeq: r.groupSeq,
		PartnerID: r.file.PartnerID, Type: h.Type, Kind: h.Kind, Number: doc.BusinessKey(),
		BusinessKey: partners.BusinessKey(doc), Purpose: canonical.PurposeOf(doc), Status: status, Run: r.no, Body: body,
	}
	if s, ok := doc.(*canonical.Shipment); ok {
		d.OrderNumbers = partners.ShipmentOrderNumbers(s)
	}
	r.pending = append(r.pending, d)
	if len(r.pending) >= maxPending {
		return r.flushDocuments()
	}
	return nil
}

// GroupEnd implements edi.Sink.
func (r *run) GroupEnd(g *edi.Group, accepted bool) error {
	if !accepted {
		r.drop(r.groupSeq)
		r.envelopeException(edi.Findings(g.Errors), "functional group "+g.ControlNumber)
	}
	return r.err
}

// InterchangeEnd implements edi.Sink.
func (r *run) InterchangeEnd(ic *edi.Interchange, accepted bool, acks []edi.Ack) error {
	findings := edi.Findings(ic.Errors)
	if accepted {
		if err := r.flushDocuments(); err != nil {
			return err
		}
	} else {
		r.drop(-1)
		r.envelopeException(findings, "interchange "+ic.ControlNumber)
	}
	errs, _ := json.Marshal(findings)
	r.p.cfg.Store.QueueInterchange(r.batch, &store.Interchange{
		FileID: r.file.ID, Seq: r.icSeq, Offset: ic.Offset, SenderQualifier: ic.SenderQualifier, SenderID: ic.SenderID,
		ReceiverQualifier: ic.ReceiverQualifier, ReceiverID: ic.ReceiverID, ControlNumber: ic.ControlNumber,
		Version: ic.Version, Status: statusWord(accepted), DuplicateOf: r.icDupOf, Errors: errs,
	})
	for _, a := range acks {
		r.ack(a)
	}
	return r.sendIfFull()
}

func (r *run) ack(a edi.Ack) {
	r.p.cfg.Store.QueueOutbox(r.batch, &store.OutboxItem{
		PartnerID: r.file.PartnerID, FileID: &r.file.ID, Kind: store.OutboxAck, Type: a.Type,
		Filename: fmt.Sprintf("%s-%s.x12", a.Type, a.ControlNumber), ControlNumber: a.ControlNumber, Body: a.X12,
	})
	r.sum.Acks++
}

// Garbage implements edi.Sink.
func (r *run) Garbage(e *edi.EnvelopeError) error {
	r.envelopeException([]edi.Finding{edi.FindingOf(e)}, "the file")
	return r.err
}

// envelopeException records a rejected envelope, unless a check already
// said why (impersonation, duplicate), which raised its own exception.
func (r *run) envelopeException(findings []edi.Finding, what string) {
	r.counts.add("", "", findings)
	for _, f := range findings {
		if f.Severity != edi.SeverityError.String() || f.Code == edi.TA1BadSenderID || f.Code == edi.TA1Duplicate || f.Code == edi.TA1BadReceiverID {
			continue
		}
		r.exception(&store.Exception{Check: CheckEnvelope, Code: ackCode(f.AckElement(), f.Code), Severity: store.SeverityError, Action: store.ActionReject,
			Message: fmt.Sprintf("%s was rejected: %s at byte %d: %s", what, f.Segment, f.Offset, f.Message)})
		return
	}
}

// drop forgets the pending documents of the open interchange, or of its
// group groupSeq when groupSeq >= 0, and voids what was already stored.
func (r *run) drop(groupSeq int) {
	kept := r.pending[:0]
	for _, d := range r.pending {
		if groupSeq >= 0 && d.GroupSeq != groupSeq {
			kept = append(kept, d)
		} else {
			delete(r.violations, d.TransactionSeq)
		}
	}
	r.pending = kept
	r.queueTransactions()
	r.p.cfg.Store.QueueVoid(r.batch, r.file.ID, r.icSeq, groupSeq)
}

func statusWord(accepted bool) string {
	if accepted {
		return "accepted"
	}
	return "rejected"
}
