package as2_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/partnergate/partnergate/gateway/as2"
	"github.com/partnergate/partnergate/gateway/store"
)

// fastRetry retries failed jobs after 20 ms.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(20 * time.Millisecond) }

// setupAsync is setup with an AS2 handler that queues asynchronous MDNs on
// a River client of its own, which works QueueMDN.
func setupAsync(t *testing.T) *bundle {
	t.Helper()
	return setupAsyncChannel(t, "")
}

// setupAsyncChannel is setupAsync with more lines of the partner's
// channels.as2.
func setupAsyncChannel(t *testing.T, channel string) *bundle {
	t.Helper()
	b := setup(t, channel)
	app := b.env.App
	workers := river.NewWorkers()
	client, err := river.NewClient(riverpgxv5.New(app.Pool), &river.Config{
		Queues:            map[string]river.QueueConfig{as2.QueueMDN: {MaxWorkers: 2}},
		Workers:           workers,
		RetryPolicy:       fastRetry{},
		FetchCooldown:     10 * time.Millisecond,
		FetchPollInterval: 50 * time.Millisecond,
		Logger:            app.Logger,
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := as2.New(as2.Config{Partners: app.Partners, Store: app.Store, DB: app.Pool, Pipeline: app.Pipeline,
		ID: "NORTHWIND", Keys: []as2.Key{{Cert: b.us.cert, Key: b.us.key}}, Logger: app.Logger, Jobs: client,
		MDNTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	river.AddWorker(workers, h.Worker())
	ctx, cancel := context.WithCancel(context.Background())
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = client.Stop(stop)
		cancel()
	})
	b.srv.Close()
	b.srv = httptest.NewServer(h)
	t.Cleanup(b.srv.Close)
	return b
}

// received is one request a partner's MDN receiver got.
type received struct {
	header http.Header
	body   []byte
}

// receiver serves a partner's MDN URL, answering each request with the
// next of statuses (200 once they are used up).
func receiver(t *testing.T, statuses ...int) (*httptest.Server, <-chan received) {
	t.Helper()
	got := make(chan received, 20)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{r.Header.Clone(), body}
		if i := int(n.Add(1)) - 1; i < len(statuses) {
			http.Error(w, "busy", statuses[i])
		}
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// waitRecord waits until the record of <msg-1@acme.example> satisfies ok.
func (b *bundle) waitRecord(t *testing.T, ok func(*store.AS2Message) bool) *store.AS2Message {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		m, err := b.env.App.Store.AS2Message(context.Background(), b.env.App.Pool, "acme-retail", "<msg-1@acme.example>")
		if err != nil {
			t.Fatal(err)
		}
		if ok(m) {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("record never reached the state: %+v", m)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func next(t *testing.T, got <-chan received) received {
	t.Helper()
	select {
	case r := <-got:
		return r
	case <-time.After(20 * time.Second):
		t.Fatal("no MDN received")
		return received{}
	}
}

func TestAsyncMDN(t *testing.T) {
	t.Parallel()
	b := setupAsync(t)
	rcv, got := receiver(t)
	signed := sign(t, b.partner, payloadEntity(t))
	resp, body := b.post(t, encrypt(t, b.us, signed), map[string]string{"Receipt-Delivery-Option": rcv.URL + "/mdn"})
	if resp.StatusCode != http.StatusOK || len(body) != 0 || resp.Header.Get("Content-Type") != "" {
		t.Fatalf("answer %d %q %s, want an empty 200", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	r := next(t, got)
	for k, want := range map[string]string{"AS2-From": "NORTHWIND", "AS2-To": `"ACME AS2"`, "AS2-Version": "1.2",
		"MIME-Version": "1.0"} {
		if v := r.header.Get(k); v != want {
			t.Errorf("%s: %q, want %q", k, v, want)
		}
	}
	if id := r.header.Get("Message-ID"); !strings.HasPrefix(id, "<") || id == "<msg-1@acme.example>" {
		t.Errorf("Message-ID %q", id)
	}
	report := b.verifyMDN(t, &http.Response{StatusCode: http.StatusOK, Header: r.header}, r.body)
	if d := disposition(t, report); d != as2.DispositionProcessed {
		t.Errorf("disposition %q", d)
	}
	for _, want := range []string{"Original-Message-ID: <msg-1@acme.example>\r\n",
		"Received-Content-MIC: " + signedPartMIC(t, signed) + ", sha256\r\n"} {
		if !strings.Contains(report, want) {
			t.Errorf("the MDN lacks %q:\n%s", want, report)
		}
	}
	m := b.waitRecord(t, func(m *store.AS2Message) bool { return m.MDNDeliveredAt != nil })
	if m.MDNAttempts != 1 || m.MDNError != "" || m.MDNFailedAt != nil {
		t.Errorf("record %+v", m)
	}
}

func TestAsyncMDNRetried(t *testing.T) {
	t.Parallel()
	b := setupAsync(t)
	rcv, got := receiver(t, http.StatusInternalServerError, http.StatusInternalServerError)
	resp, _ := b.post(t, sign(t, b.partner, payloadEntity(t)), map[string]string{"Receipt-Delivery-Option": rcv.URL})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	m := b.waitRecord(t, func(m *store.AS2Message) bool { return m.MDNDeliveredAt != nil })
	if m.MDNAttempts != 3 || m.MDNError != "" || m.MDNFailedAt != nil {
		t.Errorf("record %+v, want delivered on the third attempt", m)
	}
	for i := range 3 {
		r := next(t, got)
		b.verifyMDN(t, &http.Response{StatusCode: http.StatusOK, Header: r.header}, r.body)
		if i == 0 && len(got) != 2 {
			t.Errorf("%d more requests, want 2", len(got))
		}
	}
}

func TestAsyncMDNUnreachable(t *testing.T) {
	t.Parallel()
	b := setupAsync(t)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	resp, _ := b.post(t, sign(t, b.partner, payloadEntity(t)), map[string]string{"Receipt-Delivery-Option": gone.URL})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	m := b.waitRecord(t, func(m *store.AS2Message) bool { return m.MDNFailedAt != nil })
	if m.MDNAttempts != as2.MDNMaxAttempts || m.MDNError == "" || m.MDNDeliveredAt != nil {
		t.Errorf("record %+v, want %d failed attempts", m, as2.MDNMaxAttempts)
	}
	// River marks the job discarded after the worker has recorded the failure.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var state string
		err := b.env.App.Pool.QueryRow(context.Background(), `SELECT state FROM river_job WHERE kind = 'as2_send_mdn'`).Scan(&state)
		if err == nil && state == "discarded" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("job state %q (%v), want discarded", state, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestAsyncMDNRefusedMessage(t *testing.T) {
	t.Parallel()
	b := setupAsync(t)
	rcv, got := receiver(t)
	tampered := strings.Replace(string(sign(t, b.partner, payloadEntity(t))), "4500012345", "4500012346", 1)
	resp, _ := b.post(t, []byte(tampered), map[string]string{"Receipt-Delivery-Option": rcv.URL})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	r := next(t, got)
	report := b.verifyMDN(t, &http.Response{StatusCode: http.StatusOK, Header: r.header}, r.body)
	if d := disposition(t, report); !strings.HasSuffix(d, "processed/error: integrity-check-failed") {
		t.Errorf("disposition %q", d)
	}
}

func TestAsyncMDNBadURL(t *testing.T) {
	t.Parallel()
	b := setupAsync(t)
	for i, u := range []string{"mailto:as2@acme.example", "ftp://acme.example/mdn", "http://acme.example/" + strings.Repeat("x", 2048), "/relative"} {
		id := "<bad-" + string(rune('a'+i)) + "@acme.example>"
		resp, _ := b.post(t, sign(t, b.partner, payloadEntity(t)), map[string]string{"Receipt-Delivery-Option": u, "Message-ID": id})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", u, resp.StatusCode)
		}
		if _, err := b.env.App.Store.AS2Message(context.Background(), b.env.App.Pool, "acme-retail", id); err != nil {
			t.Errorf("%s: message not recorded: %v", u, err)
		}
	}
	var n int
	if err := b.env.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'as2_send_mdn'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d jobs (%v), want none", n, err)
	}
}

// A partner that names its AS2 URL gets asynchronous MDNs only there: the
// Receipt-Delivery-Option header is not signed.
func TestAsyncMDNOnlyToThePartnersHost(t *testing.T) {
	t.Parallel()
	b := setupAsyncChannel(t, "    url: https://as2.acme.example/as2\n")
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("an MDN was sent to %s", r.Host)
	}))
	defer rcv.Close()
	id := "<elsewhere@acme.example>"
	resp, _ := b.post(t, sign(t, b.partner, payloadEntity(t)), map[string]string{"Receipt-Delivery-Option": rcv.URL, "Message-ID": id})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if _, err := b.env.App.Store.AS2Message(context.Background(), b.env.App.Pool, "acme-retail", id); err != nil {
		t.Errorf("message not recorded: %v", err)
	}
	var n int
	if err := b.env.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'as2_send_mdn'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d jobs (%v), want none", n, err)
	}
}
