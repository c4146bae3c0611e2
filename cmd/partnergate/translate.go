package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/flatfile"
)

const translateUsage = `usage: partnergate translate [--pretty] [--ack auto|997|999|none] [--ta1 always|on_request|never]
                             [--partners DIR --partner ID] FILE...

FILE "-" reads standard input.

With --partner, a file whose name matches one of the partner's CSV profiles
(the csv: list of its file in DIR) is read by that profile instead: the
output has the same "documents", and "results", the "result_file" the
partner would get, "status" and "summary" instead of X12 envelopes.

Reads each X12 file, validates every transaction set against the 850, 856, 940
and 945 schemas (004010, 005010), and prints one JSON object per file: its
status, every interchange, group and set with the findings and their
acknowledgment codes, the canonical documents of the accepted sets, and the
acknowledgments (TA1, 997, 999) that would be sent back.

Exit status: 0 when everything was accepted, 1 when anything was rejected,
2 on usage errors.
`

// runTranslate implements "partnergate translate".
func runTranslate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("translate", "", stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), translateUsage)
		fs.PrintDefaults()
	}
	pretty := fs.Bool("pretty", false, "indent the JSON for humans")
	ack := fs.String("ack", "auto", "acknowledgment to build: auto (997 for 004010, 999 for 005010), 997, 999 or none")
	ta1 := fs.String("ta1", "on_request", "TA1: always, on_request (ISA14 = 1 or envelope errors) or never")
	dir := fs.String("partners", "partner-configs", "the partner configuration `DIR`, with --partner")
	partner := fs.String("partner", "", "read files matching this partner's CSV profiles by them (partner `ID`)")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(fs, "no FILE given")
	}
	if os.Getenv("GOGC") == "" {
		// Translation allocates about a byte per input byte and keeps
		// little of it: collecting at 400% instead of 100% saves about a
		// quarter of the time for about 12 MB more peak memory.
		debug.SetGCPercent(400)
	}
	opts, err := translateOpts(*ack, *ta1)
	if err != nil {
		return usageError(fs, "%v", err)
	}
	var profiles []flatfile.Profile
	if *partner != "" {
		if profiles, err = csvProfiles(*dir, *partner); err != nil {
			fmt.Fprintf(stderr, "partnergate translate: %v\n", err)
			return exitUsage
		}
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	code := exitOK
	for _, name := range fs.Args() {
		if ctx.Err() != nil {
			return 1
		}
		ok, err := translateAny(name, out, *pretty, opts, profiles)
		if err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "partnergate translate: %v\n", err)
			return exitUsage
		}
		if !ok {
			code = exitFail
		}
	}
	return code
}

// translateAny translates one file by the CSV profile its name matches, or
// as X12; ok reports that everything in it was accepted.
func translateAny(name string, out *bufio.Writer, pretty bool, opts *edi.ProcessOpts, profiles []flatfile.Profile) (bool, error) {
	if prof, found := flatfile.Match(profiles, filepath.Base(name)); found {
		return translateCSV(name, os.Stdin, out, pretty, prof)
	}
	st, err := translateFile(name, os.Stdin, out, pretty, opts)
	return st == edi.FileAccepted, err
}

func translateOpts(ack, ta1 string) (*edi.ProcessOpts, error) {
	switch ta1 {
	case "always", "on_request", "never":
	default:
		return nil, fmt.Errorf("--ta1 %q: want always, on_request or never", ta1)
	}
	switch ack {
	case "auto", "997", "999", "none":
	default:
		return nil, fmt.Errorf("--ack %q: want auto, 997, 999 or none", ack)
	}
	if ack == "none" && ta1 == "never" {
		return &edi.ProcessOpts{}, nil
	}
	return &edi.ProcessOpts{Ack: &edi.AckOpts{Type: ack, TA1: ta1, Control: controlSequence()}}, nil
}

// controlSequence numbers the acknowledgments of one run: each kind of
// control number counts up from 1 across all files and interchanges.
func controlSequence() func(kind string) string {
	next := map[string]int{}
	return func(kind string) string {
		next[kind]++
		return strconv.Itoa(next[kind])
	}
}

// translateFile writes the JSON result of one file and returns its status.
func translateFile(name string, stdin io.Reader, out *bufio.Writer, pretty bool, opts *edi.ProcessOpts) (edi.FileStatus, error) {
	in := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return edi.FileRejected, err
		}
		defer f.Close()
		in = f
	}
	sink, err := newJSONSink(out, pretty)
	if err != nil {
		return edi.FileRejected, err
	}
	defer sink.Close()
	j := sink.j
	j.BeginObject()
	j.Field("file", name)
	j.Key("interchanges")
	j.BeginArray()
	sum, err := edi.Process(in, sink, opts)
	if err != nil {
		return edi.FileRejected, fmt.Errorf("%s: %w", name, err)
	}
	j.EndArray()
	if err := sink.finish(sum); err != nil {
		return edi.FileRejected, fmt.Errorf("%s: %w", name, err)
	}
	j.EndObject()
	out.WriteByte('\n')
	if j.err != nil {
		return edi.FileRejected, fmt.Errorf("%s: encoding output: %w", name, j.err)
	}
	return sum.Status, nil
}

// jsonSink streams Process results as JSON. Documents and acknowledgments
// come after the interchanges in the output, so they are spooled to
// temporary files, one JSON value per line; documents of a group or
// interchange that ends rejected are cut from the spool.
type jsonSink struct {
	j       *jsonStream
	docs    *os.File
	acks    *os.File
	garbage []*edi.EnvelopeError
	icMark  int64
	grpMark int64
	docBuf  []byte // one encoded document
	acksEnc *json.Encoder
	docsW   *bufio.Writer
	acksW   *bufio.Writer
}

const maxGarbageReported = 100

func newJSONSink(out *bufio.Writer, pretty bool) (*jsonSink, error) {
	docs, err := os.CreateTemp("", "partnergate-docs-*")
	if err != nil {
		return nil, fmt.Errorf("spooling documents: %w", err)
	}
	acks, err := os.CreateTemp("", "partnergate-acks-*")
	if err != nil {
		docs.Close()
		os.Remove(docs.Name())
		return nil, fmt.Errorf("spooling acknowledgments: %w", err)
	}
	s := &jsonSink{j: newJSONStream(out, pretty), docs: docs, acks: acks}
	s.docsW, s.acksW = bufio.NewWriterSize(docs, 64<<10), bufio.NewWriterSize(acks, 16<<10)
	s.acksEnc = json.NewEncoder(s.acksW)
	s.acksEnc.SetEscapeHTML(false)
	return s, nil
}

// Close removes the spool files.
func (s *jsonSink) Close() {
	for _, f := range []*os.File{s.docs, s.acks} {
		f.Close()
		os.Remove(f.Name())
	}
}

// mark returns the spool position after flushing.
func (s *jsonSink) mark() (int64, error) {
	if err := s.docsW.Flush(); err != nil {
		return 0, err
	}
	return s.docs.Seek(0, io.SeekCurrent)
}

// cut drops the documents spooled since m.
func (s *jsonSink) cut(m int64) error {
	if err := s.docsW.Flush(); err != nil {
		return err
	}
	if err := s.docs.Truncate(m); err != nil {
		return err
	}
	_, err := s.docs.Seek(m, io.SeekStart)
	return err
}

func (s *jsonSink) InterchangeStart(ic *edi.Interchange) error {
	m, err := s.mark()
	s.icMark = m
	j := s.j
	j.BeginObject()
	j.Field("control_number", ic.ControlNumber)
	j.Field("sender_qualifier", ic.SenderQualifier)
	j.Field("sender_id", ic.SenderID)
	j.Field("receiver_qualifier", ic.ReceiverQualifier)
	j.Field("receiver_id", ic.ReceiverID)
	j.Field("version", ic.Version)
	j.Field("offset", ic.Offset)
	j.Key("groups")
	j.BeginArray()
	return err
}

func (s *jsonSink) GroupStart(g *edi.Group) error {
	m, err := s.mark()
	s.grpMark = m
	j := s.j
	j.BeginObject()
	j.Field("functional_id", g.FunctionalID)
	j.Field("control_number", g.ControlNumber)
	j.Field("version", g.Version)
	j.Key("transactions")
	j.BeginArray()
	return err
}

func (s *jsonSink) Set(t *edi.Transaction, r *edi.SetResult, doc canonical.Document) error {
	s.j.Value(setJSON(r))
	if doc == nil {
		return nil
	}
	s.docBuf = append(canonical.AppendJSON(s.docBuf[:0], doc), '\n')
	_, err := s.docsW.Write(s.docBuf)
	return err
}

func (s *jsonSink) GroupEnd(g *edi.Group, accepted bool) error {
	j := s.j
	j.EndArray()
	j.Field("errors", edi.Findings(g.Errors))
	j.Field("status", statusWord(accepted))
	j.EndObject()
	if accepted {
		return nil
	}
	return s.cut(s.grpMark)
}

func (s *jsonSink) InterchangeEnd(ic *edi.Interchange, accepted bool, acks []edi.Ack) error {
	j := s.j
	j.EndArray()
	j.Field("errors", edi.Findings(ic.Errors))
	j.Field("status", statusWord(accepted))
	if len(ic.TA1) > 0 {
		j.Field("ta1", ic.TA1)
	}
	j.EndObject()
	for _, a := range acks {
		if err := s.acksEnc.Encode(ackJSON{Type: a.Type, ControlNumber: a.ControlNumber, X12: string(a.X12)}); err != nil {
			return err
		}
	}
	if accepted {
		return nil
	}
	return s.cut(s.icMark)
}

func (s *jsonSink) Garbage(e *edi.EnvelopeError) error {
	if len(s.garbage) < maxGarbageReported {
		s.garbage = append(s.garbage, e)
	}
	return nil
}

// finish writes the file-level errors, the spooled documents and
// acknowledgments, the status and a summary.
func (s *jsonSink) finish(sum *edi.Summary) error {
	j := s.j
	j.Field("errors", edi.Findings(s.garbage))
	if err := s.copySpool("documents", s.docs, s.docsW); err != nil {
		return err
	}
	if err := s.copySpool("acknowledgments", s.acks, s.acksW); err != nil {
		return err
	}
	j.Field("status", sum.Status.String())
	j.Field("summary", map[string]int{
		"interchanges": sum.Interchanges, "groups": sum.Groups, "transactions": sum.Sets,
		"accepted": sum.Accepted, "rejected": sum.Rejected, "documents": sum.Documents,
	})
	return nil
}

func (s *jsonSink) copySpool(key string, f *os.File, w *bufio.Writer) error {
	if err := w.Flush(); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	j := s.j
	j.Key(key)
	j.BeginArray()
	r := bufio.NewReaderSize(f, 64<<10)
	var long []byte // a line longer than r's buffer, gathered
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, line...)
			continue
		}
		if len(long) > 0 {
			line, long = append(long, line...), long[:0]
		}
		if line = bytes.TrimSuffix(line, []byte("\n")); len(line) > 0 {
			j.sep()
			j.Raw(line)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	j.EndArray()
	return nil
}

func statusWord(accepted bool) string {
	if accepted {
		return "accepted"
	}
	return "rejected"
}

type ackJSON struct {
	Type          string `json:"type"`
	ControlNumber string `json:"control_number"`
	X12           string `json:"x12"`
}

type setJSONOut struct {
	Set           string        `json:"set"`
	ControlNumber string        `json:"control_number"`
	Release       string        `json:"release,omitempty"`
	Status        string        `json:"status"`
	Errors        []edi.Finding `json:"errors"`
	Truncated     bool          `json:"errors_truncated,omitempty"`
}

func setJSON(r *edi.SetResult) setJSONOut {
	return setJSONOut{Set: r.SetID, ControlNumber: r.ControlNumber, Release: r.Release, Status: r.Status.String(),
		Errors: edi.Findings(r.Errors), Truncated: r.Truncated}
}
