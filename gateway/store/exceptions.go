package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Exception actions and severities.
const (
	ActionReject = "reject"
	ActionHold   = "hold"
	ActionWarn   = "warn"

	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Exception is something that needs, or needed, a person's attention.
type Exception struct {
	ID             int64      `json:"id"`
	PartnerID      string     `json:"partner_id"`
	FileID         *int64     `json:"file_id,omitempty"`
	DocumentID     *int64     `json:"document_id,omitempty"`
	TransactionSeq *int       `json:"transaction_seq,omitempty"`
	Check          string     `json:"check"`
	Code           string     `json:"code,omitempty"`
	Severity       string     `json:"severity"`
	Action         string     `json:"action"`
	Status         string     `json:"status"`
	Message        string     `json:"message"`
	CreatedAt      time.Time  `json:"created_at"`
	ActedBy        *string    `json:"acted_by,omitempty"`
	ActedAt        *time.Time `json:"acted_at,omitempty"`
}

// QueueException adds the insert of e to b; e.Status defaults to open.
func (s *Store) QueueException(b *pgx.Batch, e *Exception) {
	if e.Status == "" {
		e.Status = "open"
	}
	e.CreatedAt = s.Now()
	b.Queue(`INSERT INTO exceptions (partner_id, file_id, document_id, transaction_seq, check_name, code, severity,
		action, status, message, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.PartnerID, e.FileID, e.DocumentID, e.TransactionSeq, e.Check, e.Code, e.Severity, e.Action, e.Status,
		e.Message, e.CreatedAt)
	if fn := s.raised.Load(); fn != nil {
		(*fn)(e)
	}
}

// FileExceptions returns the exceptions raised by a file, oldest first.
func (s *Store) FileExceptions(ctx context.Context, db DB, fileID int64) ([]*Exception, error) {
	rows, err := db.Query(ctx, `SELECT id, partner_id, file_id, document_id, transaction_seq, check_name, code,
		severity, action, status, message, created_at, acted_by, acted_at FROM exceptions WHERE file_id = $1 ORDER BY id`, fileID)
	if err != nil {
		return nil, fmt.Errorf("store: file %d exceptions: %w", fileID, err)
	}
	return collect(rows, func(row pgx.Row) (*Exception, error) {
		var e Exception
		err := row.Scan(&e.ID, &e.PartnerID, &e.FileID, &e.DocumentID, &e.TransactionSeq, &e.Check, &e.Code,
			&e.Severity, &e.Action, &e.Status, &e.Message, &e.CreatedAt, &e.ActedBy, &e.ActedAt)
		return &e, err
	})
}
