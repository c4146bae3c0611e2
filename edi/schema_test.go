package edi

import (
	"fmt"
	"regexp"
	"slices"
	"testing"
)

// schemaName names a schema in test messages, e.g. "850/004010".
func schemaName(s *SetSchema) string { return s.ID + "/" + s.Release }

// visitNodes calls fn for every node of l, depth first, with the path of
// loop IDs leading to it.
func visitNodes(l *LoopDef, path string, fn func(path string, n Node)) {
	for _, n := range l.Nodes {
		fn(path, n)
		if n.Loop != nil {
			visitNodes(n.Loop, path+"/"+n.Loop.ID, fn)
		}
	}
}

// schemaSegments returns the distinct segment definitions a schema places,
// in first-seen order.
func schemaSegments(s *SetSchema) []*SegmentDef {
	var out []*SegmentDef
	visitNodes(&s.Root, "", func(_ string, n Node) {
		if n.Segment != nil && !slices.Contains(out, n.Segment) {
			out = append(out, n.Segment)
		}
	})
	return out
}

// findSegment returns the first definition of segment id placed by s, or
// nil.
func findSegment(s *SetSchema, id string) *SegmentDef {
	for _, d := range schemaSegments(s) {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// findTopNode returns the top-level node of s whose segment, or loop
// trigger, is id.
func findTopNode(s *SetSchema, id string) (Node, bool) {
	for _, n := range s.Root.Nodes {
		if n.Segment != nil && n.Segment.ID == id {
			return n, true
		}
		if n.Loop != nil && n.Loop.Nodes[0].Segment.ID == id {
			return n, true
		}
	}
	return Node{}, false
}

func schemaByKey(t *testing.T, set, release string) *SetSchema {
	t.Helper()
	for _, s := range allSchemas {
		if s.ID == set && s.Release == release {
			return s
		}
	}
	t.Fatalf("no schema %s/%s in allSchemas", set, release)
	return nil
}

func TestSchemaCatalog(t *testing.T) {
	t.Parallel()
	want := []struct {
		set, release, fid string
	}{
		{"850", "004010", "PO"},
		{"850", "005010", "PO"},
		{"856", "004010", "SH"},
		{"856", "005010", "SH"},
		{"940", "004010", "OW"},
		{"940", "005010", "OW"},
		{"945", "004010", "SW"},
		{"945", "005010", "SW"},
		{"997", "004010", "FA"},
		{"997", "005010", "FA"},
		{"999", "005010", "FA"},
	}
	if len(allSchemas) != len(want) {
		t.Errorf("allSchemas has %d schemas, want %d", len(allSchemas), len(want))
	}
	seen := map[string]bool{}
	for _, s := range allSchemas {
		if seen[schemaName(s)] {
			t.Errorf("%s listed twice", schemaName(s))
		}
		seen[schemaName(s)] = true
		if s.Name == "" {
			t.Errorf("%s has no name", schemaName(s))
		}
	}
	for _, w := range want {
		t.Run(w.set+"/"+w.release, func(t *testing.T) {
			s := schemaByKey(t, w.set, w.release)
			if s.FunctionalID != w.fid {
				t.Errorf("FunctionalID = %q, want %q", s.FunctionalID, w.fid)
			}
		})
	}
}

func TestSchemaEnvelope(t *testing.T) {
	t.Parallel()
	for _, s := range allSchemas {
		t.Run(schemaName(s), func(t *testing.T) {
			nodes := s.Root.Nodes
			if len(nodes) < 3 {
				t.Fatalf("root has %d nodes", len(nodes))
			}
			for _, c := range []struct {
				n  Node
				id string
			}{{nodes[0], "ST"}, {nodes[len(nodes)-1], "SE"}} {
				if c.n.Segment == nil || c.n.Segment.ID != c.id {
					t.Errorf("root does not %s with segment %s", map[string]string{"ST": "start", "SE": "end"}[c.id], c.id)
					continue
				}
				if c.n.Usage != Mandatory || c.n.Max != 1 {
					t.Errorf("%s is %v max %d, want mandatory max 1", c.id, c.n.Usage, c.n.Max)
				}
			}
			wantST := map[string]int{"004010": 2, "005010": 3}[s.Release]
			if got := len(nodes[0].Segment.Elements); got != wantST {
				t.Errorf("ST has %d elements in %s, want %d", got, s.Release, wantST)
			}
			// ST and SE appear nowhere else.
			visitNodes(&s.Root, "", func(path string, n Node) {
				if path != "" && n.Segment != nil && (n.Segment.ID == "ST" || n.Segment.ID == "SE") {
					t.Errorf("%s placed inside loop %s", n.Segment.ID, path)
				}
			})
		})
	}
}

func TestSchemaNodes(t *testing.T) {
	t.Parallel()
	for _, s := range allSchemas {
		t.Run(schemaName(s), func(t *testing.T) {
			visitNodes(&s.Root, "", func(path string, n Node) {
				if (n.Segment == nil) == (n.Loop == nil) {
					t.Errorf("node under %q must be exactly one of segment or loop", path)
					return
				}
				if n.Max < 0 {
					t.Errorf("node under %q has negative max %d", path, n.Max)
				}
				if n.Usage == Conditional {
					t.Errorf("node under %q is conditional; segments and loops are M or O", path)
				}
				if n.Loop == nil {
					return
				}
				l := n.Loop
				if l.ID == "" {
					t.Errorf("loop under %q has no ID", path)
				}
				if len(l.Nodes) == 0 || l.Nodes[0].Segment == nil {
					t.Errorf("loop %s%s does not start with a segment", path, l.ID)
					return
				}
				trigger := l.Nodes[0]
				if trigger.Segment.ID != l.ID {
					t.Errorf("loop %s/%s is triggered by %s; loops are named after their trigger", path, l.ID, trigger.Segment.ID)
				}
				if trigger.Usage != Mandatory || trigger.Max != 1 {
					t.Errorf("loop %s/%s trigger is %v max %d, want mandatory max 1", path, l.ID, trigger.Usage, trigger.Max)
				}
			})
		})
	}
}

var segmentIDPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,2}$`)

// checkElements checks element definitions of a segment or composite.
func checkElements(t *testing.T, where string, elems []ElementDef, inComposite bool) {
	t.Helper()
	for i, e := range elems {
		at := fmt.Sprintf("%s%02d", where, i+1)
		if e.Name == "" {
			t.Errorf("%s has no name", at)
		}
		if e.Repeat < 0 {
			t.Errorf("%s has negative Repeat %d", at, e.Repeat)
		}
		if e.Composite != nil {
			if inComposite {
				t.Errorf("%s nests a composite in a composite", at)
				continue
			}
			c := e.Composite
			if c.ID == "" || len(c.Components) == 0 {
				t.Errorf("%s composite %q is empty", at, c.ID)
				continue
			}
			checkElements(t, at+"-"+c.ID+"-", c.Components, true)
			checkNotes(t, at+" "+c.ID, c.Notes, len(c.Components))
			continue
		}
		if e.Min < 1 || e.Max < e.Min {
			t.Errorf("%s length %d/%d is not a valid min/max", at, e.Min, e.Max)
		}
		if e.Type == N {
			if e.Decimals < 0 || e.Decimals > 6 || e.Decimals >= e.Max {
				t.Errorf("%s is N%d with max %d", at, e.Decimals, e.Max)
			}
		} else if e.Decimals != 0 {
			t.Errorf("%s is %v with %d decimals; only N types carry decimals", at, e.Type, e.Decimals)
		}
		if e.Codes != nil && e.Type != ID {
			t.Errorf("%s has a code list but is %v, not ID", at, e.Type)
		}
		if e.Type == DT && e.Min != e.Max {
			t.Errorf("%s date length %d/%d is not fixed", at, e.Min, e.Max)
		}
	}
}

// checkNotes checks that every note references at least two existing,
// distinct positions.
func checkNotes(t *testing.T, where string, ns []SyntaxNote, n int) {
	t.Helper()
	for _, note := range ns {
		if len(note.Elements) < 2 {
			t.Errorf("%s note %s names fewer than two positions", where, note)
		}
		seen := map[int]bool{}
		for _, p := range note.Elements {
			if p < 1 || p > n {
				t.Errorf("%s note %s references position %d of %d", where, note, p, n)
			}
			if seen[p] {
				t.Errorf("%s note %s repeats position %d", where, note, p)
			}
			seen[p] = true
		}
	}
}

func TestSchemaSegmentDefs(t *testing.T) {
	t.Parallel()
	for _, s := range allSchemas {
		t.Run(schemaName(s), func(t *testing.T) {
			for _, d := range schemaSegments(s) {
				if !segmentIDPattern.MatchString(d.ID) {
					t.Errorf("segment ID %q is not a segment tag", d.ID)
				}
				if d.Name == "" {
					t.Errorf("%s has no name", d.ID)
				}
				if len(d.Elements) == 0 && len(d.Notes) > 0 {
					t.Errorf("%s is tag-only but has syntax notes", d.ID)
				}
				checkElements(t, d.ID, d.Elements, false)
				checkNotes(t, d.ID, d.Notes, len(d.Elements))
			}
		})
	}
}

// TestSchemaSyntaxNotes pins the relational conditions the maps and the
// corpus exercise.
func TestSchemaSyntaxNotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		def  *SegmentDef
		want []string
	}{
		{s4PO1, []string{"C0302", "C0504", "P0607", "P0809", "P1011", "P1213", "P1415", "P1617", "P1819", "P2021", "P2223", "P2425"}},
		{s5PO1, []string{"C0302", "C0504", "P0607", "P0809", "P1011", "P1213", "P1415", "P1617", "P1819", "P2021", "P2223", "P2425"}},
		{s4REF, []string{"R0203"}},
		{s4N1, []string{"R0203", "P0304"}},
		{s4DTM, []string{"R020305", "C0403", "P0506"}},
		{s4SN1, []string{"P0506"}},
		{s4MAN, []string{"P0405", "C0605"}},
		{s4N4, []string{"C0605"}},
		{s5N4, []string{"C0605", "E0207", "C0704"}},
		{s4W01, []string{"R0304", "P0405", "P0607", "P1011", "P1516"}},
		{s4W12, []string{"R0607", "P0708", "P101112", "P131415", "P1718", "P2122"}},
		{s4TD5, []string{"R0204050612", "C0203", "C0708", "C1011", "C1312", "C1413", "C1512"}},
		{s4PER, []string{"P0304", "P0506", "P0708"}},
	}
	for _, tt := range tests {
		t.Run(tt.def.ID, func(t *testing.T) {
			var got []string
			for _, n := range tt.def.Notes {
				got = append(got, n.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("notes = %v, want %v", got, tt.want)
			}
		})
	}
	// LIN pairs run from LIN04/05 to LIN30/31.
	if n := s4LIN.Notes; len(n) != 14 || n[0].String() != "P0405" || n[13].String() != "P3031" {
		t.Errorf("LIN notes = %v, want P0405 … P3031", n)
	}
}

func TestSchemaMandatorySegments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		set       string
		mandatory []string // top-level segments or loop triggers
	}{
		{"850", []string{"BEG", "PO1"}},
		{"856", []string{"BSN", "HL"}},
		{"940", []string{"W05"}},
		{"945", []string{"W06", "N1"}},
		{"997", []string{"AK1", "AK9"}},
		{"999", []string{"AK1", "AK9"}},
	}
	for _, tt := range tests {
		for _, s := range allSchemas {
			if s.ID != tt.set {
				continue
			}
			t.Run(schemaName(s), func(t *testing.T) {
				for _, id := range tt.mandatory {
					n, ok := findTopNode(s, id)
					if !ok {
						t.Errorf("%s is not at the top level", id)
						continue
					}
					if n.Usage != Mandatory {
						t.Errorf("%s is optional, want mandatory", id)
					}
				}
				// Nothing else at the top level is mandatory but the envelope.
				for _, n := range s.Root.Nodes {
					id := ""
					if n.Segment != nil {
						id = n.Segment.ID
					} else {
						id = n.Loop.Nodes[0].Segment.ID
					}
					if n.Usage == Mandatory && id != "ST" && id != "SE" && !slices.Contains(tt.mandatory, id) {
						t.Errorf("%s is mandatory; the standard has it optional", id)
					}
				}
			})
		}
	}
	// Loop maximums the reference gives.
	for _, c := range []struct {
		set, id string
		max     int
	}{
		{"850", "PO1", 100000},
		{"850", "N1", 200},
		{"850", "N9", 1000},
		{"856", "HL", 200000},
		{"945", "N1", 10},
		{"940", "N1", 10},
	} {
		for _, rel := range []string{"004010", "005010"} {
			n, ok := findTopNode(schemaByKey(t, c.set, rel), c.id)
			if !ok || n.Loop == nil || n.Max != c.max {
				t.Errorf("%s/%s %s loop max = %d, want %d", c.set, rel, c.id, n.Max, c.max)
			}
		}
	}
}

func TestSchemaReleaseDifferences(t *testing.T) {
	t.Parallel()
	elem := func(t *testing.T, set, release, seg string, pos int) ElementDef {
		t.Helper()
		d := findSegment(schemaByKey(t, set, release), seg)
		if d == nil || len(d.Elements) < pos {
			t.Fatalf("%s/%s has no %s%02d", set, release, seg, pos)
		}
		return d.Elements[pos-1]
	}
	tests := []struct {
		name      string
		set, seg  string
		pos       int
		v4, v5    int // Ref, or Max when max is set
		max       bool
		component int // composite component count instead
	}{
		{name: "PO102 quantity", set: "850", seg: "PO1", pos: 2, v4: 330, v5: 380},
		{name: "SN105 quantity", set: "856", seg: "SN1", pos: 5, v4: 330, v5: 380},
		{name: "W0101 quantity", set: "940", seg: "W01", pos: 1, v4: 330, v5: 380},
		{name: "W7601 quantity", set: "940", seg: "W76", pos: 1, v4: 330, v5: 380},
		{name: "W1202 quantity", set: "945", seg: "W12", pos: 2, v4: 330, v5: 380},
		{name: "AK302 length", set: "997", seg: "AK3", pos: 2, v4: 6, v5: 10, max: true},
		{name: "TD303 length", set: "856", seg: "TD3", pos: 3, v4: 10, v5: 15, max: true},
		{name: "W2707 length", set: "945", seg: "W27", pos: 7, v4: 10, v5: 15, max: true},
		{name: "REF02 length", set: "850", seg: "REF", pos: 2, v4: 30, v5: 50, max: true},
		{name: "C030 components", set: "997", seg: "AK4", pos: 1, v4: 2, v5: 3, component: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e4 := elem(t, tt.set, "004010", tt.seg, tt.pos)
			e5 := elem(t, tt.set, "005010", tt.seg, tt.pos)
			g4, g5 := e4.Ref, e5.Ref
			switch {
			case tt.max:
				g4, g5 = e4.Max, e5.Max
			case tt.component > 0:
				g4, g5 = len(e4.Composite.Components), len(e5.Composite.Components)
			}
			if g4 != tt.v4 || g5 != tt.v5 {
				t.Errorf("004010 %d, 005010 %d; want %d and %d", g4, g5, tt.v4, tt.v5)
			}
		})
	}
	counts := []struct {
		set, seg string
		v4, v5   int
	}{
		{"850", "N4", 6, 7},
		{"997", "AK1", 2, 3},
		{"997", "AK2", 2, 3},
		{"940", "W05", 7, 8},
	}
	for _, c := range counts {
		g4 := len(findSegment(schemaByKey(t, c.set, "004010"), c.seg).Elements)
		g5 := len(findSegment(schemaByKey(t, c.set, "005010"), c.seg).Elements)
		if g4 != c.v4 || g5 != c.v5 {
			t.Errorf("%s has %d/%d elements in 004010/005010, want %d/%d", c.seg, g4, g5, c.v4, c.v5)
		}
	}
	if e := elem(t, "850", "005010", "N4", 7); e.Ref != 1715 {
		t.Errorf("N407 ref = %d, want 1715", e.Ref)
	}
	if e := elem(t, "997", "005010", "AK1", 3); e.Ref != 480 {
		t.Errorf("AK103 ref = %d, want 480", e.Ref)
	}
	// MSG gives way to MTX in the 005010 850.
	if findSegment(schemaByKey(t, "850", "004010"), "MSG") == nil {
		t.Error("004010 850 places no MSG")
	}
	if d := findSegment(schemaByKey(t, "850", "005010"), "MSG"); d != nil {
		t.Error("005010 850 still places MSG")
	}
	if findSegment(schemaByKey(t, "850", "005010"), "MTX") == nil {
		t.Error("005010 850 places no MTX")
	}
	// Revising a segment for 005010 must not change its 004010 original.
	if s4PO1.Elements[1].Ref != 330 || s4N4 == s5N4 || len(s4ST.Elements) != 2 {
		t.Error("a 005010 revision changed its 004010 original")
	}
}

func TestSchemaHierarchy856(t *testing.T) {
	t.Parallel()
	for _, rel := range []string{"004010", "005010"} {
		s := schemaByKey(t, "856", rel)
		h := s.Hierarchy
		if h == nil {
			t.Fatalf("856/%s has no hierarchy rule", rel)
		}
		for level, parents := range h.Parents {
			if !h.Levels.Has(level) {
				t.Errorf("level %q has no name in Levels", level)
			}
			for _, p := range parents {
				if _, ok := h.Parents[p]; p != "" && !ok {
					t.Errorf("level %q lists parent %q, which is not a level", level, p)
				}
				if p == "" && level != "S" {
					t.Errorf("level %q may stand at the top; only the shipment may", level)
				}
			}
		}
	}
	h := hierarchy856
	// Each path is a chain of levels from the top, as in BSN05 structures.
	paths := []struct {
		name  string
		chain []string
	}{
		{"0001 pick and pack", []string{"S", "O", "P", "I"}},
		{"0001 with tare", []string{"S", "O", "T", "P", "I"}},
		{"0002 standard pack", []string{"S", "O", "I", "P"}},
		{"0004 no packaging", []string{"S", "O", "I"}},
		{"flat shipment-item", []string{"S", "I"}},
		{"shipment-pack-item", []string{"S", "P", "I"}},
		{"tare under shipment", []string{"S", "T", "P", "I"}},
	}
	for _, p := range paths {
		parent := ""
		for _, level := range p.chain {
			if !slices.Contains(h.Parents[level], parent) {
				t.Errorf("%s: %q under %q is not allowed", p.name, level, parent)
			}
			parent = level
		}
	}
	for _, bad := range [][2]string{{"O", "I"}, {"S", "O"}, {"O", ""}, {"I", ""}} {
		if slices.Contains(h.Parents[bad[0]], bad[1]) {
			t.Errorf("%q under %q should not be allowed", bad[0], bad[1])
		}
	}
}

func TestSchemaCodeLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		list *CodeList
		has  []string
		not  []string
	}{
		{codesSetAck717, []string{"A", "E", "M", "R", "W", "X"}, []string{"P", ""}},
		{codesGroupAck715, []string{"A", "E", "M", "P", "R", "W", "X"}, []string{"B"}},
		{codesSegmentError720, []string{"1", "2", "3", "4", "5", "6", "7", "8"}, []string{"9", "I4"}},
		{codesSegmentError620, []string{"1", "8", "I4", "I6", "I7", "I8", "I9"}, []string{"I5"}},
		{codesElementError723v4010, []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}, []string{"11", "12", "13"}},
		{codesElementError723v5010, []string{"1", "10", "12", "13"}, []string{"11", "I6"}},
		{codesElementError621, []string{"1", "13", "I6", "I9", "I10", "I11", "I12", "I13"}, []string{"11"}},
		{codesSetError718v4010, []string{"1", "5", "13", "15", "17", "23", "27"}, []string{"14", "18", "19"}},
		{codesSetError718v5010, []string{"18", "19", "23"}, []string{"14", "I5"}},
		{codesSetError618, []string{"1", "19", "I5", "I6"}, []string{"14"}},
		{codesGroupError716v4010, []string{"1", "6", "10", "18", "23", "26"}, []string{"7", "19"}},
		{codesGroupError716v5010, []string{"19"}, []string{"7"}},
		{codesInterchangeAck, []string{"A", "E", "R"}, []string{"P"}},
		{codesInterchangeNote, []string{"000", "001", "021", "025", "031"}, []string{"032", "1"}},
		{codesPurpose353, []string{"00", "01", "05", "06", "07", "14"}, []string{"09"}},
		{codesPOType92, []string{"SA", "NE", "RL", "DS", "BK", "RO", "KN"}, []string{"XX"}},
		{codesEntity98, []string{"ST", "BT", "BY", "SF", "VN", "SE", "SU", "Z7", "BS", "WH", "DE", "CN", "SH"}, nil},
		{codesIDQualifier66, []string{"1", "9", "91", "92", "UL", "ZZ", "2"}, nil},
		{codesDateQualifier374, []string{"002", "010", "011", "017", "037", "038", "001", "063", "064", "067", "068", "123"}, []string{"000", "1", "1000"}},
		{codesProductQualifier235, []string{"UP", "EN", "UK", "UA", "VN", "VP", "VC", "BP", "IN", "SK", "MG", "CB", "PI", "ND", "N4", "LT", "SN"}, nil},
		{codesUnit355, []string{"EA", "CA", "CT", "PK", "BX", "DZ", "PL", "PC", "LB", "KG", "SF", "CF", "FT", "GA", "OZ", "RL", "SH", "UN"}, nil},
		{codesHLLevel735, []string{"S", "O", "T", "P", "I", "F", "D", "Q"}, nil},
		{codesHLStructure1005, []string{"0001", "0002", "0003", "0004", "0005", "0010", "0210", "ZZZZ"}, []string{"0006", "0300"}},
		{codesOrderStatus473, []string{"N", "C", "F", "R"}, []string{"A"}},
		{codesReporting514, []string{"F", "A", "Y"}, []string{"Z"}},
		{codesShipStatus368, []string{"CC", "CP", "PR", "BP", "CL", "IC"}, nil},
		{codesTransport91, []string{"M", "U", "A", "LT", "H", "ZZ"}, nil},
		{codesPayment146, []string{"PP", "CC", "TP", "PC", "DF", "PB", "PO"}, nil},
		{codesMarks88, []string{"GM", "CP", "UC", "AA"}, nil},
		{codesItemDescType349, []string{"F", "S", "X"}, []string{"A"}},
		{codesDateQualifier432, []string{"02", "04", "10", "11", "37", "38", "53", "54", "BB"}, []string{"00", "100"}},
	}
	for _, tt := range tests {
		t.Run(tt.list.Name, func(t *testing.T) {
			for _, c := range tt.has {
				if !tt.list.Has(c) {
					t.Errorf("%q missing", c)
				}
			}
			for _, c := range tt.not {
				if tt.list.Has(c) {
					t.Errorf("%q present", c)
				}
			}
		})
	}
	// Meanings the acknowledgment builder and the maps print.
	for _, m := range []struct {
		list       *CodeList
		code, want string
	}{
		{codesSetAck717, "R", "Rejected"},
		{codesDateQualifier374, "002", "Delivery Requested"},
		{codesDateQualifier374, "123", ""},
		{codesEntity98, "Z7", "Mark-for Party"},
		{codesHLStructure1005, "0004", "Shipment, Order, Item"},
	} {
		if got := m.list.Meaning(m.code); got != m.want {
			t.Errorf("%s %s means %q, want %q", m.list.Name, m.code, got, m.want)
		}
	}
}

// TestSchemaCodesAttached checks the code lists sit on the elements the maps
// read, and that 128 (REF01, N901) stays open.
func TestSchemaCodesAttached(t *testing.T) {
	t.Parallel()
	tests := []struct {
		def  *SegmentDef
		pos  int
		want *CodeList
	}{
		{s4BEG, 1, codesPurpose353},
		{s4BEG, 2, codesPOType92},
		{s4BSN, 1, codesPurpose353},
		{s4BSN, 5, codesHLStructure1005},
		{s4N1, 1, codesEntity98},
		{s4N1, 3, codesIDQualifier66},
		{s4CUR, 1, codesEntity98},
		{s4DTM, 1, codesDateQualifier374},
		{s4PO1, 3, codesUnit355},
		{s4PO1, 6, codesProductQualifier235},
		{s4PO1, 24, codesProductQualifier235},
		{s4LIN, 2, codesProductQualifier235},
		{s4SN1, 3, codesUnit355},
		{s4HL, 3, codesHLLevel735},
		{s4PID, 1, codesItemDescType349},
		{s4W05, 1, codesOrderStatus473},
		{s4W06, 1, codesReporting514},
		{s4W12, 1, codesShipStatus368},
		{s4W12, 7, codesProductQualifier235},
		{s4TD5, 2, codesIDQualifier66},
		{s4TD5, 4, codesTransport91},
		{s4W27, 1, codesTransport91},
		{s4W27, 4, codesPayment146},
		{s4W66, 1, codesPayment146},
		{s4W66, 2, codesTransport91},
		{s4FOB, 1, codesPayment146},
		{s4MAN, 1, codesMarks88},
		{s4G62, 1, codesDateQualifier432},
		{s4AK3, 4, codesSegmentError720},
		{s4AK4, 3, codesElementError723v4010},
		{s5AK4, 3, codesElementError723v5010},
		{s4AK5, 1, codesSetAck717},
		{s4AK5, 2, codesSetError718v4010},
		{s5AK5, 6, codesSetError718v5010},
		{s4AK9, 1, codesGroupAck715},
		{s5AK9, 9, codesGroupError716v5010},
		{s5IK3, 4, codesSegmentError620},
		{s5IK4, 3, codesElementError621},
		{s5IK5, 1, codesSetAck717},
		{s5IK5, 2, codesSetError618},
		{s4TA1, 4, codesInterchangeAck},
		{s4TA1, 5, codesInterchangeNote},
		{s4REF, 1, nil},
		{s4N9, 1, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s%02d", tt.def.ID, tt.pos), func(t *testing.T) {
			if got := tt.def.Elements[tt.pos-1].Codes; got != tt.want {
				t.Errorf("code list = %v, want %v", codeListName(got), codeListName(tt.want))
			}
		})
	}
	// The 999 context may repeat ten times (a 005010 repeating element).
	if r := s5CTX.Elements[0].Repeat; r != 10 {
		t.Errorf("CTX01 repeat = %d, want 10", r)
	}
}

func codeListName(c *CodeList) string {
	if c == nil {
		return "none"
	}
	return c.Name
}
