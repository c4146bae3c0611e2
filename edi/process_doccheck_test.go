package edi

import (
	"bytes"
	"testing"

	"github.com/partnergate/partnergate/canonical"
)

func TestProcessDocumentCheck(t *testing.T) {
	t.Parallel()
	var seen []string
	check := func(reject bool) func(*Transaction, canonical.Document) []error {
		return func(tx *Transaction, doc canonical.Document) []error {
			seen = append(seen, doc.BusinessKey())
			if !reject {
				return []error{&SetError{Code: AK5SegmentsInError, Severity: SeverityWarning, Segment: "ST", Position: 1, Msg: "a warning"}}
			}
			return []error{&ElementError{SegmentID: "N1", Position: 9, Element: 4, Ref: 67, Code: "7", Data: "0118",
				Severity: SeverityError, Msg: "unknown ship-to"}}
		}
	}
	sum, s := process(t, readFixture(t, "850-004010.edi"), &ProcessOpts{DocumentCheck: check(true), Ack: &AckOpts{}})
	if sum.Status != FileRejected || len(s.kept) != 0 || s.statuses[0] != SetRejected || len(seen) != 1 || seen[0] != "4500012345" {
		t.Fatalf("rejecting check: summary %+v statuses %v kept %v seen %v", sum, s.statuses, s.kept, seen)
	}
	if len(s.acks) != 1 || !bytes.Contains(s.acks[0].X12, []byte("AK3*N1*9**8~AK4*4*67*7*0118~AK5*R*5~")) {
		t.Errorf("acks %s", s.acks[0].X12)
	}
	sum, s = process(t, readFixture(t, "850-004010.edi"), &ProcessOpts{DocumentCheck: check(false), Ack: &AckOpts{}})
	if sum.Status != FileAccepted || len(s.kept) != 1 || s.statuses[0] != SetAcceptedWithErrors {
		t.Fatalf("warning check: summary %+v statuses %v kept %v", sum, s.statuses, s.kept)
	}
}
