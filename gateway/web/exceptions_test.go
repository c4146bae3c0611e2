package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/gatewaytest"
)

type exception struct {
	ID         int64   `json:"id"`
	PartnerID  string  `json:"partner_id"`
	FileID     *int64  `json:"file_id"`
	DocumentID *int64  `json:"document_id"`
	Check      string  `json:"check"`
	Severity   string  `json:"severity"`
	Action     string  `json:"action"`
	Status     string  `json:"status"`
	Message    string  `json:"message"`
	ActedBy    *string `json:"acted_by"`
	ActedAt    *string `json:"acted_at"`
}

type exceptionList struct {
	Items      []exception `json:"items"`
	NextCursor string      `json:"next_cursor"`
}

type reviewOutcome struct {
	Action     string   `json:"action"`
	Exceptions []int64  `json:"exceptions"`
	Accepted   []int64  `json:"accepted_documents"`
	Rejected   []int64  `json:"rejected_documents"`
	Outbox     []string `json:"outbox"`
	Files      []int64  `json:"files"`
}

// exceptionIDs lists the exceptions a query selects, newest first.
func (b *testBundle) exceptionIDs(t *testing.T, query string) []int64 {
	t.Helper()
	var l exceptionList
	b.get(t, "/api/v1/exceptions?"+query, tokViewer, http.StatusOK, &l)
	ids := make([]int64, len(l.Items))
	for i, e := range l.Items {
		ids[i] = e.ID
	}
	return ids
}

func (b *testBundle) post(t *testing.T, path, secret, body string) *reply {
	t.Helper()
	c := call{method: http.MethodPost, path: path, secret: secret}
	if body != "" {
		c.body = strings.NewReader(body)
		c.header = map[string]string{"Content-Type": "application/json"}
	}
	return b.do(t, c)
}

// TestExceptionsAPI lists and filters the exception queue, pages it, reads
// one exception, and releases, rejects, resolves and reprocesses through
// the API, one by one and in bulk, with the roles and the refusals.
func TestExceptionsAPI(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	acme := gatewaytest.Partner{Duplicates: "{document: hold}"}.YAML()
	gatewaytest.WriteFile(t, filepath.Join(b.env.PartnersDir, "acme-retail.yaml"), acme)
	if err := b.env.App.Partners.Reload(); err != nil {
		t.Fatal(err)
	}
	b.sendWait(t, keyAcme, "x1.edi", order(t, 701, "PO-X", "ACMERETAIL"))
	heldX := b.sendWait(t, keyAcme, "x2.edi", order(t, 702, "PO-X", "ACMERETAIL"))
	b.sendWait(t, keyAcme, "y1.edi", order(t, 703, "PO-Y", "ACMERETAIL"))
	heldY := b.sendWait(t, keyAcme, "y2.edi", order(t, 704, "PO-Y", "ACMERETAIL"))
	spoof := b.sendWait(t, keyGlobex, "z.edi", order(t, 705, "PO-Z", "ACMERETAIL")) // globex posing as acme

	all := b.exceptionIDs(t, "")
	if len(all) != 3 || !slices.IsSortedFunc(all, func(a, b int64) int { return int(b - a) }) {
		t.Fatalf("exceptions %v, want 3 newest first", all)
	}
	impersonation, holdY, holdX := all[0], all[1], all[2]
	var e exception
	b.get(t, fmt.Sprintf("/api/v1/exceptions/%d", holdX), tokViewer, http.StatusOK, &e)
	if e.Check != "duplicate_document" || e.Action != "hold" || e.Status != "open" || e.PartnerID != "acme-retail" ||
		e.FileID == nil || *e.FileID != heldX || e.DocumentID == nil || e.ActedBy != nil {
		t.Fatalf("exception %+v", e)
	}
	docX := *e.DocumentID
	b.get(t, "/api/v1/exceptions/999999", tokViewer, http.StatusNotFound, nil)

	// Filters.
	future := url.QueryEscape(time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	for _, tt := range []struct {
		query string
		want  []int64
	}{
		{"partner=acme-retail", []int64{holdY, holdX}},
		{"partner=globex", []int64{impersonation}},
		{"status=open&action=hold", []int64{holdY, holdX}},
		{"check=impersonation", []int64{impersonation}},
		{"severity=warning", []int64{}},
		{"action=reject", []int64{impersonation}},
		{fmt.Sprintf("file=%d", heldY), []int64{holdY}},
		{fmt.Sprintf("document=%d", docX), []int64{holdX}},
		{fmt.Sprintf("file=%d", spoof), []int64{impersonation}},
		{"created_before=" + future, all},
		{"created_after=" + future, []int64{}},
		{"status=resolved", []int64{}},
	} {
		if got := b.exceptionIDs(t, tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("?%s: %v, want %v", tt.query, got, tt.want)
		}
	}
	for _, q := range []string{"status=closed", "severity=fatal", "action=ignore", "file=x", "document=0", "created_after=yesterday"} {
		b.do(t, call{method: http.MethodGet, path: "/api/v1/exceptions?" + q, secret: tokViewer}).failure(t, http.StatusBadRequest, "bad_request")
	}

	// Paging, one at a time.
	var paged []int64
	path := "/api/v1/exceptions?limit=1"
	for range 4 {
		var l exceptionList
		b.get(t, path, tokViewer, http.StatusOK, &l)
		for _, e := range l.Items {
			paged = append(paged, e.ID)
		}
		if l.NextCursor == "" {
			break
		}
		path = "/api/v1/exceptions?limit=1&cursor=" + l.NextCursor
	}
	if !slices.Equal(paged, all) {
		t.Errorf("paged %v, want %v", paged, all)
	}

	// Roles: a viewer reads but does not act.
	for _, p := range []string{fmt.Sprintf("/api/v1/exceptions/%d/release", holdX), "/api/v1/exceptions/resolve?check=impersonation"} {
		b.post(t, p, tokViewer, "").failure(t, http.StatusForbidden, "forbidden")
		b.post(t, p, keyAcme, "").failure(t, http.StatusForbidden, "forbidden")
	}
	if got := b.exceptionIDs(t, "status=open"); len(got) != 3 {
		t.Fatalf("open after refused actions: %v", got)
	}

	// Release one.
	var out reviewOutcome
	b.post(t, fmt.Sprintf("/api/v1/exceptions/%d/release", holdX), tokOnboard, "").expect(t, http.StatusOK, &out)
	if out.Action != "release" || !slices.Equal(out.Exceptions, []int64{holdX}) || !slices.Equal(out.Accepted, []int64{docX}) {
		t.Errorf("release: %+v", out)
	}
	b.get(t, fmt.Sprintf("/api/v1/exceptions/%d", holdX), tokViewer, http.StatusOK, &e)
	if e.Status != "released" || e.ActedBy == nil || *e.ActedBy != "otto" || e.ActedAt == nil {
		t.Errorf("released exception %+v", e)
	}
	var doc struct {
		Status string `json:"status"`
	}
	b.get(t, fmt.Sprintf("/api/v1/documents/%d", docX), tokViewer, http.StatusOK, &doc)
	if doc.Status != "accepted" {
		t.Errorf("released document %s", doc.Status)
	}
	// Actions that do not apply are refused, naming the exception and its status.
	msg := b.post(t, fmt.Sprintf("/api/v1/exceptions/%d/release", holdX), tokAdmin, "").failure(t, http.StatusConflict, "conflict")
	if !strings.Contains(msg, fmt.Sprintf("exception %d", holdX)) || !strings.Contains(msg, "it is released") {
		t.Errorf("release twice: %s", msg)
	}
	msg = b.post(t, fmt.Sprintf("/api/v1/exceptions/%d/release", impersonation), tokAdmin, "").failure(t, http.StatusConflict, "conflict")
	if !strings.Contains(msg, "action reject") || !strings.Contains(msg, "open exceptions of action hold") {
		t.Errorf("release of a rejection: %s", msg)
	}
	b.post(t, "/api/v1/exceptions/999999/resolve", tokAdmin, "").failure(t, http.StatusNotFound, "not_found")

	// Bulk by IDs: reject Y; the partner finds a 997 rejecting its set.
	b.post(t, "/api/v1/exceptions/reject", tokAdmin, fmt.Sprintf(`{"ids": [%d]}`, holdY)).expect(t, http.StatusOK, &out)
	if out.Action != "reject" || !slices.Equal(out.Exceptions, []int64{holdY}) || len(out.Rejected) != 1 || len(out.Outbox) != 1 ||
		!strings.HasPrefix(out.Outbox[0], "997-") {
		t.Errorf("reject: %+v", out)
	}
	ack := b.outboxBody(t, keyAcme, out.Outbox[0])
	if !strings.Contains(ack, "AK2*850*0001~AK5*R~AK9*R*1*1*0~") || !strings.Contains(ack, "*ZZ*NORTHWIND      *ZZ*ACMERETAIL     *") {
		t.Errorf("rejection 997:\n%s", ack)
	}
	// Bulk selections that are refused.
	for _, c := range []struct{ path, body string }{
		{"/api/v1/exceptions/resolve", ""},                                 // nothing selected
		{"/api/v1/exceptions/resolve?check=impersonation", `{"ids": [1]}`}, // both
		{"/api/v1/exceptions/resolve", `{"ids": []}`},                      // empty
		{"/api/v1/exceptions/resolve", `{"ids": [1], "all": true}`},        // unknown field
		{"/api/v1/exceptions/release?status=resolved", ""},                 // contradicts release
		{"/api/v1/exceptions/resolve?action=hold", ""},                     // contradicts resolve
	} {
		b.post(t, c.path, tokAdmin, c.body).failure(t, http.StatusBadRequest, "bad_request")
	}
	b.post(t, "/api/v1/exceptions/resolve", tokAdmin, `{"ids": [999999]}`).failure(t, http.StatusNotFound, "not_found")
	// Reprocess the spoofed file: the impersonation is raised again by the
	// new run, which replaces the old exception.
	b.post(t, fmt.Sprintf("/api/v1/exceptions/%d/reprocess", impersonation), tokOnboard, "").expect(t, http.StatusOK, &out)
	if !slices.Equal(out.Files, []int64{spoof}) {
		t.Errorf("reprocess: %+v", out)
	}
	b.env.WaitProcessed(t, spoof, 2)
	again := b.exceptionIDs(t, "check=impersonation")
	if len(again) != 1 || again[0] == impersonation {
		t.Fatalf("impersonation exceptions after reprocessing: %v (was %d)", again, impersonation)
	}
	// Bulk by filter: resolve it.
	b.post(t, "/api/v1/exceptions/resolve?partner=globex&check=impersonation", tokOnboard, "").expect(t, http.StatusOK, &out)
	if !slices.Equal(out.Exceptions, again) {
		t.Errorf("resolve by filter: %+v", out)
	}
	if got := b.exceptionIDs(t, "status=open"); len(got) != 0 {
		t.Errorf("still open: %v", got)
	}
	if got := b.exceptionIDs(t, "status=resolved"); !slices.Equal(got, again) {
		t.Errorf("resolved: %v", got)
	}
}

// outboxBody returns the body of the partner's outbox item named name.
func (b *testBundle) outboxBody(t *testing.T, key, name string) string {
	t.Helper()
	var l struct {
		Items []struct {
			ID       int64  `json:"id"`
			Filename string `json:"filename"`
		} `json:"items"`
	}
	b.get(t, "/api/v1/outbox", key, http.StatusOK, &l)
	for _, it := range l.Items {
		if it.Filename == name {
			return string(b.get(t, fmt.Sprintf("/api/v1/outbox/%d", it.ID), key, http.StatusOK, nil).body)
		}
	}
	t.Fatalf("no outbox item %s in %+v", name, l.Items)
	return ""
}
