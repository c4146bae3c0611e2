package ui

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/gateway/web"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// pathID reads the {id} URL parameter, a positive integer.
func pathID(r *http.Request) (int64, error) {
	s := chi.URLParam(r, "id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest("The ID must be a positive integer, not %.40q.", s)
	}
	return id, nil
}

// segment is one segment (or, in a file that is not X12, one line) of the
// raw file as the file page shows it.
type segment struct {
	N        int    // 1-based, in the file
	Offset   int64  // of its first byte
	Text     string // without its terminator
	Set      string // "850 0001" when in a transaction set
	Position int    // in its set, ST = 1; 0 outside sets
	Findings []edi.Finding
	Error    bool // a finding of severity error
}

type txView struct {
	*store.Transaction
	Findings []edi.Finding
}

type icView struct {
	*store.Interchange
	Findings []edi.Finding
}

type filePage struct {
	F            *store.File
	Summary      string
	Interchanges []icView
	Transactions []txView
	Segments     []segment
	X12          bool
	Shown        int64
	Truncated    bool
	Bad          []*segment
	Documents    []*store.Document
	Acks         []*store.OutboxItem
	Exceptions   []*store.Exception
}

// file is GET /ui/files/{id}: the file's outcome, its bytes segment by
// segment with the segments at fault highlighted, its documents, acks and
// exceptions. At most Deps.MaxRawBytes of the file are read.
func (h *dash) file(r *http.Request) (*view, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx, st, db := r.Context(), h.d.Store, h.d.DB
	f, err := st.GetFile(ctx, db, id, "")
	if err != nil {
		return nil, orNotFound(err, "file", id)
	}
	page := &filePage{F: f}
	if len(f.Summary) > 0 && string(f.Summary) != "{}" {
		var pretty bytes.Buffer
		if json.Indent(&pretty, f.Summary, "", "  ") == nil {
			page.Summary = pretty.String()
		}
	}
	ics, err := st.FileInterchanges(ctx, db, id)
	if err != nil {
		return nil, err
	}
	for _, ic := range ics {
		page.Interchanges = append(page.Interchanges, icView{ic, findings(ic.Errors)})
	}
	txs, err := st.FileTransactions(ctx, db, id)
	if err != nil {
		return nil, err
	}
	for _, t := range txs {
		page.Transactions = append(page.Transactions, txView{t, findings(t.Errors)})
	}
	raw, err := io.ReadAll(io.LimitReader(st.FileReader(ctx, db, f), h.d.MaxRawBytes))
	if err != nil {
		return nil, err
	}
	page.Shown, page.Truncated = int64(len(raw)), int64(len(raw)) < f.Size
	page.Segments, page.X12 = segments(raw, page.Truncated)
	page.Bad = annotate(page.Segments, page.Interchanges, page.Transactions)
	if page.Documents, err = st.ListDocuments(ctx, db, &store.ListDocumentsParams{FileID: id, Limit: 500}); err != nil {
		return nil, err
	}
	slices.SortFunc(page.Documents, func(a, b *store.Document) int { return cmp.Compare(a.TransactionSeq, b.TransactionSeq) })
	if page.Acks, err = st.ListOutbox(ctx, db, &store.ListOutboxParams{FileID: id, Limit: 500}); err != nil {
		return nil, err
	}
	if page.Exceptions, err = st.FileExceptions(ctx, db, id); err != nil {
		return nil, err
	}
	return &view{name: "file", title: "File " + itoa(id) + " " + f.Filename, data: page}, nil
}

func orNotFound(err error, what string, id int64) error {
	if err == store.ErrNotFound {
		return notFound("There is no %s %d.", what, id)
	}
	return err
}

func findings(raw json.RawMessage) []edi.Finding {
	var out []edi.Finding
	_ = json.Unmarshal(raw, &out) // stored by processing from edi.Findings
	return out
}

// segments splits raw into X12 segments, the delimiters read from each ISA,
// or into lines when raw does not start with an ISA. A last piece cut by
// truncation is dropped.
func segments(raw []byte, truncated bool) ([]segment, bool) {
	start := bytes.TrimLeft(raw, " \t\r\n")
	if !bytes.HasPrefix(start, []byte("ISA")) || len(start) < 106 {
		return lines(raw, truncated), false
	}
	term := start[105]
	out := make([]segment, 0, bytes.Count(raw, []byte{term})+1)
	pos := int64(len(raw) - len(start))
	for pos < int64(len(raw)) {
		rest := raw[pos:]
		// Skip the line breaks and spaces many partners put after terminators.
		skip := len(rest) - len(bytes.TrimLeft(rest, " \t\r\n"))
		pos += int64(skip)
		rest = rest[skip:]
		if len(rest) == 0 {
			break
		}
		if bytes.HasPrefix(rest, []byte("ISA")) && len(rest) >= 106 {
			term = rest[105] // each interchange names its own delimiters
		}
		end := bytes.IndexByte(rest, term)
		if end < 0 {
			if !truncated {
				out = append(out, segment{N: len(out) + 1, Offset: pos, Text: string(rest)})
			}
			break
		}
		out = append(out, segment{N: len(out) + 1, Offset: pos, Text: string(rest[:end])})
		pos += int64(end) + 1
	}
	return out, true
}

func lines(raw []byte, truncated bool) []segment {
	var out []segment
	var pos int64
	for len(raw) > 0 {
		end := bytes.IndexByte(raw, '\n')
		if end < 0 {
			if !truncated {
				out = append(out, segment{N: len(out) + 1, Offset: pos, Text: string(raw)})
			}
			break
		}
		out = append(out, segment{N: len(out) + 1, Offset: pos, Text: string(bytes.TrimRight(raw[:end], "\r"))})
		pos += int64(end) + 1
		raw = raw[end+1:]
	}
	return out
}

// annotate puts each finding on its segment: a set's findings by their
// position in the set (ST = 1), an interchange's by byte offset. Findings
// without either stay on their set or interchange. It returns the segments
// with findings.
func annotate(segs []segment, ics []icView, txs []txView) []*segment {
	if len(segs) == 0 {
		return nil
	}
	// Sets in file order: the segments from a set's offset to its end.
	t := 0
	for i := range segs {
		s := &segs[i]
		for t < len(txs) && s.Offset >= txs[t].Offset+txs[t].Size {
			t++
		}
		if t < len(txs) && s.Offset >= txs[t].Offset {
			tx := txs[t]
			s.Set = tx.SetID + " " + tx.ControlNumber
			if i > 0 && segs[i-1].Set == s.Set && segs[i-1].Position > 0 {
				s.Position = segs[i-1].Position + 1
			} else {
				s.Position = 1
			}
		}
	}
	// Where each set starts: its segment at position p is start + p - 1.
	start := map[string]int{}
	for i := range segs {
		if segs[i].Position == 1 {
			start[segs[i].Set] = i
		}
	}
	at := func(set string, pos int) *segment {
		i, ok := start[set]
		if !ok || pos <= 0 || i+pos-1 >= len(segs) || segs[i+pos-1].Set != set {
			return nil
		}
		return &segs[i+pos-1]
	}
	add := func(s *segment, f edi.Finding) {
		s.Findings = append(s.Findings, f)
		s.Error = s.Error || f.Severity == edi.SeverityError.String()
	}
	for _, tx := range txs {
		for _, f := range tx.Findings {
			if s := at(tx.SetID+" "+tx.ControlNumber, f.Position); s != nil {
				add(s, f)
			}
		}
	}
	for _, ic := range ics {
		for _, f := range ic.Findings {
			off := f.Offset
			if off == 0 && f.Segment == "ISA" {
				off = ic.Offset
			}
			if off == 0 && ic.Offset != 0 {
				continue
			}
			// The segment holding the offset: the last one starting at or before it.
			i, _ := slices.BinarySearchFunc(segs, off, func(s segment, o int64) int { return cmp.Compare(s.Offset, o) })
			if i == len(segs) || segs[i].Offset > off {
				i--
			}
			if i >= 0 {
				add(&segs[i], f)
			}
		}
	}
	var bad []*segment
	for i := range segs {
		if len(segs[i].Findings) > 0 {
			bad = append(bad, &segs[i])
		}
	}
	return bad
}

// raw is GET /ui/files/{id}/raw: the whole file as received, streamed,
// for a signed-in browser (the API's /api/v1/files/{id}/raw takes a Bearer
// header).
func (h *dash) raw(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := h.d.Store.GetFile(r.Context(), h.d.DB, id, "")
	if err != nil {
		h.fail(w, r, orNotFound(err, "file", id))
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/octet-stream")
	hd.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": f.Filename}); v != "" {
		hd.Set("Content-Disposition", v)
	} else {
		hd.Set("Content-Disposition", "attachment")
	}
	if _, err := io.Copy(w, h.d.Store.FileReader(r.Context(), h.d.DB, f)); err != nil {
		h.log.WarnContext(r.Context(), "dashboard: download cut short", "file_id", id, "error", err.Error(),
			"request_id", web.RequestIDFrom(r.Context()))
	}
}

// segmentList renders the segments as the items of the file page's list.
// It is written by hand, escaping every text with html.EscapeString, since
// a file of a mebibyte has tens of thousands of segments and html/template
// takes about ten times as long and as much memory for them.
func segmentList(segs []segment) template.HTML {
	var b strings.Builder
	size := 0
	for _, s := range segs {
		size += len(s.Text) + 150 // the markup of a segment without findings
	}
	b.Grow(size)
	for _, s := range segs {
		b.WriteString(`<li id="s`)
		writeInt(&b, int64(s.N))
		b.WriteByte('"')
		if len(s.Findings) > 0 {
			b.WriteString(` class="finding`)
			if s.Error {
				b.WriteString(` error`)
			}
			b.WriteByte('"')
		}
		b.WriteString(`><span class="n" title="byte offset `)
		writeInt(&b, s.Offset)
		b.WriteString(`">`)
		writeInt(&b, int64(s.N))
		b.WriteString(`</span><span class="pos"`)
		if s.Position > 0 {
			b.WriteString(` title="set `)
			b.WriteString(html.EscapeString(s.Set))
			b.WriteString(`, position `)
			writeInt(&b, int64(s.Position))
			b.WriteString(`">`)
			writeInt(&b, int64(s.Position))
		} else {
			b.WriteByte('>')
		}
		b.WriteString(`</span><span class="seg">`)
		b.WriteString(html.EscapeString(s.Text))
		b.WriteString(`</span>`)
		if len(s.Findings) > 0 {
			b.WriteString(`<ul aria-label="Findings on segment `)
			writeInt(&b, int64(s.N))
			b.WriteString(`">`)
			for _, f := range s.Findings {
				b.WriteString(`<li>`)
				b.WriteString(html.EscapeString(describe(f)))
				b.WriteString(`</li>`)
			}
			b.WriteString(`</ul>`)
		}
		b.WriteString("</li>\n")
	}
	return template.HTML(b.String())
}

// writeInt writes n in decimal without allocating.
func writeInt(b *strings.Builder, n int64) {
	var buf [20]byte
	b.Write(strconv.AppendInt(buf[:0], n, 10))
}

// describe is a finding in one line.
func describe(f edi.Finding) string {
	s := f.Severity + " " + f.Code
	if f.Element > 0 {
		s += fmt.Sprintf(" at %s%02d", f.Segment, f.Element)
	}
	return s + ": " + f.Message
}
