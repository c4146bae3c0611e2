package outbound_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/outbound"
)

func TestMatchMatches(t *testing.T) {
	t.Parallel()
	doc := outbound.DocumentInfo{Type: "order", Kind: "purchase_order", Partner: "acme", Purpose: "cancel"}
	tests := []struct {
		name  string
		match outbound.Match
		want  bool
	}{
		{"empty matches everything", outbound.Match{}, true},
		{"type", outbound.Match{Type: "order"}, true},
		{"other type", outbound.Match{Type: "shipment"}, false},
		{"kind", outbound.Match{Kind: "purchase_order"}, true},
		{"other kind", outbound.Match{Kind: "warehouse_order"}, false},
		{"partner", outbound.Match{Partner: "acme"}, true},
		{"other partner", outbound.Match{Partner: "globex"}, false},
		{"purpose", outbound.Match{Purpose: "cancel"}, true},
		{"other purpose", outbound.Match{Purpose: "original"}, false},
		{"all four", outbound.Match{Type: "order", Kind: "purchase_order", Partner: "acme", Purpose: "cancel"}, true},
		{"all but one", outbound.Match{Type: "order", Kind: "purchase_order", Partner: "acme", Purpose: "change"}, false},
		{"case matters", outbound.Match{Type: "Order"}, false},
	}
	for _, tt := range tests {
		if got := tt.match.Matches(doc); got != tt.want {
			t.Errorf("%s: %+v.Matches(%+v) = %v, want %v", tt.name, tt.match, doc, got, tt.want)
		}
	}
}

func TestSelect(t *testing.T) {
	t.Parallel()
	route := func(typ, dest, path string) outbound.Route {
		return outbound.Route{Match: outbound.Match{Type: typ}, Destination: dest, Path: path}
	}
	global := []outbound.Route{
		{Match: outbound.Match{Type: "order", Kind: "purchase_order"}, Destination: "erp", Path: "/orders"},
		{Match: outbound.Match{Type: "order", Kind: "warehouse_order"}, Destination: "wms", Path: "/shipping-orders"},
		route("shipment", "erp", "/shipments"),
		route("shipment", "wms", "/shipments"),
		route("shipment", "erp", "/shipments-again"),
		route("return", "erp", "/returns"),
	}
	po := outbound.DocumentInfo{Type: "order", Kind: "purchase_order", Partner: "acme", Purpose: "original"}
	cancel := outbound.DocumentInfo{Type: "order", Kind: "purchase_order", Partner: "acme", Purpose: "cancel"}
	asn := outbound.DocumentInfo{Type: "shipment", Kind: "ship_notice", Partner: "acme", Purpose: "original"}
	ret := outbound.DocumentInfo{Type: "return", Kind: "return_authorization", Partner: "acme"}
	invoice := outbound.DocumentInfo{Type: "invoice", Partner: "acme"}

	tests := []struct {
		name    string
		global  []outbound.Route
		partner []outbound.Route
		doc     outbound.DocumentInfo
		want    []outbound.Route
	}{
		{name: "one global route", global: global, doc: po, want: global[:1]},
		{name: "every global route to another destination applies", global: global, doc: asn,
			want: []outbound.Route{global[2], global[3]}},
		{name: "first route to a destination wins", global: []outbound.Route{global[4], global[2], global[3]}, doc: asn,
			want: []outbound.Route{global[4], global[3]}},
		{name: "nothing matches", global: global, doc: invoice, want: nil},
		{name: "no routes", doc: po, want: nil},
		{name: "partner routes replace the global ones", global: global, doc: asn,
			partner: []outbound.Route{route("shipment", "erp", "/acme/shipments")},
			want:    []outbound.Route{route("shipment", "erp", "/acme/shipments")}},
		{name: "partner routes that do not match leave the global ones", global: global, doc: ret,
			partner: []outbound.Route{route("shipment", "erp", "/acme/shipments")},
			want:    []outbound.Route{global[5]}},
		{name: "partner routes without global ones", doc: invoice,
			partner: []outbound.Route{route("invoice", "erp", "/invoices")},
			want:    []outbound.Route{route("invoice", "erp", "/invoices")}},
		{name: "partner route to none sends nowhere", global: global, doc: po,
			partner: []outbound.Route{route("order", outbound.None, "")}, want: nil},
		{name: "partner route to none for cancels only", global: global, doc: po,
			partner: []outbound.Route{{Match: outbound.Match{Purpose: "cancel"}, Destination: outbound.None}},
			want:    global[:1]},
		{name: "partner route to none matches a cancel", global: global, doc: cancel,
			partner: []outbound.Route{{Match: outbound.Match{Purpose: "cancel"}, Destination: outbound.None}},
			want:    nil},
		{name: "none after a matching route still sends nowhere", global: global, doc: asn,
			partner: []outbound.Route{route("shipment", "wms", "/asn"), route("", outbound.None, "")}, want: nil},
		{name: "global route to none sends nowhere", doc: asn,
			global: append([]outbound.Route{route("shipment", "erp", "/s")}, route("shipment", outbound.None, "")), want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := outbound.Select(tt.global, tt.partner, tt.doc)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Select = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRouteValidate(t *testing.T) {
	t.Parallel()
	known := func(name string) bool { return name == "erp" || name == "wms" }
	tests := []struct {
		name    string
		route   outbound.Route
		wantErr string
	}{
		{"valid", outbound.Route{Destination: "erp", Path: "/orders"}, ""},
		{"root path", outbound.Route{Destination: "wms", Path: "/"}, ""},
		{"none needs no path", outbound.Route{Destination: outbound.None}, ""},
		{"unknown destination", outbound.Route{Destination: "crm", Path: "/orders"}, "destination crm is not among the destinations"},
		{"no destination", outbound.Route{Path: "/orders"}, "is not among the destinations"},
		{"no path", outbound.Route{Destination: "erp"}, "path: want an absolute path"},
		{"relative path", outbound.Route{Destination: "erp", Path: "orders"}, "path: want an absolute path"},
	}
	for _, tt := range tests {
		err := tt.route.Validate(known)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: Validate: %v", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: Validate error %v, want %q", tt.name, err, tt.wantErr)
		}
	}
}
