package edi

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ErrWriterState is returned when envelope calls are made out of order.
var ErrWriterState = errors.New("edi: writer call out of envelope order")

// Writer writes X12 interchanges. It mirrors the Reader: envelopes are opened
// and closed explicitly, trailers and counts are computed, and trailing empty
// elements are never written.
type Writer struct {
	w     *bufio.Writer
	d     Delimiters
	nl    bool // write a line feed after each terminator
	isa   string
	gs    string
	st    string
	segs  int // segments in the open set, ST included
	sets  int // sets in the open group
	grps  int // groups in the open interchange
	state writerState
}

type writerState uint8

const (
	wsIdle writerState = iota
	wsInterchange
	wsGroup
	wsSet
)

// WriterOpts adjusts a Writer. A nil *WriterOpts means the defaults.
type WriterOpts struct {
	// NewLine writes a line feed after every segment terminator (unless the
	// terminator is itself a line feed). Default false.
	NewLine bool
}

// NewWriter returns a Writer that writes with delimiters d.
func NewWriter(w io.Writer, d Delimiters, opts *WriterOpts) *Writer {
	wr := &Writer{w: bufio.NewWriterSize(w, 32<<10), d: d}
	if opts != nil {
		wr.nl = opts.NewLine && d.Terminator != "\n"
	}
	return wr
}

// Delimiters returns the delimiters the Writer writes with.
func (w *Writer) Delimiters() Delimiters { return w.d }

// Segment writes one segment. Trailing empty elements are dropped; element
// values containing a delimiter are refused.
func (w *Writer) Segment(tag string, elems ...string) error {
	n := len(elems)
	for n > 0 && elems[n-1] == "" {
		n--
	}
	for i, e := range elems[:n] {
		if err := w.checkValue(e); err != nil {
			return fmt.Errorf("edi: %s%02d: %w", tag, i+1, err)
		}
	}
	w.w.WriteString(tag)
	for _, e := range elems[:n] {
		w.w.WriteByte(w.d.Element)
		w.w.WriteString(e)
	}
	w.terminate()
	if w.state == wsSet {
		w.segs++
	}
	return nil
}

// WriteSegment writes a segment read elsewhere, re-encoding its elements,
// components and repeats with this Writer's delimiters.
func (w *Writer) WriteSegment(s *Segment) error {
	elems := make([]string, s.Len())
	for i := range elems {
		elems[i] = w.recode(s.Element(i+1), s.Delimiters())
	}
	return w.Segment(s.ID(), elems...)
}

func (w *Writer) recode(e []byte, from *Delimiters) string {
	if from == nil || (from.Component == w.d.Component && from.Repetition == w.d.Repetition) {
		return string(e)
	}
	out := []byte(string(e))
	for i, c := range out {
		switch {
		case c == from.Component:
			out[i] = w.d.Component
		case from.Repetition != 0 && c == from.Repetition:
			out[i] = w.d.Repetition
		}
	}
	return string(out)
}

// Composite joins components with the component separator, dropping trailing
// empty components.
func (w *Writer) Composite(parts ...string) string {
	n := len(parts)
	for n > 0 && parts[n-1] == "" {
		n--
	}
	return strings.Join(parts[:n], string([]byte{w.d.Component}))
}

func (w *Writer) checkValue(v string) error {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == w.d.Element || (len(w.d.Terminator) == 1 && c == w.d.Terminator[0]) {
			return fmt.Errorf("value %q contains a delimiter", v)
		}
	}
	if len(w.d.Terminator) > 1 && strings.Contains(v, w.d.Terminator) {
		return fmt.Errorf("value %q contains the segment terminator", v)
	}
	return nil
}

func (w *Writer) terminate() {
	w.w.WriteString(w.d.Terminator)
	if w.nl {
		w.w.WriteByte('\n')
	}
}

// BeginInterchange writes an ISA from h's header fields, padded to the fixed
// widths. ISA11 is the repetition separator when h.Version is 00501 or later
// and the Writer has one, else h.StandardsID (default "U").
func (w *Writer) BeginInterchange(h *Interchange) error {
	if w.state != wsIdle {
		return fmt.Errorf("%w: ISA inside an open interchange", ErrWriterState)
	}
	isa11 := h.StandardsID
	if isa11 == "" {
		isa11 = "U"
	}
	if h.Version >= "00501" && w.d.Repetition != 0 {
		isa11 = string([]byte{w.d.Repetition})
	}
	ctl, err := pad9(h.ControlNumber)
	if err != nil {
		return err
	}
	fields, err := isaFields(h, isa11, ctl, w.d.Component)
	if err != nil {
		return err
	}
	w.w.WriteString("ISA")
	for _, f := range fields {
		w.w.WriteByte(w.d.Element)
		w.w.WriteString(f)
	}
	w.terminate()
	w.isa, w.grps, w.state = ctl, 0, wsInterchange
	return nil
}

// BeginGroup writes a GS from g's header fields.
func (w *Writer) BeginGroup(g *Group) error {
	if w.state != wsInterchange {
		return fmt.Errorf("%w: GS outside an interchange", ErrWriterState)
	}
	if err := w.Segment("GS", g.FunctionalID, g.Sender, g.Receiver, g.Date, g.Time,
		g.ControlNumber, or(g.Agency, "X"), g.Version); err != nil {
		return err
	}
	w.gs, w.sets, w.state = g.ControlNumber, 0, wsGroup
	return nil
}

// BeginSet writes an ST; implRef (ST03) may be empty.
func (w *Writer) BeginSet(setID, control, implRef string) error {
	if w.state != wsGroup {
		return fmt.Errorf("%w: ST outside a group", ErrWriterState)
	}
	w.state, w.segs, w.st = wsSet, 0, control
	return w.Segment("ST", setID, control, implRef)
}

// EndSet writes the SE with the segment count.
func (w *Writer) EndSet() error {
	if w.state != wsSet {
		return fmt.Errorf("%w: SE without ST", ErrWriterState)
	}
	if err := w.Segment("SE", strconv.Itoa(w.segs+1), w.st); err != nil {
		return err
	}
	w.sets++
	w.state = wsGroup
	return nil
}

// EndGroup writes the GE with the set count.
func (w *Writer) EndGroup() error {
	if w.state != wsGroup {
		return fmt.Errorf("%w: GE without GS", ErrWriterState)
	}
	w.grps++
	w.state = wsInterchange
	return w.Segment("GE", strconv.Itoa(w.sets), w.gs)
}

// EndInterchange writes the IEA with the group count and flushes.
func (w *Writer) EndInterchange() error {
	if w.state != wsInterchange {
		return fmt.Errorf("%w: IEA with a group open", ErrWriterState)
	}
	w.state = wsIdle
	if err := w.Segment("IEA", strconv.Itoa(w.grps), w.isa); err != nil {
		return err
	}
	return w.Flush()
}

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() error { return w.w.Flush() }

// isaFields returns ISA01–ISA16 padded to their fixed widths; a value longer
// than its field is an error, never truncated.
func isaFields(h *Interchange, isa11, ctl string, comp byte) ([]string, error) {
	spec := []struct {
		name  string
		value string
		width int
	}{
		{"ISA01", or(h.AuthQualifier, "00"), 2}, {"ISA02", h.AuthInfo, 10},
		{"ISA03", or(h.SecurityQualifier, "00"), 2}, {"ISA04", h.SecurityInfo, 10},
		{"ISA05", h.SenderQualifier, 2}, {"ISA06", h.SenderID, 15},
		{"ISA07", h.ReceiverQualifier, 2}, {"ISA08", h.ReceiverID, 15},
		{"ISA09", h.Date, 6}, {"ISA10", h.Time, 4}, {"ISA11", isa11, 1},
		{"ISA12", or(h.Version, "00401"), 5}, {"ISA13", ctl, 9},
		{"ISA14", or(h.AckRequested, "0"), 1}, {"ISA15", or(h.Usage, "P"), 1}, {"ISA16", string([]byte{comp}), 1},
	}
	out := make([]string, len(spec))
	for i, f := range spec {
		if len(f.value) > f.width {
			return nil, fmt.Errorf("edi: %s %q is longer than its %d characters", f.name, f.value, f.width)
		}
		out[i] = padRight(f.value, f.width)
	}
	return out, nil
}

func pad9(ctl string) (string, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(ctl), 10, 64)
	if err != nil || n > 999999999 {
		return "", fmt.Errorf("edi: ISA13 %q is not a control number of at most nine digits", ctl)
	}
	return fmt.Sprintf("%09d", n), nil
}

func padRight(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
