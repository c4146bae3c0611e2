package edi

// schema940v4010 is the 004010 940 Warehouse Shipping Order
// (x12-reference §4.1). Only W05 is mandatory in the standard; partners
// always send the N1 loop, the LX/W01 lines and W76 as well.
var schema940v4010 = &SetSchema{
	ID:           "940",
	Release:      "004010",
	FunctionalID: "OW",
	Name:         "Warehouse Shipping Order",
	Root: LoopDef{Nodes: []Node{
		Seg(s4ST, Mandatory, 1),
		// Heading.
		Seg(s4W05, Mandatory, 1),
		Loop("N1", Optional, 10,
			Seg(s4N1, Mandatory, 1),
			Seg(s4N2, Optional, 2),
			Seg(s4N3, Optional, 2),
			Seg(s4N4, Optional, 1),
			Seg(s4PER, Optional, 5),
		),
		Seg(s4N9, Optional, 10),
		Seg(s4G61, Optional, 3),
		Seg(s4G62, Optional, 10),
		Seg(s4NTE, Optional, Unbounded),
		Seg(s4W09, Optional, 1),
		Seg(s4W66, Optional, 1),
		Seg(s4W6, Optional, 1),
		Seg(tagR2, Optional, 13),
		Seg(tagBNX, Optional, 1),
		loopLM(10),
		// Detail.
		Loop("LX", Optional, Unbounded,
			Seg(s4LX, Mandatory, 1),
			Seg(s4MAN, Optional, Unbounded),
			Seg(s4SDQ, Optional, Unbounded),
			Seg(s4N1, Optional, 1),
			Seg(s4G62, Optional, 10),
			Loop("W01", Optional, Unbounded,
				Seg(s4W01, Mandatory, 1),
				Seg(s4G69, Optional, 5),
				Seg(s4N9, Optional, 200),
				Seg(s4NTE, Optional, Unbounded),
				Seg(s4W20, Optional, 3),
				Seg(s4QTY, Optional, 10),
				Seg(s4AMT, Optional, 1),
				Seg(s4G62, Optional, 10),
				Seg(tagG66, Optional, 1),
				Seg(s4N1, Optional, 3),
				Seg(s4PER, Optional, 5),
				Seg(tagLH2, Optional, Unbounded),
				Seg(tagLHR, Optional, Unbounded),
				Seg(tagLH6, Optional, Unbounded),
				loopLM(Unbounded),
				loopLSLX(s4LX, s4N9, s4G62, s4N1),
				loopFA1(),
			),
		),
		// Summary.
		Seg(s4W76, Optional, 1),
		Seg(s4SE, Mandatory, 1),
	}},
}

// loopLSLX is the LS/LE-bounded loop of nested LX groups that the 940 W01
// loop and the 945 W12 loop may carry.
func loopLSLX(lx, n9, g62, n1 *SegmentDef) Node {
	return Loop("LS", Optional, 1,
		Seg(tagLS, Mandatory, 1),
		Loop("LX", Optional, Unbounded,
			Seg(lx, Mandatory, 1),
			Seg(n9, Optional, Unbounded),
			Seg(g62, Optional, Unbounded),
			Seg(n1, Optional, 1),
			loopLM(Unbounded),
		),
		Seg(tagLE, Mandatory, 1),
	)
}
