package ingest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
)

const shipProfile = `csv:
  - name: shipconf
    pattern: "SHIPCONF_*.csv"
    type: shipment
    columns: {shipment_id: Shipment, order_number: Order, ship_date: Shipped, line.sku: SKU, line.quantity: Qty}
    group: shipment_id
    on_error: %s
`

const shipCSV = "Shipment,Order,Shipped,SKU,Qty\n" +
	"SC-1,PO-1,2026-11-26,A,2\n" +
	"SC-1,PO-1,2026-11-26,B,1\n" +
	"SC-2,PO-2,2026-13-01,A,1\n"

func TestIngestCSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		onError, status string
		docs            int
		result          string // lines of the result file, split by |
	}{
		{"reject_document", store.FilePartiallyAccepted, 1, "SC-1,2,accepted,|SC-2,4,rejected,"},
		{"reject_file", store.FileRejected, 0, "SC-1,2,rejected,"},
	}
	for _, tt := range tests {
		t.Run(tt.onError, func(t *testing.T) {
			t.Parallel()
			b := setup(t, gatewaytest.Partner{Extra: strings.Replace(shipProfile, "%s", tt.onError, 1)})
			f, err := b.env.App.Pipeline.Receive(context.Background(), &ingest.ReceiveParams{PartnerID: "acme-retail",
				Channel: "api", Filename: "SHIPCONF_1.csv", Body: strings.NewReader(shipCSV)})
			if err != nil {
				t.Fatal(err)
			}
			f = b.env.WaitProcessed(t, f.ID, 1)
			if f.Status != tt.status {
				t.Errorf("status %s, want %s (%s)", f.Status, tt.status, f.Summary)
			}
			docs := b.documents(t, f.ID)
			if len(docs) != tt.docs || tt.docs == 1 && (docs[0].Type != "shipment" || docs[0].Number != "SC-1") {
				t.Errorf("documents %+v, want %d", docs, tt.docs)
			}
			out := b.acks(t, "acme-retail", f.ID)
			if len(out) != 1 || out[0].Kind != store.OutboxResult || out[0].Filename != "SHIPCONF_1.result.csv" {
				t.Fatalf("outbox %+v", out)
			}
			body := b.ackBody(t, "acme-retail", out[0])
			for _, line := range strings.Split(tt.result, "|") {
				if !strings.Contains(body, line) {
					t.Errorf("result file:\n%s\nwant a line starting %q", body, line)
				}
			}
			if ex := checks(b.exceptions(t, f.ID)); len(ex) == 0 || ex[0] != "csv_validation/reject" {
				t.Errorf("exceptions %v", ex)
			}
		})
	}
}

// A partner whose CSV profiles do not match the file name sends X12.
func TestIngestCSVProfileByName(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{Extra: strings.Replace(shipProfile, "%s", "reject_document", 1)})
	f := b.send(t, "acme-retail", gatewaytest.Fixture(t, "850-004010.edi"))
	if f.Status != store.FileAccepted || len(b.documents(t, f.ID)) != 1 {
		t.Errorf("an X12 file named test.edi: status %s", f.Status)
	}
}
