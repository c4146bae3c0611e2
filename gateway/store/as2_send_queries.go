package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// OutboxDelivery is an outbox item with the state of its delivery over
// AS2.
type OutboxDelivery struct {
	// Item is the item, with its body.
	Item *OutboxItem
	// DeliveredAt is when the partner's MDN confirmed the item; FailedAt
	// when its delivery was given up.
	DeliveredAt, FailedAt *time.Time
	// Attempts counts the deliveries tried. Error is the error of the last
	// failed one or, once delivered, the MDN's warning.
	Attempts int
	Error    string
	// MessageID is the Message-ID the item is sent with; MDN the MDN that
	// confirmed it, headers and body.
	MessageID string
	MDN       []byte
	// SentAt is when the item was last POSTed asking for an asynchronous
	// MDN, nil otherwise. MIC is the base64 MIC of what was sent and MICAlg
	// its algorithm as named in micalg (sha-256, …); the asynchronous MDN's
	// Received-Content-MIC must match them.
	SentAt      *time.Time
	MIC, MICAlg string
}

const outboxDeliveryColumns = outboxColumns + `, body, delivered_at, delivery_failed_at, delivery_attempts,
	delivery_error, delivery_message_id, delivery_mdn, delivery_sent_at, delivery_mic, delivery_mic_alg`

func scanOutboxDelivery(row pgx.Row) (*OutboxDelivery, error) {
	var it OutboxItem
	var d OutboxDelivery
	err := row.Scan(&it.ID, &it.PartnerID, &it.FileID, &it.Kind, &it.Type, &it.Filename, &it.ControlNumber, &it.Size,
		&it.CreatedAt, &it.PickedUpAt, &it.Body, &d.DeliveredAt, &d.FailedAt, &d.Attempts, &d.Error, &d.MessageID, &d.MDN,
		&d.SentAt, &d.MIC, &d.MICAlg)
	if err != nil {
		return nil, notFound(err)
	}
	d.Item = &it
	return &d, nil
}

// OutboxDeliveryByID returns an outbox item of any partner with its body and
// delivery state, or ErrNotFound.
func (s *Store) OutboxDeliveryByID(ctx context.Context, db DB, id int64) (*OutboxDelivery, error) {
	return scanOutboxDelivery(db.QueryRow(ctx, `SELECT `+outboxDeliveryColumns+` FROM outbox WHERE id = $1`, id))
}

// RecordOutboxDeliveryParams is the outcome of one delivery of an outbox
// item over AS2.
type RecordOutboxDeliveryParams struct {
	// ID is the outbox item.
	ID int64
	// Attempt is the attempt's number, from 1.
	Attempt int
	// MessageID is the Message-ID the item was sent with.
	MessageID string
	// Delivered marks an attempt the partner's MDN confirmed; MDN is that
	// MDN, headers and body, and Err its warning, if any.
	Delivered bool
	MDN       []byte
	// Err is why the attempt failed, or the warning of a delivered one.
	Err string
	// Final marks a failed attempt after which no other is made.
	Final bool
}

// RecordOutboxDelivery records one delivery attempt of an outbox item. A
// delivered item is picked up too, and a failed attempt leaves an item
// already delivered as it is (its MDN may come before the attempt's
// error). It returns ErrNotFound when there is no item id.
func (s *Store) RecordOutboxDelivery(ctx context.Context, db DB, p *RecordOutboxDeliveryParams) error {
	now := s.Now()
	var delivered, failed *time.Time
	switch {
	case p.Delivered:
		delivered = &now
	case p.Final:
		failed = &now
	}
	tag, err := db.Exec(ctx, `UPDATE outbox SET delivery_attempts = greatest(delivery_attempts, $2), delivery_error = $3,
		delivery_message_id = $4, delivered_at = coalesce(delivered_at, $5), delivery_failed_at = $6,
		delivery_mdn = coalesce($7, delivery_mdn), picked_up_at = CASE WHEN $5::timestamptz IS NULL THEN picked_up_at
		ELSE coalesce(picked_up_at, $5) END WHERE id = $1 AND ($5::timestamptz IS NOT NULL OR delivered_at IS NULL)`,
		p.ID, p.Attempt, p.Err, p.MessageID, delivered, failed, p.MDN)
	if err != nil {
		return fmt.Errorf("store: recording the delivery of outbox item %d: %w", p.ID, err)
	}
	if tag.RowsAffected() == 0 {
		_, err := s.OutboxDeliveryByID(ctx, db, p.ID)
		return err
	}
	return nil
}
