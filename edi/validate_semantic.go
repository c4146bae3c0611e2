package edi

import (
	"fmt"
)

// hlState follows the HL tree of a set whose schema has a HierarchyRule.
type hlState struct {
	rule   *HierarchyRule
	levels map[string]string // HL01 → HL03
	recent map[string]hlRef  // HL03 → the latest HL of that level
	seq    int
}

type hlRef struct {
	id  string
	seq int
}

func (h *hlState) reset(rule *HierarchyRule) {
	h.rule, h.seq = rule, 0
	if rule == nil {
		return
	}
	clear(h.levels)
	clear(h.recent)
	if h.levels == nil {
		h.levels, h.recent = map[string]string{}, map[string]hlRef{}
	}
}

// checkSemantics applies the checks that span elements or segments.
func (v *Validator) checkSemantics(seg *Segment, loop string) {
	switch string(seg.Tag()) {
	case "HL":
		if v.hl.rule != nil {
			v.checkHL(seg, loop)
		}
	case "MAN":
		v.checkSSCC(seg, loop, 1)
		v.checkSSCC(seg, loop, 4)
	}
}

var hlDefs = [...]ElementDef{
	{Ref: 628, Name: "Hierarchical ID Number"},
	{Ref: 734, Name: "Hierarchical Parent ID Number"},
	{Ref: 735, Name: "Hierarchical Level Code"},
}

// checkHL checks that HL01 is new, that HL02 names an earlier HL, and that
// the level (HL03) may sit under its parent's level.
func (v *Validator) checkHL(seg *Segment, loop string) {
	id, parent, level := seg.Value(1), seg.Value(2), seg.Value(3)
	at := func(e int) elementCheck { return elementCheck{seg: seg, loop: loop, element: e} }
	if id == "" || level == "" {
		return // reported as missing mandatory elements
	}
	if _, dup := v.hl.levels[id]; dup {
		v.elementError(at(1), &hlDefs[0], AK4BadCode, seg.Element(1), fmt.Sprintf("HL01 %q is already used by an earlier HL", id))
		return
	}
	allowed, known := v.hl.rule.Parents[level]
	if !known {
		v.elementError(at(3), &hlDefs[2], AK4BadCode, seg.Element(3), fmt.Sprintf("HL03 %q is not a hierarchical level used in this set", level))
	}
	v.hl.seq++
	v.hl.levels[id] = level
	v.hl.recent[level] = hlRef{id: id, seq: v.hl.seq}
	if !known {
		return
	}
	if parent == "" {
		v.checkHLTop(seg, at(2), level, allowed)
		return
	}
	plevel, ok := v.hl.levels[parent]
	switch {
	case !ok:
		v.elementError(at(2), &hlDefs[1], AK4BadCode, seg.Element(2), fmt.Sprintf("HL02 %q does not name an earlier HL01", parent))
	case !inList(plevel, allowed...):
		v.elementError(at(2), &hlDefs[1], AK4BadCode, seg.Element(2),
			fmt.Sprintf("HL %s at level %s cannot be under HL %s at level %s", id, levelName(v.hl.rule, level), parent, levelName(v.hl.rule, plevel)))
	}
}

// checkHLTop handles an HL without a parent: fine at the top level, else a
// finding of the configured severity.
func (v *Validator) checkHLTop(seg *Segment, at elementCheck, level string, allowed []string) {
	if inList("", allowed...) {
		return
	}
	sev, report := severityOf(v.opts.HLParent)
	if !report {
		return
	}
	implied := "no earlier HL can be its parent"
	best := hlRef{seq: -1}
	for _, p := range allowed {
		if r, ok := v.hl.recent[p]; ok && r.seq > best.seq && r.id != seg.Value(1) {
			best = r
		}
	}
	if best.seq >= 0 {
		implied = fmt.Sprintf("HL %s is taken as its parent", best.id)
	}
	v.elementFinding(at, &hlDefs[1], AK4CondMissing, nil,
		fmt.Sprintf("HL02 is missing on HL %s at level %s; %s", seg.Value(1), levelName(v.hl.rule, level), implied), sev)
}

func levelName(r *HierarchyRule, level string) string {
	if r.Levels != nil {
		if m := r.Levels.Meaning(level); m != "" {
			return level + " (" + m + ")"
		}
	}
	return level
}

// checkSSCC checks a MAN*GM marks value (at element pos+1) as an SSCC-18,
// with or without its "00" application identifier.
func (v *Validator) checkSSCC(seg *Segment, loop string, pos int) {
	if seg.Value(pos) != "GM" || len(seg.Element(pos+1)) == 0 {
		return
	}
	sev, report := severityOf(v.opts.SSCC)
	if !report {
		return
	}
	val := seg.Element(pos + 1)
	digits := val
	if len(digits) == 20 && digits[0] == '0' && digits[1] == '0' {
		digits = digits[2:]
	}
	msg := ""
	switch {
	case len(digits) != 18 || !allDigits(string(digits)):
		msg = fmt.Sprintf("MAN%02d %q is not an SSCC-18 (18 digits, optionally after the application identifier 00)", pos+1, printable(val))
	case gs1CheckDigit(digits[:17]) != digits[17]-'0':
		msg = fmt.Sprintf("MAN%02d %q has check digit %c; SSCC-18 expects %d", pos+1, val, digits[17], gs1CheckDigit(digits[:17]))
	default:
		return
	}
	at := elementCheck{seg: seg, loop: loop, element: pos + 1}
	v.elementFinding(at, &ElementDef{Ref: 87, Name: "Marks and Numbers"}, AK4BadCode, val, msg, sev)
}

// gs1CheckDigit computes the GS1 mod-10 check digit of the data digits.
func gs1CheckDigit(data []byte) byte {
	sum := 0
	for i := len(data) - 1; i >= 0; i-- {
		d := int(data[i] - '0')
		if (len(data)-1-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte((10 - sum%10) % 10)
}
