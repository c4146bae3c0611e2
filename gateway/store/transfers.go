package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// TransferStatus is how a partner's file transfers went.
type TransferStatus struct {
	PartnerID        string     `json:"-"`
	LastLoginAt      *time.Time `json:"last_login_at"`
	LastLoginChannel string     `json:"last_login_channel,omitempty"`
	LastPollAt       *time.Time `json:"last_poll_at"`
	FilesIn          int64      `json:"files_in"`
	FilesOut         int64      `json:"files_out"`
	LastError        string     `json:"last_error"`
	LastErrorAt      *time.Time `json:"last_error_at"`
}

// RecordLogin notes that a partner logged in over a channel ("sftp", …).
func (s *Store) RecordLogin(ctx context.Context, db DB, partnerID, channel string) error {
	return s.upsertTransfer(ctx, db, partnerID, `last_login_at = $2, last_login_channel = $3`, s.Now(), channel)
}

// RecordFilesMoved adds to a partner's count of files received (in) and
// delivered (out) over file transfer.
func (s *Store) RecordFilesMoved(ctx context.Context, db DB, partnerID string, in, out int) error {
	return s.upsertTransfer(ctx, db, partnerID,
		`files_in = partner_transfers.files_in + $2, files_out = partner_transfers.files_out + $3`, in, out)
}

// RecordPoll notes a poll of a partner's server and, when pollErr is not
// nil, its error.
func (s *Store) RecordPoll(ctx context.Context, db DB, partnerID string, pollErr error) error {
	if pollErr == nil {
		return s.upsertTransfer(ctx, db, partnerID, `last_poll_at = $2`, s.Now())
	}
	return s.upsertTransfer(ctx, db, partnerID, `last_poll_at = $2, last_error = $3, last_error_at = $2`,
		s.Now(), pollErr.Error())
}

// RecordTransferError notes a transfer error that is not a poll's.
func (s *Store) RecordTransferError(ctx context.Context, db DB, partnerID string, err error) error {
	return s.upsertTransfer(ctx, db, partnerID, `last_error = $2, last_error_at = $3`, err.Error(), s.Now())
}

// upsertTransfer applies set (whose parameters start at $2, after the
// partner ID) to a partner's row, creating it first.
func (s *Store) upsertTransfer(ctx context.Context, db DB, partnerID, set string, args ...any) error {
	_, err := db.Exec(ctx, `INSERT INTO partner_transfers (partner_id) VALUES ($1) ON CONFLICT DO NOTHING`, partnerID)
	if err == nil {
		_, err = db.Exec(ctx, `UPDATE partner_transfers SET `+set+` WHERE partner_id = $1`, append([]any{partnerID}, args...)...)
	}
	if err != nil {
		return fmt.Errorf("store: transfer status of %s: %w", partnerID, err)
	}
	return nil
}

// Transfers returns a partner's transfer status; a partner that never
// transferred a file has the zero status.
func (s *Store) Transfers(ctx context.Context, db DB, partnerID string) (*TransferStatus, error) {
	t := &TransferStatus{PartnerID: partnerID}
	err := db.QueryRow(ctx, `SELECT last_login_at, last_login_channel, last_poll_at, files_in, files_out, last_error,
		last_error_at FROM partner_transfers WHERE partner_id = $1`, partnerID).Scan(&t.LastLoginAt, &t.LastLoginChannel,
		&t.LastPollAt, &t.FilesIn, &t.FilesOut, &t.LastError, &t.LastErrorAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: transfer status of %s: %w", partnerID, err)
	}
	return t, nil
}
