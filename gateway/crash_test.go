package gateway_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway"
	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/partners"
)

// A crash child is this test binary started again with these variables: it
// runs the gateway's workers on the database until it is killed.
const (
	envChildDB       = "PARTNERGATE_CRASH_CHILD_DB"
	envChildPartners = "PARTNERGATE_CRASH_CHILD_PARTNERS"
)

func TestMain(m *testing.M) {
	if url := os.Getenv(envChildDB); url != "" {
		crashChild(url, os.Getenv(envChildPartners))
		return
	}
	dbtest.Main(m)
}

func crashChild(url, dir string) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		panic(err)
	}
	live, err := partners.NewLive(dir, nil)
	if err != nil {
		panic(err)
	}
	app, err := gateway.NewApp(gateway.AppConfig{Pool: pool, Partners: live, Workers: 4, RescueAfter: time.Second,
		Identity: ingest.Identity{Qualifier: "ZZ", ID: "NORTHWIND"}})
	if err != nil {
		panic(err)
	}
	if err := app.Start(ctx); err != nil {
		panic(err)
	}
	select {}
}

// TestCrashSafety kills the process that works on the files (SIGKILL) while
// it is busy, starts another, and checks that every received file ends
// processed exactly once: no file left behind, no document twice, one
// acknowledgment per file.
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	const files, sets = 150, 10
	url, pool := dbtest.New(t)
	dir := t.TempDir()
	gatewaytest.WriteFile(t, filepath.Join(dir, "acme-retail.yaml"), gatewaytest.Partner{}.YAML())
	app := receiver(t, pool, dir)
	ctx := context.Background()
	for i := range files {
		var b bytes.Buffer
		if _, err := edi.GenerateOrders(&b, &edi.GenerateOpts{SetsPerGroup: sets, Seed: int64(i), FirstControl: 1000 + i}); err != nil {
			t.Fatal(err)
		}
		if _, err := app.Pipeline.Receive(ctx, &ingest.ReceiveParams{PartnerID: "acme-retail", Channel: "api", Body: &b}); err != nil {
			t.Fatal(err)
		}
	}
	child := gatewaytest.StartChild(t, envChildDB+"="+url, envChildPartners+"="+dir)
	gatewaytest.WaitSQL(t, pool, "some files processed", `SELECT count(*) >= 10 FROM files WHERE status <> 'received'`)
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	var done, running int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM files WHERE status <> 'received'`).Scan(&done)
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state = 'running'`).Scan(&running)
	t.Logf("killed the worker process with %d of %d files processed and %d being processed", done, files, running)
	if done == files || running == 0 {
		t.Fatal("the kill found no file being processed; the test proves nothing")
	}
	gatewaytest.StartChild(t, envChildDB+"="+url, envChildPartners+"="+dir)
	gatewaytest.WaitSQL(t, pool, "every file processed", `SELECT count(*) = 0 FROM files WHERE status = 'received'`)
	checkExactlyOnce(t, pool, files, sets)
}

func receiver(t *testing.T, pool *pgxpool.Pool, dir string) *gateway.App {
	live, err := partners.NewLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	app, err := gateway.NewApp(gateway.AppConfig{Pool: pool, Partners: live})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

func checkExactlyOnce(t *testing.T, pool *pgxpool.Pool, files, sets int) {
	t.Helper()
	ctx := context.Background()
	for _, c := range []struct {
		what  string
		query string
		want  int
	}{
		{"accepted files", `SELECT count(*) FROM files WHERE status = 'accepted'`, files},
		{"files processed more than once", `SELECT count(*) FROM files WHERE runs <> 1`, 0},
		{"documents", `SELECT count(*) FROM documents`, files * sets},
		{"business keys stored twice", `SELECT count(*) FROM (SELECT business_key FROM documents GROUP BY 1 HAVING count(*) > 1) d`, 0},
		{"duplicate documents", `SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL`, 0},
		{"transaction rows", `SELECT count(*) FROM transactions`, files * sets},
		{"acks", `SELECT count(*) FROM outbox WHERE kind = 'ack'`, files},
		{"exceptions", `SELECT count(*) FROM exceptions`, 0},
	} {
		var got int
		if err := pool.QueryRow(ctx, c.query).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
}
