package edi

// schema945v4010 is the 004010 945 Warehouse Shipping Advice
// (x12-reference §5.1): W06 and the N1 loop are mandatory; partners almost
// always require W27 and W03 as well. An LX groups a carton or pallet (MAN)
// with its W12 lines.
var schema945v4010 = &SetSchema{
	ID:           "945",
	Release:      "004010",
	FunctionalID: "SW",
	Name:         "Warehouse Shipping Advice",
	Root: LoopDef{Nodes: []Node{
		Seg(s4ST, Mandatory, 1),
		// Heading.
		Seg(s4W06, Mandatory, 1),
		Loop("N1", Mandatory, 10,
			Seg(s4N1, Mandatory, 1),
			Seg(s4N2, Optional, 1),
			Seg(s4N3, Optional, 2),
			Seg(s4N4, Optional, 1),
			Seg(s4PER, Optional, 5),
		),
		Seg(s4N9, Optional, 10),
		Seg(s4G61, Optional, 3),
		Seg(s4G62, Optional, 5),
		Seg(s4NTE, Optional, 20),
		Seg(s4W27, Optional, 1),
		Seg(s4W6, Optional, 1),
		Seg(s4W28, Optional, 1),
		Seg(s4W10, Optional, 10),
		Seg(s4G72, Optional, 5),
		loopLM(10),
		// Detail.
		Loop("LX", Optional, Unbounded,
			Seg(s4LX, Mandatory, 1),
			Seg(s4MAN, Optional, Unbounded),
			Seg(s4PAL, Optional, 1),
			Seg(s4N9, Optional, 5),
			Loop("W12", Optional, Unbounded,
				Seg(s4W12, Mandatory, 1),
				Seg(s4G69, Optional, 5),
				Seg(s4N9, Optional, 200),
				Seg(s4G62, Optional, 10),
				Seg(s4QTY, Optional, 10),
				Seg(s4MEA, Optional, 5),
				Seg(s4AMT, Optional, 1),
				Seg(tagR4, Optional, 5),
				Seg(s4W27, Optional, 1),
				Seg(s4N1, Optional, 5),
				Seg(s4G72, Optional, 5),
				loopLM(Unbounded),
				loopLSLX(s4LX, s4N9, s4G62, s4N1),
				loopFA1(),
			),
		),
		// Summary.
		Seg(s4W03, Optional, 1),
		Seg(s4SE, Mandatory, 1),
	}},
}
