package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// UISession is a dashboard sign-in (migration 00011). The browser holds a
// random session ID; the table holds only its SHA-256, so reading the table
// gives no one a live session.
type UISession struct {
	IDHash    []byte
	Staff     string
	Role      string
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateUISession stores a session and deletes the expired ones.
func (s *Store) CreateUISession(ctx context.Context, db DB, u *UISession) error {
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM ui_sessions WHERE expires_at < $1`, s.Now())
	b.Queue(`INSERT INTO ui_sessions (id_hash, staff, role, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		u.IDHash, u.Staff, u.Role, u.CSRF, u.CreatedAt, u.ExpiresAt)
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: creating a dashboard session for %s: %w", u.Staff, err)
	}
	return nil
}

// UISessionByHash returns the unexpired session whose ID hashes to idHash,
// or ErrNotFound.
func (s *Store) UISessionByHash(ctx context.Context, db DB, idHash []byte) (*UISession, error) {
	var u UISession
	err := db.QueryRow(ctx, `SELECT id_hash, staff, role, csrf, created_at, expires_at FROM ui_sessions
		WHERE id_hash = $1 AND expires_at > $2`, idHash, s.Now()).Scan(&u.IDHash, &u.Staff, &u.Role, &u.CSRF,
		&u.CreatedAt, &u.ExpiresAt)
	if err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// DeleteUISession ends a session; ending one that does not exist is no
// error.
func (s *Store) DeleteUISession(ctx context.Context, db DB, idHash []byte) error {
	if _, err := db.Exec(ctx, `DELETE FROM ui_sessions WHERE id_hash = $1`, idHash); err != nil {
		return fmt.Errorf("store: ending a dashboard session: %w", err)
	}
	return nil
}

// SearchDocumentsParams is what SearchDocuments looks for.
type SearchDocumentsParams struct {
	// Number is an order or shipment number, as sent.
	Number string
	// Limit bounds the documents returned; default 100, at most 500.
	Limit int
}

// SearchDocuments returns, across partners, oldest first, the documents
// whose number is p.Number (orders, shipments, returns) and the shipments
// that fill it (p.Number among their order_numbers). When a shipment has
// the number, the orders it fills and their other shipments come too, so
// that a shipment number finds its order's whole lifecycle. The indexes are
// documents_number and documents_shipment_orders.
func (s *Store) SearchDocuments(ctx context.Context, db DB, p *SearchDocumentsParams) ([]*Document, error) {
	rows, err := db.Query(ctx, `WITH direct AS (
			SELECT id FROM documents WHERE number = $1
			UNION
			SELECT id FROM documents
			WHERE type = 'shipment' AND (body::jsonb -> 'order_numbers') @> jsonb_build_array($1::text)
		), orders AS (
			SELECT DISTINCT o.value AS number FROM documents d JOIN direct USING (id),
				json_array_elements_text(CASE WHEN json_typeof(d.body -> 'order_numbers') = 'array'
					THEN d.body -> 'order_numbers' END) o
			WHERE d.type = 'shipment'
		), related AS (
			SELECT id FROM direct
			UNION
			SELECT d.id FROM documents d JOIN orders o ON d.number = o.number
			UNION
			SELECT d.id FROM documents d, orders o
			WHERE d.type = 'shipment' AND (d.body::jsonb -> 'order_numbers') @> jsonb_build_array(o.number)
		)
		SELECT `+documentColumns+` FROM documents WHERE id IN (SELECT id FROM related)
		ORDER BY created_at, id LIMIT $2`, p.Number, limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: searching documents numbered %.40q: %w", p.Number, err)
	}
	return collect(rows, scanDocument)
}
