package as2_test

import (
	"context"
	"errors"
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
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/store"
)

// TestInboundAsyncMDNLoopback sends an outbox item to a partner whose
// channels.as2.mdn is async and which is our own endpoint: partner
// acme-retail has our AS2 ID, our certificate and our URL. The as2_send job
// POSTs the item with Receipt-Delivery-Option; our Handler stores it and
// queues its MDN; the as2_send_mdn job POSTs the signed MDN back to our
// Handler, which matches it by Original-Message-ID, verifies its signature
// and its MIC, and records the item delivered.
func TestInboundAsyncMDNLoopback(t *testing.T) {
	t.Parallel()
	var handler atomic.Pointer[http.Handler]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		(*handler.Load()).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	us := newPair(t, dir, "us", 1)
	env := gatewaytest.Start(t, gatewaytest.Partner{Extra: "  as2:\n    as2_id: NORTHWIND\n    certificates: [\"file:" +
		us.crtPath + "\"]\n    url: \"" + srv.URL + "/as2\"\n    mdn: async\n"})
	app := env.App

	workers := river.NewWorkers()
	client, err := river.NewClient(riverpgxv5.New(app.Pool), &river.Config{
		Queues:            map[string]river.QueueConfig{as2.QueueMDN: {MaxWorkers: 2}, as2.QueueSend: {MaxWorkers: 2}},
		Workers:           workers,
		RetryPolicy:       fastRetry{},
		FetchCooldown:     10 * time.Millisecond,
		FetchPollInterval: 50 * time.Millisecond,
		Logger:            app.Logger,
	})
	if err != nil {
		t.Fatal(err)
	}
	key := as2.Key{Cert: us.cert, Key: us.key}
	h, err := as2.New(as2.Config{Partners: app.Partners, Store: app.Store, DB: app.Pool, Pipeline: app.Pipeline,
		ID: "NORTHWIND", Keys: []as2.Key{key}, Logger: app.Logger, Jobs: client, MDNTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var hh http.Handler = h
	handler.Store(&hh)
	sender, err := as2.NewSender(as2.SenderConfig{ID: "NORTHWIND", Key: key, Partners: app.Partners, Store: app.Store,
		DB: app.Pool, Logger: app.Logger, ReceiptURL: srv.URL + "/as2"})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := sender.Worker()
	if err != nil {
		t.Fatal(err)
	}
	river.AddWorker(workers, h.Worker())
	river.AddWorker(workers, sw)
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

	id := queueOutbox(t, env, "997-loop.x12")
	if _, err := client.Insert(ctx, as2.SendAS2Args{OutboxID: id}, nil); err != nil {
		t.Fatal(err)
	}
	d := waitDelivery(t, env, id, func(d *store.OutboxDelivery) bool { return d.DeliveredAt != nil || d.FailedAt != nil })
	if d.DeliveredAt == nil || d.Error != "" || d.Item.PickedUpAt == nil || d.SentAt == nil || d.MICAlg != "sha-256" ||
		!strings.Contains(string(d.MDN), "multipart/signed") {
		t.Fatalf("delivery: %+v", d)
	}
	// Our receiving side computed the same MIC the sending side recorded,
	// and its MDN job records the MDN delivered once our handler answered
	// it, which can be just after the sending side recorded the delivery.
	deadline := time.Now().Add(30 * time.Second)
	for {
		rec, err := app.Store.AS2Message(ctx, app.Pool, "acme-retail", d.MessageID)
		if err != nil || rec.MIC != d.MIC {
			t.Fatalf("received message %+v, %v; sent MIC %s", rec, err, d.MIC)
		}
		if rec.MDNDeliveredAt != nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the MDN of %s is not recorded delivered after 30s: %+v", d.MessageID, rec)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitDelivery waits until outbox item id satisfies ok.
func waitDelivery(t *testing.T, env *gatewaytest.Env, id int64, ok func(*store.OutboxDelivery) bool) *store.OutboxDelivery {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		d, err := env.App.Store.OutboxDeliveryByID(context.Background(), env.App.Pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if ok(d) {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox item %d never reached the state: %+v", id, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestInboundAsyncMDN sends outbox items to a partner whose channels.as2.mdn is
// async and answers 200 without an MDN, then POSTs the partner's MDN, built
// and signed with openssl, to our Handler: processed MDNs deliver the item,
// refusing ones and a wrong MIC fail it, and MDNs that cannot be trusted or
// matched are refused with an HTTP error and change nothing.
func TestInboundAsyncMDN(t *testing.T) {
	t.Parallel()
	sb := setupSendChannel(t, "    mdn: async\n")
	w, err := sb.sender.Worker()
	if err != nil {
		t.Fatal(err)
	}
	app, ctx := sb.env.App, context.Background()
	get := func(id int64) *store.OutboxDelivery {
		d, err := app.Store.OutboxDeliveryByID(ctx, app.Pool, id)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// send runs the as2_send job of a new outbox item, which the partner
	// accepts and will answer asynchronously.
	send := func(t *testing.T) (*store.OutboxDelivery, sentMessage) {
		id := sb.outboxItem(t, "997.x12")
		err := w.Work(ctx, &river.Job[as2.SendAS2Args]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: as2.SendMaxAttempts},
			Args: as2.SendAS2Args{OutboxID: id}})
		var snooze *river.JobSnoozeError
		if !errors.As(err, &snooze) || snooze.Duration != as2.DefaultMDNWait {
			t.Fatalf("sending: %v, want the job snoozed for %s", err, as2.DefaultMDNWait)
		}
		got := sb.last(t)
		d := get(id)
		if d.DeliveredAt != nil || d.FailedAt != nil || d.SentAt == nil || d.Attempts != 1 || d.MIC != got.mic ||
			d.MICAlg != "sha-256" || got.header.Get("Message-ID") != d.MessageID {
			t.Fatalf("sent item: %+v; the partner got Message-ID %s, MIC %s", d, got.header.Get("Message-ID"), got.mic)
		}
		if v := got.header.Get("Receipt-Delivery-Option"); v != sb.srv.URL+"/as2" {
			t.Fatalf("Receipt-Delivery-Option %q", v)
		}
		return d, got
	}
	postMDN := func(t *testing.T, mode, originalID, mic string) (int, string) {
		msg, err := sb.mdn(mode, originalID, mic)
		if err != nil {
			t.Fatal(err)
		}
		resp, body := sb.post(t, msg, map[string]string{"Message-ID": "<mdn-" + mode + "@acme.example>",
			"Disposition-Notification-To": "", "Disposition-Notification-Options": ""})
		return resp.StatusCode, string(body)
	}

	for _, tc := range []struct {
		mode       string
		delivered  bool
		wantErr    string // in the item's delivery error
		pickedUpAt bool
	}{
		{"processed", true, "", true},
		{"warning", true, "duplicate-document", true},
		{"wrong-mic", false, as2.ErrMICMismatch.Error(), false},
		{"error", false, "processed/error: decryption-failed", false},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			d, got := send(t)
			if code, body := postMDN(t, tc.mode, d.MessageID, got.mic); code != http.StatusOK {
				t.Fatalf("MDN answered %d %s", code, body)
			}
			after := get(d.Item.ID)
			if (after.DeliveredAt != nil) != tc.delivered || (after.FailedAt != nil) == tc.delivered ||
				(after.Item.PickedUpAt != nil) != tc.pickedUpAt || !strings.Contains(after.Error, tc.wantErr) ||
				(tc.wantErr == "") != (after.Error == "") || !strings.Contains(string(after.MDN), "multipart/signed") {
				t.Errorf("after the MDN: %+v", after)
			}
		})
	}

	t.Run("repeated", func(t *testing.T) {
		d, got := send(t)
		for range 2 {
			if code, body := postMDN(t, "processed", d.MessageID, got.mic); code != http.StatusOK {
				t.Fatalf("MDN answered %d %s", code, body)
			}
		}
		if after := get(d.Item.ID); after.DeliveredAt == nil || after.Error != "" {
			t.Errorf("after two MDNs: %+v", after)
		}
	})

	for _, tc := range []struct {
		name, mode, originalID string
		status                 int
		msg                    string
	}{
		{"unknown Original-Message-ID", "processed", "<never-sent@partnergate>", http.StatusBadRequest,
			"the MDN answers Message-ID <never-sent@partnergate>, which was not sent to partner acme-retail"},
		{"unsigned", "unsigned", "", http.StatusForbidden, "the MDN is not signed by one of the partner's certificates"},
		{"signed by a stranger", "wrong-signer", "", http.StatusForbidden, "the MDN is not signed by one of the partner's certificates"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, got := send(t)
			original := tc.originalID
			if original == "" {
				original = d.MessageID
			}
			code, body := postMDN(t, tc.mode, original, got.mic)
			if code != tc.status || !strings.Contains(body, tc.msg) {
				t.Errorf("MDN answered %d %q, want %d %q", code, body, tc.status, tc.msg)
			}
			if after := get(d.Item.ID); after.DeliveredAt != nil || after.FailedAt != nil || after.Error != "" || len(after.MDN) != 0 {
				t.Errorf("the refused MDN changed the item: %+v", after)
			}
		})
	}
}

// TestAsyncSendWithoutReceiptURL: a Sender without a receipt URL cannot ask
// for an asynchronous MDN, and says why.
func TestAsyncSendWithoutReceiptURL(t *testing.T) {
	t.Parallel()
	sb := setupSendChannel(t, "    mdn: async\n")
	s, err := as2.NewSender(as2.SenderConfig{ID: "NORTHWIND", Key: as2.Key{Cert: sb.us.cert, Key: sb.us.key}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), &as2.SendParams{Partner: sb.partnerConfig(t), Filename: "x.edi", Payload: []byte("hi")})
	var se *as2.SendError
	if !errors.As(err, &se) || se.Step != as2.StepConfig || se.Temporary || !strings.Contains(err.Error(), "as2.public_url") {
		t.Errorf("got %v, want a permanent config error naming as2.public_url", err)
	}
}

// TestAsyncMDNOverdue runs the as2_send job of items sent to a partner
// whose channels.as2.mdn is async, the way River does: the sending attempt
// snoozes, and when it comes back without the MDN the attempt fails, the
// next one sends the item again with the same Message-ID, and after the
// last one the item is failed. An MDN that came in between ends the job.
func TestAsyncMDNOverdue(t *testing.T) {
	t.Parallel()
	sb := setupSendChannel(t, "    mdn: async\n")
	w, err := sb.sender.Worker()
	if err != nil {
		t.Fatal(err)
	}
	work := func(id int64, attempt int) error { return sb.work(w, id, attempt) }
	get := func(id int64) *store.OutboxDelivery { return sb.delivery(t, id) }
	snoozed := func(t *testing.T, err error) {
		t.Helper()
		var snooze *river.JobSnoozeError
		if !errors.As(err, &snooze) {
			t.Fatalf("%v, want the job snoozed", err)
		}
	}
	overdue := func(t *testing.T, err error) {
		t.Helper()
		var cancel *river.JobCancelError
		if !errors.Is(err, as2.ErrNoAsyncMDN) || errors.As(err, &cancel) {
			t.Fatalf("%v, want ErrNoAsyncMDN for River to retry", err)
		}
	}
	postMDN := func(t *testing.T, mode string, d *store.OutboxDelivery) {
		t.Helper()
		msg, err := sb.mdn(mode, d.MessageID, d.MIC)
		if err != nil {
			t.Fatal(err)
		}
		if resp, body := sb.post(t, msg, map[string]string{"Message-ID": "<mdn-" + mode + "@acme.example>",
			"Disposition-Notification-To": "", "Disposition-Notification-Options": ""}); resp.StatusCode != 200 {
			t.Fatalf("MDN answered %d %s", resp.StatusCode, body)
		}
	}

	t.Run("sent again, then answered", func(t *testing.T) {
		id := sb.outboxItem(t, "late.x12")
		snoozed(t, work(id, 1))
		first := sb.last(t).header.Get("Message-ID")
		overdue(t, work(id, 1))
		if d := get(id); d.DeliveredAt != nil || d.FailedAt != nil || d.Attempts != 1 || !strings.Contains(d.Error, "no asynchronous MDN") {
			t.Fatalf("overdue item: %+v", d)
		}
		snoozed(t, work(id, 2))
		if again := sb.last(t).header.Get("Message-ID"); again != first {
			t.Errorf("sent again as %s, first as %s", again, first)
		}
		d := get(id)
		if d.Attempts != 2 || d.Error != "" {
			t.Errorf("sent again: %+v", d)
		}
		postMDN(t, "processed", d)
		if err := work(id, 2); err != nil {
			t.Fatalf("after the MDN: %v", err)
		}
		if d := get(id); d.DeliveredAt == nil || d.Item.PickedUpAt == nil {
			t.Errorf("answered item: %+v", d)
		}
	})
	t.Run("refused in between", func(t *testing.T) {
		id := sb.outboxItem(t, "refused.x12")
		snoozed(t, work(id, 1))
		postMDN(t, "error", get(id))
		if err := work(id, 1); err != nil {
			t.Fatalf("after the refusing MDN: %v", err)
		}
		if d := get(id); d.FailedAt == nil || !strings.Contains(d.Error, "decryption-failed") {
			t.Errorf("refused item: %+v", d)
		}
	})
	t.Run("never answered", func(t *testing.T) {
		id := sb.outboxItem(t, "never.x12")
		snoozed(t, work(id, as2.SendMaxAttempts))
		overdue(t, work(id, as2.SendMaxAttempts))
		if d := get(id); d.FailedAt == nil || d.DeliveredAt != nil || !strings.Contains(d.Error, "no asynchronous MDN") {
			t.Errorf("given up item: %+v", d)
		}
	})
}
