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
}

// InsertAS2MessageParams records a received AS2 message.
type InsertAS2MessageParams struct {
	PartnerID, MessageID string
	FileID               int64
	MIC, MICAlg          string
	Disposition          string
	MDN                  []byte
}

const as2Columns = `id, partner_id, message_id, file_id, mic, mic_alg, disposition, mdn, received_at`

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
	var m AS2Message
	err := db.QueryRow(ctx, `SELECT `+as2Columns+` FROM as2_messages WHERE partner_id = $1 AND message_id = $2`,
		partnerID, messageID).Scan(&m.ID, &m.PartnerID, &m.MessageID, &m.FileID, &m.MIC, &m.MICAlg, &m.Disposition, &m.MDN, &m.ReceivedAt)
	if err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}
