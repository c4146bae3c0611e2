package edi

import (
	"fmt"
)

// Check sets how a lenient rule is treated. The zero value means the rule's
// documented default.
type Check uint8

const (
	// CheckDefault applies the rule's default.
	CheckDefault Check = iota
	// CheckError makes a violation reject the set.
	CheckError
	// CheckWarn reports a violation without rejecting.
	CheckWarn
	// CheckIgnore does not report the violation.
	CheckIgnore
)

func (c Check) or(def Check) Check {
	if c == CheckDefault {
		return def
	}
	return c
}

// ValidateOpts are the leniency switches of validation; partners/ builds them
// from partner configuration. A nil *ValidateOpts means the defaults.
type ValidateOpts struct {
	// MaxErrors caps the findings kept per set. Default 100.
	MaxErrors int
	// FunctionalID: a set under a GS01 that is not its own (an 850 under
	// GS*IN). Default CheckError (AK502 6).
	FunctionalID Check
	// HLParent: an 856 HL below the top level without HL02. Default CheckWarn;
	// the parent is then taken to be the nearest preceding HL of a level that
	// may hold it.
	HLParent Check
	// SSCC: a MAN*GM value that is not a valid SSCC-18 (check digit). Default
	// CheckWarn.
	SSCC Check
	// CodeLists: values outside a code list of an ID element. Default
	// CheckError (AK403 7).
	CodeLists Check
}

// Validator checks transaction sets against the schema tables. It reuses
// its buffers between calls and is not safe for concurrent use.
type Validator struct {
	opts  ValidateOpts
	res   *SetResult
	stack []frame
	hl    hlState
	notes []notesMemo // by compiledSegment.id
	row   int         // the placement table's row of the current state
	// last is the schema of the last set validated, of set lastSet in
	// release lastRelease: the sets of a file tend to be of one kind.
	last                 *compiledSchema
	lastSet, lastRelease string
}

// frame is one open loop instance. Its cursor only moves forward, so the
// nodes after it are unused and those before it are done with: the uses of
// the cursor's node are the only count placement needs.
type frame struct {
	loop   *compiledLoop
	cursor int // index of the node last matched
	uses   int // how often the cursor's node has matched in this instance
}

// NewValidator returns a Validator with opts (nil means defaults).
func NewValidator(opts *ValidateOpts) *Validator {
	v := &Validator{notes: make([]notesMemo, schemaRegistry.segments)}
	if opts != nil {
		v.opts = *opts
	}
	if v.opts.MaxErrors <= 0 {
		v.opts.MaxErrors = 100
	}
	v.opts.FunctionalID = v.opts.FunctionalID.or(CheckError)
	v.opts.HLParent = v.opts.HLParent.or(CheckWarn)
	v.opts.SSCC = v.opts.SSCC.or(CheckWarn)
	v.opts.CodeLists = v.opts.CodeLists.or(CheckError)
	return v
}

// Validate checks t with default options.
func Validate(t *Transaction, opts *ValidateOpts) *SetResult {
	return NewValidator(opts).Validate(t)
}

// Validate checks the envelope findings, segment order, loops, usage and
// repeats, elements and syntax notes of t, and for the 856 its HL tree.
func (v *Validator) Validate(t *Transaction) *SetResult {
	release := "004010"
	if t.Group != nil {
		release = t.Group.Release()
	}
	res := &SetResult{SetID: t.SetID, ControlNumber: t.ControlNumber, ImplementationRef: t.ImplementationRef}
	v.res = res
	for _, e := range t.Errors {
		v.add(e, e.Severity)
	}
	cs := v.schema(t.SetID, release)
	if cs == nil {
		v.add(&SetError{Code: AK5NotSupported, Segment: "ST", Position: 1,
			Msg: fmt.Sprintf("transaction set %s is not supported", t.SetID)}, SeverityError)
		return v.finish()
	}
	res.Release = cs.Release
	v.checkFunctionalID(t, cs)
	v.walk(t, cs)
	return v.finish()
}

// schema looks up the schema of set in release, remembering the last.
func (v *Validator) schema(set, release string) *compiledSchema {
	if v.last == nil || set != v.lastSet || release != v.lastRelease {
		v.last, v.lastSet, v.lastRelease = schemaRegistry.lookup(set, release), set, release
	}
	return v.last
}

func (v *Validator) finish() *SetResult {
	res := v.res
	v.res = nil
	for _, e := range res.Errors {
		if sev, ok := e.(interface{ severity() Severity }); ok {
			if sev.severity() == SeverityError {
				res.Status = SetRejected
				return res
			}
			res.Status = SetAcceptedWithErrors
		}
	}
	return res
}

func (v *Validator) checkFunctionalID(t *Transaction, cs *compiledSchema) {
	if t.Group == nil || t.Group.FunctionalID == cs.FunctionalID {
		return
	}
	sev, ok := severityOf(v.opts.FunctionalID)
	if !ok {
		return
	}
	v.add(&SetError{Code: AK5BadSetID, Severity: sev, Segment: "ST", Position: 1,
		Msg: fmt.Sprintf("transaction set %s travels under GS01 %q; it belongs under %q", t.SetID, t.Group.FunctionalID, cs.FunctionalID)}, sev)
}

func severityOf(c Check) (Severity, bool) {
	switch c {
	case CheckIgnore:
		return 0, false
	case CheckWarn:
		return SeverityWarning, true
	}
	return SeverityError, true
}

// add records a finding unless the cap is reached; sev must match the
// finding's own severity field, which it sets.
func (v *Validator) add(e error, sev Severity) {
	if len(v.res.Errors) >= v.opts.MaxErrors {
		v.res.Truncated = true
		return
	}
	switch f := e.(type) {
	case *SetError:
		f.Severity = sev
	case *SegmentError:
		f.Severity = sev
	case *ElementError:
		f.Severity = sev
	}
	v.res.Errors = append(v.res.Errors, e)
}

func (v *Validator) segmentError(seg *Segment, loop, code, msg string) {
	v.add(&SegmentError{SegmentID: printable(seg.Tag()), Position: seg.Position, LoopID: loop, Code: code, Msg: msg}, SeverityError)
}

// walk places every segment of t in the schema's loop structure. It is
// not inlined into Validate: the build's profile knows its hot calls as
// made from walk, and inlines them only there.
//
//go:noinline
func (v *Validator) walk(t *Transaction, cs *compiledSchema) {
	// Placement starts before the first node of the root loop, whose
	// frame stays at the bottom of the stack.
	v.stack = append(v.stack[:0], frame{loop: cs.root, cursor: -1})
	v.row = stateRow(cs.root, -1, cs.place.tags.n)
	v.hl.reset(cs.Hierarchy)
	segs := t.Segments
	for i := range segs {
		seg := &segs[i]
		node, loopID := v.placeByTable(seg, cs)
		if node == nil {
			continue
		}
		if node.checked {
			v.checkElements(seg, node.seg, loopID)
		}
		if node.semantic {
			v.checkSemantics(seg, loopID)
		}
	}
	last := &segs[len(segs)-1]
	v.closeFrames(0, last)
	if !last.Is("SE") {
		return
	}
	v.checkMissing(&v.stack[0], len(cs.root.nodes), last)
}

// place finds seg's node, entering and leaving loops, and reports structural
// findings. It returns nil when the segment has no place in the set.
func (v *Validator) place(seg *Segment, cs *compiledSchema) (*compiledNode, string) {
	key := tagKey(seg.Tag())
	exDepth, exIdx := -1, -1
	for depth := len(v.stack) - 1; depth >= 0; depth-- {
		idx, exhausted := v.find(&v.stack[depth], depth, key)
		if idx < 0 {
			if exhausted >= 0 && exDepth < 0 {
				exDepth, exIdx = depth, exhausted
			}
			continue
		}
		return v.moveTo(depth, idx, seg)
	}
	if exDepth >= 0 {
		return v.moveTo(exDepth, exIdx, seg)
	}
	v.misplaced(seg, cs)
	return nil, ""
}

func (v *Validator) moveTo(depth, idx int, seg *Segment) (*compiledNode, string) {
	v.closeFrames(depth+1, seg)
	f := &v.stack[depth]
	v.checkMissingBetween(f, f.cursor+1, idx, seg)
	n := v.enter(depth, idx, seg)
	return n, v.stack[len(v.stack)-1].loop.id
}

// find returns the index of the node of frame f that tag matches at or after
// the cursor, or -1. Inside a loop the trigger (node 0) never matches: a
// repeated trigger starts a new instance, found in the enclosing frame. A
// segment at the cursor that has used up its repeats is returned as
// exhausted instead, so that the caller can prefer a place further out and
// otherwise report the over-use.
func (v *Validator) find(f *frame, depth int, key uint32) (idx, exhausted int) {
	exhausted = -1
	if depth > 0 && f.loop.inner&tagBit(key) == 0 {
		return -1, -1
	}
	start := max(f.cursor, 0)
	if depth > 0 && start == 0 {
		start = 1
	}
	nodes := f.loop.nodes
	for i := start; i < len(nodes); i++ {
		n := &nodes[i]
		if n.key != key {
			continue
		}
		if i == f.cursor && n.loop == nil && n.max != Unbounded && f.uses >= n.max {
			exhausted = i
			continue
		}
		return i, -1
	}
	return -1, exhausted
}

// enter records a match of node idx of the frame at depth.
func (v *Validator) enter(depth, idx int, seg *Segment) *compiledNode {
	f := &v.stack[depth]
	n := &f.loop.nodes[idx]
	if idx != f.cursor {
		f.cursor, f.uses = idx, 0
	}
	f.uses++
	uses := f.uses
	if n.loop == nil {
		if n.max != Unbounded && uses > n.max {
			v.segmentError(seg, f.loop.id, AK3OverMaxUse, fmt.Sprintf("%s occurs %d times; at most %d allowed here", n.tag, uses, n.max))
		}
		return n
	}
	if n.max != Unbounded && uses > n.max {
		v.segmentError(seg, n.loop.id, AK3LoopOverMax, fmt.Sprintf("loop %s occurs %d times; at most %d allowed", n.loop.id, uses, n.max))
	}
	v.stack = append(v.stack, frame{loop: n.loop, cursor: 0, uses: 1})
	return &n.loop.nodes[0]
}

// closeFrames leaves the loops at depth and deeper, reporting their missing
// mandatory segments at seg.
func (v *Validator) closeFrames(depth int, at *Segment) {
	for len(v.stack) > depth && len(v.stack) > 1 {
		f := &v.stack[len(v.stack)-1]
		v.checkMissing(f, len(f.loop.nodes), at)
		v.stack = v.stack[:len(v.stack)-1]
	}
}

func (v *Validator) checkMissing(f *frame, end int, at *Segment) {
	v.checkMissingBetween(f, f.cursor+1, end, at)
}

// checkMissingBetween reports the mandatory nodes in [from, to), which lie
// after the cursor and so were never used.
func (v *Validator) checkMissingBetween(f *frame, from, to int, at *Segment) {
	for _, i := range f.loop.mandatory {
		if i < from || i >= to {
			continue
		}
		n := &f.loop.nodes[i]
		if n.tag == "SE" {
			continue
		}
		what := "segment " + n.tag
		if n.loop != nil {
			what = "loop " + n.loop.id + " (starting with " + n.tag + ")"
		}
		v.add(&SegmentError{SegmentID: n.tag, Position: at.Position, LoopID: f.loop.id, Code: AK3Missing,
			Msg: fmt.Sprintf("mandatory %s is missing before %s at position %d", what, printable(at.Tag()), at.Position)}, SeverityError)
	}
}

// misplaced reports a segment that fits nowhere from the current state.
func (v *Validator) misplaced(seg *Segment, cs *compiledSchema) {
	tag := string(seg.Tag())
	loop := v.stack[len(v.stack)-1].loop.id
	switch {
	case cs.tags[tag]:
		v.segmentError(seg, loop, AK3OutOfSequence, fmt.Sprintf("segment %s is out of sequence here", tag))
	case schemaRegistry.known[tag]:
		v.segmentError(seg, loop, AK3NotInSet, fmt.Sprintf("segment %s is not used in transaction set %s", tag, cs.ID))
	default:
		v.segmentError(seg, loop, AK3Unrecognized, fmt.Sprintf("%q is not a recognized segment ID", printable(seg.Raw()[:min(len(seg.Raw()), 20)])))
	}
}
