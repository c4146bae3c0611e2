package ingest_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/outbound/erpsim"
)

const policies = `policies:
  - {check: missing_scac, action: hold}
  - {check: unknown_ship_to, action: reject, known_ship_to: ["0118"]}
  - {check: fractional_quantity, action: warn, units: [EA]}
`

// variant returns the 850 fixture in a new interchange isa13 with the
// replacements old1, new1, … applied.
func variant(t *testing.T, isa13 int, oldnew ...string) string {
	t.Helper()
	s := gatewaytest.Fixture(t, "850-004010.edi")
	ctl := fmt.Sprintf("%09d", isa13)
	s = strings.ReplaceAll(s, "000000101", ctl)
	s = strings.ReplaceAll(s, "4500012345", fmt.Sprintf("PO-%d", isa13))
	return strings.NewReplacer(oldnew...).Replace(s)
}

// TestPolicies sends an order that passes every policy and one that fails
// each: the hold keeps the document from the ERP, the reject rejects the
// set in its 997 with the element at fault, the warn forwards and counts.
func TestPolicies(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	erp := &outbound.Destination{Name: "erp", URL: u}
	if err := erp.Validate(); err != nil {
		t.Fatal(err)
	}
	env := gatewaytest.StartOpts(t, gatewaytest.Options{Workers: 2, Destinations: []*outbound.Destination{erp},
		Routes: []outbound.Route{{Match: outbound.Match{Type: "order"}, Destination: "erp", Path: "/orders"}}},
		gatewaytest.Partner{Extra: policies})
	b := &bundle{env: env, ctx: context.Background()}
	for _, tt := range []struct {
		name       string
		file       string
		fileStatus string
		docStatus  string // "" when no document is kept
		exceptions []string
		ack        string
		delivered  bool
	}{
		{"passes", variant(t, 201), store.FileAccepted, store.DocumentAccepted, nil, "AK5*A~", true},
		{"no SCAC: hold", variant(t, 202, "TD5*O*2*UPSN*U*UPS GROUND~", "TD5*O****UPS GROUND~"),
			store.FileAccepted, store.DocumentHeld, []string{"missing_scac/hold"}, "AK5*A~", false},
		{"unknown ship-to: reject", variant(t, 203, "*92*0118~", "*92*0999~"),
			store.FileRejected, "", []string{"unknown_ship_to/reject"}, "AK3*N1*9**8~AK4*4*67*7*0999~AK5*R*5~", false},
		{"fractional each: warn", variant(t, 204, "PO1*1*24*EA*", "PO1*1*24.5*EA*", "CTT*2*30~", "CTT*2*30.5~"),
			store.FileAccepted, store.DocumentAccepted, []string{"fractional_quantity/warn"}, "AK5*A~", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := b.send(t, "acme-retail", tt.file)
			if f.Status != tt.fileStatus {
				t.Errorf("file status %s, want %s", f.Status, tt.fileStatus)
			}
			docs := b.documents(t, f.ID)
			ex := b.exceptions(t, f.ID)
			if got := checks(ex); !slices.Equal(got, tt.exceptions) {
				t.Errorf("exceptions %v, want %v", got, tt.exceptions)
			}
			switch {
			case tt.docStatus == "" && len(docs) != 0:
				t.Errorf("documents %+v, want none", docs)
			case tt.docStatus != "" && (len(docs) != 1 || docs[0].Status != tt.docStatus):
				t.Errorf("documents %+v, want one %s", docs, tt.docStatus)
			case tt.docStatus != "" && len(ex) > 0 && (ex[0].DocumentID == nil || *ex[0].DocumentID != docs[0].ID):
				t.Errorf("exception %+v is not on document %d", ex[0], docs[0].ID)
			}
			if acks := b.acks(t, "acme-retail", f.ID); len(acks) != 1 || !strings.Contains(b.ackBody(t, "acme-retail", acks[0]), tt.ack) {
				t.Errorf("997 does not contain %q: %v", tt.ack, acks)
			}
			if tt.docStatus != "" {
				checkDelivered(t, b, sim, docs[0].ID, tt.delivered)
			}
		})
	}
}

// checkDelivered checks that a document reached the ERP, or that it has no
// delivery at all.
func checkDelivered(t *testing.T, b *bundle, sim *erpsim.Sim, docID int64, want bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ds, err := b.env.App.Store.DocumentDeliveries(b.ctx, b.env.App.Pool, docID)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case !want && len(ds) != 0:
			t.Fatalf("document %d has deliveries %+v, want none until released", docID, ds)
		case !want:
			return
		case len(ds) == 1 && ds[0].Status == store.DeliveryDelivered:
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("document %d not delivered after 30s: %+v (ERP holds %d)", docID, ds, len(sim.Items()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestScorecardFromProcessing checks that processing keeps the partner's
// scorecard: three orders, one warned and one rejected by policy, one
// processed twice, count once each.
func TestScorecardFromProcessing(t *testing.T) {
	t.Parallel()
	env := gatewaytest.StartOpts(t, gatewaytest.Options{Workers: 2}, gatewaytest.Partner{Extra: policies})
	b := &bundle{env: env, ctx: context.Background()}
	passes := b.send(t, "acme-retail", variant(t, 301))
	b.send(t, "acme-retail", variant(t, 302, "*92*0118~", "*92*0999~"))
	b.send(t, "acme-retail", variant(t, 303, "PO1*1*24*EA*", "PO1*1*24.5*EA*", "CTT*2*30~", "CTT*2*30.5~"))
	if err := env.App.Pipeline.Reprocess(b.ctx, passes.ID); err != nil {
		t.Fatal(err)
	}
	env.WaitProcessed(t, passes.ID, 2)
	sc, err := env.App.Store.Scorecard(b.ctx, env.App.Pool, "acme-retail", 7*24*time.Hour, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("files %d sets %d accepted %d rejected %d documents %d exceptional %d exceptions %d checks %v codes %v",
		sc.Files, sc.TransactionSets, sc.Accepted, sc.Rejected, sc.Documents, sc.Exceptional, sc.Exceptions, sc.ByCheck, sc.ByCode)
	want := "files 3 sets 3 accepted 2 rejected 1 documents 2 exceptional 2 exceptions 2 " +
		"checks map[fractional_quantity:1 unknown_ship_to:1] codes map[AK403:7:1]"
	if got != want {
		t.Errorf("scorecard\n got %s\nwant %s", got, want)
	}
	if sc.ExceptionRate < 0.66 || sc.ExceptionRate > 0.67 {
		t.Errorf("exception rate %v, want 2/3", sc.ExceptionRate)
	}
}
