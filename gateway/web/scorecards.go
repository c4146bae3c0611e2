package web

import (
	"cmp"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// scorecardWindows are the windows the scorecard endpoints take.
var scorecardWindows = map[string]time.Duration{"24h": 24 * time.Hour, "7d": 7 * 24 * time.Hour, "30d": 30 * 24 * time.Hour}

const defaultScorecardWindow = "7d"

// readWindow reads the window query parameter, 24h, 7d or 30d.
func readWindow(q url.Values) (time.Duration, error) {
	w := q.Get("window")
	if w == "" {
		w = defaultScorecardWindow
	}
	d, found := scorecardWindows[w]
	if !found {
		return 0, badRequest("window: want 24h, 7d or 30d, got %.20q", w)
	}
	return d, nil
}

// slaOf returns the SLAs of the partners of set.
func slaOf(set *partners.Set) store.SLAFunc {
	return func(id string) partners.SLA {
		if p, found := set.ByID(id); found {
			return p.SLA
		}
		return partners.SLA{}
	}
}

// getScorecard is GET /api/v1/partners/{id}/scorecard?window=: a
// configured partner's scorecard over the last 24h, 7d (the default) or
// 30d.
func (a *api) getScorecard(r *http.Request) (*result, error) {
	window, err := readWindow(r.URL.Query())
	if err != nil {
		return nil, err
	}
	set := a.d.Partners.Current()
	id := chi.URLParam(r, "id")
	p, found := set.ByID(id)
	if !found {
		return nil, &apiError{status: http.StatusNotFound, code: codeNotFound, msg: "partner " + truncateUTF8(id, 64) + " not found"}
	}
	sc, err := a.d.Store.Scorecard(r.Context(), a.d.DB, p.ID, window, a.d.Store.Now(), slaOf(set))
	if err != nil {
		return nil, err
	}
	return ok(sc), nil
}

// scorecardSorts are the sort keys of GET /api/v1/scorecards, each a
// comparison in ascending order.
var scorecardSorts = map[string]func(a, b *store.Scorecard) int{
	"partner_id":         func(a, b *store.Scorecard) int { return strings.Compare(a.PartnerID, b.PartnerID) },
	"files":              func(a, b *store.Scorecard) int { return cmp.Compare(a.Files, b.Files) },
	"transaction_sets":   func(a, b *store.Scorecard) int { return cmp.Compare(a.TransactionSets, b.TransactionSets) },
	"rejected":           func(a, b *store.Scorecard) int { return cmp.Compare(a.Rejected, b.Rejected) },
	"documents":          func(a, b *store.Scorecard) int { return cmp.Compare(a.Documents, b.Documents) },
	"exceptions":         func(a, b *store.Scorecard) int { return cmp.Compare(a.Exceptions, b.Exceptions) },
	"exception_rate":     func(a, b *store.Scorecard) int { return cmp.Compare(a.ExceptionRate, b.ExceptionRate) },
	"duplicates":         func(a, b *store.Scorecard) int { return cmp.Compare(a.Duplicates, b.Duplicates) },
	"ack_latency_p50_ms": func(a, b *store.Scorecard) int { return cmp.Compare(a.AckLatencyP50MS, b.AckLatencyP50MS) },
	"ack_latency_p95_ms": func(a, b *store.Scorecard) int { return cmp.Compare(a.AckLatencyP95MS, b.AckLatencyP95MS) },
	"late_asns":          func(a, b *store.Scorecard) int { return cmp.Compare(a.LateASNs, b.LateASNs) },
	"failed_deliveries":  func(a, b *store.Scorecard) int { return cmp.Compare(a.FailedDeliveries, b.FailedDeliveries) },
	"sla_breaches":       func(a, b *store.Scorecard) int { return cmp.Compare(len(a.SLABreaches), len(b.SLABreaches)) },
}

// listScorecards is GET /api/v1/scorecards?window=&sort=&order=: the
// scorecards of every configured partner, zeros for those without
// activity, by exception_rate (the default) or another field, descending
// by default (ascending for partner_id); ties go by partner ID. It is one
// page.
func (a *api) listScorecards(r *http.Request) (*result, error) {
	q := r.URL.Query()
	window, err := readWindow(q)
	if err != nil {
		return nil, err
	}
	sortBy := cmp.Or(q.Get("sort"), "exception_rate")
	compare, found := scorecardSorts[sortBy]
	if !found {
		return nil, badRequest("sort: want one of %s, got %.30q",
			strings.Join(slices.Sorted(maps.Keys(scorecardSorts)), ", "), sortBy)
	}
	order := q.Get("order")
	if order == "" {
		order = "desc"
		if sortBy == "partner_id" {
			order = "asc"
		}
	}
	if order != "asc" && order != "desc" {
		return nil, badRequest("order: want asc or desc, got %.20q", order)
	}
	set := a.d.Partners.Current()
	all := set.All()
	ids := make([]string, 0, len(all))
	for _, p := range all {
		ids = append(ids, p.ID)
	}
	cards, err := a.d.Store.Scorecards(r.Context(), a.d.DB, window, a.d.Store.Now(), ids, slaOf(set))
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(cards, func(x, y *store.Scorecard) int {
		c := compare(x, y)
		if order == "desc" {
			c = -c
		}
		return cmp.Or(c, strings.Compare(x.PartnerID, y.PartnerID))
	})
	return ok(list[*store.Scorecard]{Items: nonNil(cards)}), nil
}
