package edi

// schema997v5010 is the 005010 997 Functional Acknowledgment: the 004010
// structure with an unbounded AK2 loop and the 005010 segments (AK103,
// AK203, 10-digit AK302, three-component AK401, the added error codes).
var schema997v5010 = &SetSchema{
	ID:           "997",
	Release:      "005010",
	FunctionalID: "FA",
	Name:         "Functional Acknowledgment",
	Root: LoopDef{Nodes: []Node{
		Seg(s5ST, Mandatory, 1),
		Seg(s5AK1, Mandatory, 1),
		Loop("AK2", Optional, Unbounded,
			Seg(s5AK2, Mandatory, 1),
			Loop("AK3", Optional, 999999,
				Seg(s5AK3, Mandatory, 1),
				Seg(s5AK4, Optional, 99),
			),
			Seg(s5AK5, Mandatory, 1),
		),
		Seg(s5AK9, Mandatory, 1),
		Seg(s5SE, Mandatory, 1),
	}},
}
