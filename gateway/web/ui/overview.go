package ui

import (
	"cmp"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// windows are the scorecard windows the pages offer, the first the default.
var windows = []struct {
	Name string
	D    time.Duration
}{{"7d", 7 * 24 * time.Hour}, {"24h", 24 * time.Hour}, {"30d", 30 * 24 * time.Hour}}

// readWindow reads the w query parameter.
func readWindow(q url.Values) (string, time.Duration, error) {
	w := q.Get("w")
	if w == "" {
		return windows[0].Name, windows[0].D, nil
	}
	for _, c := range windows {
		if c.Name == w {
			return c.Name, c.D, nil
		}
	}
	return "", 0, badRequest("w: want 24h, 7d or 30d, got %.20q", w)
}

// sla returns the SLA of a partner in the configuration in force.
func (h *dash) sla(id string) partners.SLA {
	if p, ok := h.d.Partners.Current().ByID(id); ok {
		return p.SLA
	}
	return partners.SLA{}
}

// partnerRow is one row of the overview.
type partnerRow struct {
	ID, Name, Status string
	Card             *store.Scorecard
	WorstCheck       string
	WorstCount       int64
	Open             int64
}

// sortColumn is a sortable column of the overview.
type sortColumn struct {
	Key, Label string
	// Numeric columns sort largest first unless asked otherwise.
	Numeric bool
	cmp     func(a, b *partnerRow) int
}

var overviewColumns = []sortColumn{
	{"partner", "Partner", false, func(a, b *partnerRow) int { return strings.Compare(a.ID, b.ID) }},
	{"files", "Files", true, func(a, b *partnerRow) int { return cmp.Compare(a.Card.Files, b.Card.Files) }},
	{"sets", "Transaction sets", true, func(a, b *partnerRow) int {
		return cmp.Compare(a.Card.TransactionSets, b.Card.TransactionSets)
	}},
	{"documents", "Documents", true, func(a, b *partnerRow) int { return cmp.Compare(a.Card.Documents, b.Card.Documents) }},
	{"rate", "Exception rate", true, func(a, b *partnerRow) int {
		return cmp.Compare(a.Card.ExceptionRate, b.Card.ExceptionRate)
	}},
	{"sla", "SLA", true, func(a, b *partnerRow) int { return cmp.Compare(len(a.Card.SLABreaches), len(b.Card.SLABreaches)) }},
	{"worst", "Worst check", true, func(a, b *partnerRow) int { return cmp.Compare(a.WorstCount, b.WorstCount) }},
	{"open", "Open exceptions", true, func(a, b *partnerRow) int { return cmp.Compare(a.Open, b.Open) }},
}

// header is a column header linking to the table sorted by it.
type header struct {
	Label, Href string
	// Sort is the aria-sort value: "ascending", "descending" or "none".
	Sort string
}

type overviewPage struct {
	Window  string
	Windows []string
	Headers []header
	Rows    []*partnerRow
	From    time.Time
	To      time.Time
	Sort    string
	Order   string
}

// overview is GET /ui/?w=&sort=&order=: one row per configured partner.
func (h *dash) overview(r *http.Request) (*view, error) {
	q := r.URL.Query()
	wname, window, err := readWindow(q)
	if err != nil {
		return nil, err
	}
	sortKey, order := q.Get("sort"), q.Get("order")
	col := overviewColumns[0]
	if sortKey != "" {
		i := slices.IndexFunc(overviewColumns, func(c sortColumn) bool { return c.Key == sortKey })
		if i < 0 {
			return nil, badRequest("sort: want one of partner, files, sets, documents, rate, sla, worst, open; got %.20q", sortKey)
		}
		col = overviewColumns[i]
	}
	switch order {
	case "":
		order = "asc"
		if col.Numeric {
			order = "desc"
		}
	case "asc", "desc":
	default:
		return nil, badRequest("order: want asc or desc, got %.20q", order)
	}
	all := h.d.Partners.Current().All()
	ids := make([]string, len(all))
	for i, p := range all {
		ids[i] = p.ID
	}
	ctx := r.Context()
	cards, err := h.d.Store.Scorecards(ctx, h.d.DB, window, h.d.Now(), ids, h.sla)
	if err != nil {
		return nil, err
	}
	byID := map[string]*store.Scorecard{}
	for _, c := range cards {
		byID[c.PartnerID] = c
	}
	open, err := h.d.Store.CountOpenExceptions(ctx, h.d.DB)
	if err != nil {
		return nil, err
	}
	openBy := map[string]int64{}
	for _, c := range open {
		openBy[c.PartnerID] += c.Open
	}
	page := &overviewPage{Window: wname, Sort: col.Key, Order: order}
	for _, w := range windows {
		page.Windows = append(page.Windows, w.Name)
	}
	for _, p := range all {
		row := &partnerRow{ID: p.ID, Name: p.Name, Status: string(p.Status), Card: byID[p.ID], Open: openBy[p.ID]}
		if row.Card == nil { // Scorecards gives one for each ID asked for
			continue
		}
		row.WorstCheck, row.WorstCount = worst(row.Card.ByCheck)
		page.Rows = append(page.Rows, row)
		page.From, page.To = row.Card.From, row.Card.To
	}
	slices.SortStableFunc(page.Rows, func(a, b *partnerRow) int {
		c := col.cmp(a, b)
		if order == "desc" {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.ID, b.ID))
	})
	for _, c := range overviewColumns {
		hd := header{Label: c.Label, Sort: "none"}
		next := "asc"
		if c.Numeric {
			next = "desc"
		}
		if c.Key == col.Key {
			hd.Sort = map[string]string{"asc": "ascending", "desc": "descending"}[order]
			next = map[string]string{"asc": "desc", "desc": "asc"}[order]
		}
		hd.Href = "/ui/?" + url.Values{"w": {wname}, "sort": {c.Key}, "order": {next}}.Encode()
		page.Headers = append(page.Headers, hd)
	}
	return &view{name: "overview", title: "Partners", data: page}, nil
}

// worst returns the check with the most exceptions, the first by name on a
// tie; "" when there is none.
func worst(byCheck map[string]int64) (string, int64) {
	var name string
	var n int64
	for _, k := range slices.Sorted(maps.Keys(byCheck)) {
		if byCheck[k] > n {
			name, n = k, byCheck[k]
		}
	}
	return name, n
}
