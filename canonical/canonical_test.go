package canonical

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestCanonicalDecimalValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   Decimal
		want bool
	}{
		{"0", true},
		{"12", true},
		{"-12", true},
		{"12.50", true},
		{"-0.005", true},
		{"007", true},
		{"", false},
		{"-", false},
		{".5", false},
		{"5.", false},
		{"+5", false},
		{"1e3", false},
		{"1,5", false},
		{"1.2.3", false},
		{" 1", false},
		{"1 ", false},
		{"--1", false},
	}
	for _, tt := range tests {
		if got := tt.in.Valid(); got != tt.want {
			t.Errorf("Decimal(%q).Valid() = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCanonicalDecimalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Decimal
		wantErr bool
	}{
		{`"12.50"`, "12.50", false},
		{`12.50`, "12.50", false},
		{`-3`, "-3", false},
		{`1e400`, "1e400", false}, // kept verbatim; Validate rejects it
		{`null`, "", false},
		{`true`, "", true},
		{`{}`, "", true},
	}
	for _, tt := range tests {
		var d Decimal
		err := json.Unmarshal([]byte(tt.in), &d)
		if (err != nil) != tt.wantErr {
			t.Errorf("Unmarshal(%s) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if d != tt.want {
			t.Errorf("Unmarshal(%s) = %q, want %q", tt.in, d, tt.want)
		}
	}
	out, err := json.Marshal(Decimal("9.250"))
	if err != nil || string(out) != `"9.250"` {
		t.Errorf("Marshal(9.250) = %s, %v; want a JSON string", out, err)
	}
}

func TestCanonicalProductIDsJSON(t *testing.T) {
	t.Parallel()
	ids := ProductIDs{{"VN", "KT-100"}, {"UP", "012345678905"}, {"Q\"x", "a\"b"}}
	data, err := json.Marshal(Item{IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"ids":{"VN":"KT-100","UP":"012345678905","Q\"x":"a\"b"}}`; string(data) != want {
		t.Errorf("Marshal = %s, want %s", data, want)
	}
	var it Item
	if err := json.Unmarshal(data, &it); err != nil || !reflect.DeepEqual(it.IDs, ids) {
		t.Errorf("Unmarshal = %v, %v; want %v", it.IDs, err, ids)
	}
	tests := []struct {
		in      string
		want    ProductIDs
		wantErr bool
	}{
		{`{"SK":"A","UP":"1","SK":"B"}`, ProductIDs{{"SK", "A"}, {"UP", "1"}}, false},
		{`{}`, ProductIDs{}, false},
		{`null`, nil, false},
		{`["UP","1"]`, nil, true},
		{`{"UP":1}`, nil, true},
	}
	for _, tt := range tests {
		var got ProductIDs
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err != nil) != tt.wantErr || (!tt.wantErr && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("Unmarshal(%s) = %#v, %v; want %#v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	if v, ok := ids.Get("UP"); !ok || v != "012345678905" {
		t.Errorf("Get(UP) = %q, %v", v, ok)
	}
	if _, ok := ids.Get("SK"); ok {
		t.Error("Get(SK) found a value")
	}
	ids.Set("UP", "x")
	ids.Set("SK", "y")
	if want := (ProductIDs{{"VN", "KT-100"}, {"UP", "x"}, {"Q\"x", "a\"b"}, {"SK", "y"}}); !reflect.DeepEqual(ids, want) {
		t.Errorf("after Set: %v, want %v", ids, want)
	}
}

func TestCanonicalDateTimeValid(t *testing.T) {
	t.Parallel()
	dates := []struct {
		in   Date
		want bool
	}{
		{"2024-02-29", true},
		{"2023-02-29", false},
		{"1900-02-29", false},
		{"2000-02-29", true},
		{"2024-04-31", false},
		{"2024-12-31", true},
		{"2024-13-01", false},
		{"2024-00-10", false},
		{"2024-01-00", false},
		{"20240101", false},
		{"2024/01/01", false},
		{"2024-1-01", false},
		{"", false},
	}
	for _, tt := range dates {
		if got := tt.in.Valid(); got != tt.want {
			t.Errorf("Date(%q).Valid() = %v, want %v", tt.in, got, tt.want)
		}
	}
	times := []struct {
		in   Time
		want bool
	}{
		{"00:00", true},
		{"23:59", true},
		{"23:59:59", true},
		{"24:00", false},
		{"12:60", false},
		{"12:30:60", false},
		{"1230", false},
		{"12:30:", false},
		{"12-30", false},
		{"12:30-15", false},
	}
	for _, tt := range times {
		if got := tt.in.Valid(); got != tt.want {
			t.Errorf("Time(%q).Valid() = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func sampleOrder() *Order {
	o := NewOrder(KindPurchaseOrder)
	o.Source = Source{Format: FormatX12, Set: "850", Version: "004010VICS", InterchangeControl: "000000101",
		GroupControl: "101", TransactionControl: "0001", SenderQualifier: "ZZ", SenderID: "HARBORLIGHT",
		ReceiverQualifier: "ZZ", ReceiverID: "PARTNERGATE", Filename: "po-7781.edi"}
	o.Parties = []Party{
		{Role: RoleShipTo, Name: "Harborlight Home DC 4", ID: "0004", IDQualifier: "92",
			Address: Address{Lines: []string{"1200 Quarry Rd", "Dock 7"}, City: "Dayton", State: "OH", PostalCode: "45402", Country: "US"}},
		{Role: RoleBuyer, Name: "Harborlight Home Inc", AdditionalNames: []string{"Accounts Payable"}},
	}
	o.References = []Reference{{Qualifier: "DP", Value: "038"}, {Qualifier: "ZZ", Value: "X1", Description: "promo"}}
	o.Notes = []string{"Deliver to rear dock"}
	o.OrderNumber = "PO-7781"
	o.PurchaseOrderNumber = "PO-7781"
	o.Purpose = PurposeOriginal
	o.OrderType = "SA"
	o.OrderDate = "2025-03-01"
	o.RequestedShipDate = "2025-03-10"
	o.CancelAfterDate = "2025-03-20"
	o.Currency = "USD"
	o.Carrier = Carrier{SCAC: "BLUF", Mode: "M", Routing: "Bluefin Freight", Service: "ST", PaymentMethod: "PP"}
	o.PaymentTerms = PaymentTerms{TypeCode: "14", BasisDateCode: "3", DiscountPercent: "2", DiscountDays: 10, NetDays: 30}
	o.Lines = []OrderLine{
		{LineNumber: "1", Quantity: "120", UOM: "EA", UnitPrice: "9.25", PriceBasis: "PE",
			Item: Item{UPC: "012345678905", VendorItem: "KT-100", Description: "Kettle, enamel", IDs: ProductIDs{{"UP", "012345678905"}, {"VN", "KT-100"}}}},
		{LineNumber: "2", Quantity: "6.5", UOM: "LB", UnitPrice: "3.10",
			Item:       Item{BuyerItem: "88812", IDs: ProductIDs{{"IN", "88812"}}},
			Parties:    []Party{{Role: RoleShipTo, ID: "0117", IDQualifier: "92"}},
			References: []Reference{{Qualifier: "DP", Value: "12"}}},
	}
	o.TotalQuantity = "126.5"
	o.LineCount = 2
	return o
}

func sampleShipment() *Shipment {
	s := NewShipment(KindShipNotice)
	s.Source = Source{Format: FormatX12, Set: "856", Version: "004010"}
	s.ShipmentID = "ASN-20250311-01"
	s.Purpose = PurposeOriginal
	s.ShipDate = "2025-03-11"
	s.ShipTime = "14:05"
	s.EstimatedDeliveryDate = "2025-03-13"
	s.OrderNumbers = []string{"PO-7781"}
	s.Carrier = Carrier{SCAC: "BLUF", Mode: "M", TrackingNumbers: []string{"1Z999"}, BOL: "BOL-5521", PRO: "PRO-88"}
	s.Packages = []Package{{SSCC: "00012345600000000018", Weight: "12.4", WeightUOM: "LB", Lines: []int{0}}}
	s.Lines = []ShipmentLine{
		{LineNumber: "1", OrderNumber: "PO-7781", QuantityShipped: "120", QuantityOrdered: "120", UOM: "EA", Status: "AC",
			Item: Item{UPC: "012345678905", IDs: ProductIDs{{"UP", "012345678905"}}}},
	}
	s.TotalQuantity = "120"
	s.TotalWeight = "12.4"
	s.WeightUOM = "LB"
	s.PackageCount = 1
	return s
}

func sampleReturn() *Return {
	r := NewReturn(KindReturnAuthorization)
	r.Source = Source{Format: FormatCSV, Filename: "returns-0311.csv"}
	r.RMANumber = "RMA-4410"
	r.OrderNumber = "PO-7781"
	r.ReceivedDate = "2025-04-02"
	r.Lines = []ReturnLine{{LineNumber: "1", Quantity: "2", UOM: "EA", Reason: "damaged", Condition: "opened", Disposition: "scrap",
		Item: Item{SKU: "KT-100-RED"}}}
	return r
}

func TestCanonicalJSONRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  Document
		key  string
		top  []string // JSON keys that must sit at the top level
	}{
		{"order", sampleOrder(), "PO-7781", []string{"schema", "type", "kind", "source", "parties", "order_number", "lines", "carrier", "payment_terms"}},
		{"shipment", sampleShipment(), "ASN-20250311-01", []string{"schema", "type", "shipment_id", "packages", "lines", "order_numbers"}},
		{"return", sampleReturn(), "RMA-4410", []string{"schema", "type", "rma_number", "lines"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.doc.Validate(); err != nil {
				t.Fatalf("sample does not validate: %v", err)
			}
			data, err := json.Marshal(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			var top map[string]json.RawMessage
			if err := json.Unmarshal(data, &top); err != nil {
				t.Fatal(err)
			}
			for _, k := range tt.top {
				if _, ok := top[k]; !ok {
					t.Errorf("key %q missing at top level of %s", k, data)
				}
			}
			if _, ok := top["Header"]; ok {
				t.Errorf("embedded Header leaked as a key: %s", data)
			}
			got, err := Decode(data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.doc) {
				t.Errorf("round trip differs:\n got %#v\nwant %#v", got, tt.doc)
			}
			if got.DocType() != tt.name || got.BusinessKey() != tt.key || got.Head().Schema != SchemaV1 {
				t.Errorf("DocType/BusinessKey/Head = %q/%q/%q", got.DocType(), got.BusinessKey(), got.Head().Schema)
			}
		})
	}
}

func TestCanonicalJSONDecimalsAreStrings(t *testing.T) {
	t.Parallel()
	data, err := json.Marshal(sampleOrder())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"quantity":"120"`, `"unit_price":"9.25"`, `"total_quantity":"126.5"`, `"order_date":"2025-03-01"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON lacks %s: %s", want, data)
		}
	}
}

func TestCanonicalDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"no schema", `{"type":"order"}`, ErrSchema},
		{"other schema", `{"schema":"canonical/v2","type":"order"}`, ErrSchema},
		{"unknown type", `{"schema":"canonical/v1","type":"invoice"}`, ErrUnknownType},
		{"missing type", `{"schema":"canonical/v1"}`, ErrUnknownType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Decode([]byte(tt.in))
			if !errors.Is(err, tt.want) {
				t.Errorf("Decode(%s) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
	for _, in := range []string{`{`, `{"schema":"canonical/v1","type":"order","lines":"x"}`, `{"schema":"canonical/v1","type":"order","lines":[{"quantity":true}]}`} {
		if _, err := Decode([]byte(in)); err == nil {
			t.Errorf("Decode(%s) succeeded, want an error", in)
		}
	}
}

func TestCanonicalValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		doc    func() Document
		field  string
		sentry error
	}{
		{"order number missing", func() Document { o := sampleOrder(); o.OrderNumber = ""; return o }, "order_number", ErrRequired},
		{"order without lines", func() Document { o := sampleOrder(); o.Lines = nil; return o }, "lines", ErrNoLines},
		{"line quantity missing", func() Document { o := sampleOrder(); o.Lines[1].Quantity = ""; return o }, "lines[1].quantity", ErrRequired},
		{"line quantity malformed", func() Document { o := sampleOrder(); o.Lines[0].Quantity = "1,5"; return o }, "lines[0].quantity", ErrInvalidDecimal},
		{"unit price malformed", func() Document { o := sampleOrder(); o.Lines[1].UnitPrice = "$3"; return o }, "lines[1].unit_price", ErrInvalidDecimal},
		{"order date not a date", func() Document { o := sampleOrder(); o.OrderDate = "20250301"; return o }, "order_date", ErrInvalidDate},
		{"cancel date impossible", func() Document { o := sampleOrder(); o.CancelAfterDate = "2025-02-30"; return o }, "cancel_after_date", ErrInvalidDate},
		{"discount percent", func() Document { o := sampleOrder(); o.PaymentTerms.DiscountPercent = "2%"; return o }, "payment_terms.discount_percent", ErrInvalidDecimal},
		{"schema marker", func() Document { o := sampleOrder(); o.Schema = ""; return o }, "schema", ErrSchema},
		{"type mismatch", func() Document { o := sampleOrder(); o.Type = TypeShipment; return o }, "type", ErrTypeMismatch},
		{"source format", func() Document { o := sampleOrder(); o.Source.Format = "edifact"; return o }, "source.format", ErrInvalidValue},
		{"party role", func() Document { o := sampleOrder(); o.Parties[1].Role = ""; return o }, "parties[1].role", ErrRequired},
		{"line party role", func() Document { o := sampleOrder(); o.Lines[1].Parties[0].Role = ""; return o }, "lines[1].parties[0].role", ErrRequired},
		{"shipment id missing", func() Document { s := sampleShipment(); s.ShipmentID = ""; return s }, "shipment_id", ErrRequired},
		{"shipment without lines", func() Document { s := sampleShipment(); s.Lines = nil; s.Packages = nil; return s }, "lines", ErrNoLines},
		{"shipped quantity missing", func() Document { s := sampleShipment(); s.Lines[0].QuantityShipped = ""; return s }, "lines[0].quantity_shipped", ErrRequired},
		{"ordered quantity malformed", func() Document { s := sampleShipment(); s.Lines[0].QuantityOrdered = "12."; return s }, "lines[0].quantity_ordered", ErrInvalidDecimal},
		{"ship time", func() Document { s := sampleShipment(); s.ShipTime = "1405"; return s }, "ship_time", ErrInvalidTime},
		{"package weight", func() Document { s := sampleShipment(); s.Packages[0].Weight = "heavy"; return s }, "packages[0].weight", ErrInvalidDecimal},
		{"package line index", func() Document { s := sampleShipment(); s.Packages[0].Lines = []int{0, 3}; return s }, "packages[0].lines[1]", ErrInvalidValue},
		{"package count", func() Document { s := sampleShipment(); s.PackageCount = -1; return s }, "package_count", ErrInvalidValue},
		{"rma missing", func() Document { r := sampleReturn(); r.RMANumber = ""; return r }, "rma_number", ErrRequired},
		{"return quantity", func() Document { r := sampleReturn(); r.Lines[0].Quantity = "two"; return r }, "lines[0].quantity", ErrInvalidDecimal},
		{"received date", func() Document { r := sampleReturn(); r.ReceivedDate = "2025-4-2"; return r }, "received_date", ErrInvalidDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.doc().Validate()
			if !errors.Is(err, tt.sentry) {
				t.Fatalf("Validate() = %v, want %v", err, tt.sentry)
			}
			var fes FieldErrors
			if !errors.As(err, &fes) || len(fes) != 1 {
				t.Fatalf("Validate() = %#v, want exactly one FieldError", err)
			}
			if fes[0].Field != tt.field {
				t.Errorf("field = %q, want %q", fes[0].Field, tt.field)
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Errorf("message %q does not name %s", err, tt.field)
			}
		})
	}
}

func TestCanonicalValidateCollectsAll(t *testing.T) {
	t.Parallel()
	o := sampleOrder()
	o.OrderNumber = ""
	o.Lines[0].Quantity = ""
	o.Lines[1].Quantity = "x"
	var fes FieldErrors
	if !errors.As(o.Validate(), &fes) {
		t.Fatal("no FieldErrors")
	}
	var fields []string
	for _, fe := range fes {
		fields = append(fields, fe.Field)
	}
	want := []string{"order_number", "lines[0].quantity", "lines[1].quantity"}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("fields = %v, want %v", fields, want)
	}
	var fe *FieldError
	if !errors.As(o.Validate(), &fe) || fe.Field != "order_number" {
		t.Errorf("errors.As(*FieldError) = %v", fe)
	}
}
