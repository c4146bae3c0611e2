package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/partnergate/partnergate/gateway/ingest"
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
	// connections.
	Listening func(addr string)
}

// Serve runs the gateway until ctx is done: it connects to the database,
// migrates it, loads the partners, starts the job workers, watches the
// partner folder and serves HTTP. On the way out it stops accepting
// requests, lets running jobs finish for up to 30 seconds, and returns.
func Serve(ctx context.Context, cfg *Config, opts ServeOpts) error {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	// Every worker holds a connection for its run; requests need the rest.
	pool, err := store.Open(ctx, cfg.DatabaseURL, int32(cfg.Jobs.Workers+16))
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := store.Migrate(ctx, pool); err != nil {
		return err
	}
	live, err := partners.NewLive(cfg.PartnersDir, log.With("component", "partners"))
	if err != nil {
		return fmt.Errorf("gateway: partners: %w", err)
	}
	app, err := NewApp(AppConfig{Pool: pool, Partners: live, Logger: log, Workers: cfg.Jobs.Workers,
		RescueAfter: cfg.Jobs.RescueAfter, Identity: ingest.Identity{Qualifier: cfg.X12.Qualifier, ID: cfg.X12.ID}})
	if err != nil {
		return err
	}
	handler, err := web.New(webDeps(app, cfg))
	if err != nil {
		return err
	}
	if err := app.Start(ctx); err != nil {
		return err
	}
	go watchPartners(ctx, live, opts.Reload, log)
	serveErr := serveHTTP(ctx, cfg.HTTP.Listen, handler, opts.Listening, log)
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return errors.Join(serveErr, app.Stop(stop))
}

func webDeps(app *App, cfg *Config) web.Deps {
	return web.Deps{
		Store: app.Store, DB: app.Pool, Pipeline: app.Pipeline, Partners: app.Partners,
		Staff: func(token string) (web.Staff, bool) {
			s, ok := cfg.StaffByToken(token)
			if !ok {
				return web.Staff{}, false
			}
			return web.Staff{Name: s.Name, Role: s.Role}, true
		},
		MaxUploadBytes: cfg.Limits.MaxUploadBytes, Gatherer: app.Registry, Registerer: app.Registry,
		Ready: app.Ready, Logger: app.Logger,
	}
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

func serveHTTP(ctx context.Context, addr string, h http.Handler, listening func(string), log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("gateway: http.listen %s: %w", addr, err)
	}
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
