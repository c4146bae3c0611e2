package edi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/partnergate/partnergate/canonical"
)

// addSeeds adds the project's fixtures and a few broken snippets.
func addSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.edi"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(simpleInterchange(set850)))
	f.Add([]byte(isa("|", "^", "00501", "000000001", "1", ":", "\n") + "GS|SH|A|B|20261126|1200|1|X|005010\nST|856|0001\nBSN|00|X|20261126|1200\nHL|1||S\nHL|2|1|O\nSE|5|0001\nGE|1|1\nIEA|1|000000001\n"))
	f.Add([]byte("ISA*00*"))
	f.Add([]byte("\ufeffISA~00~ ~"))
	f.Add([]byte{})
}

// FuzzReader checks that reading any input terminates, never panics, and
// yields well-nested events whose segments are numbered from ST = 1, with
// the element ends a segment's own split gives wherever the reader recorded
// them; and that reading it a byte at a time, which leaves set bodies to
// the general path, yields the same events and element ends.
func FuzzReader(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data), &ReaderOpts{MaxSetBytes: 1 << 16})
		depth := 0
		for steps := 0; ; steps++ {
			if steps > 4*len(data)+16 {
				t.Fatalf("reader made no progress after %d events", steps)
			}
			ev, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			depth = checkNesting(t, ev, depth)
			if ev.Kind == TransactionSet {
				for i := range ev.Transaction.Segments {
					checkRecordedEnds(t, &ev.Transaction.Segments[i])
				}
			}
		}
		if depth != 0 {
			t.Fatalf("input ended with %d envelopes open", depth)
		}
		whole := describeRead(t, bytes.NewReader(data), 1<<16)
		if bytewise := describeRead(t, iotest.OneByteReader(bytes.NewReader(data)), 1<<16); whole != bytewise {
			t.Fatalf("read whole:\n%s\nread byte by byte:\n%s", whole, bytewise)
		}
	})
}

func checkNesting(t *testing.T, ev Event, depth int) int {
	switch ev.Kind {
	case InterchangeStart:
		depth++
	case GroupStart:
		depth++
	case GroupEnd, InterchangeEnd:
		depth--
	case TransactionSet:
		for i := range ev.Transaction.Segments {
			if ev.Transaction.Segments[i].Position != i+1 {
				t.Fatalf("segment %d has position %d", i, ev.Transaction.Segments[i].Position)
			}
		}
	}
	if depth < 0 || depth > 2 {
		t.Fatalf("envelope depth %d after %v", depth, ev.Kind)
	}
	return depth
}

// FuzzValidate checks that validation never panics and that a set's status
// agrees with the severities of its findings.
func FuzzValidate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data), &ReaderOpts{MaxSetBytes: 1 << 16})
		v := NewValidator(nil)
		for {
			ev, err := r.Next()
			if err != nil {
				return
			}
			if ev.Kind != TransactionSet {
				continue
			}
			res := v.Validate(ev.Transaction)
			if got := statusOf(res.Errors); got != res.Status {
				t.Fatalf("status %s, but findings say %s: %v", res.Status, got, res.Errors)
			}
		}
	})
}

// FuzzTranslate runs the whole pipeline and checks that every document
// survives its JSON form and every acknowledgment reads back cleanly.
func FuzzTranslate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &fuzzSink{t: t}
		if _, err := Process(bytes.NewReader(data), s, &ProcessOpts{Ack: &AckOpts{TA1: TA1PolicyAlways}, Reader: &ReaderOpts{MaxSetBytes: 1 << 16}}); err != nil {
			t.Fatalf("Process: %v", err)
		}
	})
}

type fuzzSink struct {
	discardSink
	t *testing.T
}

func (s *fuzzSink) Set(_ *Transaction, _ *SetResult, doc canonical.Document) error {
	if doc == nil {
		return nil
	}
	b, err := json.Marshal(doc)
	if err != nil {
		s.t.Fatalf("marshal document: %v", err)
	}
	if _, err := canonical.Decode(b); err != nil {
		s.t.Fatalf("decode document %s: %v", b, err)
	}
	return nil
}

func (s *fuzzSink) InterchangeEnd(_ *Interchange, _ bool, acks []Ack) error {
	for _, a := range acks {
		r := NewReader(bytes.NewReader(a.X12), nil)
		for {
			ev, err := r.Next()
			if err != nil {
				break
			}
			if ev.Kind == InterchangeEnd && ev.Interchange.Rejected() {
				s.t.Fatalf("our %s does not read back: %v\n%s", a.Type, ev.Interchange.Errors, a.X12)
			}
			if ev.Kind == Garbage {
				s.t.Fatalf("our %s has stray bytes: %v\n%s", a.Type, ev.Err, a.X12)
			}
		}
	}
	return nil
}
