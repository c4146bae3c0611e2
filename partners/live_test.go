package partners_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"log/slog"

	"github.com/partnergate/partnergate/partners"
)

// fakeClock is a clock tests advance by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type liveBundle struct {
	dir   string
	live  *partners.Live
	clock *fakeClock
	logs  *syncBuffer
}

func setupLive(t *testing.T) *liveBundle {
	t.Helper()
	b := &liveBundle{
		dir:   writeDir(t, map[string]string{"acme.yaml": acmeWith()}),
		clock: &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
		logs:  &syncBuffer{},
	}
	logger := slog.New(slog.NewTextHandler(b.logs, nil))
	var err error
	b.live, err = partners.NewLiveOpts(b.dir, logger, &partners.LiveOpts{Now: b.clock.Now, Debounce: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// replace writes content to name the way many editors do: a new file renamed
// over the old one.
func (b *liveBundle) replace(t *testing.T, name, content string) {
	t.Helper()
	tmp := filepath.Join(b.dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(b.dir, name)); err != nil {
		t.Fatal(err)
	}
}

// eventually polls cond until it holds or 10 seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestNewLive(t *testing.T) {
	t.Parallel()
	b := setupLive(t)
	st := b.live.Status()
	want := partners.LiveStatus{Dir: b.dir, Version: b.live.Current().Version(), Partners: 1,
		LoadedAt: b.clock.Now(), LastAttempt: b.clock.Now()}
	if st.Version == "" || st.Dir != want.Dir || st.Version != want.Version || st.Partners != 1 ||
		!st.LoadedAt.Equal(want.LoadedAt) || !st.LastAttempt.Equal(want.LastAttempt) || st.LastError != "" ||
		st.Reloads != 0 || st.Failures != 0 || st.Watching {
		t.Errorf("Status() = %+v, want %+v", st, want)
	}

	_, err := partners.NewLive(writeDir(t, map[string]string{"p.yaml": "id: P\n"}), nil)
	var le *partners.LoadError
	if !errors.As(err, &le) || len(le.Problems) != 3 {
		t.Errorf("NewLive of a bad directory: %v, want a *LoadError with 3 problems", err)
	}
}

// TestLiveReload: a bad edit keeps the last good set and is reported; the
// fix is then picked up.
func TestLiveReload(t *testing.T) {
	t.Parallel()
	b := setupLive(t)
	good := b.live.Current()

	b.clock.Advance(time.Minute)
	b.replace(t, "acme.yaml", acmeWith("ack: auto", `ack: "998"`, "HASH_A", hashB))
	err := b.live.Reload()
	if err == nil {
		t.Fatal("Reload of a bad edit succeeded")
	}
	if b.live.Current() != good {
		t.Errorf("a failed reload replaced the set")
	}
	if p, ok := b.live.Current().ByAPIKey("key-a"); !ok || p.ID != "acme-retail" {
		t.Errorf("the last good set no longer serves key-a")
	}
	st := b.live.Status()
	wantErr := filepath.Join(b.dir, "acme.yaml") + `:7: x12.ack: "998" is not one of auto, 997, 999, none`
	if st.LastError != wantErr || len(st.Problems) != 1 || st.Problems[0].Line != 7 || st.Failures != 1 || st.Reloads != 0 {
		t.Errorf("after a bad edit Status() = %+v, want LastError %q", st, wantErr)
	}
	if !st.LastAttempt.Equal(b.clock.Now()) || st.LoadedAt.Equal(b.clock.Now()) || st.Version != good.Version() {
		t.Errorf("after a bad edit the times or version are wrong: %+v", st)
	}
	if logs := b.logs.String(); !strings.Contains(logs, "reload failed") || !strings.Contains(logs, "x12.ack") {
		t.Errorf("the failure is not logged:\n%s", logs)
	}

	b.clock.Advance(time.Minute)
	b.replace(t, "acme.yaml", acmeWith("name: ACME Retail", "name: ACME Retail Stores", "HASH_A", hashB))
	if err := b.live.Reload(); err != nil {
		t.Fatal(err)
	}
	st = b.live.Status()
	if st.LastError != "" || st.Problems != nil || st.Reloads != 1 || st.Failures != 1 ||
		!st.LoadedAt.Equal(b.clock.Now()) || st.Version == good.Version() || st.Version != b.live.Current().Version() {
		t.Errorf("after the fix Status() = %+v", st)
	}
	if p, ok := b.live.Current().ByAPIKey("key-b"); !ok || p.Name != "ACME Retail Stores" {
		t.Errorf("the fixed set does not serve key-b")
	}
	if _, ok := b.live.Current().ByAPIKey("key-a"); ok {
		t.Errorf("the rotated-out key-a still works")
	}
	if logs := b.logs.String(); strings.Contains(logs, strings.TrimPrefix(hashA, "sha256:")[:12]) ||
		strings.Contains(logs, strings.TrimPrefix(hashB, "sha256:")[:12]) {
		t.Errorf("the logs reveal a key hash:\n%s", logs)
	}
}

// TestLiveWatch: with Watch running, a bad edit is reported while the last
// good set stays, and a good edit is picked up without calling Reload.
func TestLiveWatch(t *testing.T) {
	t.Parallel()
	b := setupLive(t)
	good := b.live.Current()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.live.Watch(ctx) }()
	eventually(t, "Watch to start", func() bool { return b.live.Status().Watching })

	b.replace(t, "acme.yaml", "id: acme-retail\nname: ACME\nstatus: on hold\n")
	eventually(t, "the bad edit to be reported", func() bool { return b.live.Status().Failures > 0 })
	if st := b.live.Status(); !strings.Contains(st.LastError, `status: "on hold" is not one of`) || b.live.Current() != good {
		t.Errorf("after a bad edit: %+v", st)
	}

	if err := os.WriteFile(filepath.Join(b.dir, "bee.yaml"), []byte(minimal("bee")), 0o644); err != nil {
		t.Fatal(err)
	}
	b.replace(t, "acme.yaml", acmeWith("status: active", "status: suspended"))
	eventually(t, "the good edit to be loaded", func() bool {
		_, ok := b.live.Current().ByID("bee")
		return ok && b.live.Status().LastError == ""
	})
	if p, _ := b.live.Current().ByID("acme-retail"); p.Status != partners.StatusSuspended {
		t.Errorf("acme-retail status %q after the edit", p.Status)
	}
	if st := b.live.Status(); st.Partners != 2 || st.Version == good.Version() {
		t.Errorf("after a good edit: %+v", st)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watch returned %v after its context ended", err)
	}
	if b.live.Status().Watching {
		t.Errorf("Status().Watching after Watch returned")
	}
}

func TestLiveWatchMissingDir(t *testing.T) {
	t.Parallel()
	b := setupLive(t)
	if err := os.RemoveAll(b.dir); err != nil {
		t.Fatal(err)
	}
	if err := b.live.Watch(t.Context()); err == nil || !strings.Contains(err.Error(), b.dir) {
		t.Errorf("Watch of a removed directory: %v", err)
	}
}
