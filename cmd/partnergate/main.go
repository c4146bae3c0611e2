// Command partnergate is the partnergate B2B gateway: one binary whose
// subcommands translate X12 files, generate benchmark input and (in later
// releases) run the service.
//
// Usage:
//
//	partnergate <command> [flags] [arguments]
//
// Run "partnergate help" for the list of commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/partnergate/partnergate/edi"
)

// exit codes shared by every command.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and failed (or, for translate, rejected input)
	exitUsage = 2 // bad command line
)

// runFunc runs one subcommand with the arguments after its name and returns
// the process exit code.
type runFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// command is one subcommand of the binary.
type command struct {
	name    string
	summary string
	run     runFunc
}

// commands lists the subcommands in the order help shows them. Add a
// subcommand by adding a row.
func commands() []command {
	return []command{
		{"serve", "run the gateway: HTTP API, ingest workers, partner configuration reload", runServe},
		{"migrate", "apply the database migrations", runMigrate},
		{"bench", "load-test a running gateway: bench ingest", runBench},
		{"as2", "AS2 tools: as2 send (send a file to a partner, print the MDN), as2 keygen (create a key pair)", runAS2},
		{"erpsim", "an ERP/WMS simulator to deliver documents to, with injected failures", runERPSim},
		{"translate", "validate and translate X12 files to canonical JSON, with acknowledgments", runTranslate},
		{"generate", "write a file of generated 850 purchase orders (benchmark input)", runGenerate},
		{"partners", "check the partner configuration files: partners validate [DIR]", runPartners},
		{"version", "print the version", runVersion},
		{"help", "show help for the binary or a command", runHelp},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches args[0] to its subcommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "partnergate: unknown command %q\n\n", name)
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "partnergate is a B2B partner gateway for X12 and CSV trading partners.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "\tpartnergate <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "\t%-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "partnergate help <command>" or "partnergate <command> -h" for a command's flags.`)
}

// runHelp prints the overview, or a command's flags.
func runHelp(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		usage(stdout)
		return exitOK
	case len(args) > 1:
		fmt.Fprintln(stderr, "usage: partnergate help [command]")
		return exitUsage
	case args[0] == "help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, []string{"-h"}, stdout, stdout)
		}
	}
	fmt.Fprintf(stderr, "partnergate help: unknown command %q\n", args[0])
	return exitUsage
}

// newFlagSet returns a FlagSet for a subcommand whose messages go to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("partnergate "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: partnergate %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; done is true when the command must return code
// (after -h, or on a usage error, already reported).
func parseFlags(fs *flag.FlagSet, args []string) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, false
	case errors.Is(err, flag.ErrHelp):
		return exitOK, true
	default:
		return exitUsage, true
	}
}

// usageError reports a usage error of fs's command and returns exitUsage.
func usageError(fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(fs.Output(), "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitUsage
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", "", stderr)
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected arguments %q", fs.Args())
	}
	fmt.Fprintln(stdout, versionString())
	return exitOK
}

// versionString describes the build from the information the go command
// stamps into the binary.
func versionString() string {
	v, extra := "(unknown)", []string{runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v = bi.Main.Version
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if modified == "true" {
				rev += "+dirty"
			}
			extra = append(extra, "commit "+rev)
		}
	}
	return fmt.Sprintf("partnergate %s (%s)", v, strings.Join(extra, ", "))
}

func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("generate", "--size SIZE [--release 004010|005010] [--seed N] [-o FILE]", stderr)
	sizeFlag := fs.String("size", "", "`SIZE` to reach: bytes, or with a unit KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024); required")
	release := fs.String("release", "004010", "X12 `release` written in GS08: 004010 or 005010")
	seed := fs.Int64("seed", 1, "seed of the pseudo-random data; the same seed gives the same bytes")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected arguments %q", fs.Args())
	}
	if *sizeFlag == "" {
		return usageError(fs, "--size is required")
	}
	size, err := parseSize(*sizeFlag)
	if err != nil {
		return usageError(fs, "--size: %v", err)
	}
	if *release != "004010" && *release != "005010" {
		return usageError(fs, "--release %q: use 004010 or 005010", *release)
	}

	w, name := stdout, "standard output"
	var f *os.File
	if *out != "" && *out != "-" {
		f, err = os.Create(*out)
		if err != nil {
			fmt.Fprintf(stderr, "partnergate generate: %v\n", err)
			return exitFail
		}
		w, name = f, *out
	}
	start := time.Now()
	st, err := edi.GenerateToSize(ctxWriter{ctx, w}, size, &edi.GenerateOpts{Release: *release, Seed: *seed})
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(*out) // a partial file is of no use
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "partnergate generate: interrupted after %d bytes\n", st.Bytes)
		} else {
			fmt.Fprintf(stderr, "partnergate generate: %v\n", err)
		}
		return exitFail
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stderr, "partnergate generate: wrote %d bytes to %s: %d interchanges, %d groups, %d sets (850), %d lines in %v (%.0f MB/s)\n",
		st.Bytes, name, st.Interchanges, st.Groups, st.Sets, st.Lines, elapsed.Round(time.Millisecond),
		float64(st.Bytes)/1e6/max(elapsed.Seconds(), 1e-9))
	return exitOK
}

// ctxWriter fails writes once ctx is done, so a long generate stops on
// SIGINT or SIGTERM.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// parseSize reads a byte count such as 200KB, 50MB, 1GB, 64MiB or 1000.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1},
	}
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if len(num) > len(u.suffix) && strings.EqualFold(num[len(num)-len(u.suffix):], u.suffix) {
			num, mult = strings.TrimSpace(num[:len(num)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive size such as 200KB, 50MB, 1GB or a number of bytes", s)
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n * mult, nil
}
