package partners_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/partners"
)

func TestLoadRoutes(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, map[string]string{"p.yaml": minimal("p") + `routes:
  - match: {type: order, kind: purchase_order, partner: p, purpose: cancel}
    destination: erp
    path: /orders/cancel
  - {match: {type: shipment}, destination: wms, path: /asn}
  - {match: {type: return}, destination: none}
  - {destination: erp, path: " /everything "}
`, "q.yaml": minimal("q")})
	set, err := partners.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := set.ByID("p")
	want := []outbound.Route{
		{Match: outbound.Match{Type: "order", Kind: "purchase_order", Partner: "p", Purpose: "cancel"},
			Destination: "erp", Path: "/orders/cancel"},
		{Match: outbound.Match{Type: "shipment"}, Destination: "wms", Path: "/asn"},
		{Match: outbound.Match{Type: "return"}, Destination: outbound.None},
		{Destination: "erp", Path: "/everything"},
	}
	if !slices.Equal(p.Routes, want) {
		t.Errorf("routes %+v, want %+v", p.Routes, want)
	}
	if q, _ := set.ByID("q"); q.Routes != nil {
		t.Errorf("a partner without routes has %+v", q.Routes)
	}
}

func TestLoadRouteProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, routes string
		want         []string
	}{
		{"not a list", "routes: {destination: erp}\n",
			[]string{`p.yaml:4: routes: want a list, not a mapping`}},
		{"empty item", "routes:\n  - {destination: none}\n  -\n",
			[]string{`p.yaml:6: routes[1]: want a route: {match: {…}, destination: NAME, path: /PATH}`}},
		{"null item", "routes: [null]\n",
			[]string{`p.yaml:4: routes[0]: want a route: {match: {…}, destination: NAME, path: /PATH}`}},
		{"item not a mapping", "routes: [erp]\n",
			[]string{`p.yaml:4: routes[0]: want a mapping of match, destination, path`}},
		{"unknown route key", "routes:\n  - {destination: erp, path: /o, method: PUT}\n",
			[]string{`p.yaml:5: routes[0].method: unknown key "method"; known keys here: match, destination, path`}},
		{"unknown match key", "routes:\n  - destination: erp\n    match: {type: order, status: open}\n    path: /o\n",
			[]string{`p.yaml:6: routes[0].match.status: unknown key "status"; known keys here: type, kind, partner, purpose`}},
		{"match not a mapping", "routes:\n  - {match: order, destination: erp, path: /o}\n",
			[]string{`p.yaml:5: routes[0].match: want a mapping of type, kind, partner, purpose`}},
		{"match value a list", "routes:\n  - {match: {type: [order, return]}, destination: erp, path: /o}\n",
			[]string{`p.yaml:5: routes[0].match.type: want a single value, not a list`}},
		{"missing destination", "routes:\n  - {match: {type: order}, path: /o}\n",
			[]string{`p.yaml:5: routes[0].destination: required`}},
		{"empty destination", "routes:\n  - {destination: \"\", path: /o}\n",
			[]string{`p.yaml:5: routes[0].destination: must not be empty`}},
		{"missing path", "routes:\n  - {destination: erp}\n",
			[]string{`p.yaml:5: routes[0].path: want an absolute path such as /orders`}},
		{"relative path", "routes:\n  - {destination: erp, path: orders}\n",
			[]string{`p.yaml:5: routes[0].path: want an absolute path such as /orders`}},
		{"path on its own line", "routes:\n  - destination: erp\n    match: {type: order}\n    path: orders\n",
			[]string{`p.yaml:7: routes[0].path: want an absolute path such as /orders`}},
		{"second route", "routes:\n  - {destination: none}\n  - {destination: wms, path: asn}\n",
			[]string{`p.yaml:6: routes[1].path: want an absolute path such as /orders`}},
		{"several problems", "routes:\n  - {match: {colour: red}}\n  - {destination: wms, path: [a]}\n", []string{
			`p.yaml:5: routes[0].match.colour: unknown key "colour"; known keys here: type, kind, partner, purpose`,
			`p.yaml:5: routes[0].destination: required`,
			`p.yaml:5: routes[0].path: want an absolute path such as /orders`,
			`p.yaml:6: routes[1].path: want a single value, not a list`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := problemLines(t, writeDir(t, map[string]string{"p.yaml": minimal("p") + tt.routes}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestDecodeRoutes(t *testing.T) {
	t.Parallel()
	var doc yaml.Node
	src := `x: &r {type: shipment}
routes:
  - {match: *r, destination: wms, path: /asn}
  - {destination: erp}
  - {destination: crm, path: /orders}
  - {destination: none}
  - {destination: crm, path: orders}
`
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	n := doc.Content[0].Content[3]
	var checked []outbound.Route
	check := func(r outbound.Route) error {
		checked = append(checked, r)
		if r.Destination == "crm" {
			return errors.New("no crm")
		}
		return nil
	}
	routes, probs := partners.DecodeRoutes("gateway.yaml", n, "routes", check)
	want := []outbound.Route{
		{Match: outbound.Match{Type: "shipment"}, Destination: "wms", Path: "/asn"},
		{Destination: "erp"},
		{Destination: "crm", Path: "/orders"},
		{Destination: "none"},
		{Destination: "crm", Path: "orders"},
	}
	if !slices.Equal(routes, want) {
		t.Errorf("routes %+v, want %+v", routes, want)
	}
	// check sees only the routes without problems of their own.
	if wantChecked := []outbound.Route{want[0], want[2], want[3]}; !slices.Equal(checked, wantChecked) {
		t.Errorf("checked %+v, want %+v", checked, wantChecked)
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.Error())
	}
	wantProbs := []string{
		"gateway.yaml:4: routes[1].path: want an absolute path such as /orders",
		"gateway.yaml:5: routes[2]: no crm",
		"gateway.yaml:7: routes[4].path: want an absolute path such as /orders",
	}
	if !slices.Equal(got, wantProbs) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantProbs, "\n"))
	}
	if routes, probs := partners.DecodeRoutes("gateway.yaml", nil, "routes", check); routes != nil || probs != nil {
		t.Errorf("DecodeRoutes of nothing = %+v, %v", routes, probs)
	}
}
