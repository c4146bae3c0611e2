package delivery_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway/delivery"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/outbound/erpsim"
)

// ordersToERP routes purchase orders to the destination erp.
var ordersToERP = []outbound.Route{{Match: outbound.Match{Type: "order", Kind: "purchase_order"}, Destination: "erp", Path: "/orders"}}

// erp returns a fast-retrying destination erp for handler's server.
func erp(t testing.TB, h http.Handler, maxAttempts int) *outbound.Destination {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	d := &outbound.Destination{Name: "erp", URL: u, Timeout: 5 * time.Second, MaxAttempts: maxAttempts,
		InitialBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Concurrency: 4}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	return d
}

func start(t testing.TB, d *outbound.Destination) *gatewaytest.Env {
	t.Helper()
	return gatewaytest.StartOpts(t, gatewaytest.Options{Workers: 4, Destinations: []*outbound.Destination{d}, Routes: ordersToERP})
}

func receive(t testing.TB, env *gatewaytest.Env, body string) *store.File {
	t.Helper()
	f, err := env.App.Pipeline.Receive(context.Background(), &ingest.ReceiveParams{PartnerID: "acme-retail",
		Channel: "api", Body: strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func orders(t testing.TB, sets, seed int) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := edi.GenerateOrders(&b, &edi.GenerateOpts{SetsPerGroup: sets, Seed: int64(seed), FirstControl: 100 + seed}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// waitDeliveries waits until n deliveries have status and returns all.
func waitDeliveries(t testing.TB, env *gatewaytest.Env, n int, status string) []*store.Delivery {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		all, err := env.App.Store.ListDeliveries(context.Background(), env.App.Pool, &store.ListDeliveriesParams{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, d := range all {
			if d.Status == status {
				got++
			}
		}
		if got >= n {
			return all
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 60s for %d %s deliveries; have %d of %d", n, status, got, len(all))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkOnce checks that the simulator applied each delivery exactly once,
// under the delivery's idempotency key and path.
func checkOnce(t *testing.T, sim *erpsim.Sim, ds []*store.Delivery) {
	t.Helper()
	items := map[string]erpsim.Item{}
	for _, it := range sim.Items() {
		items[it.IdempotencyKey] = it
	}
	if len(items) != len(ds) {
		t.Errorf("the ERP saw %d idempotency keys, want %d", len(items), len(ds))
	}
	for _, d := range ds {
		it, ok := items[d.IdempotencyKey]
		switch {
		case !ok:
			t.Errorf("delivery %d (%s) never reached the ERP", d.ID, d.IdempotencyKey)
		case it.Applied != 1 || it.Path != "/orders":
			t.Errorf("delivery %d: the ERP holds %+v, want applied once on /orders", d.ID, it)
		case d.IdempotencyKey != delivery.IdempotencyKey(d.DocumentID, "erp"):
			t.Errorf("delivery %d: idempotency key %q", d.ID, d.IdempotencyKey)
		}
	}
}

// TestDeliveredOnceAfterOutage: the ERP drops every connection for a
// while; every document is delivered exactly once after it returns.
func TestDeliveredOnceAfterOutage(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{DownFor: 4 * time.Second})
	env := start(t, erp(t, sim, 50))
	for i := range 3 {
		receive(t, env, orders(t, 20, i))
	}
	ds := waitDeliveries(t, env, 60, store.DeliveryDelivered)
	checkOnce(t, sim, ds)
	retried := 0
	for _, d := range ds {
		if d.Attempts > 1 {
			retried++
		}
	}
	if retried == 0 {
		t.Fatal("no delivery needed a second attempt: the outage was not exercised")
	}
	full, err := env.App.Store.GetDelivery(context.Background(), env.App.Pool, ds[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	last := full.History[len(full.History)-1]
	if len(full.History) != full.Attempts || last.Outcome != store.OutcomeDelivered || last.StatusCode == nil || *last.StatusCode != 201 {
		t.Errorf("history of delivery %d: %d attempts recorded of %d, last %+v", full.ID, len(full.History), full.Attempts, last)
	}
	if full.Attempts > 1 && (full.History[0].StatusCode != nil || full.History[0].Error == "") {
		t.Errorf("first attempt during the outage: %+v, want no status and the connection error", full.History[0])
	}
}

// TestRejectionIsAnException: a 422 is a business rejection: it becomes an
// exception on the document and is not retried.
func TestRejectionIsAnException(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{Reject: []erpsim.Rule{{Field: "purchase_order_number", Value: "4500012345"}}})
	env := start(t, erp(t, sim, 5))
	f := receive(t, env, gatewaytest.Fixture(t, "850-004010.edi"))
	ds := waitDeliveries(t, env, 1, store.DeliveryRejected)
	if d := ds[0]; d.Attempts != 1 || d.LastStatus == nil || *d.LastStatus != 422 {
		t.Errorf("rejected delivery: %+v, want one attempt answered 422", d)
	}
	excs, err := env.App.Store.FileExceptions(context.Background(), env.App.Pool, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(excs) != 1 || excs[0].Check != delivery.CheckRejected || excs[0].Code != "422" ||
		excs[0].DocumentID == nil || *excs[0].DocumentID != ds[0].DocumentID ||
		!strings.Contains(excs[0].Message, `rejected: purchase_order_number is \"4500012345\"`) {
		t.Fatalf("exceptions: %+v", excs)
	}
	waitJobsDone(t, env)
	if items := sim.Items(); len(items) != 1 || items[0].Attempts != 1 || items[0].Applied != 0 {
		t.Errorf("the ERP saw %+v, want one request, not applied", items)
	}
}

func waitJobsDone(t testing.TB, env *gatewaytest.Env) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var open int
		if err := env.App.Pool.QueryRow(context.Background(),
			`SELECT count(*) FROM river_job WHERE kind = 'deliver' AND state NOT IN ('completed', 'cancelled', 'discarded')`).Scan(&open); err != nil {
			t.Fatal(err)
		}
		if open == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d delivery jobs still open after 30s", open)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDeadLetterReplay: after its last attempt a delivery is dead, with an
// exception; a replay once the ERP works delivers it once.
func TestDeadLetterReplay(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{FailRate: 1})
	env := start(t, erp(t, sim, 3))
	f := receive(t, env, gatewaytest.Fixture(t, "850-004010.edi"))
	ds := waitDeliveries(t, env, 1, store.DeliveryDead)
	if ds[0].Attempts != 3 {
		t.Errorf("dead after %d attempts, want 3", ds[0].Attempts)
	}
	excs, err := env.App.Store.FileExceptions(context.Background(), env.App.Pool, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(excs) != 1 || excs[0].Check != delivery.CheckFailed || !strings.Contains(excs[0].Message, "500 Internal Server Error") {
		t.Fatalf("exceptions: %+v", excs)
	}
	sim.SetFailRate(0)
	retried, err := env.App.Forwarder.Retry(context.Background(), store.DeliveryFilter{Status: store.DeliveryDead})
	if err != nil || len(retried) != 1 {
		t.Fatalf("retry: %d deliveries, %v", len(retried), err)
	}
	ds = waitDeliveries(t, env, 1, store.DeliveryDelivered)
	checkOnce(t, sim, ds)
	if it := sim.Items()[0]; it.Attempts != 4 {
		t.Errorf("the ERP saw %d requests, want 3 failed and 1 applied", it.Attempts)
	}
}

// orderFirst fails the first requests of original orders with 500, which
// lets a cancel overtake its order unless deliveries keep their order.
type orderFirst struct {
	sim   *erpsim.Sim
	mu    sync.Mutex
	fails int
}

func (h *orderFirst) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body bytes.Buffer
	_, _ = body.ReadFrom(r.Body)
	if strings.Contains(body.String(), `"purpose":"original"`) {
		h.mu.Lock()
		h.fails++
		fail := h.fails <= 3
		h.mu.Unlock()
		if fail {
			http.Error(w, "busy", http.StatusInternalServerError)
			return
		}
	}
	r.Body = http.NoBody
	r2 := r.Clone(r.Context())
	r2.Body, r2.ContentLength = nopCloser{&body}, int64(body.Len())
	h.sim.ServeHTTP(w, r2)
}

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

// TestCancelNeverOvertakesItsOrder: an order's delivery fails three times
// while its cancel, from a later file, could go at once; the ERP still
// applies the order first.
func TestCancelNeverOvertakesItsOrder(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{})
	env := start(t, erp(t, &orderFirst{sim: sim}, 10))
	order := gatewaytest.Fixture(t, "850-004010.edi")
	receive(t, env, order)
	receive(t, env, cancelOf(order))
	ds := waitDeliveries(t, env, 2, store.DeliveryDelivered)
	checkOnce(t, sim, ds)
	seq := map[string]int{}
	for _, it := range sim.Items() {
		doc := string(it.Document)
		switch {
		case strings.Contains(doc, `"purpose":"original"`):
			seq["original"] = it.Seq
		case strings.Contains(doc, `"purpose":"cancel"`):
			seq["cancel"] = it.Seq
		}
	}
	if seq["original"] == 0 || seq["cancel"] == 0 || seq["cancel"] < seq["original"] {
		t.Fatalf("the ERP applied the order as #%d and its cancel as #%d", seq["original"], seq["cancel"])
	}
}

// cancelOf turns the 850 fixture into its cancellation (BEG01 01) in a new
// interchange.
func cancelOf(order string) string {
	return strings.NewReplacer("BEG*00*", "BEG*01*", "*000000101*", "*000000102*", "IEA*1*000000101", "IEA*1*000000102",
		"*101*X*", "*102*X*", "GE*1*101", "GE*1*102").Replace(order)
}

// TestPartnerRoutes: a partner's own route replaces the gateway's for what
// it matches; one to a destination the gateway does not configure holds
// the document with an exception instead of dropping it.
func TestPartnerRoutes(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{})
	d := erp(t, sim, 5)
	routes := "routes:\n  - {match: {purpose: original}, destination: erp, path: /acme-orders}\n" +
		"  - {match: {purpose: cancel}, destination: wms, path: /cancels}\n"
	env := gatewaytest.StartOpts(t, gatewaytest.Options{Workers: 2, Destinations: []*outbound.Destination{d}, Routes: ordersToERP},
		gatewaytest.Partner{Extra: routes})
	order := gatewaytest.Fixture(t, "850-004010.edi")
	receive(t, env, order)
	ds := waitDeliveries(t, env, 1, store.DeliveryDelivered)
	if len(ds) != 1 || ds[0].Path != "/acme-orders" || sim.Items()[0].Path != "/acme-orders" {
		t.Errorf("deliveries %+v, ERP %+v: want the partner's path", ds, sim.Items())
	}
	f := receive(t, env, cancelOf(order))
	f = env.WaitProcessed(t, f.ID, 1)
	docs, err := env.App.Store.ListDocuments(context.Background(), env.App.Pool, &store.ListDocumentsParams{FileID: f.ID})
	if err != nil {
		t.Fatal(err)
	}
	excs, err := env.App.Store.FileExceptions(context.Background(), env.App.Pool, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Status != store.DocumentHeld || len(excs) != 1 || excs[0].Check != delivery.CheckUnrouted ||
		!strings.Contains(excs[0].Message, `destination "wms"`) {
		t.Fatalf("documents %+v, exceptions %+v: want the cancel held with a delivery_unrouted exception", docs, excs)
	}
}
