package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/partnergate/partnergate/gateway/as2"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/poller"
	"github.com/partnergate/partnergate/gateway/sftpd"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/gateway/web"
	"github.com/partnergate/partnergate/partners"
)

// ServeOpts are the parts of Serve that come from the process, not the
// configuration.
type ServeOpts struct {
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Reload, when set, reloads the partner configuration on each receive
	// (the command wires SIGHUP to it).
	Reload <-chan struct{}
	// Listening, when set, is called with the HTTP address once it accepts
	// connections; SFTPListening likewise with the SFTP address.
	Listening     func(addr string)
	SFTPListening func(addr string)
}

// Serve runs the gateway until ctx is done: it connects to the database,
// migrates it, loads the partners, starts the job workers, watches the
// partner folder, polls the partners' own SFTP servers and serves HTTP and,
// when configured, SFTP. On the way out
// it stops accepting connections, lets running jobs finish for up to 30
// seconds, and returns. A listener that fails stops the others.
func Serve(ctx context.Context, cfg *Config, opts ServeOpts) error {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	// Every worker holds a connection for its run, and so does each remote
	// SFTP poll for its lock and each delivery in flight; requests need the
	// rest.
	conns := cfg.Jobs.Workers + pollers + 16
	for _, d := range cfg.Destinations {
		conns += d.Concurrency
	}
	pool, err := store.Open(ctx, cfg.DatabaseURL, int32(conns))
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := store.Migrate(ctx, pool); err != nil {
		return err
	}
	// The first burst of work after the start need not wait for
	// PostgreSQL to start a backend per connection.
	if err := store.WarmUp(ctx, pool, cfg.Jobs.Workers); err != nil {
		return err
	}
	live, err := partners.NewLive(cfg.PartnersDir, log.With("component", "partners"))
	if err != nil {
		return fmt.Errorf("gateway: partners: %w", err)
	}
	appCfg := AppConfig{Pool: pool, Partners: live, Logger: log, Workers: cfg.Jobs.Workers,
		Destinations: cfg.Destinations, Routes: cfg.Routes,
		RescueAfter: cfg.Jobs.RescueAfter, Identity: ingest.Identity{Qualifier: cfg.X12.Qualifier, ID: cfg.X12.ID}}
	delivery := &as2Delivery{}
	if cfg.AS2.ID != "" {
		appCfg.Outbound = delivery.queue
	}
	app, err := NewApp(appCfg)
	if err != nil {
		return err
	}
	delivery.jobs, delivery.store = app.River, app.Store
	services, err := listen(app, cfg, opts)
	if err != nil {
		return err
	}
	if err := app.Start(ctx); err != nil {
		return err
	}
	go watchPartners(ctx, live, opts.Reload, log)
	runErr := run(ctx, services)
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return errors.Join(runErr, app.Stop(stop))
}

// pollers is how many partner servers are polled at once.
const pollers = 4

// service is one of the gateway's listeners or loops; it runs until ctx is
// done.
type service func(ctx context.Context) error

// listen makes the services of cfg, opening their listeners first so that
// a port in use fails the start.
func listen(app *App, cfg *Config, opts ServeOpts) ([]service, error) {
	deps, err := withDashboard(webDeps(app, cfg), app, cfg)
	if err != nil {
		return nil, err
	}
	handler, err := web.New(deps)
	if err != nil {
		return nil, err
	}
	as2h, err := as2Handler(app, cfg)
	if err != nil {
		return nil, err
	}
	if as2h != nil && cfg.AS2.Listen == "" {
		handler = withAS2(handler, as2h)
	}
	httpLn, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		return nil, fmt.Errorf("gateway: http.listen %s: %w", cfg.HTTP.Listen, err)
	}
	pl, err := poller.New(poller.Config{Partners: app.Partners, Store: app.Store, Pool: app.Pool, Pipeline: app.Pipeline,
		MaxBytes: cfg.Limits.MaxUploadBytes, Logger: app.Logger, Concurrency: pollers})
	if err != nil {
		httpLn.Close()
		return nil, err
	}
	services := []service{
		func(ctx context.Context) error { return serveHTTP(ctx, httpLn, handler, opts.Listening, app.Logger) },
		pl.Run,
	}
	if as2h != nil && cfg.AS2.Listen != "" {
		as2Ln, err := net.Listen("tcp", cfg.AS2.Listen)
		if err != nil {
			httpLn.Close()
			return nil, fmt.Errorf("gateway: as2.listen %s: %w", cfg.AS2.Listen, err)
		}
		services = append(services, func(ctx context.Context) error {
			return serveHTTP(ctx, as2Ln, withAS2(http.NotFoundHandler(), as2h), nil, app.Logger)
		})
	}
	if cfg.SFTP.Listen == "" {
		return services, nil
	}
	sftp, err := listenSFTP(app, cfg, opts)
	if err != nil {
		httpLn.Close()
		return nil, err
	}
	return append(services, sftp), nil
}

// as2Handler returns the AS2 endpoint, or nil when as2 is not configured.
func as2Handler(app *App, cfg *Config) (http.Handler, error) {
	if cfg.AS2.ID == "" {
		return nil, nil
	}
	keys := make([]as2.Key, len(cfg.AS2.Keys))
	for i, k := range cfg.AS2.Keys {
		keys[i] = as2.Key{Cert: k.Cert, Key: k.Signer}
	}
	h, err := as2.New(as2.Config{Partners: app.Partners, Store: app.Store, DB: app.Pool, Pipeline: app.Pipeline,
		ID: cfg.AS2.ID, Keys: keys, MaxBytes: cfg.Limits.MaxUploadBytes, Logger: app.Logger, Jobs: app.River,
		MDNTimeout: cfg.AS2.MDNTimeout})
	if err != nil {
		return nil, err
	}
	river.AddWorker(app.Workers, h.Worker())
	as2.WarnExpiring(context.Background(), app.Logger, keys, time.Now())
	if err := app.Registry.Register(as2.CertificateExpiry(keys)); err != nil {
		return nil, fmt.Errorf("gateway: the AS2 certificate metric: %w", err)
	}
	sender, err := as2.NewSender(as2.SenderConfig{ID: cfg.AS2.ID, Key: keys[0], Partners: app.Partners, Store: app.Store,
		DB: app.Pool, Logger: app.Logger, ReceiptURL: cfg.AS2.PublicURL, MDNWait: cfg.AS2.MDNWait})
	if err != nil {
		return nil, err
	}
	w, err := sender.Worker()
	if err != nil {
		return nil, err
	}
	river.AddWorker(app.Workers, w)
	// MDNs and deliveries have their own queues: slow partner servers must
	// not hold up file processing.
	for _, q := range []string{as2.QueueMDN, as2.QueueSend} {
		if err := app.River.Queues().Add(q, river.QueueConfig{MaxWorkers: 10}); err != nil {
			return nil, fmt.Errorf("gateway: the AS2 queue %s: %w", q, err)
		}
	}
	return h, nil
}

// as2Delivery queues the outbox items of partners with an AS2 URL for the
// AS2 sender. Its fields are set once the App exists, before it starts.
type as2Delivery struct {
	jobs  ingest.JobInserter
	store *store.Store
}

func (d *as2Delivery) queue(ctx context.Context, tx pgx.Tx, p *partners.Partner, fileID int64) error {
	if p.Channels.AS2 == nil || p.Channels.AS2.URL == "" {
		return nil
	}
	items, err := d.store.ListOutbox(ctx, tx, &store.ListOutboxParams{PartnerID: p.ID, FileID: fileID})
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.PickedUpAt != nil {
			continue
		}
		if _, err := d.jobs.InsertTx(ctx, tx, as2.SendAS2Args{OutboxID: it.ID}, nil); err != nil {
			return fmt.Errorf("queueing outbox item %d for AS2: %w", it.ID, err)
		}
	}
	return nil
}

// withAS2 serves POST /as2 with as2h and everything else with h.
func withAS2(h, as2h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /as2", as2h)
	mux.Handle("/", h)
	return mux
}

func listenSFTP(app *App, cfg *Config, opts ServeOpts) (service, error) {
	keys, err := sftpd.LoadOrCreateHostKeys(cfg.SFTP.HostKeys)
	if err != nil {
		return nil, err
	}
	srv, err := sftpd.New(sftpd.Config{Partners: app.Partners, Store: app.Store, DB: app.Pool, Pipeline: app.Pipeline,
		HostKeys: keys, MaxUploadBytes: cfg.Limits.MaxUploadBytes, Logger: app.Logger})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.SFTP.Listen)
	if err != nil {
		return nil, fmt.Errorf("gateway: sftp.listen %s: %w", cfg.SFTP.Listen, err)
	}
	if opts.SFTPListening != nil {
		opts.SFTPListening(ln.Addr().String())
	}
	return func(ctx context.Context) error { return srv.Serve(ctx, ln) }, nil
}

// run runs every service until ctx is done or one of them fails, then
// stops the others and returns their errors.
func run(ctx context.Context, services []service) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(services))
	for _, svc := range services {
		go func() {
			err := svc(ctx)
			cancel()
			errs <- err
		}()
	}
	var all []error
	for range services {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}

func webDeps(app *App, cfg *Config) web.Deps {
	d := web.Deps{
		Store: app.Store, DB: app.Pool, Pipeline: app.Pipeline, Partners: app.Partners,
		Staff:          staffBy(cfg.StaffByToken),
		MaxUploadBytes: cfg.Limits.MaxUploadBytes, Gatherer: app.Registry, Registerer: app.Registry,
		Ready: app.Ready, Logger: app.Logger, Reviewer: app.Reviewer,
	}
	if app.Forwarder != nil {
		d.Deliveries = app.Forwarder
	}
	return d
}

// watchPartners reloads the partner configuration when its files change and
// on each reload request, until ctx is done. A failed reload keeps the last
// good configuration; Live logs it and keeps it in its status.
func watchPartners(ctx context.Context, live *partners.Live, reload <-chan struct{}, log *slog.Logger) {
	go func() {
		if err := live.Watch(ctx); err != nil && ctx.Err() == nil {
			log.Error("watching the partner configuration failed; reload with SIGHUP", "error", err)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-reload:
			if err := live.Reload(); err == nil {
				log.Info("partner configuration reloaded", "version", live.Status().Version)
			}
		}
	}
}

func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, listening func(string), log *slog.Logger) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	log.Info("serving HTTP", "addr", ln.Addr().String())
	if listening != nil {
		listening(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("gateway: http: %w", err)
	case <-ctx.Done():
	}
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	return srv.Shutdown(stop)
}
