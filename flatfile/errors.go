package flatfile

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinels wrapped by RowError and ProfileError, for errors.Is.
var (
	// ErrEmptyFile: the file has no header and no rows.
	ErrEmptyFile = errors.New("the file is empty")
	// ErrNoRows: the file has a header (or only trailer rows) but no rows.
	ErrNoRows = errors.New("the file has no data rows")
	// ErrMissingColumn: the header lacks a column the profile maps.
	ErrMissingColumn = errors.New("missing column")
	// ErrDuplicateColumn: the header names a mapped column twice.
	ErrDuplicateColumn = errors.New("column named twice in the header")
	// ErrRagged: a row has more or fewer columns than the header.
	ErrRagged = errors.New("wrong number of columns")
	// ErrSyntax: the CSV cannot be read (a stray or missing quote); the
	// file is not read further.
	ErrSyntax = errors.New("malformed CSV")
	// ErrEncoding: a value is not valid UTF-8 (the file is probably in
	// another encoding than the profile says).
	ErrEncoding = errors.New("not valid UTF-8; check the profile's encoding")
	// ErrRequired: a required value is empty.
	ErrRequired = errors.New("required value missing")
	// ErrBadDate: a value matches none of the profile's date formats.
	ErrBadDate = errors.New("not a date in the expected format")
	// ErrBadTime: a value matches none of the profile's time formats.
	ErrBadTime = errors.New("not a time in the expected format")
	// ErrBadNumber: a value is not a decimal number.
	ErrBadNumber = errors.New("not a number")
	// ErrUnknownValue: a value is not in the field's value map.
	ErrUnknownValue = errors.New("value not in the profile's value map")
	// ErrConflict: a document field differs between rows of one document.
	ErrConflict = errors.New("differs from the document's first row")
	// ErrNotAdjacent: the rows of a document are not consecutive.
	ErrNotAdjacent = errors.New("rows of this document are not consecutive")
	// ErrCutShort: a document was open when the file became unreadable.
	ErrCutShort = errors.New("document cut short: the file cannot be read past this row")
	// ErrFileRejected: a document without errors of its own, rejected
	// because its profile rejects the whole file on any error.
	ErrFileRejected = errors.New("rejected with the file: another row has an error")

	// ErrProfile is wrapped by every ProfileError.
	ErrProfile = errors.New("invalid CSV profile")
)

// RowError is an error at a place in a CSV file, modelled on
// encoding/csv.ParseError. Its Error reads
// `row 12, column "Qty": not a number: "1,5"`.
type RowError struct {
	// Row is the 1-based line where the row starts, counting skipped lines
	// and the header; 0 for the file as a whole.
	Row int
	// Column is the header name, or "#N" for the N-th column (1-based) of a
	// file without a header; "" when the error concerns the whole row. For
	// an error found by canonical validation it is the canonical field.
	Column string
	// Value is the offending text as found in the file, "" when missing.
	Value string
	// Err is one of the ErrXxx sentinels, or an error wrapping one.
	Err error
}

func (e *RowError) Error() string {
	var b strings.Builder
	if e.Row > 0 {
		b.WriteString("row ")
		b.WriteString(strconv.Itoa(e.Row))
	} else {
		b.WriteString("file")
	}
	if e.Column != "" {
		b.WriteString(", column ")
		b.WriteString(quoteColumn(e.Column))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Value != "" {
		b.WriteString(": ")
		b.WriteString(strconv.Quote(e.Value))
	}
	return b.String()
}

// Unwrap returns Err.
func (e *RowError) Unwrap() error { return e.Err }

func quoteColumn(c string) string {
	if strings.HasPrefix(c, "#") {
		return c
	}
	return strconv.Quote(c)
}

// MissingColumnsError lists every column the profile maps that the header
// lacks. It matches ErrMissingColumn.
type MissingColumnsError struct {
	// Names are the missing column names, in profile order.
	Names []string
	// Header is the header as read.
	Header []string
}

func (e *MissingColumnsError) Error() string {
	q := make([]string, len(e.Names))
	for i, n := range e.Names {
		q[i] = strconv.Quote(n)
	}
	word := "missing column "
	if len(q) > 1 {
		word = "missing columns "
	}
	return word + strings.Join(q, ", ") + " (the header has " + strconv.Itoa(len(e.Header)) + " columns: " +
		strings.Join(e.Header, ", ") + ")"
}

// Is reports whether target is ErrMissingColumn.
func (e *MissingColumnsError) Is(target error) bool { return target == ErrMissingColumn }

// ProfileError is a mistake in a Profile. Its Error reads
// `columns.line.qty: unknown canonical field`.
type ProfileError struct {
	// Key is the profile key in snake_case as in the partner file, such as
	// "columns" or "date_formats".
	Key string
	// Sub is the entry under Key, such as a field name of columns, or "".
	Sub string
	// Value is the offending value.
	Value string
	// Msg says what is wrong.
	Msg string
}

// Field returns Key and Sub joined by a dot.
func (e *ProfileError) Field() string {
	if e.Sub == "" {
		return e.Key
	}
	return e.Key + "." + e.Sub
}

func (e *ProfileError) Error() string {
	s := e.Field() + ": "
	if e.Value != "" {
		s += strconv.Quote(e.Value) + ": "
	}
	return s + e.Msg
}

// Unwrap returns ErrProfile.
func (e *ProfileError) Unwrap() error { return ErrProfile }

// ProfileErrors is every mistake of one profile, the error of
// Profile.Validate.
type ProfileErrors []*ProfileError

func (e ProfileErrors) Error() string {
	s := make([]string, len(e))
	for i, pe := range e {
		s[i] = pe.Error()
	}
	return "flatfile: " + strings.Join(s, "; ")
}

// Unwrap returns each ProfileError.
func (e ProfileErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, pe := range e {
		out[i] = pe
	}
	return out
}
