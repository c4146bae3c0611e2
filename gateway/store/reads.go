package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ListDocumentsParams filters ListDocuments. Empty fields do not filter.
type ListDocumentsParams struct {
	PartnerID string
	Type      string
	Number    string
	FileID    int64
	Before    int64 // cursor: documents with smaller IDs
	Limit     int
}

// ListDocuments returns documents newest first.
func (s *Store) ListDocuments(ctx context.Context, db DB, p *ListDocumentsParams) ([]*Document, error) {
	rows, err := db.Query(ctx, `SELECT `+documentColumns+` FROM documents
		WHERE ($1 = '' OR partner_id = $1) AND ($2 = '' OR type = $2) AND ($3 = '' OR number = $3)
		AND ($4 = 0 OR file_id = $4) AND ($5 = 0 OR id < $5)
		ORDER BY id DESC LIMIT $6`, p.PartnerID, p.Type, p.Number, p.FileID, p.Before, limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: listing documents: %w", err)
	}
	return collect(rows, scanDocument)
}

// GetDocument returns one document.
func (s *Store) GetDocument(ctx context.Context, db DB, id int64) (*Document, error) {
	return scanDocument(db.QueryRow(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = $1`, id))
}

// FileTransactions returns the transaction sets of a file in file order.
func (s *Store) FileTransactions(ctx context.Context, db DB, fileID int64) ([]*Transaction, error) {
	rows, err := db.Query(ctx, `SELECT file_id, seq, interchange_seq, group_seq, group_control, functional_id, version,
		set_id, control_number, byte_offset, size, status, errors FROM transactions WHERE file_id = $1 ORDER BY seq`, fileID)
	if err != nil {
		return nil, fmt.Errorf("store: file %d transactions: %w", fileID, err)
	}
	return collect(rows, func(row pgx.Row) (*Transaction, error) {
		var t Transaction
		err := row.Scan(&t.FileID, &t.Seq, &t.InterchangeSeq, &t.GroupSeq, &t.GroupControl, &t.FunctionalID,
			&t.Version, &t.SetID, &t.ControlNumber, &t.Offset, &t.Size, &t.Status, &t.Errors)
		return &t, err
	})
}

// FileInterchanges returns the interchanges of a file in file order.
func (s *Store) FileInterchanges(ctx context.Context, db DB, fileID int64) ([]*Interchange, error) {
	rows, err := db.Query(ctx, `SELECT file_id, seq, byte_offset, sender_qualifier, sender_id, receiver_qualifier,
		receiver_id, control_number, version, status, duplicate_of, errors FROM interchanges WHERE file_id = $1 ORDER BY seq`, fileID)
	if err != nil {
		return nil, fmt.Errorf("store: file %d interchanges: %w", fileID, err)
	}
	return collect(rows, func(row pgx.Row) (*Interchange, error) {
		var ic Interchange
		err := row.Scan(&ic.FileID, &ic.Seq, &ic.Offset, &ic.SenderQualifier, &ic.SenderID, &ic.ReceiverQualifier,
			&ic.ReceiverID, &ic.ControlNumber, &ic.Version, &ic.Status, &ic.DuplicateOf, &ic.Errors)
		return &ic, err
	})
}
