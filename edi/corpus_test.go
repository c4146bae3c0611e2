package edi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/canonical"
)

// corpusRoot holds real partner files from public test suites; it lives
// beside the repository and is never copied into it.
const corpusRoot = "../../shared/corpus/x12"

func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusRoot, "*", "*.edi"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("SKIP: the shared X12 corpus is not at %s; corpus conformance not checked", corpusRoot)
	}
	return files
}

// tokenSink records each finding as a token such as "TA1:001", "AK9:4",
// "850:set:SE@9=4" or "940:element:W01@5.1=1" (a trailing "w" marks a
// warning), and reads the acknowledgments it meets.
type tokenSink struct {
	tokens []string
	acks   []*FunctionalAck
	ackErr []error
	ta1    []TA1
	docs   int
}

func sevMark(s Severity) string {
	if s == SeverityWarning {
		return "w"
	}
	return ""
}

func (s *tokenSink) InterchangeStart(*Interchange) error { return nil }
func (s *tokenSink) GroupStart(*Group) error             { return nil }

func (s *tokenSink) Set(t *Transaction, r *SetResult, doc canonical.Document) error {
	if t.SetID == "997" || t.SetID == "999" {
		a, err := ReadFunctionalAck(t)
		s.acks = append(s.acks, a)
		s.ackErr = append(s.ackErr, err)
	}
	if doc != nil {
		s.docs++
	}
	for _, f := range findingsOf(r.Errors) {
		level := "set"
		switch {
		case f.elem > 0:
			level = "element"
		case slices.ContainsFunc(r.Errors, func(e error) bool {
			var sg *SegmentError
			return errors.As(e, &sg) && sg.SegmentID == f.seg && sg.Position == f.pos && sg.Code == f.code
		}):
			level = "segment"
		}
		tok := fmt.Sprintf("%s:%s:%s@%d", r.SetID, level, f.seg, f.pos)
		if f.elem > 0 {
			tok += fmt.Sprintf(".%d", f.elem)
		}
		s.tokens = append(s.tokens, tok+"="+f.code+sevMark(f.sev))
	}
	return nil
}

func (s *tokenSink) GroupEnd(g *Group, _ bool) error {
	for _, e := range g.Errors {
		s.tokens = append(s.tokens, "AK9:"+e.Code+sevMark(e.Severity))
	}
	return nil
}

func (s *tokenSink) InterchangeEnd(ic *Interchange, _ bool, _ []Ack) error {
	for _, e := range ic.Errors {
		s.tokens = append(s.tokens, "TA1:"+e.Code+sevMark(e.Severity))
	}
	s.ta1 = append(s.ta1, ic.TA1...)
	return nil
}

func (s *tokenSink) Garbage(e *EnvelopeError) error {
	s.tokens = append(s.tokens, "FILE:"+e.Code)
	return nil
}

// corpusExpect is what a corpus file must yield: its status and findings
// that must be among those reported. The deliberately broken files carry
// the codes their SOURCES.md entry implies.
var corpusExpect = map[string]struct {
	status FileStatus
	tokens []string
}{
	"850/ediengine-850-ok-lf.edi":                 {FileAccepted, nil},
	"850/nodex12-850-vics.edi":                    {FileAccepted, nil},
	"850/ediengine-850-syntaxnotes-err.edi":       {FileRejected, []string{"850:element:PO1@13.7=2"}},
	"850/edinet-850-bom-nbsp.edi":                 {FileRejected, []string{"TA1:001", "TA1:022w"}},
	"850/edinet-850a-tabs.edi":                    {FileRejected, []string{"TA1:001"}},
	"850/oopfactory-850-space-term.edi":           {FileRejected, []string{"850:set:SE@34=4", "850:segment:TO@7=1"}},
	"850/stupidedi-850-aerospace-crlf.edi":        {FileRejected, []string{"850:set:ST@1=6"}},
	"850/x12types-850-5010-napa-extracted.edi":    {FileAccepted, []string{"TA1:024w"}},
	"856/ediengine-856-crossdock-lf.edi":          {FileAccepted, []string{"856:element:MAN@24.2=7w"}},
	"856/oopfactory-856-isa16-pipe.edi":           {FileRejected, []string{"856:element:HL@15.2=2w"}},
	"856/stupidedi-856-dollar-term-mixed.edi":     {FileRejected, []string{"856:set:SE@22=4"}},
	"856/oopfactory-856-ellipsis-term.edi":        {FileAccepted, nil},
	"856/nodex12-856-v4060.edi":                   {FileAccepted, nil},
	"940/ediengine-940-ok.edi":                    {FileAccepted, nil},
	"940/ediengine-940-2-noeol.edi":               {FileAccepted, nil},
	"940/ediengine-940-acktest.edi":               {FilePartiallyAccepted, []string{"940:element:N9@7.1=1", "940:element:W66@3.6=5"}},
	"940/ediengine-940-bad-se01.edi":              {FileRejected, []string{"940:set:SE@9=4", "940:element:W01@5.1=1", "940:element:W66@3.9=6"}},
	"940/ediengine-940-control-mismatch.edi":      {FileRejected, []string{"TA1:001", "AK9:4", "940:set:SE@5=3"}},
	"940/ediengine-940-multi-isa-gs.edi":          {FileAccepted, []string{"TA1:001w"}},
	"940/ediengine-940-wrong-counts.edi":          {FileRejected, []string{"TA1:021", "AK9:5"}},
	"940/oopfactory-940-simplot-v200.edi":         {FileRejected, []string{"TA1:001", "AK9:4"}},
	"945/oopfactory-945-v5010-odd-gs.edi":         {FileRejected, []string{"AK9:2", "AK9:4"}},
	"945/x12types-945-4010-extracted.edi":         {FileRejected, []string{"945:set:SE@16=4"}},
	"997/staedi-997-invalid.edi":                  {FileRejected, []string{"997:element:AK1@2.1=5", "997:element:AK4@5.2=6"}},
	"999/staedi-999-invalid.edi":                  {FileRejected, []string{"999:set:SE@18=4", "999:segment:IK5@2=7"}},
	"999/imsweb-999-accepted-ctl-mismatch.edi":    {FileRejected, []string{"TA1:001", "TA1:024w"}},
	"envelope/gtlogistics-isa-bad-elemsep.edi":    {FileRejected, []string{"TA1:026"}},
	"envelope/gtlogistics-no-se-trailer.edi":      {FileRejected, []string{"204:set:SE@2=2", "TA1:017"}},
	"envelope/gtlogistics-trimmed-isa.edi":        {FileRejected, []string{"TA1:017", "TA1:023"}},
	"ta1/staedi-ta1-5010.edi":                     {FileRejected, []string{"TA1:021"}},
	"ta1/oopfactory-ta1-gt-plus-delims.edi":       {FileAccepted, nil},
	"997/gtlogistics-997-4010-backtick.edi":       {FileAccepted, nil},
	"997/pyx12-997-ak3-ak4-errors.edi":            {FileAccepted, nil},
	"999/staedi-999-ik3-ik4-ctx.edi":              {FileAccepted, nil},
	"999/pyx12-999-multi-gs.edi":                  {FileAccepted, nil},
	"850/edinet-850-issue135-isa16-tilde.edi":     {FilePartiallyAccepted, []string{"850:set:ST@1=23"}},
	"850/oopfactory-850-tilde-elem.edi":           {FileAccepted, nil},
	"856/oopfactory-856-tilde-elem-star-term.edi": {FileAccepted, nil},
}

// TestCorpusConformance processes every corpus file: none may panic or fail
// to produce a result, the expectations above hold, and every 997, 999 and
// TA1 is read.
func TestCorpusConformance(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, file := range corpusFiles(t) {
		rel, _ := filepath.Rel(corpusRoot, file)
		rel = filepath.ToSlash(rel)
		seen[rel] = true
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sink := &tokenSink{}
			sum, err := Process(f, sink, &ProcessOpts{Ack: &AckOpts{}})
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			if sum.Interchanges == 0 && sum.Garbage == 0 {
				t.Fatalf("no result: %+v", sum)
			}
			checkAcksRead(t, rel, sink)
			want, ok := corpusExpect[rel]
			if !ok {
				return
			}
			if sum.Status != want.status {
				t.Errorf("status %s, want %s; findings %v", sum.Status, want.status, sink.tokens)
			}
			for _, tok := range want.tokens {
				if !slices.Contains(sink.tokens, tok) {
					t.Errorf("missing finding %s; got %v", tok, sink.tokens)
				}
			}
		})
	}
	for rel := range corpusExpect {
		if !seen[rel] {
			t.Errorf("expected corpus file %s is missing", rel)
		}
	}
}

func checkAcksRead(t *testing.T, rel string, s *tokenSink) {
	t.Helper()
	switch {
	case strings.HasPrefix(rel, "997/") || strings.HasPrefix(rel, "999/"):
		if len(s.acks) == 0 {
			t.Fatal("no functional acknowledgment read")
		}
		for i, a := range s.acks {
			if a == nil {
				t.Errorf("ack %d not read: %v", i, s.ackErr[i])
				continue
			}
			if a.Type != rel[:3] || a.GroupFunctionalID == "" || a.GroupCode == "" {
				t.Errorf("ack %d read as %+v", i, a)
			}
		}
	case strings.HasPrefix(rel, "ta1/"):
		if len(s.ta1) == 0 {
			t.Fatal("no TA1 read")
		}
		for _, ta1 := range s.ta1 {
			if ta1.ControlNumber == "" || ta1.Ack == "" {
				t.Errorf("TA1 read as %+v", ta1)
			}
		}
	}
}

// snapshot is what a read yields, for comparing two reads.
type snapshot struct {
	headers []string
	sets    [][]string
}

func takeSnapshot(t *testing.T, data []byte) snapshot {
	t.Helper()
	r := NewReader(bytes.NewReader(data), nil)
	var s snapshot
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return s
		}
		if err != nil {
			t.Fatal(err)
		}
		switch ev.Kind {
		case InterchangeStart:
			ic := ev.Interchange
			if ic.Delimiters.Element == 0 {
				continue // unreadable ISA: nothing to write back
			}
			s.headers = append(s.headers, strings.Join([]string{"ISA", ic.SenderQualifier, ic.SenderID, ic.ReceiverQualifier,
				ic.ReceiverID, ic.Date, ic.Time, ic.ControlNumber, ic.Usage}, "|"))
		case GroupStart:
			g := ev.Group
			s.headers = append(s.headers, strings.Join([]string{"GS", g.FunctionalID, g.Sender, g.Receiver, g.Date, g.Time, g.ControlNumber, g.Version}, "|"))
		case TransactionSet:
			var set []string
			for i := range ev.Transaction.Segments {
				seg := &ev.Transaction.Segments[i]
				if seg.Is("SE") {
					continue
				}
				var el []string
				for j := 1; j <= seg.Len(); j++ {
					el = append(el, strings.Join(splitParts(seg, j), ":"))
				}
				set = append(set, seg.ID()+"("+strings.Join(el, "|")+")")
			}
			s.sets = append(s.sets, set)
		}
	}
}

// splitParts returns the components of element j, so that snapshots compare
// structure independent of the component separator.
func splitParts(seg *Segment, j int) []string {
	var out []string
	for _, p := range bytes.Split(seg.Element(j), []byte{seg.Delimiters().Component}) {
		out = append(out, string(p))
	}
	return out
}

// rewrite writes everything the reader yields with the given delimiters.
func rewrite(t *testing.T, data []byte, d *Delimiters) ([]byte, error) {
	t.Helper()
	var out bytes.Buffer
	var w *Writer
	r := NewReader(bytes.NewReader(data), nil)
	open := false
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out.Bytes(), nil
		}
		if err != nil {
			return nil, err
		}
		switch ev.Kind {
		case InterchangeStart:
			delims := ev.Interchange.Delimiters
			if d != nil {
				delims = *d
			}
			if delims.Element == 0 {
				continue // an ISA whose delimiters could not be read
			}
			w = NewWriter(&out, delims, &WriterOpts{NewLine: true})
			open = true
			err = w.BeginInterchange(ev.Interchange)
		case GroupStart:
			err = w.BeginGroup(ev.Group)
		case TransactionSet:
			tx := ev.Transaction
			if err = w.BeginSet(tx.SetID, tx.ControlNumber, tx.ImplementationRef); err != nil {
				return nil, err
			}
			body := tx.Body()
			for i := range body {
				if err = w.WriteSegment(&body[i]); err != nil {
					return nil, err
				}
			}
			err = w.EndSet()
		case GroupEnd:
			err = w.EndGroup()
		case InterchangeEnd:
			if open {
				err = w.EndInterchange()
				open = false
			}
		}
		if err != nil {
			return nil, err
		}
	}
}

// TestCorpusRoundTrip reads every corpus file, writes what was read with the
// Writer (with the file's own delimiters, or the defaults where its data
// holds one of them), reads that again and compares.
func TestCorpusRoundTrip(t *testing.T) {
	t.Parallel()
	for _, file := range corpusFiles(t) {
		rel, _ := filepath.Rel(corpusRoot, file)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			out, err := rewrite(t, data, nil)
			if err != nil {
				if out, err = rewrite(t, data, &DefaultDelimiters); err != nil {
					t.Fatalf("write: %v", err)
				}
			}
			before, after := takeSnapshot(t, data), takeSnapshot(t, out)
			if !slices.Equal(before.headers, after.headers) {
				t.Errorf("envelopes differ\nbefore %q\nafter  %q", before.headers, after.headers)
			}
			if len(before.sets) != len(after.sets) {
				t.Fatalf("%d sets became %d", len(before.sets), len(after.sets))
			}
			for i := range before.sets {
				if !slices.Equal(before.sets[i], after.sets[i]) {
					t.Errorf("set %d differs\nbefore %q\nafter  %q", i, before.sets[i], after.sets[i])
				}
			}
		})
	}
}
