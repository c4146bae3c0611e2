package edi

import "strings"

// compiledLoop is a LoopDef prepared for validation: each tag maps to the
// nodes it can match, a loop node being matched by its trigger segment.
type compiledLoop struct {
	id    string
	nodes []compiledNode
	byTag map[string][]int
}

type compiledNode struct {
	tag   string
	seg   *SegmentDef // the segment, or the loop's trigger segment
	loop  *compiledLoop
	usage Usage
	max   int
}

type compiledSchema struct {
	*SetSchema
	root *compiledLoop
	tags map[string]bool // every segment tag used anywhere in the set
}

// registry holds the compiled schemas, built once from the immutable tables.
type registry struct {
	schemas map[string]*compiledSchema // key: set + "/" + release
	known   map[string]bool            // every segment tag of every schema
}

var schemaRegistry = newRegistry(allSchemas)

func newRegistry(all []*SetSchema) *registry {
	r := &registry{schemas: map[string]*compiledSchema{}, known: map[string]bool{}}
	for _, tag := range []string{"ISA", "IEA", "GS", "GE", "TA1", "ISB", "ISE"} {
		r.known[tag] = true
	}
	for _, s := range all {
		cs := &compiledSchema{SetSchema: s, tags: map[string]bool{}}
		cs.root = compileLoop(&s.Root, cs.tags)
		for t := range cs.tags {
			r.known[t] = true
		}
		r.schemas[s.ID+"/"+s.Release] = cs
	}
	return r
}

func compileLoop(l *LoopDef, tags map[string]bool) *compiledLoop {
	cl := &compiledLoop{id: l.ID, byTag: map[string][]int{}}
	for i, n := range l.Nodes {
		cn := compiledNode{usage: n.Usage, max: n.Max}
		if n.Loop != nil {
			cn.loop = compileLoop(n.Loop, tags)
			cn.seg = n.Loop.Nodes[0].Segment
		} else {
			cn.seg = n.Segment
		}
		cn.tag = cn.seg.ID
		tags[cn.tag] = true
		cl.nodes = append(cl.nodes, cn)
		cl.byTag[cn.tag] = append(cl.byTag[cn.tag], i)
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
