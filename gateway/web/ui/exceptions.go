package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/partnergate/partnergate/gateway/review"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/gateway/web"
)

// queuePageSize is how many exceptions the queue shows at once.
const queuePageSize = 100

// maxActionIDs bounds the exceptions of one action, as in the API.
const maxActionIDs = 1000

var queueStatuses = []string{store.ExceptionOpen, store.ExceptionReleased, store.ExceptionRejected, store.ExceptionResolved}

// queueActions are the buttons of the queue.
var queueActions = []review.Action{review.ActionRelease, review.ActionReject, review.ActionResolve}

type queueFilter struct {
	Partner, Status, Check string
	// Before is the cursor: exceptions with smaller IDs.
	Before int64
}

// query returns the filter as query parameters, without the cursor.
func (f queueFilter) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"partner": f.Partner, "status": f.Status, "check": f.Check} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

func readQueueFilter(get func(string) string) (queueFilter, error) {
	f := queueFilter{Partner: get("partner"), Status: get("status"), Check: strings.TrimSpace(get("check"))}
	if f.Status == "all" {
		f.Status = ""
	} else if f.Status == "" {
		f.Status = store.ExceptionOpen
	}
	if f.Status != "" && !slices.Contains(queueStatuses, f.Status) {
		return f, badRequest("status: want open, released, rejected, resolved or all, got %.20q", f.Status)
	}
	if s := get("before"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return f, badRequest("before: want a positive integer, got %.20q", s)
		}
		f.Before = id
	}
	return f, nil
}

type queuePage struct {
	Filter     queueFilter
	StatusAll  bool
	Partners   []string
	Statuses   []string
	Checks     []string
	Items      []*store.Exception
	Older      string
	CanAct     bool
	Configured bool
	Actions    []review.Action
}

// exceptions is GET /ui/exceptions?partner=&status=&check=&before=: the
// exception queue, newest first, open ones unless asked otherwise.
func (h *dash) exceptions(r *http.Request) (*view, error) {
	q := r.URL.Query()
	f, err := readQueueFilter(q.Get)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	items, err := h.d.Store.ListExceptions(ctx, h.d.DB, &store.ListExceptionsParams{
		ExceptionFilter: store.ExceptionFilter{PartnerID: f.Partner, Status: f.Status, Check: f.Check},
		Before:          f.Before, Limit: queuePageSize + 1})
	if err != nil {
		return nil, err
	}
	page := &queuePage{Filter: f, StatusAll: q.Get("status") == "all", Statuses: queueStatuses,
		CanAct: sessionFrom(ctx).staff.Role.Allows(web.RoleOnboarding), Configured: h.d.Reviewer != nil,
		Actions: queueActions}
	if len(items) > queuePageSize {
		items = items[:queuePageSize]
		older := f.query()
		if page.StatusAll {
			older.Set("status", "all")
		}
		older.Set("before", strconv.FormatInt(items[len(items)-1].ID, 10))
		page.Older = "/ui/exceptions?" + older.Encode()
	}
	page.Items = items
	for _, p := range h.d.Partners.Current().All() {
		page.Partners = append(page.Partners, p.ID)
	}
	counts, err := h.d.Store.CountOpenExceptions(ctx, h.d.DB)
	if err != nil {
		return nil, err
	}
	checks := map[string]bool{}
	for _, c := range counts {
		checks[c.Check] = true
	}
	for c := range checks {
		page.Checks = append(page.Checks, c)
	}
	slices.Sort(page.Checks)
	return &view{name: "exceptions", title: "Exception queue", data: page}, nil
}

// act is POST /ui/exceptions: the checked exceptions (fields "id") get the
// action of the button pressed (field "action"); the queue is shown again,
// with its filters, and a message saying what was done.
func (h *dash) act(w http.ResponseWriter, r *http.Request) {
	f, err := readQueueFilter(r.PostFormValue)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	back := f.query()
	if r.PostFormValue("status") == "all" {
		back.Set("status", "all")
	}
	to := "/ui/exceptions"
	if len(back) > 0 {
		to += "?" + back.Encode()
	}
	msg, failed := h.doAction(r)
	setFlash(w, h.secure(r), flash{Error: failed, Text: msg})
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// doAction carries out the form's action and says what happened.
func (h *dash) doAction(r *http.Request) (string, bool) {
	action := review.Action(r.PostFormValue("action"))
	if !slices.Contains(queueActions, action) {
		return fmt.Sprintf("Unknown action %.20q.", action), true
	}
	if h.d.Reviewer == nil {
		return "Exception actions are not configured on this gateway.", true
	}
	var ids []int64
	for _, s := range r.PostForm["id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Sprintf("%.20q is not an exception ID.", s), true
		}
		ids = append(ids, id)
	}
	switch {
	case len(ids) == 0:
		return "Tick at least one exception first.", true
	case len(ids) > maxActionIDs:
		return fmt.Sprintf("At most %d exceptions at once.", maxActionIDs), true
	}
	staff := sessionFrom(r.Context()).staff.Name
	out, err := h.d.Reviewer.Do(r.Context(), action, staff, &store.ExceptionFilter{IDs: ids})
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "review: ")
		switch {
		case errors.Is(err, store.ErrNotFound), errors.Is(err, review.ErrNotApplicable), errors.Is(err, review.ErrSelection):
			return "Nothing was done: " + msg + ".", true
		}
		h.log.ErrorContext(r.Context(), "dashboard: exception action failed", "action", string(action), "staff", staff,
			"error", err.Error(), "request_id", web.RequestIDFrom(r.Context()))
		return "Nothing was done: the action failed; quote request ID " + web.RequestIDFrom(r.Context()) + " to the operators.", true
	}
	h.log.InfoContext(r.Context(), "exceptions acted on", "request_id", web.RequestIDFrom(r.Context()),
		"staff", staff, "action", string(action), "count", len(out.Exceptions), "via", "dashboard")
	return outcomeText(out), false
}

// outcomeText says what an action did, in a sentence or two.
func outcomeText(o *review.Outcome) string {
	past := map[review.Action]string{review.ActionRelease: "Released", review.ActionReject: "Rejected",
		review.ActionResolve: "Resolved", review.ActionReprocess: "Queued the files of"}[o.Action]
	s := fmt.Sprintf("%s %s %s.", past, plural(len(o.Exceptions), "exception"), idList(o.Exceptions))
	if len(o.Accepted) > 0 {
		s += fmt.Sprintf(" Accepted %s %s.", plural(len(o.Accepted), "document"), idList(o.Accepted))
	}
	if len(o.Held) > 0 {
		s += fmt.Sprintf(" Still held by other exceptions: %s %s.", plural(len(o.Held), "document"), idList(o.Held))
	}
	if len(o.Rejected) > 0 {
		s += fmt.Sprintf(" Rejected %s %s.", plural(len(o.Rejected), "document"), idList(o.Rejected))
	}
	if len(o.Outbox) > 0 {
		s += " The partner is told in " + strings.Join(o.Outbox, ", ") + "."
	}
	return s
}

func idList(ids []int64) string {
	const shown = 10
	parts := make([]string, 0, min(len(ids), shown))
	for i, id := range ids {
		if i == shown {
			break
		}
		parts = append(parts, "#"+strconv.FormatInt(id, 10))
	}
	s := strings.Join(parts, ", ")
	if len(ids) > shown {
		s += fmt.Sprintf(" and %d more", len(ids)-shown)
	}
	return "(" + s + ")"
}
