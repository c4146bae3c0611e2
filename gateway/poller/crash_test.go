package poller_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnergate/partnergate/gateway"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/poller"
	"github.com/partnergate/partnergate/partners"
)

// A crash child is this test binary started again with these variables: it
// polls acme-retail once and kills itself (SIGKILL) at the named point of
// the poll.
const (
	envChildDB       = "PARTNERGATE_POLLER_CHILD_DB"
	envChildPartners = "PARTNERGATE_POLLER_CHILD_PARTNERS"
	envChildKillAt   = "PARTNERGATE_POLLER_CHILD_KILL_AT"
)

func crashChild() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv(envChildDB))
	if err != nil {
		panic(err)
	}
	live, err := partners.NewLive(os.Getenv(envChildPartners), nil)
	if err != nil {
		panic(err)
	}
	app, err := gateway.NewApp(gateway.AppConfig{Pool: pool, Partners: live})
	if err != nil {
		panic(err)
	}
	cfg := poller.Config{Partners: live, Store: app.Store, Pool: pool, Pipeline: app.Pipeline}
	killAt := os.Getenv(envChildKillAt)
	poller.SetHook(&cfg, func(event, _ string) {
		if event == killAt {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	})
	p, err := poller.New(cfg)
	if err != nil {
		panic(err)
	}
	_, err = p.PollNow(ctx, "acme-retail")
	fmt.Fprintf(os.Stderr, "the poll ended without reaching %q: %v\n", killAt, err)
	os.Exit(3)
}

// TestCrashAfterDownload kills a polling process right after it stored a
// file, before it removed it from the server: once right after Receive
// committed, once after the pickup was completed too. The next poll finds
// the file still on the server, does not store it again, and removes it. A
// new file of the same name later is a new file.
func TestCrashAfterDownload(t *testing.T) {
	t.Parallel()
	for _, at := range []string{"received", "recorded"} {
		t.Run(at, func(t *testing.T) {
			t.Parallel()
			b := setup(t, nil)
			body := gatewaytest.Fixture(t, "850-004010.edi")
			b.put(t, "po-5.edi", body)
			runCrashChild(t, b, at)
			var stored int64
			err := b.env.App.Pool.QueryRow(context.Background(), `SELECT id FROM files WHERE partner_id = 'acme-retail'`).Scan(&stored)
			if err != nil {
				t.Fatalf("the killed poll stored no single file: %v", err)
			}
			if got := names(t, b.in); !slices.Equal(got, []string{"po-5.edi"}) {
				t.Fatalf("inbound after the kill: %v, want po-5.edi still there", got)
			}

			res := pollNow(t, b.newPoller(t, nil), "acme-retail")
			if len(res.Pulled) != 1 || !res.Pulled[0].Earlier || res.Pulled[0].FileID != stored {
				t.Fatalf("pulled %+v, want po-5.edi as file %d stored earlier", res.Pulled, stored)
			}
			if n := countFiles(t, b, "acme-retail"); n != 1 {
				t.Fatalf("%d files stored, want 1", n)
			}
			if got := names(t, b.in); len(got) != 0 {
				t.Errorf("inbound after the next poll: %v, want empty", got)
			}

			b.put(t, "po-5.edi", body)
			if res := pollNow(t, b.newPoller(t, nil), "acme-retail"); len(res.Pulled) != 1 || res.Pulled[0].Earlier {
				t.Fatalf("a new po-5.edi: pulled %+v, want it stored anew", res.Pulled)
			}
			if n := countFiles(t, b, "acme-retail"); n != 2 {
				t.Errorf("%d files stored, want 2", n)
			}
		})
	}
}

// runCrashChild runs a crash child on the bundle's database and partners
// and checks that it died by SIGKILL.
func runCrashChild(t *testing.T, b *testBundle, killAt string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), envChildDB+"="+b.env.DatabaseURL, envChildPartners+"="+b.env.PartnersDir,
		envChildKillAt+"="+killAt)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("crash child: %v, want killed; output:\n%s", err, out)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("crash child: %v, want killed by SIGKILL; output:\n%s", err, out)
	}
	// PostgreSQL ends the dead process's session, and so releases its poll
	// lock, when it notices the closed socket.
	waitUntil(t, "the killed process's poll lock released", func() bool {
		var n int
		err := b.env.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&n)
		return err == nil && n == 0
	})
}

// TestOnePollAtATime skips a poll of a partner while another poll of it
// holds its lock: one of the same poller, then one of another node (a
// session of its own holding the advisory lock).
func TestOnePollAtATime(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	body := gatewaytest.Fixture(t, "850-004010.edi")
	b.put(t, "po-6.edi", body)
	inside, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	p := b.newPoller(t, func(c *poller.Config) {
		poller.SetHook(c, func(event, _ string) {
			if event == "received" {
				once.Do(func() { close(inside); <-release })
			}
		})
	})
	type outcome struct {
		res *poller.PollResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := p.PollNow(ctx, "acme-retail")
		done <- outcome{res, err}
	}()
	<-inside
	if res := pollNow(t, p, "acme-retail"); !res.Skipped || len(res.Pulled) != 0 {
		t.Errorf("concurrent poll: %+v, want skipped", res)
	}
	close(release)
	if first := <-done; first.err != nil || len(first.res.Pulled) != 1 {
		t.Fatalf("first poll: %+v, %v; want po-6.edi pulled", first.res, first.err)
	}

	conn, err := b.env.App.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if ok, err := b.env.App.Store.TryAdvisoryLock(ctx, conn, "remote_sftp:acme-retail"); !ok || err != nil {
		t.Fatalf("taking the partner's lock: %v, %v", ok, err)
	}
	b.put(t, "po-7.edi", body)
	if res := pollNow(t, p, "acme-retail"); !res.Skipped {
		t.Errorf("poll while another node holds the lock: %+v, want skipped", res)
	}
	if got := names(t, b.in); !slices.Equal(got, []string{"po-7.edi"}) {
		t.Errorf("inbound: %v, want po-7.edi untouched", got)
	}
	if err := b.env.App.Store.AdvisoryUnlock(ctx, conn, "remote_sftp:acme-retail"); err != nil {
		t.Fatal(err)
	}
	if res := pollNow(t, p, "acme-retail"); res.Skipped || len(res.Pulled) != 1 {
		t.Errorf("poll after the lock was released: %+v, want po-7.edi pulled", res)
	}
}

// TestCrashAfterRemove kills a polling process after it removed a stored
// file from the server but before it recorded that. A later file of the
// same name, size and modification time (a resend with times preserved) is
// stored anew, not taken for the one already stored.
func TestCrashAfterRemove(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	body := gatewaytest.Fixture(t, "850-004010.edi")
	b.put(t, "po-8.edi", body)
	name := filepath.Join(b.in, "po-8.edi")
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	runCrashChild(t, b, "removed")
	if got := names(t, b.in); len(got) != 0 {
		t.Fatalf("inbound after the kill: %v, want empty", got)
	}
	p := b.newPoller(t, nil)
	pollNow(t, p, "acme-retail") // finds the folder empty
	b.put(t, "po-8.edi", body)
	if err := os.Chtimes(name, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if res := pollNow(t, p, "acme-retail"); len(res.Pulled) != 1 || res.Pulled[0].Earlier {
		t.Fatalf("the resent po-8.edi: pulled %+v, want it stored anew", res.Pulled)
	}
	if n := countFiles(t, b, "acme-retail"); n != 2 {
		t.Errorf("%d files stored, want 2", n)
	}
}
