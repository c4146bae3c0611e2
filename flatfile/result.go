package flatfile

import (
	"encoding/csv"
	"io"
	"strconv"
)

// ResultWriter writes the result file of a CSV file: the partner's
// acknowledgment. It has one row per accepted document and one per error
// of a rejected document, under the header
//
//	<key column>,row,status,error
//
// where the key column is named like the profile's Group column in the
// partner's file (the canonical field name when the column has no name),
// row is the row the document or error is at, status is "accepted" or
// "rejected", and error is the RowError text, "" when accepted. An error of
// the file as a whole has an empty key.
type ResultWriter struct {
	w      *csv.Writer
	header bool
	key    string
	rec    [4]string
}

// NewResultWriter returns a ResultWriter for files read by profile p,
// writing CSV with p's delimiter.
func NewResultWriter(w io.Writer, p *Profile) *ResultWriter {
	cw := csv.NewWriter(w)
	if validDelim(p.Dialect.Delimiter) {
		cw.Comma = p.Dialect.delimiter()
	}
	cw.UseCRLF = true
	key := string(p.Group)
	if s, ok := p.Columns[p.Group]; ok && s.Name != "" {
		key = s.Name
	}
	return &ResultWriter{w: cw, key: key}
}

// Write writes the rows of one document's result.
func (rw *ResultWriter) Write(res *DocResult) error {
	if len(res.Errors) == 0 {
		return rw.row(res.Key, res.Row, string(res.Status), "")
	}
	for _, e := range res.Errors {
		if err := rw.row(res.Key, e.Row, string(res.Status), e.Error()); err != nil {
			return err
		}
	}
	return nil
}

// WriteRejected writes that the document key, read from row, was rejected
// after the file was processed, by a person or a later check, and why; a
// row of 0 leaves the row empty.
func (rw *ResultWriter) WriteRejected(key string, row int, why string) error {
	return rw.row(key, row, string(StatusRejected), why)
}

// WriteFileError writes an error of the file as a whole.
func (rw *ResultWriter) WriteFileError(e *RowError) error {
	return rw.row("", e.Row, string(StatusRejected), e.Error())
}

func (rw *ResultWriter) row(key string, row int, status, msg string) error {
	if !rw.header {
		rw.header = true
		if err := rw.w.Write([]string{rw.key, "row", "status", "error"}); err != nil {
			return err
		}
	}
	rw.rec = [4]string{key, "", status, msg}
	if row > 0 {
		rw.rec[1] = strconv.Itoa(row)
	}
	return rw.w.Write(rw.rec[:])
}

// Flush writes the header when nothing else was written, and flushes.
func (rw *ResultWriter) Flush() error {
	if !rw.header {
		rw.header = true
		if err := rw.w.Write([]string{rw.key, "row", "status", "error"}); err != nil {
			return err
		}
	}
	rw.w.Flush()
	return rw.w.Error()
}

// WriteResult writes the result file of results and the file error fileErr
// (nil when none) to w.
func WriteResult(w io.Writer, p *Profile, results []*DocResult, fileErr *RowError) error {
	rw := NewResultWriter(w, p)
	for _, res := range results {
		if err := rw.Write(res); err != nil {
			return err
		}
	}
	if fileErr != nil {
		if err := rw.WriteFileError(fileErr); err != nil {
			return err
		}
	}
	return rw.Flush()
}
