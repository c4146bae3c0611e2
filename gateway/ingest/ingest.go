// Package ingest is the gateway's ingest pipeline: Receive stores a
// partner's payload and commits it together with its processing job; the
// job reads the stored bytes back, validates and translates them with edi,
// applies the partner's configuration, and writes in one transaction what
// came of it: per-set results, canonical documents, exceptions and the
// acknowledgments for the partner's outbox.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// PartnerSet gives the partner configuration in force; *partners.Live is one.
type PartnerSet interface {
	Current() *partners.Set
}

// JobInserter inserts River jobs in a transaction; *river.Client[pgx.Tx] is one.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Identity is the gateway's own interchange address (ISA07/ISA08 of what
// partners send). An empty ID accepts any receiver.
type Identity struct {
	Qualifier, ID string
}

// Config is what a Pipeline needs. Every field but Logger and Metrics is required.
type Config struct {
	Pool     *pgxpool.Pool
	Store    *store.Store
	Partners PartnerSet
	Jobs     JobInserter
	Identity Identity
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Metrics, when set, counts what processing finds.
	Metrics *Metrics
	// Outbound, when set, is called in the transaction of each processing
	// run once the run's outbox items are written, to queue their delivery
	// to partners whose channel delivers (AS2).
	Outbound OutboundFunc
	// Forward, when set, is called in the transaction of each processing
	// run with each batch of documents just stored, their statuses final,
	// to queue their deliveries to the ERP and WMS.
	Forward ForwardFunc
}

// ForwardFunc queues the deliveries of docs, stored in tx, from partner.
type ForwardFunc func(ctx context.Context, tx pgx.Tx, partner *partners.Partner, docs []*store.Document) error

// OutboundFunc queues the delivery of a file's new outbox items to partner,
// in tx.
type OutboundFunc func(ctx context.Context, tx pgx.Tx, partner *partners.Partner, fileID int64) error

// Pipeline receives payloads and processes them.
type Pipeline struct {
	cfg Config
	log *slog.Logger
}

// New checks cfg and returns a Pipeline.
func New(cfg Config) (*Pipeline, error) {
	switch {
	case cfg.Pool == nil:
		return nil, errors.New("ingest: Config.Pool is required")
	case cfg.Store == nil:
		return nil, errors.New("ingest: Config.Store is required")
	case cfg.Partners == nil:
		return nil, errors.New("ingest: Config.Partners is required")
	case cfg.Jobs == nil:
		return nil, errors.New("ingest: Config.Jobs is required")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Pipeline{cfg: cfg, log: log}, nil
}

// ReceiveParams describes a payload arriving on a channel.
type ReceiveParams struct {
	PartnerID string
	Channel   string
	Filename  string
	Body      io.Reader
	// MaxBytes bounds the payload; 0 means no limit.
	MaxBytes int64
}

// Receive stores a payload and its processing job and commits both. Only a
// nil error means the payload is durable; the caller may then tell the
// sender it was received. Refused payloads wrap store.ErrEmpty or
// store.ErrTooLarge, and nothing of them is kept.
func (p *Pipeline) Receive(ctx context.Context, rp *ReceiveParams) (*store.File, error) {
	var f *store.File
	err := pgx.BeginFunc(ctx, p.cfg.Pool, func(tx pgx.Tx) error {
		var err error
		f, err = p.cfg.Store.InsertFile(ctx, tx, &store.InsertFileParams{
			PartnerID: rp.PartnerID, Channel: rp.Channel, Filename: rp.Filename, Body: rp.Body, MaxBytes: rp.MaxBytes,
		})
		if err != nil {
			return err
		}
		_, err = p.cfg.Jobs.InsertTx(ctx, tx, ProcessFileArgs{FileID: f.ID}, nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: receiving %q from %s over %s: %w", rp.Filename, rp.PartnerID, rp.Channel, err)
	}
	p.log.InfoContext(ctx, "file received", "file_id", f.ID, "partner", f.PartnerID, "channel", f.Channel,
		"filename", f.Filename, "size", f.Size)
	return f, nil
}

// Reprocess queues a new processing run of a stored file. The run replaces
// what earlier runs recorded and keeps the IDs of the documents it makes
// again, so reprocessing never duplicates a document.
func (p *Pipeline) Reprocess(ctx context.Context, fileID int64) error {
	return pgx.BeginFunc(ctx, p.cfg.Pool, func(tx pgx.Tx) error {
		if _, err := p.cfg.Store.LockFile(ctx, tx, fileID); err != nil {
			return fmt.Errorf("ingest: reprocessing file %d: %w", fileID, err)
		}
		_, err := p.cfg.Jobs.InsertTx(ctx, tx, ProcessFileArgs{FileID: fileID, Reprocess: true}, nil)
		return err
	})
}
