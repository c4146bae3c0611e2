package as2

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/partnergate/partnergate/gateway/store"
)

// QueueSend is the River queue of SendAS2Args jobs, apart from the default
// queue so that slow partner servers do not hold up file processing. The
// River client that works them must list it in its Queues.
const QueueSend = "as2_send"

// SendMaxAttempts is how many times an outbox item is sent before it is
// given up, with River's default backoff in between (about a day in all).
const SendMaxAttempts = 12

// DefaultMDNWait is the default of SenderConfig.MDNWait.
const DefaultMDNWait = time.Hour

// ErrNoAsyncMDN is an item sent asking for an asynchronous MDN whose MDN did
// not come within SenderConfig.MDNWait.
var ErrNoAsyncMDN = errors.New("no asynchronous MDN came")

// SendAS2Args is the job that delivers an outbox item to its partner over
// AS2.
type SendAS2Args struct {
	// OutboxID is the outbox item; its delivery is recorded there.
	OutboxID int64 `json:"outbox_id"`
}

// Kind names the job in River.
func (SendAS2Args) Kind() string { return "as2_send" }

// InsertOpts puts the job in QueueSend with SendMaxAttempts attempts.
func (SendAS2Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueSend, MaxAttempts: SendMaxAttempts,
		// One job per item: queueing a file's items again (after a staff
		// rejection adds one) leaves those already queued or sent alone.
		UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Worker returns the worker of SendAS2Args jobs; it needs the Partners,
// Store and DB of the SenderConfig. Register it with river.AddWorker on the
// client that works QueueSend.
func (s *Sender) Worker() (river.Worker[SendAS2Args], error) {
	if s.cfg.Partners == nil || s.cfg.Store == nil || s.cfg.DB == nil {
		return nil, errors.New("as2: the send worker needs SenderConfig.Partners, Store and DB")
	}
	return &sendWorker{s: s}, nil
}

type sendWorker struct {
	river.WorkerDefaults[SendAS2Args]
	s *Sender
}

// Timeout leaves the HTTP request its own timeout and the recording some
// time after it.
func (w *sendWorker) Timeout(*river.Job[SendAS2Args]) time.Duration {
	t := w.s.cfg.Client.Timeout
	if t <= 0 {
		t = DefaultSendTimeout
	}
	return t + 30*time.Second
}

// Work sends the outbox item and records the attempt. A confirmed delivery
// picks the item up. Temporary failures (connections, timeouts, HTTP 5xx)
// are retried by River with backoff; other failures (no AS2 channel, a
// refusal, a bad MDN or MIC) cancel the job and mark the item failed. An
// item sent to a partner that answers with an asynchronous MDN snoozes the
// job for SenderConfig.MDNWait once the partner accepts the POST; the
// Handler records the outcome when the MDN arrives, and when none did by
// then the attempt fails (overdue) and the next one sends the item again.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendAS2Args]) error {
	s, id := w.s, job.Args.OutboxID
	log := s.log.With("outbox_id", id, "attempt", job.Attempt)
	d, err := s.cfg.Store.OutboxDeliveryByID(ctx, s.cfg.DB, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		log.WarnContext(ctx, "AS2 delivery dropped: the outbox item is gone")
		return river.JobCancel(err)
	case err != nil:
		return err
	case d.DeliveredAt != nil:
		return nil
	case d.SentAt != nil && d.MIC != "" && d.Attempts == job.Attempt:
		// This attempt sent the item and snoozed: its MDN is overdue.
		return w.overdue(ctx, log.With("partner", d.Item.PartnerID), job, d)
	}
	it := d.Item
	log = log.With("partner", it.PartnerID)
	messageID := d.MessageID
	if messageID == "" {
		messageID = outboxMessageID(s.cfg.ID, it)
	}
	res, err := s.sendItem(ctx, log, job.Attempt, it, messageID)
	if err == nil && res.AwaitingMDN {
		// The MDN's arrival records the outcome (Handler); the job comes
		// back after MDNWait, within the same attempt, to see that it did.
		log.InfoContext(ctx, "AS2 message sent; awaiting its asynchronous MDN", "message_id", messageID,
			"wait", s.cfg.MDNWait)
		return river.JobSnooze(s.cfg.MDNWait)
	}
	var se *SendError
	permanent := errors.As(err, &se) && !se.Temporary
	final := job.Attempt >= job.MaxAttempts || permanent
	rec := &store.RecordOutboxDeliveryParams{ID: id, Attempt: job.Attempt, MessageID: messageID, Final: final}
	if err != nil {
		rec.Err = err.Error()
	} else {
		rec.Delivered, rec.MDN, rec.Err = true, res.MDN, res.Warning
	}
	if rerr := s.cfg.Store.RecordOutboxDelivery(context.WithoutCancel(ctx), s.cfg.DB, rec); rerr != nil {
		log.ErrorContext(ctx, "AS2 delivery not recorded", "err", rerr)
		if err == nil {
			// Sent again with the same Message-ID, the partner can
			// recognize the repeat.
			return fmt.Errorf("recording the delivery of outbox item %d: %w", id, rerr)
		}
	}
	switch {
	case err == nil:
		log.InfoContext(ctx, "AS2 message delivered", "message_id", messageID, "disposition", res.Disposition,
			"warning", res.Warning)
		return nil
	case permanent:
		log.ErrorContext(ctx, "AS2 message not delivered; giving up", "message_id", messageID, "err", err)
		return river.JobCancel(err)
	case final:
		log.ErrorContext(ctx, "AS2 message not delivered; giving up after the last attempt", "message_id", messageID, "err", err)
	default:
		log.WarnContext(ctx, "AS2 message not delivered; will retry", "message_id", messageID, "err", err)
	}
	return err
}

// overdue ends the wait for an asynchronous MDN. When none came, the
// attempt fails and River retries it with backoff, sending the item again
// with the same Message-ID; after the last attempt the item is failed.
func (w *sendWorker) overdue(ctx context.Context, log *slog.Logger, job *river.Job[SendAS2Args], d *store.OutboxDelivery) error {
	s := w.s
	if d.FailedAt != nil {
		log.InfoContext(ctx, "AS2 message refused by its asynchronous MDN", "message_id", d.MessageID, "err", d.Error)
		return nil
	}
	err := fmt.Errorf("%w within %s of sending %s", ErrNoAsyncMDN, s.cfg.MDNWait, d.MessageID)
	final := job.Attempt >= job.MaxAttempts
	rec := &store.RecordOutboxDeliveryParams{ID: d.Item.ID, Attempt: job.Attempt, MessageID: d.MessageID, Err: err.Error(),
		Final: final}
	if rerr := s.cfg.Store.RecordOutboxDelivery(context.WithoutCancel(ctx), s.cfg.DB, rec); rerr != nil {
		log.ErrorContext(ctx, "AS2 delivery not recorded", "err", rerr)
	}
	if final {
		log.ErrorContext(ctx, "AS2 message not delivered; giving up after the last attempt", "message_id", d.MessageID, "err", err)
	} else {
		log.WarnContext(ctx, "AS2 message without its asynchronous MDN; will send it again", "message_id", d.MessageID, "err", err)
	}
	return err
}

// sendItem sends an outbox item. When the partner answers asynchronously,
// the item's Message-ID and MIC are recorded before the POST, for the MDN
// to be matched against.
func (s *Sender) sendItem(ctx context.Context, log *slog.Logger, attempt int, it *store.OutboxItem, messageID string) (*SendResult, error) {
	p, ok := s.cfg.Partners.Current().ByID(it.PartnerID)
	if !ok {
		return nil, sendErr(StepConfig, false, "partner %q is not configured any more", it.PartnerID)
	}
	o, err := s.prepare(ctx, &SendParams{Partner: p, Filename: it.Filename, Payload: it.Body, MessageID: messageID})
	if err != nil {
		return nil, err
	}
	if o.async {
		err := s.cfg.Store.RecordOutboxSending(ctx, s.cfg.DB, &store.RecordOutboxSendingParams{ID: it.ID, Attempt: attempt,
			MessageID: messageID, MIC: o.res.MIC, MICAlg: o.res.MICAlg})
		if err != nil {
			return nil, fmt.Errorf("the message is not sent: recording its sending: %w", err)
		}
	}
	return s.post(o)
}

// outboxMessageID is the Message-ID of an outbox item, the same at every
// attempt so that the partner recognizes a repeat.
func outboxMessageID(ourID string, it *store.OutboxItem) string {
	id := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return -1
	}, ourID)
	return fmt.Sprintf("<outbox-%d-%d-%s@partnergate>", it.ID, it.CreatedAt.UnixNano(), id)
}
