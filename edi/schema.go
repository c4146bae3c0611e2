package edi

import (
	"fmt"
	"strconv"
)

// DataType is an X12 simple data element type.
type DataType uint8

const (
	// AN is a string of the basic or extended character set.
	AN DataType = iota
	// ID is a code from a code list.
	ID
	// N is an integer with ElementDef.Decimals implied decimal places (Nn).
	N
	// R is a decimal number with optional sign and decimal point.
	R
	// DT is a date, CCYYMMDD (or YYMMDD when Max is 6).
	DT
	// TM is a time, HHMM, HHMMSS or HHMMSSd…
	TM
)

func (t DataType) String() string {
	return [...]string{"AN", "ID", "N", "R", "DT", "TM"}[t]
}

// Usage is a requirement designator.
type Usage uint8

const (
	// Optional (O) may be omitted.
	Optional Usage = iota
	// Mandatory (M) must be present.
	Mandatory
	// Conditional (X) is governed by the segment's syntax notes.
	Conditional
)

// Unbounded is the Max of a segment or loop that may repeat without limit (">1").
const Unbounded = 0

// CodeList is the set of valid codes of an ID element. Only the lists the
// canonical maps depend on are carried; an ID element without a list accepts
// any value of the right length.
type CodeList struct {
	Name  string
	codes map[string]string
	// short holds the codes of one to three characters from 0-9 and A-Z as
	// a bit set, so that the common lookups cost no hashing.
	short *codeBits
}

// codeBits is a set of codes of one to three characters from 0-9 and A-Z,
// by shortCodeIndex. It has room for every uint16 index, so that a lookup
// needs no bounds check.
type codeBits [1 << 10]uint64

// has reports whether code is in the set.
func (b *codeBits) has(code []byte) bool {
	k := shortCodeIndex(code)
	return k >= 0 && b.hasIndex(k)
}

func (b *codeBits) hasIndex(k int) bool { return b[uint16(k)>>6]&(1<<(k&63)) != 0 }

func (b *codeBits) add(k int) { b[uint16(k)>>6] |= 1 << (k & 63) }

// base37 maps 0-9 and A-Z to 1–36 and every other byte to a number so
// negative that a code holding it numbers below zero.
var base37 = func() (t [256]int32) {
	for c := range t {
		t[c] = -1 << 24
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = c - '0' + 1
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = c - 'A' + 11
	}
	return t
}()

// shortCodeIndex numbers codes of one to three characters from 0-9 and A-Z
// as numerals of base 37 whose digits are never 0; -1 for any other code.
// It is small enough to be inlined on the validation hot path.
func shortCodeIndex(code []byte) int {
	var k int
	switch len(code) {
	case 1:
		k = int(base37[code[0]])
	case 2:
		k = int(base37[code[0]])*37 + int(base37[code[1]])
	case 3:
		k = (int(base37[code[0]])*37+int(base37[code[1]]))*37 + int(base37[code[2]])
	default:
		return -1
	}
	return max(k, -1)
}

// NewCodeList builds a code list from alternating code and meaning strings.
func NewCodeList(name string, pairs ...string) *CodeList {
	if len(pairs)%2 != 0 {
		panic("edi: NewCodeList " + name + ": odd number of arguments")
	}
	c := &CodeList{Name: name, codes: make(map[string]string, len(pairs)/2), short: new(codeBits)}
	for i := 0; i < len(pairs); i += 2 {
		c.codes[pairs[i]] = pairs[i+1]
		if k := shortCodeIndex([]byte(pairs[i])); k >= 0 {
			c.short.add(k)
		}
	}
	return c
}

// shortFitting returns the short codes whose length lies in [lo, hi]: the
// list's own set when all of them do.
func (c *CodeList) shortFitting(lo, hi int) *codeBits {
	fit := new(codeBits)
	all := true
	for code := range c.codes {
		if k := shortCodeIndex([]byte(code)); k >= 0 {
			if len(code) < lo || len(code) > hi {
				all = false
				continue
			}
			fit.add(k)
		}
	}
	if all && c.short != nil {
		return c.short
	}
	return fit
}

// Has reports whether code is on the list.
func (c *CodeList) Has(code string) bool { return c.HasBytes([]byte(code)) }

// HasBytes reports whether code is on the list, without allocating.
func (c *CodeList) HasBytes(code []byte) bool {
	if k := shortCodeIndex(code); k >= 0 {
		return c.short.hasIndex(k)
	}
	_, ok := c.codes[string(code)]
	return ok
}

// Meaning returns the meaning of code, or "".
func (c *CodeList) Meaning(code string) string { return c.codes[code] }

// ElementDef describes one data element position of a segment, or one
// component of a composite.
type ElementDef struct {
	Ref       int    // data element reference number, reported in AK402
	Name      string // e.g. "Purchase Order Number"
	Type      DataType
	Decimals  int // implied decimals of an N element
	Min, Max  int // length bounds; for R and N digits only are counted
	Usage     Usage
	Codes     *CodeList     // checked for ID elements when set
	Composite *CompositeDef // set when the position holds a composite
	Repeat    int           // maximum repetitions (5010); 0 or 1 means no repeats
}

// CompositeDef describes a composite data structure such as C001 or C030.
type CompositeDef struct {
	ID         string
	Name       string
	Components []ElementDef
	Notes      []SyntaxNote
}

// NoteKind is the kind of an X12 syntax note (relational condition).
type NoteKind byte

const (
	// Paired (P): if any listed element is present, all must be.
	Paired NoteKind = 'P'
	// Required (R): at least one listed element must be present.
	Required NoteKind = 'R'
	// Exclusion (E): at most one listed element may be present.
	Exclusion NoteKind = 'E'
	// Conditional (C): if the first is present, all others must be.
	Conditional2 NoteKind = 'C'
	// ListConditional (L): if the first is present, at least one other must be.
	ListConditional NoteKind = 'L'
)

// SyntaxNote is one relational condition over element positions of a segment
// (or component positions of a composite), such as P0102 or C0504.
type SyntaxNote struct {
	Kind     NoteKind
	Elements []int // 1-based positions
}

// Note parses the X12 notation of a syntax note: a kind letter followed by
// two-digit positions, e.g. "P0405" or "R020304". It panics on bad input,
// being meant for schema tables.
func Note(s string) SyntaxNote {
	if len(s) < 5 || (len(s)-1)%2 != 0 {
		panic("edi: bad syntax note " + s)
	}
	n := SyntaxNote{Kind: NoteKind(s[0])}
	switch n.Kind {
	case Paired, Required, Exclusion, Conditional2, ListConditional:
	default:
		panic("edi: bad syntax note kind " + s)
	}
	for i := 1; i < len(s); i += 2 {
		p, err := strconv.Atoi(s[i : i+2])
		if err != nil || p <= 0 {
			panic("edi: bad syntax note " + s)
		}
		n.Elements = append(n.Elements, p)
	}
	return n
}

func (n SyntaxNote) String() string {
	s := string(n.Kind)
	for _, p := range n.Elements {
		s += fmt.Sprintf("%02d", p)
	}
	return s
}

// SegmentDef describes a segment: its elements in order and its syntax notes.
// A SegmentDef with no Elements is known by tag only; its elements are not
// checked.
type SegmentDef struct {
	ID       string
	Name     string
	Elements []ElementDef
	Notes    []SyntaxNote
}

// Node is one entry of a loop: a segment or a nested loop, with its
// requirement designator and maximum use (or loop repeat).
type Node struct {
	Segment *SegmentDef
	Loop    *LoopDef
	Usage   Usage
	Max     int // Unbounded (0) for ">1"
}

// LoopDef is a loop; its first node is the loop's trigger segment.
type LoopDef struct {
	ID    string
	Nodes []Node
}

// Seg is a schema-table shorthand for a segment node.
func Seg(def *SegmentDef, u Usage, max int) Node {
	return Node{Segment: def, Usage: u, Max: max}
}

// Loop is a schema-table shorthand for a loop node; the first node is the
// trigger segment.
func Loop(id string, u Usage, max int, nodes ...Node) Node {
	if len(nodes) == 0 || nodes[0].Segment == nil {
		panic("edi: loop " + id + " must start with a segment")
	}
	return Node{Loop: &LoopDef{ID: id, Nodes: nodes}, Usage: u, Max: max}
}

// HierarchyRule states which HL levels (HL03) may sit under which, for sets
// such as the 856 whose detail is an HL tree.
type HierarchyRule struct {
	// Parents maps a level code to the level codes allowed as its parent;
	// "" stands for the top of the tree.
	Parents map[string][]string
	// Levels names each level code, for messages.
	Levels *CodeList
}

// SetSchema describes one transaction set in one release.
type SetSchema struct {
	ID           string // ST01, e.g. "850"
	Release      string // e.g. "004010"
	FunctionalID string // GS01 the set travels under, e.g. "PO"
	Name         string
	// Root is the whole set from ST to SE, heading, detail and summary areas
	// flattened into one sequence.
	Root      LoopDef
	Hierarchy *HierarchyRule
}
