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

// forEachSet reads in and calls fn for every transaction set.
func forEachSet(b *testing.B, in []byte, fn func(*Transaction)) {
	r := NewReader(bytes.NewReader(in), nil)
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			b.Fatal(err)
		}
		if ev.Kind == TransactionSet {
			fn(ev.Transaction)
		}
	}
}

// benchSets runs fn over every set of the benchmark input, reporting MB/s.
//
// The figures above each benchmark are the best of
// "go test -run '^$' -bench . -cpu 1 -count 5 -benchmem" on one core of the
// 2-core VM, November 2026 (the latest the best of 36 runs of each, the VM
// being loaded by other work), with the instructions per input byte that
// callgrind counts for the stage.
func benchSets(b *testing.B, fn func(*Transaction)) {
	in := benchInput()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		forEachSet(b, in, fn)
	}
}

// BenchmarkTokenize reads every segment of the 50 MB file, with envelope
// checks and the per-set buffer, and no validation.
//
//	BenchmarkTokenize  36  32547124 ns/op  1611.40 MB/s  741320 B/op  51107 allocs/op
//	(8.6 instructions/byte)
func BenchmarkTokenize(b *testing.B) {
	segs := 0
	benchSets(b, func(t *Transaction) { segs += len(t.Segments) })
	if segs == 0 {
		b.Fatal("no segments")
	}
}

// BenchmarkValidate reads and validates every set, without translating.
//
//	BenchmarkValidate  8  132532913 ns/op  395.72 MB/s  4921911 B/op  88409 allocs/op
//	(validation: 33.6 instructions/byte)
func BenchmarkValidate(b *testing.B) {
	v := NewValidator(nil)
	benchSets(b, func(t *Transaction) {
		if res := v.Validate(t); res.Status == SetRejected {
			b.Fatalf("set %s rejected: %v", res.ControlNumber, res.Errors)
		}
	})
}

// BenchmarkTranslateOnly maps every set to a canonical order without
// validation, with one Translator; translating costs this less
// BenchmarkTokenize.
//
//	BenchmarkTranslateOnly  9  117016133 ns/op  448.20 MB/s  56300516 B/op  54500 allocs/op
//	(translation of unsplit sets: 21.1 instructions/byte)
func BenchmarkTranslateOnly(b *testing.B) {
	tr := NewTranslator()
	benchSets(b, func(t *Transaction) {
		if _, err := tr.Translate(t); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkValidateTranslate reads, validates every set against its schema
// and maps it to a canonical order, with one Validator and one Translator
// as Process does.
//
//	BenchmarkValidateTranslate  5  206209544 ns/op  254.34 MB/s  60482128 B/op  91805 allocs/op
//	(58.2 instructions/byte: 8.6 reading, 33.6 validating, 16.0 translating)
func BenchmarkValidateTranslate(b *testing.B) {
	v, tr := NewValidator(nil), NewTranslator()
	benchSets(b, func(t *Transaction) {
		if res := v.Validate(t); res.Status == SetRejected {
			b.Fatalf("set %s rejected: %v", res.ControlNumber, res.Errors)
		}
		if _, err := tr.Translate(t); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkProcess runs the whole pipeline with acknowledgments into a sink
// that discards everything.
//
//	BenchmarkProcess  5  228985086 ns/op  229.04 MB/s  88210428 B/op  143316 allocs/op
//	(60.0 instructions/byte)
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
