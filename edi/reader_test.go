package edi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// isa builds a conforming 106-byte ISA with the given element separator,
// ISA11, version, control number, ISA14, component separator and terminator.
func isa(sep, isa11, version, ctl, ack, comp, term string) string {
	f := []string{"00", "          ", "00", "          ", "ZZ", "ACMERETAIL     ", "ZZ", "NORTHWIND      ",
		"261126", "1200", isa11, version, ctl, ack, "P", comp}
	return "ISA" + sep + strings.Join(f, sep) + term
}

// set850 is a small valid 850 body with terminator "~".
const set850 = "ST*850*0001~BEG*00*SA*PO-1001**20261126~PO1*1*10*EA*2.50**UP*012345678905~CTT*1~SE*5*0001~"

func simpleInterchange(body string) string {
	return isa("*", "U", "00401", "000000905", "0", ">", "~") + "\n" +
		"GS*PO*ACMERETAIL*NORTHWIND*20261126*1200*905*X*004010~\n" + body +
		"GE*1*905~\nIEA*1*000000905~\n"
}

type readResult struct {
	interchanges []*Interchange
	groups       []*Group
	sets         []*Transaction
	segments     [][]string // per set, the segment tags
	garbage      []*EnvelopeError
}

func readAll(t *testing.T, data string) readResult {
	t.Helper()
	r := NewReader(strings.NewReader(data), nil)
	var res readResult
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return res
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		switch ev.Kind {
		case InterchangeStart:
			res.interchanges = append(res.interchanges, ev.Interchange)
		case GroupStart:
			res.groups = append(res.groups, ev.Group)
		case TransactionSet:
			tx := *ev.Transaction
			res.sets = append(res.sets, &tx)
			var tags []string
			for i := range ev.Transaction.Segments {
				tags = append(tags, string(ev.Transaction.Segments[i].raw))
			}
			res.segments = append(res.segments, tags)
		case Garbage:
			res.garbage = append(res.garbage, ev.Err)
		}
	}
}

func codes[E interface {
	error
	severity() Severity
}](errs []E, sev Severity) []string {
	var out []string
	for _, e := range errs {
		if e.severity() != sev {
			continue
		}
		switch f := any(e).(type) {
		case *EnvelopeError:
			out = append(out, f.Code)
		case *GroupError:
			out = append(out, f.Code)
		case *SetError:
			out = append(out, f.Code)
		}
	}
	return out
}

func TestReaderDelimiters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want Delimiters
		segs []string
	}{
		{"star tilde newline", simpleInterchange(set850), Delimiters{'*', '>', 0, "~"},
			[]string{"ST*850*0001", "BEG*00*SA*PO-1001**20261126", "PO1*1*10*EA*2.50**UP*012345678905", "CTT*1", "SE*5*0001"}},
		{"LF terminator with CRLF lines", strings.NewReplacer("~\n", "\r\n", "~", "\r\n").Replace(simpleInterchange(set850)), Delimiters{'*', '>', 0, "\r"},
			[]string{"ST*850*0001", "BEG*00*SA*PO-1001**20261126", "PO1*1*10*EA*2.50**UP*012345678905", "CTT*1", "SE*5*0001"}},
		{"pipe elements, caret components, 5010 repetition",
			isa("|", "^", "00501", "000000905", "0", ":", "\n") + "GS|PO|A|B|20261126|1200|905|X|005010\nST|850|0001\nBEG|00|SA|PO-1001||20261126\nPO1|1|10|EA|2.5||UP|012345678905\nCTT|1\nSE|5|0001\nGE|1|905\nIEA|1|000000905\n",
			Delimiters{'|', ':', '^', "\n"},
			[]string{"ST|850|0001", "BEG|00|SA|PO-1001||20261126", "PO1|1|10|EA|2.5||UP|012345678905", "CTT|1", "SE|5|0001"}},
		{"multi-byte terminator", strings.ReplaceAll(simpleInterchange(set850), "~", "\u2026"), Delimiters{'*', '>', 0, "\u2026"},
			[]string{"ST*850*0001", "BEG*00*SA*PO-1001**20261126", "PO1*1*10*EA*2.50**UP*012345678905", "CTT*1", "SE*5*0001"}},
		{"BOM, leading blanks, tab indentation", "\ufeff \n" + strings.ReplaceAll(simpleInterchange(set850), "~", "~\n\t  "), Delimiters{'*', '>', 0, "~"},
			[]string{"ST*850*0001", "BEG*00*SA*PO-1001**20261126", "PO1*1*10*EA*2.50**UP*012345678905", "CTT*1", "SE*5*0001"}},
		{"trailing separators trimmed", strings.Replace(simpleInterchange(set850), "CTT*1~", "CTT*1*~", 1), Delimiters{'*', '>', 0, "~"},
			[]string{"ST*850*0001", "BEG*00*SA*PO-1001**20261126", "PO1*1*10*EA*2.50**UP*012345678905", "CTT*1", "SE*5*0001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := readAll(t, tt.data)
			if len(res.interchanges) != 1 || len(res.sets) != 1 {
				t.Fatalf("got %d interchanges, %d sets; want 1, 1", len(res.interchanges), len(res.sets))
			}
			ic := res.interchanges[0]
			if ic.Delimiters != tt.want {
				t.Errorf("delimiters = %+v, want %+v", ic.Delimiters, tt.want)
			}
			if got := strings.Join(res.segments[0], "|"); got != strings.Join(tt.segs, "|") {
				t.Errorf("segments\n got %q\nwant %q", res.segments[0], tt.segs)
			}
			if e := codes(ic.Errors, SeverityError); len(e) > 0 {
				t.Errorf("interchange errors %v: %v", e, ic.Errors)
			}
			if len(res.sets[0].Errors) > 0 {
				t.Errorf("set errors: %v", res.sets[0].Errors)
			}
		})
	}
}

func TestReaderISAFields(t *testing.T) {
	t.Parallel()
	res := readAll(t, simpleInterchange(set850))
	ic := res.interchanges[0]
	want := Interchange{AuthQualifier: "00", SecurityQualifier: "00", SenderQualifier: "ZZ", SenderID: "ACMERETAIL",
		ReceiverQualifier: "ZZ", ReceiverID: "NORTHWIND", Date: "261126", Time: "1200", StandardsID: "U",
		Version: "00401", ControlNumber: "000000905", AckRequested: "0", Usage: "P"}
	got := *ic
	got.Delimiters, got.Errors, got.Groups, got.TrailerGroups, got.TrailerControl, got.Offset = Delimiters{}, nil, 0, "", "", 0
	if got.SenderID != want.SenderID || got.ReceiverID != want.ReceiverID || got.ControlNumber != want.ControlNumber ||
		got.Date != want.Date || got.Time != want.Time || got.Version != want.Version || got.SenderQualifier != want.SenderQualifier ||
		got.Usage != want.Usage || got.AckRequested != want.AckRequested || got.StandardsID != want.StandardsID {
		t.Errorf("ISA fields = %+v\nwant %+v", got, want)
	}
	g := res.groups[0]
	if g.FunctionalID != "PO" || g.ControlNumber != "905" || g.Version != "004010" || g.Release() != "004010" || g.Sender != "ACMERETAIL" {
		t.Errorf("GS fields = %+v", g)
	}
	if ic.TrailerGroups != "1" || ic.TrailerControl != "000000905" || g.TrailerCount != "1" || g.TrailerControl != "905" {
		t.Errorf("trailers: IEA %q %q, GE %q %q", ic.TrailerGroups, ic.TrailerControl, g.TrailerCount, g.TrailerControl)
	}
}

// TestReaderEnvelopeCodes has one row per envelope code the reader emits.
func TestReaderEnvelopeCodes(t *testing.T) {
	t.Parallel()
	ok := simpleInterchange(set850)
	tests := []struct {
		name                         string
		data                         string
		interchange, group, set, gbg []string // error-severity codes expected
	}{
		{"clean", ok, nil, nil, nil, nil},
		{"TA105 001 IEA02 differs", strings.Replace(ok, "IEA*1*000000905", "IEA*1*000000906", 1), []string{"001"}, nil, nil, nil},
		{"TA105 021 IEA01 wrong", strings.Replace(ok, "IEA*1*", "IEA*2*", 1), []string{"021"}, nil, nil, nil},
		{"TA105 023 no IEA", strings.Replace(ok, "IEA*1*000000905~\n", "", 1), []string{"023"}, nil, nil, nil},
		{"TA105 023 next ISA before IEA", strings.Replace(ok, "IEA*1*000000905~\n", "", 1) + ok, []string{"023"}, nil, nil, nil},
		{"TA105 014 bad date", strings.Replace(ok, "*261126*", "*261341*", 1), []string{"014"}, nil, nil, nil},
		{"TA105 015 bad time", strings.Replace(ok, "*1200*U", "*2561*U", 1), []string{"015"}, nil, nil, nil},
		{"TA105 017 bad version", strings.Replace(ok, "*00401*", "*00000*", 1), []string{"017"}, nil, nil, nil},
		{"TA105 018 bad control number", strings.Replace(ok, "*000000905*0*", "*00000A905*0*", 1), []string{"018", "001"}, nil, nil, nil},
		{"TA105 019 bad ack requested", strings.Replace(ok, "*000000905*0*P", "*000000905*7*P", 1), []string{"019"}, nil, nil, nil},
		{"TA105 020 bad usage", strings.Replace(ok, "*0*P*>", "*0*X*>", 1), []string{"020"}, nil, nil, nil},
		{"TA105 005 bad sender qualifier", strings.Replace(ok, "*ZZ*ACMERETAIL", "*Z *ACMERETAIL", 1), []string{"005"}, nil, nil, nil},
		{"TA105 006 empty sender", strings.Replace(ok, "ACMERETAIL     ", "               ", 1), []string{"006"}, nil, nil, nil},
		{"TA105 007 bad receiver qualifier", strings.Replace(ok, "*ZZ*NORTHWIND", "*Z *NORTHWIND", 1), []string{"007"}, nil, nil, nil},
		{"TA105 008 empty receiver", strings.Replace(ok, "NORTHWIND      ", "               ", 1), []string{"008"}, nil, nil, nil},
		{"TA105 012 bad security qualifier", strings.Replace(ok, "*          *00*          *ZZ", "*          *99*          *ZZ", 1), []string{"012"}, nil, nil, nil},
		{"TA105 016 repetition separator repeats a delimiter", strings.Replace(strings.Replace(ok, "*U*00401*", "*>*00501*", 1), "*X*004010~", "*X*005010~", 1), []string{"016"}, nil, nil, nil},
		{"AK905 1 GS01 not a functional identifier", strings.Replace(ok, "GS*PO*", "GS*P*", 1), nil, []string{"1"}, nil, nil},
		{"TA105 010 bad auth qualifier", strings.Replace(ok, "ISA*00*", "ISA*99*", 1), []string{"010"}, nil, nil, nil},
		{"TA105 026 bad element separator", strings.Replace(ok, "ISA*", "ISA ", 1), []string{"026"}, nil, nil, []string{"024"}},
		{"TA105 027 component equals element separator", strings.Replace(ok, "*P*>~", "*P**~", 1), []string{"027"}, nil, nil, []string{"024"}},
		{"TA105 004 alphanumeric terminator", strings.ReplaceAll(ok, "~", "X"), []string{"004"}, nil, nil, []string{"024"}},
		{"TA105 024 segment outside group", strings.Replace(ok, "GE*1*905~\n", "GE*1*905~\nREF*DP*1~\n", 1), []string{"024"}, nil, nil, nil},
		{"garbage between interchanges", ok + "hello there\n" + ok, nil, nil, nil, []string{"024"}},
		{"AK905 3 GE missing", strings.Replace(ok, "GE*1*905~\n", "", 1), nil, []string{"3"}, nil, nil},
		{"AK905 4 GE02 differs", strings.Replace(ok, "GE*1*905", "GE*1*906", 1), nil, []string{"4"}, nil, nil},
		{"AK905 5 GE01 wrong", strings.Replace(ok, "GE*1*905", "GE*3*905", 1), nil, []string{"5"}, nil, nil},
		{"AK905 6 GS06 not numeric", strings.Replace(strings.Replace(ok, "*905*X*", "*9A5*X*", 1), "GE*1*905", "GE*1*9A5", 1), nil, []string{"6"}, nil, nil},
		{"AK905 2 GS08 not a version", strings.Replace(ok, "*X*004010~", "*X*4010~", 1), nil, []string{"2"}, nil, nil},
		{"AK905 19 GS06 reused", strings.Replace(ok, "GE*1*905~\n", "GE*1*905~\nGS*PO*A*B*20261126*1200*905*X*004010~\n"+set850+"GE*1*905~\n", 1),
			[]string{"021"}, []string{"19"}, nil, nil},
		{"AK502 2 SE missing", strings.Replace(ok, "SE*5*0001~", "", 1), nil, nil, []string{"2"}, nil},
		{"AK502 3 SE02 differs", strings.Replace(ok, "SE*5*0001", "SE*5*0002", 1), nil, nil, []string{"3"}, nil},
		{"AK502 4 SE01 wrong", strings.Replace(ok, "SE*5*0001", "SE*6*0001", 1), nil, nil, []string{"4"}, nil},
		{"AK502 6 ST01 not a set id", strings.Replace(ok, "ST*850*", "ST*85X*", 1), nil, nil, []string{"6"}, nil},
		{"AK502 7 ST02 too short", strings.Replace(strings.Replace(ok, "ST*850*0001", "ST*850*01", 1), "SE*5*0001", "SE*5*01", 1), nil, nil, []string{"7"}, nil},
		{"AK502 23 ST02 reused", strings.Replace(strings.Replace(ok, set850, set850+set850, 1), "GE*1*", "GE*2*", 1), nil, nil, []string{"23"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := readAll(t, tt.data)
			var ic, grp, set, gbg []string
			for _, i := range res.interchanges {
				ic = append(ic, codes(i.Errors, SeverityError)...)
			}
			for _, g := range res.groups {
				grp = append(grp, codes(g.Errors, SeverityError)...)
			}
			for _, s := range res.sets {
				set = append(set, codes(s.Errors, SeverityError)...)
			}
			for _, g := range res.garbage {
				gbg = append(gbg, g.Code)
			}
			check := func(level string, got, want []string) {
				if strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("%s codes = %v, want %v", level, got, want)
				}
			}
			check("interchange", ic, tt.interchange)
			check("group", grp, tt.group)
			check("set", set, tt.set)
			check("garbage", gbg, tt.gbg)
		})
	}
}

func TestReaderWarnings(t *testing.T) {
	t.Parallel()
	ok := simpleInterchange(set850)
	tests := []struct {
		name string
		data string
		want string // a warning code on the interchange
	}{
		{"IEA02 without zero padding", strings.Replace(ok, "IEA*1*000000905", "IEA*1*905", 1), TA1ControlMismatch},
		{"ISA not fixed width", strings.Replace(ok, "ACMERETAIL     ", "ACMERETAIL", 1), TA1BadContent},
		{"ISA padded with U+00A0", strings.Replace(ok, "ACMERETAIL     ", "ACMERETAIL\u00a0\u00a0\u00a0\u00a0\u00a0", 1), TA1BadControlChars},
		{"GS05 not a time", strings.Replace(ok, "*20261126*1200*905*", "*20261126*102497*905*", 1), TA1BadContent},
		{"GS04 not a date", strings.Replace(ok, "*20261126*1200*905*", "*20261341*1200*905*", 1), TA1BadContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := readAll(t, tt.data)
			ic := res.interchanges[0]
			if e := codes(ic.Errors, SeverityError); len(e) > 0 {
				t.Fatalf("unexpected errors %v", ic.Errors)
			}
			if w := codes(ic.Errors, SeverityWarning); !strings.Contains(strings.Join(w, ","), tt.want) {
				t.Errorf("warnings %v, want %s", w, tt.want)
			}
			if ic.SenderID != "ACMERETAIL" {
				t.Errorf("sender %q", ic.SenderID)
			}
			if len(res.sets) != 1 || len(res.sets[0].Errors) > 0 {
				t.Errorf("sets %d", len(res.sets))
			}
		})
	}
}

func TestReaderNotX12(t *testing.T) {
	t.Parallel()
	for _, data := range []string{"", "   \n", "order_id,sku,qty\n1,ABC,2\n", "GS*PO*X~"} {
		res := readAll(t, data)
		if len(res.interchanges) != 0 || len(res.garbage) != 1 {
			t.Fatalf("%q: %d interchanges, %d garbage", data, len(res.interchanges), len(res.garbage))
		}
		if res.garbage[0].Code != TA1BadContent || res.garbage[0].Msg == "" {
			t.Errorf("%q: %+v", data, res.garbage[0])
		}
	}
}

func TestReaderManyInterchangesOneByteReads(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := 0; i < 50; i++ {
		b.WriteString(simpleInterchange(set850))
	}
	r := NewReader(iotest.OneByteReader(strings.NewReader(b.String())), nil)
	sets := 0
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if ev.Kind == TransactionSet {
			sets++
			if got := ev.Transaction.Segments[1].Value(3); got != "PO-1001" {
				t.Fatalf("set %d BEG03 = %q", sets, got)
			}
		}
		if ev.Kind == InterchangeEnd && len(ev.Interchange.Errors) > 0 {
			t.Fatalf("errors %v", ev.Interchange.Errors)
		}
	}
	if sets != 50 {
		t.Errorf("sets = %d, want 50", sets)
	}
}

// TestReaderBoundedBuffer checks that the buffer tracks the largest set, not
// the input: many small sets keep it at its initial size.
func TestReaderBoundedBuffer(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	for i := 0; i < 2000; i++ {
		b.WriteString(simpleInterchange(set850))
	}
	r := NewReader(&b, nil)
	for {
		if _, err := r.Next(); err != nil {
			break
		}
	}
	if len(r.buf) > minBufSize {
		t.Errorf("buffer grew to %d bytes for sets of under 100 bytes", len(r.buf))
	}
}

func TestReaderMaxSetBytes(t *testing.T) {
	t.Parallel()
	big := "ST*850*0001~BEG*00*SA*PO-1001**20261126~" + strings.Repeat("PO1*1*10*EA*2.50**UP*012345678905~", 200) + "SE*203*0001~"
	data := simpleInterchange(big) + simpleInterchange(set850)
	r := NewReader(strings.NewReader(data), &ReaderOpts{MaxSetBytes: 1000})
	var sets []*Transaction
	for {
		ev, err := r.Next()
		if err != nil {
			break
		}
		if ev.Kind == TransactionSet {
			tx := *ev.Transaction
			sets = append(sets, &tx)
		}
	}
	if len(sets) != 2 {
		t.Fatalf("sets = %d, want 2", len(sets))
	}
	if len(sets[0].Errors) != 1 || !errors.Is(sets[0].Errors[0], ErrSetTooLarge) {
		t.Errorf("oversized set errors = %v", sets[0].Errors)
	}
	if len(sets[1].Errors) != 0 {
		t.Errorf("next set errors = %v", sets[1].Errors)
	}
}

func TestSegmentAccessors(t *testing.T) {
	t.Parallel()
	d := Delimiters{Element: '*', Component: ':', Repetition: '^', Terminator: "~"}
	s := ParseSegment(&d, []byte("CTX*A:1^B:2*CLM*43**5:3*1325"))
	if s.ID() != "CTX" || s.Len() != 6 {
		t.Fatalf("ID %q Len %d", s.ID(), s.Len())
	}
	if got := string(s.Component(5, 2)); got != "3" {
		t.Errorf("Component(5,2) = %q", got)
	}
	if got := s.Repeats(1); len(got) != 2 || string(got[1]) != "B:2" {
		t.Errorf("Repeats(1) = %q", got)
	}
	if s.Element(4) == nil || len(s.Element(4)) != 0 || s.Element(7) != nil {
		t.Errorf("Element(4) = %q, Element(7) = %q", s.Element(4), s.Element(7))
	}
	if s.String() != "CTX*A:1^B:2*CLM*43**5:3*1325~" {
		t.Errorf("String() = %q", s.String())
	}
}

// TestReaderOversizedSegment checks that a segment without a terminator is
// skipped in bounded memory and reported, and reading goes on after it.
func TestReaderOversizedSegment(t *testing.T) {
	t.Parallel()
	huge := "ST*850*0001~BEG*00*SA*" + strings.Repeat("X", 300000) + "~PO1*1*1*EA~SE*4*0001~"
	data := simpleInterchange(huge) + simpleInterchange(set850)
	r := NewReader(strings.NewReader(data), &ReaderOpts{MaxSetBytes: 4096})
	var sets []*Transaction
	var ics []*Interchange
	for {
		ev, err := r.Next()
		if err != nil {
			break
		}
		switch ev.Kind {
		case TransactionSet:
			tx := *ev.Transaction
			sets = append(sets, &tx)
		case InterchangeEnd:
			ics = append(ics, ev.Interchange)
		}
	}
	if len(sets) != 2 || len(ics) != 2 {
		t.Fatalf("%d sets, %d interchanges", len(sets), len(ics))
	}
	if len(sets[0].Errors) == 0 || !errors.Is(sets[0].Errors[0], ErrSetTooLarge) || !strings.Contains(sets[0].Errors[0].Error(), "no segment terminator") {
		t.Errorf("first set errors %v", sets[0].Errors)
	}
	if len(sets[1].Errors) != 0 || ics[1].Rejected() {
		t.Errorf("second interchange: set %v, interchange %v", sets[1].Errors, ics[1].Errors)
	}
	if len(r.buf) > 64<<10 {
		t.Errorf("buffer grew to %d bytes", len(r.buf))
	}
}

// TestReaderPathsAgree reads the same sets once from memory, whose set
// bodies take the Reader's fast path through buffered segments, and once a
// byte at a time, which leaves every segment to the general path: the
// segments, their offsets and the findings must agree, for layout bytes
// between segments and for the set size limit.
func TestReaderPathsAgree(t *testing.T) {
	t.Parallel()
	lines := strings.Repeat("PO1*1*10*EA*2.50**UP*012345678905~\r\n", 12)
	// PO1 number k (from 0) ends 73+36k bytes after the ST: the sixth ends at
	// 253, but the segments up to it without their line breaks hold only
	// 250. The SE ends at 489.
	cases := []struct {
		name string
		body string
		max  int
		want string // the size finding
	}{
		{"line breaks and indentation", "ST*850*0001~\n  BEG*00*SA*PO-1001**20261126~\r\n\t" + lines + "CTT*12~SE*16*0001~", 0, ""},
		{"form feed and vertical tab", "ST*850*0001~\fBEG*00*SA*PO-1001**20261126~\v" + lines + "\f\vCTT*12~SE*16*0001~", 0, ""},
		{"byte order mark", "ST*850*0001~\ufeffBEG*00*SA*PO-1001**20261126~" + lines + "\ufeff\nCTT*12~SE*16*0001~", 0, ""},
		{"size limit within the line breaks", "ST*850*0001~BEG*00*SA*PO-1001**20261126~" + lines + "CTT*12~SE*16*0001~", 252, "PO1 at position 8: the set exceeds 252 bytes"},
		{"segment longer than the limit", "ST*850*0001~BEG*00*SA*PO-1001**20261126~PO1*1*10*EA*2.50**UP*" + strings.Repeat("9", 600) + "~CTT*12~SE*16*0001~", 500, "PO1 at position 3: the segment at byte"},
		{"size limit at the SE", "ST*850*0001~BEG*00*SA*PO-1001**20261126~" + lines + "CTT*12~SE*16*0001~", 488, "SE at position 16: the set exceeds 488 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var filler strings.Builder // sets to read past what the ISA check buffers
			for n := range 8 {
				filler.WriteString(strings.ReplaceAll(set850, "0001", fmt.Sprint(1000+n)))
			}
			data := simpleInterchange(filler.String() + c.body)
			fast := describeRead(t, strings.NewReader(data), c.max)
			general := describeRead(t, iotest.OneByteReader(strings.NewReader(data)), c.max)
			if fast != general {
				t.Errorf("fast path:\n%s\ngeneral path:\n%s", fast, general)
			}
			if c.want == "" && strings.Contains(fast, "\nerror ") {
				t.Errorf("findings for layout bytes:\n%s", fast)
			}
			if c.want != "" && !strings.Contains(fast, "error "+c.want) {
				t.Errorf("no finding %q:\n%s", c.want, fast)
			}
		})
	}
}

// segmentCtrl is whether s holds a control character, as recorded when it
// was split, by the reader or now.
func segmentCtrl(s *Segment) bool {
	s.split()
	return s.ctrl == ctrlFound
}

// describeRead reads in with the given set size limit and describes every
// event: each set's segments with their offsets, element ends and whether
// they hold control characters, and its findings, and the findings of
// groups, interchanges and garbage.
func describeRead(t testing.TB, in io.Reader, maxSet int) string {
	t.Helper()
	r := NewReader(in, &ReaderOpts{MaxSetBytes: maxSet})
	var b strings.Builder
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return b.String()
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		fmt.Fprintf(&b, "event %d\n", ev.Kind)
		switch ev.Kind {
		case TransactionSet:
			tx := ev.Transaction
			for i := range tx.Segments {
				s := &tx.Segments[i]
				fmt.Fprintf(&b, "%d %d %q %v %v\n", s.Position, s.Offset, s.raw, s.split(), segmentCtrl(s))
			}
			for _, e := range tx.Errors {
				fmt.Fprintf(&b, "error %v\n", e)
			}
		case GroupEnd:
			fmt.Fprintf(&b, "group errors %v\n", ev.Group.Errors)
		case InterchangeEnd:
			fmt.Fprintf(&b, "interchange errors %v\n", ev.Interchange.Errors)
		case Garbage:
			fmt.Fprintf(&b, "garbage %v\n", ev.Err)
		}
	}
}

// TestReaderISAAtScanLimit reads an ISA whose last element separator is the
// last byte the reader scans for separators, so ISA16 and the terminator lie
// beyond it, whole and a byte at a time.
func TestReaderISAAtScanLimit(t *testing.T) {
	t.Parallel()
	for _, term := range []string{"~", "\u2029"} {
		ok := simpleInterchange(set850)
		long := strings.Replace(ok, "ACMERETAIL     ", "ACMERETAIL"+strings.Repeat(" ", 5+isaMaxScan-1-103), 1)
		long = strings.ReplaceAll(long, "~", term)
		if got := strings.LastIndex(long[:isaMaxScan], "*"); got != isaMaxScan-1 {
			t.Fatalf("fixture: last separator at %d, want %d", got, isaMaxScan-1)
		}
		whole := describeRead(t, strings.NewReader(long), 1<<16)
		bytewise := describeRead(t, iotest.OneByteReader(strings.NewReader(long)), 1<<16)
		if whole != bytewise {
			t.Errorf("terminator %q: read whole:\n%s\nread byte by byte:\n%s", term, whole, bytewise)
		}
		res := readAll(t, long)
		if len(res.interchanges) != 1 || len(res.sets) != 1 {
			t.Fatalf("terminator %q: %d interchanges, %d sets, want 1 and 1", term, len(res.interchanges), len(res.sets))
		}
		for _, e := range res.interchanges[0].Errors {
			if e.Severity == SeverityError {
				t.Errorf("terminator %q: interchange error %v", term, e)
			}
		}
		if d := res.interchanges[0].Delimiters; d.Component != '>' || d.Terminator != term {
			t.Errorf("terminator %q: delimiters %+v", term, d)
		}
	}
}
