package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/flatfile"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// evaluate applies the partner's policies to the document of set seq and
// keeps the violations for the document's exceptions. It reports the
// action the document gets: "" (none), warn, hold or reject.
func (r *run) evaluate(doc canonical.Document, seq int) partners.Action {
	if len(r.partner.Policies) == 0 {
		return ""
	}
	env := &partners.PolicyEnv{PartnerID: r.partner.ID, Received: r.file.ReceivedAt, Related: r, Shipments: r}
	vs, err := r.partner.Policies.Evaluate(r.ctx, doc, env)
	if err != nil {
		r.fail(fmt.Errorf("policies of document %d of file %d: %w", seq, r.file.ID, err))
		return ""
	}
	if len(vs) > 0 {
		if r.violations == nil {
			r.violations = map[int][]partners.Violation{}
		}
		r.violations[seq] = vs
	}
	return partners.Outcome(vs)
}

// Related implements partners.RelatedFinder over the stored documents and
// those of the open interchange that are not stored yet, so that an order
// and a shipment of it in one interchange find each other.
func (r *run) Related(ctx context.Context, partnerID, docType, kind, number string) (canonical.Document, bool, error) {
	d := latestPending(r.pending, partnerID, docType, kind, number)
	if d == nil {
		var err error
		d, err = r.p.cfg.Store.LatestDocument(ctx, r.tx, partnerID, docType, kind, number)
		if errors.Is(err, store.ErrNotFound) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
	}
	doc, err := canonical.Decode(d.Body)
	if err != nil {
		return nil, false, fmt.Errorf("document %d: %w", d.ID, err)
	}
	return doc, true, nil
}

// latestPending returns the last pending document of the partner, type,
// kind and number, or nil.
func latestPending(pending []*store.Document, partnerID, docType, kind, number string) *store.Document {
	for i := len(pending) - 1; i >= 0; i-- {
		d := pending[i]
		if d.PartnerID == partnerID && d.Type == docType && d.Kind == kind && d.Number == number {
			return d
		}
	}
	return nil
}

// EarlierShipments implements partners.ShipmentFinder over the stored
// documents, those this run stored included, and the documents of the open
// interchange that are not stored yet, so that two shipments of one order
// in one file count together.
func (r *run) EarlierShipments(ctx context.Context, partnerID, kind, orderNumber, shipmentID string) ([]*canonical.Shipment, error) {
	docs, err := r.p.cfg.Store.OrderShipments(ctx, r.tx, &store.OrderShipmentsParams{PartnerID: partnerID, Kind: kind,
		OrderNumber: orderNumber, Except: shipmentID, FileID: r.file.ID, Run: r.no})
	if err != nil {
		return nil, err
	}
	docs = withPending(docs, r.pending, partnerID, kind, orderNumber, shipmentID)
	out := make([]*canonical.Shipment, 0, len(docs))
	for _, d := range docs {
		doc, err := canonical.Decode(d.Body)
		if err != nil {
			return nil, fmt.Errorf("document %d (shipment %s): %w", d.ID, d.Number, err)
		}
		s, ok := doc.(*canonical.Shipment)
		if !ok {
			return nil, fmt.Errorf("document %d (shipment %s) holds a %T", d.ID, d.Number, doc)
		}
		out = append(out, s)
	}
	return out, nil
}

// withPending replaces, in the stored shipments of an order, those that a
// pending document of the same kind and number updates, and adds the
// pending shipments that name the order. Pending documents come after every
// stored one, the last of a number being its latest version.
func withPending(stored, pending []*store.Document, partnerID, kind, orderNumber, except string) []*store.Document {
	latest := map[string]*store.Document{}
	for _, d := range pending {
		if d.Type == canonical.TypeShipment && d.PartnerID == partnerID && d.Kind == kind && d.Number != except {
			latest[d.Number] = d
		}
	}
	if len(latest) == 0 {
		return stored
	}
	out := slices.DeleteFunc(slices.Clone(stored), func(d *store.Document) bool { return latest[d.Number] != nil })
	for _, d := range pending {
		if latest[d.Number] == d && slices.Contains(d.OrderNumbers, orderNumber) {
			out = append(out, d)
		}
	}
	return out
}

// checkDocument is the run's edi.ProcessOpts.DocumentCheck: the findings
// of the violations that reject the set, for its acknowledgment.
func (r *run) checkDocument(t *edi.Transaction, doc canonical.Document) []error {
	seq := r.txSeq + 1 // the seq Set will give the set
	if r.evaluate(doc, seq) != partners.ActionReject {
		return nil
	}
	var errs []error
	for _, v := range r.violations[seq] {
		if v.Action == partners.ActionReject {
			errs = append(errs, findingOf(t, v))
		}
	}
	return errs
}

// findingOf places a violation in the set for the acknowledgment: an
// element error in the segment it names, or a set error (AK502 5) when X12
// has no code for it or the set has no such segment.
func findingOf(t *edi.Transaction, v partners.Violation) error {
	msg := fmt.Sprintf("policy %s: %s", v.Check, v.Msg)
	if v.Segment != "" && v.Code != "" {
		if seg, ok := segmentOf(t, v.Segment, lineIndex(v.Field)); ok {
			return &edi.ElementError{SegmentID: v.Segment, Position: seg.Position, Element: v.Element, Ref: v.Ref,
				Code: v.Code, Data: v.Value, Severity: edi.SeverityError, Msg: msg}
		}
	}
	return &edi.SetError{Code: edi.AK5SegmentsInError, Severity: edi.SeverityError, Segment: "ST", Position: 1, Msg: msg}
}

// segmentOf returns the n-th (0-based) segment with tag id.
func segmentOf(t *edi.Transaction, id string, n int) (*edi.Segment, bool) {
	for i := range t.Segments {
		if t.Segments[i].Is(id) {
			if n == 0 {
				return &t.Segments[i], true
			}
			n--
		}
	}
	return nil, false
}

// lineIndex returns i of a field "lines[i]…", else 0.
func lineIndex(field string) int {
	rest, ok := strings.CutPrefix(field, "lines[")
	if !ok {
		return 0
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return 0
	}
	i, err := strconv.Atoi(rest[:end])
	if err != nil {
		return 0
	}
	return i
}

// checkCSVDocument applies the policies to an accepted CSV document; a
// rejecting violation turns it into a rejected document, so that the
// result file says why.
func (r *run) checkCSVDocument(res *flatfile.DocResult) {
	if res.Doc == nil || r.evaluate(res.Doc, r.txSeq) != partners.ActionReject {
		return
	}
	for _, v := range r.violations[r.txSeq] {
		if v.Action == partners.ActionReject {
			res.Errors = append(res.Errors, &flatfile.RowError{Row: res.Row, Column: v.Field, Value: v.Value, Err: v})
		}
	}
	res.Doc, res.Status = nil, flatfile.StatusRejected
}

// policyExceptions raises the exceptions of the violations of set seq,
// on its document when it was kept (docID > 0).
func (r *run) policyExceptions(seq int, docID int64) {
	vs := r.violations[seq]
	delete(r.violations, seq)
	for _, v := range vs {
		e := &store.Exception{Check: string(v.Check), Code: ackCode("AK403", v.Code), Severity: severityWord(v.Severity),
			Action: string(v.Action), TransactionSeq: &seq, Message: v.Msg}
		if docID > 0 {
			e.DocumentID = &docID
		}
		r.exception(e)
	}
}

func severityWord(s edi.Severity) string {
	if s == edi.SeverityWarning {
		return store.SeverityWarning
	}
	return store.SeverityError
}
