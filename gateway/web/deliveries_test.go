package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/outbound/erpsim"
)

type deliveryAttempt struct {
	Attempt    int    `json:"attempt"`
	StatusCode *int   `json:"status_code"`
	Outcome    string `json:"outcome"`
}

type delivery struct {
	ID             int64             `json:"id"`
	DocumentID     int64             `json:"document_id"`
	PartnerID      string            `json:"partner_id"`
	Destination    string            `json:"destination"`
	Path           string            `json:"path"`
	IdempotencyKey string            `json:"idempotency_key"`
	Status         string            `json:"status"`
	Attempts       int               `json:"attempts"`
	History        []deliveryAttempt `json:"history"`
}

type deliveryList struct {
	Items      []delivery `json:"items"`
	NextCursor string     `json:"next_cursor"`
}

type retryReceipt struct {
	Retried int     `json:"retried"`
	IDs     []int64 `json:"ids"`
}

// waitStatus polls the list until n deliveries have status.
func (b *testBundle) waitStatus(t *testing.T, status string, n int) []delivery {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var l deliveryList
		b.get(t, "/api/v1/deliveries?status="+status, tokViewer, http.StatusOK, &l)
		if len(l.Items) >= n {
			return l.Items
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d %s deliveries after 30s, want %d", len(l.Items), status, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDeliveriesAPI lists dead deliveries, retries one and then the rest in
// bulk, and reads a document's delivery history.
func TestDeliveriesAPI(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{FailRate: 1})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	erp := &outbound.Destination{Name: "erp", URL: u, MaxAttempts: 2, InitialBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}
	if err := erp.Validate(); err != nil {
		t.Fatal(err)
	}
	b := setup(t, &setupOpts{erp: erp})
	b.sendWait(t, keyAcme, "a.edi", order(t, 501, "PO-A", "ACMERETAIL"))
	b.sendWait(t, keyGlobex, "b.edi", order(t, 502, "PO-B", "GLOBEX"))
	dead := b.waitStatus(t, "dead", 2)
	for _, d := range dead {
		if d.Attempts != 2 || d.Destination != "erp" || d.Path != "/orders" {
			t.Errorf("dead delivery %+v", d)
		}
	}
	var l deliveryList
	b.get(t, "/api/v1/deliveries?partner=globex&destination=erp", tokViewer, http.StatusOK, &l)
	if len(l.Items) != 1 || l.Items[0].PartnerID != "globex" {
		t.Errorf("globex's deliveries: %+v", l.Items)
	}
	b.get(t, "/api/v1/deliveries?destination=wms", tokViewer, http.StatusOK, &l)
	if len(l.Items) != 0 {
		t.Errorf("deliveries to wms: %+v", l.Items)
	}
	b.do(t, call{method: "GET", path: "/api/v1/deliveries?status=lost", secret: tokViewer}).failure(t, 400, "bad_request")
	b.do(t, call{method: "GET", path: "/api/v1/deliveries", secret: keyAcme}).failure(t, 403, "forbidden")

	first, second := dead[0], dead[1]
	if first.PartnerID != "acme-retail" {
		first, second = second, first
	}
	var one delivery
	b.get(t, fmt.Sprintf("/api/v1/deliveries/%d", first.ID), tokViewer, http.StatusOK, &one)
	if len(one.History) != 2 || one.History[0].Outcome != "retry" || *one.History[1].StatusCode != 500 {
		t.Errorf("history %+v", one.History)
	}
	retryOne := fmt.Sprintf("/api/v1/deliveries/%d/retry", first.ID)
	b.do(t, call{method: "POST", path: retryOne, secret: tokViewer}).failure(t, 403, "forbidden")

	sim.SetFailRate(0)
	var rc retryReceipt
	b.do(t, call{method: "POST", path: retryOne, secret: tokOnboard}).expect(t, http.StatusAccepted, &rc)
	if rc.Retried != 1 || rc.IDs[0] != first.ID {
		t.Errorf("retry receipt %+v", rc)
	}
	b.waitStatus(t, "delivered", 1)
	b.do(t, call{method: "POST", path: retryOne, secret: tokOnboard}).failure(t, 409, "conflict")

	b.do(t, call{method: "POST", path: "/api/v1/deliveries/retry?status=delivered", secret: tokAdmin}).failure(t, 400, "bad_request")
	b.do(t, call{method: "POST", path: "/api/v1/deliveries/retry?partner=globex", secret: tokAdmin}).expect(t, http.StatusAccepted, &rc)
	if rc.Retried != 1 || rc.IDs[0] != second.ID {
		t.Errorf("bulk retry receipt %+v", rc)
	}
	b.waitStatus(t, "delivered", 2)

	var doc struct {
		Deliveries []delivery `json:"deliveries"`
	}
	b.get(t, fmt.Sprintf("/api/v1/documents/%d", first.DocumentID), tokViewer, http.StatusOK, &doc)
	if len(doc.Deliveries) != 1 || doc.Deliveries[0].Status != "delivered" || len(doc.Deliveries[0].History) != 3 {
		t.Errorf("document deliveries %+v", doc.Deliveries)
	}
	for _, it := range sim.Items() {
		if it.Applied != 1 {
			t.Errorf("the ERP holds %s applied %d times", it.IdempotencyKey, it.Applied)
		}
	}
}
