package review_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/delivery"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/review"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/outbound/erpsim"
	"github.com/partnergate/partnergate/partners"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// ordersToERP routes purchase orders to the destination erp.
var ordersToERP = []outbound.Route{{Match: outbound.Match{Type: "order", Kind: "purchase_order"}, Destination: "erp", Path: "/orders"}}

type testBundle struct {
	ctx context.Context
	env *gatewaytest.Env
	sim *erpsim.Sim
	rev *review.Reviewer
	st  *store.Store
}

// setup runs a gateway delivering orders to an ERP simulator, with partner
// p (acme-retail holding duplicate documents when p is the zero Partner).
func setup(t *testing.T, p gatewaytest.Partner) *testBundle {
	t.Helper()
	if p.Duplicates == "" {
		p.Duplicates = "{document: hold}"
	}
	sim := erpsim.New(erpsim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	erp := &outbound.Destination{Name: "erp", URL: u, MaxAttempts: 5, InitialBackoff: 10 * time.Millisecond,
		MaxBackoff: 50 * time.Millisecond, Concurrency: 2}
	if err := erp.Validate(); err != nil {
		t.Fatal(err)
	}
	env := gatewaytest.StartOpts(t, gatewaytest.Options{Workers: 4, Destinations: []*outbound.Destination{erp},
		Routes: ordersToERP}, p)
	return &testBundle{ctx: context.Background(), env: env, sim: sim, rev: env.App.Reviewer, st: env.App.Store}
}

// order returns the 850 fixture with its ISA13 and PO number changed.
func order(t *testing.T, isa13 int, po string) string {
	t.Helper()
	s := gatewaytest.Fixture(t, "850-004010.edi")
	s = strings.ReplaceAll(s, "000000101", fmt.Sprintf("%09d", isa13))
	return strings.ReplaceAll(s, "4500012345", po)
}

// receive stores a file of acme-retail and waits for its first run.
func (b *testBundle) receive(t *testing.T, name, body string) *store.File {
	t.Helper()
	f, err := b.env.App.Pipeline.Receive(b.ctx, &ingest.ReceiveParams{PartnerID: "acme-retail", Channel: "api",
		Filename: name, Body: strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	return b.env.WaitProcessed(t, f.ID, 1)
}

// exceptions returns the exceptions f selects, newest first.
func (b *testBundle) exceptions(t *testing.T, f store.ExceptionFilter) []*store.Exception {
	t.Helper()
	es, err := b.st.ListExceptions(b.ctx, b.env.App.Pool, &store.ListExceptionsParams{ExceptionFilter: f})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// held sends the same order twice and returns the hold exception of the
// second file's document.
func (b *testBundle) held(t *testing.T, isa13 int, po string) *store.Exception {
	t.Helper()
	b.receive(t, fmt.Sprintf("first-%d.edi", isa13), order(t, isa13, po))
	f := b.receive(t, fmt.Sprintf("again-%d.edi", isa13), order(t, isa13+1, po))
	es := b.exceptions(t, store.ExceptionFilter{FileID: f.ID})
	if len(es) != 1 || es[0].Check != ingest.CheckDuplicateDocument || es[0].Action != store.ActionHold ||
		es[0].Status != store.ExceptionOpen || es[0].DocumentID == nil {
		t.Fatalf("exceptions of the second file: %+v", es)
	}
	if d := b.document(t, *es[0].DocumentID); d.Status != store.DocumentHeld {
		t.Fatalf("the second document is %s, want held", d.Status)
	}
	return es[0]
}

func (b *testBundle) document(t *testing.T, id int64) *store.Document {
	t.Helper()
	d, err := b.st.GetDocument(b.ctx, b.env.App.Pool, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (b *testBundle) exception(t *testing.T, id int64) *store.Exception {
	t.Helper()
	e, err := b.st.GetException(b.ctx, b.env.App.Pool, id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// checkActed checks an exception's status and that ops acted on it.
func (b *testBundle) checkActed(t *testing.T, id int64, status string) {
	t.Helper()
	e := b.exception(t, id)
	if e.Status != status || e.ActedBy == nil || *e.ActedBy != "ops" || e.ActedAt == nil || e.ActedAt.Before(e.CreatedAt) {
		t.Errorf("exception %d: status %s, acted by %v at %v; want %s by ops", id, e.Status, e.ActedBy, e.ActedAt, status)
	}
}

// outbox returns the outbox items of a file with their bodies.
func (b *testBundle) outbox(t *testing.T, fileID int64) []*store.OutboxItem {
	t.Helper()
	pool := b.env.App.Pool
	items, err := b.st.ListOutbox(b.ctx, pool, &store.ListOutboxParams{FileID: fileID})
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range items {
		if items[i], err = b.st.GetOutbox(b.ctx, pool, "acme-retail", it.ID); err != nil {
			t.Fatal(err)
		}
	}
	return items
}

// waitDelivered waits until document id is delivered to the ERP.
func (b *testBundle) waitDelivered(t *testing.T, id int64) *store.Delivery {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ds, err := b.st.DocumentDeliveries(b.ctx, b.env.App.Pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) == 1 && ds[0].Status == store.DeliveryDelivered {
			return ds[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("document %d not delivered after 30s: %+v", id, ds)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestReleaseDeliversOnce: a held duplicate, released, becomes accepted and
// reaches the ERP exactly once; releasing it again is refused and changes
// nothing.
func TestReleaseDeliversOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{})
	e := b.held(t, 101, "PO-1")
	docID := *e.DocumentID
	if ds, _ := b.st.DocumentDeliveries(b.ctx, b.env.App.Pool, docID); len(ds) != 0 {
		t.Fatalf("a held document has deliveries: %+v", ds)
	}
	out, err := b.rev.Release(b.ctx, "ops", []int64{e.ID})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(out.Exceptions, out.Accepted, out.Held) != fmt.Sprintf("[%d] [%d] []", e.ID, docID) {
		t.Errorf("outcome %+v", out)
	}
	b.checkActed(t, e.ID, store.ExceptionReleased)
	if d := b.document(t, docID); d.Status != store.DocumentAccepted {
		t.Errorf("released document: %s", d.Status)
	}
	dl := b.waitDelivered(t, docID)
	if dl.IdempotencyKey != delivery.IdempotencyKey(docID, "erp") || dl.Path != "/orders" {
		t.Errorf("delivery %+v", dl)
	}

	_, err = b.rev.Release(b.ctx, "ops", []int64{e.ID})
	var na *review.NotApplicableError
	if !errors.As(err, &na) || !errors.Is(err, review.ErrNotApplicable) || na.Exception.ID != e.ID ||
		!strings.Contains(err.Error(), fmt.Sprintf("exception %d", e.ID)) || !strings.Contains(err.Error(), "it is released") {
		t.Errorf("releasing twice: %v", err)
	}
	var applied int
	for _, it := range b.sim.Items() {
		if it.IdempotencyKey == dl.IdempotencyKey {
			applied += it.Applied
			if it.Attempts != 1 {
				t.Errorf("the ERP got %d requests for the released document", it.Attempts)
			}
		}
	}
	if applied != 1 {
		t.Errorf("the ERP applied the released document %d times", applied)
	}
	if ds, _ := b.st.DocumentDeliveries(b.ctx, b.env.App.Pool, docID); len(ds) != 1 {
		t.Errorf("%d deliveries of the released document", len(ds))
	}
}

// TestReleaseWaitsForOtherHolds: a document held by two exceptions, the
// second raised on its file and set rather than on it, is accepted only
// when the second is released.
func TestReleaseWaitsForOtherHolds(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{})
	e := b.held(t, 111, "PO-11")
	second := b.addSetHold(t, e)
	out, err := b.rev.Release(b.ctx, "ops", []int64{e.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Accepted) != 0 || fmt.Sprint(out.Held) != fmt.Sprintf("[%d]", *e.DocumentID) {
		t.Errorf("first release: %+v", out)
	}
	if d := b.document(t, *e.DocumentID); d.Status != store.DocumentHeld {
		t.Errorf("document %s after the first release", d.Status)
	}
	if out, err = b.rev.Release(b.ctx, "ops", []int64{second}); err != nil || len(out.Accepted) != 1 {
		t.Fatalf("second release: %+v, %v", out, err)
	}
	b.waitDelivered(t, *e.DocumentID)
}

// addHold raises a second hold exception on e's document.
func (b *testBundle) addHold(t *testing.T, e *store.Exception) int64 {
	t.Helper()
	var id int64
	err := b.env.App.Pool.QueryRow(b.ctx, `INSERT INTO exceptions (partner_id, file_id, document_id, check_name,
		severity, action, message, created_at) VALUES ($1, $2, $3, 'policy', 'warning', 'hold', 'held for review', now())
		RETURNING id`, e.PartnerID, e.FileID, e.DocumentID).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// addSetHold raises a second hold exception on the file and set of e's
// document, without naming the document.
func (b *testBundle) addSetHold(t *testing.T, e *store.Exception) int64 {
	t.Helper()
	var id int64
	err := b.env.App.Pool.QueryRow(b.ctx, `INSERT INTO exceptions (partner_id, file_id, transaction_seq, check_name,
		severity, action, message, created_at) SELECT $1, file_id, transaction_seq, 'policy', 'warning', 'hold',
		'held for review', now() FROM documents WHERE id = $2 RETURNING id`, e.PartnerID, e.DocumentID).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// readAck reads one 997/999 interchange and returns it with its ack.
func readAck(t *testing.T, body []byte) (*edi.Interchange, *edi.FunctionalAck) {
	t.Helper()
	r := edi.NewReader(strings.NewReader(string(body)), nil)
	var ic *edi.Interchange
	var ack *edi.FunctionalAck
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch ev.Kind {
		case edi.TransactionSet:
			if ack, err = edi.ReadFunctionalAck(ev.Transaction); err != nil {
				t.Errorf("%v in\n%s", err, body)
			}
		case edi.GroupEnd:
			if len(ev.Group.Errors) > 0 {
				t.Errorf("group errors %v in\n%s", ev.Group.Errors, body)
			}
		case edi.InterchangeEnd:
			ic = ev.Interchange
			if len(ic.Errors) > 0 {
				t.Errorf("interchange errors %v in\n%s", ic.Errors, body)
			}
		}
	}
	if ic == nil || ack == nil {
		t.Fatalf("no acknowledgment in\n%s", body)
	}
	return ic, ack
}

// TestRejectSendsAck: a rejected held document is rejected, is not
// delivered, and the partner gets a 997 or 999 rejecting its set alone.
func TestRejectSendsAck(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ ack, typ, ak5 string }{
		{"auto", "997", "AK5*R~"},
		{"999", "999", "IK5*R~"},
	} {
		t.Run(tt.typ, func(t *testing.T) {
			t.Parallel()
			b := setup(t, gatewaytest.Partner{Ack: tt.ack})
			e := b.held(t, 201, "PO-2")
			before := b.outbox(t, *e.FileID)
			out, err := b.rev.Reject(b.ctx, "ops", []int64{e.ID})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(out.Exceptions, out.Rejected) != fmt.Sprintf("[%d] [%d]", e.ID, *e.DocumentID) || len(out.Outbox) != 1 {
				t.Errorf("outcome %+v", out)
			}
			b.checkActed(t, e.ID, store.ExceptionRejected)
			if d := b.document(t, *e.DocumentID); d.Status != store.DocumentRejected {
				t.Errorf("document %s, want rejected", d.Status)
			}
			after := b.outbox(t, *e.FileID)
			if len(after) != len(before)+1 {
				t.Fatalf("outbox %d items, then %d", len(before), len(after))
			}
			it := after[len(after)-1]
			if it.Kind != store.OutboxAck || it.Type != tt.typ || it.Filename != out.Outbox[0] ||
				!strings.HasPrefix(it.Filename, tt.typ+"-") {
				t.Errorf("outbox item %+v", it)
			}
			body := string(it.Body)
			t.Logf("%s:\n%s", it.Filename, body)
			if !strings.Contains(body, tt.ak5) || !strings.Contains(body, "AK9*R*1*1*0~") {
				t.Errorf("ack:\n%s", body)
			}
			ic, ack := readAck(t, it.Body)
			if strings.TrimSpace(ic.SenderID) != "NORTHWIND" || strings.TrimSpace(ic.ReceiverID) != "ACMERETAIL" || ic.Version != "00401" ||
				ic.ControlNumber != it.ControlNumber {
				t.Errorf("ack ISA %+v", ic)
			}
			if ack.Type != tt.typ || ack.GroupFunctionalID != "PO" || ack.GroupControl != "101" || len(ack.Sets) != 1 ||
				ack.Sets[0].SetID != "850" || ack.Sets[0].ControlNumber != "0001" || ack.Sets[0].Code != "R" ||
				ack.GroupCode != "R" || ack.Included != 1 || ack.Received != 1 || ack.Accepted != 0 {
				t.Errorf("ack %+v", ack)
			}
			if ds, _ := b.st.DocumentDeliveries(b.ctx, b.env.App.Pool, *e.DocumentID); len(ds) != 0 {
				t.Errorf("a rejected document has deliveries: %+v", ds)
			}
			if _, err := b.rev.Release(b.ctx, "ops", []int64{e.ID}); !errors.Is(err, review.ErrNotApplicable) ||
				!strings.Contains(err.Error(), "it is rejected") {
				t.Errorf("releasing a rejected exception: %v", err)
			}
		})
	}
}

// TestRejectAckNone: a partner that takes no 997/999 gets none.
func TestRejectAckNone(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{Ack: "none"})
	e := b.held(t, 211, "PO-21")
	before := len(b.outbox(t, *e.FileID))
	out, err := b.rev.Reject(b.ctx, "ops", []int64{e.ID})
	if err != nil || len(out.Rejected) != 1 || len(out.Outbox) != 0 {
		t.Fatalf("%+v, %v", out, err)
	}
	if after := len(b.outbox(t, *e.FileID)); after != before {
		t.Errorf("outbox grew from %d to %d items", before, after)
	}
}

const shipProfile = `csv:
  - name: shipconf
    pattern: "SHIPCONF_*.csv"
    type: shipment
    delimiter: ";"
    columns: {shipment_id: Shipment, order_number: Order, ship_date: Shipped, line.sku: SKU, line.quantity: Qty}
    group: shipment_id
`

// TestRejectCSV: a rejected CSV document gets a result file line with the
// row it starts at, or without a row when the partner's profile has
// changed since so that another document is read there.
func TestRejectCSV(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, profile, header, line string
	}{
		{"same profile", shipProfile, "Shipment;row;status;error", "SC-1;4;rejected;"},
		{"profile changed", strings.Replace(shipProfile, "shipment_id: Shipment, order_number: Order",
			"shipment_id: Order, order_number: Shipment", 1), "Order;row;status;error", "SC-1;;rejected;"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := gatewaytest.Partner{Extra: shipProfile}
			b := setup(t, p)
			b.receive(t, "SHIPCONF_1.csv", "Shipment;Order;Shipped;SKU;Qty\nSC-1;PO-1;2026-11-26;A;2\n")
			f := b.receive(t, "SHIPCONF_2.csv", "Shipment;Order;Shipped;SKU;Qty\nSC-2;PO-2;2026-11-26;A;1\nSC-2;PO-2;2026-11-26;B;1\n"+
				"SC-1;PO-1;2026-11-26;A;3\n")
			es := b.exceptions(t, store.ExceptionFilter{FileID: f.ID, Action: store.ActionHold})
			if len(es) != 1 {
				t.Fatalf("hold exceptions of the second file: %+v", es)
			}
			if tt.profile != shipProfile {
				p.Extra, p.Duplicates = tt.profile, "{document: hold}"
				gatewaytest.WriteFile(t, filepath.Join(b.env.PartnersDir, "acme-retail.yaml"), p.YAML())
				if err := b.env.App.Partners.Reload(); err != nil {
					t.Fatal(err)
				}
			}
			out, err := b.rev.Reject(b.ctx, "ops", []int64{es[0].ID})
			if err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("SHIPCONF_2.rejected-%d.result.csv", *es[0].DocumentID)
			if len(out.Outbox) != 1 || out.Outbox[0] != want {
				t.Fatalf("outbox %v, want %s", out.Outbox, want)
			}
			items := b.outbox(t, f.ID)
			it := items[len(items)-1]
			lines := strings.Split(strings.TrimSuffix(string(it.Body), "\r\n"), "\r\n")
			if it.Kind != store.OutboxResult || it.Filename != want || len(lines) != 2 || lines[0] != tt.header ||
				!strings.HasPrefix(lines[1], tt.line+`"rejected on review (duplicate_document): shipment SC-1 was received before`) {
				t.Errorf("result file %s:\n%q", it.Filename, it.Body)
			}
			if d := b.document(t, *es[0].DocumentID); d.Status != store.DocumentRejected {
				t.Errorf("document %s", d.Status)
			}
		})
	}
}

// TestResolve: an open reject exception is resolved; a hold or a resolved
// exception cannot be, and an unknown ID is not found.
func TestResolve(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{Accept: []string{"856"}})
	f := b.receive(t, "850.edi", order(t, 301, "PO-3"))
	es := b.exceptions(t, store.ExceptionFilter{FileID: f.ID})
	if len(es) != 1 || es[0].Action != store.ActionReject {
		t.Fatalf("exceptions %+v", es)
	}
	out, err := b.rev.Resolve(b.ctx, "ops", []int64{es[0].ID})
	if err != nil || fmt.Sprint(out.Exceptions) != fmt.Sprintf("[%d]", es[0].ID) {
		t.Fatalf("%+v, %v", out, err)
	}
	b.checkActed(t, es[0].ID, store.ExceptionResolved)
	if _, err := b.rev.Resolve(b.ctx, "ops", []int64{es[0].ID}); !errors.Is(err, review.ErrNotApplicable) ||
		!strings.Contains(err.Error(), "it is resolved") {
		t.Errorf("resolving twice: %v", err)
	}
	if _, err := b.rev.Resolve(b.ctx, "ops", []int64{es[0].ID + 1000}); !errors.Is(err, store.ErrNotFound) ||
		err.Error() != fmt.Sprintf("review: exception %d not found", es[0].ID+1000) {
		t.Errorf("resolving an unknown exception: %v", err)
	}
}

// TestResolveRefusesHold: a hold is released or rejected, not resolved;
// the refusal of one ID leaves the others untouched.
func TestResolveRefusesHold(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{})
	e := b.held(t, 311, "PO-31")
	_, err := b.rev.Resolve(b.ctx, "ops", []int64{e.ID})
	if !errors.Is(err, review.ErrNotApplicable) || !strings.Contains(err.Error(), "action hold") {
		t.Errorf("resolving a hold: %v", err)
	}
	if got := b.exception(t, e.ID); got.Status != store.ExceptionOpen || got.ActedBy != nil {
		t.Errorf("the hold after a refused resolve: %+v", got)
	}
}

// TestReprocess: after the configuration is fixed, reprocessing the file
// of an exception replaces its exceptions with the new run's (none).
func TestReprocess(t *testing.T) {
	t.Parallel()
	p := gatewaytest.Partner{Accept: []string{"856"}}
	b := setup(t, p)
	f := b.receive(t, "850.edi", order(t, 401, "PO-4"))
	es := b.exceptions(t, store.ExceptionFilter{FileID: f.ID})
	if f.Status != store.FileRejected || len(es) != 1 || es[0].Check != ingest.CheckValidation {
		t.Fatalf("file %s, exceptions %+v", f.Status, es)
	}
	p.Accept, p.Duplicates = []string{"850", "856"}, "{document: hold}"
	gatewaytest.WriteFile(t, filepath.Join(b.env.PartnersDir, "acme-retail.yaml"), p.YAML())
	if err := b.env.App.Partners.Reload(); err != nil {
		t.Fatal(err)
	}
	out, err := b.rev.Reprocess(b.ctx, "ops", []int64{es[0].ID})
	if err != nil || fmt.Sprint(out.Files) != fmt.Sprintf("[%d]", f.ID) {
		t.Fatalf("%+v, %v", out, err)
	}
	f = b.env.WaitProcessed(t, f.ID, 2)
	if f.Status != store.FileAccepted {
		t.Errorf("file %s after reprocessing", f.Status)
	}
	if _, err := b.st.GetException(b.ctx, b.env.App.Pool, es[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the old exception is still there: %v", err)
	}
	if left := b.exceptions(t, store.ExceptionFilter{FileID: f.ID}); len(left) != 0 {
		t.Errorf("exceptions after reprocessing: %+v", left)
	}
}

// TestBulkByFilter: a filter selects what the action applies to; a filter
// that contradicts the action, or none, is refused; a list of IDs is all
// or nothing.
func TestBulkByFilter(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{})
	h1, h2 := b.held(t, 501, "PO-51"), b.held(t, 511, "PO-52")
	if _, err := b.rev.Do(b.ctx, review.ActionRelease, "ops", &store.ExceptionFilter{PartnerID: "acme-retail",
		Status: store.ExceptionResolved}); !errors.Is(err, review.ErrSelection) {
		t.Errorf("release of resolved exceptions: %v", err)
	}
	if _, err := b.rev.Do(b.ctx, review.ActionResolve, "ops", &store.ExceptionFilter{}); !errors.Is(err, review.ErrSelection) {
		t.Errorf("an empty filter: %v", err)
	}
	// Resolve by filter leaves the holds alone.
	out, err := b.rev.Do(b.ctx, review.ActionResolve, "ops", &store.ExceptionFilter{PartnerID: "acme-retail"})
	if err != nil || len(out.Exceptions) != 0 {
		t.Errorf("resolve by partner: %+v, %v", out, err)
	}
	// IDs are all or nothing.
	b.addHold(t, h1)
	if _, err := b.rev.Release(b.ctx, "ops", []int64{h1.ID, h2.ID, h2.ID + 1000}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("release with an unknown ID: %v", err)
	}
	if got := b.exception(t, h2.ID); got.Status != store.ExceptionOpen {
		t.Errorf("a refused release changed exception %d: %s", h2.ID, got.Status)
	}
	out, err = b.rev.Do(b.ctx, review.ActionRelease, "ops", &store.ExceptionFilter{PartnerID: "acme-retail",
		Check: ingest.CheckDuplicateDocument})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(out.Exceptions, out.Accepted, out.Held) != fmt.Sprintf("[%d %d] [%d] [%d]", h1.ID, h2.ID, *h2.DocumentID, *h1.DocumentID) {
		t.Errorf("release by filter: %+v", out)
	}
	b.checkActed(t, h1.ID, store.ExceptionReleased)
	b.checkActed(t, h2.ID, store.ExceptionReleased)
	b.waitDelivered(t, *h2.DocumentID)
	// The hold left on h1's document, rejected by filter.
	out, err = b.rev.Do(b.ctx, review.ActionReject, "ops", &store.ExceptionFilter{DocumentID: *h1.DocumentID})
	if err != nil || len(out.Exceptions) != 1 || fmt.Sprint(out.Rejected) != fmt.Sprintf("[%d]", *h1.DocumentID) {
		t.Errorf("reject by document: %+v, %v", out, err)
	}
}

// metric returns the value of a gauge or counter with labels, and whether
// it is reported.
func metric(t *testing.T, b *testBundle, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	mfs, err := b.env.App.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			n := 0
			for _, l := range m.GetLabel() {
				if v, ok := labels[l.GetName()]; ok && v == l.GetValue() {
					n++
				}
			}
			if n == len(labels) {
				if m.GetGauge() != nil {
					return m.GetGauge().GetValue(), true
				}
				return m.GetCounter().GetValue(), true
			}
		}
	}
	return 0, false
}

// TestExceptionMetrics: the open gauge follows the queue; the counter
// counts the raised exceptions.
func TestExceptionMetrics(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{})
	e := b.held(t, 601, "PO-6")
	open := map[string]string{"partner": "acme-retail", "check": ingest.CheckDuplicateDocument}
	if v, ok := metric(t, b, "partnergate_exceptions_open", open); !ok || v != 1 {
		t.Errorf("partnergate_exceptions_open %v %v, want 1", v, ok)
	}
	raised := map[string]string{"partner": "acme-retail", "check": ingest.CheckDuplicateDocument, "action": "hold"}
	if v, ok := metric(t, b, "partnergate_exceptions_total", raised); !ok || v != 1 {
		t.Errorf("partnergate_exceptions_total %v %v, want 1", v, ok)
	}
	if _, err := b.rev.Release(b.ctx, "ops", []int64{e.ID}); err != nil {
		t.Fatal(err)
	}
	if v, ok := metric(t, b, "partnergate_exceptions_open", open); ok {
		t.Errorf("partnergate_exceptions_open %v after the release, want none", v)
	}
	if v, _ := metric(t, b, "partnergate_exceptions_total", raised); v != 1 {
		t.Errorf("partnergate_exceptions_total %v after the release, want 1", v)
	}
}

// TestConcurrentReleases: the two holds of one document released at once,
// each in its own transaction: whichever commits second sees the first,
// so the document is accepted and forwarded once.
func TestConcurrentReleases(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{})
	e := b.held(t, 701, "PO-7")
	ids := []int64{e.ID, b.addHold(t, e)}
	outs := make(chan *review.Outcome, 2)
	errs := make(chan error, 2)
	for _, id := range ids {
		go func() {
			out, err := b.rev.Release(b.ctx, "ops", []int64{id})
			outs <- out
			errs <- err
		}()
	}
	accepted := 0
	for range ids {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		accepted += len((<-outs).Accepted)
	}
	if accepted != 1 {
		t.Errorf("the document was accepted by %d of the two releases", accepted)
	}
	if d := b.document(t, *e.DocumentID); d.Status != store.DocumentAccepted {
		t.Errorf("document %s", d.Status)
	}
	b.waitDelivered(t, *e.DocumentID)
}

// TestReleaseFileHold: a hold raised on a file (a duplicate interchange
// under duplicates.interchange hold) releases the file's held documents.
func TestReleaseFileHold(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{Duplicates: "{interchange: hold}"})
	b.receive(t, "first.edi", order(t, 801, "PO-8"))
	f := b.receive(t, "again.edi", order(t, 801, "PO-9")) // the same ISA13, another order
	es := b.exceptions(t, store.ExceptionFilter{FileID: f.ID, Action: store.ActionHold})
	if len(es) != 1 || es[0].DocumentID != nil || es[0].Check != ingest.CheckDuplicateInterchange {
		t.Fatalf("hold exceptions %+v", es)
	}
	docs, err := b.st.ListDocuments(b.ctx, b.env.App.Pool, &store.ListDocumentsParams{FileID: f.ID})
	if err != nil || len(docs) != 1 || docs[0].Status != store.DocumentHeld {
		t.Fatalf("documents %+v, %v", docs, err)
	}
	out, err := b.rev.Release(b.ctx, "ops", []int64{es[0].ID})
	if err != nil || fmt.Sprint(out.Accepted) != fmt.Sprintf("[%d]", docs[0].ID) {
		t.Fatalf("%+v, %v", out, err)
	}
	b.waitDelivered(t, docs[0].ID)
}

// TestRejectQueuesOutbound: a rejection hands the file of its
// acknowledgment to the Outbound hook (which queues AS2 deliveries), once
// per file and in the action's transaction.
func TestRejectQueuesOutbound(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{})
	e := b.held(t, 301, "PO-3")
	var calls []string
	app := b.env.App
	rev, err := review.New(review.Config{Store: app.Store, DB: app.Pool, Jobs: app.River, Partners: app.Partners,
		Outbound: func(ctx context.Context, tx pgx.Tx, p *partners.Partner, fileID int64) error {
			items, err := app.Store.ListOutbox(ctx, tx, &store.ListOutboxParams{PartnerID: p.ID, FileID: fileID})
			calls = append(calls, fmt.Sprintf("%s file %d: %d items", p.ID, fileID, len(items)))
			return err
		}})
	if err != nil {
		t.Fatal(err)
	}
	before := len(b.outbox(t, *e.FileID))
	if _, err := rev.Reject(b.ctx, "ops", []int64{e.ID}); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("acme-retail file %d: %d items", *e.FileID, before+1)
	if len(calls) != 1 || calls[0] != want {
		t.Errorf("Outbound calls %v, want [%s] (the rejection ack visible in the transaction)", calls, want)
	}
}

// TestBulkByFilterInBatches: a filter selecting more than MaxBatch
// exceptions acts on MaxBatch of them and says there are more; the same
// call then does the rest.
func TestBulkByFilterInBatches(t *testing.T) {
	t.Parallel()
	b := setup(t, gatewaytest.Partner{})
	_, err := b.env.App.Pool.Exec(b.ctx, `INSERT INTO exceptions (partner_id, check_name, severity, action, message, created_at)
		SELECT 'acme-retail', 'past_date', 'warning', 'warn', 'seeded', now() FROM generate_series(1, $1)`, review.MaxBatch+1)
	if err != nil {
		t.Fatal(err)
	}
	f := &store.ExceptionFilter{PartnerID: "acme-retail", Check: "past_date"}
	first, err := b.rev.Do(b.ctx, review.ActionResolve, "ops", f)
	if err != nil || len(first.Exceptions) != review.MaxBatch || !first.More {
		t.Fatalf("first call: %d exceptions, more %v, %v", len(first.Exceptions), first.More, err)
	}
	second, err := b.rev.Do(b.ctx, review.ActionResolve, "ops", f)
	if err != nil || len(second.Exceptions) != 1 || second.More {
		t.Fatalf("second call: %d exceptions, more %v, %v", len(second.Exceptions), second.More, err)
	}
	ids := make([]int64, review.MaxBatch+1)
	if _, err := b.rev.Resolve(b.ctx, "ops", ids); !errors.Is(err, review.ErrSelection) {
		t.Errorf("Resolve of %d IDs: %v, want ErrSelection", len(ids), err)
	}
}
