package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnergate/partnergate/gateway/review"
	"github.com/partnergate/partnergate/gateway/store"
)

// Reviewer carries out staff actions on exceptions; *review.Reviewer is
// one.
type Reviewer interface {
	Do(ctx context.Context, action review.Action, staff string, f *store.ExceptionFilter) (*review.Outcome, error)
}

var (
	exceptionStatuses = []string{store.ExceptionOpen, store.ExceptionReleased, store.ExceptionRejected,
		store.ExceptionResolved}
	exceptionSeverities = []string{store.SeverityError, store.SeverityWarning}
	exceptionActions    = []string{store.ActionReject, store.ActionHold, store.ActionWarn}
)

// maxActionIDs bounds the IDs of one bulk action.
const maxActionIDs = 1000

// exceptionFilter reads partner, status, check, severity, action, file,
// document, created_after and created_before.
func exceptionFilter(q url.Values) (store.ExceptionFilter, error) {
	f := store.ExceptionFilter{PartnerID: q.Get("partner"), Status: q.Get("status"), Check: q.Get("check"),
		Severity: q.Get("severity"), Action: q.Get("action")}
	for _, c := range []struct {
		name, value string
		allowed     []string
	}{{"status", f.Status, exceptionStatuses}, {"severity", f.Severity, exceptionSeverities}, {"action", f.Action, exceptionActions}} {
		if c.value != "" && !slices.Contains(c.allowed, c.value) {
			return f, badRequest("%s: want one of %s, got %.20q", c.name, strings.Join(c.allowed, ", "), c.value)
		}
	}
	for _, c := range []struct {
		name string
		into *int64
	}{{"file", &f.FileID}, {"document", &f.DocumentID}} {
		if s := q.Get(c.name); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				return f, badRequest("%s: want a positive integer, got %.40q", c.name, s)
			}
			*c.into = id
		}
	}
	for _, c := range []struct {
		name string
		into *time.Time
	}{{"created_after", &f.CreatedAfter}, {"created_before", &f.CreatedBefore}} {
		if s := q.Get(c.name); s != "" {
			at, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return f, badRequest("%s: want an RFC 3339 time such as 2026-11-26T17:00:00Z, got %.40q", c.name, s)
			}
			*c.into = at
		}
	}
	return f, nil
}

// listExceptions is GET /api/v1/exceptions?partner=&status=&check=&severity=&action=&file=&document=&created_after=&created_before=:
// the exception queue, newest first.
func (a *api) listExceptions(r *http.Request) (*result, error) {
	q := r.URL.Query()
	pg, err := readPage(q)
	if err != nil {
		return nil, err
	}
	f, err := exceptionFilter(q)
	if err != nil {
		return nil, err
	}
	p := &store.ListExceptionsParams{ExceptionFilter: f, Before: pg.cursor, Limit: pg.limit}
	es, err := a.d.Store.ListExceptions(r.Context(), a.d.DB, p)
	if err != nil {
		return nil, err
	}
	out := list[*store.Exception]{Items: nonNil(es)}
	if len(es) > 0 {
		out.NextCursor, err = nextCursor(r.Context(), len(es), pg.limit, es[len(es)-1].ID,
			func(ctx context.Context, before int64) (bool, error) {
				probe := *p
				probe.Before, probe.Limit = before, 1
				more, err := a.d.Store.ListExceptions(ctx, a.d.DB, &probe)
				return len(more) > 0, err
			})
	}
	return ok(out), err
}

// getException is GET /api/v1/exceptions/{id}.
func (a *api) getException(r *http.Request) (*result, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	e, err := a.d.Store.GetException(r.Context(), a.d.DB, id)
	if err != nil {
		return nil, orNotFound(err, "exception", id)
	}
	return ok(e), nil
}

// actOnException returns the handler of POST /api/v1/exceptions/{id}/<action>.
func (a *api) actOnException(action review.Action) endpoint {
	return func(r *http.Request) (*result, error) {
		id, err := pathID(r)
		if err != nil {
			return nil, err
		}
		return a.review(r, action, &store.ExceptionFilter{IDs: []int64{id}})
	}
}

// actionBody is the body of a bulk action by ID.
type actionBody struct {
	IDs []int64 `json:"ids"`
}

// actOnExceptions returns the handler of POST /api/v1/exceptions/<action>:
// the exceptions of the body's "ids", or those the query's filters select.
func (a *api) actOnExceptions(action review.Action) endpoint {
	return func(r *http.Request) (*result, error) {
		f, err := exceptionFilter(r.URL.Query())
		if err != nil {
			return nil, err
		}
		var body actionBody
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		switch err := dec.Decode(&body); {
		case errors.Is(err, io.EOF):
		case err != nil:
			return nil, badRequest(`body: want {"ids": [exception IDs]} or no body: %v`, err)
		case len(body.IDs) == 0:
			return nil, badRequest(`ids: empty; send no body to act on the exceptions the filters select`)
		case len(body.IDs) > maxActionIDs:
			return nil, badRequest("ids: at most %d at once, got %d", maxActionIDs, len(body.IDs))
		case !f.Empty():
			return nil, badRequest("select exceptions by ids or by filters, not both")
		}
		for _, id := range body.IDs {
			if id <= 0 {
				return nil, badRequest("ids: want positive integers, got %d", id)
			}
		}
		if len(body.IDs) > 0 {
			f.IDs = body.IDs
		} else if f.Empty() {
			return nil, badRequest(`select exceptions: a body {"ids": [...]} or at least one filter`)
		}
		return a.review(r, action, &f)
	}
}

// review carries out an action and answers what it did.
func (a *api) review(r *http.Request, action review.Action, f *store.ExceptionFilter) (*result, error) {
	if a.d.Reviewer == nil {
		return nil, &apiError{status: http.StatusConflict, code: codeConflict, msg: "exception actions are not configured"}
	}
	staff := StaffFrom(r.Context()).Name
	out, err := a.d.Reviewer.Do(r.Context(), action, staff, f)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "review: ")
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil, &apiError{status: http.StatusNotFound, code: codeNotFound, msg: msg}
		case errors.Is(err, review.ErrNotApplicable):
			return nil, &apiError{status: http.StatusConflict, code: codeConflict, msg: msg}
		case errors.Is(err, review.ErrSelection):
			return nil, badRequest("%s", msg)
		}
		return nil, err
	}
	out.Exceptions = nonNil(out.Exceptions)
	a.log.InfoContext(r.Context(), "exceptions acted on", "request_id", RequestIDFrom(r.Context()),
		"staff", staff, "action", string(action), "count", len(out.Exceptions))
	return ok(out), nil
}
