// Package delivery runs the deliveries of canonical documents to the ERP
// and WMS: it routes each accepted document to its destinations in the
// transaction that stores it, then works one River job per delivery, which
// POSTs the document with its idempotency key, keeps deliveries of one
// business document in order of receipt, retries with backoff and
// dead-letters after the last attempt.
package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/partners"
)

// Exception checks raised by deliveries.
const (
	CheckRejected = "delivery_rejected"
	CheckFailed   = "delivery_failed"
)

// DB is the database: a pool, for its transactions.
type DB interface {
	store.DB
	Begin(ctx context.Context) (pgx.Tx, error)
}

// JobInserter inserts River jobs in a transaction; *river.Client[pgx.Tx]
// is one.
type JobInserter interface {
	InsertManyFastTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) (int, error)
}

// Config is what New needs. Store, DB and Client are required.
type Config struct {
	Store        *store.Store
	DB           DB
	Client       *outbound.Client
	Destinations []*outbound.Destination
	// Routes are the global routes; a partner's own routes
	// (partners.Partner.Routes) override them for what they match.
	Routes []outbound.Route
	// OrderWait bounds how long a change or cancel waits for the partner's
	// earlier files to be processed: a file received longer ago that is
	// still not processed no longer holds it up. Default 1 hour.
	OrderWait time.Duration
	Logger    *slog.Logger
	Metrics   *Metrics
}

// Forwarder queues and works deliveries.
type Forwarder struct {
	cfg   Config
	dests map[string]*outbound.Destination
	// Jobs inserts the jobs of deliveries; set it before the first Queue
	// or Retry (the River client is made after the workers).
	Jobs JobInserter
}

// New checks cfg and returns a Forwarder.
func New(cfg Config) (*Forwarder, error) {
	if cfg.Store == nil || cfg.DB == nil || cfg.Client == nil {
		return nil, errors.New("delivery: Config.Store, DB and Client are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.OrderWait == 0 {
		cfg.OrderWait = time.Hour
	}
	f := &Forwarder{cfg: cfg, dests: map[string]*outbound.Destination{}}
	for _, d := range cfg.Destinations {
		f.dests[d.Name] = d
	}
	for i, r := range cfg.Routes {
		if err := r.Validate(f.known); err != nil {
			return nil, fmt.Errorf("delivery: routes[%d]: %w", i, err)
		}
	}
	return f, nil
}

func (f *Forwarder) known(name string) bool { return f.dests[name] != nil }

// Destinations returns the configured destinations.
func (f *Forwarder) Destinations() []*outbound.Destination { return f.cfg.Destinations }

// Args is the job of one delivery.
type Args struct {
	DeliveryID  int64  `json:"delivery_id"`
	Destination string `json:"destination"`
}

// Kind implements river.JobArgs.
func (Args) Kind() string { return "deliver" }

// jobAttempts bounds the job's own retries, which only database errors
// and crashes cause: a delivery's HTTP attempts are counted and spaced by
// the delivery itself, with snoozes.
const jobAttempts = 25

// InsertOpts puts the job in its destination's queue.
func (a Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue(a.Destination), MaxAttempts: jobAttempts}
}

// Queue is the River queue of a destination's deliveries; its MaxWorkers
// is the destination's concurrency.
func Queue(destination string) string { return "deliver_" + destination }

// Queue routes the accepted documents among docs, just stored in tx, to
// their destinations and queues their deliveries and jobs in tx. Documents
// that already have a delivery to a destination keep it.
func (f *Forwarder) Queue(ctx context.Context, tx pgx.Tx, p *partners.Partner, docs []*store.Document) error {
	var ds []*store.Delivery
	var unrouted []*store.Exception
	for _, doc := range docs {
		if doc.Status != store.DocumentAccepted {
			continue
		}
		if doc.Purpose == "" {
			doc.Purpose = purposeOf(doc.Body)
		}
		info := outbound.DocumentInfo{Type: doc.Type, Kind: doc.Kind, Partner: doc.PartnerID, Purpose: doc.Purpose}
		for _, r := range outbound.Select(f.cfg.Routes, partnerRoutes(p), info) {
			dest := f.dests[r.Destination]
			if dest == nil {
				unrouted = append(unrouted, unroutedException(doc, r.Destination))
				continue
			}
			ds = append(ds, f.newDelivery(doc, dest, r.Path))
		}
	}
	if err := f.holdUnrouted(ctx, tx, unrouted); err != nil {
		return err
	}
	inserted, err := f.cfg.Store.InsertDeliveries(ctx, tx, ds)
	if err != nil {
		return err
	}
	return insertJobs(ctx, tx, f.Jobs, inserted)
}

// CheckUnrouted names the exception of a document routed by its
// partner's routes to a destination the gateway does not configure.
const CheckUnrouted = "delivery_unrouted"

func unroutedException(doc *store.Document, dest string) *store.Exception {
	return &store.Exception{PartnerID: doc.PartnerID, FileID: &doc.FileID, DocumentID: &doc.ID,
		TransactionSeq: &doc.TransactionSeq, Check: CheckUnrouted, Severity: store.SeverityError, Action: store.ActionHold,
		Message: fmt.Sprintf("the routes of partner %s send %s %s to destination %q, which gateway.yaml does not configure; "+
			"the document is held until it is released after the configuration is fixed", doc.PartnerID, doc.Type, doc.Number, dest)}
}

// holdUnrouted holds the documents of es and records the exceptions.
func (f *Forwarder) holdUnrouted(ctx context.Context, tx pgx.Tx, es []*store.Exception) error {
	if len(es) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, e := range es {
		f.cfg.Store.QueueException(b, e)
		f.cfg.Store.QueueHold(b, *e.DocumentID)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("delivery: holding %d unrouted documents: %w", len(es), err)
	}
	f.cfg.Logger.ErrorContext(ctx, "documents routed to a destination that is not configured; held",
		"partner", es[0].PartnerID, "documents", len(es), "exception", es[0].Message)
	return nil
}

// purposeOf reads the purpose of a stored document (one read back from
// the database, not fresh from processing), original when it has none.
func purposeOf(body []byte) string {
	var d struct {
		Purpose string `json:"purpose"`
	}
	if json.Unmarshal(body, &d) != nil || d.Purpose == "" {
		return canonical.PurposeOriginal
	}
	return d.Purpose
}

func partnerRoutes(p *partners.Partner) []outbound.Route {
	if p == nil {
		return nil
	}
	return p.Routes
}

func (f *Forwarder) newDelivery(doc *store.Document, dest *outbound.Destination, path string) *store.Delivery {
	return &store.Delivery{
		DocumentID: doc.ID, PartnerID: doc.PartnerID, FileID: doc.FileID, TransactionSeq: doc.TransactionSeq,
		Destination: dest.Name, Path: path, ChainKey: doc.Type + "/" + doc.Kind + "/" + doc.Number, Purpose: doc.Purpose,
		IdempotencyKey: IdempotencyKey(doc.ID, dest.Name), MaxAttempts: dest.MaxAttempts,
	}
}

// IdempotencyKey is the Idempotency-Key of a document's delivery to a
// destination: the same at every attempt and every replay.
func IdempotencyKey(documentID int64, destination string) string {
	return "partnergate-document-" + strconv.FormatInt(documentID, 10) + "-" + destination
}

func insertJobs(ctx context.Context, tx pgx.Tx, jobs JobInserter, ds []*store.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(ds))
	for i, d := range ds {
		params[i] = river.InsertManyParams{Args: Args{DeliveryID: d.ID, Destination: d.Destination}}
	}
	if _, err := jobs.InsertManyFastTx(ctx, tx, params); err != nil {
		return fmt.Errorf("delivery: queueing %d delivery jobs: %w", len(ds), err)
	}
	return nil
}

// Retry makes the dead or rejected deliveries that filter selects pending
// again, each with its destination's max_attempts more attempts, and
// returns them. Deliveries to a destination no longer configured stay.
func (f *Forwarder) Retry(ctx context.Context, filter store.DeliveryFilter) ([]*store.Delivery, error) {
	tx, err := f.cfg.DB.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("delivery: retry: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var all []*store.Delivery
	for _, dest := range f.cfg.Destinations {
		if filter.Destination != "" && filter.Destination != dest.Name {
			continue
		}
		fl := filter
		fl.Destination = dest.Name
		ds, err := f.cfg.Store.RetryDeliveries(ctx, tx, fl, dest.MaxAttempts)
		if err != nil {
			return nil, err
		}
		all = append(all, ds...)
	}
	if err := insertJobs(ctx, tx, f.Jobs, all); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("delivery: retry: %w", err)
	}
	return all, nil
}
