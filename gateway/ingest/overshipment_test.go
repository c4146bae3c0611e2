package ingest_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/store"
)

// supplier is a partner that ships against the orders it sent, with
// over_shipment on hold, as partner-configs/globex-supply.yaml has it.
var supplier = gatewaytest.Partner{ID: "globex-supply", Sender: "GLOBEXSUPPLY", Duplicates: "{document: reject}",
	Extra: "policies:\n  - {check: over_shipment, action: hold}\n"}

// interchange writes an interchange isa13 of the supplier with one group
// of functional ID fid holding sets, each given without its ST and SE.
func interchange(isa13 int, fid, setID string, sets ...[]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ISA*00*          *00*          *ZZ*GLOBEXSUPPLY   *ZZ*NORTHWIND      *261126*0930*U*00401*%09d*0*P*>~\n", isa13)
	fmt.Fprintf(&b, "GS*%s*GLOBEXSUPPLY*NORTHWIND*20261126*0930*%d*X*004010~\n", fid, isa13)
	for i, segs := range sets {
		fmt.Fprintf(&b, "ST*%s*%04d~\n", setID, i+1)
		for _, s := range segs {
			b.WriteString(s + "~\n")
		}
		fmt.Fprintf(&b, "SE*%d*%04d~\n", len(segs)+2, i+1)
	}
	fmt.Fprintf(&b, "GE*%d*%d~\nIEA*1*%09d~\n", len(sets), isa13, isa13)
	return b.String()
}

// purchaseOrder is an 850 for 100 EA of item NW-1001.
func purchaseOrder(number string) []string {
	return []string{"BEG*00*SA*" + number + "**20261126", "PO1*1*100*EA*3.75**VN*NW-1001", "CTT*1"}
}

// shipNotice is an 856 (BSN01 purpose) shipping qty EA of NW-1001 against
// order.
func shipNotice(purpose, id, order string, qty int) []string {
	return []string{"BSN*" + purpose + "*" + id + "*20261127*1410*0001", "HL*1**S", "TD5**2*UPSN*U", "HL*2*1*O", "PRF*" + order,
		"HL*3*2*I", "LIN*1*VN*NW-1001", fmt.Sprintf("SN1**%d*EA", qty), "CTT*1"}
}

// fileDocuments returns the documents of a file in set order.
func fileDocuments(t *testing.T, b *bundle, fileID int64) []*store.Document {
	t.Helper()
	docs := b.documents(t, fileID)
	slices.SortFunc(docs, func(x, y *store.Document) int { return x.TransactionSeq - y.TransactionSeq })
	return docs
}

// TestOverShipmentCountsEarlierShipments sends orders of 100 and ship
// notices against them, in separate files and in one: a shipment that,
// with the earlier ones, ships more than ordered is held with the figures.
func TestOverShipmentCountsEarlierShipments(t *testing.T) {
	t.Parallel()
	b := setup(t, supplier)
	orders := b.send(t, supplier.ID, interchange(1, "PO", "850", purchaseOrder("PO-A"), purchaseOrder("PO-B"), purchaseOrder("PO-C")))
	if orders.Status != store.FileAccepted {
		t.Fatalf("orders: status %s, summary %s", orders.Status, orders.Summary)
	}
	isa13 := 1
	// ship sends the ship notices in one file and checks the status of
	// each document and the messages of the file's exceptions.
	ship := func(t *testing.T, statuses []string, msgs []string, notices ...[]string) {
		t.Helper()
		isa13++
		f := b.send(t, supplier.ID, interchange(isa13, "SH", "856", notices...))
		docs := fileDocuments(t, b, f.ID)
		var got []string
		for _, d := range docs {
			got = append(got, d.Number+" "+d.Status)
		}
		if !slices.Equal(got, statuses) {
			t.Errorf("documents %q, want %q (file %s: %s)", got, statuses, f.Status, f.Summary)
		}
		var gotMsgs []string
		for _, e := range b.exceptions(t, f.ID) {
			gotMsgs = append(gotMsgs, e.Check+"/"+e.Action+": "+e.Message)
		}
		if !slices.Equal(gotMsgs, msgs) {
			t.Errorf("exceptions\n got %q\nwant %q", gotMsgs, msgs)
		}
	}
	held := func(format string, args ...any) string { return "over_shipment/hold: " + fmt.Sprintf(format, args...) }

	ship(t, []string{"ASN-A1 accepted"}, nil, shipNotice("00", "ASN-A1", "PO-A", 60))
	ship(t, []string{"ASN-A2 held"}, []string{held("line 1 (item NW-1001): ships 60 EA, 120 with the 60 shipped before (shipment ASN-A1), " +
		"20 more than the 100 ordered on order PO-A line 1")}, shipNotice("00", "ASN-A2", "PO-A", 60))
	// ASN-A1 replaced by 40 replaces its 60: with the held ASN-A2, 100.
	ship(t, []string{"ASN-A1 accepted"}, nil, shipNotice("05", "ASN-A1", "PO-A", 40))
	// The held ASN-A2 counts.
	ship(t, []string{"ASN-A3 held"}, []string{held("line 1 (item NW-1001): ships 1 EA, 101 with the 100 shipped before " +
		"(shipments ASN-A2 and ASN-A1), 1 more than the 100 ordered on order PO-A line 1")}, shipNotice("00", "ASN-A3", "PO-A", 1))
	// Cancelled, ASN-A2 no longer counts.
	ship(t, []string{"ASN-A2 accepted"}, nil, shipNotice("01", "ASN-A2", "PO-A", 60))
	ship(t, []string{"ASN-A4 accepted"}, nil, shipNotice("00", "ASN-A4", "PO-A", 59))

	ship(t, []string{"ASN-B1 accepted"}, nil, shipNotice("00", "ASN-B1", "PO-B", 60))
	ship(t, []string{"ASN-B2 accepted"}, nil, shipNotice("00", "ASN-B2", "PO-B", 40))

	// Two ship notices of one order in one interchange: the first is not
	// stored yet when the second is checked.
	ship(t, []string{"ASN-C1 accepted", "ASN-C2 held"}, []string{held("line 1 (item NW-1001): ships 60 EA, 120 with the 60 " +
		"shipped before (shipment ASN-C1), 20 more than the 100 ordered on order PO-C line 1")},
		shipNotice("00", "ASN-C1", "PO-C", 60), shipNotice("00", "ASN-C2", "PO-C", 60))
}

// TestOverShipmentSameFileInterchanges checks that a ship notice counts
// the one before it in an earlier interchange of the same file, stored by
// the run under way.
func TestOverShipmentSameFileInterchanges(t *testing.T) {
	t.Parallel()
	b := setup(t, supplier)
	b.send(t, supplier.ID, interchange(1, "PO", "850", purchaseOrder("PO-D")))
	f := b.send(t, supplier.ID, interchange(2, "SH", "856", shipNotice("00", "ASN-D1", "PO-D", 70))+
		interchange(3, "SH", "856", shipNotice("00", "ASN-D2", "PO-D", 70)))
	docs := fileDocuments(t, b, f.ID)
	if len(docs) != 2 || docs[0].Status != store.DocumentAccepted || docs[1].Status != store.DocumentHeld {
		t.Errorf("documents %+v, want ASN-D1 accepted and ASN-D2 held", docs)
	}
	if ex := b.exceptions(t, f.ID); len(ex) != 1 || !strings.Contains(ex[0].Message, "ships 70 EA, 140 with the 70 shipped before (shipment ASN-D1)") {
		t.Errorf("exceptions %+v", ex)
	}
	// Processed again, the file's first run's documents do not count
	// against themselves.
	if err := b.env.App.Pipeline.Reprocess(context.Background(), f.ID); err != nil {
		t.Fatal(err)
	}
	b.env.WaitProcessed(t, f.ID, 2)
	docs = fileDocuments(t, b, f.ID)
	if len(docs) != 2 || docs[0].Status != store.DocumentAccepted || docs[1].Status != store.DocumentHeld {
		t.Errorf("after reprocessing: documents %+v, want ASN-D1 accepted and ASN-D2 held", docs)
	}
}

// TestOverShipmentOrderInSameInterchange checks that a ship notice finds
// the order sent in an earlier group of its interchange, not stored yet.
func TestOverShipmentOrderInSameInterchange(t *testing.T) {
	t.Parallel()
	b := setup(t, supplier)
	orders := interchange(5, "PO", "850", purchaseOrder("PO-E"))
	notices := interchange(5, "SH", "856", shipNotice("00", "ASN-E1", "PO-E", 120))
	groups := notices[strings.Index(notices, "GS*"):strings.Index(notices, "IEA*")]
	groups = strings.Replace(strings.Replace(groups, "*5*X*004010~", "*6*X*004010~", 1), "GE*1*5~", "GE*1*6~", 1)
	f := b.send(t, supplier.ID, orders[:strings.Index(orders, "IEA*")]+groups+"IEA*2*000000005~\n")
	docs := fileDocuments(t, b, f.ID)
	if len(docs) != 2 || docs[0].Status != store.DocumentAccepted || docs[1].Status != store.DocumentHeld {
		t.Fatalf("documents %+v, want PO-E accepted and ASN-E1 held (file %s: %s)", docs, f.Status, f.Summary)
	}
	if ex := b.exceptions(t, f.ID); len(ex) != 1 ||
		!strings.HasSuffix(ex[0].Message, "ships 120 EA, 20 more than the 100 ordered on order PO-E line 1") {
		t.Errorf("exceptions %+v", ex)
	}
}
