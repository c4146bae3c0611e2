package flatfile

import (
	"errors"
	"strings"
	"testing"
)

// shipProfile is a valid shipment-confirmation profile.
func shipProfile() *Profile {
	return &Profile{
		Name: "shipconf", Pattern: "SHIP_*.csv", DocType: "shipment",
		Columns: map[Field]Source{
			FieldShipmentID:     {Name: "Shipment"},
			FieldOrderNumber:    {Name: "Order"},
			FieldShipDate:       {Name: "Ship Date"},
			FieldCarrierSCAC:    {Name: "Carrier"},
			FieldTrackingNumber: {Name: "Tracking"},
			FieldLineSKU:        {Name: "SKU"},
			FieldLineQuantity:   {Name: "Qty"},
		},
		Group:       FieldShipmentID,
		DateFormats: []string{"YYYY-MM-DD", "MM/DD/YYYY"},
		ValueMaps:   map[Field]map[string]string{FieldCarrierSCAC: {"UPS Ground": "UPSN", "FedEx": "FDEG"}},
		Defaults:    map[Field]string{FieldLineUOM: "EA"},
	}
}

func TestProfileValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(p *Profile)
		want   []string // fields of the ProfileErrors
	}{
		{"valid", func(*Profile) {}, nil},
		{"nothing", func(p *Profile) { *p = Profile{} },
			[]string{"name", "pattern", "type", "columns", "group"}},
		{"bad pattern", func(p *Profile) { p.Pattern = "[a-" }, []string{"pattern"}},
		{"pattern with slash", func(p *Profile) { p.Pattern = "in/*.csv" }, []string{"pattern"}},
		{"unknown field", func(p *Profile) { p.Columns["line.qty"] = Source{Name: "Q"} }, []string{"columns.line.qty"}},
		{"field of another type", func(p *Profile) { p.Columns[FieldRMANumber] = Source{Name: "RMA"} }, []string{"columns.rma_number"}},
		{"group missing", func(p *Profile) { p.Group = "" }, []string{"group"}},
		{"group not mapped", func(p *Profile) { p.Group = FieldBOL }, []string{"group"}},
		{"group a line field", func(p *Profile) { p.Group = FieldLineSKU }, []string{"group"}},
		{"name and position", func(p *Profile) { p.Columns[FieldBOL] = Source{Name: "B", Pos: 3} }, []string{"columns.bol"}},
		{"name without header", func(p *Profile) { p.Dialect.NoHeader = true },
			[]string{"columns.carrier_scac", "columns.line.quantity", "columns.line.sku", "columns.order_number",
				"columns.ship_date", "columns.shipment_id", "columns.tracking_number"}},
		{"bad date format", func(p *Profile) { p.DateFormats = []string{"YYYY-DD"} }, []string{"date_formats.0"}},
		{"bad time format", func(p *Profile) { p.TimeFormats = []string{"HH"} }, []string{"time_formats.0"}},
		{"bad delimiter", func(p *Profile) { p.Dialect.Delimiter = '\n' }, []string{"delimiter"}},
		{"bad quote", func(p *Profile) { p.Dialect.Quote = '`' }, []string{"quote"}},
		{"negative skip", func(p *Profile) { p.Dialect.Skip = -1 }, []string{"skip"}},
		{"encoding", func(p *Profile) { p.Encoding = "ebcdic" }, []string{"encoding"}},
		{"on_error", func(p *Profile) { p.OnError = "ignore" }, []string{"on_error"}},
		{"value map target", func(p *Profile) { p.ValueMaps[FieldCarrierSCAC]["X"] = "" }, []string{"value_maps.carrier_scac.X"}},
		{"value map unmapped", func(p *Profile) { p.ValueMaps[FieldBOL] = map[string]string{"a": "b"} }, []string{"value_maps.bol"}},
		{"default not canonical", func(p *Profile) { p.Defaults[FieldShipDate] = "03/01/2025" }, []string{"defaults.ship_date"}},
		{"required unmapped", func(p *Profile) { p.Required = []Field{FieldPRO} }, []string{"required.pro"}},
		{"no quantity", func(p *Profile) { delete(p.Columns, FieldLineQuantity) }, []string{"columns.line.quantity"}},
		{"kind", func(p *Profile) { p.Kind = "purchase_order" }, []string{"kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := shipProfile()
			tt.change(p)
			err := p.Validate()
			var got []string
			var pes ProfileErrors
			if errors.As(err, &pes) {
				for _, pe := range pes {
					got = append(got, pe.Field())
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("Validate() = %v\nfields %v, want %v", err, got, tt.want)
			}
			if err != nil && !errors.Is(err, ErrProfile) {
				t.Errorf("error does not wrap ErrProfile")
			}
		})
	}
}

func TestProfileMatch(t *testing.T) {
	t.Parallel()
	ps := []Profile{{Name: "a", Pattern: "SHIP_*.csv"}, {Name: "b", Pattern: "*.csv"}}
	for name, want := range map[string]string{"SHIP_1.csv": "a", "in/SHIP_2.csv": "a", "RET_1.csv": "b", "x.txt": ""} {
		p, ok := Match(ps, name)
		if got := ""; ok {
			got = p.Name
			if got != want {
				t.Errorf("Match(%q) = %s, want %s", name, got, want)
			}
		} else if want != "" {
			t.Errorf("Match(%q) found nothing, want %s", name, want)
		}
	}
}

func TestNormDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		comma bool
		want  string
		ok    bool
	}{
		{"12", false, "12", true},
		{"12.50", false, "12.50", true},
		{"-3", false, "-3", true},
		{"+3", false, "3", true},
		{"1,234.50", false, "1234.50", true},
		{"1,234,567", false, "1234567", true},
		{"1,5", false, "", false},
		{"12,34", false, "", false},
		{"1.234,50", true, "1234.50", true},
		{"1,5", true, "1.5", true},
		{"1.5", true, "", false},
		{"", false, "", false},
		{"abc", false, "", false},
		{"1.", false, "", false},
		{"1,", true, "", false},
	}
	for _, tt := range tests {
		got, ok := normDecimal(tt.in, tt.comma)
		if got != tt.want || ok != tt.ok {
			t.Errorf("normDecimal(%q, %v) = %q, %v; want %q, %v", tt.in, tt.comma, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	compileAll := func(fs ...string) []layout {
		var out []layout
		for _, f := range fs {
			l, ok := compileDate(f)
			if !ok {
				t.Fatalf("compileDate(%q) failed", f)
			}
			out = append(out, l)
		}
		return out
	}
	tests := []struct {
		in      string
		formats []string
		want    string
	}{
		{"2025-03-01", []string{"YYYY-MM-DD"}, "2025-03-01"},
		{"03/01/2025", []string{"YYYY-MM-DD", "MM/DD/YYYY"}, "2025-03-01"},
		{"01.03.2025", []string{"DD.MM.YYYY"}, "2025-03-01"},
		{"20250301", []string{"YYYYMMDD"}, "2025-03-01"},
		{"3/1/2025", []string{"M/D/YYYY"}, "2025-03-01"},
		{"2025-03-01T10:00:00Z", []string{"2006-01-02T15:04:05Z07:00"}, "2025-03-01"},
		{"02/30/2025", []string{"MM/DD/YYYY"}, ""},
		{"2025-3-1", []string{"YYYY-MM-DD"}, ""},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in, compileAll(tt.formats...))
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("parseDate(%q, %v) = %q, %v; want %q", tt.in, tt.formats, got, ok, tt.want)
		}
	}
}
