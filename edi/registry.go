package edi

import "strings"

// compiledLoop is a LoopDef prepared for validation: each tag maps to the
// nodes it can match, a loop node being matched by its trigger segment.
type compiledLoop struct {
	id        string
	nodes     []compiledNode
	mandatory []int // indices of the mandatory nodes, ascending
	// inner has a bit set for the tag of each node after the trigger, so
	// that a tag found in no such node is turned away without a scan.
	inner uint64
	// state numbers the loop's first placement state (see placeTable).
	state int
}

// tagBit is the bit of a tag key in compiledLoop.inner.
func tagBit(key uint32) uint64 { return 1 << ((key * 0x9E3779B1) >> 26) }

type compiledNode struct {
	key   uint32 // tagKey of tag
	tag   string
	seg   *compiledSegment // the segment, or the loop's trigger segment
	loop  *compiledLoop
	in    *compiledLoop // the loop the node belongs to
	usage Usage
	max   int
	// checked and semantic copy whether seg has elements to check and
	// checkSemantics has checks for it, one load nearer.
	checked, semantic bool
}

// compiledSegment is a SegmentDef with what validation needs precomputed.
type compiledSegment struct {
	*SegmentDef
	lastMandatory int    // index of the last mandatory element, -1 if none
	mandatory     uint64 // the mandatory elements as a bit set
	simple        []bool
	id            int  // numbers the compiled segments of the registry
	semantic      bool // checkSemantics has checks for the segment
	notes         []noteMask
	fast          []fastElement
	others        uint64 // the elements of a fast kind past fastDate, as a bit set
}

// noteMask is a syntax note as a bit mask over element positions.
type noteMask struct {
	note  SyntaxNote
	mask  uint64
	first uint64
}

func compileSegment(d *SegmentDef, cache map[*SegmentDef]*compiledSegment) *compiledSegment {
	if c := cache[d]; c != nil {
		return c
	}
	c := &compiledSegment{SegmentDef: d, lastMandatory: -1, simple: make([]bool, len(d.Elements)), id: len(cache),
		semantic: d.ID == "HL" || d.ID == "MAN"}
	if len(d.Elements) > 64 {
		panic("edi: segment " + d.ID + " has more than 64 elements")
	}
	for i, e := range d.Elements {
		if e.Usage == Mandatory {
			c.lastMandatory = i
			c.mandatory |= 1 << i
		}
		c.simple[i] = e.Composite == nil && e.Repeat <= 1
	}
	c.notes = compileNotes(d.Notes)
	c.fast = compileFast(d)
	for i, f := range c.fast {
		if f.kind > fastDate {
			c.others |= 1 << i
		}
	}
	cache[d] = c
	return c
}

func compileNotes(notes []SyntaxNote) []noteMask {
	out := make([]noteMask, 0, len(notes))
	for _, n := range notes {
		m := noteMask{note: n, first: 1 << (n.Elements[0] - 1)}
		for _, p := range n.Elements {
			m.mask |= 1 << (p - 1)
		}
		out = append(out, m)
	}
	return out
}

// tagKey packs a segment tag of two or three bytes into a map key; longer
// or shorter tags get a key no schema uses.
func tagKey(tag []byte) uint32 {
	switch len(tag) {
	case 2:
		return uint32(tag[0]) | uint32(tag[1])<<8
	case 3:
		return uint32(tag[0]) | uint32(tag[1])<<8 | uint32(tag[2])<<16
	}
	return 0xFFFFFFFF
}

type compiledSchema struct {
	*SetSchema
	root  *compiledLoop
	tags  map[string]bool // every segment tag used anywhere in the set
	place *placeTable
}

// registry holds the compiled schemas, built once from the immutable tables.
type registry struct {
	schemas map[string]*compiledSchema // key: set + "/" + release
	known   map[string]bool            // every segment tag of every schema
	// segments counts the compiled segments, numbered by compiledSegment.id.
	segments int
}

var schemaRegistry = newRegistry(allSchemas)

func newRegistry(all []*SetSchema) *registry {
	r := &registry{schemas: map[string]*compiledSchema{}, known: map[string]bool{}}
	for _, tag := range []string{"ISA", "IEA", "GS", "GE", "TA1", "ISB", "ISE"} {
		r.known[tag] = true
	}
	segs := map[*SegmentDef]*compiledSegment{}
	for _, s := range all {
		cs := &compiledSchema{SetSchema: s, tags: map[string]bool{}}
		cs.root = compileLoop(&s.Root, cs.tags, segs)
		cs.place = buildPlaceTable(cs.root)
		for t := range cs.tags {
			r.known[t] = true
		}
		r.schemas[s.ID+"/"+s.Release] = cs
	}
	r.segments = len(segs)
	return r
}

func compileLoop(l *LoopDef, tags map[string]bool, segs map[*SegmentDef]*compiledSegment) *compiledLoop {
	cl := &compiledLoop{id: l.ID}
	for i, n := range l.Nodes {
		cn := compiledNode{usage: n.Usage, max: n.Max, in: cl}
		def := n.Segment
		if n.Loop != nil {
			cn.loop = compileLoop(n.Loop, tags, segs)
			def = n.Loop.Nodes[0].Segment
		}
		cn.seg = compileSegment(def, segs)
		cn.checked, cn.semantic = def.Elements != nil, cn.seg.semantic
		cn.tag, cn.key = def.ID, tagKey([]byte(def.ID))
		tags[cn.tag] = true
		cl.nodes = append(cl.nodes, cn)
		if cn.usage == Mandatory {
			cl.mandatory = append(cl.mandatory, i)
		}
		if i > 0 {
			cl.inner |= tagBit(cn.key)
		}
	}
	return cl
}

// lookup returns the schema for set in release, falling back to the nearest
// release we have (0040xx and older → 004010, 0050xx and newer → 005010).
func (r *registry) lookup(set, release string) *compiledSchema {
	if s := r.schemas[set+"/"+release]; s != nil {
		return s
	}
	fallback := "004010"
	if release >= "005010" || strings.HasPrefix(release, "0050") {
		fallback = "005010"
	}
	if s := r.schemas[set+"/"+fallback]; s != nil {
		return s
	}
	return r.schemas[set+"/004010"]
}

// LookupSchema returns the schema of set (ST01) for release (GS08's first six
// characters), falling back to the nearest release available; nil when the
// set is not supported.
func LookupSchema(set, release string) *SetSchema {
	if s := schemaRegistry.lookup(set, release); s != nil {
		return s.SetSchema
	}
	return nil
}

// fastKind is how the fast path checks an element.
type fastKind uint8

const (
	fastText    fastKind = iota // AN, or ID without a code list
	fastCode                    // ID with a code list
	fastInteger                 // N
	fastDecimal                 // R
	fastDate                    // DT
	fastTime                    // TM
	fastSlow                    // composite or repeating: always the full check
)

// fastElement is the compact form of an ElementDef the fast path reads:
// its lengths run from min to min+width.
type fastElement struct {
	kind       fastKind
	min, width uint16
	// codes holds, for a fastCode element, the codes of its list whose
	// length fits it, so that a code found there needs no length check.
	codes *codeBits
}

// fits reports whether a value of length n is neither too short nor too
// long.
func (f *fastElement) fits(n int) bool {
	return uint(n)-uint(f.min) <= uint(f.width)
}

func compileFast(d *SegmentDef) []fastElement {
	out := make([]fastElement, len(d.Elements))
	for i, e := range d.Elements {
		f := fastElement{min: uint16(e.Min)}
		switch {
		case e.Composite != nil || e.Repeat > 1:
			f.kind = fastSlow
		case e.Type == AN || e.Type == ID && e.Codes == nil:
			f.kind = fastText
		case e.Type == ID:
			f.kind = fastCode
		case e.Type == N:
			f.kind = fastInteger
		case e.Type == R:
			f.kind = fastDecimal
		case e.Type == DT:
			f.kind = fastDate
		default:
			f.kind = fastTime
		}
		maxLen := uint16(e.Max)
		if e.Max <= 0 || e.Max > 65535 {
			maxLen = 65535
		}
		if maxLen < f.min || e.Min < 0 || e.Min > 65535 {
			f.kind = fastSlow // no length fits, or the bounds do not fit the form
		}
		f.width = maxLen - f.min
		if f.kind == fastCode {
			f.codes = e.Codes.shortFitting(int(f.min), int(maxLen))
		}
		out[i] = f
	}
	return out
}
