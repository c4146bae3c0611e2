package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/partnergate/partnergate/edi"
)

// benchOpts configures "partnergate bench ingest".
type benchOpts struct {
	url         string
	key         string
	sender      string
	receiver    string
	duration    time.Duration
	concurrency int
	rate        float64
	sets        int
	lines       int
	wait        time.Duration
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "as2" {
		return runBenchAS2(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "ingest" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stdout, "usage: partnergate bench ingest|as2 [flags]; see partnergate bench ingest -h, partnergate bench as2 -h")
			return exitOK
		}
		fmt.Fprintln(stderr, "usage: partnergate bench ingest|as2 [flags]")
		return exitUsage
	}
	fs := newFlagSet("bench ingest", "[--url URL] [--key KEY] [--duration D] [--concurrency N] [--sets N]", stderr)
	var o benchOpts
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080", "the gateway's base `URL`")
	fs.StringVar(&o.key, "key", "demo-acme-key", "the partner's API `key`")
	fs.StringVar(&o.sender, "sender", "ACMERETAIL", "the partner's ISA06 (qualifier ZZ)")
	fs.StringVar(&o.receiver, "receiver", "NORTHWIND", "the gateway's ISA08 (qualifier ZZ)")
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "how long to post files")
	fs.IntVar(&o.concurrency, "concurrency", 16, "files posted at once")
	fs.Float64Var(&o.rate, "rate", 0, "files posted per second in all; 0 posts as fast as the gateway answers")
	fs.IntVar(&o.sets, "sets", 10, "850 transaction sets per file")
	fs.IntVar(&o.lines, "lines", 8, "PO1 lines per set")
	fs.DurationVar(&o.wait, "wait", 2*time.Minute, "how long to wait for the last files to be processed")
	if code, done := parseFlags(fs, args[1:]); done {
		return code
	}
	rep, err := benchIngest(ctx, &o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "partnergate bench ingest: %v\n", err)
		return exitFail
	}
	rep.print(stdout)
	return exitOK
}

// benchReport is what a load run measured.
type benchReport struct {
	opts           *benchOpts
	posted, failed int
	postWall       time.Duration
	bytes          int64
	processed      int
	span           time.Duration // first receipt to last acks ready
	latencies      []time.Duration
	statuses       map[string]int
}

func benchIngest(ctx context.Context, o *benchOpts, progress io.Writer) (*benchReport, error) {
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency}}
	rep := &benchReport{opts: o, statuses: map[string]int{}}
	ids := benchPost(ctx, client, o, rep)
	fmt.Fprintf(progress, "posted %d files in %s; waiting for processing\n", rep.posted, rep.postWall.Round(time.Millisecond))
	return rep, benchCollect(ctx, client, o, ids, rep)
}

// benchFile generates the n-th file of a run: distinct purchase orders
// under a fresh ISA13, so no two posts are duplicates.
func benchFile(o *benchOpts, base, n int64) ([]byte, error) {
	var b bytes.Buffer
	_, err := edi.GenerateOrders(&b, &edi.GenerateOpts{Interchanges: 1, SetsPerGroup: o.sets, LinesPerSet: o.lines,
		Seed: base + n, FirstControl: int(base + n), Sender: o.sender, Receiver: o.receiver, Day: time.Now()})
	return b.Bytes(), err
}

func benchPost(ctx context.Context, client *http.Client, o *benchOpts, rep *benchReport) []int64 {
	var (
		mu   sync.Mutex
		ids  []int64
		next atomic.Int64
		wg   sync.WaitGroup
	)
	base := 100000000 + rand.Int64N(800000000)
	start := time.Now()
	deadline := start.Add(o.duration)
	for range o.concurrency {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n := next.Add(1)
				if o.rate > 0 {
					time.Sleep(time.Until(start.Add(time.Duration(float64(n-1) / o.rate * float64(time.Second)))))
				}
				body, err := benchFile(o, base, n)
				var id int64
				if err == nil {
					id, err = benchPostOne(ctx, client, o, body, n)
				}
				mu.Lock()
				if err != nil {
					rep.failed++
				} else {
					rep.posted++
					rep.bytes += int64(len(body))
					ids = append(ids, id)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	rep.postWall = time.Since(start)
	return ids
}

func benchPostOne(ctx context.Context, client *http.Client, o *benchOpts, body []byte, n int64) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.url+"/api/v1/inbound", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+o.key)
	req.Header.Set("X-Filename", fmt.Sprintf("bench-%d.edi", n))
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var out struct {
		FileID int64 `json:"file_id"`
	}
	if resp.StatusCode != http.StatusAccepted {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return 0, fmt.Errorf("POST /api/v1/inbound: %s: %s", resp.Status, msg)
	}
	err = json.NewDecoder(resp.Body).Decode(&out)
	return out.FileID, err
}

// benchStatus is the part of GET /api/v1/files/{id} the report needs.
type benchStatus struct {
	Status      string     `json:"status"`
	ReceivedAt  time.Time  `json:"received_at"`
	ProcessedAt *time.Time `json:"processed_at"`
}

// benchCollect waits for every posted file to be processed and records its
// latency from receipt to acks ready, as the gateway timed them.
func benchCollect(ctx context.Context, client *http.Client, o *benchOpts, ids []int64, rep *benchReport) error {
	var (
		mu          sync.Mutex
		wg          sync.WaitGroup
		first, last time.Time
		errs        []error
	)
	work := make(chan int64)
	deadline := time.Now().Add(o.wait)
	for range o.concurrency {
		wg.Go(func() {
			for id := range work {
				f, err := benchWait(ctx, client, o, id, deadline)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					rep.processed++
					rep.statuses[f.Status]++
					rep.latencies = append(rep.latencies, f.ProcessedAt.Sub(f.ReceivedAt))
					if first.IsZero() || f.ReceivedAt.Before(first) {
						first = f.ReceivedAt
					}
					if f.ProcessedAt.After(last) {
						last = *f.ProcessedAt
					}
				}
				mu.Unlock()
			}
		})
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	rep.span = last.Sub(first)
	if len(errs) > 0 {
		return fmt.Errorf("%d of %d files not processed; first: %w", len(errs), len(ids), errs[0])
	}
	return nil
}

func benchWait(ctx context.Context, client *http.Client, o *benchOpts, id int64, deadline time.Time) (*benchStatus, error) {
	for {
		f, err := benchGet(ctx, client, o, id)
		if err != nil {
			return nil, err
		}
		if f.ProcessedAt != nil {
			return f, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("file %d still %s", id, f.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func benchGet(ctx context.Context, client *http.Client, o *benchOpts, id int64) (*benchStatus, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/api/v1/files/%d", o.url, id), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+o.key)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET file %d: %s", id, resp.Status)
	}
	var f benchStatus
	return &f, json.NewDecoder(resp.Body).Decode(&f)
}

func (r *benchReport) print(w io.Writer) {
	o := r.opts
	slices.Sort(r.latencies)
	sets := r.processed * o.sets
	fmt.Fprintf(w, "files posted      %d (%d failed) in %s, %d concurrent, rate %s, %d sets of %d lines each\n",
		r.posted, r.failed, r.postWall.Round(time.Millisecond), o.concurrency, rateWord(o.rate, "files"), o.sets, o.lines)
	fmt.Fprintf(w, "posted            %.1f files/s, %.0f sets/s, %.2f MB/s\n", rate(r.posted, r.postWall),
		rate(r.posted*o.sets, r.postWall), float64(r.bytes)/1e6/r.postWall.Seconds())
	fmt.Fprintf(w, "processed         %d files, %d sets in %s (first receipt to last acks ready)\n",
		r.processed, sets, r.span.Round(time.Millisecond))
	fmt.Fprintf(w, "throughput        %.1f files/s, %.0f transaction sets/s\n", rate(r.processed, r.span), rate(sets, r.span))
	fmt.Fprintf(w, "receipt→acks      p50 %s  p90 %s  p99 %s  max %s\n", pct(r.latencies, 50), pct(r.latencies, 90),
		pct(r.latencies, 99), pct(r.latencies, 100))
	fmt.Fprintf(w, "file statuses     %v\n", r.statuses)
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(i, len(sorted))-1)].Round(time.Millisecond)
}

// rateWord describes an offered rate of things (files, messages) per second.
func rateWord(r float64, things string) string {
	if r <= 0 {
		return "unlimited"
	}
	return fmt.Sprintf("%g %s/s", r, things)
}
