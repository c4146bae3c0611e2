package edi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// readGenerated reads data with a Reader, fails the test on any envelope or
// validation finding, and checks the business content of every 850.
func readGenerated(t *testing.T, data []byte, release string) GenerateStats {
	t.Helper()
	var got GenerateStats
	got.Bytes = int64(len(data))
	var findings []string
	note := func(format string, args ...any) {
		if len(findings) < 20 {
			findings = append(findings, fmt.Sprintf(format, args...))
		}
	}
	r := NewReader(bytes.NewReader(data), nil)
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		switch ev.Kind {
		case Garbage:
			note("garbage: %v", ev.Err)
		case InterchangeStart:
			got.Interchanges++
			if v := ev.Interchange.Version; v != release[:5] {
				note("ISA12 %q, want %q", v, release[:5])
			}
		case InterchangeEnd:
			for _, e := range ev.Interchange.Errors {
				note("interchange %s: %v", ev.Interchange.ControlNumber, e)
			}
		case GroupStart:
			got.Groups++
			if ev.Group.FunctionalID != "PO" || ev.Group.Version != release {
				note("GS01 %q GS08 %q", ev.Group.FunctionalID, ev.Group.Version)
			}
		case GroupEnd:
			for _, e := range ev.Group.Errors {
				note("group %s: %v", ev.Group.ControlNumber, e)
			}
		case TransactionSet:
			got.Sets++
			tx := ev.Transaction
			for _, e := range tx.Errors {
				note("set %s: %v", tx.ControlNumber, e)
			}
			if res := Validate(tx, nil); res.Status != SetAccepted || len(res.Errors) > 0 {
				note("set %s: validation %s: %v", tx.ControlNumber, res.Status, res.Errors)
			}
			got.Lines += checkGenerated850(tx, note)
		}
	}
	for _, f := range findings {
		t.Error(f)
	}
	return got
}

// checkGenerated850 checks the content rules GenerateOrders promises and
// returns the number of PO1 lines.
func checkGenerated850(tx *Transaction, note func(string, ...any)) int {
	if tx.SetID != "850" {
		note("set %s: ST01 %q", tx.ControlNumber, tx.SetID)
	}
	var lines int
	var hash int64
	seen := map[string]int{}
	for i := range tx.Body() {
		s := &tx.Body()[i]
		id := s.ID()
		seen[id]++
		switch id {
		case "BEG":
			if s.Value(1) != "00" || s.Value(2) != "SA" || s.Value(3) == "" || !validDate(s.Value(5), 8) {
				note("set %s: bad BEG %s", tx.ControlNumber, s.Raw())
			}
		case "DTM":
			if !validDate(s.Value(2), 8) {
				note("set %s: bad DTM %s", tx.ControlNumber, s.Raw())
			}
		case "N1":
			if s.Value(3) != "92" || s.Value(4) == "" {
				note("set %s: N1 without a 92 location number: %s", tx.ControlNumber, s.Raw())
			}
		case "PO1":
			lines++
			if s.Value(1) != strconv.Itoa(lines) {
				note("set %s: PO101 %q, want %d", tx.ControlNumber, s.Value(1), lines)
			}
			q, err := strconv.ParseInt(s.Value(2), 10, 64)
			if err != nil || q <= 0 {
				note("set %s: PO102 %q", tx.ControlNumber, s.Value(2))
			}
			hash += q
			if u := s.Value(3); u != "EA" && u != "CA" {
				note("set %s: PO103 %q", tx.ControlNumber, u)
			}
			if p := s.Value(4); len(p) < 4 || p[len(p)-3] != '.' {
				note("set %s: PO104 %q has not two decimals", tx.ControlNumber, p)
			}
			if s.Value(6) != "UP" || !validUPC(s.Value(7)) || s.Value(8) != "VN" || s.Value(10) != "BP" || s.Value(11) == "" {
				note("set %s: PO1 product IDs %s", tx.ControlNumber, s.Raw())
			}
		case "CTT":
			if s.Value(1) != strconv.Itoa(lines) || s.Value(2) != strconv.FormatInt(hash, 10) {
				note("set %s: CTT %s, want %d lines, hash %d", tx.ControlNumber, s.Raw(), lines, hash)
			}
		}
	}
	for id, want := range map[string]int{"BEG": 1, "CUR": 1, "REF": 2, "PER": 1, "DTM": 2, "TD5": 1, "N1": 3, "N3": 3, "N4": 3, "PID": lines, "PO4": lines, "CTT": 1, "AMT": 1} {
		if seen[id] != want {
			note("set %s: %d %s segments, want %d", tx.ControlNumber, seen[id], id, want)
		}
	}
	return lines
}

// validUPC checks a 12-digit U.P.C.-A independently of upcCheckDigit: the
// weighted sum of all 12 digits is a multiple of 10.
func validUPC(s string) bool {
	if len(s) != 12 || !allDigits(s) {
		return false
	}
	sum := 0
	for i := range 12 {
		w := 1
		if i%2 == 0 {
			w = 3
		}
		sum += w * int(s[i]-'0')
	}
	return sum%10 == 0
}

func TestGenerateOrders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts GenerateOpts
	}{
		{"defaults", GenerateOpts{}},
		{"4010 multi", GenerateOpts{Interchanges: 3, GroupsPerInterchange: 2, SetsPerGroup: 7, LinesPerSet: 3, Seed: 1}},
		{"5010 multi", GenerateOpts{Release: "005010", Interchanges: 2, GroupsPerInterchange: 3, SetsPerGroup: 4, LinesPerSet: 12, Seed: 2}},
		{"one line", GenerateOpts{LinesPerSet: 1, SetsPerGroup: 1, Seed: 3}},
		{"other delimiters", GenerateOpts{Release: "005010", Interchanges: 2, Seed: 4, Sender: "BUYER 7", Receiver: "VENDOR.CO",
			Delimiters: Delimiters{Element: '|', Component: ':', Repetition: '!', Terminator: "\n"}}},
		{"CR terminator", GenerateOpts{Seed: 5, Delimiters: Delimiters{Element: '^', Component: '\\', Terminator: "\r"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			st, err := GenerateOrders(&buf, &tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			release := tt.opts.Release
			if release == "" {
				release = "004010"
			}
			got := readGenerated(t, buf.Bytes(), release)
			if got != st {
				t.Errorf("read back %+v, GenerateOrders reported %+v", got, st)
			}
			n := func(v, def int) int {
				if v == 0 {
					return def
				}
				return v
			}
			o := tt.opts
			want := GenerateStats{Bytes: st.Bytes, Interchanges: n(o.Interchanges, 1)}
			want.Groups = want.Interchanges * n(o.GroupsPerInterchange, 1)
			want.Sets = want.Groups * n(o.SetsPerGroup, defaultGenSets)
			want.Lines = want.Sets * n(o.LinesPerSet, defaultGenLines)
			if st != want {
				t.Errorf("stats %+v, want %+v", st, want)
			}
		})
	}
}

func TestGenerateNilOpts(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	if _, err := GenerateOrders(&a, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateOrders(&b, &GenerateOpts{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("nil opts and zero opts differ")
	}
	if !bytes.HasPrefix(a.Bytes(), []byte("ISA*00*          *00*          *ZZ*ACMERETAIL     *ZZ*NORTHWIND      *")) {
		t.Errorf("unexpected ISA: %.106s", a.Bytes())
	}
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	gen := func(seed int64) []byte {
		var buf bytes.Buffer
		if _, err := GenerateOrders(&buf, &GenerateOpts{Interchanges: 2, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b, c := gen(42), gen(42), gen(43)
	if !bytes.Equal(a, b) {
		t.Error("the same seed produced different bytes")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds produced the same bytes")
	}
}

func TestGenerateToSize(t *testing.T) {
	t.Parallel()
	const size = 300_000
	var buf bytes.Buffer
	opts := &GenerateOpts{Release: "005010", GroupsPerInterchange: 2, Seed: 9}
	st, err := GenerateToSize(&buf, size, opts)
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes < size || st.Bytes != int64(buf.Len()) {
		t.Fatalf("wrote %d bytes (buffer %d), want at least %d", st.Bytes, buf.Len(), size)
	}
	// It stops at the first interchange that reaches the size.
	var one bytes.Buffer
	if _, err := GenerateOrders(&one, &GenerateOpts{Release: "005010", GroupsPerInterchange: 2, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	if st.Bytes >= size+2*int64(one.Len()) {
		t.Errorf("wrote %d bytes for %d; an interchange is about %d", st.Bytes, size, one.Len())
	}
	if got := readGenerated(t, buf.Bytes(), "005010"); got != st {
		t.Errorf("read back %+v, GenerateToSize reported %+v", got, st)
	}

	// Zero bytes writes nothing.
	st, err = GenerateToSize(io.Discard, 0, nil)
	if err != nil || st != (GenerateStats{}) {
		t.Errorf("GenerateToSize(0) = %+v, %v", st, err)
	}
}

func TestGenerateOptsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts GenerateOpts
		want string
	}{
		{"negative", GenerateOpts{SetsPerGroup: -1}, "SetsPerGroup"},
		{"release", GenerateOpts{Release: "003050"}, "Release"},
		{"long sender", GenerateOpts{Sender: "A SENDER OF SIXTEEN"}, "Sender"},
		{"short receiver", GenerateOpts{Receiver: "X"}, "Receiver"},
		{"lower-case sender", GenerateOpts{Sender: "acme"}, "Sender"},
		{"delimiter in data", GenerateOpts{Delimiters: Delimiters{Element: '*', Component: '.', Terminator: "~"}}, "occurs in the generated data"},
		{"same delimiter", GenerateOpts{Delimiters: Delimiters{Element: '*', Component: '*', Terminator: "~"}}, "two delimiters"},
		{"multi-byte terminator", GenerateOpts{Delimiters: Delimiters{Element: '*', Component: '>', Terminator: "\u2026"}}, "one-byte"},
		{"non-ASCII delimiter", GenerateOpts{Delimiters: Delimiters{Element: 0xA6, Component: '>', Terminator: "~"}}, "not an ASCII"},
		{"partial delimiters", GenerateOpts{Delimiters: Delimiters{Element: '*'}}, "needs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			_, err := GenerateOrders(&buf, &tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one naming %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

// errWriter fails after n bytes.
type errWriter struct{ n int }

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestGenerateWriteError(t *testing.T) {
	t.Parallel()
	_, err := GenerateToSize(&errWriter{n: 100_000}, 1<<30, nil)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error %v, want the writer's", err)
	}
}

func TestUPCCheckDigit(t *testing.T) {
	t.Parallel()
	// Published examples of U.P.C.-A codes with their check digits.
	for _, upc := range []string{"036000291452", "012345678905", "042100005264"} {
		if got := upcCheckDigit(upc[:11]); got != int(upc[11]-'0') {
			t.Errorf("upcCheckDigit(%s) = %d, want %c", upc[:11], got, upc[11])
		}
		if !validUPC(upc) {
			t.Errorf("validUPC(%s) = false", upc)
		}
	}
}

// BenchmarkGenerateOrders measures the generator itself (10 interchanges of
// 20 sets of 8 lines, about 285 KB).
//
//	BenchmarkGenerateOrders-2  657  2011810 ns/op  140.68 MB/s  273563 B/op  8712 allocs/op
func BenchmarkGenerateOrders(b *testing.B) {
	var buf bytes.Buffer
	st, err := GenerateOrders(&buf, &GenerateOpts{Interchanges: 10})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Bytes)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GenerateOrders(io.Discard, &GenerateOpts{Interchanges: 10}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestGenerateFirstControl(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	if _, err := GenerateOrders(&b, &GenerateOpts{Interchanges: 2, SetsPerGroup: 1, FirstControl: 4711}); err != nil {
		t.Fatal(err)
	}
	var got []string
	rd := NewReader(strings.NewReader(b.String()), nil)
	for {
		ev, err := rd.Next()
		if err != nil {
			break
		}
		if ev.Kind == InterchangeStart {
			got = append(got, ev.Interchange.ControlNumber)
		}
	}
	if strings.Join(got, ",") != "000004711,000004712" {
		t.Errorf("ISA13s %v", got)
	}
}
