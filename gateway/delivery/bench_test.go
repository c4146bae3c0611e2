package delivery_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/outbound/erpsim"
)

// BenchmarkDeliver receives b.N purchase orders in files of 10 and waits
// until the simulated ERP, which fails 5% of requests with a 500, has
// applied every one exactly once. It reports documents/s end to end
// (receipt, processing, delivery) and the latency from storing a document
// to its delivery. The destination keeps its production backoff (first
// retry after 0.5 to 1 s) and a concurrency of 32 (with 16, burst delivers
// 645 documents/s and waits 1.7 s at p50: deliveries wait on round trips to
// PostgreSQL, not on the CPU). "burst" receives every file at once, so its
// latencies are mostly the wait in the backlog; "steady" offers 30 files
// (300 documents) a second, below what the gateway sustains, so its
// latencies are those of a delivery. make load-deliver runs both with
// 10,000 documents.
func BenchmarkDeliver(b *testing.B) {
	b.Run("burst", func(b *testing.B) { benchDeliver(b, 0) })
	b.Run("steady", func(b *testing.B) { benchDeliver(b, 30) })
}

// benchDeliver offers the files at filesPerSecond, or all at once when 0.
func benchDeliver(b *testing.B, filesPerSecond int) {
	const perFile = 10
	sim := erpsim.New(erpsim.Options{FailRate: 0.05})
	srv := httptest.NewServer(sim)
	b.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	d := &outbound.Destination{Name: "erp", URL: u, Concurrency: 32}
	if err := d.Validate(); err != nil {
		b.Fatal(err)
	}
	env := gatewaytest.StartOpts(b, gatewaytest.Options{Workers: 4, Destinations: []*outbound.Destination{d}, Routes: ordersToERP})
	files := (b.N + perFile - 1) / perFile
	bodies := make([]string, files)
	for i := range bodies {
		bodies[i] = orders(b, perFile, i)
	}
	b.ResetTimer()
	start := time.Now()
	for i, body := range bodies {
		if filesPerSecond > 0 {
			time.Sleep(time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(filesPerSecond))))
		}
		receive(b, env, body)
	}
	n := files * perFile
	waitDelivered(b, env, n)
	elapsed := time.Since(start)
	b.StopTimer()
	var size int64
	for _, it := range sim.Items() {
		size += int64(len(it.Document))
		if it.Applied != 1 {
			b.Fatalf("%s: applied %d times", it.IdempotencyKey, it.Applied)
		}
	}
	if len(sim.Items()) != n {
		b.Fatalf("the ERP holds %d documents, want %d", len(sim.Items()), n)
	}
	var p50, p99, retried float64
	err := env.App.Pool.QueryRow(context.Background(), `SELECT
			percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at)) * 1000,
			percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at)) * 1000,
			avg((attempts > 1)::int) * 100
		FROM deliveries`).Scan(&p50, &p99, &retried)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size / int64(n))
	b.ReportMetric(float64(n)/elapsed.Seconds(), "docs/s")
	b.ReportMetric(p50, "p50_ms")
	b.ReportMetric(p99, "p99_ms")
	b.ReportMetric(retried, "retried_%")
}

// waitDelivered waits until n deliveries are delivered, for up to 10
// minutes.
func waitDelivered(b *testing.B, env *gatewaytest.Env, n int) {
	deadline := time.Now().Add(10 * time.Minute)
	for {
		var got int
		err := env.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM deliveries WHERE status = 'delivered'`).Scan(&got)
		if err != nil {
			b.Fatal(err)
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d documents delivered after 10 minutes", got, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
