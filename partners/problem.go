package partners

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ErrInvalid is wrapped by every LoadError.
var ErrInvalid = errors.New("partners: invalid configuration")

// Problem is one thing wrong in a configuration file. Its Error reads
// "partner-configs/acme.yaml:7: x12.ack: \"998\" is not one of auto, 997,
// 999, none".
type Problem struct {
	// File is the file, as the directory joined with its name.
	File string
	// Line is the 1-based line, or 0 when the problem concerns the whole
	// file.
	Line int
	// Field is the key path, such as "x12.ids[1].qualifier", or "" for the
	// file as a whole.
	Field string
	// Msg says what is wrong, in terms the file's author can act on.
	Msg string
	// Err is the underlying error (an I/O error, ErrSecretFormat), or nil.
	Err error
}

func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Unwrap returns Err.
func (p Problem) Unwrap() error { return p.Err }

// LoadError is the error of Load: every problem found in the directory,
// sorted by file and line.
type LoadError struct {
	// Dir is the directory that was loaded.
	Dir string
	// Problems are all the problems, at least one.
	Problems []Problem
}

// Error lists every problem, one per line.
func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns ErrInvalid and each problem, so errors.Is finds the
// underlying errors of the problems (fs.ErrNotExist, ErrSecretFormat).
func (e *LoadError) Unwrap() []error {
	errs := []error{ErrInvalid}
	for _, p := range e.Problems {
		errs = append(errs, p)
	}
	return errs
}

// problems collects the problems of a load.
type problems struct {
	list []Problem
}

func (ps *problems) add(file string, line int, field, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (ps *problems) addErr(file string, line int, field, msg string, err error) {
	ps.list = append(ps.list, Problem{File: file, Line: line, Field: field, Msg: msg + ": " + err.Error(), Err: err})
}

// err returns nil, or a *LoadError with the problems sorted.
func (ps *problems) err(dir string) error {
	if len(ps.list) == 0 {
		return nil
	}
	slices.SortStableFunc(ps.list, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return &LoadError{Dir: dir, Problems: ps.list}
}
