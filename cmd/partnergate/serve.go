package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/partnergate/partnergate/gateway"
	"github.com/partnergate/partnergate/gateway/store"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "--config FILE [--partners DIR]", stderr)
	configPath := fs.String("config", "gateway.yaml", "the service configuration `FILE`")
	partnersDir := fs.String("partners", "", "the partner configuration `DIR` (default: partners_dir of the config)")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected arguments %q", fs.Args())
	}
	cfg, err := gateway.LoadConfig(*configPath, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "partnergate serve: %v\n", err)
		return exitFail
	}
	if *partnersDir != "" {
		cfg.PartnersDir = *partnersDir
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	err = gateway.Serve(ctx, cfg, gateway.ServeOpts{Logger: logger, Reload: forward(ctx, hup),
		Listening: func(addr string) { fmt.Fprintf(stdout, "partnergate: serving on http://%s\n", addr) }})
	if err != nil {
		logger.Error("partnergate serve stopped", "error", err)
		return exitFail
	}
	return exitOK
}

// forward turns signals into reload requests until ctx is done.
func forward(ctx context.Context, sig <-chan os.Signal) <-chan struct{} {
	out := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-sig:
				select {
				case out <- struct{}{}:
				default:
				}
			}
		}
	}()
	return out
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("migrate", "[--config FILE]", stderr)
	configPath := fs.String("config", "gateway.yaml", "the service configuration `FILE`, for database_url (DATABASE_URL wins)")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected arguments %q", fs.Args())
	}
	cfg, err := gateway.LoadConfig(*configPath, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "partnergate migrate: %v\n", err)
		return exitFail
	}
	pool, err := store.Open(ctx, cfg.DatabaseURL, 0)
	if err != nil {
		fmt.Fprintf(stderr, "partnergate migrate: %v\n", err)
		return exitFail
	}
	defer pool.Close()
	if err := store.Migrate(ctx, pool); err != nil {
		fmt.Fprintf(stderr, "partnergate migrate: %v\n", err)
		return exitFail
	}
	fmt.Fprintln(stdout, "partnergate migrate: the database is up to date")
	return exitOK
}
