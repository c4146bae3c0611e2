// Package gatewaytest runs a gateway App for tests: a fresh database, a
// partner configuration folder written by the test, and River workers.
package gatewaytest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnergate/partnergate/gateway"
	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/partners"
)

// Env is a running App and what it was made from.
type Env struct {
	App         *gateway.App
	DatabaseURL string
	PartnersDir string
}

// Partner describes a partner file to write. Empty fields get defaults.
type Partner struct {
	ID         string   // default "acme-retail"
	Sender     string   // ISA06 under qualifier ZZ, default "ACMERETAIL"
	Key        string   // plain API key, default "key-" + ID
	Accept     []string // default 850, 856
	Ack        string   // default auto
	TA1        string   // default on_request
	Duplicates string   // YAML flow mapping, e.g. "{document: reject}"; default none
	// Extra is YAML appended to the file as it is, e.g. a csv: list.
	Extra string
}

// YAML renders p as a partner file.
func (p Partner) YAML() string {
	p = p.withDefaults()
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\nname: %s\nstatus: active\n", p.ID, p.ID)
	fmt.Fprintf(&b, "x12:\n  ids: [{qualifier: ZZ, id: %s}]\n  accept: [%s]\n  ack: %q\n  ta1: %s\n",
		p.Sender, quoteAll(p.Accept), p.Ack, p.TA1)
	fmt.Fprintf(&b, "channels:\n  api: {keys: [%q]}\n", Hash(p.Key))
	if p.Duplicates != "" {
		fmt.Fprintf(&b, "duplicates: %s\n", p.Duplicates)
	}
	b.WriteString(p.Extra)
	return b.String()
}

func (p Partner) withDefaults() Partner {
	p.ID = or(p.ID, "acme-retail")
	p.Sender = or(p.Sender, "ACMERETAIL")
	p.Key = or(p.Key, "key-"+p.ID)
	p.Ack = or(p.Ack, "auto")
	p.TA1 = or(p.TA1, "on_request")
	if p.Accept == nil {
		p.Accept = []string{"850", "856"}
	}
	return p
}

// Hash returns the "sha256:<hex>" form of a key or token.
func Hash(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Start runs an App with 4 workers on a fresh database with the given
// partners (the default partner when none), receiving as ZZ/NORTHWIND. It
// stops when t ends.
func Start(t testing.TB, ps ...Partner) *Env {
	t.Helper()
	return StartWorkers(t, 4, ps...)
}

// StartWorkers is Start with a number of workers; with 0 workers files are
// received but never processed, which lets a benchmark of a channel measure
// the channel alone.
func StartWorkers(t testing.TB, workers int, ps ...Partner) *Env {
	t.Helper()
	return StartOpts(t, Options{Workers: workers}, ps...)
}

// Options are the App settings StartOpts lets a test choose.
type Options struct {
	// Workers is the number of processing workers; 0 starts none.
	Workers int
	// Destinations and Routes are where documents are delivered.
	Destinations []*outbound.Destination
	Routes       []outbound.Route
	// RescueAfter is the App's RescueAfter; default the App's.
	RescueAfter time.Duration
}

// StartOpts is Start with Options.
func StartOpts(t testing.TB, o Options, ps ...Partner) *Env {
	t.Helper()
	workers := o.Workers
	if len(ps) == 0 {
		ps = []Partner{{}}
	}
	dir := t.TempDir()
	for _, p := range ps {
		p = p.withDefaults()
		WriteFile(t, filepath.Join(dir, p.ID+".yaml"), p.YAML())
	}
	url, pool := dbtest.New(t)
	live, err := partners.NewLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	app, err := gateway.NewApp(gateway.AppConfig{Pool: pool, Partners: live, Workers: workers,
		Identity: ingest.Identity{Qualifier: "ZZ", ID: "NORTHWIND"}, Destinations: o.Destinations, Routes: o.Routes,
		RescueAfter: o.RescueAfter})
	if err != nil {
		t.Fatal(err)
	}
	if workers == 0 {
		return &Env{App: app, DatabaseURL: url, PartnersDir: dir}
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = app.Stop(stop)
		cancel()
	})
	return &Env{App: app, DatabaseURL: url, PartnersDir: dir}
}

// WriteFile writes a file or fails t.
func WriteFile(t testing.TB, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// WaitProcessed waits until file id has been processed at least runs times
// and returns it; it fails t after 30 seconds.
func (e *Env) WaitProcessed(t testing.TB, id int64, runs int) *store.File {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		f, err := e.App.Store.GetFile(context.Background(), e.App.Pool, id, "")
		if err != nil {
			t.Fatal(err)
		}
		if f.Runs >= runs && f.ProcessedAt != nil {
			return f
		}
		if time.Now().After(deadline) {
			t.Fatalf("file %d was not processed %d times within 30s: %+v", id, runs, f)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Fixture returns an X12 fixture of the edi package's testdata.
func Fixture(t testing.TB, name string) string {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(self), "..", "..", "edi", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// StartChild starts this test binary again, running no test, with the
// variables env added to its environment; a TestMain that sees them runs
// a gateway process instead (crash tests kill it). It is killed when t
// ends.
func StartChild(t testing.TB, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd
}

// WaitSQL waits until query, which returns one boolean, is true; it fails
// t after 3 minutes, listing the jobs not completed.
func WaitSQL(t testing.TB, pool *pgxpool.Pool, what, query string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		var ok bool
		if err := pool.QueryRow(context.Background(), query).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var jobs string
			_ = pool.QueryRow(context.Background(), `SELECT coalesce(string_agg(format('%s %s %s attempt %s at %s', id, kind,
				state, attempt, scheduled_at), '; '), '') FROM river_job WHERE state <> 'completed'`).Scan(&jobs)
			t.Fatalf("waited 3 minutes for %s; jobs not completed: %s", what, jobs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
