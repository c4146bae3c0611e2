package partners_test

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/partnergate/partnergate/partners"
)

func TestReadPriceList(t *testing.T) {
	t.Parallel()
	pl, err := partners.ReadPriceList(strings.NewReader("# ACME prices, 2025\n" +
		"Item, Unit_Price, UOM\n" +
		"\n" +
		"12345, 10.00, EA\n" +
		"12345,115.00,ca\n" +
		"\"KT-100\",\"9.25\"\n" +
		"\"A, B\",1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if pl.Len() != 4 {
		t.Errorf("Len() = %d, want 4", pl.Len())
	}
	tests := []struct {
		item, uom string
		want      string // the price, "" for none
		line      int
	}{
		{"12345", "EA", "10.00", 4},
		{"12345", " ea", "10.00", 4},
		{"12345", "CA", "115.00", 5},
		{"12345", "PK", "", 0},
		{"12345", "", "", 0},
		{"KT-100", "EA", "9.25", 6},
		{"KT-100", "", "9.25", 6},
		{"A, B", "LB", "1", 7},
		{"kt-100", "EA", "", 0},
	}
	for _, tt := range tests {
		p, ok := pl.Lookup(tt.item, tt.uom)
		if ok != (tt.want != "") || string(p.UnitPrice) != tt.want || p.Line != tt.line {
			t.Errorf("Lookup(%q, %q) = %+v, %v; want %s at line %d", tt.item, tt.uom, p, ok, tt.want, tt.line)
		}
	}
	// A unit's own price wins over the price for any unit.
	pl, err = partners.ReadPriceList(strings.NewReader("X,2\nX,3,CA\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := pl.Lookup("X", "CA"); p.UnitPrice != "3" {
		t.Errorf("Lookup(X, CA) = %s, want 3", p.UnitPrice)
	}
	if p, _ := pl.Lookup("X", "EA"); p.UnitPrice != "2" {
		t.Errorf("Lookup(X, EA) = %s, want 2", p.UnitPrice)
	}
}

func TestReadPriceListErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", []string{"no prices"}},
		{"header only", "item,price\n", []string{"no prices"}},
		{"bad header", "item,uom,unit_price\n", []string{`line 1: "item,uom,unit_price": a header row is item,unit_price or item,unit_price,uom`}},
		{"a header further down is a row", "A,1\nitem,unit_price\n", []string{`line 2: unit_price: "unit_price": want a decimal greater than 0, such as 10.00`}},
		{"too many fields", "A,1,EA,x\n", []string{"line 1: 4 fields: want item, unit price and optionally a unit of measure"}},
		{"one field", "A\n", []string{"line 1: 1 fields: want item, unit price and optionally a unit of measure"}},
		{"decimal comma", "A,\"1,5\"\n", []string{`line 1: unit_price: "1,5": want a decimal greater than 0, such as 10.00`}},
		{"currency sign", "A,$1\n", []string{`line 1: unit_price: "$1": want a decimal greater than 0, such as 10.00`}},
		{"negative", "A,-1\n", []string{`line 1: unit_price: "-1": want a decimal greater than 0, such as 10.00`}},
		{"zero", "A,0.00\n", []string{`line 1: unit_price: "0.00": want a decimal greater than 0, such as 10.00`}},
		{"no item", " ,1\n", []string{"line 1: item: missing"}},
		{"twice for any unit", "A,1\nB,2\nA,1\n", []string{`line 3: item: "A": priced twice for any unit (first at line 1)`}},
		{"twice in a unit, case aside", "A,1,EA\nA,2,ea\n", []string{`line 2: item: "A": priced twice in EA (first at line 1)`}},
		{"bare quote", "A\"x,1\nB,2\n", []string{`line 1: bare " in non-quoted-field`}},
		{"every bad row", "A,x\nB,1\nC,y\n", []string{
			`line 1: unit_price: "x": want a decimal greater than 0, such as 10.00`,
			`line 3: unit_price: "y": want a decimal greater than 0, such as 10.00`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := partners.ReadPriceList(strings.NewReader(tt.in))
			var es partners.PriceListErrors
			if !errors.As(err, &es) {
				t.Fatalf("error %v is not PriceListErrors", err)
			}
			var got []string
			for _, e := range es {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
			if !errors.Is(err, partners.ErrPriceList) {
				t.Error("does not wrap ErrPriceList")
			}
		})
	}
	var many strings.Builder
	for range 80 {
		many.WriteString("A,x\n")
	}
	_, err := partners.ReadPriceList(strings.NewReader(many.String()))
	var es partners.PriceListErrors
	if !errors.As(err, &es) || len(es) != 51 || es[50].Msg != "too many errors, stopped reading" {
		t.Errorf("80 bad rows: %d errors, want 50 and a last one saying it stopped", len(es))
	}
	boom := errors.New("boom")
	if _, err := partners.ReadPriceList(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("read error: %v", err)
	}
}

func TestSLA(t *testing.T) {
	t.Parallel()
	zero := 0
	s := partners.SLA{MaxExceptionRate: "0.05", MaxAckLatency: 5 * time.Minute, MaxLateASNs: &zero}
	rates := []struct {
		exceptions, documents int64
		want                  bool
	}{
		{0, 100, false}, {5, 100, false}, {6, 100, true}, {1, 20, false}, {1, 19, true}, {3, 0, false},
	}
	for _, tt := range rates {
		if got := s.ExceptionRateExceeded(tt.exceptions, tt.documents); got != tt.want {
			t.Errorf("ExceptionRateExceeded(%d, %d) = %v, want %v", tt.exceptions, tt.documents, got, tt.want)
		}
	}
	if s.AckLatencyExceeded(5*time.Minute) || !s.AckLatencyExceeded(5*time.Minute+time.Millisecond) {
		t.Error("AckLatencyExceeded wrong at 5m")
	}
	if s.LateASNsExceeded(0) || !s.LateASNsExceeded(1) {
		t.Error("LateASNsExceeded wrong at 0")
	}
	var none partners.SLA
	if !none.IsZero() || s.IsZero() || none.ExceptionRateExceeded(100, 100) || none.AckLatencyExceeded(time.Hour) || none.LateASNsExceeded(100) {
		t.Error("an unset SLA measures something")
	}
}
