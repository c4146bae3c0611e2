package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/partnergate/partnergate/gateway/delivery"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/review"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/partners"
)

// AppConfig is what NewApp needs. Pool and Partners are required.
type AppConfig struct {
	Pool     *pgxpool.Pool
	Partners *partners.Live
	Identity ingest.Identity
	// Workers is how many files are processed at once. Default 10.
	Workers int
	// RescueAfter is how long a processing job may run; after that it is
	// cancelled, or, when its process died, handed to another worker.
	// Default 5 minutes.
	RescueAfter time.Duration
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Outbound queues deliveries of outbox items; see ingest.Config.
	Outbound ingest.OutboundFunc
	// Destinations and Routes are where documents are delivered; without
	// destinations nothing is.
	Destinations []*outbound.Destination
	Routes       []outbound.Route
}

// App is the gateway's core without its listeners: the store, the partner
// configuration, the ingest pipeline and the River client that runs it.
type App struct {
	Pool     *pgxpool.Pool
	Store    *store.Store
	Partners *partners.Live
	Pipeline *ingest.Pipeline
	River    *river.Client[pgx.Tx]
	Registry *prometheus.Registry
	// Workers are the River workers; a service registers its own before
	// Start (the AS2 endpoint's MDN sender, for one).
	Workers *river.Workers
	Logger  *slog.Logger
	// Forwarder delivers documents to the ERP and WMS; nil without
	// destinations.
	Forwarder *delivery.Forwarder
	// Reviewer carries out staff actions on the exception queue.
	Reviewer *review.Reviewer
}

// NewApp wires an App; Start starts its workers. The database must be migrated.
func NewApp(cfg AppConfig) (*App, error) {
	if cfg.Pool == nil || cfg.Partners == nil {
		return nil, errors.New("gateway: AppConfig.Pool and AppConfig.Partners are required")
	}
	a := &App{Pool: cfg.Pool, Store: store.New(cfg.Now), Partners: cfg.Partners, Logger: cfg.Logger,
		Registry: prometheus.NewRegistry()}
	if a.Logger == nil {
		a.Logger = slog.Default()
	}
	a.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	workers := river.NewWorkers()
	rescue := or(cfg.RescueAfter, 5*time.Minute)
	var err error
	a.River, err = river.NewClient(riverpgxv5.New(cfg.Pool), &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: or(cfg.Workers, 10)}},
		Workers:              workers,
		RescueStuckJobsAfter: rescue,
		JobTimeout:           rescue,
		FetchCooldown:        10 * time.Millisecond,
		FetchPollInterval:    time.Second,
		Logger:               a.Logger.With("component", "river"),
	})
	if err != nil {
		return nil, fmt.Errorf("gateway: job client: %w", err)
	}
	icfg := ingest.Config{Pool: cfg.Pool, Store: a.Store, Partners: cfg.Partners, Jobs: a.River,
		Identity: cfg.Identity, Logger: a.Logger, Metrics: ingest.NewMetrics(a.Registry), Outbound: cfg.Outbound}
	if len(cfg.Destinations) > 0 {
		if a.Forwarder, err = a.newForwarder(cfg, workers); err != nil {
			return nil, err
		}
		icfg.Forward = a.Forwarder.Queue
	}
	a.Pipeline, err = ingest.New(icfg)
	if err != nil {
		return nil, err
	}
	river.AddWorker(workers, &ingest.Worker{Pipeline: a.Pipeline, MaxRun: rescue})
	if err := a.newReviewer(cfg); err != nil {
		return nil, err
	}
	a.Workers = workers
	return a, nil
}

func (a *App) newForwarder(cfg AppConfig, workers *river.Workers) (*delivery.Forwarder, error) {
	perHost := 0
	for _, d := range cfg.Destinations {
		perHost = max(perHost, d.Concurrency)
	}
	f, err := delivery.New(delivery.Config{Store: a.Store, DB: a.Pool, Client: outbound.NewClient(perHost),
		Destinations: cfg.Destinations, Routes: cfg.Routes, Logger: a.Logger.With("component", "delivery"),
		Metrics: delivery.NewMetrics(a.Registry)})
	if err != nil {
		return nil, err
	}
	f.Jobs = a.River
	f.Workers(workers)
	if err := f.AddQueues(a.River); err != nil {
		return nil, err
	}
	return f, nil
}

func (a *App) newReviewer(cfg AppConfig) error {
	rc := review.Config{Store: a.Store, DB: a.Pool, Jobs: a.River, Partners: a.Partners, Outbound: cfg.Outbound,
		Logger: a.Logger.With("component", "review")}
	if a.Forwarder != nil {
		rc.Forwarder = a.Forwarder
	}
	var err error
	if a.Reviewer, err = review.New(rc); err != nil {
		return err
	}
	return review.RegisterMetrics(a.Registry, a.Store, a.Pool)
}

// Start starts processing jobs.
func (a *App) Start(ctx context.Context) error {
	if err := a.River.Start(ctx); err != nil {
		return fmt.Errorf("gateway: starting the job client: %w", err)
	}
	return nil
}

// Stop lets running jobs finish, until ctx is done.
func (a *App) Stop(ctx context.Context) error {
	return a.River.Stop(ctx)
}

// Ready reports whether the database answers and is migrated.
func (a *App) Ready(ctx context.Context) error {
	ok, err := store.Migrated(ctx, a.Pool)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("the database is not migrated")
	}
	return nil
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
