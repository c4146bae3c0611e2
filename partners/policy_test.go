package partners_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/partners"
)

// received is when the documents of these tests arrived.
var received = time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)

// testOrder is an 850 with a ship-to, a carrier and three lines.
func testOrder() *canonical.Order {
	o := canonical.NewOrder(canonical.KindPurchaseOrder)
	o.Source = canonical.Source{Format: canonical.FormatX12, Set: "850"}
	o.OrderNumber = "PO-7781"
	o.RequestedShipDate, o.RequestedDeliveryDate = "2025-03-10", "2025-03-14"
	o.Carrier = canonical.Carrier{SCAC: "BLUF"}
	o.Parties = []canonical.Party{
		{Role: canonical.RoleBuyer, ID: "999"},
		{Role: canonical.RoleShipTo, Name: "Harborlight DC 4", ID: "0012345"},
	}
	o.Lines = []canonical.OrderLine{
		{LineNumber: "1", Quantity: "120", UOM: "EA", UnitPrice: "9.25", Item: canonical.Item{VendorItem: "KT-100"}},
		{LineNumber: "2", Quantity: "6.5", UOM: "LB", UnitPrice: "3.10", Item: canonical.Item{BuyerItem: "88812"}},
		{LineNumber: "3", Quantity: "10", UOM: "EA", UnitPrice: "10.00", Item: canonical.Item{UPC: "012345678905",
			IDs: canonical.ProductIDs{{Qualifier: "UP", Value: "012345678905"}, {Qualifier: "IN", Value: "12345"}}}},
	}
	return o
}

// testShipment is an 856 against PO-7781, shipped the day before received.
func testShipment() *canonical.Shipment {
	s := canonical.NewShipment(canonical.KindShipNotice)
	s.Source = canonical.Source{Format: canonical.FormatX12, Set: "856"}
	s.ShipmentID = "ASN-1"
	s.ShipDate, s.ShipTime = "2025-03-05", "08:00"
	s.OrderNumbers = []string{"PO-7781"}
	s.Carrier = canonical.Carrier{SCAC: "BLUF"}
	s.Parties = []canonical.Party{{Role: canonical.RoleShipTo, ID: "0012345"}}
	s.Lines = []canonical.ShipmentLine{
		{LineNumber: "1", QuantityShipped: "120", UOM: "EA", Item: canonical.Item{VendorItem: "KT-100"}},
		{LineNumber: "2", QuantityShipped: "6.5", UOM: "LB", Item: canonical.Item{BuyerItem: "88812"}},
	}
	return s
}

func testReturn() *canonical.Return {
	r := canonical.NewReturn(canonical.KindReturnReceipt)
	r.RMANumber = "RMA-1"
	r.Lines = []canonical.ReturnLine{{Quantity: "2.5", UOM: "EA", Item: canonical.Item{SKU: "KT-100"}}}
	return r
}

// orders is a RelatedFinder over a map of order number to order; it
// records its calls.
type orders struct {
	byNumber map[string]*canonical.Order
	calls    []string
	err      error
}

func (o *orders) Related(_ context.Context, partnerID, docType, kind, number string) (canonical.Document, bool, error) {
	o.calls = append(o.calls, strings.Join([]string{partnerID, docType, kind, number}, "/"))
	if o.err != nil {
		return nil, false, o.err
	}
	ord, ok := o.byNumber[number]
	if !ok {
		return nil, false, nil
	}
	return ord, true, nil
}

// shipments is a ShipmentFinder over a list: it returns the shipments of
// the kind that name the order, the shipment of the ID asked about
// included, since the check is to leave it out; it records its calls.
type shipments struct {
	list  []*canonical.Shipment
	calls []string
	err   error
}

func (f *shipments) EarlierShipments(_ context.Context, partnerID, kind, orderNumber, shipmentID string) ([]*canonical.Shipment, error) {
	f.calls = append(f.calls, strings.Join([]string{partnerID, kind, orderNumber, shipmentID}, "/"))
	if f.err != nil {
		return nil, f.err
	}
	var out []*canonical.Shipment
	for _, s := range f.list {
		if s.Kind == kind && slices.Contains(partners.ShipmentOrderNumbers(s), orderNumber) {
			out = append(out, s)
		}
	}
	return out, nil
}

func priceList(t *testing.T, csv string) *partners.PriceList {
	t.Helper()
	pl, err := partners.ReadPriceList(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

// evaluate runs one policy on doc and returns the messages, failing on an
// error.
func evaluate(t *testing.T, p partners.Policy, doc canonical.Document, env *partners.PolicyEnv) []partners.Violation {
	t.Helper()
	if env == nil {
		env = &partners.PolicyEnv{PartnerID: "acme", Received: received, Related: &orders{}, Shipments: &shipments{}}
	}
	vs, err := partners.Policies{p}.Evaluate(context.Background(), doc, env)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return vs
}

func msgs(vs []partners.Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Msg)
	}
	return out
}

// checkMsgs compares the messages of vs with want.
func checkMsgs(t *testing.T, vs []partners.Violation, want ...string) {
	t.Helper()
	if got := msgs(vs); !reflect.DeepEqual(got, want) {
		t.Errorf("violations:\n got %q\nwant %q", got, want)
	}
}

func TestPolicyMissingSCAC(t *testing.T) {
	t.Parallel()
	pol := partners.Policy{Check: partners.CheckMissingSCAC, Action: partners.ActionHold}
	noSCAC := func(d canonical.Document) canonical.Document {
		switch d := d.(type) {
		case *canonical.Order:
			d.Carrier.SCAC = ""
		case *canonical.Shipment:
			d.Carrier.SCAC = " "
		}
		return d
	}
	order940 := testOrder()
	order940.Kind, order940.Source.Set = canonical.KindWarehouseOrder, "940"
	ship945 := testShipment()
	ship945.Kind, ship945.Source.Set = canonical.KindWarehouseShippingAdvice, ""
	csvOrder := testOrder()
	csvOrder.Source = canonical.Source{Format: canonical.FormatCSV}
	tests := []struct {
		name    string
		doc     canonical.Document
		msg     string // "" for no violation
		segment string
		element int
		ref     int
	}{
		{"850 with SCAC", testOrder(), "", "", 0, 0},
		{"856 with SCAC", testShipment(), "", "", 0, 0},
		{"850 without", noSCAC(testOrder()), "the carrier SCAC (TD503) is missing", "TD5", 3, 67},
		{"856 with a blank SCAC", noSCAC(testShipment()), "the carrier SCAC (TD503) is missing", "TD5", 3, 67},
		{"940 without", noSCAC(order940), "the carrier SCAC (W6610) is missing", "W66", 10, 140},
		{"945 without, set from the kind", noSCAC(ship945), "the carrier SCAC (W2702) is missing", "W27", 2, 140},
		{"CSV order without", noSCAC(csvOrder), "the carrier SCAC (carrier_scac) is missing", "", 0, 0},
		{"a return has no carrier", testReturn(), "", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vs := evaluate(t, pol, tt.doc, nil)
			if tt.msg == "" {
				checkMsgs(t, vs)
				return
			}
			checkMsgs(t, vs, tt.msg)
			if len(vs) != 1 {
				return
			}
			v := vs[0]
			want := partners.Violation{Check: partners.CheckMissingSCAC, Action: partners.ActionHold, Severity: edi.SeverityError,
				Field: "carrier.scac", Msg: tt.msg, Segment: tt.segment, Element: tt.element, Ref: tt.ref}
			if tt.segment != "" {
				want.Code = edi.AK4Missing
			}
			if v != want {
				t.Errorf("violation\n got %+v\nwant %+v", v, want)
			}
		})
	}
}

func TestPolicyActions(t *testing.T) {
	t.Parallel()
	o := testOrder()
	o.Carrier.SCAC = ""
	for action, sev := range map[partners.Action]edi.Severity{
		partners.ActionReject: edi.SeverityError,
		partners.ActionHold:   edi.SeverityError,
		partners.ActionWarn:   edi.SeverityWarning,
	} {
		vs := evaluate(t, partners.Policy{Check: partners.CheckMissingSCAC, Action: action}, o, nil)
		if len(vs) != 1 || vs[0].Action != action || vs[0].Severity != sev {
			t.Errorf("%s: %+v, want one violation of action %s, severity %s", action, vs, action, sev)
			continue
		}
		if want := "missing_scac (" + string(action) + "): the carrier SCAC (TD503) is missing"; vs[0].Error() != want {
			t.Errorf("Error() = %q, want %q", vs[0].Error(), want)
		}
	}
}

func TestPolicyUnknownShipTo(t *testing.T) {
	t.Parallel()
	pol := partners.Policy{Check: partners.CheckUnknownShipTo, Action: partners.ActionReject, KnownShipTo: []string{"0012345", "0067890"}}
	edit := func(f func(o *canonical.Order)) *canonical.Order { o := testOrder(); f(o); return o }
	tests := []struct {
		name  string
		doc   canonical.Document
		field string
		code  string
		want  []string
	}{
		{"known", testOrder(), "", "", nil},
		{"known, padded", edit(func(o *canonical.Order) { o.Parties[1].ID = " 0067890 " }), "", "", nil},
		{"no ship-to at all", edit(func(o *canonical.Order) { o.Parties = o.Parties[:1] }), "", "", nil},
		{"unknown", edit(func(o *canonical.Order) { o.Parties[1].ID = "0099999" }), "parties[1].id", edi.AK4BadCode,
			[]string{`ship-to ID 0099999 ("Harborlight DC 4") is not one of the 2 known ship-to IDs`}},
		{"no ID", edit(func(o *canonical.Order) { o.Parties[1].ID = "" }), "parties[1].id", edi.AK4Missing,
			[]string{`the ship-to ("Harborlight DC 4") has no ID (N104), so it cannot be checked against the 2 known ship-to IDs`}},
		{"bill and ship to", edit(func(o *canonical.Order) {
			o.Parties[1] = canonical.Party{Role: canonical.RoleBillAndShipTo, ID: "1"}
		}), "parties[1].id", edi.AK4BadCode, []string{`ship-to ID 1 is not one of the 2 known ship-to IDs`}},
		{"a line's ship-to", edit(func(o *canonical.Order) {
			o.Lines[1].Parties = []canonical.Party{{Role: canonical.RoleShipTo, ID: "0117"}}
		}), "lines[1].parties[0].id", edi.AK4BadCode, []string{`line 2 (item 88812): ship-to ID 0117 is not one of the 2 known ship-to IDs`}},
		{"shipment", func() canonical.Document { s := testShipment(); s.Parties[0].ID = "7"; return s }(), "parties[0].id", edi.AK4BadCode,
			[]string{`ship-to ID 7 is not one of the 2 known ship-to IDs`}},
		{"return", testReturn(), "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vs := evaluate(t, pol, tt.doc, nil)
			checkMsgs(t, vs, tt.want...)
			if len(vs) == 1 && (vs[0].Field != tt.field || vs[0].Code != tt.code || vs[0].Segment != "N1" || vs[0].Element != 4) {
				t.Errorf("violation %+v, want field %s, N104, code %s", vs[0], tt.field, tt.code)
			}
		})
	}
}

func TestPolicyPastDate(t *testing.T) {
	t.Parallel()
	pol := partners.Policy{Check: partners.CheckPastDate, Action: partners.ActionWarn}
	order := func(ship, deliver canonical.Date) *canonical.Order {
		o := testOrder()
		o.RequestedShipDate, o.RequestedDeliveryDate = ship, deliver
		return o
	}
	ship := func(date canonical.Date) *canonical.Shipment { s := testShipment(); s.ShipDate = date; return s }
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		doc  canonical.Document
		recv time.Time
		want []string
	}{
		{"future", order("2025-03-10", "2025-03-14"), received, nil},
		{"the day received", order("2025-03-05", "2025-03-05"), received, nil},
		{"not stated", order("", ""), received, nil},
		{"ship date the day before", order("2025-03-04", "2025-03-14"), received,
			[]string{"requested ship date 2025-03-04 is before 2025-03-05, the day the order was received"}},
		{"both past", order("2025-02-01", "2025-03-04"), received, []string{
			"requested ship date 2025-02-01 is before 2025-03-05, the day the order was received",
			"requested delivery date 2025-03-04 is before 2025-03-05, the day the order was received"}},
		{"the day received in the gateway's zone", order("2025-03-04", ""), time.Date(2025, 3, 5, 2, 0, 0, 0, time.UTC).In(ny), nil},
		{"shipped the day received", ship("2025-03-05"), received, nil},
		{"shipped before", ship("2025-03-01"), received,
			[]string{"ship date 2025-03-01 is before 2025-03-05, the day the shipment was received"}},
		{"return", testReturn(), received, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vs := evaluate(t, pol, tt.doc, &partners.PolicyEnv{Received: tt.recv})
			checkMsgs(t, vs, tt.want...)
			for _, v := range vs {
				if v.Code != edi.AK4BadDate || v.Ref != 373 || v.Severity != edi.SeverityWarning {
					t.Errorf("violation %+v, want AK403 8 on element 373, warning", v)
				}
			}
		})
	}
	if _, err := (partners.Policies{pol}).Evaluate(t.Context(), testOrder(), &partners.PolicyEnv{}); !errors.Is(err, partners.ErrPolicyEnv) {
		t.Errorf("Evaluate without Received = %v, want ErrPolicyEnv", err)
	}
}

func TestPolicyPriceList(t *testing.T) {
	t.Parallel()
	list := priceList(t, "item,unit_price,uom\n12345,10.00,EA\n12345,115.00,CA\nKT-100,9.25\nCHEAP,0.07\n")
	pol := func(threshold canonical.Decimal) partners.Policy {
		return partners.Policy{Check: partners.CheckPriceList, Action: partners.ActionHold, Prices: list, ThresholdPercent: threshold}
	}
	line3 := func(price canonical.Decimal, uom string) *canonical.Order {
		o := testOrder()
		o.Lines[2].UnitPrice, o.Lines[2].UOM = price, uom
		return o
	}
	tests := []struct {
		name      string
		threshold canonical.Decimal
		doc       canonical.Document
		want      []string
	}{
		{"at list", "2", testOrder(), nil},
		{"exactly 2% above", "2", line3("10.20", "EA"), nil},
		{"exactly 2% below", "2", line3("9.80", "EA"), nil},
		{"just above", "2", line3("10.21", "EA"), []string{"line 3 (item 12345): unit price 10.21 is 2.1% above the price list's 10.00 (threshold 2%)"}},
		{"just below", "2", line3("9.79", "EA"), []string{"line 3 (item 12345): unit price 9.79 is 2.1% below the price list's 10.00 (threshold 2%)"}},
		{"4% above", "2", line3("10.40", "EA"), []string{"line 3 (item 12345): unit price 10.40 is 4.0% above the price list's 10.00 (threshold 2%)"}},
		{"more digits when one would read as the threshold", "2", line3("10.204", "EA"),
			[]string{"line 3 (item 12345): unit price 10.204 is 2.04% above the price list's 10.00 (threshold 2%)"}},
		{"the unit's own price", "2", line3("115.00", "CA"), nil},
		{"the unit's own price, lower case", "2", line3("100", "ca"),
			[]string{"line 3 (item 12345): unit price 100 is 13.0% below the price list's 115.00 (threshold 2%)"}},
		{"a unit the item has no price for", "2", line3("1", "PK"), nil},
		{"no unit price", "2", line3("", "EA"), nil},
		{"threshold 0 by default", "", line3("10.001", "EA"),
			[]string{"line 3 (item 12345): unit price 10.001 is 0.01% above the price list's 10.00 (threshold 0%)"}},
		{"threshold 0, at list", "", line3("10", "EA"), nil},
		{"decimal threshold", "2.5", line3("10.25", "EA"), nil},
		{"any-unit price", "0", func() *canonical.Order { o := testOrder(); o.Lines[0].UnitPrice = "9.50"; return o }(),
			[]string{"line 1 (item KT-100): unit price 9.50 is 2.7% above the price list's 9.25 (threshold 0%)"}},
		// In float64, (0.0707-0.07)/0.07*100 is 1.0000000000000009.
		{"exact arithmetic at the threshold", "1", func() *canonical.Order {
			o := testOrder()
			o.Lines[0].Item, o.Lines[0].UnitPrice = canonical.Item{SKU: "CHEAP"}, "0.0707"
			return o
		}(), nil},
		{"shipments have no prices", "0", testShipment(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vs := evaluate(t, pol(tt.threshold), tt.doc, nil)
			checkMsgs(t, vs, tt.want...)
			for _, v := range vs {
				if v.Field != "lines[2].unit_price" && v.Field != "lines[0].unit_price" || v.Segment != "PO1" || v.Element != 4 || v.Code != "" {
					t.Errorf("violation %+v, want a unit price on PO104 without a code", v)
				}
			}
		})
	}
	bad := partners.Policy{Check: partners.CheckPriceList, Action: partners.ActionHold}
	if _, err := (partners.Policies{bad}).Evaluate(t.Context(), testOrder(), &partners.PolicyEnv{}); err == nil {
		t.Error("price_list without Prices: no error")
	}
}

func TestPolicyFractionalQuantity(t *testing.T) {
	t.Parallel()
	qty := func(q canonical.Decimal, uom string) *canonical.Order {
		o := testOrder()
		o.Lines[0].Quantity, o.Lines[0].UOM = q, uom
		return o
	}
	tests := []struct {
		name  string
		units []string
		doc   canonical.Document
		field string
		want  []string
	}{
		{"whole", nil, qty("12", "EA"), "", nil},
		{"whole with decimals", nil, qty("12.000", "EA"), "", nil},
		{"fractional EA", nil, qty("12.5", "EA"), "lines[0].quantity", []string{"line 1 (item KT-100): quantity 12.5 EA is not a whole number"}},
		{"lower case unit", nil, qty("0.001", "ea"), "lines[0].quantity", []string{"line 1 (item KT-100): quantity 0.001 EA is not a whole number"}},
		{"a unit not listed", nil, qty("12.5", "LB"), "", nil},
		{"no unit", nil, qty("12.5", ""), "", nil},
		{"listed units", []string{"CA", "PK"}, qty("1.5", "PK"), "lines[0].quantity", []string{"line 1 (item KT-100): quantity 1.5 PK is not a whole number"}},
		{"EA not listed", []string{"CA", "PK"}, qty("1.5", "EA"), "", nil},
		{"shipment", nil, func() *canonical.Shipment { s := testShipment(); s.Lines[0].QuantityShipped = "0.5"; return s }(),
			"lines[0].quantity_shipped", []string{"line 1 (item KT-100): quantity 0.5 EA is not a whole number"}},
		{"return", nil, testReturn(), "lines[0].quantity", []string{"line 1 (item KT-100): quantity 2.5 EA is not a whole number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vs := evaluate(t, partners.Policy{Check: partners.CheckFractionalQuantity, Action: partners.ActionReject, Units: tt.units}, tt.doc, nil)
			checkMsgs(t, vs, tt.want...)
			if len(vs) == 1 && vs[0].Field != tt.field {
				t.Errorf("field %s, want %s", vs[0].Field, tt.field)
			}
		})
	}
}

func TestPolicyOverShipment(t *testing.T) {
	t.Parallel()
	pol := partners.Policy{Check: partners.CheckOverShipment, Action: partners.ActionWarn}
	ship := func(f func(s *canonical.Shipment)) *canonical.Shipment { s := testShipment(); f(s); return s }
	warehouseOrder := testOrder()
	warehouseOrder.Kind = canonical.KindWarehouseOrder
	tests := []struct {
		name  string
		doc   canonical.Document
		store map[string]*canonical.Order
		calls []string
		want  []string
	}{
		{"exactly as ordered", testShipment(), map[string]*canonical.Order{"PO-7781": testOrder()},
			[]string{"acme/order/purchase_order/PO-7781"}, nil},
		{"less than ordered", ship(func(s *canonical.Shipment) { s.Lines[1].QuantityShipped = "6" }),
			map[string]*canonical.Order{"PO-7781": testOrder()}, nil, nil},
		{"one more", ship(func(s *canonical.Shipment) { s.Lines[0].QuantityShipped = "121" }),
			map[string]*canonical.Order{"PO-7781": testOrder()}, nil,
			[]string{"line 1 (item KT-100): ships 121 EA, 1 more than the 120 ordered on order PO-7781 line 1"}},
		{"decimals", ship(func(s *canonical.Shipment) { s.Lines[1].QuantityShipped = "6.75" }),
			map[string]*canonical.Order{"PO-7781": testOrder()}, nil,
			[]string{"line 2 (item 88812): ships 6.75 LB, 0.25 more than the 6.5 ordered on order PO-7781 line 2"}},
		{"two cartons of one line together", ship(func(s *canonical.Shipment) {
			s.Lines = append(s.Lines, canonical.ShipmentLine{LineNumber: "001", QuantityShipped: "10", UOM: "EA", Item: canonical.Item{VendorItem: "KT-100"}})
		}), map[string]*canonical.Order{"PO-7781": testOrder()}, nil,
			[]string{"lines at positions 1, 3 (item KT-100): ship 130 EA together, 10 more than the 120 ordered on order PO-7781 line 1"}},
		{"matched by item when line numbers differ", ship(func(s *canonical.Shipment) {
			s.Lines[0].LineNumber, s.Lines[0].QuantityShipped = "9", "125"
		}), map[string]*canonical.Order{"PO-7781": testOrder()}, nil,
			[]string{"line 9 (item KT-100): ships 125 EA, 5 more than the 120 ordered on order PO-7781 line 1"}},
		{"another unit is not compared", ship(func(s *canonical.Shipment) { s.Lines[0].QuantityShipped, s.Lines[0].UOM = "200", "CA" }),
			map[string]*canonical.Order{"PO-7781": testOrder()}, nil, nil},
		{"order not on file, the shipment's own ordered quantity", ship(func(s *canonical.Shipment) {
			s.Lines[0].QuantityShipped, s.Lines[0].QuantityOrdered = "130", "120"
		}), nil, nil,
			[]string{"line 1 (item KT-100): ships 130 EA, 10 more than the 120 ordered that the shipment states (order PO-7781 is not on file)"}},
		{"order not on file, nothing stated", ship(func(s *canonical.Shipment) { s.Lines[0].QuantityShipped = "130" }), nil, nil, nil},
		{"line order numbers", ship(func(s *canonical.Shipment) {
			s.OrderNumbers = []string{"PO-7781", "PO-2"}
			s.Lines[0].OrderNumber, s.Lines[1].OrderNumber = "PO-2", "PO-7781"
			s.Lines[0].QuantityShipped = "1"
			s.Lines[1].QuantityShipped = "7"
		}), map[string]*canonical.Order{"PO-7781": testOrder(), "PO-2": func() *canonical.Order {
			o := testOrder()
			o.OrderNumber = "PO-2"
			o.Lines[0].Quantity = "0.5"
			return o
		}()}, []string{"acme/order/purchase_order/PO-2", "acme/order/purchase_order/PO-7781"}, []string{
			"line 1 (item KT-100): ships 1 EA, 0.5 more than the 0.5 ordered on order PO-2 line 1",
			"line 2 (item 88812): ships 7 LB, 0.5 more than the 6.5 ordered on order PO-7781 line 2"}},
		{"945 against its 940", func() *canonical.Shipment {
			s := testShipment()
			s.Kind, s.Source.Set = canonical.KindWarehouseShippingAdvice, "945"
			s.Lines[0].QuantityShipped = "121"
			return s
		}(), map[string]*canonical.Order{"PO-7781": warehouseOrder}, []string{"acme/order/warehouse_order/PO-7781"},
			[]string{"line 1 (item KT-100): ships 121 EA, 1 more than the 120 ordered on order PO-7781 line 1"}},
		{"orders are not checked", testOrder(), nil, []string{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			finder := &orders{byNumber: tt.store}
			vs := evaluate(t, pol, tt.doc, &partners.PolicyEnv{PartnerID: "acme", Related: finder, Shipments: &shipments{}})
			checkMsgs(t, vs, tt.want...)
			if tt.calls != nil && !(len(tt.calls) == 0 && len(finder.calls) == 0) && !reflect.DeepEqual(finder.calls, tt.calls) {
				t.Errorf("Related calls %q, want %q", finder.calls, tt.calls)
			}
			for _, v := range vs {
				if !strings.HasSuffix(v.Field, ".quantity_shipped") || v.Ref != 382 || v.Code != "" {
					t.Errorf("violation %+v, want a shipped quantity (382) without a code", v)
				}
			}
		})
	}

	boom := errors.New("db down")
	_, err := partners.Policies{pol}.Evaluate(t.Context(), testShipment(), &partners.PolicyEnv{PartnerID: "acme",
		Related: &orders{err: boom}, Shipments: &shipments{}})
	if !errors.Is(err, boom) {
		t.Errorf("Evaluate with a failing lookup = %v, want %v", err, boom)
	}
	for name, env := range map[string]*partners.PolicyEnv{
		"no Related":   {PartnerID: "acme", Shipments: &shipments{}},
		"no Shipments": {PartnerID: "acme", Related: &orders{}},
		"no PartnerID": {Related: &orders{}, Shipments: &shipments{}},
	} {
		if _, err := (partners.Policies{pol}).Evaluate(t.Context(), testShipment(), env); !errors.Is(err, partners.ErrPolicyEnv) {
			t.Errorf("%s: %v, want ErrPolicyEnv", name, err)
		}
	}
	wrongType := partners.RelatedFunc(func(context.Context, string, string, string, string) (canonical.Document, bool, error) {
		return testShipment(), true, nil
	})
	if _, err := (partners.Policies{pol}).Evaluate(t.Context(), testShipment(), &partners.PolicyEnv{PartnerID: "acme", Related: wrongType,
		Shipments: &shipments{}}); err == nil ||
		!strings.Contains(err.Error(), "*canonical.Shipment") {
		t.Errorf("Related returning a shipment: %v", err)
	}
}

// TestPolicyOverShipmentCumulative checks that over_shipment adds what the
// other shipments against the order shipped of each order line: ASN-2
// ships 60 of line 1 (120 EA) of PO-7781.
func TestPolicyOverShipmentCumulative(t *testing.T) {
	t.Parallel()
	pol := partners.Policy{Check: partners.CheckOverShipment, Action: partners.ActionHold}
	current := func() *canonical.Shipment {
		s := testShipment()
		s.ShipmentID = "ASN-2"
		s.Lines = s.Lines[:1]
		s.Lines[0].QuantityShipped = "60"
		return s
	}
	// asn is an earlier shipment of PO-7781 with one line.
	asn := func(id string, line canonical.ShipmentLine, f ...func(*canonical.Shipment)) *canonical.Shipment {
		s := testShipment()
		s.ShipmentID, s.Lines = id, []canonical.ShipmentLine{line}
		for _, f := range f {
			f(s)
		}
		return s
	}
	kt100 := func(qty canonical.Decimal, uom string) canonical.ShipmentLine {
		return canonical.ShipmentLine{LineNumber: "1", QuantityShipped: qty, UOM: uom, Item: canonical.Item{VendorItem: "KT-100"}}
	}
	tests := []struct {
		name    string
		doc     *canonical.Shipment
		earlier []*canonical.Shipment
		want    []string
	}{
		{"alone within the order", current(), nil, nil},
		{"over with an earlier shipment", current(), []*canonical.Shipment{asn("ASN-1", kt100("70", "EA"))},
			[]string{"line 1 (item KT-100): ships 60 EA, 130 with the 70 shipped before (shipment ASN-1), 10 more than the 120 ordered on order PO-7781 line 1"}},
		{"exactly the order with an earlier shipment", current(), []*canonical.Shipment{asn("ASN-1", kt100("60", "EA"))}, nil},
		{"earlier line matched by item and in lower case units", current(), []*canonical.Shipment{
			asn("ASN-1", canonical.ShipmentLine{LineNumber: "9", QuantityShipped: "61", UOM: "ea", Item: canonical.Item{SKU: "KT-100"}})},
			[]string{"line 1 (item KT-100): ships 60 EA, 121 with the 61 shipped before (shipment ASN-1), 1 more than the 120 ordered on order PO-7781 line 1"}},
		{"earlier line in another unit", current(), []*canonical.Shipment{asn("ASN-1", kt100("70", "CA"))}, nil},
		{"an earlier version of the same shipment", current(), []*canonical.Shipment{asn("ASN-2", kt100("70", "EA"))}, nil},
		{"a cancelled earlier shipment", current(), []*canonical.Shipment{
			asn("ASN-1", kt100("70", "EA"), func(s *canonical.Shipment) { s.Purpose = canonical.PurposeCancel })}, nil},
		{"a replaced earlier shipment counts", current(), []*canonical.Shipment{
			asn("ASN-1", kt100("70", "EA"), func(s *canonical.Shipment) { s.Purpose = canonical.PurposeReplace })},
			[]string{"line 1 (item KT-100): ships 60 EA, 130 with the 70 shipped before (shipment ASN-1), 10 more than the 120 ordered on order PO-7781 line 1"}},
		{"earlier line of another order", current(), []*canonical.Shipment{asn("ASN-1", kt100("70", "EA"), func(s *canonical.Shipment) {
			s.OrderNumbers = []string{"PO-7781", "PO-9"}
			s.Lines[0].OrderNumber = "PO-9"
		})}, nil},
		{"earlier line without an order number in a shipment of two orders", current(), []*canonical.Shipment{
			asn("ASN-1", kt100("70", "EA"), func(s *canonical.Shipment) { s.OrderNumbers = []string{"PO-7781", "PO-9"} })}, nil},
		{"earlier line with its own order number", current(), []*canonical.Shipment{asn("ASN-1", kt100("70", "EA"), func(s *canonical.Shipment) {
			s.OrderNumbers = []string{"PO-9", "PO-7781"}
			s.Lines[0].OrderNumber = " PO-7781 "
		})}, []string{"line 1 (item KT-100): ships 60 EA, 130 with the 70 shipped before (shipment ASN-1), 10 more than the 120 ordered on order PO-7781 line 1"}},
		{"earlier shipments of another line", current(), []*canonical.Shipment{
			asn("ASN-1", canonical.ShipmentLine{LineNumber: "2", QuantityShipped: "6.5", UOM: "LB", Item: canonical.Item{BuyerItem: "88812"}}),
			asn("ASN-0", canonical.ShipmentLine{LineNumber: "3", QuantityShipped: "15", UOM: "EA", Item: canonical.Item{UPC: "012345678905"}}),
		}, nil},
		{"several earlier shipments, decimals, one shipping none", current(), []*canonical.Shipment{
			asn("ASN-A", kt100("20", "EA")), asn("ASN-B", kt100("20", "EA")), asn("ASN-C", kt100("20", "EA")),
			asn("ASN-D", kt100("0.25", "EA")), asn("ASN-E", kt100("0", "EA")),
		}, []string{"line 1 (item KT-100): ships 60 EA, 120.25 with the 60.25 shipped before (shipments ASN-A, ASN-B, ASN-C and 1 more), " +
			"0.25 more than the 120 ordered on order PO-7781 line 1"}},
		{"two earlier shipments", current(), []*canonical.Shipment{asn("ASN-A", kt100("50", "EA")), asn("ASN-B", kt100("11", "EA"))},
			[]string{"line 1 (item KT-100): ships 60 EA, 121 with the 61 shipped before (shipments ASN-A and ASN-B), 1 more than the 120 ordered on order PO-7781 line 1"}},
		{"two cartons of one line together", func() *canonical.Shipment {
			s := current()
			s.Lines = append(s.Lines, kt100("5", "EA"))
			return s
		}(), []*canonical.Shipment{asn("ASN-1", kt100("60", "EA"))},
			[]string{"lines at positions 1, 2 (item KT-100): ship 65 EA together, 125 with the 60 shipped before (shipment ASN-1), 5 more than the 120 ordered on order PO-7781 line 1"}},
		{"a cancellation ships nothing", func() *canonical.Shipment {
			s := current()
			s.Purpose = canonical.PurposeCancel
			return s
		}(), []*canonical.Shipment{asn("ASN-1", kt100("120", "EA"))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vs := evaluate(t, pol, tt.doc, &partners.PolicyEnv{PartnerID: "acme",
				Related: &orders{byNumber: map[string]*canonical.Order{"PO-7781": testOrder()}}, Shipments: &shipments{list: tt.earlier}})
			checkMsgs(t, vs, tt.want...)
			value := "60" // what this shipment ships of line 1
			if len(tt.doc.Lines) == 2 {
				value = "65"
			}
			for _, v := range vs {
				if v.Field != "lines[0].quantity_shipped" || v.Value != value || v.Segment != "SN1" || v.Element != 2 || v.Ref != 382 || v.Code != "" {
					t.Errorf("violation %+v, want this shipment's %s on SN102 (382) without a code", v, value)
				}
			}
		})
	}

	finder := &shipments{}
	warehouse := current()
	warehouse.Kind, warehouse.Source.Set = canonical.KindWarehouseShippingAdvice, "945"
	env := &partners.PolicyEnv{PartnerID: "acme", Related: &orders{byNumber: map[string]*canonical.Order{"PO-7781": testOrder()}}, Shipments: finder}
	evaluate(t, pol, warehouse, env)
	if want := []string{"acme/warehouse_shipping_advice/PO-7781/ASN-2"}; !reflect.DeepEqual(finder.calls, want) {
		t.Errorf("EarlierShipments calls %q, want %q", finder.calls, want)
	}
	finder.calls = nil
	evaluate(t, pol, func() *canonical.Shipment { s := current(); s.Purpose = canonical.PurposeCancel; return s }(), env)
	if len(finder.calls) != 0 {
		t.Errorf("a cancellation looked up shipments: %q", finder.calls)
	}
	boom := errors.New("db down")
	env.Shipments = &shipments{err: boom}
	if _, err := (partners.Policies{pol}).Evaluate(t.Context(), current(), env); !errors.Is(err, boom) ||
		!strings.Contains(err.Error(), "shipment ASN-2") || !strings.Contains(err.Error(), "order PO-7781") {
		t.Errorf("Evaluate with a failing shipment lookup = %v, want %v naming the shipment and order", err, boom)
	}
	adapted := partners.EarlierShipmentsFunc(func(context.Context, string, string, string, string) ([]*canonical.Shipment, error) {
		return []*canonical.Shipment{asn("ASN-1", kt100("61", "EA"))}, nil
	})
	env.Shipments = adapted
	if vs := evaluate(t, pol, current(), env); len(vs) != 1 {
		t.Errorf("EarlierShipmentsFunc: violations %q, want one", msgs(vs))
	}
}

func TestShipmentOrderNumbers(t *testing.T) {
	t.Parallel()
	s := testShipment()
	s.OrderNumbers = []string{"PO-2", "PO-1"}
	s.Lines = append(s.Lines, canonical.ShipmentLine{OrderNumber: " PO-3 "}, canonical.ShipmentLine{OrderNumber: "PO-1"})
	if got, want := partners.ShipmentOrderNumbers(s), []string{"PO-2", "PO-1", "PO-3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ShipmentOrderNumbers = %q, want %q", got, want)
	}
}

func TestPolicyLateASN(t *testing.T) {
	t.Parallel()
	pol := partners.Policy{Check: partners.CheckLateASN, Action: partners.ActionWarn, Hours: 24}
	asn := func(date canonical.Date, tm canonical.Time) *canonical.Shipment {
		s := testShipment()
		s.ShipDate, s.ShipTime = date, tm
		return s
	}
	at := func(day, h, m int) time.Time { return time.Date(2025, 3, day, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name string
		doc  canonical.Document
		recv time.Time
		want []string
	}{
		{"within", asn("2025-03-11", "14:05"), at(12, 10, 0), nil},
		{"exactly 24 hours", asn("2025-03-11", "14:05"), at(12, 14, 5), nil},
		{"a minute late", asn("2025-03-11", "14:05"), at(12, 14, 6),
			[]string{"received 2025-03-12 14:06 UTC, 24h01m after the ship date 2025-03-11 14:05 (late_asn allows 24 hours)"}},
		{"with seconds", asn("2025-03-11", "14:05:30"), at(13, 0, 0),
			[]string{"received 2025-03-13 00:00 UTC, 33h54m after the ship date 2025-03-11 14:05:30 (late_asn allows 24 hours)"}},
		{"no ship time: from the end of the day, exactly", asn("2025-03-11", ""), at(13, 0, 0), nil},
		{"no ship time: late", asn("2025-03-11", ""), at(13, 0, 1),
			[]string{"received 2025-03-13 00:01 UTC, 24h01m after the ship date 2025-03-11 (counted from its end) (late_asn allows 24 hours)"}},
		{"no ship date", asn("", ""), at(20, 0, 0), nil},
		{"a 945 is not a ship notice", func() *canonical.Shipment {
			s := asn("2025-03-01", "")
			s.Kind = canonical.KindWarehouseShippingAdvice
			return s
		}(), at(20, 0, 0), nil},
		{"orders are not checked", testOrder(), at(20, 0, 0), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vs := evaluate(t, pol, tt.doc, &partners.PolicyEnv{Received: tt.recv})
			checkMsgs(t, vs, tt.want...)
			for _, v := range vs {
				if v.Field != "ship_date" || v.Segment != "DTM" || v.Code != "" {
					t.Errorf("violation %+v, want ship_date on DTM02 without a code", v)
				}
			}
		})
	}
	two := partners.Policy{Check: partners.CheckLateASN, Action: partners.ActionWarn, Hours: 2}
	checkMsgs(t, evaluate(t, two, asn("2025-03-11", "14:05"), &partners.PolicyEnv{Received: at(11, 16, 6)}),
		"received 2025-03-11 16:06 UTC, 2h01m after the ship date 2025-03-11 14:05 (late_asn allows 2 hours)")
	dflt := partners.Policy{Check: partners.CheckLateASN, Action: partners.ActionWarn}
	checkMsgs(t, evaluate(t, dflt, asn("2025-03-11", "14:05"), &partners.PolicyEnv{Received: at(12, 14, 5)}))
	if _, err := (partners.Policies{pol}).Evaluate(t.Context(), asn("2025-03-11", ""), &partners.PolicyEnv{}); !errors.Is(err, partners.ErrPolicyEnv) {
		t.Errorf("Evaluate without Received = %v, want ErrPolicyEnv", err)
	}
}

func TestPoliciesEvaluate(t *testing.T) {
	t.Parallel()
	ps := partners.Policies{
		{Check: partners.CheckFractionalQuantity, Action: partners.ActionReject, Units: []string{"EA", "LB"}},
		{Check: partners.CheckDuplicateKey, Action: partners.ActionHold},
		{Check: partners.CheckMissingSCAC, Action: partners.ActionHold},
		{Check: partners.CheckPastDate, Action: partners.ActionWarn},
	}
	o := testOrder()
	o.Carrier.SCAC = ""
	o.RequestedShipDate = "2025-03-01"
	o.Lines[0].Quantity = "1.5"
	vs, err := ps.Evaluate(t.Context(), o, &partners.PolicyEnv{Received: received})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		got = append(got, string(v.Check)+" "+v.Field)
	}
	want := []string{"fractional_quantity lines[0].quantity", "fractional_quantity lines[1].quantity", "missing_scac carrier.scac",
		"past_date requested_ship_date"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("violations %q, want %q", got, want)
	}
	csvOrder := testOrder()
	csvOrder.Source = canonical.Source{Format: canonical.FormatCSV}
	csvOrder.Lines[0].Quantity = "1.5"
	if vs := evaluate(t, ps[0], csvOrder, nil); len(vs) != 2 || vs[0].Segment != "" || vs[0].Ref != 0 {
		t.Errorf("a CSV document's violation names an X12 place: %+v", vs)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := ps.Evaluate(ctx, o, &partners.PolicyEnv{Received: received}); !errors.Is(err, context.Canceled) {
		t.Errorf("Evaluate with a cancelled context = %v", err)
	}
	if _, err := ps.Evaluate(t.Context(), nil, nil); err == nil {
		t.Error("Evaluate(nil) succeeded")
	}
	if vs, err := (partners.Policies{}).Evaluate(t.Context(), o, nil); err != nil || vs != nil {
		t.Errorf("no policies: %v, %v", vs, err)
	}
	if _, err := (partners.Policies{{Check: "colour"}}).Evaluate(t.Context(), o, nil); err == nil {
		t.Error("an unknown check evaluated")
	}
}

func TestOutcome(t *testing.T) {
	t.Parallel()
	v := func(a partners.Action) partners.Violation { return partners.Violation{Action: a} }
	tests := []struct {
		vs   []partners.Violation
		want partners.Action
	}{
		{nil, ""},
		{[]partners.Violation{v(partners.ActionWarn)}, partners.ActionWarn},
		{[]partners.Violation{v(partners.ActionWarn), v(partners.ActionHold), v(partners.ActionWarn)}, partners.ActionHold},
		{[]partners.Violation{v(partners.ActionHold), v(partners.ActionReject), v(partners.ActionWarn)}, partners.ActionReject},
	}
	for _, tt := range tests {
		if got := partners.Outcome(tt.vs); got != tt.want {
			t.Errorf("Outcome(%v) = %q, want %q", tt.vs, got, tt.want)
		}
	}
}
