package poller

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

func TestBackoff(t *testing.T) {
	t.Parallel()
	b := Backoff{Min: 30 * time.Second, Max: 30 * time.Minute}
	for _, c := range []struct {
		failures int
		want     time.Duration
	}{
		{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {6, 16 * time.Minute}, {7, 30 * time.Minute},
		{1000, 30 * time.Minute},
	} {
		if got := backoff(b, c.failures); got != c.want {
			t.Errorf("backoff after %d failures: %v, want %v", c.failures, got, c.want)
		}
	}
}

func TestTemporary(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"po.edi": false, "po.edi.part": true, ".po.edi": true, "po.tmp": true, "PO.TMP": true, "po.edi~": true,
		"po.filepart": true, "part.edi": false, "tmp": false,
	} {
		if got := temporary(name); got != want {
			t.Errorf("temporary(%q) = %v, want %v", name, got, want)
		}
	}
}

type noPartners struct{}

func (noPartners) Current() *partners.Set { return nil }

type noReceiver struct{}

func (noReceiver) Receive(context.Context, *ingest.ReceiveParams) (*store.File, error) {
	return nil, errors.New("not used")
}

// TestBackoffSkipsScheduledPolls skips a partner's scheduled polls while its
// backoff lasts, doubling it after each failure, and resets it on success.
func TestBackoffSkipsScheduledPolls(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	p, err := New(Config{Partners: noPartners{}, Store: store.New(nil), Pool: new(pgxpool.Pool), Pipeline: noReceiver{},
		Now: func() time.Time { return now }, Backoff: Backoff{Min: time.Minute, Max: 3 * time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tryAt := func(at time.Duration) bool {
		t.Helper()
		now = now.Add(at)
		ok := p.begin(ctx, "acme")
		if ok {
			p.end("acme")
		}
		return ok
	}
	if !tryAt(0) {
		t.Fatal("first poll skipped")
	}
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute, 3 * time.Minute} {
		if n := p.noteOutcome("acme", true); n != i+1 {
			t.Fatalf("failure %d counted as %d", i+1, n)
		}
		if tryAt(want - time.Second) {
			t.Errorf("after failure %d: polled %v later, want skipped until %v", i+1, want-time.Second, want)
		}
		if !tryAt(time.Second) {
			t.Errorf("after failure %d: skipped %v later", i+1, want)
		}
	}
	p.noteOutcome("acme", false)
	if !tryAt(0) {
		t.Error("skipped after a success")
	}
	if !p.begin(ctx, "acme") || p.begin(ctx, "acme") {
		t.Error("a scheduled poll was not skipped while the previous one ran")
	}
}
