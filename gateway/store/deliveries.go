package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Delivery statuses. Pending deliveries have a job; blocked ones wait for
// an earlier delivery of their chain and get a job when it ends; the
// others are final until retried.
const (
	DeliveryPending   = "pending"
	DeliveryBlocked   = "blocked"
	DeliveryDelivered = "delivered"
	DeliveryRejected  = "rejected"
	DeliveryDead      = "dead"
)

// Attempt outcomes.
const (
	OutcomeDelivered = "delivered"
	OutcomeRetry     = "retry"
	OutcomeRejected  = "rejected"
)

// Delivery is one document on its way to one destination.
type Delivery struct {
	ID             int64      `json:"id"`
	DocumentID     int64      `json:"document_id"`
	PartnerID      string     `json:"partner_id"`
	FileID         int64      `json:"file_id"`
	TransactionSeq int        `json:"transaction_seq"`
	Destination    string     `json:"destination"`
	Path           string     `json:"path"`
	ChainKey       string     `json:"chain_key"`
	Purpose        string     `json:"purpose,omitempty"`
	IdempotencyKey string     `json:"idempotency_key"`
	Status         string     `json:"status"`
	BlockedBy      *int64     `json:"blocked_by,omitempty"`
	Attempts       int        `json:"attempts"`
	MaxAttempts    int        `json:"max_attempts"`
	LastStatus     *int       `json:"last_status,omitempty"`
	LastError      string     `json:"last_error,omitempty"`
	NextAttemptAt  *time.Time `json:"next_attempt_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`
	// History is the delivery's attempts, oldest first, where asked for.
	History []*DeliveryAttempt `json:"history,omitempty"`
}

// DeliveryAttempt is one HTTP request of a delivery.
type DeliveryAttempt struct {
	Attempt    int       `json:"attempt"`
	StartedAt  time.Time `json:"started_at"`
	LatencyMS  float64   `json:"latency_ms"`
	StatusCode *int      `json:"status_code,omitempty"`
	Outcome    string    `json:"outcome"`
	Error      string    `json:"error,omitempty"`
}

const deliveryColumns = `id, document_id, partner_id, file_id, transaction_seq, destination, path, chain_key, purpose,
	idempotency_key, status, blocked_by, attempts, max_attempts, last_status, last_error, next_attempt_at, created_at,
	updated_at, delivered_at`

func scanDelivery(row pgx.Row) (*Delivery, error) {
	var d Delivery
	err := row.Scan(&d.ID, &d.DocumentID, &d.PartnerID, &d.FileID, &d.TransactionSeq, &d.Destination, &d.Path,
		&d.ChainKey, &d.Purpose, &d.IdempotencyKey, &d.Status, &d.BlockedBy, &d.Attempts, &d.MaxAttempts, &d.LastStatus,
		&d.LastError, &d.NextAttemptAt, &d.CreatedAt, &d.UpdatedAt, &d.DeliveredAt)
	if err != nil {
		return nil, notFound(err)
	}
	return &d, nil
}

// InsertDeliveries stores new deliveries. A document already on its way to
// a destination keeps its delivery; the result holds only the inserted
// ones, with their IDs, which need a job.
func (s *Store) InsertDeliveries(ctx context.Context, tx DB, ds []*Delivery) ([]*Delivery, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	var docs, files []int64
	var seqs, maxes []int32
	var partners, dests, paths, chains, purposes, keys []string
	for _, d := range ds {
		docs, files = append(docs, d.DocumentID), append(files, d.FileID)
		seqs, maxes = append(seqs, int32(d.TransactionSeq)), append(maxes, int32(d.MaxAttempts))
		partners, dests, paths = append(partners, d.PartnerID), append(dests, d.Destination), append(paths, d.Path)
		chains, purposes, keys = append(chains, d.ChainKey), append(purposes, d.Purpose), append(keys, d.IdempotencyKey)
	}
	rows, err := tx.Query(ctx, `INSERT INTO deliveries (document_id, file_id, transaction_seq, max_attempts, partner_id,
			destination, path, chain_key, purpose, idempotency_key, created_at, updated_at)
		SELECT *, $11::timestamptz, $11::timestamptz FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::int[],
			$5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
		ON CONFLICT DO NOTHING
		RETURNING `+deliveryColumns,
		docs, files, seqs, maxes, partners, dests, paths, chains, purposes, keys, s.Now())
	if err != nil {
		return nil, fmt.Errorf("store: queueing %d deliveries: %w", len(ds), err)
	}
	return collect(rows, scanDelivery)
}

// LockDelivery returns a delivery locked for update until tx ends, with
// the body of its document, or ErrNotFound.
func (s *Store) LockDelivery(ctx context.Context, tx DB, id int64) (*Delivery, []byte, error) {
	var body []byte
	d, err := scanDelivery(&withBody{tx.QueryRow(ctx, `SELECT `+deliveryColumns+`,
		(SELECT body FROM documents WHERE documents.id = document_id) FROM deliveries WHERE id = $1 FOR UPDATE`, id), &body})
	return d, body, err
}

// withBody scans a row of delivery columns followed by a body.
type withBody struct {
	row  pgx.Row
	body *[]byte
}

func (w *withBody) Scan(dest ...any) error { return w.row.Scan(append(dest, w.body)...) }

// GetDelivery returns a delivery with its history, or ErrNotFound.
func (s *Store) GetDelivery(ctx context.Context, db DB, id int64) (*Delivery, error) {
	d, err := scanDelivery(db.QueryRow(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE id = $1`, id))
	if err != nil {
		return nil, err
	}
	return d, s.withHistory(ctx, db, []*Delivery{d})
}

// OpenPredecessor returns the latest delivery of d's chain and destination
// received before d that is not delivered or rejected: the one d must wait
// for. It locks it FOR SHARE unless a worker holds it; inFlight reports that.
func (s *Store) OpenPredecessor(ctx context.Context, tx DB, d *Delivery) (id int64, found, inFlight bool, err error) {
	err = tx.QueryRow(ctx, `SELECT id FROM deliveries WHERE destination = $1 AND partner_id = $2 AND chain_key = $3
			AND status IN ('pending', 'blocked', 'dead') AND (file_id, transaction_seq) < ($4, $5)
		ORDER BY file_id DESC, transaction_seq DESC LIMIT 1`,
		d.Destination, d.PartnerID, d.ChainKey, d.FileID, d.TransactionSeq).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, false, nil
	}
	if err != nil {
		return 0, false, false, fmt.Errorf("store: predecessor of delivery %d: %w", d.ID, err)
	}
	var status string
	err = tx.QueryRow(ctx, `SELECT status FROM deliveries WHERE id = $1 FOR SHARE SKIP LOCKED`, id).Scan(&status)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return id, true, true, nil
	case err != nil:
		return 0, false, false, fmt.Errorf("store: predecessor of delivery %d: %w", d.ID, err)
	}
	return id, status != DeliveryDelivered && status != DeliveryRejected, false, nil
}

// UnprocessedBefore reports whether the partner has a file received before
// fileID, and after since, that is not processed yet.
func (s *Store) UnprocessedBefore(ctx context.Context, db DB, partnerID string, fileID int64, since time.Time) (bool, error) {
	var found bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM files WHERE partner_id = $1 AND id < $2
		AND status = 'received' AND received_at > $3)`, partnerID, fileID, since).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("store: unprocessed files of %s: %w", partnerID, err)
	}
	return found, nil
}

// BlockDelivery makes delivery id wait for delivery by.
func (s *Store) BlockDelivery(ctx context.Context, tx DB, id, by int64) error {
	_, err := tx.Exec(ctx, `UPDATE deliveries SET status = 'blocked', blocked_by = $2, updated_at = $3 WHERE id = $1`,
		id, by, s.Now())
	if err != nil {
		return fmt.Errorf("store: blocking delivery %d: %w", id, err)
	}
	return nil
}

// RecordAttemptParams is the outcome of one attempt of a delivery.
type RecordAttemptParams struct {
	Delivery   *Delivery
	StartedAt  time.Time
	Latency    time.Duration
	StatusCode int // 0 when no response came
	Outcome    string
	Error      string
	// Status is the delivery's new status; NextAttemptAt is set when it is
	// pending.
	Status        string
	NextAttemptAt *time.Time
}

// RecordAttempt stores an attempt and the delivery's new state. Once the
// delivery is delivered or rejected, the deliveries blocked on it are made
// pending and returned; each needs a job.
func (s *Store) RecordAttempt(ctx context.Context, tx DB, p *RecordAttemptParams) ([]*Delivery, error) {
	d := p.Delivery
	var code *int
	if p.StatusCode != 0 {
		code = &p.StatusCode
	}
	now := s.Now()
	var delivered *time.Time
	if p.Status == DeliveryDelivered {
		delivered = &now
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO delivery_attempts (delivery_id, attempt, started_at, latency_ms, status_code, outcome, error)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, d.ID, d.Attempts+1, p.StartedAt, float64(p.Latency.Microseconds())/1000,
		code, p.Outcome, p.Error)
	b.Queue(`UPDATE deliveries SET attempts = attempts + 1, status = $2, last_status = $3, last_error = $4,
		next_attempt_at = $5, updated_at = $6, delivered_at = $7 WHERE id = $1`,
		d.ID, p.Status, code, p.Error, p.NextAttemptAt, now, delivered)
	wake := p.Status == DeliveryDelivered || p.Status == DeliveryRejected
	if wake {
		b.Queue(`UPDATE deliveries SET status = 'pending', blocked_by = NULL, updated_at = $2
			WHERE blocked_by = $1 AND status = 'blocked' RETURNING `+deliveryColumns, d.ID, now)
	}
	br := tx.SendBatch(ctx, b)
	woken, err := recordResults(br, wake)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("store: recording attempt %d of delivery %d: %w", d.Attempts+1, d.ID, err)
	}
	return woken, nil
}

func recordResults(br pgx.BatchResults, wake bool) ([]*Delivery, error) {
	for range 2 {
		if _, err := br.Exec(); err != nil {
			return nil, err
		}
	}
	if !wake {
		return nil, nil
	}
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	return collect(rows, scanDelivery)
}

// DeliveryFilter selects deliveries; empty fields select all.
type DeliveryFilter struct {
	Status, Destination, PartnerID string
	// IDs, when not empty, selects these deliveries only.
	IDs []int64
}

const deliveryWhere = `($1 = '' OR status = $1) AND ($2 = '' OR destination = $2) AND ($3 = '' OR partner_id = $3)
	AND (coalesce(cardinality($4::bigint[]), 0) = 0 OR id = ANY($4))`

// ListDeliveriesParams filters and pages ListDeliveries.
type ListDeliveriesParams struct {
	DeliveryFilter
	// Before is the cursor: deliveries with smaller IDs; 0 starts at the
	// newest.
	Before int64
	Limit  int
}

// ListDeliveries returns deliveries newest first.
func (s *Store) ListDeliveries(ctx context.Context, db DB, p *ListDeliveriesParams) ([]*Delivery, error) {
	f := p.DeliveryFilter
	rows, err := db.Query(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE `+deliveryWhere+`
		AND ($5 = 0 OR id < $5) ORDER BY id DESC LIMIT $6`,
		f.Status, f.Destination, f.PartnerID, f.IDs, p.Before, limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: listing deliveries: %w", err)
	}
	return collect(rows, scanDelivery)
}

// DocumentDeliveries returns a document's deliveries with their history.
func (s *Store) DocumentDeliveries(ctx context.Context, db DB, documentID int64) ([]*Delivery, error) {
	rows, err := db.Query(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE document_id = $1 ORDER BY id`, documentID)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries of document %d: %w", documentID, err)
	}
	ds, err := collect(rows, scanDelivery)
	if err != nil {
		return nil, err
	}
	return ds, s.withHistory(ctx, db, ds)
}

func (s *Store) withHistory(ctx context.Context, db DB, ds []*Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	byID := make(map[int64]*Delivery, len(ds))
	ids := make([]int64, len(ds))
	for i, d := range ds {
		byID[d.ID], ids[i] = d, d.ID
	}
	rows, err := db.Query(ctx, `SELECT delivery_id, attempt, started_at, latency_ms, status_code, outcome, error
		FROM delivery_attempts WHERE delivery_id = ANY($1) ORDER BY delivery_id, attempt`, ids)
	if err != nil {
		return fmt.Errorf("store: delivery attempts: %w", err)
	}
	var id int64
	var a DeliveryAttempt
	_, err = pgx.ForEachRow(rows, []any{&id, &a.Attempt, &a.StartedAt, &a.LatencyMS, &a.StatusCode, &a.Outcome, &a.Error},
		func() error {
			at := a
			byID[id].History = append(byID[id].History, &at)
			return nil
		})
	if err != nil {
		return fmt.Errorf("store: delivery attempts: %w", err)
	}
	return nil
}

// RetryDeliveries makes the dead or rejected deliveries that f selects
// pending again, with budget more attempts, and returns them; each needs a
// job. Their blocked successors wait on until they are delivered.
func (s *Store) RetryDeliveries(ctx context.Context, tx DB, f DeliveryFilter, budget int) ([]*Delivery, error) {
	rows, err := tx.Query(ctx, `UPDATE deliveries SET status = 'pending', max_attempts = attempts + $5,
			next_attempt_at = NULL, updated_at = $6
		WHERE `+deliveryWhere+` AND status IN ('dead', 'rejected') RETURNING `+deliveryColumns,
		f.Status, f.Destination, f.PartnerID, f.IDs, budget, s.Now())
	if err != nil {
		return nil, fmt.Errorf("store: retrying deliveries: %w", err)
	}
	return collect(rows, scanDelivery)
}

// QueueHold adds to b what holds document id.
func (s *Store) QueueHold(b *pgx.Batch, id int64) {
	b.Queue(`UPDATE documents SET status = 'held' WHERE id = $1`, id)
}
