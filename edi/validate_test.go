package edi

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// validateAll reads data and validates every set with opts.
func validateAll(t testing.TB, data string, opts *ValidateOpts) []*SetResult {
	t.Helper()
	r := NewReader(strings.NewReader(data), nil)
	v := NewValidator(opts)
	var out []*SetResult
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if ev.Kind == TransactionSet {
			out = append(out, v.Validate(ev.Transaction))
		}
	}
}

func TestValidateFixturesAccepted(t *testing.T) {
	t.Parallel()
	for _, set := range []string{"850", "856", "940", "945"} {
		for _, rel := range []string{"004010", "005010"} {
			name := set + "-" + rel + ".edi"
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				res := validateAll(t, readFixture(t, name), nil)
				if len(res) != 1 {
					t.Fatalf("%d sets", len(res))
				}
				if res[0].Status != SetAccepted || res[0].Release != rel {
					t.Errorf("status %s release %s, findings:\n%s", res[0].Status, res[0].Release, describe(res[0].Errors))
				}
			})
		}
	}
}

func describe(errs []error) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "  %v\n", e)
	}
	return b.String()
}

// finding is the part of a finding a test row names: where and which code.
type finding struct {
	seg  string
	pos  int
	elem int
	comp int
	code string
	sev  Severity
}

func findingsOf(errs []error) []finding {
	var out []finding
	for _, e := range errs {
		var el *ElementError
		var sg *SegmentError
		var se *SetError
		switch {
		case errors.As(e, &el):
			out = append(out, finding{el.SegmentID, el.Position, el.Element, el.Component, el.Code, el.Severity})
		case errors.As(e, &sg):
			out = append(out, finding{sg.SegmentID, sg.Position, 0, 0, sg.Code, sg.Severity})
		case errors.As(e, &se):
			out = append(out, finding{se.Segment, se.Position, 0, 0, se.Code, se.Severity})
		}
	}
	return out
}

// TestValidateCodes has one row per AK304/AK403/AK502 code validation emits:
// a change to a valid fixture, and the finding expected.
func TestValidateCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fixture string
		old     string
		new     string
		want    finding
		status  SetStatus
	}{
		{"AK304 1 unrecognized segment", "850-004010.edi", "CUR*BY*USD~", "CUR*BY*USD~\nZZQ*1~", finding{"ZZQ", 4, 0, 0, "1", SeverityError}, SetRejected},
		{"AK304 3 mandatory segment missing", "850-004010.edi", "BEG*00*SA*4500012345**20261126~\n", "", finding{"BEG", 2, 0, 0, "3", SeverityError}, SetRejected},
		{"AK304 3 mandatory loop missing", "850-004010.edi", "PO1*1*24*EA*3.75*PE*UP*036000291452*VN*NW-1001*BP*AR-55001~\nPID*F****STAINLESS WATER BOTTLE 750ML~\nPO4*12*750*ML~\nPO1*2*6*CA*41.20**UP*012993441012*VN*NW-2040~\nPID*F****CAMP MUG 4-PACK~\n", "", finding{"PO1", 15, 0, 0, "3", SeverityError}, SetRejected},
		{"AK304 4 loop over maximum", "850-004010.edi", "CTT*2*30~", "CTT*2*30~\nCTT*2*30~", finding{"CTT", 21, 0, 0, "4", SeverityError}, SetRejected},
		{"AK304 5 segment over maximum use", "850-004010.edi", "CUR*BY*USD~", "CUR*BY*USD~\nCUR*BY*CAD~", finding{"CUR", 4, 0, 0, "5", SeverityError}, SetRejected},
		{"AK304 6 segment of another set", "850-004010.edi", "CUR*BY*USD~", "CUR*BY*USD~\nW05*N*1~", finding{"W05", 4, 0, 0, "6", SeverityError}, SetRejected},
		{"AK304 7 segment out of sequence", "850-004010.edi", "CTT*2*30~", "BEG*00*SA*1**20261126~\nCTT*2*30~", finding{"BEG", 20, 0, 0, "7", SeverityError}, SetRejected},
		{"AK403 1 mandatory element missing", "850-004010.edi", "BEG*00*SA*4500012345**20261126~", "BEG*00*SA***20261126~", finding{"BEG", 2, 3, 0, "1", SeverityError}, SetRejected},
		{"AK403 2 paired element missing", "850-004010.edi", "*VN*NW-2040~", "*VN~", finding{"PO1", 18, 9, 0, "2", SeverityError}, SetRejected},
		{"AK403 3 too many elements", "850-004010.edi", "CTT*2*30~", "CTT*2*30*1*2*3*4*5*6~", finding{"CTT", 20, 8, 0, "3", SeverityError}, SetRejected},
		{"AK403 4 too short", "850-004010.edi", "N1*BT*", "N1*B*", finding{"N1", 12, 1, 0, "4", SeverityError}, SetRejected},
		{"AK403 5 too long", "850-004010.edi", "BEG*00*SA*4500012345**", "BEG*00*SA*45000123450000000000000**", finding{"BEG", 2, 3, 0, "5", SeverityError}, SetRejected},
		{"AK403 6 invalid character in a number", "850-004010.edi", "PO1*1*24*EA", "PO1*1*2X*EA", finding{"PO1", 15, 2, 0, "6", SeverityError}, SetRejected},
		{"AK403 6 decimal point in an Nn element", "940-004010.edi", "W66*PP*U***UPS GROUND*****UPSN~", "W66*PP*U***UPS GROUND****43.00*UPSN~", finding{"W66", 10, 9, 0, "6", SeverityError}, SetRejected},
		{"AK403 7 invalid code", "850-004010.edi", "BEG*00*SA*", "BEG*99*SA*", finding{"BEG", 2, 1, 0, "7", SeverityError}, SetRejected},
		{"AK403 8 invalid date", "850-004010.edi", "**20261126~\nCUR", "**20261341~\nCUR", finding{"BEG", 2, 5, 0, "8", SeverityError}, SetRejected},
		{"AK403 9 invalid time", "856-004010.edi", "*20261127*1410*", "*20261127*2561*", finding{"BSN", 2, 4, 0, "9", SeverityError}, SetRejected},
		{"AK403 10 exclusion violated", "856-004010.edi", "TD5**2*UPSN*U~", "TD5**2*UPSN*U~\nTD3*TL********SEAL1*TL~", finding{"TD3", 6, 10, 0, "10", SeverityError}, SetRejected},
		{"AK502 1 set not supported", "850-004010.edi", "ST*850*0001~", "ST*860*0001~", finding{"ST", 1, 0, 0, "1", SeverityError}, SetRejected},
		{"AK502 6 set under another GS01", "850-004010.edi", "GS*PO*", "GS*IN*", finding{"ST", 1, 0, 0, "6", SeverityError}, SetRejected},
		{"AK502 4 SE01 wrong", "850-004010.edi", "SE*21*0001", "SE*22*0001", finding{"SE", 21, 0, 0, "4", SeverityError}, SetRejected},
		{"HL02 names no earlier HL", "856-004010.edi", "HL*4*3*I~", "HL*4*9*I~", finding{"HL", 15, 2, 0, "7", SeverityError}, SetRejected},
		{"HL level under the wrong parent", "856-004010.edi", "HL*2*1*O~", "HL*2*1*S~", finding{"HL", 11, 2, 0, "7", SeverityError}, SetRejected},
		{"HL01 reused", "856-004010.edi", "HL*5*2*P~", "HL*4*2*P~", finding{"HL", 19, 1, 0, "7", SeverityError}, SetRejected},
		{"HL02 missing is a warning", "856-004010.edi", "HL*2*1*O~", "HL*2**O~", finding{"HL", 11, 2, 0, "2", SeverityWarning}, SetAcceptedWithErrors},
		{"SSCC check digit is a warning", "856-004010.edi", "00106141411234567897", "00106141411234567890", finding{"MAN", 14, 2, 0, "7", SeverityWarning}, SetAcceptedWithErrors},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := readFixture(t, tt.fixture)
			if !strings.Contains(data, tt.old) {
				t.Fatalf("fixture %s lacks %q", tt.fixture, tt.old)
			}
			data = strings.Replace(data, tt.old, tt.new, 1)
			res := validateAll(t, data, nil)[0]
			got := findingsOf(res.Errors)
			found := false
			for _, f := range got {
				if f == tt.want {
					found = true
				}
			}
			if !found {
				t.Errorf("want finding %+v, got %+v\n%s", tt.want, got, describe(res.Errors))
			}
			if res.Status != tt.status {
				t.Errorf("status %s, want %s", res.Status, tt.status)
			}
		})
	}
}

func TestValidateOptsLeniency(t *testing.T) {
	t.Parallel()
	data := strings.Replace(readFixture(t, "850-004010.edi"), "GS*PO*", "GS*IN*", 1)
	if r := validateAll(t, data, &ValidateOpts{FunctionalID: CheckWarn})[0]; r.Status != SetAcceptedWithErrors {
		t.Errorf("FunctionalID warn: %s\n%s", r.Status, describe(r.Errors))
	}
	if r := validateAll(t, data, &ValidateOpts{FunctionalID: CheckIgnore})[0]; r.Status != SetAccepted {
		t.Errorf("FunctionalID ignore: %s\n%s", r.Status, describe(r.Errors))
	}
	bad := strings.Replace(readFixture(t, "856-004010.edi"), "00106141411234567897", "00106141411234567890", 1)
	if r := validateAll(t, bad, &ValidateOpts{SSCC: CheckError})[0]; r.Status != SetRejected {
		t.Errorf("SSCC error: %s", r.Status)
	}
	code := strings.Replace(readFixture(t, "850-004010.edi"), "BEG*00*", "BEG*99*", 1)
	if r := validateAll(t, code, &ValidateOpts{CodeLists: CheckIgnore})[0]; r.Status != SetAccepted {
		t.Errorf("CodeLists ignore: %s\n%s", r.Status, describe(r.Errors))
	}
	r := validateAll(t, code, &ValidateOpts{CodeLists: CheckWarn})[0]
	if r.Status != SetAcceptedWithErrors || len(r.Errors) != 1 || !strings.Contains(describe(r.Errors), AK4BadCode) {
		t.Errorf("CodeLists warn: %s, want accepted with errors and one %s finding\n%s", r.Status, AK4BadCode, describe(r.Errors))
	}
}

func TestValidateMaxErrors(t *testing.T) {
	t.Parallel()
	data := readFixture(t, "850-004010.edi")
	data = strings.Replace(data, "CUR*BY*USD~", "CUR*BY*USD~"+strings.Repeat("ZZQ*1~", 50), 1)
	r := validateAll(t, data, &ValidateOpts{MaxErrors: 10})[0]
	if len(r.Errors) != 10 || !r.Truncated || r.Status != SetRejected {
		t.Errorf("errors %d truncated %v status %s", len(r.Errors), r.Truncated, r.Status)
	}
}

func TestValidateUnknownSegmentsNeverPanic(t *testing.T) {
	t.Parallel()
	base := readFixture(t, "856-004010.edi")
	for _, junk := range []string{"~", "*~", "HL~", "HL*~", "HL***~", "MAN*GM~", "LIN**~", "\x00\x01~", "ST*856*0002~"} {
		data := strings.Replace(base, "CTT*6*30~", junk+"CTT*6*30~", 1)
		_ = validateAll(t, data, nil)
	}
}

// TestValidateRepeatsAndComposites covers the 5010 codes for repeats (AK403
// 12) and components (AK403 13), on acknowledgment sets.
func TestValidateRepeatsAndComposites(t *testing.T) {
	t.Parallel()
	env := func(set, body string) string {
		return isa("*", "^", "00501", "000000905", "0", ":", "~") + "GS*FA*A*B*20261126*1200*905*X*005010X231A1~" +
			"ST*" + set + "*0001*005010X231A1~" + body + "SE*" + fmt.Sprint(strings.Count(body, "~")+2) + "*0001~GE*1*905~IEA*1*000000905~"
	}
	tests := []struct {
		name string
		data string
		want finding
	}{
		{"AK403 13 too many components", env("999", "AK1*PO*1*005010~AK2*850*0001~IK3*PO1*5**8~IK4*2:1:1:9*330*1~IK5*R*5~AK9*R*1*1*0~"),
			finding{"IK4", 5, 1, 0, "13", SeverityError}},
		{"AK403 12 too many repeats", env("999", "AK1*PO*1*005010~AK2*850*0001~IK3*PO1*5**8~CTX*"+strings.Repeat("A:1^", 10)+"A:1~IK5*R*5~AK9*R*1*1*0~"),
			finding{"CTX", 5, 1, 0, "12", SeverityError}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := validateAll(t, tt.data, nil)
			if len(res) != 1 {
				t.Fatalf("%d sets", len(res))
			}
			got := findingsOf(res[0].Errors)
			if !slices.Contains(got, tt.want) {
				t.Errorf("want %+v, got %+v\n%s", tt.want, got, describe(res[0].Errors))
			}
		})
	}
}

// TestPlaceTableMatchesGeneral validates random segment sequences, built
// by walking each schema and then disturbed, once by the placement table and
// once by the general path alone, and wants the same findings.
func TestPlaceTableMatchesGeneral(t *testing.T) {
	t.Parallel()
	var all []string
	for tag := range schemaRegistry.known {
		all = append(all, tag)
	}
	slices.Sort(all)
	all = append(all, "ZZZ", "Q")
	for _, s := range allSchemas {
		t.Run(s.ID+"/"+s.Release, func(t *testing.T) {
			t.Parallel()
			cs := schemaRegistry.lookup(s.ID, s.Release)
			general := *cs
			general.place = &placeTable{tags: tagSlots{n: 1}, steps: make([]placeStep, len(cs.place.steps)/cs.place.tags.n)}
			for i := range general.place.steps {
				general.place.steps[i].flags = stepGeneral
			}
			r := rand.New(rand.NewPCG(1, uint64(len(all))))
			for range 400 {
				var tags []string
				walkSchema(r, &s.Root, &tags)
				tags = disturb(r, tags, all)
				tx := &Transaction{SetID: s.ID, ControlNumber: "1"}
				for i, tag := range tags {
					seg := NewSegment(&testDelimiters, tag)
					seg.Position = i + 1
					tx.Segments = append(tx.Segments, seg)
				}
				got, want := walkWith(tx, cs), walkWith(tx, &general)
				if got != want {
					t.Fatalf("%v:\ntable   %s\ngeneral %s", tags, got, want)
				}
			}
		})
	}
}

// walkWith validates the placement of t against cs and describes the
// findings.
func walkWith(t *Transaction, cs *compiledSchema) string {
	v := NewValidator(&ValidateOpts{MaxErrors: 1000})
	v.res = &SetResult{}
	v.walk(t, cs)
	return fmt.Sprintf("%v", v.finish().Errors)
}

// walkSchema appends the tags of a random instance of l: each node zero to
// three times (a loop's trigger once per instance), mandatory ones mostly
// at least once.
func walkSchema(r *rand.Rand, l *LoopDef, tags *[]string) {
	for i, n := range l.Nodes {
		reps := r.IntN(4)
		if i == 0 || (n.Usage == Mandatory && reps == 0 && r.IntN(10) > 0) {
			reps = 1
		}
		if n.Loop == nil && i > 0 && n.Max == 1 && r.IntN(4) > 0 {
			reps = min(reps, 1)
		}
		for range reps {
			if len(*tags) > 300 {
				return
			}
			if n.Loop != nil {
				walkSchema(r, n.Loop, tags)
			} else {
				*tags = append(*tags, n.Segment.ID)
			}
		}
	}
}

// disturb deletes, repeats, swaps or inserts a few segments of tags.
func disturb(r *rand.Rand, tags, all []string) []string {
	for range r.IntN(4) {
		if len(tags) < 2 {
			break
		}
		i := 1 + r.IntN(len(tags)-1)
		switch r.IntN(4) {
		case 0:
			tags = slices.Delete(tags, i, i+1)
		case 1:
			tags = slices.Insert(tags, i, tags[i])
		case 2:
			tags[i-1], tags[i] = tags[i], tags[i-1]
		default:
			tags = slices.Insert(tags, i, all[r.IntN(len(all))])
		}
	}
	return tags
}

// TestFastElementLayout pins the offsets at which the assembly of
// commonKindsOK reads a fastElement.
func TestFastElementLayout(t *testing.T) {
	var f fastElement
	got := []uintptr{unsafe.Sizeof(f), unsafe.Offsetof(f.kind), unsafe.Offsetof(f.min), unsafe.Offsetof(f.width), unsafe.Offsetof(f.codes)}
	if want := []uintptr{16, 0, 2, 4, 8}; !slices.Equal(got, want) {
		t.Fatalf("fastElement size and offsets %v, want %v", got, want)
	}
}

// TestFastCheckAgreesWithFull puts values at the edges of each element of
// every schema segment, alone in their segment, through the fast check and
// the full one: the fast check may send a good value to the full check,
// but must never pass one the full check finds fault with; and the
// assembly and Go forms of commonKindsOK must agree exactly.
func TestFastCheckAgreesWithFull(t *testing.T) {
	t.Parallel()
	seen := map[*compiledSegment]bool{}
	var segs []*compiledSegment
	var visit func(l *compiledLoop)
	visit = func(l *compiledLoop) {
		for i := range l.nodes {
			if cs := l.nodes[i].seg; !seen[cs] && cs.Elements != nil {
				seen[cs] = true
				segs = append(segs, cs)
			}
			if l.nodes[i].loop != nil {
				visit(l.nodes[i].loop)
			}
		}
	}
	for _, s := range allSchemas {
		visit(schemaRegistry.lookup(s.ID, s.Release).root)
	}
	passed := 0
	for _, cs := range segs {
		for i := range cs.Elements {
			for _, val := range edgeValues(&cs.Elements[i]) {
				for _, codes := range []bool{true, false} {
					passed += checkFastAgainstFull(t, cs, i, val, codes)
				}
			}
		}
	}
	if passed < 1000 {
		t.Errorf("the fast check passed only %d values", passed)
	}
}

// checkFastAgainstFull checks val as element i of cs alone in its segment,
// and returns 1 if the fast check passed it.
func checkFastAgainstFull(t *testing.T, cs *compiledSegment, i int, val string, codes bool) int {
	t.Helper()
	raw := []byte(cs.ID + strings.Repeat("*", i+1) + val)
	seg := ParseSegment(&testDelimiters, raw)
	ends := seg.split()
	present, ok := commonKindsOK(raw, ends, cs.fast, codes)
	if p, k := commonKindsGeneric(raw, ends, cs.fast, codes); p != present || k != ok {
		t.Fatalf("%s element %d %q codes %v: commonKindsOK (%b, %v), commonKindsGeneric (%b, %v)", cs.ID, i+1, val, codes, present, ok, p, k)
	}
	for _, chars := range []bool{false, true} {
		others := present & cs.others
		if chars {
			others = present // as scanWellFormed has it for a segment split before
		}
		fast := ok && (others == 0 || cs.othersOK(raw, ends, others, codes, chars))
		if !fast || cs.mandatory&^present&(1<<i) != 0 { // scanWellFormed wants the mandatory elements
			return 0
		}
	}
	for _, nm := range cs.notes {
		if nm.violated(present) { // as notesHold tells
			return 0
		}
	}
	opts := &ValidateOpts{MaxErrors: 1000, CodeLists: CheckIgnore}
	if codes {
		opts.CodeLists = CheckError
	}
	v := NewValidator(opts)
	v.res = &SetResult{}
	v.reportElements(&seg, cs, "", ends)
	for _, err := range v.res.Errors {
		if e, isElem := err.(*ElementError); isElem && e.Element == i+1 {
			t.Errorf("%s element %d %q codes %v: the fast check passes what the full check reports: %v", cs.ID, i+1, val, codes, err)
		}
	}
	return 1
}

// edgeValues returns values at the edges of what ed accepts: empty and
// blank, lengths around its bounds with trailing, leading and inner
// spaces, numbers with signs and points, and its codes and their near
// misses.
func edgeValues(ed *ElementDef) []string {
	vals := []string{"", " ", "  ", "-", "+", ".", "-.", "+.5", "1-", "--1", "1..2", ".5", "5.", "-0", "+0",
		"20261127", "261127", "20260230", "20240229", "20250229", "2026113 ", "1200", "2359", "2400", "235960", "12000001", "12 0"}
	hi := ed.Max
	if hi <= 0 || hi > 40 {
		hi = 40
	}
	for _, n := range []int{1, 2, 3, ed.Min - 1, ed.Min, ed.Min + 1, hi - 1, hi, hi + 1, hi + 2} {
		if n < 1 {
			continue
		}
		a, d := strings.Repeat("A", n), strings.Repeat("7", n)
		mid := n / 2
		vals = append(vals, a, a[1:]+" ", " "+a[1:], a[:mid]+" "+a[mid+1:], strings.Repeat(" ", n),
			d, "-"+d, "+"+d, d[:mid]+"."+d[mid:], "-"+d[:mid]+"."+d[mid:], "+"+d[:mid]+"."+d[mid:], "."+d, d+".", d[1:]+" ", d[:mid]+"-"+d[mid:])
	}
	if ed.Codes != nil {
		for code := range ed.Codes.codes {
			last := code[len(code)-1]
			vals = append(vals, code, code+"A", code+"0", code[:len(code)-1], code[:len(code)-1]+string(last+1),
				code[:len(code)-1]+string(last-1), strings.ToLower(code), code+" ", " "+code)
		}
	}
	return vals
}

// TestDateOK compares dateOK, and plainDate but for February 29, with
// validDate on every six-digit value, on eight-digit ones around the
// leap-year rules, and on near misses.
func TestDateOK(t *testing.T) {
	var vals []string
	for i := range 1000000 {
		vals = append(vals, fmt.Sprintf("%06d", i))
	}
	for _, year := range []int{1, 1600, 1896, 1899, 1900, 1904, 1999, 2000, 2023, 2024, 2100, 2400, 9999} {
		for md := range 1400 {
			vals = append(vals, fmt.Sprintf("%04d%04d", year, md))
		}
	}
	vals = append(vals, "", "2026112", "202611270", "2026-1-1", "20261 27", "2026112A", "A0261127", "26112 ", "2611/7", "+61127")
	for _, v := range vals {
		want := validDate(v, len(v))
		if got := dateOK([]byte(v)); got != want {
			t.Errorf("%q: dateOK %v, validDate %v", v, got, want)
		}
		if got := plainDate([]byte(v)); got != (want && !strings.HasSuffix(v, "0229")) {
			t.Errorf("%q: plainDate %v, validDate %v", v, got, want)
		}
	}
}
