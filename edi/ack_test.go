package edi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ackNow is the clock of every test ack: ISA09/10 261127 0930.
func ackNow() time.Time { return time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC) }

// ackInterchange returns a received interchange from PARTNER (ZZ) to
// 123456789 (01), control 905, in version "00401" or "00501".
func ackInterchange(version string) *Interchange {
	ic := &Interchange{
		AuthQualifier: "00", SecurityQualifier: "00",
		SenderQualifier: "ZZ", SenderID: "PARTNER", ReceiverQualifier: "01", ReceiverID: "123456789",
		Date: "261126", Time: "1200", StandardsID: "U", Version: version,
		ControlNumber: "000000905", AckRequested: "0", Usage: "P",
		Delimiters:    Delimiters{Element: '*', Component: ':', Terminator: "~"},
		TrailerGroups: "1", TrailerControl: "000000905", Groups: 1,
	}
	if version >= "00501" {
		ic.StandardsID, ic.Delimiters.Repetition = "^", '^'
	}
	return ic
}

// ackGroup returns a received group PARTNERAPP → OURAPP, GS06 77, holding n sets.
func ackGroup(ic *Interchange, gs01, gs08 string, n int) *Group {
	return &Group{
		FunctionalID: gs01, Sender: "PARTNERAPP", Receiver: "OURAPP", Date: "20261126", Time: "1200",
		ControlNumber: "77", Agency: "X", Version: gs08,
		TrailerCount: strconv.Itoa(n), TrailerControl: "77", Transactions: n, Interchange: ic,
	}
}

// groupSets is one received group with the validation results of its sets.
type groupSets struct {
	g    *Group
	sets []*SetResult
}

// buildAcks drives an AckBuilder over groups and returns what Finish wrote.
func buildAcks(t *testing.T, ic *Interchange, opts *AckOpts, groups ...groupSets) []Ack {
	t.Helper()
	acks, err := tryAcks(ic, opts, groups...)
	if err != nil {
		t.Fatal(err)
	}
	return acks
}

func tryAcks(ic *Interchange, opts *AckOpts, groups ...groupSets) ([]Ack, error) {
	o := AckOpts{Now: ackNow}
	if opts != nil {
		o = *opts
		if o.Now == nil {
			o.Now = ackNow
		}
	}
	var body bytes.Buffer
	b := NewAckBuilder(ic, &o, &body)
	for _, gs := range groups {
		if err := b.BeginGroup(gs.g); err != nil {
			return nil, err
		}
		for _, r := range gs.sets {
			if err := b.AddSet(r); err != nil {
				return nil, err
			}
		}
		if err := b.EndGroup(gs.g); err != nil {
			return nil, err
		}
	}
	return b.Finish(&body)
}

// only returns the single ack of the wanted type.
func only(t *testing.T, acks []Ack, typ string) Ack {
	t.Helper()
	if len(acks) != 1 || acks[0].Type != typ {
		t.Fatalf("want one %s, got %s", typ, ackTypes(acks))
	}
	return acks[0]
}

func ackTypes(acks []Ack) string {
	var s []string
	for _, a := range acks {
		s = append(s, a.Type)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// oneSet returns a 4010 or 5010 interchange with one PO group holding r.
func oneSet(release string, r *SetResult) (*Interchange, groupSets) {
	v := "00401"
	if release >= "005010" {
		v = "00501"
	}
	ic := ackInterchange(v)
	return ic, groupSets{ackGroup(ic, "PO", release, 1), []*SetResult{r}}
}

func rejected(errs ...error) *SetResult {
	return &SetResult{SetID: "850", ControlNumber: "0001", Status: SetRejected, Errors: errs}
}

// containsAll reports the wanted segments missing from x12.
func containsAll(t *testing.T, x12 []byte, want ...string) {
	t.Helper()
	for _, w := range want {
		if !bytes.Contains(x12, []byte(w)) {
			t.Errorf("missing %q in\n%s", w, x12)
		}
	}
}

// TestAckCodes has one row per AK304, AK403, AK502 and AK905 code the
// builder emits, in a 997 (4010 and 5010) and a 999.
func TestAckCodes(t *testing.T) {
	t.Parallel()
	seg := func(code string) error {
		return &SegmentError{SegmentID: "PO1", Position: 5, Code: code}
	}
	elem := func(code, data string) error {
		return &ElementError{SegmentID: "PO1", Position: 5, Element: 2, Ref: 330, Code: code, Data: data}
	}
	set := func(code string) error { return &SetError{Code: code, Segment: "SE", Position: 9} }
	grp := func(code string) *GroupError { return &GroupError{Code: code, Segment: "GE"} }
	tests := []struct {
		name    string
		release string
		errs    []error
		grpErrs []*GroupError
		want    []string
	}{
		{"AK304 1 unrecognized", "004010", []error{seg(AK3Unrecognized)}, nil, []string{"AK3*PO1*5**1~", "AK5*R*5~"}},
		{"AK304 2 unexpected", "004010", []error{seg(AK3Unexpected)}, nil, []string{"AK3*PO1*5**2~", "AK5*R*5~"}},
		{"AK304 3 missing", "004010", []error{&SegmentError{SegmentID: "BEG", Position: 2, Code: AK3Missing}}, nil, []string{"AK3*BEG*2**3~"}},
		{"AK304 4 loop over max", "004010", []error{&SegmentError{SegmentID: "N1", Position: 12, LoopID: "N1", Code: AK3LoopOverMax}}, nil, []string{"AK3*N1*12**4~"}},
		{"AK304 5 over max use", "004010", []error{seg(AK3OverMaxUse)}, nil, []string{"AK3*PO1*5**5~"}},
		{"AK304 6 not in set", "004010", []error{seg(AK3NotInSet)}, nil, []string{"AK3*PO1*5**6~"}},
		{"AK304 7 out of sequence", "004010", []error{seg(AK3OutOfSequence)}, nil, []string{"AK3*PO1*5**7~"}},
		{"AK304 8 element errors", "004010", []error{elem(AK4Missing, "")}, nil, []string{"AK3*PO1*5**8~", "AK4*2*330*1~", "AK5*R*5~"}},
		{"IK304 1 in a 999", "005010X231", []error{seg(AK3Unrecognized)}, nil, []string{"IK3*PO1*5**1~", "IK5*R*5~"}},
		{"AK403 1 missing", "004010", []error{elem(AK4Missing, "")}, nil, []string{"AK4*2*330*1~"}},
		{"AK403 2 conditional missing", "004010", []error{elem(AK4CondMissing, "")}, nil, []string{"AK4*2*330*2~"}},
		{"AK403 3 too many elements", "004010", []error{&ElementError{SegmentID: "PO1", Position: 5, Element: 26, Code: AK4TooMany, Data: "X"}}, nil, []string{"AK4*26**3*X~"}},
		{"AK403 4 too short", "004010", []error{elem(AK4TooShort, "1")}, nil, []string{"AK4*2*330*4*1~"}},
		{"AK403 5 too long", "004010", []error{elem(AK4TooLong, "1234567890123456")}, nil, []string{"AK4*2*330*5*1234567890123456~"}},
		{"AK403 6 bad character", "004010", []error{elem(AK4BadChar, "1O")}, nil, []string{"AK4*2*330*6*1O~"}},
		{"AK403 7 bad code", "004010", []error{elem(AK4BadCode, "XX")}, nil, []string{"AK4*2*330*7*XX~"}},
		{"AK403 8 bad date", "004010", []error{elem(AK4BadDate, "20261341")}, nil, []string{"AK4*2*330*8*20261341~"}},
		{"AK403 9 bad time", "004010", []error{elem(AK4BadTime, "2561")}, nil, []string{"AK4*2*330*9*2561~"}},
		{"AK403 10 exclusion", "004010", []error{elem(AK4Exclusion, "A")}, nil, []string{"AK4*2*330*10*A~"}},
		{"AK403 12 too many repeats", "005010", []error{&ElementError{SegmentID: "PO1", Position: 5, Element: 2, Repeat: 4, Ref: 330, Code: AK4TooManyRepeats}}, nil, []string{"IK4*2::4*330*12~"}},
		{"AK403 13 too many components", "005010", []error{&ElementError{SegmentID: "PO1", Position: 5, Element: 6, Component: 3, Ref: 235, Code: AK4TooManyComps, Data: "Z"}}, nil, []string{"IK4*6:3*235*13*Z~"}},
		{"AK502 1 not supported", "004010", []error{set(AK5NotSupported)}, nil, []string{"AK5*R*1~"}},
		{"AK502 2 trailer missing", "004010", []error{set(AK5TrailerMissing)}, nil, []string{"AK5*R*2~"}},
		{"AK502 3 control mismatch", "004010", []error{set(AK5ControlMismatch)}, nil, []string{"AK5*R*3~"}},
		{"AK502 4 count mismatch", "004010", []error{set(AK5CountMismatch)}, nil, []string{"AK5*R*4~"}},
		{"AK502 5 segments in error", "004010", []error{set(AK5SegmentsInError)}, nil, []string{"AK5*R*5~"}},
		{"AK502 6 bad set ID", "004010", []error{set(AK5BadSetID)}, nil, []string{"AK5*R*6~"}},
		{"AK502 7 bad control number", "004010", []error{set(AK5BadControlNumber)}, nil, []string{"AK5*R*7~"}},
		{"AK502 18 not in group", "005010", []error{set(AK5NotInGroup)}, nil, []string{"IK5*R*18~"}},
		{"AK502 23 control not unique", "004010", []error{set(AK5ControlNotUnique)}, nil, []string{"AK5*R*23~"}},
		{"AK502 set code then 5", "004010", []error{set(AK5CountMismatch), seg(AK3Unexpected)}, nil, []string{"AK5*R*4*5~"}},
		{"AK905 1 not supported", "004010", nil, []*GroupError{grp(AK9NotSupported)}, []string{"AK9*R*1*1*1*1~"}},
		{"AK905 2 version", "004010", nil, []*GroupError{grp(AK9VersionNotSupported)}, []string{"AK9*R*1*1*1*2~"}},
		{"AK905 3 trailer missing", "004010", nil, []*GroupError{grp(AK9TrailerMissing)}, []string{"AK9*R*1*1*1*3~"}},
		{"AK905 4 control mismatch", "004010", nil, []*GroupError{grp(AK9ControlMismatch)}, []string{"AK9*R*1*1*1*4~"}},
		{"AK905 5 count mismatch", "004010", nil, []*GroupError{grp(AK9CountMismatch)}, []string{"AK9*R*1*1*1*5~"}},
		{"AK905 6 bad control number", "004010", nil, []*GroupError{grp(AK9BadControlNumber)}, []string{"AK9*R*1*1*1*6~"}},
		{"AK905 19 control not unique", "005010", nil, []*GroupError{grp(AK9ControlNotUnique)}, []string{"AK9*R*1*1*1*19~"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &SetResult{SetID: "850", ControlNumber: "0001", Status: SetAccepted, Errors: tt.errs}
			if len(tt.errs) > 0 {
				r.Status = SetRejected
			}
			ic, gs := oneSet(tt.release, r)
			gs.g.Errors = tt.grpErrs
			typ := Ack997
			if tt.release >= "005010" {
				typ = Ack999
			}
			a := only(t, buildAcks(t, ic, nil, gs), typ)
			containsAll(t, a.X12, tt.want...)
		})
	}
}

// TestAckTA1Codes has one row per TA105 code the reader emits, plus the
// accepted and noted cases.
func TestAckTA1Codes(t *testing.T) {
	t.Parallel()
	codes := []string{
		TA1ControlMismatch, TA1StandardUnsupported, TA1VersionUnsupported, TA1BadTerminator,
		TA1BadSenderQualifier, TA1BadSenderID, TA1BadReceiverQual, TA1BadReceiverID, TA1UnknownReceiver,
		TA1BadAuthQualifier, TA1BadSecQualifier, TA1BadDate, TA1BadTime, TA1BadStandardsID, TA1BadVersion,
		TA1BadControlNumber, TA1BadAckRequested, TA1BadUsage, TA1BadGroupCount, TA1BadControlChars,
		TA1PrematureEnd, TA1BadContent, TA1Duplicate, TA1BadElementSep, TA1BadComponentSep,
	}
	type row struct {
		name string
		errs []*EnvelopeError
		want string
	}
	rows := []row{
		{"accepted", nil, "TA1*000000905*261126*1200*A*000~"},
		{"noted warning", []*EnvelopeError{{Code: TA1BadControlNumber, Severity: SeverityWarning}}, "TA1*000000905*261126*1200*E*018~"},
		{"first error wins over warnings", []*EnvelopeError{
			{Code: TA1BadContent, Severity: SeverityWarning},
			{Code: TA1BadGroupCount, Severity: SeverityError},
			{Code: TA1ControlMismatch, Severity: SeverityError},
		}, "TA1*000000905*261126*1200*R*021~"},
	}
	for _, c := range codes {
		rows = append(rows, row{"TA105 " + c, []*EnvelopeError{{Code: c, Severity: SeverityError}},
			"TA1*000000905*261126*1200*R*" + c + "~"})
	}
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic := ackInterchange("00401")
			ic.Errors = tt.errs
			acks := buildAcks(t, ic, &AckOpts{TA1: TA1PolicyAlways}, groupSets{ackGroup(ic, "PO", "004010", 1),
				[]*SetResult{{SetID: "850", ControlNumber: "0001"}}})
			if len(acks) == 0 || acks[0].Type != AckTA1 {
				t.Fatalf("want a TA1 first, got %s", ackTypes(acks))
			}
			want := "ISA*00*          *00*          *01*123456789      *ZZ*PARTNER        *261127*0930*U*00401*000000001*0*P*:~" +
				tt.want + "IEA*0*000000001~"
			if got := string(acks[0].X12); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestAckElementNotes covers AK401 composites, AK402 and AK404 handling.
func TestAckElementNotes(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("A", 150)
	tests := []struct {
		name    string
		release string
		e       *ElementError
		want    string
	}{
		{"5010 element and component", "005010", &ElementError{Element: 6, Component: 2, Ref: 235, Code: AK4BadCode, Data: "XX"}, "AK4*6:2*235*7*XX~"},
		{"5010 all three parts", "005010", &ElementError{Element: 6, Component: 2, Repeat: 3, Ref: 235, Code: AK4BadCode, Data: "XX"}, "AK4*6:2:3*235*7*XX~"},
		{"5010 repeat without component", "005010", &ElementError{Element: 2, Repeat: 1, Ref: 330, Code: AK4BadChar, Data: "x"}, "AK4*2::1*330*6*x~"},
		{"4010 drops the repeat", "004010", &ElementError{Element: 6, Component: 2, Repeat: 3, Ref: 235, Code: AK4BadCode, Data: "XX"}, "AK4*6:2*235*7*XX~"},
		{"4010 simple element", "004010", &ElementError{Element: 2, Ref: 330, Code: AK4Missing}, "AK4*2*330*1~"},
		{"no reference number", "004010", &ElementError{Element: 3, Code: AK4TooLong, Data: "ABC"}, "AK4*3**5*ABC~"},
		{"bad data cut to 99", "004010", &ElementError{Element: 2, Ref: 330, Code: AK4TooLong, Data: long}, "AK4*2*330*5*" + long[:99] + "~"},
		{"delimiters removed from bad data", "005010", &ElementError{Element: 2, Ref: 330, Code: AK4BadChar, Data: "A*B:C~D^E\nF"}, "AK4*2*330*6*ABCDEF~"},
		{"bad data of delimiters only is omitted", "004010", &ElementError{Element: 2, Ref: 330, Code: AK4BadChar, Data: "*~"}, "AK4*2*330*6~"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.e.SegmentID, tt.e.Position = "PO1", 5
			ic, gs := oneSet(tt.release, rejected(tt.e))
			acks := buildAcks(t, ic, &AckOpts{Type: Ack997}, gs)
			a := only(t, acks, Ack997)
			containsAll(t, a.X12, "AK3*PO1*5**8~", tt.want, "AK5*R*5~")
		})
	}
}

// TestAckSetLoops covers AK2/AK3/AK5 for each set status.
func TestAckSetLoops(t *testing.T) {
	t.Parallel()
	warnSeg := &SegmentError{SegmentID: "N1", Position: 3, LoopID: "N1", Code: AK3OutOfSequence, Severity: SeverityWarning}
	tests := []struct {
		name string
		r    *SetResult
		want string // the AK2 loop, segments joined
	}{
		{"accepted", &SetResult{SetID: "850", ControlNumber: "0001"}, "AK2*850*0001~AK5*A~"},
		{"warnings only are listed with E", &SetResult{SetID: "850", ControlNumber: "0001", Status: SetAcceptedWithErrors,
			Errors: []error{warnSeg}}, "AK2*850*0001~AK3*N1*3**7~AK5*E*5~"},
		{"trailer missing only", rejected(&SetError{Code: AK5TrailerMissing}), "AK2*850*0001~AK5*R*2~"},
		{"segment code wins over 8", rejected(
			&SegmentError{SegmentID: "PO1", Position: 5, Code: AK3OutOfSequence},
			&ElementError{SegmentID: "PO1", Position: 5, Element: 2, Ref: 330, Code: AK4Missing},
		), "AK2*850*0001~AK3*PO1*5**7~AK4*2*330*1~AK5*R*5~"},
		{"error severity segment code wins over a warning", rejected(
			warnSeg,
			&SegmentError{SegmentID: "N1", Position: 3, LoopID: "N1", Code: AK3OverMaxUse},
		), "AK2*850*0001~AK3*N1*3**5~AK5*R*5~"},
		{"findings grouped by segment in first-seen order", rejected(
			&ElementError{SegmentID: "PO1", Position: 7, Element: 3, Ref: 355, Code: AK4BadCode, Data: "ZZ"},
			&ElementError{SegmentID: "BEG", Position: 2, Element: 5, Ref: 373, Code: AK4BadDate, Data: "20261341"},
			&ElementError{SegmentID: "PO1", Position: 7, Element: 4, Ref: 212, Code: AK4BadChar, Data: "1,5"},
		), "AK2*850*0001~AK3*PO1*7**8~AK4*3*355*7*ZZ~AK4*4*212*6*1,5~AK3*BEG*2**8~AK4*5*373*8*20261341~AK5*R*5~"},
		{"at most five set codes, 5 kept", rejected(
			&SetError{Code: "1"}, &SetError{Code: "2"}, &SetError{Code: "3"}, &SetError{Code: "4"},
			&SetError{Code: "6"}, &SetError{Code: "7"}, &SetError{Code: "3"},
			&SegmentError{SegmentID: "PO1", Position: 5, Code: AK3Unexpected},
		), "AK2*850*0001~AK3*PO1*5**2~AK5*R*1*2*3*4*5~"},
		{"wrapped findings are found with errors.As", rejected(
			fmt.Errorf("partner rule: %w", &SegmentError{SegmentID: "REF", Position: 4, Code: AK3Missing}),
		), "AK2*850*0001~AK3*REF*4**3~AK5*R*5~"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic, gs := oneSet("004010", tt.r)
			a := only(t, buildAcks(t, ic, nil, gs), Ack997)
			containsAll(t, a.X12, "AK1*PO*77~"+tt.want+"AK9*")
		})
	}
}

// TestAckGroupCodes covers AK901–AK909.
func TestAckGroupCodes(t *testing.T) {
	t.Parallel()
	accepted := &SetResult{SetID: "850", ControlNumber: "0001"}
	noted := &SetResult{SetID: "850", ControlNumber: "0002", Status: SetAcceptedWithErrors}
	rej := &SetResult{SetID: "850", ControlNumber: "0003", Status: SetRejected, Errors: []error{&SetError{Code: AK5CountMismatch}}}
	ge := func(code string, sev Severity) *GroupError { return &GroupError{Code: code, Severity: sev} }
	tests := []struct {
		name    string
		sets    []*SetResult
		edit    func(g *Group)
		wantAK9 string
	}{
		{"all accepted", []*SetResult{accepted, accepted}, nil, "AK9*A*2*2*2~"},
		{"errors noted", []*SetResult{accepted, noted}, nil, "AK9*E*2*2*2~"},
		{"partially accepted", []*SetResult{accepted, noted, rej}, nil, "AK9*P*3*3*2~"},
		{"none accepted", []*SetResult{rej, rej}, nil, "AK9*R*2*2*0~"},
		{"group error rejects, sets still counted", []*SetResult{accepted}, func(g *Group) {
			g.TrailerControl = "78"
			g.Errors = []*GroupError{ge(AK9ControlMismatch, SeverityError)}
		}, "AK9*R*1*1*1*4~"},
		{"GE missing: AK902 is the count read", []*SetResult{accepted, accepted}, func(g *Group) {
			g.TrailerCount, g.TrailerControl = "", ""
			g.Errors = []*GroupError{ge(AK9TrailerMissing, SeverityError)}
		}, "AK9*R*2*2*2*3~"},
		{"GE01 as received", []*SetResult{accepted, accepted}, func(g *Group) {
			g.TrailerCount = "3"
			g.Errors = []*GroupError{ge(AK9CountMismatch, SeverityError)}
		}, "AK9*R*3*2*2*5~"},
		{"group warning only: E with its code", []*SetResult{accepted}, func(g *Group) {
			g.Errors = []*GroupError{ge(AK9ControlMismatch, SeverityWarning)}
		}, "AK9*E*1*1*1*4~"},
		{"errors before warnings, at most five", []*SetResult{accepted}, func(g *Group) {
			g.Errors = []*GroupError{
				ge(AK9NotSupported, SeverityWarning), ge(AK9VersionNotSupported, SeverityError),
				ge(AK9TrailerMissing, SeverityError), ge(AK9ControlMismatch, SeverityError),
				ge(AK9CountMismatch, SeverityError), ge(AK9BadControlNumber, SeverityError),
			}
		}, "AK9*R*1*1*1*2*3*4*5*6~"},
		{"a set not added counts as received, not accepted", []*SetResult{accepted}, func(g *Group) {
			g.Transactions, g.TrailerCount = 2, "2"
		}, "AK9*P*2*2*1~"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic := ackInterchange("00401")
			g := ackGroup(ic, "PO", "004010", len(tt.sets))
			if tt.edit != nil {
				tt.edit(g)
			}
			a := only(t, buildAcks(t, ic, nil, groupSets{g, tt.sets}), Ack997)
			containsAll(t, a.X12, tt.wantAK9)
		})
	}
}

// TestAckEnvelope checks whole acknowledgments: the envelope mirrored with
// swapped IDs and qualifiers, the received version and delimiters.
func TestAckEnvelope(t *testing.T) {
	t.Parallel()
	finding := &ElementError{SegmentID: "PO1", Position: 5, Element: 6, Component: 2, Repeat: 3, Ref: 235, Code: AK4BadCode, Data: "XX"}
	tests := []struct {
		name    string
		version string
		d       Delimiters
		gs08    string
		opts    *AckOpts
		want    string
	}{
		{"4010 997 with exotic delimiters", "00401", Delimiters{Element: '|', Component: '^', Terminator: "\n"}, "004010VICS", &AckOpts{Usage: "T"},
			"ISA|00|          |00|          |01|123456789      |ZZ|PARTNER        |261127|0930|U|00401|000000001|0|T|^\n" +
				"GS|FA|OURAPP|PARTNERAPP|20261127|0930|1|X|004010\n" +
				"ST|997|0001\n" +
				"AK1|PO|77\n" +
				"AK2|850|0001\n" +
				"AK3|PO1|5||8\n" +
				"AK4|6^2|235|7|XX\n" +
				"AK5|R|5\n" +
				"AK9|R|1|1|0\n" +
				"SE|8|0001\n" +
				"GE|1|1\n" +
				"IEA|1|000000001\n"},
		{"5010 999 with repetition separator", "00501", Delimiters{Element: '*', Component: ':', Repetition: '!', Terminator: "~"}, "005010", nil,
			"ISA*00*          *00*          *01*123456789      *ZZ*PARTNER        *261127*0930*!*00501*000000001*0*P*:~" +
				"GS*FA*OURAPP*PARTNERAPP*20261127*0930*1*X*005010X231A1~" +
				"ST*999*0001*005010X231A1~" +
				"AK1*PO*77*005010~" +
				"AK2*850*0001*X-PO~" +
				"IK3*PO1*5**8~" +
				"IK4*6:2:3*235*7*XX~" +
				"IK5*R*5~" +
				"AK9*R*1*1*0~" +
				"SE*8*0001~" +
				"GE*1*1~" +
				"IEA*1*000000001~"},
		{"5010 997 carries AK103 and AK203", "00501", Delimiters{Element: '~', Component: '>', Repetition: '^', Terminator: "|"}, "005010VICS", &AckOpts{Type: Ack997},
			"ISA~00~          ~00~          ~01~123456789      ~ZZ~PARTNER        ~261127~0930~^~00501~000000001~0~P~>|" +
				"GS~FA~OURAPP~PARTNERAPP~20261127~0930~1~X~005010|" +
				"ST~997~0001|" +
				"AK1~PO~77~005010VICS|" +
				"AK2~850~0001~X-PO|" +
				"AK3~PO1~5~~8|" +
				"AK4~6>2>3~235~7~XX|" +
				"AK5~R~5|" +
				"AK9~R~1~1~0|" +
				"SE~8~0001|" +
				"GE~1~1|" +
				"IEA~1~000000001|"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic := ackInterchange(tt.version)
			ic.Delimiters = tt.d
			if tt.d.Repetition != 0 {
				ic.StandardsID = string(tt.d.Repetition)
			}
			r := rejected(finding)
			r.ImplementationRef = "X-PO"
			acks := buildAcks(t, ic, tt.opts, groupSets{ackGroup(ic, "PO", tt.gs08, 1), []*SetResult{r}})
			if len(acks) != 1 {
				t.Fatalf("want one ack, got %s", ackTypes(acks))
			}
			if got := string(acks[0].X12); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestAckType checks the choice between 997 and 999, and the versions written.
func TestAckType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, isa12, gs08, opt, want, wantGS08, wantISA12 string
	}{
		{"auto 4010", "00401", "004010VICS", "", Ack997, "004010", "00401"},
		{"auto 4060", "00400", "004060", AckAuto, Ack997, "004060", "00400"},
		{"auto 5010", "00501", "005010", "", Ack999, Implementation999, "00501"},
		{"auto 5010 under a 4010 ISA", "00401", "005010VICS", "", Ack999, Implementation999, "00401"},
		{"auto without a usable GS08 uses ISA12", "00501", "", "", Ack999, Implementation999, "00501"},
		{"nothing usable falls back to 4010", "00000", "X", "", Ack997, "004010", "00401"},
		{"997 forced for 5010", "00501", "005010", Ack997, Ack997, "005010", "00501"},
		{"999 forced for 4010", "00401", "004010", Ack999, Ack999, Implementation999, "00401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic := ackInterchange(tt.isa12)
			gs := groupSets{ackGroup(ic, "PO", tt.gs08, 1), []*SetResult{{SetID: "850", ControlNumber: "0001"}}}
			a := only(t, buildAcks(t, ic, &AckOpts{Type: tt.opt}, gs), tt.want)
			containsAll(t, a.X12, "*"+tt.wantISA12+"*000000001*", "*X*"+tt.wantGS08+"~", "ST*"+tt.want+"*0001")
		})
	}
}

// TestAckTA1Policy checks when a TA1 and when a 997 is written.
func TestAckTA1Policy(t *testing.T) {
	t.Parallel()
	envErr := &EnvelopeError{Code: TA1ControlMismatch, Severity: SeverityError, Segment: "IEA"}
	envWarn := &EnvelopeError{Code: TA1ControlMismatch, Severity: SeverityWarning, Segment: "IEA"}
	tests := []struct {
		name    string
		policy  string
		isa14   string
		errs    []*EnvelopeError
		want    string // ack types in order
		wantTA1 string
	}{
		{"always, clean", TA1PolicyAlways, "0", nil, "[TA1 997]", "TA1*000000905*261126*1200*A*000~"},
		{"always, warning", TA1PolicyAlways, "0", []*EnvelopeError{envWarn}, "[TA1 997]", "TA1*000000905*261126*1200*E*001~"},
		{"on_request, ISA14 = 1", TA1PolicyOnRequest, "1", nil, "[TA1 997]", "TA1*000000905*261126*1200*A*000~"},
		{"on_request by default", "", "1", nil, "[TA1 997]", "TA1*000000905*261126*1200*A*000~"},
		{"on_request, ISA14 = 0", TA1PolicyOnRequest, "0", nil, "[997]", ""},
		{"on_request, warning only", TA1PolicyOnRequest, "0", []*EnvelopeError{envWarn}, "[997]", ""},
		{"on_request, envelope error: only the TA1", TA1PolicyOnRequest, "0", []*EnvelopeError{envErr}, "[TA1]", "TA1*000000905*261126*1200*R*001~"},
		{"never, ISA14 = 1", TA1PolicyNever, "1", nil, "[997]", ""},
		{"never, envelope error: nothing", TA1PolicyNever, "0", []*EnvelopeError{envErr}, "[]", ""},
		{"type none, always: the TA1 alone", TA1PolicyAlways, "0", nil, "[TA1]", "TA1*000000905*261126*1200*A*000~"},
		{"type none, on_request, ISA14 = 0: nothing", TA1PolicyOnRequest, "0", nil, "[]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic := ackInterchange("00401")
			ic.AckRequested = tt.isa14
			g := ackGroup(ic, "PO", "004010", 1)
			var body bytes.Buffer
			opts := &AckOpts{TA1: tt.policy, Now: ackNow}
			if strings.HasPrefix(tt.name, "type none") {
				opts.Type = AckNone
			}
			b := NewAckBuilder(ic, opts, &body)
			mustAck(t, b.BeginGroup(g), b.AddSet(&SetResult{SetID: "850", ControlNumber: "0001"}), b.EndGroup(g))
			ic.Errors = tt.errs // IEA findings arrive at the end of the interchange
			acks, err := b.Finish(&body)
			if err != nil {
				t.Fatal(err)
			}
			if got := ackTypes(acks); got != tt.want {
				t.Fatalf("acks %s, want %s", got, tt.want)
			}
			if tt.wantTA1 != "" {
				containsAll(t, acks[0].X12, tt.wantTA1, "IEA*0*000000001~")
			}
		})
	}
}

func mustAck(t *testing.T, errs ...error) {
	t.Helper()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// TestAckNoAckForAcks checks that 997, 999 and TA1 are never acknowledged.
func TestAckNoAckForAcks(t *testing.T) {
	t.Parallel()
	t.Run("FA group", func(t *testing.T) {
		t.Parallel()
		ic := ackInterchange("00401")
		ic.AckRequested = "1"
		g := ackGroup(ic, "FA", "004010", 1)
		var body bytes.Buffer
		b := NewAckBuilder(ic, &AckOpts{TA1: TA1PolicyAlways, Now: ackNow}, &body)
		mustAck(t, b.BeginGroup(g))
		if b.Acknowledging() {
			t.Error("Acknowledging() = true for a GS01 FA group")
		}
		mustAck(t, b.AddSet(&SetResult{SetID: "997", ControlNumber: "0001"}), b.EndGroup(g))
		acks, err := b.Finish(&body)
		if err != nil || len(acks) != 0 || body.Len() != 0 {
			t.Errorf("acks %s, body %q, err %v; want nothing", ackTypes(acks), body.String(), err)
		}
	})
	t.Run("997 set in a PO group", func(t *testing.T) {
		t.Parallel()
		ic := ackInterchange("00401")
		g := ackGroup(ic, "PO", "004010", 2)
		a := only(t, buildAcks(t, ic, nil, groupSets{g, []*SetResult{
			{SetID: "997", ControlNumber: "0001"}, {SetID: "850", ControlNumber: "0002"},
		}}), Ack997)
		if bytes.Contains(a.X12, []byte("AK2*997")) {
			t.Errorf("the 997 set was acknowledged:\n%s", a.X12)
		}
		containsAll(t, a.X12, "AK2*850*0002~AK5*A~AK9*P*2*2*1~")
	})
	t.Run("TA1-only interchange", func(t *testing.T) {
		t.Parallel()
		ic := ackInterchange("00401")
		ic.AckRequested, ic.Groups, ic.TrailerGroups = "1", 0, "0"
		ic.TA1 = []TA1{{ControlNumber: "000000001", Date: "261126", Time: "1100", Ack: "A", Note: "000"}}
		if acks := buildAcks(t, ic, &AckOpts{TA1: TA1PolicyAlways}); len(acks) != 0 {
			t.Errorf("acks %s for a TA1-only interchange, want none", ackTypes(acks))
		}
	})
	t.Run("empty interchange still gets its TA1", func(t *testing.T) {
		t.Parallel()
		ic := ackInterchange("00401")
		ic.Groups, ic.TrailerGroups = 0, "0"
		only(t, buildAcks(t, ic, &AckOpts{TA1: TA1PolicyAlways}), AckTA1)
	})
}

// TestAckRejectedInterchange checks that a rejected interchange gets its TA1
// and no 997, whenever the rejection is found.
func TestAckRejectedInterchange(t *testing.T) {
	t.Parallel()
	for _, early := range []bool{true, false} {
		t.Run(fmt.Sprintf("found at start %v", early), func(t *testing.T) {
			t.Parallel()
			ic := ackInterchange("00401")
			isaErr := &EnvelopeError{Code: TA1BadDate, Severity: SeverityError, Segment: "ISA"}
			if early {
				ic.Errors = []*EnvelopeError{isaErr}
			}
			g := ackGroup(ic, "PO", "004010", 1)
			var body bytes.Buffer
			b := NewAckBuilder(ic, &AckOpts{Now: ackNow}, &body)
			mustAck(t, b.BeginGroup(g))
			if b.Acknowledging() == early {
				t.Errorf("Acknowledging() = %v", b.Acknowledging())
			}
			mustAck(t, b.AddSet(&SetResult{SetID: "850", ControlNumber: "0001"}), b.EndGroup(g))
			ic.Errors = []*EnvelopeError{isaErr}
			acks, err := b.Finish(&body)
			if err != nil {
				t.Fatal(err)
			}
			a := only(t, acks, AckTA1)
			containsAll(t, a.X12, "TA1*000000905*261126*1200*R*014~IEA*0*")
		})
	}
}

// TestAckControlNumbers checks the supplied sequence, padding, FA grouping
// and the ranges of FinishTo.
func TestAckControlNumbers(t *testing.T) {
	t.Parallel()
	next := map[string]int{ControlInterchange: 41, ControlGroup: 7, ControlSet: 12}
	var asked []string
	control := func(kind string) string {
		asked = append(asked, kind)
		next[kind]++
		return strconv.Itoa(next[kind] - 1)
	}
	ic := ackInterchange("00401")
	ic.AckRequested, ic.Groups = "1", 3
	g1 := ackGroup(ic, "PO", "004010", 1)
	g2 := ackGroup(ic, "PO", "004010", 1)
	g2.ControlNumber, g2.TrailerControl = "78", "78"
	g3 := ackGroup(ic, "SH", "004010", 1)
	g3.Sender, g3.ControlNumber, g3.TrailerControl = "WAREHOUSE", "79", "79"
	ok := []*SetResult{{SetID: "850", ControlNumber: "0001"}}
	var body, out bytes.Buffer
	b := NewAckBuilder(ic, &AckOpts{Control: control, Now: ackNow}, &body)
	for _, g := range []*Group{g1, g2, g3} {
		mustAck(t, b.BeginGroup(g), b.AddSet(ok[0]), b.EndGroup(g))
	}
	acks, err := b.FinishTo(&out, &body)
	if err != nil {
		t.Fatal(err)
	}
	if got := ackTypes(acks); got != "[TA1 997]" {
		t.Fatalf("acks %s", got)
	}
	want := []Ack{
		{Type: AckTA1, ControlNumber: "000000041", Offset: 0, Size: acks[0].Size},
		{Type: Ack997, ControlNumber: "000000042", GroupControls: []string{"7", "8"}, SetControls: []string{"0012", "0013", "0014"},
			Offset: acks[0].Size, Size: int64(out.Len()) - acks[0].Size},
	}
	if !reflect.DeepEqual(acks, want) {
		t.Errorf("acks\n%+v\nwant\n%+v", acks, want)
	}
	x := out.String()
	for _, w := range []string{
		"*000000041*0*P*:~TA1*000000905*", "IEA*0*000000041~",
		"GS*FA*OURAPP*PARTNERAPP*20261127*0930*7*X*004010~ST*997*0012~",
		"SE*6*0013~GE*2*7~GS*FA*OURAPP*WAREHOUSE*20261127*0930*8*X*004010~ST*997*0014~",
		"GE*1*8~IEA*2*000000042~",
	} {
		if !strings.Contains(x, w) {
			t.Errorf("missing %q in\n%s", w, x)
		}
	}
	if got := strings.Join(asked, ","); got != "set,set,set,interchange,interchange,group,group" {
		t.Errorf("Control asked for %s", got)
	}
	if !strings.HasPrefix(x[acks[1].Offset:], "ISA*") || !strings.HasSuffix(x[:acks[0].Size], "IEA*0*000000041~") {
		t.Errorf("ranges %+v do not delimit the interchanges of\n%s", acks, x)
	}
}

// TestAckControlErrors checks that bad control numbers and options are
// reported, and that errors are sticky.
func TestAckControlErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts AckOpts
		want string
	}{
		{"ISA13 not a number", AckOpts{Control: controls("1", "X1", "1")}, `Control("interchange") returned "X1"`},
		{"ISA13 too long", AckOpts{Control: controls("1", "1234567890", "1")}, `Control("interchange") returned "1234567890"`},
		{"ST02 too long", AckOpts{Control: controls("1234567890", "1", "1")}, `Control("set") returned "1234567890"`},
		{"ST02 too short", AckOpts{Control: controls("AB", "1", "1")}, `Control("set") returned "AB"`},
		{"ST02 not alphanumeric", AckOpts{Control: controls("00-1", "1", "1")}, `Control("set") returned "00-1"`},
		{"GS06 not a number", AckOpts{Control: controls("1", "1", "G")}, `Control("group") returned "G"`},
		{"bad type", AckOpts{Type: "998"}, "AckOpts.Type"},
		{"bad policy", AckOpts{TA1: "sometimes"}, "AckOpts.TA1"},
		{"bad usage", AckOpts{Usage: "X"}, "AckOpts.Usage"},
		{"bad delimiters", AckOpts{Delimiters: Delimiters{Element: '*', Component: '*', Terminator: "~"}}, "AckOpts.Delimiters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic := ackInterchange("00401")
			_, err := tryAcks(ic, &tt.opts, groupSets{ackGroup(ic, "PO", "004010", 1), []*SetResult{{SetID: "850", ControlNumber: "0001"}}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	t.Run("out of order", func(t *testing.T) {
		t.Parallel()
		ic := ackInterchange("00401")
		var body bytes.Buffer
		b := NewAckBuilder(ic, nil, &body)
		if err := b.AddSet(&SetResult{}); !errors.Is(err, ErrAckState) {
			t.Errorf("AddSet outside a group: %v", err)
		}
		if _, err := b.Finish(&body); !errors.Is(err, ErrAckState) {
			t.Errorf("Finish after a failed call: %v, want the sticky error", err)
		}
	})
}

// controls returns a Control func answering the same set, interchange and
// group numbers every time.
func controls(set, interchange, group string) func(string) string {
	return func(kind string) string {
		return map[string]string{ControlSet: set, ControlInterchange: interchange, ControlGroup: group}[kind]
	}
}

// TestAckUnreadableISA checks that nothing is addressed to an interchange
// whose ISA could not be read.
func TestAckUnreadableISA(t *testing.T) {
	t.Parallel()
	ic := &Interchange{Errors: []*EnvelopeError{{Code: TA1BadElementSep, Segment: "ISA"}}}
	if acks := buildAcks(t, ic, &AckOpts{TA1: TA1PolicyAlways}); len(acks) != 0 {
		t.Errorf("acks %s, want none", ackTypes(acks))
	}
}

// readAll reads every interchange of x12 and returns the interchanges and
// functional acknowledgments found, failing on any envelope finding when
// strict.
func readAcks(t *testing.T, x12 []byte, strict bool) ([]*Interchange, []*FunctionalAck) {
	t.Helper()
	rd := NewReader(bytes.NewReader(x12), nil)
	var ics []*Interchange
	var fas []*FunctionalAck
	for {
		ev, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return ics, fas
		}
		if err != nil {
			t.Fatal(err)
		}
		switch ev.Kind {
		case InterchangeEnd:
			ics = append(ics, ev.Interchange)
			if strict && len(ev.Interchange.Errors) > 0 {
				t.Errorf("envelope findings %v in\n%s", ev.Interchange.Errors, x12)
			}
		case GroupEnd:
			if strict && len(ev.Group.Errors) > 0 {
				t.Errorf("group findings %v in\n%s", ev.Group.Errors, x12)
			}
		case TransactionSet:
			if strict && len(ev.Transaction.Errors) > 0 {
				t.Errorf("set findings %v in\n%s", ev.Transaction.Errors, x12)
			}
			fa, err := ReadFunctionalAck(ev.Transaction)
			if strict && err != nil {
				t.Errorf("ReadFunctionalAck: %v", err)
			}
			fas = append(fas, fa)
		case Garbage:
			t.Errorf("garbage %v", ev.Err)
		}
	}
}

// TestAckRoundTrip reads back every kind of ack the builder writes.
func TestAckRoundTrip(t *testing.T) {
	t.Parallel()
	sets := []*SetResult{
		{SetID: "850", ControlNumber: "0001", ImplementationRef: "X-PO"},
		{SetID: "850", ControlNumber: "0002", Status: SetAcceptedWithErrors, Errors: []error{
			&SegmentError{SegmentID: "N1", Position: 6, LoopID: "N1", Code: AK3OutOfSequence, Severity: SeverityWarning},
		}},
		{SetID: "850", ControlNumber: "0003", Status: SetRejected, Errors: []error{
			&SetError{Code: AK5CountMismatch},
			&ElementError{SegmentID: "PO1", Position: 5, Element: 6, Component: 2, Repeat: 3, Ref: 235, Code: AK4BadCode, Data: "XX"},
			&ElementError{SegmentID: "PO1", Position: 5, Element: 2, Ref: 330, Code: AK4Missing},
			&SegmentError{SegmentID: "ZZZ", Position: 7, Code: AK3Unrecognized},
		}},
	}
	want := func(v5010 bool, release string) *FunctionalAck {
		po1 := SegmentNote{SegmentID: "PO1", Position: 5, Code: "8", Elements: []ElementNote{
			{Position: 6, Component: 2, Repeat: 3, Ref: 235, Code: "7", Data: "XX"},
			{Position: 2, Ref: 330, Code: "1"},
		}}
		fa := &FunctionalAck{
			GroupFunctionalID: "PO", GroupControl: "77",
			Sets: []SetAck{
				{SetID: "850", ControlNumber: "0001", Code: "A"},
				{SetID: "850", ControlNumber: "0002", Code: "E", SetErrors: []string{"5"},
					Segments: []SegmentNote{{SegmentID: "N1", Position: 6, Code: "7"}}},
				{SetID: "850", ControlNumber: "0003", Code: "R", SetErrors: []string{"4", "5"},
					Segments: []SegmentNote{po1, {SegmentID: "ZZZ", Position: 7, Code: "1"}}},
			},
			GroupCode: "P", Included: 3, Received: 3, Accepted: 2,
		}
		if v5010 {
			fa.GroupVersion, fa.Sets[0].ImplementationRef = release, "X-PO"
		} else {
			fa.Sets[2].Segments[0].Elements[0].Repeat = 0
		}
		return fa
	}
	tests := []struct {
		name     string
		version  string
		d        Delimiters
		gs08     string
		typ      string
		wantFA   *FunctionalAck
		wantType string
	}{
		{"4010 997", "00401", Delimiters{Element: '*', Component: '>', Terminator: "~"}, "004010", "", want(false, ""), Ack997},
		{"5010 997", "00501", Delimiters{Element: '*', Component: ':', Repetition: '^', Terminator: "~"}, "005010", Ack997, want(true, "005010"), Ack997},
		{"5010 999 exotic", "00501", Delimiters{Element: '|', Component: '^', Repetition: '{', Terminator: "\n"}, "005010", "", want(true, "005010"), Ack999},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic := ackInterchange(tt.version)
			ic.Delimiters, ic.AckRequested = tt.d, "1"
			if tt.d.Repetition != 0 {
				ic.StandardsID = string(tt.d.Repetition)
			}
			acks := buildAcks(t, ic, &AckOpts{Type: tt.typ}, groupSets{ackGroup(ic, "PO", tt.gs08, 3), sets})
			if got := ackTypes(acks); got != "[TA1 "+tt.wantType+"]" {
				t.Fatalf("acks %s", got)
			}
			ics, _ := readAcks(t, acks[0].X12, true)
			if len(ics) != 1 || len(ics[0].TA1) != 1 || !ics[0].TA1[0].Accepted() || ics[0].TA1[0].NoteCode() != "000" {
				t.Errorf("TA1 read back as %+v", ics)
			}
			ics, fas := readAcks(t, acks[1].X12, true)
			if len(ics) != 1 || ics[0].SenderID != "123456789" || ics[0].ReceiverQualifier != "ZZ" || ics[0].Delimiters != tt.d {
				t.Errorf("envelope read back as %+v", ics[0])
			}
			tt.wantFA.Type = tt.wantType
			if len(fas) != 1 || !reflect.DeepEqual(fas[0], tt.wantFA) {
				t.Errorf("read back\n%+v\nwant\n%+v", fas[0], tt.wantFA)
			}
		})
	}
}

// corpusDir returns a corpus folder, skipping the test when it is absent.
func corpusDir(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "x12", name)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus folder %s not available: %v", dir, err)
	}
	return dir
}

// readCorpus reads one corpus file leniently.
func readCorpus(t *testing.T, dir, file string) ([]*Interchange, []*FunctionalAck) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	return readAcks(t, data, false)
}

// TestReadFunctionalAckCorpus asserts facts read from the real 997s and 999s.
func TestReadFunctionalAckCorpus(t *testing.T) {
	t.Parallel()
	d997, d999 := corpusDir(t, "997"), corpusDir(t, "999")
	t.Run("pyx12 997 AK3/AK4", func(t *testing.T) {
		t.Parallel()
		_, fas := readCorpus(t, d997, "pyx12-997-ak3-ak4-errors.edi")
		fa := fas[0]
		if fa.Type != "997" || fa.GroupFunctionalID != "HC" || fa.GroupControl != "56" || len(fa.Sets) != 1 {
			t.Fatalf("read %+v", fa)
		}
		s := fa.Sets[0]
		if s.ControlNumber != "000000001" || s.Code != "R" || !reflect.DeepEqual(s.SetErrors, []string{"4", "5"}) || len(s.Segments) != 6 {
			t.Errorf("set %+v", s)
		}
		clm := s.Segments[5]
		want := SegmentNote{SegmentID: "CLM", Position: 23, Code: "8", Elements: []ElementNote{{Position: 5, Component: 1, Ref: 1331, Code: "7", Data: "95"}}}
		if !reflect.DeepEqual(clm, want) {
			t.Errorf("CLM note %+v, want %+v", clm, want)
		}
		if n := s.Segments[3]; n.SegmentID != "NM1" || n.Position != 15 || len(n.Elements) != 2 || n.Elements[0].Code != "5" || n.Elements[0].Data != "MIM" {
			t.Errorf("NM1 note %+v", n)
		}
		if fa.GroupCode != "R" || fa.Included != 1 || fa.Received != 1 || fa.Accepted != 0 {
			t.Errorf("AK9 %s %d %d %d", fa.GroupCode, fa.Included, fa.Received, fa.Accepted)
		}
	})
	t.Run("pyx12 997 with a TA1", func(t *testing.T) {
		t.Parallel()
		ics, fas := readCorpus(t, d997, "pyx12-997-with-ta1.edi")
		ta1 := TA1{ControlNumber: "000484950", Date: "040820", Time: "1133", Ack: "R", Note: "018"}
		if len(ics[0].TA1) != 1 || ics[0].TA1[0] != ta1 || ics[0].TA1[0].Accepted() {
			t.Errorf("TA1 %+v", ics[0].TA1)
		}
		fa := fas[0]
		if fa.GroupCode != "R" || fa.Accepted != 1 || !reflect.DeepEqual(fa.GroupErrors, []string{"4"}) {
			t.Errorf("AK9 %+v", fa)
		}
		if len(fa.Sets) != 2 || fa.Sets[0].Accepted() || !fa.Sets[1].Accepted() || fa.Sets[0].SetErrors[0] != "4" {
			t.Errorf("sets %+v", fa.Sets)
		}
	})
	t.Run("997 with AK1/AK9 only", func(t *testing.T) {
		t.Parallel()
		_, fas := readCorpus(t, d997, "gtlogistics-997-4010-backtick.edi")
		if fa := fas[0]; fa.GroupFunctionalID != "SM" || fa.GroupControl != "1" || len(fa.Sets) != 0 || fa.GroupCode != "A" || fa.Accepted != 1 {
			t.Errorf("read %+v", fa)
		}
	})
	t.Run("staedi 999 IK3/IK4/CTX", func(t *testing.T) {
		t.Parallel()
		_, fas := readCorpus(t, d999, "staedi-999-ik3-ik4-ctx.edi")
		fa := fas[0]
		if fa.Type != "999" || fa.GroupVersion != "005010X222" || fa.GroupCode != "P" || fa.Included != 3 || fa.Received != 3 || fa.Accepted != 1 {
			t.Errorf("AK1/AK9 %+v", fa)
		}
		if len(fa.Sets) != 3 {
			t.Fatalf("sets %+v", fa.Sets)
		}
		clm := fa.Sets[1].Segments[0]
		wantCLM := SegmentNote{SegmentID: "CLM", Position: 22, Code: "8",
			Context:  []ContextNote{{IDs: []ContextID{{Name: "CLM01", Reference: "123456789"}}}},
			Elements: []ElementNote{{Position: 2, Ref: 782, Code: "1"}}}
		if !reflect.DeepEqual(clm, wantCLM) {
			t.Errorf("CLM note %+v, want %+v", clm, wantCLM)
		}
		ref := fa.Sets[2].Segments[0]
		wantCtx := ContextNote{
			IDs:       []ContextID{{Name: "SITUATIONAL TRIGGER"}, {Name: "SITUATIONAL TRIGGER", Reference: "2"}, {Name: "SITUATIONAL TRIGGER", Reference: "3"}},
			SegmentID: "CLM", Position: 43, Element: 5, Component: 3, Ref: "1325",
		}
		if ref.SegmentID != "REF" || ref.Code != "3" || len(ref.Context) != 2 || !reflect.DeepEqual(ref.Context[0], wantCtx) {
			t.Errorf("REF note %+v, want context %+v", ref, wantCtx)
		}
	})
	t.Run("999 with ISA16 pipe", func(t *testing.T) {
		t.Parallel()
		ics, fas := readCorpus(t, d999, "imsweb-999-rejected-isa16-pipe.edi")
		s := fas[0].Sets[0]
		if ics[0].Delimiters.Component != '|' || s.Code != "R" || len(s.Segments) != 1 || s.Segments[0].SegmentID != "NM" || s.Segments[0].Code != "1" {
			t.Errorf("read %+v", fas[0])
		}
	})
	t.Run("999 multi-group", func(t *testing.T) {
		t.Parallel()
		_, fas := readCorpus(t, d999, "pyx12-999-multi-gs.edi")
		if len(fas) != 4 {
			t.Fatalf("%d functional acks, want 4", len(fas))
		}
		for _, fa := range fas {
			if fa.GroupFunctionalID != "BE" || len(fa.Sets) != 1 || fa.Sets[0].ImplementationRef != "005010X220A1" || !fa.Sets[0].Accepted() {
				t.Errorf("read %+v", fa)
			}
		}
	})
	t.Run("invalid acks are read with problems", func(t *testing.T) {
		t.Parallel()
		for _, f := range []struct{ dir, file, want string }{
			{d999, "staedi-999-invalid.edi", `IK5 at position 2: outside an AK2 loop`},
			{d999, "staedi-999-invalid.edi", `IK501 "Q" is not one of`},
			{d999, "staedi-999-invalid.edi", `AK2 at position 4: 5 elements; AK2 defines 3`},
			{d997, "staedi-997-repetition-sep.edi", `AK302 "AK302-R1^AK302-R2^AK302-R3-COMP1:AK302-R3-COMP2" is not a number`},
			{d997, "staedi-997-invalid.edi", `AK402 "66 NON NUMERIC" is not a number`},
		} {
			data, err := os.ReadFile(filepath.Join(f.dir, f.file))
			if err != nil {
				t.Fatal(err)
			}
			rd := NewReader(bytes.NewReader(data), nil)
			for {
				ev, err := rd.Next()
				if err != nil {
					break
				}
				if ev.Kind != TransactionSet {
					continue
				}
				fa, err := ReadFunctionalAck(ev.Transaction)
				if fa == nil || !errors.Is(err, ErrBadAck) || !strings.Contains(err.Error(), f.want) {
					t.Errorf("%s: error %v, want %q", f.file, err, f.want)
				}
			}
		}
	})
	t.Run("every other corpus ack reads cleanly", func(t *testing.T) {
		t.Parallel()
		for _, dir := range []string{d997, d999} {
			files, _ := filepath.Glob(filepath.Join(dir, "*.edi"))
			for _, f := range files {
				if strings.Contains(f, "invalid") || strings.Contains(f, "repetition-sep") {
					continue
				}
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				rd := NewReader(bytes.NewReader(data), nil)
				n := 0
				for {
					ev, err := rd.Next()
					if err != nil {
						break
					}
					if ev.Kind == TransactionSet {
						n++
						if _, err := ReadFunctionalAck(ev.Transaction); err != nil {
							t.Errorf("%s: %v", filepath.Base(f), err)
						}
					}
				}
				if n == 0 {
					t.Errorf("%s: no transaction set read", filepath.Base(f))
				}
			}
		}
	})
}

// ackTransaction builds a transaction from "ST*…~AK1*…~…" text.
func ackTransaction(text string) *Transaction {
	d := &Delimiters{Element: '*', Component: ':', Repetition: '^', Terminator: "~"}
	t := &Transaction{}
	for i, raw := range strings.Split(strings.TrimSuffix(text, "~"), "~") {
		seg := ParseSegment(d, []byte(raw))
		seg.Position = i + 1
		t.Segments = append(t.Segments, seg)
	}
	t.SetID, t.ControlNumber = t.Segments[0].Value(1), t.Segments[0].Value(2)
	return t
}

// TestReadFunctionalAckProblems checks that structural problems are
// reported while reading goes on.
func TestReadFunctionalAckProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, x12, want string
		sets            int
	}{
		{"AK3 outside an AK2 loop", "ST*997*0001~AK1*PO*1~AK3*PO1*5**8~AK9*A*0*0*0~SE*4*0001~", "AK3 at position 3: outside an AK2 loop", 0},
		{"AK4 outside an AK3 loop", "ST*997*0001~AK1*PO*1~AK2*850*0001~AK4*2*330*1~AK5*R*5~AK9*R*1*1*0~SE*7*0001~", "AK4 at position 4: outside an AK3/IK3 loop", 1},
		{"AK401 not a number", "ST*997*0001~AK1*PO*1~AK2*850*0001~AK3*PO1*5**8~AK4*B:1*330*1~AK5*R*5~AK9*R*1*1*0~SE*8*0001~", `AK401-1 "B" is not a number`, 1},
		{"AK2 loop without AK5", "ST*997*0001~AK1*PO*1~AK2*850*0001~AK2*850*0002~AK5*A~AK9*P*2*2*1~SE*7*0001~", `AK2 at position 4: the AK2 loop of set "0001" has no AK5/IK5`, 2},
		{"no AK9", "ST*997*0001~AK1*PO*1~AK2*850*0001~AK5*A~SE*5*0001~", "997 0001: no AK9", 1},
		{"no AK1", "ST*997*0001~AK9*A*0*0*0~SE*3*0001~", "AK9 without AK1", 0},
		{"segment after AK9", "ST*997*0001~AK1*PO*1~AK9*A*0*0*0~AK2*850*0001~AK5*A~SE*6*0001~", "AK2 at position 4: segment after AK9", 1},
		{"CTX in a 997", "ST*997*0001~AK1*PO*1~AK2*850*0001~AK3*PO1*5**8~CTX*PO101:1~AK5*R*5~AK9*R*1*1*0~SE*8*0001~", "CTX at position 5: a 999 segment in a 997", 1},
		{"AK5 in a 999", "ST*999*0001~AK1*PO*1*005010~AK2*850*0001~AK5*A~AK9*A*1*1*1~SE*6*0001~", "AK5 at position 4: a 997 segment in a 999 (expected IK5)", 1},
		{"unknown segment", "ST*997*0001~AK1*PO*1~BEG*00*SA~AK9*A*0*0*0~SE*5*0001~", "BEG at position 3: segment is not part of a 997 or 999", 0},
		{"AK901 not a code", "ST*997*0001~AK1*PO*1~AK9*Q*0*0*0~SE*4*0001~", `AK901 "Q" is not one of`, 0},
		{"AK903 missing", "ST*997*0001~AK1*PO*1~AK9*A*0~SE*4*0001~", "AK903 is missing", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fa, err := ReadFunctionalAck(ackTransaction(tt.x12))
			if !errors.Is(err, ErrBadAck) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			if fa == nil || len(fa.Sets) != tt.sets {
				t.Errorf("read %+v, want %d sets kept", fa, tt.sets)
			}
		})
	}
}

// TestReadFunctionalAckNotAnAck checks the refusal of other sets.
func TestReadFunctionalAckNotAnAck(t *testing.T) {
	t.Parallel()
	if fa, err := ReadFunctionalAck(&Transaction{SetID: "850"}); fa != nil || !errors.Is(err, ErrBadAck) {
		t.Errorf("got %+v, %v", fa, err)
	}
}

func ExampleNewAckBuilder() {
	// The received interchange, as the Reader reports it at InterchangeStart.
	ic := &Interchange{
		SenderQualifier: "ZZ", SenderID: "PARTNER", ReceiverQualifier: "01", ReceiverID: "123456789",
		Date: "261126", Time: "1200", Version: "00401", ControlNumber: "000000905", AckRequested: "1", Usage: "P",
		Delimiters: Delimiters{Element: '*', Component: ':', Terminator: "~"},
	}
	g := &Group{FunctionalID: "PO", Sender: "PARTNERAPP", Receiver: "OURAPP", ControlNumber: "77",
		Version: "004010", TrailerCount: "1", Transactions: 1}

	var spool bytes.Buffer // a temp file for large interchanges
	b := NewAckBuilder(ic, &AckOpts{
		Now: func() time.Time { return time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC) },
	}, &spool)
	_ = b.BeginGroup(g)
	_ = b.AddSet(&SetResult{SetID: "850", ControlNumber: "0001", Status: SetRejected, Errors: []error{
		&ElementError{SegmentID: "PO1", Position: 5, Element: 3, Ref: 355, Code: AK4BadCode, Data: "ZZ"},
	}})
	_ = b.EndGroup(g)
	acks, err := b.Finish(&spool)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range acks {
		fmt.Printf("%s %s\n%s", a.Type, a.ControlNumber, bytes.ReplaceAll(a.X12, []byte("~"), []byte("~\n")))
	}
	// Output:
	// TA1 000000001
	// ISA*00*          *00*          *01*123456789      *ZZ*PARTNER        *261127*0930*U*00401*000000001*0*P*:~
	// TA1*000000905*261126*1200*A*000~
	// IEA*0*000000001~
	// 997 000000002
	// ISA*00*          *00*          *01*123456789      *ZZ*PARTNER        *261127*0930*U*00401*000000002*0*P*:~
	// GS*FA*OURAPP*PARTNERAPP*20261127*0930*1*X*004010~
	// ST*997*0001~
	// AK1*PO*77~
	// AK2*850*0001~
	// AK3*PO1*5**8~
	// AK4*3*355*7*ZZ~
	// AK5*R*5~
	// AK9*R*1*1*0~
	// SE*8*0001~
	// GE*1*1~
	// IEA*1*000000002~
}
