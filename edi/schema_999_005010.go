package edi

// schema999v5010 is the 005010 999 Implementation Acknowledgment (X231,
// x12-reference §6.2): the 997 layout with IK3/IK4/IK5 in place of
// AK3/AK4/AK5 and CTX context segments after IK3 and IK4.
var schema999v5010 = &SetSchema{
	ID:           "999",
	Release:      "005010",
	FunctionalID: "FA",
	Name:         "Implementation Acknowledgment",
	Root: LoopDef{Nodes: []Node{
		Seg(s5ST, Mandatory, 1),
		Seg(s5AK1, Mandatory, 1),
		Loop("AK2", Optional, Unbounded,
			Seg(s5AK2, Mandatory, 1),
			Loop("IK3", Optional, Unbounded,
				Seg(s5IK3, Mandatory, 1),
				Seg(s5CTX, Optional, 10),
				Loop("IK4", Optional, Unbounded,
					Seg(s5IK4, Mandatory, 1),
					Seg(s5CTX, Optional, 10),
				),
			),
			Seg(s5IK5, Mandatory, 1),
		),
		Seg(s5AK9, Mandatory, 1),
		Seg(s5SE, Mandatory, 1),
	}},
}
