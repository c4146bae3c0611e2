package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Outbox kinds.
const (
	OutboxAck      = "ack"
	OutboxResult   = "result"
	OutboxDocument = "document"
)

// OutboxItem is something waiting for, or picked up by, a partner.
type OutboxItem struct {
	ID            int64      `json:"id"`
	PartnerID     string     `json:"-"`
	FileID        *int64     `json:"file_id,omitempty"`
	Kind          string     `json:"kind"`
	Type          string     `json:"type"`
	Filename      string     `json:"filename"`
	ControlNumber string     `json:"control_number,omitempty"`
	Size          int        `json:"size"`
	Body          []byte     `json:"-"`
	CreatedAt     time.Time  `json:"created_at"`
	PickedUpAt    *time.Time `json:"picked_up_at,omitempty"`
}

// QueueOutbox adds the insert of it to b.
func (s *Store) QueueOutbox(b *pgx.Batch, it *OutboxItem) {
	it.CreatedAt, it.Size = s.Now(), len(it.Body)
	b.Queue(`INSERT INTO outbox (partner_id, file_id, kind, type, filename, control_number, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		it.PartnerID, it.FileID, it.Kind, it.Type, it.Filename, it.ControlNumber, it.Body, it.CreatedAt)
}

const outboxColumns = `id, partner_id, file_id, kind, type, filename, control_number, octet_length(body), created_at, picked_up_at`

func scanOutbox(row pgx.Row) (*OutboxItem, error) {
	var it OutboxItem
	err := row.Scan(&it.ID, &it.PartnerID, &it.FileID, &it.Kind, &it.Type, &it.Filename, &it.ControlNumber,
		&it.Size, &it.CreatedAt, &it.PickedUpAt)
	if err != nil {
		return nil, notFound(err)
	}
	return &it, nil
}

// ListOutboxParams filters ListOutbox.
type ListOutboxParams struct {
	PartnerID string
	// FileID, when not 0, lists what a file caused, picked up or not.
	FileID int64
	// After is the cursor: items with larger IDs. Items come oldest first,
	// in the order a partner should pick them up.
	After int64
	Limit int
}

// ListOutbox returns a partner's items not yet picked up, or all the items
// of a file, without their bodies.
func (s *Store) ListOutbox(ctx context.Context, db DB, p *ListOutboxParams) ([]*OutboxItem, error) {
	q := `SELECT ` + outboxColumns + ` FROM outbox WHERE ($1 = '' OR partner_id = $1) AND picked_up_at IS NULL
		AND $2 = 0 AND id > $3 ORDER BY id LIMIT $4`
	if p.FileID != 0 {
		q = `SELECT ` + outboxColumns + ` FROM outbox WHERE ($1 = '' OR partner_id = $1) AND file_id = $2
		AND id > $3 ORDER BY id LIMIT $4`
	}
	rows, err := db.Query(ctx, q, p.PartnerID, p.FileID, p.After, limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: listing the outbox of %s: %w", p.PartnerID, err)
	}
	return collect(rows, scanOutbox)
}

// GetOutbox returns one of a partner's items with its body.
func (s *Store) GetOutbox(ctx context.Context, db DB, partnerID string, id int64) (*OutboxItem, error) {
	it, err := scanOutbox(db.QueryRow(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = $1 AND partner_id = $2`, id, partnerID))
	if err != nil {
		return nil, err
	}
	err = db.QueryRow(ctx, `SELECT body FROM outbox WHERE id = $1`, id).Scan(&it.Body)
	return it, notFound(err)
}

// PickUp marks one of a partner's items as picked up. Picking an item up
// twice is not an error.
func (s *Store) PickUp(ctx context.Context, db DB, partnerID string, id int64) error {
	tag, err := db.Exec(ctx, `UPDATE outbox SET picked_up_at = coalesce(picked_up_at, $3) WHERE id = $1 AND partner_id = $2`,
		id, partnerID, s.Now())
	if err != nil {
		return fmt.Errorf("store: outbox %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// controlBlock is the number of control numbers one nextval reserves; the
// sequences increment by it.
const controlBlock = 100

// controls hands out control numbers from reserved blocks.
type controls struct {
	mu   sync.Mutex
	next map[string][2]int64 // kind → [next, end)
}

// NextControl returns the next control number of a kind ("interchange",
// "group" or "set") for what the gateway sends. Numbers come from blocks
// reserved in the database, so they are unique across gateway processes
// but not gapless, and they are not returned when tx rolls back.
func (s *Store) NextControl(ctx context.Context, db DB, kind string) (int64, error) {
	seq, ok := map[string]string{"interchange": "ack_interchange_control", "group": "ack_group_control", "set": "ack_set_control"}[kind]
	if !ok {
		return 0, fmt.Errorf("store: no control number sequence for %q", kind)
	}
	c := &s.controls
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.next[kind]; r[0] < r[1] {
		c.next[kind] = [2]int64{r[0] + 1, r[1]}
		return r[0], nil
	}
	var n int64
	if err := db.QueryRow(ctx, `SELECT nextval($1::regclass)`, seq).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: next %s control number: %w", kind, err)
	}
	if c.next == nil {
		c.next = map[string][2]int64{}
	}
	c.next[kind] = [2]int64{n + 1, n + controlBlock}
	return n, nil
}
