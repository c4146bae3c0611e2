package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway/store"
)

// isa returns an ISA segment of 106 bytes with the given element separator
// and terminator.
func isa(sep, term byte) string {
	s := "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261126*0930*U*00401*000000101*0*P*>" + string(term)
	return strings.ReplaceAll(s, "*", string(sep))
}

func TestSegments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		raw       string
		truncated bool
		want      []string
		x12       bool
	}{
		{"tilde and newlines", isa('*', '~') + "\nGS*PO~\r\nST*850*0001~SE*1*0001~\n", false,
			[]string{isa('*', '~')[:105], "GS*PO", "ST*850*0001", "SE*1*0001"}, true},
		{"other delimiters", isa('|', '\'') + "GS|PO'ST|850|0001'", false,
			[]string{isa('|', '\'')[:105], "GS|PO", "ST|850|0001"}, true},
		{"a second interchange with its own terminator", isa('*', '~') + "IEA*1~" + isa('*', '!') + "GS*PO!", false,
			[]string{isa('*', '~')[:105], "IEA*1", isa('*', '!')[:105], "GS*PO"}, true},
		{"cut by the cap", isa('*', '~') + "GS*PO~ST*85", true, []string{isa('*', '~')[:105], "GS*PO"}, true},
		{"unterminated end", isa('*', '~') + "GS*PO~ST*85", false, []string{isa('*', '~')[:105], "GS*PO", "ST*85"}, true},
		{"CSV lines", "order,sku\r\n1,A\n2,B", false, []string{"order,sku", "1,A", "2,B"}, false},
		{"CSV cut by the cap", "order,sku\n1,A\n2,", true, []string{"order,sku", "1,A"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			segs, x12 := segments([]byte(tc.raw), tc.truncated)
			if x12 != tc.x12 {
				t.Errorf("x12 %v", x12)
			}
			var got []string
			for i, s := range segs {
				got = append(got, s.Text)
				if s.N != i+1 || !strings.HasPrefix(tc.raw[s.Offset:], s.Text) {
					t.Errorf("segment %d: N %d, offset %d does not start %q", i, s.N, s.Offset, s.Text)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("segments\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestAnnotate(t *testing.T) {
	t.Parallel()
	raw := isa('*', '~') + "\nGS*PO~\nST*850*0001~\nBEG*00~\nSE*3*0001~\nST*850*0002~\nBAD*1~\nSE*3*0002~\n"
	segs, _ := segments([]byte(raw), false)
	offset := func(text string) int64 { return int64(strings.Index(raw, text)) }
	js := func(fs ...edi.Finding) json.RawMessage {
		b, _ := json.Marshal(fs)
		return b
	}
	txs := []txView{
		{&store.Transaction{SetID: "850", ControlNumber: "0001", Offset: offset("ST*850*0001"), Size: offset("ST*850*0002") - offset("ST*850*0001")}, nil},
		{&store.Transaction{SetID: "850", ControlNumber: "0002", Offset: offset("ST*850*0002"), Size: int64(len(raw)) - offset("ST*850*0002")}, nil},
	}
	txs[1].Findings = findings(js(edi.Finding{Level: "segment", Segment: "BAD", Position: 2, Code: "2", Severity: "error", Message: "unknown segment"},
		edi.Finding{Level: "element", Segment: "SE", Position: 3, Element: 1, Code: "4", Severity: "warning", Message: "count"}))
	ics := []icView{{&store.Interchange{Offset: 0}, findings(js(edi.Finding{Level: "group", Segment: "GS", Offset: offset("GS*PO") + 2,
		Code: "6", Severity: "error", Message: "group"}))}}
	if bad := annotate(segs, ics, txs); len(bad) != 3 {
		t.Errorf("%d segments with findings, want 3", len(bad))
	}
	want := map[string]struct {
		set      string
		pos      int
		findings int
		err      bool
	}{
		"GS*PO": {"", 0, 1, true}, "ST*850*0001": {"850 0001", 1, 0, false}, "BEG*00": {"850 0001", 2, 0, false},
		"SE*3*0001": {"850 0001", 3, 0, false}, "ST*850*0002": {"850 0002", 1, 0, false},
		"BAD*1": {"850 0002", 2, 1, true}, "SE*3*0002": {"850 0002", 3, 1, false},
	}
	for _, s := range segs[1:] {
		w := want[s.Text]
		if s.Set != w.set || s.Position != w.pos || len(s.Findings) != w.findings || s.Error != w.err {
			t.Errorf("%s: set %q position %d findings %d error %v, want %+v", s.Text, s.Set, s.Position, len(s.Findings), s.Error, w)
		}
	}
}

func TestCharts(t *testing.T) {
	t.Parallel()
	days := []store.ScorecardDay{{Day: "2026-11-25", TransactionSets: 3, ExceptionRate: 0},
		{Day: "2026-11-26", TransactionSets: 7, CSVDocuments: 2, ExceptionRate: 0.25}}
	spark := string(sparkline(days))
	for _, want := range []string{`role="img"`, `aria-label="Exception rate by day: 11-25 0%, 11-26 25%"`, "<polyline"} {
		if !strings.Contains(spark, want) {
			t.Errorf("sparkline lacks %s: %s", want, spark)
		}
	}
	chart := string(trendChart(days))
	for _, want := range []string{"<title id=\"trend-title\">", "2026-11-26: 9 sets and CSV documents, exception rate 25%",
		">sets + CSV documents</text>", ">exception rate</text>", ">day (UTC)</text>", ">11-25</text>", ">40%</text>", ">12</text>"} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart lacks %s", want)
		}
	}
	if sparkline(nil) != "" || trendChart(nil) != "" {
		t.Error("a chart of no days")
	}
	for v, want := range map[float64]float64{1: 4, 5: 8, 40: 40, 41: 80, 99: 100, 101: 200, 450: 800, 900: 1000} {
		if got := niceCeil(v); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", v, got, want)
		}
	}
}
