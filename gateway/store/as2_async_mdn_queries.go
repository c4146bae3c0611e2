package store

import (
	"context"
	"fmt"
)

// OutboxDeliveryByMessageID returns the outbox item of a partner sent with
// the Message-ID messageID, with its body and delivery state, or
// ErrNotFound.
func (s *Store) OutboxDeliveryByMessageID(ctx context.Context, db DB, partnerID, messageID string) (*OutboxDelivery, error) {
	return scanOutboxDelivery(db.QueryRow(ctx, `SELECT `+outboxDeliveryColumns+` FROM outbox
		WHERE partner_id = $1 AND delivery_message_id = $2 AND delivery_message_id <> '' ORDER BY id LIMIT 1`,
		partnerID, messageID))
}

// RecordOutboxSendingParams is an outbox item about to be POSTed to a
// partner that answers with an asynchronous MDN.
type RecordOutboxSendingParams struct {
	// ID is the outbox item.
	ID int64
	// Attempt is the attempt's number, from 1.
	Attempt int
	// MessageID is the Message-ID the item is sent with; the MDN names it
	// as its Original-Message-ID.
	MessageID string
	// MIC is the base64 MIC of the signed payload entity and MICAlg its
	// algorithm as named in micalg (sha-256, …).
	MIC, MICAlg string
}

// RecordOutboxSending records, before it is POSTed, that an outbox item is
// sent asking for an asynchronous MDN, with the Message-ID and MIC the MDN
// must match, so that an MDN arriving before the POST's answer finds them.
// It clears the error and failure of an earlier attempt; a delivered item
// keeps its state. It returns ErrNotFound when there is no
// item id.
func (s *Store) RecordOutboxSending(ctx context.Context, db DB, p *RecordOutboxSendingParams) error {
	tag, err := db.Exec(ctx, `UPDATE outbox SET delivery_attempts = greatest(delivery_attempts, $2),
		delivery_message_id = $3, delivery_mic = $4, delivery_mic_alg = $5, delivery_sent_at = $6,
		delivery_error = '', delivery_failed_at = NULL WHERE id = $1 AND delivered_at IS NULL`,
		p.ID, p.Attempt, p.MessageID, p.MIC, p.MICAlg, s.Now())
	if err != nil {
		return fmt.Errorf("store: recording the sending of outbox item %d: %w", p.ID, err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := s.OutboxDeliveryByID(ctx, db, p.ID); err != nil {
			return err
		}
	}
	return nil
}
