package review

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
)

// release marks the exceptions released, accepts each held document they
// were raised on (store.Exception.Holds: a hold raised on a file covers its
// held documents) that no other open hold exception holds, and forwards
// those.
func (r *Reviewer) release(ctx context.Context, tx pgx.Tx, staff string, excs []*store.Exception, out *Outcome) error {
	st := r.cfg.Store
	if err := st.ActOnExceptions(ctx, tx, &store.ActOnExceptionsParams{
		IDs: out.Exceptions, Status: store.ExceptionReleased, Staff: staff}); err != nil {
		return err
	}
	// Locking the documents before looking for other holds orders two
	// releases of the same document: the second sees what the first did.
	docs, err := st.LockHeldDocuments(ctx, tx, excs)
	if err != nil || len(docs) == 0 {
		return err
	}
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	holds, err := st.OpenHolds(ctx, tx, ids)
	if err != nil {
		return err
	}
	byPartner := map[string][]*store.Document{}
	var partnerOrder []string
	for _, d := range docs {
		if holds[d.ID] {
			out.Held = append(out.Held, d.ID)
			continue
		}
		out.Accepted = append(out.Accepted, d.ID)
		d.Status = store.DocumentAccepted
		if doc, err := canonical.Decode(d.Body); err == nil {
			d.Purpose = canonical.PurposeOf(doc)
		} else {
			return fmt.Errorf("review: document %d: %w", d.ID, err)
		}
		if byPartner[d.PartnerID] == nil {
			partnerOrder = append(partnerOrder, d.PartnerID)
		}
		byPartner[d.PartnerID] = append(byPartner[d.PartnerID], d)
	}
	if err := st.SetDocumentStatus(ctx, tx, out.Accepted, store.DocumentAccepted); err != nil {
		return err
	}
	if r.cfg.Forwarder == nil {
		return nil
	}
	for _, id := range partnerOrder {
		if err := r.cfg.Forwarder.Queue(ctx, tx, r.partner(id), byPartner[id]); err != nil {
			return fmt.Errorf("review: forwarding the documents released for %s: %w", id, err)
		}
	}
	return nil
}

// reject marks the exceptions rejected, rejects the held documents they
// were raised on with the other open holds on those documents, and tells
// each partner: see rejectionAck.
func (r *Reviewer) reject(ctx context.Context, tx pgx.Tx, staff string, excs []*store.Exception, out *Outcome) error {
	st := r.cfg.Store
	if err := st.ActOnExceptions(ctx, tx, &store.ActOnExceptionsParams{
		IDs: out.Exceptions, Status: store.ExceptionRejected, Staff: staff}); err != nil {
		return err
	}
	docs, err := st.LockHeldDocuments(ctx, tx, excs)
	if err != nil || len(docs) == 0 {
		return err
	}
	for _, d := range docs {
		out.Rejected = append(out.Rejected, d.ID)
	}
	if err := st.SetDocumentStatus(ctx, tx, out.Rejected, store.DocumentRejected); err != nil {
		return err
	}
	if out.AlsoRejected, err = st.RejectOpenHolds(ctx, tx, out.Rejected, staff); err != nil {
		return err
	}
	b, rows := &pgx.Batch{}, fileRows{}
	for _, d := range docs {
		var e *store.Exception // the exception that held d, for a CSV result line
		for _, x := range excs {
			if x.Holds(d) {
				e = x
				break
			}
		}
		it, err := r.rejectionAck(ctx, tx, d, e, rows)
		if err != nil {
			return err
		}
		if it != nil {
			st.QueueOutbox(b, it)
			out.Outbox = append(out.Outbox, it.Filename)
		}
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("review: storing rejection acknowledgments: %w", err)
	}
	return r.queueOutbound(ctx, tx, docs)
}

// queueOutbound hands the outbox items of the rejected documents' files to
// the Outbound hook, once per file.
func (r *Reviewer) queueOutbound(ctx context.Context, tx pgx.Tx, docs []*store.Document) error {
	if r.cfg.Outbound == nil {
		return nil
	}
	done := map[int64]bool{}
	for _, d := range docs {
		p, ok := r.cfg.Partners.Current().ByID(d.PartnerID)
		if !ok || done[d.FileID] {
			continue
		}
		done[d.FileID] = true
		if err := r.cfg.Outbound(ctx, tx, p, d.FileID); err != nil {
			return fmt.Errorf("review: queueing the rejection acknowledgments of file %d: %w", d.FileID, err)
		}
	}
	return nil
}

// reprocess records who asked for the reprocessing of the exceptions'
// files and queues one run per file, in the action's transaction, as
// ingest.Pipeline.Reprocess does. The exceptions stay open: the run's
// store.StartRun deletes its file's open exceptions, and the run raises
// again whatever still stands.
func (r *Reviewer) reprocess(ctx context.Context, tx pgx.Tx, staff string, excs []*store.Exception, out *Outcome) error {
	st := r.cfg.Store
	if err := st.ActOnExceptions(ctx, tx, &store.ActOnExceptionsParams{
		IDs: out.Exceptions, Status: store.ExceptionOpen, Staff: staff}); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, e := range excs {
		id := *e.FileID
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, err := st.LockFile(ctx, tx, id); err != nil {
			return fmt.Errorf("review: reprocessing file %d: %w", id, err)
		}
		if _, err := r.cfg.Jobs.InsertTx(ctx, tx, ingest.ProcessFileArgs{FileID: id, Reprocess: true}, nil); err != nil {
			return fmt.Errorf("review: reprocessing file %d: %w", id, err)
		}
		out.Files = append(out.Files, id)
	}
	return nil
}
