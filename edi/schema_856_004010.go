package edi

// schema856v4010 is the 004010 856 Ship Notice/Manifest (x12-reference §3.1):
// BSN, then one HL loop that serves every level (shipment, order, tare,
// pack, item); which segments appear at which level is left to the partner's
// guide. The HL tree itself is checked by hierarchy856.
var schema856v4010 = &SetSchema{
	ID:           "856",
	Release:      "004010",
	FunctionalID: "SH",
	Name:         "Ship Notice/Manifest",
	Root: LoopDef{Nodes: []Node{
		Seg(s4ST, Mandatory, 1),
		// Heading.
		Seg(s4BSN, Mandatory, 1),
		Seg(s4DTM, Optional, 10),
		// Detail.
		Loop("HL", Mandatory, 200000,
			Seg(s4HL, Mandatory, 1),
			Seg(s4LIN, Optional, 1),
			Seg(s4SN1, Optional, 1),
			Seg(s4SLN, Optional, 1000),
			Seg(s4PRF, Optional, 1),
			Seg(s4PO4, Optional, 1),
			Seg(s4PID, Optional, 200),
			Seg(s4MEA, Optional, 40),
			Seg(tagPWK, Optional, 25),
			Seg(s4PKG, Optional, 25),
			Seg(s4TD1, Optional, 20),
			Seg(s4TD5, Optional, 12),
			Seg(s4TD3, Optional, 12),
			Seg(s4TD4, Optional, 5),
			Seg(tagTSD, Optional, 1),
			Seg(s4REF, Optional, Unbounded),
			Seg(s4PER, Optional, 3),
			loopLH1(1, s4PER),
			loopCLD(),
			Seg(s4MAN, Optional, Unbounded),
			Seg(s4DTM, Optional, 10),
			Seg(s4FOB, Optional, 1),
			Seg(s4PAL, Optional, 1),
			Loop("N1", Optional, 200,
				Seg(s4N1, Mandatory, 1),
				Seg(s4N2, Optional, 2),
				Seg(s4N3, Optional, 2),
				Seg(s4N4, Optional, 1),
				Seg(s4REF, Optional, 12),
				Seg(s4PER, Optional, 3),
				Seg(s4FOB, Optional, 1),
			),
			Seg(s4SDQ, Optional, 50),
			Seg(tagETD, Optional, 1),
			Seg(s4CUR, Optional, 1),
			Loop("SAC", Optional, Unbounded,
				Seg(s4SAC, Mandatory, 1),
				Seg(s4CUR, Optional, 1),
			),
			Seg(tagGF, Optional, 1),
			Seg(s4YNQ, Optional, 10),
			loopLM(10),
			loopV1(),
		),
		// Summary.
		Seg(s4CTT, Optional, 1),
		Seg(s4SE, Mandatory, 1),
	}},
	Hierarchy: hierarchy856,
}

// hierarchy856 is the HL tree of the 856 (x12-reference §3.2). It admits
// the pick-and-pack structure (BSN05 0001: S-O-P-I, with or without a tare
// level), standard pack (0002: S-O-I-P), no packaging (0004: S-O-I) and flat
// shipment-item ASNs (S-I, S-P-I), plus equipment, subpack and component
// levels that some guides use. Only the shipment may stand without a parent.
var hierarchy856 = &HierarchyRule{
	Parents: map[string][]string{
		"S": {""},
		"E": {"S"},
		"O": {"S", "E"},
		"T": {"S", "E", "O"},
		"P": {"S", "E", "O", "T", "I"},
		"Q": {"T", "P"},
		"I": {"S", "E", "O", "T", "P", "Q"},
		"F": {"I"},
	},
	Levels: codesHLLevel735,
}

// loopLH1 is the hazardous material loop of the 856 HL loop; lh4 is the
// maximum use of LH4 (1 in 004010, 4 in 005010) and per the release's PER.
// Counts the reference does not give are left unbounded.
func loopLH1(lh4 int, per *SegmentDef) Node {
	return Loop("LH1", Optional, 100,
		Seg(tagLH1, Mandatory, 1),
		Seg(tagLH2, Optional, Unbounded),
		Seg(tagLH3, Optional, Unbounded),
		Seg(tagLFH, Optional, Unbounded),
		Seg(tagLEP, Optional, Unbounded),
		Seg(tagLH4, Optional, lh4),
		Seg(tagLHT, Optional, Unbounded),
		Seg(tagLHR, Optional, Unbounded),
		Seg(per, Optional, Unbounded),
		Seg(tagLHE, Optional, 1),
	)
}

// loopCLD is the load detail loop of the 856 HL loop.
func loopCLD() Node {
	return Loop("CLD", Optional, 200,
		Seg(s4CLD, Mandatory, 1),
		Seg(s4REF, Optional, Unbounded),
		Seg(tagDTP, Optional, 1),
	)
}

// loopV1 is the vessel loop of the 856 HL loop.
func loopV1() Node {
	return Loop("V1", Optional, Unbounded,
		Seg(tagV1, Mandatory, 1),
		Seg(tagR4, Optional, Unbounded),
		Seg(s4DTM, Optional, Unbounded),
	)
}
