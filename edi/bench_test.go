package edi

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"testing"

	"github.com/partnergate/partnergate/canonical"
)

// benchInput is a generated multi-interchange 850 file of at least 50 MB,
// built once per test binary.
var benchInput = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	opts := &GenerateOpts{Seed: 42, GroupsPerInterchange: 2, SetsPerGroup: 50, LinesPerSet: 8}
	if _, err := GenerateToSize(&b, 50<<20, opts); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// BenchmarkTokenize reads every segment of the 50 MB file, with envelope
// checks, element splitting and the per-set buffer, and no validation.
func BenchmarkTokenize(b *testing.B) {
	in := benchInput()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(in), nil)
		segs := 0
		for {
			ev, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if ev.Kind == TransactionSet {
				segs += len(ev.Transaction.Segments)
			}
		}
		if segs == 0 {
			b.Fatal("no segments")
		}
	}
}

// BenchmarkValidate reads and validates every set, without translating.
func BenchmarkValidate(b *testing.B) {
	in := benchInput()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	v := NewValidator(nil)
	for b.Loop() {
		r := NewReader(bytes.NewReader(in), nil)
		for {
			ev, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if ev.Kind == TransactionSet && v.Validate(ev.Transaction).Status == SetRejected {
				b.Fatal("rejected")
			}
		}
	}
}

// BenchmarkValidateTranslate reads, validates every set against its schema
// and maps it to a canonical order.
func BenchmarkValidateTranslate(b *testing.B) {
	in := benchInput()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	v := NewValidator(nil)
	for b.Loop() {
		r := NewReader(bytes.NewReader(in), nil)
		docs := 0
		for {
			ev, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if ev.Kind != TransactionSet {
				continue
			}
			res := v.Validate(ev.Transaction)
			if res.Status == SetRejected {
				b.Fatalf("set %s rejected: %v", res.ControlNumber, res.Errors)
			}
			if _, err := ToCanonical(ev.Transaction); err != nil {
				b.Fatal(err)
			}
			docs++
		}
		if docs == 0 {
			b.Fatal("no documents")
		}
	}
}

// BenchmarkProcess runs the whole pipeline with acknowledgments into a sink
// that discards everything.
func BenchmarkProcess(b *testing.B) {
	in := benchInput()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		sum, err := Process(bytes.NewReader(in), discardSink{}, &ProcessOpts{Ack: &AckOpts{}})
		if err != nil || sum.Status != FileAccepted {
			b.Fatalf("%v %+v", err, sum)
		}
	}
}

type discardSink struct{}

func (discardSink) InterchangeStart(*Interchange) error                    { return nil }
func (discardSink) GroupStart(*Group) error                                { return nil }
func (discardSink) Set(*Transaction, *SetResult, canonical.Document) error { return nil }
func (discardSink) GroupEnd(*Group, bool) error                            { return nil }
func (discardSink) InterchangeEnd(*Interchange, bool, []Ack) error         { return nil }
func (discardSink) Garbage(*EnvelopeError) error                           { return nil }
