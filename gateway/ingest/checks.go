package ingest

import (
	"fmt"
	"strings"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// checkInterchange is the run's edi.ProcessOpts.InterchangeCheck: the
// sender must be the partner's, the receiver the gateway, and the ISA13 new
// from that sender, or the duplicate policy decides.
func (r *run) checkInterchange(ic *edi.Interchange) *edi.EnvelopeError {
	r.icSeq++
	r.icHeld, r.icDupOf = false, nil
	if e := r.checkSender(ic); e != nil {
		return e
	}
	if e := r.checkReceiver(ic); e != nil {
		return e
	}
	return r.checkDuplicate(ic)
}

func (r *run) checkSender(ic *edi.Interchange) *edi.EnvelopeError {
	if r.partner.OwnsSender(ic.SenderQualifier, ic.SenderID) {
		return nil
	}
	msg := fmt.Sprintf("ISA05/ISA06 %s/%s is not an interchange ID of partner %s", ic.SenderQualifier, ic.SenderID, r.partner.ID)
	r.exception(&store.Exception{Check: CheckImpersonation, Code: ackCode("TA105", edi.TA1BadSenderID), Severity: store.SeverityError,
		Action: store.ActionReject, Message: fmt.Sprintf("interchange %s was rejected: %s", ic.ControlNumber, msg)})
	return &edi.EnvelopeError{Code: edi.TA1BadSenderID, Severity: edi.SeverityError, Segment: "ISA", Offset: ic.Offset, Msg: msg}
}

func (r *run) checkReceiver(ic *edi.Interchange) *edi.EnvelopeError {
	id := r.p.cfg.Identity
	if id.ID == "" || (strings.TrimSpace(ic.ReceiverQualifier) == id.Qualifier && strings.TrimSpace(ic.ReceiverID) == id.ID) {
		return nil
	}
	msg := fmt.Sprintf("ISA07/ISA08 %s/%s is not this gateway's interchange ID %s/%s", ic.ReceiverQualifier, ic.ReceiverID,
		id.Qualifier, id.ID)
	r.exception(&store.Exception{Check: CheckWrongReceiver, Code: ackCode("TA105", edi.TA1BadReceiverID), Severity: store.SeverityError,
		Action: store.ActionReject, Message: fmt.Sprintf("interchange %s was rejected: %s", ic.ControlNumber, msg)})
	return &edi.EnvelopeError{Code: edi.TA1BadReceiverID, Severity: edi.SeverityError, Segment: "ISA", Offset: ic.Offset, Msg: msg}
}

func (r *run) checkDuplicate(ic *edi.Interchange) *edi.EnvelopeError {
	key := store.InterchangeKey{PartnerID: r.partner.ID, SenderQualifier: strings.TrimSpace(ic.SenderQualifier),
		SenderID: strings.TrimSpace(ic.SenderID), ControlNumber: ic.ControlNumber}
	first, dup, err := r.p.cfg.Store.ClaimInterchange(r.ctx, r.tx, key, r.file.ID, r.icSeq)
	if err != nil {
		r.fail(err)
		return nil
	}
	if !dup {
		return nil
	}
	r.sum.Duplicates.Interchanges++
	r.icDupOf = &first
	action := r.partner.Duplicates.Interchange
	msg := fmt.Sprintf("interchange control number %s from %s/%s was received before, in file %d", ic.ControlNumber,
		key.SenderQualifier, key.SenderID, first)
	switch action {
	case partners.ActionAccept:
		return nil
	case partners.ActionHold:
		r.icHeld = true
		r.exception(&store.Exception{Check: CheckDuplicateInterchange, Code: ackCode("TA105", edi.TA1Duplicate), Severity: store.SeverityWarning,
			Action: store.ActionHold, Message: msg + "; duplicates.interchange is hold, so its documents are held"})
		return &edi.EnvelopeError{Code: edi.TA1Duplicate, Severity: edi.SeverityWarning, Segment: "ISA", Offset: ic.Offset, Msg: msg}
	}
	r.exception(&store.Exception{Check: CheckDuplicateInterchange, Code: ackCode("TA105", edi.TA1Duplicate), Severity: store.SeverityError,
		Action: store.ActionReject, Message: msg + "; duplicates.interchange is reject"})
	return &edi.EnvelopeError{Code: edi.TA1Duplicate, Severity: edi.SeverityError, Segment: "ISA", Offset: ic.Offset, Msg: msg}
}
