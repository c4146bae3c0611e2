// Package review is what staff do with the exception queue: release or
// reject held documents, resolve exceptions that need no action, and
// reprocess the files of exceptions after a configuration fix. Each action
// runs in one transaction that records who acted and when, together with
// everything the action causes: document statuses, the deliveries (and
// their River jobs) of released documents, the rejection acknowledgments
// of rejected ones, the reprocessing jobs of files.
package review

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// Action is what a person does to exceptions.
type Action string

// The actions.
const (
	// ActionRelease accepts the documents of open hold exceptions, and
	// forwards them once nothing else holds them.
	ActionRelease Action = "release"
	// ActionReject rejects the documents of open hold exceptions and tells
	// the partner.
	ActionReject Action = "reject"
	// ActionResolve closes open exceptions that need no action: warnings,
	// and rejections that were handled.
	ActionResolve Action = "resolve"
	// ActionReprocess runs the files of open exceptions again; the new run
	// replaces the file's open exceptions.
	ActionReprocess Action = "reprocess"
)

// Actions lists the actions.
var Actions = []Action{ActionRelease, ActionReject, ActionResolve, ActionReprocess}

var (
	// ErrNotApplicable is wrapped by NotApplicableError.
	ErrNotApplicable = errors.New("review: the action does not apply")
	// ErrSelection is returned for an empty selection or a filter that
	// contradicts the action.
	ErrSelection = errors.New("review: bad selection")
)

// NotApplicableError says why an action does not apply to an exception.
// The whole action is refused.
type NotApplicableError struct {
	Action    Action
	Exception *store.Exception
	// Want says what the action applies to.
	Want string
}

func (e *NotApplicableError) Error() string {
	x := e.Exception
	return fmt.Sprintf("review: cannot %s exception %d (%s, action %s): it is %s; %s applies to %s",
		e.Action, x.ID, x.Check, x.Action, x.Status, e.Action, e.Want)
}

// Is reports whether target is ErrNotApplicable.
func (e *NotApplicableError) Is(target error) bool { return target == ErrNotApplicable }

// NotFoundError says that an exception selected by ID does not exist. It
// is store.ErrNotFound.
type NotFoundError struct {
	ID int64
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("review: exception %d not found", e.ID) }

// Is reports whether target is store.ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == store.ErrNotFound }

// DB is the database: a pool, for its transactions.
type DB interface {
	store.DB
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Forwarder queues the deliveries of accepted documents in a transaction;
// *delivery.Forwarder is one.
type Forwarder interface {
	Queue(ctx context.Context, tx pgx.Tx, p *partners.Partner, docs []*store.Document) error
}

// Config is what New needs. Store, DB, Jobs and Partners are required.
type Config struct {
	Store *store.Store
	DB    DB
	// Jobs inserts the reprocessing jobs (ingest.ProcessFileArgs) in the
	// action's transaction; *river.Client[pgx.Tx] is one.
	Jobs ingest.JobInserter
	// Forwarder forwards released documents; nil when no destination is
	// configured, when they are only marked accepted.
	Forwarder Forwarder
	// Partners is the partner configuration in force.
	Partners ingest.PartnerSet
	// Outbound, when set, queues the delivery of the rejection
	// acknowledgments a rejection puts in an outbox, as processing does
	// (to partners whose channel is AS2).
	Outbound ingest.OutboundFunc
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Reviewer carries out staff actions on exceptions.
type Reviewer struct {
	cfg Config
	log *slog.Logger
}

// New checks cfg and returns a Reviewer.
func New(cfg Config) (*Reviewer, error) {
	if cfg.Store == nil || cfg.DB == nil || cfg.Jobs == nil || cfg.Partners == nil {
		return nil, errors.New("review: Config.Store, DB, Jobs and Partners are required")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Reviewer{cfg: cfg, log: log}, nil
}

// Outcome is what an action did.
type Outcome struct {
	Action Action `json:"action"`
	// Exceptions are the exceptions acted on, by ID.
	Exceptions []int64 `json:"exceptions"`
	// Accepted are the documents a release accepted (and forwarded, when
	// destinations are configured); Held those it released that another
	// open hold exception still holds.
	Accepted []int64 `json:"accepted_documents,omitempty"`
	Held     []int64 `json:"held_documents,omitempty"`
	// Rejected are the documents a rejection rejected, and AlsoRejected
	// the other open hold exceptions on them, closed with them.
	Rejected     []int64 `json:"rejected_documents,omitempty"`
	AlsoRejected []int64 `json:"also_rejected_exceptions,omitempty"`
	// Outbox are the names of the items a rejection put in partners'
	// outboxes: 997/999 acknowledgments and CSV result files.
	Outbox []string `json:"outbox,omitempty"`
	// Files are the files a reprocess queued.
	Files []int64 `json:"files,omitempty"`
	// More reports that the filter selected more than MaxBatch exceptions:
	// the first MaxBatch were acted on, and the same call does the next.
	More bool `json:"more,omitempty"`
}

// MaxBatch bounds the exceptions one action takes, so that one
// transaction stays short: a bulk action by filter over more takes
// several calls.
const MaxBatch = 1000

// Release releases open hold exceptions by ID; see ActionRelease.
func (r *Reviewer) Release(ctx context.Context, staff string, ids []int64) (*Outcome, error) {
	return r.Do(ctx, ActionRelease, staff, &store.ExceptionFilter{IDs: ids})
}

// Reject rejects the documents of open hold exceptions by ID; see
// ActionReject.
func (r *Reviewer) Reject(ctx context.Context, staff string, ids []int64) (*Outcome, error) {
	return r.Do(ctx, ActionReject, staff, &store.ExceptionFilter{IDs: ids})
}

// Resolve resolves open warn or reject exceptions by ID; see ActionResolve.
func (r *Reviewer) Resolve(ctx context.Context, staff string, ids []int64) (*Outcome, error) {
	return r.Do(ctx, ActionResolve, staff, &store.ExceptionFilter{IDs: ids})
}

// Reprocess queues the reprocessing of the files of open exceptions by ID;
// see ActionReprocess.
func (r *Reviewer) Reprocess(ctx context.Context, staff string, ids []int64) (*Outcome, error) {
	return r.Do(ctx, ActionReprocess, staff, &store.ExceptionFilter{IDs: ids})
}

// Do carries out action as staff on the exceptions f selects, in one
// transaction. With f.IDs, every listed exception must exist
// (store.ErrNotFound otherwise) and the action must apply to each (a
// *NotApplicableError otherwise); nothing is done unless all are. Without
// IDs, f is narrowed to what the action applies to (open, and of action
// hold for release and reject, warn or reject for resolve, with a file for
// reprocess); a filter that contradicts that, or selects everything, is
// refused with ErrSelection.
func (r *Reviewer) Do(ctx context.Context, action Action, staff string, f *store.ExceptionFilter) (*Outcome, error) {
	if !slices.Contains(Actions, action) {
		return nil, fmt.Errorf("%w: unknown action %q", ErrSelection, action)
	}
	if strings.TrimSpace(staff) == "" {
		return nil, fmt.Errorf("%w: who acts is not known", ErrSelection)
	}
	if len(f.IDs) > MaxBatch {
		return nil, fmt.Errorf("%w: %d exceptions; at most %d at once", ErrSelection, len(f.IDs), MaxBatch)
	}
	f, err := narrow(action, f)
	if err != nil {
		return nil, err
	}
	tx, err := r.cfg.DB.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("review: %s: %w", action, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	excs, err := r.cfg.Store.LockExceptions(ctx, tx, f, MaxBatch+1)
	if err != nil {
		return nil, err
	}
	more := len(excs) > MaxBatch
	if more {
		excs = excs[:MaxBatch]
	}
	if excs, err = check(action, f, excs); err != nil {
		return nil, err
	}
	out := &Outcome{Action: action, Exceptions: make([]int64, len(excs)), More: more}
	for i, e := range excs {
		out.Exceptions[i] = e.ID
	}
	if len(excs) > 0 {
		if err := r.act(ctx, tx, action, staff, excs, out); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("review: %s: %w", action, err)
	}
	r.log.InfoContext(ctx, "exceptions reviewed", "action", string(action), "staff", staff,
		"exceptions", out.Exceptions, "accepted", out.Accepted, "rejected", out.Rejected, "files", out.Files)
	return out, nil
}

func (r *Reviewer) act(ctx context.Context, tx pgx.Tx, action Action, staff string, excs []*store.Exception, out *Outcome) error {
	switch action {
	case ActionRelease:
		return r.release(ctx, tx, staff, excs, out)
	case ActionReject:
		return r.reject(ctx, tx, staff, excs, out)
	case ActionResolve:
		return r.cfg.Store.ActOnExceptions(ctx, tx, &store.ActOnExceptionsParams{
			IDs: out.Exceptions, Status: store.ExceptionResolved, Staff: staff})
	}
	return r.reprocess(ctx, tx, staff, excs, out)
}

// applies reports whether action applies to e, and what it applies to.
func applies(action Action, e *store.Exception) (bool, string) {
	open := e.Status == store.ExceptionOpen
	switch action {
	case ActionRelease, ActionReject:
		return open && e.Action == store.ActionHold, "open exceptions of action hold"
	case ActionResolve:
		return open && e.Action != store.ActionHold,
			"open exceptions of action warn or reject (release or reject a hold)"
	}
	return open && e.FileID != nil, "open exceptions raised on a file"
}

// narrow returns the filter an action works on.
func narrow(action Action, f *store.ExceptionFilter) (*store.ExceptionFilter, error) {
	if f == nil || f.Empty() {
		return nil, fmt.Errorf("%w: select exceptions by ID or by a filter", ErrSelection)
	}
	n := *f
	if len(n.IDs) > 0 {
		return &n, nil
	}
	if n.Status != "" && n.Status != store.ExceptionOpen {
		return nil, fmt.Errorf("%w: %s applies to open exceptions, not %s ones", ErrSelection, action, n.Status)
	}
	n.Status = store.ExceptionOpen
	if action == ActionRelease || action == ActionReject {
		if n.Action != "" && n.Action != store.ActionHold {
			return nil, fmt.Errorf("%w: %s applies to exceptions of action hold, not %s", ErrSelection, action, n.Action)
		}
		n.Action = store.ActionHold
	}
	if action == ActionResolve && n.Action == store.ActionHold {
		return nil, fmt.Errorf("%w: resolve applies to exceptions of action warn or reject; release or reject a hold", ErrSelection)
	}
	return &n, nil
}

// check refuses the action unless every exception selected by ID exists
// and it applies to each. Of the exceptions a filter selects, it keeps those
// the action applies to: a resolve by filter leaves holds alone, a
// reprocess by filter the exceptions raised on no file.
func check(action Action, f *store.ExceptionFilter, excs []*store.Exception) ([]*store.Exception, error) {
	found := make(map[int64]bool, len(excs))
	kept := excs[:0:0]
	for _, e := range excs {
		found[e.ID] = true
		if ok, want := applies(action, e); !ok {
			if len(f.IDs) > 0 {
				return nil, &NotApplicableError{Action: action, Exception: e, Want: want}
			}
			continue
		}
		kept = append(kept, e)
	}
	for _, id := range f.IDs {
		if !found[id] {
			return nil, &NotFoundError{ID: id}
		}
	}
	return kept, nil
}

// partner returns the configuration of a partner, nil when it has none.
func (r *Reviewer) partner(id string) *partners.Partner {
	p, ok := r.cfg.Partners.Current().ByID(id)
	if !ok {
		return nil
	}
	return p
}
