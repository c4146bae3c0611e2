package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/store"
)

// TestWarmUp leaves the pool holding the connections it opened, idle.
func TestWarmUp(t *testing.T) {
	t.Parallel()
	_, pool := dbtest.New(t)
	cfg := pool.Config()
	cfg.MaxConns = 6
	small, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	if err := store.WarmUp(context.Background(), small, 10); err != nil {
		t.Fatal(err)
	}
	if st := small.Stat(); st.TotalConns() != 6 || st.IdleConns() != 6 {
		t.Errorf("after WarmUp(10) of a pool of 6: %d connections, %d idle; want 6 and 6", st.TotalConns(), st.IdleConns())
	}
}
