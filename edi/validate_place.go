package edi

import "math"

// The placement table answers, for the common case, where a segment goes:
// the state of placement is the innermost loop and its cursor (the loops
// outside it, and their cursors, follow from the schema tree), so for each
// state and tag the outcome of find, moveTo and enter can be worked out
// once. A step that would report a finding, or that depends on how often a
// node was used, is marked for the general path.

// placeStep is the precomputed placement of one tag in one state: the node
// idx of the frame at depth. node is where the segment lands (the trigger
// of the loop the node opens, if it does); next is the row of the state
// after the step; max is the node's maximum use, for stepCounted.
type placeStep struct {
	node  *compiledNode
	next  int32
	max   int32
	idx   uint16
	depth uint8
	flags uint8
}

const (
	// stepGeneral: place by the general path (no place, or a finding).
	stepGeneral = 1 << iota
	// stepCounted: the node is the frame's cursor and has a maximum use,
	// which its count must be below.
	stepCounted
	// stepOpens: the node is a loop, which the step enters.
	stepOpens
	// stepAgain: the node is the frame's cursor, whose uses go up by one.
	stepAgain
)

// tagSlots maps the tags of one schema to small numbers by open
// addressing; slot 0 stands for every tag the schema does not use.
type tagSlots struct {
	keys  [256]uint32
	slots [256]uint8
	n     int // slots in use, including slot 0
}

func tagHash(key uint32) uint32 { return (key * 0x9E3779B1) >> 24 }

// slot returns the slot of the tag with tagKey key.
func (t *tagSlots) slot(key uint32) int {
	for h := tagHash(key); ; h = (h + 1) & 255 {
		switch t.keys[h] {
		case key:
			return int(t.slots[h])
		case 0:
			return 0
		}
	}
}

// add gives key a slot unless it has one.
func (t *tagSlots) add(key uint32) {
	if t.n == 0 {
		t.n = 1
	}
	h := tagHash(key)
	for ; t.keys[h] != 0; h = (h + 1) & 255 {
		if t.keys[h] == key {
			return
		}
	}
	if t.n == 256 {
		panic("edi: too many segment tags in one schema")
	}
	t.keys[h], t.slots[h] = key, uint8(t.n)
	t.n++
}

// placeTable is the placement table of one schema.
type placeTable struct {
	tags  tagSlots
	steps []placeStep // by state, then slot
}

// pathFrame is one frame of a state as the table is built.
type pathFrame struct {
	loop   *compiledLoop
	cursor int
}

// buildPlaceTable numbers the states of every loop under root and works
// out each step.
func buildPlaceTable(root *compiledLoop) *placeTable {
	pt := &placeTable{}
	states := 0
	forEachLoop(root, nil, func(path []pathFrame) {
		l := path[len(path)-1].loop
		l.state = states
		states += len(l.nodes) + 1
		for i := range l.nodes {
			pt.tags.add(l.nodes[i].key)
		}
	})
	pt.steps = make([]placeStep, states*pt.tags.n)
	forEachLoop(root, nil, func(path []pathFrame) {
		l := path[len(path)-1].loop
		for cursor := -1; cursor < len(l.nodes); cursor++ {
			path[len(path)-1].cursor = cursor
			row := pt.steps[(l.state+cursor+1)*pt.tags.n:]
			row[0] = placeStep{flags: stepGeneral}
			for h, key := range pt.tags.keys {
				if key != 0 {
					row[pt.tags.slots[h]] = stepFor(path, key, pt.tags.n)
				}
			}
		}
	})
	return pt
}

// forEachLoop calls fn with the path to l and to every loop nested in it;
// the cursor of each enclosing frame is the index of the nested loop's node.
func forEachLoop(l *compiledLoop, path []pathFrame, fn func([]pathFrame)) {
	path = append(path, pathFrame{loop: l})
	fn(path)
	for i := range l.nodes {
		if inner := l.nodes[i].loop; inner != nil {
			path[len(path)-1].cursor = i
			forEachLoop(inner, path, fn)
		}
	}
}

// stepFor works out the step of key from the state path, following find,
// moveTo and enter without counts; a row of the table has n steps.
func stepFor(path []pathFrame, key uint32, n int) placeStep {
	closing := false // a frame left on the way would report missing segments
	for depth := len(path) - 1; depth >= 0; depth-- {
		f := path[depth]
		idx := firstMatch(f, depth, key)
		if idx < 0 {
			closing = closing || missingBetween(f.loop, f.cursor+1, len(f.loop.nodes))
			continue
		}
		st := placeStep{idx: uint16(idx), depth: uint8(depth)}
		if closing || missingBetween(f.loop, f.cursor+1, idx) {
			st.flags |= stepGeneral
		}
		if idx == f.cursor {
			st.flags |= stepAgain
			if limit := f.loop.nodes[idx].max; limit != Unbounded {
				st.flags |= stepCounted
				st.max = int32(min(limit, math.MaxInt32)) // a larger limit is left to the general path
			}
		}
		st.node, st.next = &f.loop.nodes[idx], int32(stateRow(f.loop, idx, n))
		if inner := st.node.loop; inner != nil {
			st.flags |= stepOpens
			st.node, st.next = &inner.nodes[0], int32(stateRow(inner, 0, n))
		}
		return st
	}
	return placeStep{flags: stepGeneral}
}

// firstMatch is find without the use counts.
func firstMatch(f pathFrame, depth int, key uint32) int {
	start := max(f.cursor, 0)
	if depth > 0 && start == 0 {
		start = 1
	}
	for i := start; i < len(f.loop.nodes); i++ {
		if f.loop.nodes[i].key == key {
			return i
		}
	}
	return -1
}

// missingBetween reports whether a mandatory node other than SE lies in
// [from, to): unused, as nodes after the cursor are, it would be reported.
func missingBetween(l *compiledLoop, from, to int) bool {
	for _, i := range l.mandatory {
		if i >= from && i < to && l.nodes[i].tag != "SE" {
			return true
		}
	}
	return false
}

// stateRow returns the first step of the row of the state whose innermost
// loop is l at cursor, in a table whose rows have n steps.
func stateRow(l *compiledLoop, cursor, n int) int {
	return (l.state + cursor + 1) * n
}

// placeByTable places seg by the schema's table when it can, else by the
// general path, and returns seg's node and the loop it is in. v.row is the
// row of the current state.
func (v *Validator) placeByTable(seg *Segment, cs *compiledSchema) (*compiledNode, string) {
	pt := cs.place
	st := &pt.steps[v.row+pt.tags.slot(tagKey(seg.Tag()))]
	if st.flags&stepGeneral != 0 {
		return v.placeGeneral(seg, cs)
	}
	depth := int(st.depth)
	f := &v.stack[depth]
	if st.flags&stepCounted != 0 && f.uses >= int(st.max) {
		return v.placeGeneral(seg, cs)
	}
	v.stack = v.stack[:depth+1]
	if st.flags&stepAgain != 0 {
		f.uses++
	} else {
		f.cursor, f.uses = int(st.idx), 1
	}
	v.row = int(st.next)
	in := st.node.in
	if st.flags&stepOpens != 0 {
		v.stack = append(v.stack, frame{loop: in, cursor: 0, uses: 1})
	}
	return st.node, in.id
}

// placeGeneral places seg by the general path and notes the state it
// leaves.
func (v *Validator) placeGeneral(seg *Segment, cs *compiledSchema) (*compiledNode, string) {
	n, loop := v.place(seg, cs)
	top := &v.stack[len(v.stack)-1]
	v.row = stateRow(top.loop, top.cursor, cs.place.tags.n)
	return n, loop
}
