package edi

import (
	"bytes"
	"fmt"
	"math/bits"
	"strings"
)

// elementCheck is what is being checked: a simple element, or one component
// or repeat of one.
type elementCheck struct {
	seg       *Segment
	loop      string
	element   int
	component int
	repeat    int
}

func (v *Validator) elementError(at elementCheck, def *ElementDef, code string, data []byte, msg string) {
	v.elementFinding(at, def, code, data, msg, SeverityError)
}

func (v *Validator) elementFinding(at elementCheck, def *ElementDef, code string, data []byte, msg string, sev Severity) {
	v.add(&ElementError{
		SegmentID: string(at.seg.Tag()), Position: at.seg.Position, LoopID: at.loop,
		Element: at.element, Component: at.component, Repeat: at.repeat,
		Ref: def.Ref, Code: code, Data: printable(data[:min(len(data), 99)]), Msg: msg,
	}, sev)
}

// checkElements checks every element of seg against its definition: first
// on the fast path, which only says whether all is well, then, when it is
// not, on the path that reports each finding.
func (v *Validator) checkElements(seg *Segment, cs *compiledSegment, loop string) {
	if present, ok := cs.scanWellFormed(seg, v.opts.CodeLists != CheckIgnore); ok && (v.remembered(cs, present) || v.notesHold(cs, present)) {
		return
	}
	v.reportElements(seg, cs, loop, seg.split())
}

// notesMemo remembers, for one compiled segment, a set of present elements
// for which all its syntax notes hold.
type notesMemo struct {
	present uint64
	set     bool
}

// remembered reports whether cs has no syntax notes, or whether they held
// for the same present elements last time.
func (v *Validator) remembered(cs *compiledSegment, present uint64) bool {
	return len(cs.notes) == 0 || v.notes[cs.id] == notesMemo{present: present, set: true}
}

// notesHold reports whether every syntax note of cs holds for the present
// elements. The notes of a segment mostly meet the same elements set after
// set, so the last set of elements that passed is remembered (remembered
// is asked first).
func (v *Validator) notesHold(cs *compiledSegment, present uint64) bool {
	for i := range cs.notes {
		if cs.notes[i].violated(present) {
			return false
		}
	}
	v.notes[cs.id] = notesMemo{present: present, set: true}
	return true
}

// commonKindsGeneric is commonKindsOK in Go. It makes no call, so that its
// values can stay in registers.
func commonKindsGeneric(raw []byte, ends []int32, fast []fastElement, codes bool) (uint64, bool) {
	var present uint64
	start := int(ends[0]) + 1
	ends = ends[1:]
	fast = fast[:len(ends)]
	for i, e := range ends {
		end := int(e)
		if end <= start {
			start = end + 1
			continue
		}
		present |= 1 << (i & 63)
		f := &fast[i]
		l, from := end-start, start
		start = end + 1
		switch f.kind {
		case fastText, fastCode:
			if f.kind == fastCode && codes {
				// f.codes holds only codes whose length fits, and no
				// code ends with a space.
				if k := shortCodeIndex(raw[from:end]); k < 0 || !f.codes.hasIndex(k) {
					return 0, false
				}
				continue
			}
			if raw[end-1] == ' ' {
				return 0, false
			}
		case fastInteger, fastDecimal:
			// A trailing space is not a digit.
			var ok bool
			if l, ok = numericLength(raw[from:end], f.kind == fastDecimal); !ok {
				return 0, false
			}
		case fastDate:
			if !plainDate(raw[from:end]) {
				return 0, false
			}
		default:
			continue
		}
		if !f.fits(l) {
			return 0, false
		}
	}
	return present, true
}

// othersOK checks the present elements in the bit set others by
// fastElement.ok.
func (cs *compiledSegment) othersOK(raw []byte, ends []int32, others uint64, codes, chars bool) bool {
	for ; others != 0; others &= others - 1 {
		i := bits.TrailingZeros64(others)
		if !cs.fast[i].ok(raw[ends[i]+1:ends[i+1]], codes, chars) {
			return false
		}
	}
	return true
}

// ok checks one non-empty value; false sends the segment to the full check,
// which also handles what this does not (trailing spaces, long codes).
func (f *fastElement) ok(val []byte, codes, chars bool) bool {
	if val[len(val)-1] == ' ' {
		return false
	}
	n := len(val)
	switch f.kind {
	case fastText, fastCode:
		if chars && hasControl(val) {
			return false
		}
		if f.kind == fastCode && codes && !f.codes.has(val) {
			return false
		}
	case fastInteger, fastDecimal:
		var ok bool
		if n, ok = numericLength(val, f.kind == fastDecimal); !ok {
			return false
		}
	case fastDate:
		if !dateOK(val) {
			return false
		}
	case fastTime:
		if !validTime(string(val)) {
			return false
		}
	default:
		return false
	}
	return f.fits(n)
}

// monthDays is the days of each month, February's in a common year.
var monthDays = [16]uint8{1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}

// plainDate reports whether val is a date of six or eight digits that is
// not February 29: as validDate(string(val), len(val)) says, without the
// copy or a look at the year.
func plainDate(val []byte) bool {
	n := len(val)
	if n != 6 && n != 8 {
		return false
	}
	for _, c := range val {
		if c-'0' > 9 {
			return false
		}
	}
	m := int(val[n-4]-'0')*10 + int(val[n-3]-'0')
	d := int(val[n-2]-'0')*10 + int(val[n-1]-'0')
	return m <= 12 && d != 0 && d <= int(monthDays[m&15])
}

// dateOK is validDate(string(val), len(val)) for the fast path, which
// looks at the year only for February 29.
func dateOK(val []byte) bool {
	return plainDate(val) || validDate(string(val), len(val))
}

// reportElements checks every element of seg and reports each finding.
func (v *Validator) reportElements(seg *Segment, cs *compiledSegment, loop string, ends []int32) {
	def := cs.SegmentDef
	n := len(ends) - 1
	if n > len(def.Elements) {
		v.add(&ElementError{SegmentID: def.ID, Position: seg.Position, LoopID: loop, Element: len(def.Elements) + 1,
			Code: AK4TooMany, Data: printable(seg.Element(len(def.Elements) + 1)),
			Msg: fmt.Sprintf("%s has %d elements; at most %d are defined", def.ID, n, len(def.Elements))}, SeverityError)
	}
	var present uint64
	lim := min(n, len(def.Elements))
	for i := 0; i < lim; i++ {
		val := seg.raw[ends[i]+1 : ends[i+1]]
		ed := &def.Elements[i]
		if len(val) == 0 || (val[0] == ' ' && isBlank(val)) {
			if ed.Usage == Mandatory {
				v.missingElement(seg, loop, i, ed)
			}
			continue
		}
		present |= 1 << (i & 63)
		at := elementCheck{seg: seg, loop: loop, element: i + 1}
		if cs.simple[i] {
			v.checkSimple(at, ed, val)
		} else {
			v.checkRepeats(at, ed, val)
		}
	}
	for i := lim; i <= cs.lastMandatory; i++ {
		if def.Elements[i].Usage == Mandatory {
			v.missingElement(seg, loop, i, &def.Elements[i])
		}
	}
	if len(cs.notes) > 0 {
		v.checkNotes(seg, def.ID, cs.notes, def.Elements, present, loop, 0)
	}
}

func (v *Validator) missingElement(seg *Segment, loop string, i int, ed *ElementDef) {
	at := elementCheck{seg: seg, loop: loop, element: i + 1}
	v.elementError(at, ed, AK4Missing, nil, fmt.Sprintf("%s%02d %s is mandatory and missing", seg.Tag(), i+1, ed.Name))
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}

// checkRepeats splits a repeating element (5010) and checks each repeat.
func (v *Validator) checkRepeats(at elementCheck, ed *ElementDef, val []byte) {
	rep := at.seg.env.d.Repetition
	if ed.Repeat <= 1 || rep == 0 || bytes.IndexByte(val, rep) < 0 {
		v.checkValue(at, ed, val)
		return
	}
	k := 0
	for part := range bytes.SplitSeq(val, []byte{rep}) {
		k++
		if k > ed.Repeat {
			v.elementError(at, ed, AK4TooManyRepeats, val, fmt.Sprintf("%s%02d repeats %d times or more; at most %d allowed", at.seg.Tag(), at.element, k, ed.Repeat))
			return
		}
		at.repeat = k
		if !isBlank(part) {
			v.checkValue(at, ed, part)
		}
	}
}

// checkValue checks a simple element or a composite.
func (v *Validator) checkValue(at elementCheck, ed *ElementDef, val []byte) {
	if ed.Composite == nil {
		v.checkSimple(at, ed, val)
		return
	}
	comp := ed.Composite
	var present uint64
	k := 0
	for part := range bytes.SplitSeq(val, []byte{at.seg.env.d.Component}) {
		k++
		if k > len(comp.Components) {
			v.elementError(at, ed, AK4TooManyComps, val, fmt.Sprintf("%s%02d has more than the %d components of %s", at.seg.Tag(), at.element, len(comp.Components), comp.ID))
			return
		}
		if !isBlank(part) {
			present |= 1 << (k - 1)
			c := at
			c.component = k
			v.checkSimple(c, &comp.Components[k-1], part)
		}
	}
	for j := range comp.Components {
		if comp.Components[j].Usage == Mandatory && present&(1<<j) == 0 {
			c := at
			c.component = j + 1
			v.elementError(c, &comp.Components[j], AK4Missing, nil, fmt.Sprintf("component %d of %s%02d (%s) is mandatory and missing", j+1, at.seg.Tag(), at.element, comp.ID))
		}
	}
	if len(comp.Notes) > 0 {
		v.checkNotes(at.seg, string(at.seg.Tag()), compileNotes(comp.Notes), comp.Components, present, at.loop, at.element)
	}
}

// checkSimple checks a simple value's characters, type, length and code.
func (v *Validator) checkSimple(at elementCheck, ed *ElementDef, val []byte) {
	var n int
	var ok bool
	switch ed.Type {
	case AN, ID:
		n, ok = textLength(val)
	case N:
		n, ok = numericLength(trimSpaces(val), false)
	case R:
		n, ok = numericLength(trimSpaces(val), true)
	case DT:
		val = trimSpaces(val)
		n, ok = len(val), (len(val) == 8 || len(val) == 6) && validDate(string(val), len(val))
	case TM:
		val = trimSpaces(val)
		n, ok = len(val), validTime(string(val))
	}
	if !ok {
		v.badValue(at, ed, val)
		return
	}
	switch {
	case ed.Max > 0 && n > ed.Max:
		v.elementError(at, ed, AK4TooLong, val, fmt.Sprintf("%s %q is %d long; at most %d allowed", elementName(at, ed), printable(val), n, ed.Max))
		return
	case n < ed.Min:
		v.elementError(at, ed, AK4TooShort, val, fmt.Sprintf("%s %q is %d long; at least %d required", elementName(at, ed), printable(val), n, ed.Min))
		return
	}
	if ed.Type == ID && ed.Codes != nil && !ed.Codes.HasBytes(trimSpaces(val)) {
		if sev, ok := severityOf(v.opts.CodeLists); ok {
			v.elementFinding(at, ed, AK4BadCode, val, fmt.Sprintf("%s %q is not a valid %s code", elementName(at, ed), printable(val), ed.Codes.Name), sev)
		}
	}
}

// badValue reports a value with a control character or of the wrong form.
func (v *Validator) badValue(at elementCheck, ed *ElementDef, val []byte) {
	for _, c := range val {
		if c < 0x20 || c == 0x7f {
			v.elementError(at, ed, AK4BadChar, val, fmt.Sprintf("%s contains the control character 0x%02X", elementName(at, ed), c))
			return
		}
	}
	v.elementError(at, ed, typeErrorCode(ed.Type), val, fmt.Sprintf("%s %q is not %s", elementName(at, ed), printable(val), typeDescription(ed)))
}

// textLength returns the length of an AN or ID value without trailing
// spaces, and false when it holds a control character.
func textLength(val []byte) (int, bool) {
	for _, c := range val {
		if c < 0x20 || c == 0x7f {
			return 0, false
		}
	}
	return len(trimSpaces(val)), true
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

func trimSpaces(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

func elementName(at elementCheck, ed *ElementDef) string {
	s := fmt.Sprintf("%s%02d", at.seg.Tag(), at.element)
	if at.component > 0 {
		s += fmt.Sprintf("-%d", at.component)
	}
	if ed.Name != "" {
		s += " (" + ed.Name + ")"
	}
	return s
}

// numericLength validates an N (no decimal point) or R number and counts its
// digits.
func numericLength(val []byte, decimal bool) (int, bool) {
	if len(val) > 0 && (val[0] == '-' || (decimal && val[0] == '+')) {
		val = val[1:]
	}
	points := 0
	for _, c := range val {
		if c-'0' > 9 {
			if c != '.' || !decimal {
				return 0, false
			}
			points++
		}
	}
	digits := len(val) - points
	return digits, digits > 0 && points <= 1
}

func typeErrorCode(t DataType) string {
	switch t {
	case DT:
		return AK4BadDate
	case TM:
		return AK4BadTime
	}
	return AK4BadChar
}

func typeDescription(ed *ElementDef) string {
	switch ed.Type {
	case N:
		if ed.Decimals > 0 {
			return fmt.Sprintf("an integer with %d implied decimals (N%d: digits only, no decimal point)", ed.Decimals, ed.Decimals)
		}
		return "an integer (N0: digits only)"
	case R:
		return "a decimal number"
	case DT:
		if ed.Max == 6 {
			return "a valid date YYMMDD"
		}
		return "a valid date CCYYMMDD"
	case TM:
		return "a valid time HHMM[SS[d…]]"
	}
	return "valid"
}

// checkNotes applies syntax notes to the present elements (or components
// when element > 0).
func (v *Validator) checkNotes(seg *Segment, id string, notes []noteMask, defs []ElementDef, present uint64, loop string, element int) {
	for i := range notes {
		nm := &notes[i]
		if !nm.violated(present) {
			continue
		}
		n := nm.note
		code, pos, msg := violation(n, present, func(p int) string {
			if element > 0 {
				return fmt.Sprintf("%s%02d-%d", id, element, p)
			}
			return fmt.Sprintf("%s%02d", id, p)
		})
		if code == "" {
			continue
		}
		at := elementCheck{seg: seg, loop: loop, element: pos}
		ref := fmt.Sprintf("%s%02d", id, pos)
		if element > 0 {
			at = elementCheck{seg: seg, loop: loop, element: element, component: pos}
			ref = fmt.Sprintf("%s%02d-%d", id, element, pos)
		}
		def := &ElementDef{}
		if pos >= 1 && pos <= len(defs) {
			def = &defs[pos-1]
		}
		data := seg.Element(at.element)
		if element > 0 {
			data = seg.Component(element, pos)
		}
		v.elementError(at, def, code, data, fmt.Sprintf("%s: %s (syntax note %s)", ref, msg, n))
	}
}

// violated tells quickly whether the note fails for the present elements.
func (nm *noteMask) violated(present uint64) bool {
	p := present & nm.mask
	switch nm.note.Kind {
	case Paired:
		return p != 0 && p != nm.mask
	case Required:
		return p == 0
	case Exclusion:
		return p&(p-1) != 0
	case Conditional2:
		return p&nm.first != 0 && p != nm.mask
	case ListConditional:
		return p&nm.first != 0 && p == nm.first
	}
	return false
}

// violation evaluates one syntax note; it returns the AK403 code, the
// position to report and a message naming the elements, or "" when the note
// holds. name gives an element's reference, e.g. "PO103".
func violation(n SyntaxNote, present uint64, name func(int) string) (code string, pos int, msg string) {
	has := func(p int) bool { return p >= 1 && p <= 64 && present&(1<<(p-1)) != 0 }
	var missing, there []int
	for _, p := range n.Elements {
		if has(p) {
			there = append(there, p)
		} else {
			missing = append(missing, p)
		}
	}
	names := func(ps []int) string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = name(p)
		}
		return strings.Join(out, ", ")
	}
	first, rest := n.Elements[0], n.Elements[1:]
	switch n.Kind {
	case Paired:
		if len(there) > 0 && len(missing) > 0 {
			return AK4CondMissing, missing[0], fmt.Sprintf("%s must be used together: %s is present but %s is missing", names(n.Elements), names(there), names(missing))
		}
	case Required:
		if len(there) == 0 {
			return AK4CondMissing, first, fmt.Sprintf("at least one of %s is required", names(n.Elements))
		}
	case Exclusion:
		if len(there) > 1 {
			return AK4Exclusion, there[1], fmt.Sprintf("only one of %s may be used; %s are all present", names(n.Elements), names(there))
		}
	case Conditional2:
		if has(first) && len(missing) > 0 {
			return AK4CondMissing, missing[0], fmt.Sprintf("%s is present, so %s is required", name(first), names(missing))
		}
	case ListConditional:
		if has(first) && len(there) < 2 {
			return AK4CondMissing, rest[0], fmt.Sprintf("%s is present, so at least one of %s is required", name(first), names(rest))
		}
	}
	return "", 0, ""
}
