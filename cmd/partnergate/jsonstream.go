package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
)

// jsonStream writes one JSON value piece by piece, so that arrays of any
// length are written without holding them in memory. In pretty mode it
// indents by two spaces.
type jsonStream struct {
	w      *bufio.Writer
	pretty bool
	first  []bool // per open container: no member written yet
	// pendingValue is set after Key: the next value is that key's, not a
	// new member.
	pendingValue bool
	err          error
}

func newJSONStream(w *bufio.Writer, pretty bool) *jsonStream {
	return &jsonStream{w: w, pretty: pretty}
}

func (j *jsonStream) indent() string {
	if !j.pretty {
		return ""
	}
	return "\n" + strings.Repeat("  ", len(j.first))
}

// sep writes the separator before a member of the innermost container.
func (j *jsonStream) sep() {
	if n := len(j.first); n > 0 {
		if !j.first[n-1] {
			j.w.WriteByte(',')
		}
		j.first[n-1] = false
		j.w.WriteString(j.indent())
	}
}

func (j *jsonStream) open(c byte) {
	j.w.WriteByte(c)
	j.first = append(j.first, true)
}

func (j *jsonStream) close(c byte) {
	empty := j.first[len(j.first)-1]
	j.first = j.first[:len(j.first)-1]
	if !empty {
		j.w.WriteString(j.indent())
	}
	j.w.WriteByte(c)
}

// BeginObject starts an object as an array member or top-level value.
func (j *jsonStream) BeginObject() { j.sep(); j.open('{') }

// EndObject ends the innermost object.
func (j *jsonStream) EndObject() { j.close('}') }

// Key writes an object key; a value or container must follow.
func (j *jsonStream) Key(k string) {
	j.sep()
	b, _ := json.Marshal(k)
	j.w.Write(b)
	j.w.WriteByte(':')
	if j.pretty {
		j.w.WriteByte(' ')
	}
	// The value that follows is not a new member.
	j.pendingValue = true
}

// BeginArray starts an array, after a Key or as an array member.
func (j *jsonStream) BeginArray() {
	if !j.takePending() {
		j.sep()
	}
	j.open('[')
}

// EndArray ends the innermost array.
func (j *jsonStream) EndArray() { j.close(']') }

// Value writes v (after a Key or as an array member).
func (j *jsonStream) Value(v any) {
	if !j.takePending() {
		j.sep()
	}
	b, err := json.Marshal(v)
	if err != nil {
		j.err = err
		return
	}
	j.Raw(b)
}

// Raw writes already-encoded JSON at the current position, re-indented in
// pretty mode.
func (j *jsonStream) Raw(b []byte) {
	if !j.pretty {
		j.w.Write(b)
		return
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, strings.Repeat("  ", len(j.first)), "  "); err != nil {
		j.err = err
		return
	}
	j.w.Write(buf.Bytes())
}

// Field writes a key and its value.
func (j *jsonStream) Field(k string, v any) {
	j.Key(k)
	j.Value(v)
}

func (j *jsonStream) takePending() bool {
	p := j.pendingValue
	j.pendingValue = false
	return p
}
