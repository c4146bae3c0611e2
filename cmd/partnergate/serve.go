package main

import (
	"context"
	"flag"
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
	partnersDir := fs.String("partners", "", "the partner configuration `DIR` (default: partners_dir of the config)")
	cfg, code, done := serviceConfig(fs, args)
	if done {
		return code
	}
	if *partnersDir != "" {
		cfg.PartnersDir = *partnersDir
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	err := gateway.Serve(ctx, cfg, gateway.ServeOpts{Logger: logger, Reload: forward(ctx, hup),
		Listening:     func(addr string) { fmt.Fprintf(stdout, "partnergate: serving on http://%s\n", addr) },
		SFTPListening: func(addr string) { fmt.Fprintf(stdout, "partnergate: SFTP on %s\n", addr) }})
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
	cfg, code, done := serviceConfig(fs, args)
	if done {
		return code
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

// serviceConfig adds --config to fs, parses args and loads the service
// configuration; done is true when the command must return code.
func serviceConfig(fs *flag.FlagSet, args []string) (cfg *gateway.Config, code int, done bool) {
	path := fs.String("config", "gateway.yaml", "the service configuration `FILE` (DATABASE_URL and PARTNERGATE_* win)")
	if code, done := parseFlags(fs, args); done {
		return nil, code, true
	}
	if fs.NArg() > 0 {
		return nil, usageError(fs, "unexpected arguments %q", fs.Args()), true
	}
	cfg, err := gateway.LoadConfig(*path, os.Getenv)
	if err != nil {
		fmt.Fprintf(fs.Output(), "%s: %v\n", fs.Name(), err)
		return nil, exitFail, true
	}
	return cfg, exitOK, false
}
