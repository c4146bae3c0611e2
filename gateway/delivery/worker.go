package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/outbound"
)

// inFlightWait is how long a delivery waits before looking again at an
// earlier delivery of its chain that is being attempted, or at the
// partner's earlier files still being processed.
const inFlightWait = time.Second

// Workers registers the delivery worker and adds each destination's
// queue to client, with the destination's concurrency.
func (f *Forwarder) Workers(workers *river.Workers) {
	river.AddWorker(workers, &worker{f: f})
}

// AddQueues adds each destination's queue to client.
func (f *Forwarder) AddQueues(client *river.Client[pgx.Tx]) error {
	for _, d := range f.cfg.Destinations {
		if err := client.Queues().Add(Queue(d.Name), river.QueueConfig{MaxWorkers: d.Concurrency}); err != nil {
			return fmt.Errorf("delivery: the queue of destination %s: %w", d.Name, err)
		}
	}
	return nil
}

type worker struct {
	river.WorkerDefaults[Args]
	f *Forwarder
}

// Timeout leaves room for the request after the database work.
func (w *worker) Timeout(job *river.Job[Args]) time.Duration {
	if d := w.f.dests[job.Args.Destination]; d != nil {
		return d.Timeout + 30*time.Second
	}
	return time.Minute
}

// Work makes one attempt of a delivery, holding its row locked from the
// order check until the outcome is recorded: a second job of the same
// delivery waits, then finds it done.
func (w *worker) Work(ctx context.Context, job *river.Job[Args]) error {
	f := w.f
	dest := f.dests[job.Args.Destination]
	if dest == nil {
		return river.JobCancel(fmt.Errorf("delivery %d: destination %q is not configured", job.Args.DeliveryID, job.Args.Destination))
	}
	tx, err := f.cfg.DB.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := f.cfg.Store.AsyncCommit(ctx, tx); err != nil {
		return err
	}
	d, body, err := f.cfg.Store.LockDelivery(ctx, tx, job.Args.DeliveryID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil // its document was voided with its envelope
	case err != nil:
		return err
	case d.Status != store.DeliveryPending:
		return nil
	}
	wait, err := f.mustWait(ctx, tx, d)
	switch {
	case err != nil:
		return err
	case wait > 0:
		return river.JobSnooze(wait)
	case wait < 0:
		return tx.Commit(ctx)
	}
	next, err := f.attempt(ctx, tx, dest, d, body)
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("delivery %d: recording the attempt: %w", d.ID, err)
	}
	if next > 0 {
		return river.JobSnooze(next)
	}
	return nil
}

// mustWait keeps deliveries of one chain in order of receipt. It returns
// a positive wait when d must look again later, -1 when d is now blocked
// on an earlier delivery (commit tx), and 0 when d may go.
func (f *Forwarder) mustWait(ctx context.Context, tx pgx.Tx, d *store.Delivery) (time.Duration, error) {
	pred, open, inFlight, err := f.cfg.Store.OpenPredecessor(ctx, tx, d)
	switch {
	case err != nil:
		return 0, err
	case inFlight:
		return inFlightWait, nil
	case open:
		f.cfg.Logger.InfoContext(ctx, "delivery waits for an earlier one of the same document", "delivery", d.ID,
			"waits_for", pred, "chain", d.ChainKey, "destination", d.Destination)
		return -1, f.cfg.Store.BlockDelivery(ctx, tx, d.ID, pred)
	case d.Purpose == canonical.PurposeOriginal:
		return 0, nil
	}
	// A change or cancel may be in a file received after the order's,
	// but processed first.
	since := f.cfg.Store.Now().Add(-f.cfg.OrderWait)
	earlier, err := f.cfg.Store.UnprocessedBefore(ctx, tx, d.PartnerID, d.FileID, since)
	if err != nil || !earlier {
		return 0, err
	}
	return inFlightWait, nil
}

// attempt POSTs d's document, records the outcome in tx, and returns the
// wait before the next attempt, 0 when there is none.
func (f *Forwarder) attempt(ctx context.Context, tx pgx.Tx, dest *outbound.Destination, d *store.Delivery, body []byte) (time.Duration, error) {
	h := http.Header{}
	h.Set(outbound.HeaderPartner, d.PartnerID)
	h.Set(outbound.HeaderFile, strconv.FormatInt(d.FileID, 10))
	h.Set(outbound.HeaderDocument, strconv.FormatInt(d.DocumentID, 10))
	h.Set(outbound.HeaderDelivery, strconv.FormatInt(d.ID, 10))
	started := f.cfg.Store.Now()
	res := f.cfg.Client.Post(ctx, &outbound.Request{Destination: dest, Path: d.Path, IdempotencyKey: d.IdempotencyKey,
		Header: h, Body: body})
	rec := &store.RecordAttemptParams{Delivery: d, StartedAt: started, Latency: res.Latency, StatusCode: res.StatusCode,
		Outcome: res.Outcome.String()}
	if res.Err != nil {
		rec.Error = res.Err.Error()
	}
	wait := f.decide(dest, d, res, rec)
	f.cfg.Metrics.observe(dest.Name, rec.Status, res)
	f.log(ctx, d, rec, res, wait)
	woken, err := f.cfg.Store.RecordAttempt(ctx, tx, rec)
	if err != nil {
		return 0, err
	}
	if err := f.raise(ctx, tx, dest, d, rec, res); err != nil {
		return 0, err
	}
	return wait, insertJobs(ctx, tx, f.Jobs, woken)
}

// decide sets the delivery's new status and returns the wait before the
// next attempt.
func (f *Forwarder) decide(dest *outbound.Destination, d *store.Delivery, res *outbound.Result, rec *store.RecordAttemptParams) time.Duration {
	switch {
	case res.Outcome == outbound.Delivered:
		rec.Status = store.DeliveryDelivered
	case res.Outcome == outbound.Rejected:
		rec.Status = store.DeliveryRejected
	case d.Attempts+1 >= d.MaxAttempts:
		rec.Status = store.DeliveryDead
	default:
		rec.Status = store.DeliveryPending
		wait := max(dest.Backoff(d.Attempts+1), res.RetryAfter)
		next := f.cfg.Store.Now().Add(wait)
		rec.NextAttemptAt = &next
		return wait
	}
	return 0
}

func (f *Forwarder) log(ctx context.Context, d *store.Delivery, rec *store.RecordAttemptParams, res *outbound.Result, wait time.Duration) {
	attrs := []any{"delivery", d.ID, "document", d.DocumentID, "partner", d.PartnerID, "destination", d.Destination,
		"path", d.Path, "attempt", d.Attempts + 1, "status_code", res.StatusCode, "latency_ms", res.Latency.Milliseconds()}
	switch rec.Status {
	case store.DeliveryDelivered:
		f.cfg.Logger.InfoContext(ctx, "document delivered", attrs...)
	case store.DeliveryPending:
		f.cfg.Logger.WarnContext(ctx, "delivery failed; will retry", append(attrs, "err", rec.Error, "retry_in", wait)...)
	default:
		f.cfg.Logger.ErrorContext(ctx, "delivery "+rec.Status, append(attrs, "err", rec.Error)...)
	}
}

// raise records an exception on the document of a rejected or dead
// delivery.
func (f *Forwarder) raise(ctx context.Context, tx pgx.Tx, dest *outbound.Destination, d *store.Delivery, rec *store.RecordAttemptParams, res *outbound.Result) error {
	e := &store.Exception{PartnerID: d.PartnerID, FileID: &d.FileID, DocumentID: &d.DocumentID,
		TransactionSeq: &d.TransactionSeq, Severity: store.SeverityError}
	where := fmt.Sprintf("%s POST %s", dest.Name, d.Path)
	switch rec.Status {
	case store.DeliveryRejected:
		e.Check, e.Action, e.Code = CheckRejected, store.ActionReject, strconv.Itoa(res.StatusCode)
		e.Message = fmt.Sprintf("%s rejected the document with %d: %s", where, res.StatusCode, answerText(res.Answer))
	case store.DeliveryDead:
		e.Check, e.Action = CheckFailed, store.ActionHold
		e.Message = fmt.Sprintf("%s: no delivery after %d attempts; the last failed: %s", where, d.Attempts+1, rec.Error)
		if err := f.cfg.Store.RecordDeliveryFailure(ctx, tx, d.PartnerID, f.cfg.Store.Now()); err != nil {
			return err
		}
	default:
		return nil
	}
	b := &pgx.Batch{}
	f.cfg.Store.QueueException(b, e)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("delivery %d: recording the exception: %w", d.ID, err)
	}
	return nil
}

// answerText is an answer's body for a message: at most 1,000 bytes.
func answerText(b []byte) string {
	const max = 1000
	if len(b) == 0 {
		return "(no body)"
	}
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
