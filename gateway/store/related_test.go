package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// shipmentDoc is a ship notice of acme with one line per order number, as
// processing keeps it.
func shipmentDoc(t *testing.T, fileID int64, seq int, number string, orders ...string) *store.Document {
	t.Helper()
	s := canonical.NewShipment(canonical.KindShipNotice)
	s.ShipmentID, s.OrderNumbers = number, orders
	for _, o := range orders {
		s.Lines = append(s.Lines, canonical.ShipmentLine{OrderNumber: o, QuantityShipped: "1"})
	}
	body, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return &store.Document{FileID: fileID, TransactionSeq: seq, PartnerID: "acme", Type: s.Type, Kind: s.Kind, Number: number,
		BusinessKey: partners.BusinessKey(s), Status: store.DocumentAccepted, Run: 1, Body: body,
		OrderNumbers: partners.ShipmentOrderNumbers(s)}
}

func insertFile(t *testing.T, ctx context.Context, s *store.Store, db store.DB) *store.File {
	t.Helper()
	f, err := s.InsertFile(ctx, db, &store.InsertFileParams{PartnerID: "acme", Channel: "api", Body: strings.NewReader("x")})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func upsert(t *testing.T, ctx context.Context, s *store.Store, db store.DB, docs ...*store.Document) {
	t.Helper()
	if err := s.UpsertDocuments(ctx, db, docs); err != nil {
		t.Fatal(err)
	}
}

// shipmentsOf returns "number:document index" of the shipments of order
// number for OrderShipments, in the order returned.
func shipmentsOf(t *testing.T, ctx context.Context, s *store.Store, db store.DB, p store.OrderShipmentsParams, docs []*store.Document) []string {
	t.Helper()
	if p.PartnerID == "" {
		p.PartnerID, p.Kind = "acme", canonical.KindShipNotice
	}
	got, err := s.OrderShipments(ctx, db, &p)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range got {
		i := slices.IndexFunc(docs, func(x *store.Document) bool { return x.ID == d.ID })
		out = append(out, d.Number+":"+string(rune('a'+i)))
	}
	return out
}

func TestOrderShipments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	f := insertFile(t, ctx, s, pool)
	docs := []*store.Document{
		shipmentDoc(t, f.ID, 0, "ASN-1", "PO-1"),         // a: replaced by g
		shipmentDoc(t, f.ID, 1, "ASN-2", "PO-1", "PO-9"), // b: held, counts
		shipmentDoc(t, f.ID, 2, "ASN-3", "PO-1"),         // c: rejected
		shipmentDoc(t, f.ID, 3, "ASN-4", "PO-1"),         // d: counts
		shipmentDoc(t, f.ID, 4, "ASN-4", "PO-1"),         // e: a duplicate of d
		shipmentDoc(t, f.ID, 5, "ASN-5", "PO-1"),         // f: its next version, h, names PO-2 only
		shipmentDoc(t, f.ID, 6, "ASN-1", "PO-1"),         // g: ASN-1's latest
		shipmentDoc(t, f.ID, 7, "ASN-5", "PO-2"),         // h
		shipmentDoc(t, f.ID, 8, "ASN-9", "PO-1"),         // i: the shipment being checked
		shipmentDoc(t, f.ID, 9, "ASN-6", "PO-1"),         // j: another partner's
		shipmentDoc(t, f.ID, 10, "ASN-7", "PO-1"),        // k: a 945
		shipmentDoc(t, f.ID, 11, "ASN-8", "PO-1"),        // l: its next version, m, is rejected
		shipmentDoc(t, f.ID, 12, "ASN-8", "PO-1"),        // m
	}
	docs[1].Status, docs[2].Status, docs[12].Status = store.DocumentHeld, store.DocumentRejected, store.DocumentRejected
	docs[9].PartnerID = "globex"
	docs[10].Kind = canonical.KindWarehouseShippingAdvice
	upsert(t, ctx, s, pool, docs...)
	if err := s.MarkDuplicate(ctx, pool, docs[4].ID, docs[3].ID, store.DocumentAccepted); err != nil {
		t.Fatal(err)
	}
	want := []string{"ASN-2:b", "ASN-4:d", "ASN-1:g", "ASN-8:l"}
	if got := shipmentsOf(t, ctx, s, pool, store.OrderShipmentsParams{OrderNumber: "PO-1", Except: "ASN-9"}, docs); !slices.Equal(got, want) {
		t.Errorf("shipments of PO-1 but ASN-9: %q, want %q", got, want)
	}
	if got := shipmentsOf(t, ctx, s, pool, store.OrderShipmentsParams{OrderNumber: "PO-2"}, docs); !slices.Equal(got, []string{"ASN-5:h"}) {
		t.Errorf("shipments of PO-2: %q, want ASN-5:h", got)
	}
	if got := shipmentsOf(t, ctx, s, pool, store.OrderShipmentsParams{PartnerID: "acme", Kind: canonical.KindWarehouseShippingAdvice,
		OrderNumber: "PO-1"}, docs); !slices.Equal(got, []string{"ASN-7:k"}) {
		t.Errorf("945s of PO-1: %q, want ASN-7:k", got)
	}

	// A second run of a file: until it stores a document again, the first
	// run's is left out; stored again, the document is indexed by its new
	// order numbers only.
	g := insertFile(t, ctx, s, pool)
	old := shipmentDoc(t, g.ID, 0, "ASN-20", "PO-3")
	upsert(t, ctx, s, pool, old)
	p := store.OrderShipmentsParams{OrderNumber: "PO-3", FileID: g.ID, Run: 2}
	if got := shipmentsOf(t, ctx, s, pool, p, nil); len(got) != 0 {
		t.Errorf("run 2 sees run 1's documents: %q", got)
	}
	p.FileID = f.ID
	if got := shipmentsOf(t, ctx, s, pool, p, nil); len(got) != 1 {
		t.Errorf("run 2 of another file does not see the document: %q", got)
	}
	again := shipmentDoc(t, g.ID, 0, "ASN-20", "PO-4")
	again.Run = 2
	upsert(t, ctx, s, pool, again)
	if again.ID != old.ID {
		t.Fatalf("document stored again as %d, was %d", again.ID, old.ID)
	}
	p.FileID = g.ID
	if got := shipmentsOf(t, ctx, s, pool, p, nil); len(got) != 0 {
		t.Errorf("PO-3 after the document names PO-4 only: %q", got)
	}
	p.OrderNumber = "PO-4"
	if got := shipmentsOf(t, ctx, s, pool, p, nil); len(got) != 1 {
		t.Errorf("PO-4 after run 2: %q", got)
	}
	if err := s.FinishFile(ctx, pool, &store.FinishFileParams{ID: g.ID, Status: store.FileAccepted, Run: 3, Summary: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM shipment_orders WHERE document_id = $1`, old.ID).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d shipment_orders rows (%v) of a dropped document", left, err)
	}
}

// TestShipmentOrdersBackfill stores shipments under migration 11 and checks
// that migration 12 indexes them as processing would.
func TestShipmentOrdersBackfill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, p := migratedTo(t, ctx, 11)
	s := store.New(nil)
	f := insertFile(t, ctx, s, pool)
	ship := canonical.NewShipment(canonical.KindShipNotice)
	ship.ShipmentID, ship.OrderNumbers = "ASN-1", []string{"PO-1", "PO-2"}
	ship.Lines = []canonical.ShipmentLine{{OrderNumber: " PO-3\t", QuantityShipped: "1"}, {OrderNumber: "PO-1", QuantityShipped: "1"},
		{QuantityShipped: "2"}}
	order := canonical.NewOrder(canonical.KindPurchaseOrder)
	order.OrderNumber = "PO-1"
	bodies := []any{ship, order, json.RawMessage(`{"type": "shipment", "kind": "ship_notice", "lines": {"a": 1}, "order_numbers": "PO-1"}`),
		json.RawMessage(`{"type": "shipment", "kind": "ship_notice", "lines": [1, {"order_number": ""}]}`)}
	var ids []int64
	for i, b := range bodies {
		body, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		typ, kind := canonical.TypeShipment, canonical.KindShipNotice
		if i == 1 {
			typ, kind = canonical.TypeOrder, canonical.KindPurchaseOrder
		}
		var id int64
		err = pool.QueryRow(ctx, `INSERT INTO documents (file_id, transaction_seq, interchange_seq, group_seq, partner_id, type, kind,
			number, business_key, status, run, body, created_at) VALUES ($1, $2, 0, 0, 'acme', $3, $4, $6, $6, 'accepted', 1, $5, now())
			RETURNING id`, f.ID, i, typ, kind, body, "N"+strconv.Itoa(i)).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT document_id, partner_id, kind, order_number FROM shipment_orders ORDER BY order_number`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id int64
		var partner, kind, number string
		if err := rows.Scan(&id, &partner, &kind, &number); err != nil {
			t.Fatal(err)
		}
		if id != ids[0] || partner != "acme" || kind != canonical.KindShipNotice {
			t.Errorf("row of document %d, %s, %s, want document %d of acme's ship notice", id, partner, kind, ids[0])
		}
		got = append(got, number)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(partners.ShipmentOrderNumbers(ship)))
	if !slices.Equal(got, want) {
		t.Errorf("backfilled order numbers %q, want %q", got, want)
	}
	docs, err := s.OrderShipments(ctx, pool, &store.OrderShipmentsParams{PartnerID: "acme", Kind: canonical.KindShipNotice, OrderNumber: "PO-3"})
	if err != nil || len(docs) != 1 || docs[0].ID != ids[0] {
		t.Errorf("OrderShipments of PO-3 after the backfill: %v, %v", docs, err)
	}
}
