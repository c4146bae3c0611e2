package web_test

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/store"
)

// scorecardSetup is setup with one more partner, strict, whose SLA allows
// a 5% exception rate and a minute of acknowledgment latency, and facts
// recorded for acme-retail and strict 2 hours, 3 days and 20 days ago.
func scorecardSetup(t *testing.T) *testBundle {
	t.Helper()
	b := setup(t, nil)
	strict := gatewaytest.Partner{ID: "strict", Sender: "STRICT",
		Extra: "sla: {max_exception_rate: 0.05, max_ack_latency: 1m}\n"}.YAML()
	gatewaytest.WriteFile(t, filepath.Join(b.env.PartnersDir, "strict.yaml"), strict)
	if err := b.env.App.Partners.Reload(); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, f := range []*store.FileFacts{
		{FileID: 9001, PartnerID: "acme-retail", ReceivedAt: now.Add(-2 * time.Hour), Sets: 10, Accepted: 9, Rejected: 1,
			Documents: 9, Exceptional: 1, Exceptions: 1, ByCheck: map[string]int{"x12_validation": 1},
			ByCode: map[string]int{"AK304:8": 1}, AckLatency: 300 * time.Millisecond},
		{FileID: 9002, PartnerID: "acme-retail", ReceivedAt: now.Add(-72 * time.Hour), Sets: 30, Accepted: 30, Documents: 30,
			AckLatency: 3 * time.Second},
		{FileID: 9003, PartnerID: "acme-retail", ReceivedAt: now.Add(-20 * 24 * time.Hour), CSVDocuments: 60, Documents: 59,
			Exceptional: 1, Exceptions: 1, AckLatency: 20 * time.Second},
		{FileID: 9004, PartnerID: "strict", ReceivedAt: now.Add(-2 * time.Hour), Sets: 4, Accepted: 3, Rejected: 1,
			Documents: 3, Exceptional: 1, Exceptions: 1, AckLatency: 2 * time.Minute},
	} {
		if err := b.env.App.Store.RecordFileFacts(context.Background(), b.env.App.Pool, f); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// TestScorecardAPI checks GET /api/v1/partners/{id}/scorecard: its
// windows, its default, SLA breaches, unknown partners, bad windows and who
// may read it.
func TestScorecardAPI(t *testing.T) {
	t.Parallel()
	b := scorecardSetup(t)
	tests := []struct {
		query                               string
		window                              string
		files, sets, csv, documents, except int64
		rate, p50, p95                      float64
		days                                int
	}{
		{"?window=24h", "24h", 1, 10, 0, 9, 1, 0.1, 500, 500, 2},
		{"", "7d", 2, 40, 0, 39, 1, 1.0 / 40, 500, 5000, 8},
		{"?window=7d", "7d", 2, 40, 0, 39, 1, 1.0 / 40, 500, 5000, 8},
		{"?window=30d", "30d", 3, 40, 60, 98, 2, 2.0 / 100, 5000, 30000, 31},
	}
	for _, tt := range tests {
		t.Run(tt.window+tt.query, func(t *testing.T) {
			var sc store.Scorecard
			b.get(t, "/api/v1/partners/acme-retail/scorecard"+tt.query, tokViewer, http.StatusOK, &sc)
			if sc.PartnerID != "acme-retail" || sc.Window != tt.window || sc.Files != tt.files || sc.TransactionSets != tt.sets ||
				sc.CSVDocuments != tt.csv || sc.Documents != tt.documents || sc.Exceptional != tt.except ||
				sc.ExceptionRate != tt.rate || sc.AckLatencyP50MS != tt.p50 || sc.AckLatencyP95MS != tt.p95 ||
				len(sc.Trend) < tt.days-1 || len(sc.Trend) > tt.days || len(sc.SLABreaches) != 0 {
				t.Errorf("%+v", sc)
			}
			if sc.ByCheck["x12_validation"] != 1 || sc.ByCode["AK304:8"] != 1 {
				t.Errorf("by check %v, by code %v", sc.ByCheck, sc.ByCode)
			}
		})
	}

	var strict store.Scorecard
	b.get(t, "/api/v1/partners/strict/scorecard?window=24h", tokAdmin, http.StatusOK, &strict)
	want := []string{"exception_rate 0.25 above max_exception_rate 0.05", "ack_latency_p95 2m0s above max_ack_latency 1m0s"}
	if !slices.Equal(strict.SLABreaches, want) {
		t.Errorf("SLA breaches %q, want %q", strict.SLABreaches, want)
	}
	var idle store.Scorecard
	r := b.get(t, "/api/v1/partners/globex/scorecard", tokViewer, http.StatusOK, &idle)
	if idle.Files != 0 || idle.ByCheck == nil || idle.SLABreaches == nil || len(idle.Trend) < 7 {
		t.Errorf("globex: %s", r.body)
	}

	b.do(t, call{method: "GET", path: "/api/v1/partners/nobody/scorecard", secret: tokViewer}).failure(t, 404, "not_found")
	b.do(t, call{method: "GET", path: "/api/v1/partners/acme-retail/scorecard?window=90d", secret: tokViewer}).failure(t, 400, "bad_request")
	b.do(t, call{method: "GET", path: "/api/v1/partners/acme-retail/scorecard", secret: keyAcme}).failure(t, 403, "forbidden")
	b.do(t, call{method: "GET", path: "/api/v1/partners/acme-retail/scorecard"}).failure(t, 401, "unauthorized")
}

// TestScorecardsAPI checks GET /api/v1/scorecards: every configured
// partner, zeros for the idle ones, sorting and its errors.
func TestScorecardsAPI(t *testing.T) {
	t.Parallel()
	b := scorecardSetup(t)
	ids := func(path string) []string {
		t.Helper()
		var l struct {
			Items      []store.Scorecard `json:"items"`
			NextCursor *string           `json:"next_cursor"`
		}
		b.get(t, path, tokViewer, http.StatusOK, &l)
		if l.NextCursor == nil || *l.NextCursor != "" {
			t.Errorf("%s: next_cursor %v", path, l.NextCursor)
		}
		var out []string
		for _, sc := range l.Items {
			out = append(out, sc.PartnerID)
			if sc.Window != "7d" && sc.Window != "30d" {
				t.Errorf("%s: %s window %q", path, sc.PartnerID, sc.Window)
			}
		}
		return out
	}
	tests := []struct {
		path string
		want []string
	}{
		// By exception rate, descending: strict 1/4, acme-retail 1/40, then
		// the idle partners by ID.
		{"/api/v1/scorecards", []string{"strict", "acme-retail", "dormant", "globex"}},
		{"/api/v1/scorecards?window=30d&sort=files", []string{"acme-retail", "strict", "dormant", "globex"}},
		{"/api/v1/scorecards?sort=files&order=asc", []string{"dormant", "globex", "strict", "acme-retail"}},
		{"/api/v1/scorecards?sort=partner_id", []string{"acme-retail", "dormant", "globex", "strict"}},
		{"/api/v1/scorecards?sort=partner_id&order=desc", []string{"strict", "globex", "dormant", "acme-retail"}},
		{"/api/v1/scorecards?sort=sla_breaches", []string{"strict", "acme-retail", "dormant", "globex"}},
		{"/api/v1/scorecards?sort=ack_latency_p95_ms", []string{"strict", "acme-retail", "dormant", "globex"}},
	}
	for _, tt := range tests {
		if got := ids(tt.path); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.path, got, tt.want)
		}
	}
	for _, bad := range []string{"?sort=name", "?order=up", "?window=1h"} {
		b.do(t, call{method: "GET", path: "/api/v1/scorecards" + bad, secret: tokViewer}).failure(t, 400, "bad_request")
	}
	b.do(t, call{method: "GET", path: "/api/v1/scorecards", secret: keyGlobex}).failure(t, 403, "forbidden")
}
