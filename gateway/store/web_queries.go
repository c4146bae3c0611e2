package store

import (
	"context"
	"fmt"
	"time"
)

// PartnerFiles counts a partner's files, for the staff API.
type PartnerFiles struct {
	// ByStatus counts the files by status; a status with no file is absent.
	ByStatus map[string]int64
	// Total is the number of files.
	Total int64
	// LastReceivedAt is when the latest file was received; nil when none was.
	LastReceivedAt *time.Time
}

// CountPartnerFiles counts the files of a partner by status.
func (s *Store) CountPartnerFiles(ctx context.Context, db DB, partnerID string) (*PartnerFiles, error) {
	rows, err := db.Query(ctx, `SELECT status, count(*), max(received_at) FROM files WHERE partner_id = $1
		GROUP BY status`, partnerID)
	if err != nil {
		return nil, fmt.Errorf("store: counting the files of %s: %w", partnerID, err)
	}
	defer rows.Close()
	pf := &PartnerFiles{ByStatus: map[string]int64{}}
	for rows.Next() {
		var status string
		var n int64
		var last time.Time
		if err := rows.Scan(&status, &n, &last); err != nil {
			return nil, fmt.Errorf("store: counting the files of %s: %w", partnerID, err)
		}
		pf.ByStatus[status], pf.Total = n, pf.Total+n
		if pf.LastReceivedAt == nil || last.After(*pf.LastReceivedAt) {
			pf.LastReceivedAt = &last
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: counting the files of %s: %w", partnerID, err)
	}
	return pf, nil
}
