package edi

// schema856v5010 is the 005010 856 Ship Notice/Manifest: the 004010
// structure with the changes of x12-reference §3.4 (a TD3 loop with AT9,
// LH4 up to 4, 380 in SN105, 15-character TD303). HL semantics are
// unchanged.
var schema856v5010 = &SetSchema{
	ID:           "856",
	Release:      "005010",
	FunctionalID: "SH",
	Name:         "Ship Notice/Manifest",
	Root: LoopDef{Nodes: []Node{
		Seg(s5ST, Mandatory, 1),
		// Heading.
		Seg(s5BSN, Mandatory, 1),
		Seg(s5DTM, Optional, 10),
		// Detail.
		Loop("HL", Mandatory, 200000,
			Seg(s5HL, Mandatory, 1),
			Seg(s5LIN, Optional, 1),
			Seg(s5SN1, Optional, 1),
			Seg(s5SLN, Optional, 1000),
			Seg(s5PRF, Optional, 1),
			Seg(s5PO4, Optional, 1),
			Seg(s5PID, Optional, 200),
			Seg(s5MEA, Optional, 40),
			Seg(tagPWK, Optional, 25),
			Seg(s5PKG, Optional, 25),
			Seg(s5TD1, Optional, 20),
			Seg(s5TD5, Optional, 12),
			loopTD3(),
			Seg(s5TD4, Optional, 5),
			Seg(tagTSD, Optional, 1),
			Seg(s5REF, Optional, Unbounded),
			Seg(s5PER, Optional, 3),
			loopLH1(4, s5PER),
			Loop("CLD", Optional, 200,
				Seg(s5CLD, Mandatory, 1),
				Seg(s5REF, Optional, Unbounded),
				Seg(tagDTP, Optional, 1),
			),
			Seg(s5MAN, Optional, Unbounded),
			Seg(s5DTM, Optional, 10),
			Seg(s5FOB, Optional, 1),
			Seg(s5PAL, Optional, 1),
			Loop("N1", Optional, 200,
				Seg(s5N1, Mandatory, 1),
				Seg(s5N2, Optional, 2),
				Seg(s5N3, Optional, 2),
				Seg(s5N4, Optional, 1),
				Seg(s5REF, Optional, 12),
				Seg(s5PER, Optional, 3),
				Seg(s5FOB, Optional, 1),
			),
			Seg(s5SDQ, Optional, 50),
			Seg(tagETD, Optional, 1),
			Seg(s5CUR, Optional, 1),
			Loop("SAC", Optional, Unbounded,
				Seg(s5SAC, Mandatory, 1),
				Seg(s5CUR, Optional, 1),
			),
			Seg(tagGF, Optional, 1),
			Seg(s5YNQ, Optional, 10),
			loopLM(10),
			loopV1(),
		),
		// Summary.
		Seg(s5CTT, Optional, 1),
		Seg(s5SE, Mandatory, 1),
	}},
	Hierarchy: hierarchy856,
}

// loopTD3 is the 005010 TD3 loop: equipment and its dimensions and weight.
func loopTD3() Node {
	return Loop("TD3", Optional, 12,
		Seg(s5TD3, Mandatory, 1),
		Seg(tagAT9, Optional, 1),
	)
}
