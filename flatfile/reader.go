package flatfile

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/partnergate/partnergate/canonical"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Status is the outcome of one document.
type Status string

// Document statuses.
const (
	StatusAccepted Status = "accepted"
	StatusRejected Status = "rejected"
)

// DocResult is the outcome of one document of a file.
type DocResult struct {
	// Key is the value of the profile's Group field shared by the
	// document's rows; "" for a row without one.
	Key string
	// Row and LastRow are the rows where the document's first and last
	// rows start.
	Row, LastRow int
	// Doc is the canonical document when Status is StatusAccepted, else
	// nil.
	Doc canonical.Document
	// Status is StatusAccepted or StatusRejected.
	Status Status
	// Errors are the document's errors in row order; empty when accepted.
	Errors []*RowError
}

// Reader reads the documents of one CSV file, one at a time, holding only
// the rows of the document being built (and the Trailer rows ahead of it).
// The rows of one document must be consecutive.
//
// Next judges each document by its own rows, as OnErrorRejectDocument does;
// Process applies a profile's OnErrorRejectFile.
type Reader struct {
	pl    *plan
	in    *bufio.Reader
	csv   *csv.Reader
	quote bool // the quote is '\'': ' and " are swapped in the input

	header  []string
	width   int      // the expected number of columns, 0 until known
	offset  int      // lines skipped before the CSV reader starts
	ring    []record // rows held back as possible trailer rows
	cur     *builder
	scratch scratch
	// seen maps the hash of each closed document's key to its first row:
	// 8 bytes a document rather than its key; a false match of two 64-bit
	// hashes is left to chance (about 1 in 10^9 for a million documents).
	seen    map[uint64]int
	seed    maphash.Seed
	queue   []*DocResult
	started bool
	rows    int   // data rows read, trailer rows excluded
	err     error // io.EOF or the error that stopped reading
	failed  bool  // some row had an error
}

type record struct {
	fields []string
	row    int
}

// NewReader returns a Reader of r by profile p. It fails only when p is not
// valid (a ProfileErrors).
func NewReader(r io.Reader, p *Profile) (*Reader, error) {
	pl, err := compile(p)
	if err != nil {
		return nil, err
	}
	rd := &Reader{pl: pl, seen: map[uint64]int{}, seed: maphash.MakeSeed(), offset: p.Dialect.Skip}
	n := len(pl.docs)
	rd.scratch = scratch{first: make([]string, n), vals: make([]string, n), rows: make([]int, n)}
	rd.in = bufio.NewReaderSize(decode(r, p.Encoding), 64<<10)
	rd.quote = p.Dialect.quote() == '\''
	var src io.Reader = rd.in
	if rd.quote {
		src = swapReader{rd.in}
	}
	rd.csv = csv.NewReader(src)
	rd.csv.Comma = p.Dialect.delimiter()
	rd.csv.FieldsPerRecord = -1
	rd.csv.ReuseRecord = true
	return rd, nil
}

// decode returns r decoded from enc into UTF-8.
func decode(r io.Reader, enc string) io.Reader {
	switch strings.ToLower(enc) {
	case EncodingWindows1252, "cp1252":
		return transform.NewReader(r, charmap.Windows1252.NewDecoder())
	case EncodingISO88591, "latin1":
		return transform.NewReader(r, charmap.ISO8859_1.NewDecoder())
	}
	return r
}

// skipBOM drops a UTF-8 byte order mark at the start of br.
func skipBOM(br *bufio.Reader) {
	if head, _ := br.Peek(3); string(head) == "\ufeff" {
		_, _ = br.Discard(3)
	}
}

// swapReader exchanges ' and " so that encoding/csv, which only knows '"',
// reads files quoted with '.
type swapReader struct{ r io.Reader }

func (s swapReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	swapQuotes(p[:n])
	return n, err
}

func swapQuotes(p []byte) {
	for i, c := range p {
		switch c {
		case '"':
			p[i] = '\''
		case '\'':
			p[i] = '"'
		}
	}
}

func unswap(s string) string {
	if strings.IndexByte(s, '"') < 0 && strings.IndexByte(s, '\'') < 0 {
		return s
	}
	b := []byte(s)
	swapQuotes(b)
	return string(b)
}

// Failed reports whether any row read so far had an error, or reading
// stopped on one.
func (r *Reader) Failed() bool { return r.failed }

// Rows returns the number of data rows read so far, trailer rows excluded.
func (r *Reader) Rows() int { return r.rows }

// Header returns the header row, once read; nil for a file without one.
func (r *Reader) Header() []string { return r.header }

// Next returns the next document's result. At the end of the file it
// returns io.EOF. When the file cannot be read on (it is empty, its header
// lacks mapped columns, a quote is malformed) it returns a *RowError after
// the results of the documents before, and keeps returning it; any other
// error comes from the underlying reader.
func (r *Reader) Next() (*DocResult, error) {
	for len(r.queue) == 0 {
		if r.err != nil {
			return nil, r.err
		}
		r.step()
	}
	res := r.queue[0]
	r.queue[0] = nil
	r.queue = r.queue[1:]
	return res, nil
}

// step reads one record and feeds it on.
func (r *Reader) step() {
	if !r.started {
		r.started = true
		if r.pl.checkUTF {
			skipBOM(r.in)
		}
		if !r.start() {
			return
		}
	}
	rec, err := r.csv.Read()
	if err != nil {
		r.end(err)
		return
	}
	row := r.lineOf()
	if r.width == 0 {
		r.width = len(rec)
		if !r.resolve(nil, row) {
			return
		}
	}
	r.push(rec, row)
}

// lineOf returns the file line where the record just read starts.
func (r *Reader) lineOf() int {
	line, _ := r.csv.FieldPos(0)
	return line + r.offset
}

// push processes rec, or holds it back when trailer rows are to be
// ignored, processing the oldest row held instead.
func (r *Reader) push(rec []string, row int) {
	n := r.pl.p.Dialect.Trailer
	if n == 0 {
		r.row(rec, row)
		return
	}
	var slot record
	if len(r.ring) == n {
		old := r.ring[0]
		r.row(old.fields, old.row)
		copy(r.ring, r.ring[1:])
		slot = old
		r.ring = r.ring[:n-1]
	}
	slot.fields = append(slot.fields[:0], rec...)
	slot.row = row
	r.ring = append(r.ring, slot)
}

// start skips the lines before the header and reads the header. It
// reports whether reading goes on.
func (r *Reader) start() bool {
	for i := 0; i < r.pl.p.Dialect.Skip; i++ {
		if err := skipLine(r.in); err != nil {
			r.stop(&RowError{Err: ErrEmptyFile}, err)
			return false
		}
	}
	if r.pl.p.Dialect.NoHeader {
		return true
	}
	rec, err := r.csv.Read()
	if err != nil {
		if err == io.EOF {
			err = &RowError{Err: ErrEmptyFile}
		}
		r.end(err)
		return false
	}
	r.header = make([]string, len(rec))
	for i, h := range rec {
		r.header[i] = r.text(strings.TrimSpace(h))
	}
	r.width = len(rec)
	return r.resolve(r.header, r.lineOf())
}

func skipLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return err
		}
	}
}

// stop ends reading with a file-level error: fatal when it is a
// *RowError, else the I/O error io.
func (r *Reader) stop(fatal *RowError, ioErr error) {
	if ioErr != nil && ioErr != io.EOF {
		r.err = ioErr
		r.failed = true
		return
	}
	r.err = fatal
	r.failed = true
}

// end handles the end of reading: the end of the file or an error.
func (r *Reader) end(err error) {
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		r.ring = nil // the trailer rows
		r.flush()
		r.err = io.EOF
		switch {
		case r.rows == 0 && r.width == 0:
			r.stop(&RowError{Err: ErrEmptyFile}, nil)
		case r.rows == 0:
			r.stop(&RowError{Err: ErrNoRows}, nil)
		}
	case errors.As(err, &pe):
		row := pe.StartLine + r.offset
		if r.cur != nil {
			r.cur.addErr(row, "", "", ErrCutShort)
			r.flush()
		}
		r.stop(&RowError{Row: pe.Line + r.offset, Err: fmt.Errorf("%w: %w", ErrSyntax, pe.Err)}, nil)
	default:
		var re *RowError
		if errors.As(err, &re) {
			r.stop(re, nil)
			return
		}
		r.flush()
		r.stop(nil, err)
	}
}

// resolve finds the column of every binding in header (nil for a file
// without one, whose width is known) and stops reading when any is
// missing.
func (r *Reader) resolve(header []string, row int) bool {
	var missing []string
	index, twice := headerIndex(header)
	for _, list := range [][]binding{r.pl.docs, r.pl.lines} {
		for i := range list {
			b := &list[i]
			if b.label == "" {
				continue // a default only
			}
			col, ok := r.column(b.src, index)
			if !ok {
				missing = append(missing, b.label)
				continue
			}
			if b.src.Pos == 0 && twice[strings.ToLower(b.src.Name)] {
				r.stop(&RowError{Row: row, Column: b.src.Name, Err: ErrDuplicateColumn}, nil)
				return false
			}
			b.col = col
			if header != nil {
				b.label = header[col]
			}
		}
	}
	byColumn(r.pl.docs[1:])
	byColumn(r.pl.lines)
	if len(missing) > 0 {
		err := &MissingColumnsError{Names: dedupe(missing), Header: header}
		if header == nil {
			err.Header = make([]string, r.width)
			for i := range err.Header {
				err.Header[i] = Source{Pos: i + 1}.label()
			}
		}
		r.stop(&RowError{Row: row, Err: err}, nil)
		return false
	}
	return true
}

// byColumn sorts bindings by column, so that a row's errors read from left
// to right.
func byColumn(list []binding) {
	slices.SortStableFunc(list, func(a, b binding) int { return cmp.Compare(a.col, b.col) })
}

func dedupe(list []string) []string {
	out := list[:0]
	seen := map[string]bool{}
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// headerIndex maps each header name to its column, the first when a name
// repeats; names also match ignoring case. twice holds the lowercased names
// that occur more than once.
func headerIndex(header []string) (index map[string]int, twice map[string]bool) {
	index, twice = make(map[string]int, 2*len(header)), map[string]bool{}
	seen := make(map[string]bool, len(header))
	for i, h := range header {
		if l := strings.ToLower(h); seen[l] {
			twice[l] = true
		} else {
			seen[l] = true
		}
		if _, ok := index[h]; !ok {
			index[h] = i
		}
		if l := strings.ToLower(h); l != h {
			if _, ok := index[l]; !ok {
				index[l] = i
			}
		}
	}
	return index, twice
}

func (r *Reader) column(src Source, index map[string]int) (int, bool) {
	if src.Pos > 0 {
		return src.Pos - 1, src.Pos <= r.width
	}
	if i, ok := index[src.Name]; ok {
		return i, true
	}
	i, ok := index[strings.ToLower(src.Name)]
	return i, ok
}

// text undoes the quote swap of a ' quoted file.
func (r *Reader) text(s string) string {
	if r.quote {
		return unswap(s)
	}
	return s
}

// flush closes the open document and queues its result.
func (r *Reader) flush() {
	b := r.cur
	if b == nil {
		return
	}
	r.cur = nil
	if b.res.Key != "" {
		r.seen[maphash.String(r.seed, b.res.Key)] = b.res.Row
	}
	r.finish(b)
}

// finish judges a built document and queues its result. A document without
// row errors is valid by construction: its key and quantities are required
// and every value was checked; canonical validation is left to the tests
// and the fuzz target, as it costs a seventh of the time.
func (r *Reader) finish(b *builder) {
	res := b.res
	b.done(&r.scratch)
	if len(res.Errors) == 0 {
		res.Doc, res.Status = b.doc(), StatusAccepted
	}
	if len(res.Errors) > 0 {
		res.Status = StatusRejected
		r.failed = true
	}
	r.queue = append(r.queue, res)
}

// row maps one data row into the open document, or a new one.
func (r *Reader) row(rec []string, row int) {
	r.rows++
	g := &r.pl.docs[0]
	key := ""
	if g.col < len(rec) {
		key = r.text(strings.TrimSpace(rec[g.col]))
	}
	if key == "" {
		r.flush()
		b := newBuilder(r.pl, &r.scratch, "", row)
		b.addErr(row, g.label, "", ErrRequired)
		r.addRagged(b, rec, row)
		r.finish(b)
		return
	}
	if r.cur == nil || r.cur.res.Key != key {
		r.open(key, row)
	}
	b := r.cur
	b.res.LastRow = row
	if r.addRagged(b, rec, row) {
		return
	}
	r.mapDoc(b, rec, row)
	b.newLine()
	r.mapLine(b, rec, row)
}

// open closes the open document and opens one for key at row.
func (r *Reader) open(key string, row int) {
	r.flush()
	r.cur = newBuilder(r.pl, &r.scratch, key, row)
	if first, ok := r.seen[maphash.String(r.seed, key)]; ok {
		g := &r.pl.docs[0]
		r.cur.addErr(row, g.label, key, fmt.Errorf("%w: its rows start at row %d", ErrNotAdjacent, first))
	}
}

// addRagged reports a row whose width is not the header's.
func (r *Reader) addRagged(b *builder, rec []string, row int) bool {
	if len(rec) == r.width {
		return false
	}
	b.addErr(row, "", "", fmt.Errorf("%w: %d columns, want %d", ErrRagged, len(rec), r.width))
	return true
}

// value returns the canonical value of binding bd on rec, "" when there is
// none; ok is false after an error was added.
func (r *Reader) value(b *builder, bd *binding, rec []string, row int) (v string, raw string, ok bool) {
	if bd.col >= 0 {
		raw = r.text(strings.TrimSpace(rec[bd.col]))
	}
	if raw == "" {
		if bd.def == "" && bd.required {
			b.addErr(row, bd.label, "", ErrRequired)
			return "", "", false
		}
		return bd.def, "", true
	}
	if r.pl.checkUTF && !utf8.ValidString(raw) {
		b.addErr(row, bd.label, raw, ErrEncoding)
		return "", raw, false
	}
	if bd.vmap != nil {
		m, found := bd.vmap[raw]
		if !found {
			m, found = bd.vfold[strings.ToLower(raw)]
		}
		if !found {
			b.addErr(row, bd.label, raw, ErrUnknownValue)
			return "", raw, false
		}
		return m, raw, true
	}
	v, err := r.convert(bd.info.kind, raw)
	if err != nil {
		b.addErr(row, bd.label, raw, err)
		return "", raw, false
	}
	return v, raw, true
}

// convert turns raw text into the canonical form of k.
func (r *Reader) convert(k kind, raw string) (string, error) {
	switch k {
	case kindDecimal:
		if v, ok := normDecimal(raw, r.pl.comma); ok {
			return v, nil
		}
		return "", ErrBadNumber
	case kindDate:
		if v, ok := parseDate(raw, r.pl.dates); ok {
			return v, nil
		}
		return "", r.pl.errDate
	case kindTime:
		if v, ok := parseTime(raw, r.pl.times); ok {
			return v, nil
		}
		return "", r.pl.errTime
	}
	return raw, nil
}

// mapDoc maps the document fields of a row: the first value found sets the
// field; later rows must repeat it or leave it empty, except for fields
// that collect one value per row.
func (r *Reader) mapDoc(b *builder, rec []string, row int) {
	for i := range r.pl.docs {
		bd := &r.pl.docs[i]
		if b.rows[i] != 0 && !bd.multi {
			r.compare(b, i, bd, rec, row)
			continue
		}
		v, raw, ok := r.value(b, bd, rec, row)
		if !ok || v == "" {
			continue
		}
		b.setDoc(bd.field, v)
		if raw != "" {
			b.first[i], b.vals[i], b.rows[i] = raw, v, row
		}
	}
}

// compare checks a later row's value of a document field set earlier.
func (r *Reader) compare(b *builder, i int, bd *binding, rec []string, row int) {
	if bd.col < 0 {
		return
	}
	raw := r.text(strings.TrimSpace(rec[bd.col]))
	if raw == "" || raw == b.first[i] {
		if raw == "" && bd.required {
			b.addErr(row, bd.label, "", ErrRequired)
		}
		return
	}
	n := len(b.res.Errors)
	if v, _, ok := r.value(b, bd, rec, row); !ok || v == b.vals[i] {
		return // the same value written differently, or an error already added
	}
	b.res.Errors = b.res.Errors[:n]
	b.addErr(row, bd.label, raw, fmt.Errorf("%w (row %d has %q)", ErrConflict, b.rows[i], b.first[i]))
}

// mapLine maps the line fields of a row into the line just added.
func (r *Reader) mapLine(b *builder, rec []string, row int) {
	for i := range r.pl.lines {
		bd := &r.pl.lines[i]
		if v, _, ok := r.value(b, bd, rec, row); ok && v != "" {
			b.setLine(bd.field, v)
		}
	}
}
