package edi

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/canonical"
)

// recordingSink keeps what Process reports, with the documents that survive
// their group's and interchange's end.
type recordingSink struct {
	pending, kept []string // business keys
	groupStart    int      // len(pending) at the group's start
	statuses      []SetStatus
	acks          []Ack
	garbage       int
}

func (s *recordingSink) InterchangeStart(*Interchange) error { s.pending = s.pending[:0]; return nil }
func (s *recordingSink) GroupStart(*Group) error             { s.groupStart = len(s.pending); return nil }

func (s *recordingSink) Set(_ *Transaction, r *SetResult, doc canonical.Document) error {
	s.statuses = append(s.statuses, r.Status)
	if doc != nil {
		s.pending = append(s.pending, doc.BusinessKey())
	}
	return nil
}

func (s *recordingSink) GroupEnd(_ *Group, accepted bool) error {
	if !accepted {
		s.pending = s.pending[:s.groupStart]
	}
	return nil
}

func (s *recordingSink) InterchangeEnd(_ *Interchange, accepted bool, acks []Ack) error {
	if accepted {
		s.kept = append(s.kept, s.pending...)
	}
	s.acks = append(s.acks, acks...)
	return nil
}

func (s *recordingSink) Garbage(*EnvelopeError) error { s.garbage++; return nil }

func process(t *testing.T, data string, opts *ProcessOpts) (*Summary, *recordingSink) {
	t.Helper()
	s := &recordingSink{}
	sum, err := Process(strings.NewReader(data), s, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum, s
}

func TestProcessStatuses(t *testing.T) {
	t.Parallel()
	good := readFixture(t, "850-004010.edi")
	bad := strings.Replace(good, "BEG*00*", "BEG*99*", 1)
	tests := []struct {
		name     string
		data     string
		status   FileStatus
		accepted int
		kept     int
	}{
		{"all accepted", good + good, FileAccepted, 2, 2},
		{"one set rejected", good + bad, FilePartiallyAccepted, 1, 1},
		{"all rejected", bad, FileRejected, 0, 0},
		{"group rejected at its GE", strings.Replace(good, "GE*1*101", "GE*2*101", 1) + good, FilePartiallyAccepted, 1, 1},
		{"interchange rejected at its IEA", strings.Replace(good, "IEA*1*000000101", "IEA*1*000000999", 1), FileRejected, 0, 0},
		{"garbage between interchanges", good + "NOT EDI\n" + good, FilePartiallyAccepted, 2, 2},
		{"not X12", "hello", FileRejected, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sum, s := process(t, tt.data, nil)
			if sum.Status != tt.status || sum.Accepted != tt.accepted || len(s.kept) != tt.kept {
				t.Errorf("status %s accepted %d kept %v; want %s %d %d (%+v)", sum.Status, sum.Accepted, s.kept, tt.status, tt.accepted, tt.kept, sum)
			}
			if sum.Rejected != sum.Sets-sum.Accepted {
				t.Errorf("rejected %d of %d sets with %d accepted", sum.Rejected, sum.Sets, sum.Accepted)
			}
		})
	}
}

func TestProcessSetCheck(t *testing.T) {
	t.Parallel()
	refuse := func(tx *Transaction) error {
		if tx.SetID == "850" {
			return &SetError{Code: AK5NotSupported, Segment: "ST", Position: 1, Msg: "850 is not accepted from this partner"}
		}
		return nil
	}
	sum, s := process(t, readFixture(t, "850-004010.edi"), &ProcessOpts{SetCheck: refuse, Ack: &AckOpts{}})
	if sum.Status != FileRejected || len(s.kept) != 0 || s.statuses[0] != SetRejected {
		t.Fatalf("summary %+v statuses %v", sum, s.statuses)
	}
	if len(s.acks) != 1 || !bytes.Contains(s.acks[0].X12, []byte("AK5*R*1~")) {
		t.Errorf("acks %+v", s.acks)
	}
}

func TestProcessInterchangeCheck(t *testing.T) {
	t.Parallel()
	translated := 0
	refuse := func(ic *Interchange) *EnvelopeError {
		if ic.SenderID == "" {
			return nil
		}
		return &EnvelopeError{Code: TA1BadSenderID, Severity: SeverityError, Segment: "ISA", Offset: ic.Offset,
			Msg: "ISA06 " + ic.SenderID + " is not this partner's"}
	}
	count := func(*Transaction) error { translated++; return nil }
	sum, s := process(t, readFixture(t, "850-004010.edi"), &ProcessOpts{InterchangeCheck: refuse, SetCheck: count, Ack: &AckOpts{}})
	if sum.Status != FileRejected || sum.Accepted != 0 || len(s.kept) != 0 {
		t.Fatalf("summary %+v kept %v", sum, s.kept)
	}
	if len(s.acks) != 1 || s.acks[0].Type != AckTA1 || !bytes.Contains(s.acks[0].X12, []byte("*R*006~")) {
		t.Fatalf("want one TA1 rejecting with 006, got %+v", s.acks)
	}
	if translated != 1 {
		t.Errorf("SetCheck saw %d sets, want 1: sets are still validated and reported", translated)
	}
}

func TestProcessDoesNotTranslateOrAcknowledgeAcks(t *testing.T) {
	t.Parallel()
	_, s := process(t, readFixture(t, "850-004010.edi"), &ProcessOpts{Ack: &AckOpts{}})
	sum, s2 := process(t, string(s.acks[0].X12), &ProcessOpts{Ack: &AckOpts{TA1: TA1PolicyAlways}})
	if sum.Status != FileAccepted || len(s2.kept) != 0 || len(s2.acks) != 0 {
		t.Errorf("997 in: summary %+v, documents %v, acks %d", sum, s2.kept, len(s2.acks))
	}
}

func TestProcessSinkErrorStops(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk full")
	_, err := Process(strings.NewReader(readFixture(t, "850-004010.edi")), failingSink{err: boom}, nil)
	if !errors.Is(err, boom) {
		t.Errorf("err %v", err)
	}
}

type failingSink struct {
	discardSink
	err error
}

func (f failingSink) Set(*Transaction, *SetResult, canonical.Document) error { return f.err }
