package canonical

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinels wrapped by FieldError, for errors.Is.
var (
	ErrSchema         = errors.New("not a canonical/v1 document")
	ErrUnknownType    = errors.New("unknown document type")
	ErrTypeMismatch   = errors.New("type does not match the document")
	ErrRequired       = errors.New("required field missing")
	ErrInvalidDecimal = errors.New("invalid decimal")
	ErrInvalidDate    = errors.New("invalid date, want YYYY-MM-DD")
	ErrInvalidTime    = errors.New("invalid time, want HH:MM or HH:MM:SS")
	ErrInvalidValue   = errors.New("invalid value")
	ErrNoLines        = errors.New("document has no lines")
)

// FieldError is one problem with one field of a document. Field is the
// field's JSON path, such as "lines[2].quantity".
type FieldError struct {
	Field string
	Value string // the offending value, "" when the field is missing
	Err   error  // one of the ErrXxx sentinels
}

// Error renders the field, the problem and the value, e.g.
// `lines[2].quantity: invalid decimal: "1,5"`.
func (e *FieldError) Error() string {
	if e.Value == "" {
		return e.Field + ": " + e.Err.Error()
	}
	return e.Field + ": " + e.Err.Error() + ": " + strconv.Quote(e.Value)
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// FieldErrors is every problem Validate found, in field order.
type FieldErrors []*FieldError

// Error joins the field errors with "; ".
func (e FieldErrors) Error() string {
	var b strings.Builder
	b.WriteString("canonical: ")
	for i, fe := range e {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(fe.Error())
	}
	return b.String()
}

// Unwrap returns the field errors, so that errors.Is and errors.As see each.
func (e FieldErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, fe := range e {
		out[i] = fe
	}
	return out
}

// validator collects field errors under a path prefix.
type validator struct {
	errs FieldErrors
}

func (v *validator) add(field, value string, err error) {
	v.errs = append(v.errs, &FieldError{Field: field, Value: value, Err: err})
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

func (v *validator) required(field, value string) {
	if value == "" {
		v.add(field, "", ErrRequired)
	}
}

func (v *validator) decimal(field string, d Decimal) {
	if d != "" && !d.Valid() {
		v.add(field, string(d), ErrInvalidDecimal)
	}
}

func (v *validator) requiredDecimal(field string, d Decimal) {
	if d == "" {
		v.add(field, "", ErrRequired)
		return
	}
	v.decimal(field, d)
}

func (v *validator) date(field string, d Date) {
	if d != "" && !d.Valid() {
		v.add(field, string(d), ErrInvalidDate)
	}
}

func (v *validator) time(field string, t Time) {
	if t != "" && !t.Valid() {
		v.add(field, string(t), ErrInvalidTime)
	}
}

func (v *validator) nonNegative(field string, n int) {
	if n < 0 {
		v.add(field, strconv.Itoa(n), ErrInvalidValue)
	}
}

// index renders "name[i]".
func index(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}
