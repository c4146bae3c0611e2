package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/store"
)

// TestRemotePickups walks a pickup through claim, store, complete and
// removal, and checks what a later claim and the reconciliation see.
func TestRemotePickups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	rf := &store.RemoteFile{PartnerID: "acme", RemotePath: "/in/po.edi", Size: 3,
		MTime: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	if _, err := s.RemotePickup(ctx, pool, rf); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("RemotePickup before a claim: %v, want ErrNotFound", err)
	}
	insert := func(partner, channel, name, body string) *store.File {
		t.Helper()
		f, err := s.InsertFile(ctx, pool, &store.InsertFileParams{PartnerID: partner, Channel: channel, Filename: name,
			Body: strings.NewReader(body)})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	before := insert("acme", "remote_sftp", "po.edi", "old") // stored before the claim: not its file
	pk, err := s.ClaimRemotePickup(ctx, pool, rf)
	if err != nil {
		t.Fatal(err)
	}
	if pk.AfterFileID != before.ID || pk.FileID != nil {
		t.Fatalf("claim %+v, want after file %d and no file", pk, before.ID)
	}
	if _, err := s.ClaimedFile(ctx, pool, pk, "po.edi"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ClaimedFile with nothing stored since the claim: %v, want ErrNotFound", err)
	}
	insert("acme", "api", "po.edi", "new")           // another channel
	insert("globex", "remote_sftp", "po.edi", "new") // another partner
	insert("acme", "remote_sftp", "po.edi", "long")  // another size
	stored := insert("acme", "remote_sftp", "po.edi", "new")
	if f, err := s.ClaimedFile(ctx, pool, pk, "po.edi"); err != nil || f.ID != stored.ID {
		t.Fatalf("ClaimedFile: %v, %v; want file %d", f, err, stored.ID)
	}
	if err := s.CompleteRemotePickup(ctx, pool, pk.ID, stored.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.RemotePickup(ctx, pool, rf)
	if err != nil || got.ID != pk.ID || got.FileID == nil || *got.FileID != stored.ID || got.PickedAt == nil {
		t.Fatalf("RemotePickup after completion: %+v, %v", got, err)
	}

	// Another file of the folder is still listed; po.edi is not.
	if err := s.ReconcileRemotePickups(ctx, pool, "acme", "/in/", []string{"/in/other.edi"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemotePickup(ctx, pool, rf); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("RemotePickup after its file left the listing: %v, want ErrNotFound", err)
	}
	again, err := s.ClaimRemotePickup(ctx, pool, rf)
	if err != nil || again.ID == pk.ID || again.AfterFileID < stored.ID {
		t.Fatalf("claim of a new file of the same name, size and time: %+v, %v; want a new pickup", again, err)
	}
	if err := s.ReconcileRemotePickups(ctx, pool, "acme", "/elsewhere", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.RemovedRemotePickup(ctx, pool, again.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemotePickup(ctx, pool, rf); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("RemotePickup after removal: %v, want ErrNotFound", err)
	}
}

// TestAdvisoryLock takes a named lock on one connection and finds it taken
// from another until it is released.
func TestAdvisoryLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	a, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	b, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	for _, step := range []struct {
		conn store.DB
		key  string
		want bool
	}{
		{a, "remote_sftp:acme", true},
		{b, "remote_sftp:acme", false},
		{b, "remote_sftp:globex", true},
	} {
		if ok, err := s.TryAdvisoryLock(ctx, step.conn, step.key); err != nil || ok != step.want {
			t.Fatalf("TryAdvisoryLock(%s): %v, %v; want %v", step.key, ok, err, step.want)
		}
	}
	if err := s.AdvisoryUnlock(ctx, b, "remote_sftp:acme"); err == nil {
		t.Error("AdvisoryUnlock of a lock another session holds: no error")
	}
	if err := s.AdvisoryUnlock(ctx, a, "remote_sftp:acme"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.TryAdvisoryLock(ctx, b, "remote_sftp:acme"); err != nil || !ok {
		t.Fatalf("TryAdvisoryLock after the release: %v, %v", ok, err)
	}
}
