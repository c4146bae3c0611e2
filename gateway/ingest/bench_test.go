package ingest_test

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/ingest"
)

// BenchmarkIngest receives files of 10 purchase orders from 8 senders at
// once and waits until every one is processed by 16 workers, acks ready;
// one op is one file.
func BenchmarkIngest(b *testing.B) {
	env := gatewaytest.StartWorkers(b, 16)
	ctx := context.Background()
	files := make([][]byte, b.N)
	for i := range files {
		var buf bytes.Buffer
		if _, err := edi.GenerateOrders(&buf, &edi.GenerateOpts{SetsPerGroup: 10, Seed: int64(i), FirstControl: 1 + i}); err != nil {
			b.Fatal(err)
		}
		files[i] = buf.Bytes()
	}
	b.SetBytes(int64(len(files[0])))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range 8 {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(files)); i = next.Add(1) - 1 {
				_, err := env.App.Pipeline.Receive(ctx, &ingest.ReceiveParams{PartnerID: "acme-retail", Channel: "api",
					Body: bytes.NewReader(files[i])})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for {
		var left int
		if err := env.App.Pool.QueryRow(ctx, `SELECT count(*) FROM files WHERE status = 'received'`).Scan(&left); err != nil {
			b.Fatal(err)
		}
		if left == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.ReportMetric(float64(10*b.N)/time.Since(start).Seconds(), "sets/s")
}
