package ingest

import (
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

func (r *run) sendIfFull() error {
	if r.batch.Len()+len(r.txRows) < maxQueued {
		return r.err
	}
	return r.flush()
}

// queueTransactions moves the set results into the batch.
func (r *run) queueTransactions() {
	if len(r.txRows) > 0 {
		r.p.cfg.Store.QueueTransactions(r.batch, r.txRows)
		r.txRows = r.txRows[:0]
	}
}

// flush sends the queued statements.
func (r *run) flush() error {
	if r.err != nil {
		return r.err
	}
	r.queueTransactions()
	if r.batch.Len() == 0 {
		return nil
	}
	b := r.batch
	r.batch = &pgx.Batch{}
	if err := r.tx.SendBatch(r.ctx, b).Close(); err != nil {
		r.fail(fmt.Errorf("storing the results of file %d: %w", r.file.ID, err))
	}
	return r.err
}

// flushDocuments stores the pending documents and applies the document
// duplicate policy to those whose business key was seen before.
func (r *run) flushDocuments() error {
	if len(r.pending) == 0 {
		return r.err
	}
	if err := r.flush(); err != nil {
		return err
	}
	docs := r.pending
	r.pending = r.pending[:0:0]
	st := r.p.cfg.Store
	if err := st.UpsertDocuments(r.ctx, r.tx, docs); err != nil {
		return err
	}
	first, err := st.ClaimDocumentKeys(r.ctx, r.tx, docs)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if orig, dup := first[d.ID]; dup {
			if err := r.duplicateDocument(d, orig); err != nil {
				return err
			}
		}
		r.policyExceptions(d.TransactionSeq, d.ID)
	}
	if fwd := r.p.cfg.Forward; fwd != nil {
		if err := fwd(r.ctx, r.tx, r.partner, docs); err != nil {
			return fmt.Errorf("ingest: file %d: queueing deliveries: %w", r.file.ID, err)
		}
	}
	return nil
}

func (r *run) duplicateDocument(d *store.Document, orig int64) error {
	r.sum.Duplicates.Documents++
	action := r.partner.Duplicates.Document
	status := map[partners.Action]string{partners.ActionReject: store.DocumentRejected,
		partners.ActionHold: store.DocumentHeld}[action]
	if status == "" || d.Status == store.DocumentHeld {
		status = d.Status
	}
	if err := r.p.cfg.Store.MarkDuplicate(r.ctx, r.tx, d.ID, orig, status); err != nil {
		return err
	}
	d.Status, d.DuplicateOf = status, &orig
	if action == partners.ActionAccept {
		return nil
	}
	seq := d.TransactionSeq
	r.exception(&store.Exception{Check: CheckDuplicateDocument, Severity: store.SeverityError, Action: string(action),
		DocumentID: &d.ID, TransactionSeq: &seq,
		Message: fmt.Sprintf("%s %s was received before as document %d; duplicates.document is %s", d.Type, d.Number, orig, action)})
	return nil
}
