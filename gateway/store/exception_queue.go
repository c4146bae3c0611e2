package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Exception statuses. An open exception waits for a person; the others
// record what a person did.
const (
	ExceptionOpen     = "open"
	ExceptionReleased = "released"
	ExceptionRejected = "rejected"
	ExceptionResolved = "resolved"
)

// ExceptionFilter selects exceptions; empty fields select all.
type ExceptionFilter struct {
	PartnerID string
	Status    string // open, released, rejected or resolved
	Check     string
	Severity  string // error or warning
	Action    string // reject, hold or warn
	FileID    int64
	// DocumentID selects the exceptions raised on one document.
	DocumentID int64
	// CreatedAfter and CreatedBefore bound created_at, exclusively; the
	// zero time does not bound.
	CreatedAfter, CreatedBefore time.Time
	// IDs, when not empty, selects these exceptions only.
	IDs []int64
}

// Empty reports whether f selects every exception.
func (f *ExceptionFilter) Empty() bool {
	return f.PartnerID == "" && f.Status == "" && f.Check == "" && f.Severity == "" && f.Action == "" &&
		f.FileID == 0 && f.DocumentID == 0 && f.CreatedAfter.IsZero() && f.CreatedBefore.IsZero() && len(f.IDs) == 0
}

const exceptionColumns = `id, partner_id, file_id, document_id, transaction_seq, check_name, code, severity, action,
	status, message, created_at, acted_by, acted_at`

// exceptionWhere takes the filter as $1…$10, in the order of args.
const exceptionWhere = `($1 = '' OR partner_id = $1) AND ($2 = '' OR status = $2) AND ($3 = '' OR check_name = $3)
	AND ($4 = '' OR severity = $4) AND ($5 = '' OR action = $5) AND ($6 = 0 OR file_id = $6)
	AND ($7 = 0 OR document_id = $7) AND ($8::timestamptz IS NULL OR created_at > $8)
	AND ($9::timestamptz IS NULL OR created_at < $9) AND (coalesce(cardinality($10::bigint[]), 0) = 0 OR id = ANY($10))`

func (f *ExceptionFilter) args() []any {
	bound := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	ids := f.IDs
	if ids == nil {
		ids = []int64{}
	}
	return []any{f.PartnerID, f.Status, f.Check, f.Severity, f.Action, f.FileID, f.DocumentID,
		bound(f.CreatedAfter), bound(f.CreatedBefore), ids}
}

func scanException(row pgx.Row) (*Exception, error) {
	var e Exception
	err := row.Scan(&e.ID, &e.PartnerID, &e.FileID, &e.DocumentID, &e.TransactionSeq, &e.Check, &e.Code,
		&e.Severity, &e.Action, &e.Status, &e.Message, &e.CreatedAt, &e.ActedBy, &e.ActedAt)
	if err != nil {
		return nil, notFound(err)
	}
	return &e, nil
}

// ListExceptionsParams filters and pages ListExceptions.
type ListExceptionsParams struct {
	ExceptionFilter
	// Before is the cursor: exceptions with smaller IDs; 0 starts at the
	// newest.
	Before int64
	Limit  int
}

// ListExceptions returns exceptions newest first.
func (s *Store) ListExceptions(ctx context.Context, db DB, p *ListExceptionsParams) ([]*Exception, error) {
	args := append(p.ExceptionFilter.args(), p.Before, limit(p.Limit))
	rows, err := db.Query(ctx, `SELECT `+exceptionColumns+` FROM exceptions WHERE `+exceptionWhere+`
		AND ($11 = 0 OR id < $11) ORDER BY id DESC LIMIT $12`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: listing exceptions: %w", err)
	}
	return collect(rows, scanException)
}

// GetException returns one exception, or ErrNotFound.
func (s *Store) GetException(ctx context.Context, db DB, id int64) (*Exception, error) {
	return scanException(db.QueryRow(ctx, `SELECT `+exceptionColumns+` FROM exceptions WHERE id = $1`, id))
}

// LockExceptions returns at most limit of the exceptions f selects, oldest
// first, locked for update until tx ends.
func (s *Store) LockExceptions(ctx context.Context, tx DB, f *ExceptionFilter, limit int) ([]*Exception, error) {
	rows, err := tx.Query(ctx, `SELECT `+exceptionColumns+` FROM exceptions WHERE `+exceptionWhere+`
		ORDER BY id LIMIT $11 FOR UPDATE`, append(f.args(), limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: locking exceptions: %w", err)
	}
	return collect(rows, scanException)
}

// ActOnExceptionsParams records what a person did to exceptions.
type ActOnExceptionsParams struct {
	IDs []int64
	// Status is the exceptions' new status; an open exception may stay
	// open (a reprocess, whose run replaces it).
	Status string
	// Staff is who acted.
	Staff string
}

// ActOnExceptions sets the status of exceptions and who acted on them when.
func (s *Store) ActOnExceptions(ctx context.Context, tx DB, p *ActOnExceptionsParams) error {
	if len(p.IDs) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE exceptions SET status = $2, acted_by = $3, acted_at = $4 WHERE id = ANY($1)`,
		p.IDs, p.Status, p.Staff, s.Now())
	if err != nil {
		return fmt.Errorf("store: %d exceptions to %s: %w", len(p.IDs), p.Status, err)
	}
	return nil
}

// LockHeldDocuments returns, locked for update until tx ends, the held
// documents that exceptions were raised on: an exception's document; else
// the document of its file and transaction_seq; else its file's documents.
func (s *Store) LockHeldDocuments(ctx context.Context, tx DB, excs []*Exception) ([]*Document, error) {
	var ids, files, setFiles []int64
	var seqs []int32
	for _, e := range excs {
		switch {
		case e.DocumentID != nil:
			ids = append(ids, *e.DocumentID)
		case e.FileID != nil && e.TransactionSeq != nil:
			setFiles, seqs = append(setFiles, *e.FileID), append(seqs, int32(*e.TransactionSeq))
		case e.FileID != nil:
			files = append(files, *e.FileID)
		}
	}
	rows, err := tx.Query(ctx, `SELECT `+documentColumns+` FROM documents WHERE status = 'held'
		AND (id = ANY($1) OR file_id = ANY($2)
			OR (file_id, transaction_seq) IN (SELECT * FROM unnest($3::bigint[], $4::int[])))
		ORDER BY id FOR UPDATE`, nonNilIDs(ids), nonNilIDs(files), nonNilIDs(setFiles), nonNil32(seqs))
	if err != nil {
		return nil, fmt.Errorf("store: locking held documents: %w", err)
	}
	return collect(rows, scanDocument)
}

// Holds reports whether hold exception e was raised on document d, as
// LockHeldDocuments and OpenHolds read it.
func (e *Exception) Holds(d *Document) bool {
	switch {
	case e.DocumentID != nil:
		return *e.DocumentID == d.ID
	case e.FileID == nil || *e.FileID != d.FileID:
		return false
	}
	return e.TransactionSeq == nil || *e.TransactionSeq == d.TransactionSeq
}

// OpenHolds returns, among documents ids, those that an open exception of
// action hold still holds (see Exception.Holds).
func (s *Store) OpenHolds(ctx context.Context, db DB, ids []int64) (map[int64]bool, error) {
	rows, err := db.Query(ctx, `SELECT d.id FROM documents d WHERE d.id = ANY($1) AND EXISTS (SELECT 1 FROM exceptions e
		WHERE e.status = 'open' AND e.action = 'hold' AND (e.document_id = d.id OR (e.document_id IS NULL
			AND e.file_id = d.file_id AND (e.transaction_seq IS NULL OR e.transaction_seq = d.transaction_seq))))`,
		nonNilIDs(ids))
	if err != nil {
		return nil, fmt.Errorf("store: open holds of %d documents: %w", len(ids), err)
	}
	held, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: open holds of %d documents: %w", len(ids), err)
	}
	out := make(map[int64]bool, len(held))
	for _, id := range held {
		out[id] = true
	}
	return out, nil
}

// SetDocumentStatus sets the status of documents. A rejected document gives
// up its business key, so that the partner's corrected resend is not taken
// for a duplicate of it.
func (s *Store) SetDocumentStatus(ctx context.Context, tx DB, ids []int64, status string) error {
	if len(ids) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	b.Queue(`UPDATE documents SET status = $2 WHERE id = ANY($1)`, ids, status)
	if status == DocumentRejected {
		b.Queue(`DELETE FROM document_keys WHERE document_id = ANY($1)`, ids)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: %d documents to %s: %w", len(ids), status, err)
	}
	return nil
}

// RejectOpenHolds marks the open hold exceptions raised on documents ids
// (on the document, or on its file and transaction_seq) as rejected by
// staff and returns their IDs: once a document is rejected, nothing holds
// it any more. Holds raised on a whole file stay.
func (s *Store) RejectOpenHolds(ctx context.Context, tx DB, ids []int64, staff string) ([]int64, error) {
	rows, err := tx.Query(ctx, `UPDATE exceptions SET status = 'rejected', acted_by = $2, acted_at = $3
		WHERE status = 'open' AND action = 'hold' AND (document_id = ANY($1) OR (document_id IS NULL
			AND (file_id, transaction_seq) IN (SELECT file_id, transaction_seq FROM documents WHERE id = ANY($1))))
		RETURNING id`, nonNilIDs(ids), staff, s.Now())
	if err != nil {
		return nil, fmt.Errorf("store: rejecting the holds of %d documents: %w", len(ids), err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// GetTransaction returns the seq-th transaction set of a file, or
// ErrNotFound.
func (s *Store) GetTransaction(ctx context.Context, db DB, fileID int64, seq int) (*Transaction, error) {
	var t Transaction
	err := db.QueryRow(ctx, `SELECT file_id, seq, interchange_seq, group_seq, group_control, functional_id, version,
		set_id, control_number, byte_offset, size, status, errors FROM transactions WHERE file_id = $1 AND seq = $2`,
		fileID, seq).Scan(&t.FileID, &t.Seq, &t.InterchangeSeq, &t.GroupSeq, &t.GroupControl, &t.FunctionalID,
		&t.Version, &t.SetID, &t.ControlNumber, &t.Offset, &t.Size, &t.Status, &t.Errors)
	if err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// GetInterchange returns the seq-th interchange of a file, or ErrNotFound.
func (s *Store) GetInterchange(ctx context.Context, db DB, fileID int64, seq int) (*Interchange, error) {
	var ic Interchange
	err := db.QueryRow(ctx, `SELECT file_id, seq, byte_offset, sender_qualifier, sender_id, receiver_qualifier,
		receiver_id, control_number, version, status, duplicate_of, errors FROM interchanges WHERE file_id = $1 AND seq = $2`,
		fileID, seq).Scan(&ic.FileID, &ic.Seq, &ic.Offset, &ic.SenderQualifier, &ic.SenderID, &ic.ReceiverQualifier,
		&ic.ReceiverID, &ic.ControlNumber, &ic.Version, &ic.Status, &ic.DuplicateOf, &ic.Errors)
	if err != nil {
		return nil, notFound(err)
	}
	return &ic, nil
}

// OpenExceptionCount is the number of open exceptions of a partner and
// check.
type OpenExceptionCount struct {
	PartnerID string `json:"partner_id"`
	Check     string `json:"check"`
	Open      int64  `json:"open"`
}

// CountOpenExceptions counts the open exceptions by partner and check, in
// that order.
func (s *Store) CountOpenExceptions(ctx context.Context, db DB) ([]*OpenExceptionCount, error) {
	rows, err := db.Query(ctx, `SELECT partner_id, check_name, count(*) FROM exceptions WHERE status = 'open'
		GROUP BY partner_id, check_name ORDER BY partner_id, check_name`)
	if err != nil {
		return nil, fmt.Errorf("store: counting open exceptions: %w", err)
	}
	return collect(rows, func(row pgx.Row) (*OpenExceptionCount, error) {
		var c OpenExceptionCount
		err := row.Scan(&c.PartnerID, &c.Check, &c.Open)
		return &c, err
	})
}

// OnException makes QueueException call fn with each exception it queues,
// for metrics; fn must be quick and must not keep e. The exception is not
// committed yet when fn runs.
func (s *Store) OnException(fn func(e *Exception)) { s.raised.Store(&fn) }

func nonNil32(s []int32) []int32 {
	if s == nil {
		return []int32{}
	}
	return s
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
