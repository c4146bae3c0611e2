package partners_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/flatfile"
	"github.com/partnergate/partnergate/partners"
)

const csvPartner = `id: globex
name: Globex 3PL
status: active
csv:
  - name: shipconf
    pattern: "SHIPCONF_*.csv"
    type: shipment
    delimiter: ";"
    skip: 1
    trailer: 1
    decimal_comma: true
    encoding: windows-1252
    columns:
      shipment_id: Shipment
      order_number: Order
      ship_date: Shipped
      carrier_scac: Carrier
      tracking_number: Tracking
      line.sku: 3
      line.quantity: Qty
    group: shipment_id
    date_formats: ["DD.MM.YYYY", "YYYY-MM-DD"]
    value_maps:
      carrier_scac: {"UPS Standard": UPSN, "DHL Paket": DHLP}
    required: [line.sku]
    defaults: {line.uom: EA}
    on_error: reject_document
  - name: returns
    pattern: "RET_*.csv"
    type: return
    header: false
    delimiter: tab
    columns: {rma_number: 1, original_order: 2, line.sku: 3, line.quantity: 4, line.condition: 5, line.disposition: 5}
    group: rma_number
    value_maps: {line.disposition: {A: restock, D: scrap}}
    on_error: reject_file
`

func TestLoadCSVProfiles(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, map[string]string{"globex.yaml": csvPartner})
	set, err := partners.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := set.ByID("globex")
	if !ok || len(p.CSV) != 2 {
		t.Fatalf("ByID = %v, %v", p, ok)
	}
	want := flatfile.Profile{
		Name: "shipconf", Pattern: "SHIPCONF_*.csv", DocType: "shipment", Encoding: "windows-1252",
		Dialect: flatfile.Dialect{Delimiter: ';', Skip: 1, Trailer: 1, DecimalComma: true},
		Columns: map[flatfile.Field]flatfile.Source{
			"shipment_id": {Name: "Shipment"}, "order_number": {Name: "Order"}, "ship_date": {Name: "Shipped"},
			"carrier_scac": {Name: "Carrier"}, "tracking_number": {Name: "Tracking"}, "line.sku": {Pos: 3},
			"line.quantity": {Name: "Qty"},
		},
		Group:       "shipment_id",
		DateFormats: []string{"DD.MM.YYYY", "YYYY-MM-DD"},
		ValueMaps:   map[flatfile.Field]map[string]string{"carrier_scac": {"UPS Standard": "UPSN", "DHL Paket": "DHLP"}},
		Required:    []flatfile.Field{"line.sku"},
		Defaults:    map[flatfile.Field]string{"line.uom": "EA"},
		OnError:     "reject_document",
	}
	if !reflect.DeepEqual(p.CSV[0], want) {
		t.Errorf("profile\n%#v\nwant\n%#v", p.CSV[0], want)
	}
	r := p.CSV[1]
	if !r.Dialect.NoHeader || r.Dialect.Delimiter != '\t' || r.Columns["line.disposition"].Pos != 5 || r.OnError != "reject_file" {
		t.Errorf("returns profile %+v", r)
	}
	if m, ok := flatfile.Match(p.CSV, "RET_0311.csv"); !ok || m.Name != "returns" {
		t.Errorf("Match(RET_0311.csv) = %v, %v", m, ok)
	}
}

func TestLoadCSVProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		pairs []string
		want  []string
	}{
		{"bad pattern", []string{`pattern: "SHIPCONF_*.csv"`, `pattern: "[x"`},
			[]string{`globex.yaml:6: csv[0].pattern: "[x": want a file name pattern such as SHIP_*.csv (path.Match syntax, no '/')`}},
		{"unknown field", []string{"      line.quantity: Qty", "      line.qty: Qty"},
			[]string{`globex.yaml:14: csv[0].columns.line.quantity: required: every line needs a quantity (map a column or give a default)`,
				`globex.yaml:20: csv[0].columns.line.qty: unknown canonical field`}},
		{"same name", []string{"name: returns", "name: shipconf"},
			[]string{`globex.yaml:28: csv[1].name: "shipconf" is the name of another profile (line 5): names must differ`}},
		{"unknown key", []string{"    skip: 1", "    skip_lines: 1"},
			[]string{`globex.yaml:9: csv[0].skip_lines: unknown key "skip_lines"; known keys here: ` + strings.Join([]string{"name", "pattern",
				"type", "kind", "delimiter", "quote", "header", "skip", "trailer", "decimal_comma", "encoding", "columns", "group",
				"date_formats", "time_formats", "value_maps", "required", "defaults", "on_error"}, ", ")}},
		{"bad delimiter", []string{`delimiter: ";"`, `delimiter: ";;"`},
			[]string{`globex.yaml:8: csv[0].delimiter: ";;": want one character, such as ",", ";", "|" or tab`}},
		{"bad value map target", []string{"DHL Paket\": DHLP", "DHL Paket\": \"\""},
			[]string{`globex.yaml:24: csv[0].value_maps.carrier_scac.DHL Paket: not a canonical value (not empty)`}},
		{"group a line field", []string{"group: rma_number", "group: line.sku"},
			[]string{`globex.yaml:34: csv[1].group: "line.sku": a line field or a list cannot group rows: use a document field such as rma_number`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := csvPartner
			for i := 0; i+1 < len(tt.pairs); i += 2 {
				if !strings.Contains(s, tt.pairs[i]) {
					t.Fatalf("%q not in the sample", tt.pairs[i])
				}
				s = strings.Replace(s, tt.pairs[i], tt.pairs[i+1], 1)
			}
			got := problemLines(t, writeDir(t, map[string]string{"globex.yaml": s}))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// The sample partners' profiles read the sample files in examples/.
func TestSampleCSVProfiles(t *testing.T) {
	t.Parallel()
	set, err := partners.Load(filepath.Join("..", "partner-configs"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		partner, file      string
		accepted, rejected int
	}{
		{"swift-3pl", "SHIPCONF_20261126.csv", 2, 1},
		{"swift-3pl", "RET_20261126.csv", 2, 0},
		{"bazaar-market", "orders_20261126.txt", 2, 0},
	}
	for _, tt := range tests {
		p, _ := set.ByID(tt.partner)
		prof, ok := flatfile.Match(p.CSV, tt.file)
		if !ok {
			t.Errorf("%s: no profile of %s matches", tt.file, tt.partner)
			continue
		}
		f, err := os.Open(filepath.Join("..", "examples", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		sum, err := flatfile.Process(f, prof, func(*flatfile.DocResult) error { return nil })
		f.Close()
		if err != nil || sum.Accepted != tt.accepted || sum.Rejected != tt.rejected || sum.FileError != nil {
			t.Errorf("%s: %+v, %v; want %d accepted, %d rejected", tt.file, sum, err, tt.accepted, tt.rejected)
		}
	}
}
