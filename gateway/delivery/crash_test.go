package delivery_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway"
	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/outbound/erpsim"
	"github.com/partnergate/partnergate/partners"
)

// TestCrashMidDelivery kills the process that delivers (SIGKILL) while
// requests to the ERP are in flight, starts another, and checks that the
// ERP ends up with every document applied exactly once.
func TestCrashMidDelivery(t *testing.T) {
	t.Parallel()
	const files, sets = 10, 10
	sim := erpsim.New(erpsim.Options{Latency: 100 * time.Millisecond})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	db, pool := dbtest.New(t)
	dir := t.TempDir()
	gatewaytest.WriteFile(t, filepath.Join(dir, "acme-retail.yaml"), gatewaytest.Partner{}.YAML())
	live, err := partners.NewLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	receiver, err := gateway.NewApp(gateway.AppConfig{Pool: pool, Partners: live})
	if err != nil {
		t.Fatal(err)
	}
	for i := range files {
		_, err := receiver.Pipeline.Receive(context.Background(), &ingest.ReceiveParams{PartnerID: "acme-retail",
			Channel: "api", Body: strings.NewReader(orders(t, sets, i))})
		if err != nil {
			t.Fatal(err)
		}
	}
	child := gatewaytest.StartChild(t, envChildDB+"="+db, envChildPartners+"="+dir, envChildERP+"="+srv.URL)
	gatewaytest.WaitSQL(t, pool, "some documents delivered", `SELECT count(*) >= 20 FROM deliveries WHERE status = 'delivered'`)
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	var delivered, running int
	_ = pool.QueryRow(context.Background(), `SELECT count(*) FROM deliveries WHERE status = 'delivered'`).Scan(&delivered)
	_ = pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE state = 'running' AND kind = 'deliver'`).Scan(&running)
	t.Logf("killed the gateway with %d of %d documents delivered and %d deliveries in flight", delivered, files*sets, running)
	if running == 0 || delivered == files*sets {
		t.Fatal("the kill found no delivery in flight; the test proves nothing")
	}
	gatewaytest.StartChild(t, envChildDB+"="+db, envChildPartners+"="+dir, envChildERP+"="+srv.URL)
	gatewaytest.WaitSQL(t, pool, "every document delivered", `SELECT count(*) = 100 FROM deliveries WHERE status = 'delivered'`)
	all, err := store.New(nil).ListDeliveries(context.Background(), pool, &store.ListDeliveriesParams{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, sim, all)
	repeated := 0
	for _, it := range sim.Items() {
		if it.Attempts > 1 {
			repeated++
		}
	}
	t.Logf("%d documents were sent again after the restart and answered with their first answer", repeated)
}
