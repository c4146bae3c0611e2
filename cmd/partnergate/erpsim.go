package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/partnergate/partnergate/outbound/erpsim"
)

// ruleFlags collects repeated --reject-field FIELD=VALUE flags.
type ruleFlags []erpsim.Rule

func (r *ruleFlags) String() string { return fmt.Sprint(*r) }

func (r *ruleFlags) Set(s string) error {
	rule, err := erpsim.ParseRule(s)
	if err == nil {
		*r = append(*r, rule)
	}
	return err
}

// runERPSim is "partnergate erpsim": an ERP/WMS simulator for trying and
// load-testing deliveries.
func runERPSim(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("erpsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:9000", "host:port to listen on")
	var opts erpsim.Options
	fs.Float64Var(&opts.FailRate, "fail-rate", 0, "share of requests, 0 to 1, answered 500 without applying them")
	fs.DurationVar(&opts.Latency, "latency", 0, "delay before every answer")
	fs.DurationVar(&opts.DownFor, "down-for", 0, "drop every connection unanswered for this long after start")
	var rules ruleFlags
	fs.Var(&rules, "reject-field", "answer 422 to documents whose FIELD (dotted JSON path, arrays searched) is VALUE: FIELD=VALUE; repeatable")
	tokenEnv := fs.String("token-env", "", "name of an environment variable holding the bearer token requests must present (default: none required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: partnergate erpsim [flags]")
		fmt.Fprintln(stderr, "\nAccepts canonical JSON documents POSTed on any path, applies each Idempotency-Key once")
		fmt.Fprintln(stderr, "(a repeat gets the first answer), injects the failures asked for and reports what it")
		fmt.Fprintln(stderr, "holds at GET "+erpsim.ReceivedPath+".")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 || opts.FailRate < 0 || opts.FailRate > 1 {
		fs.Usage()
		return exitUsage
	}
	opts.Reject = rules
	if *tokenEnv != "" {
		if opts.Bearer = os.Getenv(*tokenEnv); opts.Bearer == "" {
			fmt.Fprintf(stderr, "partnergate erpsim: --token-env: %s is not set\n", *tokenEnv)
			return exitUsage
		}
	}
	if err := serveSim(ctx, *listen, erpsim.New(opts), stdout); err != nil {
		fmt.Fprintln(stderr, "partnergate erpsim:", err)
		return exitFail
	}
	return exitOK
}

func serveSim(ctx context.Context, addr string, sim *erpsim.Sim, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "erpsim listening on http://%s (received: GET %s)\n", ln.Addr(), erpsim.ReceivedPath)
	go func() {
		<-ctx.Done()
		stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(stop)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
