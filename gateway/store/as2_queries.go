package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AS2Message is an AS2 message received from a partner and the MDN sent
// for it.
type AS2Message struct {
	ID        int64
	PartnerID string
	// MessageID is the message's Message-ID, as sent (with its angle
	// brackets).
	MessageID string
	// FileID is the stored payload.
	FileID *int64
	// MIC is the base64 Received-Content-MIC; MICAlg its algorithm, such
	// as "sha256".
	MIC, MICAlg string
	// Disposition is the disposition of the MDN, such as
	// "automatic-action/MDN-sent-automatically; processed".
	Disposition string
	// MDN is the MDN sent, headers and body; empty when none was asked.
	MDN        []byte
	ReceivedAt time.Time
	// MDNDeliveredAt is when an asynchronous MDN was delivered, and
	// MDNFailedAt when its delivery was given up; MDNAttempts counts the
	// deliveries tried and MDNError is the error of the last failed one.
	MDNDeliveredAt, MDNFailedAt *time.Time
	MDNAttempts                 int
	MDNError                    string
}

// InsertAS2MessageParams records a received AS2 message.
type InsertAS2MessageParams struct {
	PartnerID, MessageID string
	FileID               int64
	MIC, MICAlg          string
	Disposition          string
	MDN                  []byte
}

const as2Columns = `id, partner_id, message_id, file_id, mic, mic_alg, disposition, mdn, received_at,
	mdn_delivered_at, mdn_failed_at, mdn_attempts, mdn_error`

// InsertAS2Message records a message. When the partner's Message-ID is
// already recorded it keeps the first record, returns it and false.
func (s *Store) InsertAS2Message(ctx context.Context, db DB, p *InsertAS2MessageParams) (*AS2Message, bool, error) {
	m := AS2Message{PartnerID: p.PartnerID, MessageID: p.MessageID, FileID: &p.FileID, MIC: p.MIC, MICAlg: p.MICAlg,
		Disposition: p.Disposition, MDN: p.MDN, ReceivedAt: s.Now()}
	if m.MDN == nil {
		m.MDN = []byte{}
	}
	err := db.QueryRow(ctx, `INSERT INTO as2_messages (partner_id, message_id, file_id, mic, mic_alg, disposition, mdn, received_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (partner_id, message_id) DO NOTHING RETURNING id`,
		m.PartnerID, m.MessageID, p.FileID, m.MIC, m.MICAlg, m.Disposition, m.MDN, m.ReceivedAt).Scan(&m.ID)
	if err == nil {
		return &m, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, false, fmt.Errorf("store: recording AS2 message %s of %s: %w", p.MessageID, p.PartnerID, err)
	}
	first, err := s.AS2Message(ctx, db, p.PartnerID, p.MessageID)
	return first, false, err
}

// AS2Message returns the record of a partner's Message-ID, or ErrNotFound.
func (s *Store) AS2Message(ctx context.Context, db DB, partnerID, messageID string) (*AS2Message, error) {
	return scanAS2Message(db.QueryRow(ctx, `SELECT `+as2Columns+` FROM as2_messages WHERE partner_id = $1 AND message_id = $2`,
		partnerID, messageID))
}

// AS2MessageByID returns the record with the ID id, or ErrNotFound.
func (s *Store) AS2MessageByID(ctx context.Context, db DB, id int64) (*AS2Message, error) {
	return scanAS2Message(db.QueryRow(ctx, `SELECT `+as2Columns+` FROM as2_messages WHERE id = $1`, id))
}

func scanAS2Message(row pgx.Row) (*AS2Message, error) {
	var m AS2Message
	err := row.Scan(&m.ID, &m.PartnerID, &m.MessageID, &m.FileID, &m.MIC, &m.MICAlg, &m.Disposition, &m.MDN, &m.ReceivedAt,
		&m.MDNDeliveredAt, &m.MDNFailedAt, &m.MDNAttempts, &m.MDNError)
	if err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}

// RecordMDNAttemptParams is the outcome of one delivery of an asynchronous
// MDN.
type RecordMDNAttemptParams struct {
	// ID is the as2_messages row.
	ID int64
	// Attempt is the attempt's number, from 1.
	Attempt int
	// Err is why the attempt failed; empty when the MDN was delivered.
	Err string
	// Final marks a failed attempt after which no other is made.
	Final bool
}

// RecordMDNAttempt records the outcome of a delivery of the MDN of a
// message, or returns ErrNotFound.
func (s *Store) RecordMDNAttempt(ctx context.Context, db DB, p *RecordMDNAttemptParams) error {
	now := s.Now()
	var delivered, failed *time.Time
	switch {
	case p.Err == "":
		delivered = &now
	case p.Final:
		failed = &now
	}
	tag, err := db.Exec(ctx, `UPDATE as2_messages SET mdn_attempts = greatest(mdn_attempts, $2), mdn_error = $3,
		mdn_delivered_at = coalesce(mdn_delivered_at, $4), mdn_failed_at = $5 WHERE id = $1`,
		p.ID, p.Attempt, p.Err, delivered, failed)
	if err != nil {
		return fmt.Errorf("store: recording the MDN delivery of AS2 message %d: %w", p.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}
