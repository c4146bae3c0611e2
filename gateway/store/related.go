package store

import (
	"context"
	"fmt"
)

// LatestDocument returns the partner's latest document of a type, kind and
// business number that is not rejected, or ErrNotFound.
func (s *Store) LatestDocument(ctx context.Context, db DB, partnerID, docType, kind, number string) (*Document, error) {
	d, err := scanDocument(db.QueryRow(ctx, `SELECT `+documentColumns+` FROM documents
		WHERE type = $1 AND number = $2 AND partner_id = $3 AND kind = $4 AND status <> 'rejected'
		ORDER BY id DESC LIMIT 1`, docType, number, partnerID, kind))
	if err != nil {
		return nil, notFound(err)
	}
	return d, nil
}

// ExceptionCounts are what a file's exceptions add to its partner's
// scorecard.
type ExceptionCounts struct {
	// Exceptional counts the file's sets and CSV documents that were
	// rejected or raised any exception.
	Exceptional int
	Exceptions  int
	ByCheck     map[string]int
	ByCode      map[string]int
}

// FileExceptionCounts counts the exceptions of a file and the sets and
// documents they concern.
func (s *Store) FileExceptionCounts(ctx context.Context, db DB, fileID int64) (*ExceptionCounts, error) {
	c := &ExceptionCounts{ByCheck: map[string]int{}, ByCode: map[string]int{}}
	err := db.QueryRow(ctx, `SELECT count(*) FROM (
			SELECT seq FROM transactions WHERE file_id = $1 AND status = 'rejected'
			UNION SELECT transaction_seq FROM exceptions WHERE file_id = $1 AND transaction_seq IS NOT NULL) s`,
		fileID).Scan(&c.Exceptional)
	if err != nil {
		return nil, fmt.Errorf("store: exceptional sets of file %d: %w", fileID, err)
	}
	rows, err := db.Query(ctx, `SELECT check_name, code, count(*) FROM exceptions WHERE file_id = $1 GROUP BY 1, 2`, fileID)
	if err != nil {
		return nil, fmt.Errorf("store: exceptions of file %d: %w", fileID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var check, code string
		var n int
		if err := rows.Scan(&check, &code, &n); err != nil {
			return nil, err
		}
		c.Exceptions += n
		c.ByCheck[check] += n
		if code != "" {
			c.ByCode[code] += n
		}
	}
	return c, rows.Err()
}
