package poller

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// lockKey names a partner's advisory lock.
func lockKey(partnerID string) string { return "remote_sftp:" + partnerID }

// poll runs one poll of a partner under its advisory lock, and records how
// it went.
func (p *Poller) poll(ctx context.Context, partner *partners.Partner) (*PollResult, error) {
	res := &PollResult{PartnerID: partner.ID}
	lk, err := p.lock(ctx, partner.ID)
	if err != nil {
		return res, err
	}
	if lk == nil {
		res.Skipped = true
		p.log.InfoContext(ctx, "poll skipped: another poll of the partner is running", "partner", partner.ID)
		return res, nil
	}
	defer lk.release(ctx)
	start := p.cfg.Now()
	err = p.transfer(ctx, partner, lk, res)
	p.record(ctx, partner, res, err)
	p.logPoll(ctx, res, err, p.cfg.Now().Sub(start))
	return res, err
}

// pollLock is a partner's advisory lock, held by a session of its own.
type pollLock struct {
	p    *Poller
	conn *pgxpool.Conn
	key  string
}

// lock takes the partner's advisory lock; it returns nil when another
// session holds it.
func (p *Poller) lock(ctx context.Context, partnerID string) (*pollLock, error) {
	conn, err := p.cfg.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("poller: %s: a connection for the poll lock: %w", partnerID, err)
	}
	lk := &pollLock{p: p, conn: conn, key: lockKey(partnerID)}
	ok, err := p.cfg.Store.TryAdvisoryLock(ctx, conn, lk.key)
	if err != nil || !ok {
		conn.Release()
		return nil, err
	}
	return lk, nil
}

// check fails when the lock's session is gone, and with it the lock: the
// poll must then stop storing files, as another node may take over.
func (lk *pollLock) check(ctx context.Context) error {
	if err := lk.conn.Ping(ctx); err != nil {
		return fmt.Errorf("poller: the poll lock %q was lost: %w", lk.key, err)
	}
	return nil
}

func (lk *pollLock) release(ctx context.Context) {
	ctx, cancel := detached(ctx)
	defer cancel()
	if err := lk.p.cfg.Store.AdvisoryUnlock(ctx, lk.conn, lk.key); err != nil {
		// Closing the session releases the lock; the pool then drops it.
		lk.p.log.WarnContext(ctx, "poll lock release failed; closing its connection", "lock", lk.key, "error", err.Error())
		_ = lk.conn.Conn().Close(ctx)
	}
	lk.conn.Release()
}

// transfer logs in, pulls, then pushes.
func (p *Poller) transfer(ctx context.Context, partner *partners.Partner, lk *pollLock, res *PollResult) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.PollTimeout)
	defer cancel()
	s, err := p.connect(ctx, partner)
	if err != nil {
		return err
	}
	defer s.Close()
	s.lockHeld = lk.check
	pullErr := p.pull(ctx, s, partner, res)
	if ctx.Err() != nil {
		return errors.Join(pullErr, ctx.Err())
	}
	return errors.Join(pullErr, p.push(ctx, s, partner, res))
}

// record stores the poll's outcome and updates the partner's backoff; the
// first connection failure after a success raises an exception.
func (p *Poller) record(ctx context.Context, partner *partners.Partner, res *PollResult, pollErr error) {
	var ce *ConnectError
	unreachable := errors.As(pollErr, &ce)
	failures := 0
	if ctx.Err() == nil { // a poll cut short by shutdown says nothing of the server
		failures = p.noteOutcome(partner.ID, unreachable)
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	err := p.cfg.Store.RecordPoll(ctx, p.cfg.Pool, partner.ID, pollErr)
	if err == nil && len(res.Pulled)+len(res.Pushed) > 0 {
		err = p.cfg.Store.RecordFilesMoved(ctx, p.cfg.Pool, partner.ID, len(res.Pulled), len(res.Pushed))
	}
	if err == nil && unreachable && failures == 1 {
		err = p.raise(ctx, ce)
	}
	if err != nil {
		p.log.ErrorContext(ctx, "recording a poll failed", "partner", partner.ID, "error", err.Error())
	}
}

// raise records an exception for a partner whose server cannot be used.
func (p *Poller) raise(ctx context.Context, ce *ConnectError) error {
	b := &pgx.Batch{}
	p.cfg.Store.QueueException(b, &store.Exception{
		PartnerID: ce.PartnerID,
		Check:     CheckUnreachable,
		Code:      exceptionCode(ce),
		Severity:  store.SeverityError,
		Action:    store.ActionWarn,
		Message:   ce.Error() + "; scheduled polls back off until it answers",
	})
	return p.cfg.Pool.SendBatch(ctx, b).Close()
}

// noteOutcome updates a partner's backoff after a poll and returns its
// connection failures in a row.
func (p *Poller) noteOutcome(partnerID string, unreachable bool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.stateOf(partnerID)
	if !unreachable {
		st.failures, st.retryAt = 0, time.Time{}
		return 0
	}
	st.failures++
	st.retryAt = p.cfg.Now().Add(backoff(p.cfg.Backoff, st.failures))
	return st.failures
}

// stateOf returns a partner's state, creating it; p.mu is held.
func (p *Poller) stateOf(partnerID string) *partnerState {
	st := p.state[partnerID]
	if st == nil {
		st = &partnerState{}
		p.state[partnerID] = st
	}
	return st
}

// backoff returns the wait after the n-th failure in a row (n ≥ 1).
func backoff(b Backoff, n int) time.Duration {
	d := b.Min
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

func (p *Poller) logPoll(ctx context.Context, res *PollResult, err error, took time.Duration) {
	attrs := []any{"partner", res.PartnerID, "pulled", len(res.Pulled), "pushed", len(res.Pushed), "took", took}
	if err != nil {
		p.log.WarnContext(ctx, "poll failed", append(attrs, "error", err.Error())...)
		return
	}
	p.log.InfoContext(ctx, "poll done", attrs...)
}
