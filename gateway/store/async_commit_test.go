package store_test

import (
	"context"
	"testing"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/store"
)

// TestAsyncCommit: the setting holds for the transaction only; the
// connection goes back to the pool committing synchronously.
func TestAsyncCommit(t *testing.T) {
	t.Parallel()
	_, pool := dbtest.New(t)
	ctx := context.Background()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.New(nil).AsyncCommit(ctx, tx); err != nil {
		t.Fatal(err)
	}
	var in, after string
	if err := tx.QueryRow(ctx, `SHOW synchronous_commit`).Scan(&in); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SHOW synchronous_commit`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if in != "off" || after != "on" {
		t.Errorf("synchronous_commit %q in the transaction and %q after it, want off and on", in, after)
	}
}
