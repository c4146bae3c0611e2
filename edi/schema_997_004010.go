package edi

// schema997v4010 is the 004010 997 Functional Acknowledgment
// (x12-reference §6.1): one AK1 for the group, an AK2 loop per set with AK3
// segment notes and their AK4 element notes, and AK9 for the group result.
var schema997v4010 = &SetSchema{
	ID:           "997",
	Release:      "004010",
	FunctionalID: "FA",
	Name:         "Functional Acknowledgment",
	Root: LoopDef{Nodes: []Node{
		Seg(s4ST, Mandatory, 1),
		Seg(s4AK1, Mandatory, 1),
		Loop("AK2", Optional, 999999,
			Seg(s4AK2, Mandatory, 1),
			Loop("AK3", Optional, 999999,
				Seg(s4AK3, Mandatory, 1),
				Seg(s4AK4, Optional, 99),
			),
			Seg(s4AK5, Mandatory, 1),
		),
		Seg(s4AK9, Mandatory, 1),
		Seg(s4SE, Mandatory, 1),
	}},
}
