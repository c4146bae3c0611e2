package edi

// The 005010 segment dictionary, derived from the 004010 one: a segment
// that did not change is the same definition; one that changed is a revised
// copy (see x12-reference §7). The changes carried here:
//
//   - ST gains ST03, AK1 gains AK103, AK2 gains AK203, AK302 grows to 10
//     digits, C030 gains the repetition position, the ack code lists gain
//     their 005010 codes;
//   - element 330 Quantity Ordered becomes 380 Quantity (PO102, SN105, W0101,
//     W1202, W7601);
//   - element 127 grows to 50 characters and 364 to 256;
//   - N4 gains N407, W05 gains W0508, PAL gains PAL17, TAX gains TAX13;
//   - TD303 and W2707 (element 207) grow to 15 characters;
//   - MTX replaces MSG;
//   - the 999 segments IK3, IK4, IK5 and CTX, with composites C998 and C999.

// Revision helpers.

// segEdit changes a copied segment definition.
type segEdit func(*SegmentDef)

// revise returns a copy of def, with its own element and note slices, after
// applying the edits in order.
func revise(def *SegmentDef, edits ...segEdit) *SegmentDef {
	c := &SegmentDef{
		ID:       def.ID,
		Name:     def.Name,
		Elements: append([]ElementDef(nil), def.Elements...),
		Notes:    append([]SyntaxNote(nil), def.Notes...),
	}
	for _, e := range edits {
		e(c)
	}
	return c
}

// withName renames the segment.
func withName(name string) segEdit {
	return func(s *SegmentDef) { s.Name = name }
}

// withElem replaces the element at 1-based position pos.
func withElem(pos int, e ElementDef) segEdit {
	return func(s *SegmentDef) { s.Elements[pos-1] = e }
}

// withMax changes the maximum length of the elements at the 1-based
// positions.
func withMax(max int, pos ...int) segEdit {
	return func(s *SegmentDef) {
		for _, p := range pos {
			s.Elements[p-1].Max = max
		}
	}
}

// withComposite replaces the composite of the element at 1-based position
// pos.
func withComposite(pos int, c *CompositeDef) segEdit {
	return func(s *SegmentDef) {
		s.Elements[pos-1].Composite = c
		s.Elements[pos-1].Name = c.Name
	}
}

// withCodes replaces the code list of the elements at the 1-based positions.
func withCodes(codes *CodeList, pos ...int) segEdit {
	return func(s *SegmentDef) {
		for _, p := range pos {
			s.Elements[p-1].Codes = codes
		}
	}
}

// appended adds elements at the end of the segment.
func appended(es ...ElementDef) segEdit {
	return func(s *SegmentDef) { s.Elements = append(s.Elements, es...) }
}

// withNotes adds syntax notes.
func withNotes(ns ...string) segEdit {
	return func(s *SegmentDef) { s.Notes = append(s.Notes, notes(ns...)...) }
}

// quantity380 is element 380 Quantity, which replaces 330 Quantity Ordered in
// 005010.
func quantity380(u Usage) ElementDef {
	return elemR(380, "Quantity", 1, 15, u)
}

// Composites.

// c5C030 is C030 Position in Segment with the 005010 repetition position.
var c5C030 = &CompositeDef{
	ID:   "C030",
	Name: "Position in Segment",
	Components: append(append([]ElementDef(nil), c4C030.Components...),
		elemN(1686, "Repeating Data Element Position", 0, 1, 4, Optional)),
}

// c5C040 is C040 Reference Identifier with 50-character references.
var c5C040 = &CompositeDef{
	ID:   "C040",
	Name: "Reference Identifier",
	Components: func() []ElementDef {
		cs := append([]ElementDef(nil), c4C040.Components...)
		for _, i := range []int{1, 3, 5} {
			cs[i].Max = 50
		}
		return cs
	}(),
	Notes: c4C040.Notes,
}

// c5C998 is C998 Context Identification (CTX01).
var c5C998 = &CompositeDef{
	ID:   "C998",
	Name: "Context Identification",
	Components: []ElementDef{
		elemAN(9999, "Context Name", 1, 35, Mandatory),
		elemAN(9998, "Context Reference", 1, 35, Optional),
	},
}

// c5C999 is C999 Reference in Segment (CTX06). Its first component is read
// as AN: the X231 examples put a composite's ID there ("C023:1325").
var c5C999 = &CompositeDef{
	ID:   "C999",
	Name: "Reference in Segment",
	Components: []ElementDef{
		elemAN(725, "Data Element Reference Number", 1, 4, Mandatory),
		elemN(725, "Data Element Reference Number", 0, 1, 4, Optional),
	},
}

// Segments that changed.
var (
	// s5ST is ST with ST03 Implementation Convention Reference.
	s5ST = revise(s4ST, appended(elemAN(1705, "Implementation Convention Reference", 1, 35, Optional)))

	// s5REF is REF Reference Information.
	s5REF = revise(s4REF, withName("Reference Information"), withMax(50, 2), withComposite(4, c5C040))

	// s5N9 is N9 Extended Reference Information.
	s5N9 = revise(s4N9, withName("Extended Reference Information"), withMax(50, 2), withComposite(7, c5C040))

	// s5PER is PER with 256-character communication numbers.
	s5PER = revise(s4PER, withMax(256, 4, 6, 8))

	// s5G61 is G61 with a 256-character communication number.
	s5G61 = revise(s4G61, withMax(256, 4))

	// s5SAC is SAC with a 50-character reference.
	s5SAC = revise(s4SAC, withMax(50, 13))

	// s5N1 is N1 Party Identification.
	s5N1 = revise(s4N1, withName("Party Identification"))

	// s5N3 is N3 Party Location.
	s5N3 = revise(s4N3, withName("Party Location"))

	// s5N4 is N4 with N407 Country Subdivision Code.
	s5N4 = revise(s4N4,
		appended(elemID(1715, "Country Subdivision Code", 1, 3, Conditional, nil)),
		withNotes("E0207", "C0704"))

	// s5PO1 is PO1 with PO102 380 Quantity.
	s5PO1 = revise(s4PO1, withElem(2, quantity380(Conditional)))

	// s5SN1 is SN1 with SN105 380 Quantity.
	s5SN1 = revise(s4SN1, withElem(5, quantity380(Conditional)))

	// s5W01 is W01 with W0101 380 Quantity.
	s5W01 = revise(s4W01, withElem(1, quantity380(Mandatory)))

	// s5W12 is W12 with W1202 380 Quantity.
	s5W12 = revise(s4W12, withElem(2, quantity380(Optional)))

	// s5W76 is W76 with W7601 380 Quantity.
	s5W76 = revise(s4W76, withElem(1, quantity380(Mandatory)))

	// s5W05 is W05 with W0508 Purchase Order Type Code.
	s5W05 = revise(s4W05, appended(elemID(92, "Purchase Order Type Code", 2, 2, Optional, codesPOType92)))

	// s5TD3 is TD3 with a 15-character equipment number.
	s5TD3 = revise(s4TD3, withMax(15, 3))

	// s5W27 is W27 with a 15-character equipment number.
	s5W27 = revise(s4W27, withMax(15, 7))

	// s5PAL is PAL with PAL17 Pallet Structure Code.
	s5PAL = revise(s4PAL, appended(elemID(1699, "Pallet Structure Code", 1, 2, Optional, nil)))

	// s5TAX is TAX with TAX13 Customs Entry Type Group Code.
	s5TAX = revise(s4TAX, appended(elemID(1179, "Customs Entry Type Group Code", 1, 1, Optional, nil)))

	// s5AK1 is AK1 with AK103 Version / Release / Industry Identifier Code.
	s5AK1 = revise(s4AK1, appended(elemAN(480, "Version / Release / Industry Identifier Code", 1, 12, Optional)))

	// s5AK2 is AK2 with AK203 Implementation Convention Reference.
	s5AK2 = revise(s4AK2, appended(elemAN(1705, "Implementation Convention Reference", 1, 35, Optional)))

	// s5AK3 is AK3 with a 10-digit segment position.
	s5AK3 = revise(s4AK3, withMax(10, 2))

	// s5AK4 is AK4 with the three-component C030 and the 005010 AK403 codes.
	s5AK4 = revise(s4AK4, withComposite(1, c5C030), withCodes(codesElementError723v5010, 3))

	// s5AK5 is AK5 with the 005010 AK502 codes.
	s5AK5 = revise(s4AK5, withCodes(codesSetError718v5010, 2, 3, 4, 5, 6))

	// s5AK9 is AK9 with the 005010 AK905 codes.
	s5AK9 = revise(s4AK9, withCodes(codesGroupError716v5010, 5, 6, 7, 8, 9))
)

// Segments that did not change are the 004010 definitions.
var (
	s5SE  = s4SE
	s5BEG = s4BEG
	s5CUR = s4CUR
	s5DTM = s4DTM
	s5FOB = s4FOB
	s5ITD = s4ITD
	s5CTP = s4CTP
	s5PID = s4PID
	s5MEA = s4MEA
	s5PKG = s4PKG
	s5TD1 = s4TD1
	s5TD4 = s4TD4
	s5TD5 = s4TD5
	s5MAN = s4MAN
	s5AMT = s4AMT
	s5MTX = s4MTX
	s5N2  = s4N2
	s5QTY = s4QTY
	s5SDQ = s4SDQ
	s5SLN = s4SLN
	s5PO4 = s4PO4
	s5CTT = s4CTT
	s5LIN = s4LIN
	s5BSN = s4BSN
	s5HL  = s4HL
	s5PRF = s4PRF
	s5CLD = s4CLD
	s5YNQ = s4YNQ
	s5G62 = s4G62
	s5NTE = s4NTE
	s5W09 = s4W09
	s5W66 = s4W66
	s5W6  = s4W6
	s5LX  = s4LX
	s5G69 = s4G69
	s5W20 = s4W20
	s5W06 = s4W06
	s5W28 = s4W28
	s5W10 = s4W10
	s5G72 = s4G72
	s5W03 = s4W03
)

// Segments new in the 005010 sets we support, known by tag only.
var (
	tagIN2 = tagOnly("IN2", "Individual Name Structure Components")
	tagEFI = tagOnly("EFI", "Electronic Format Identification")
	tagAT9 = tagOnly("AT9", "Trailer or Container Dimension and Weight")
)

// 999 Implementation Acknowledgment (005010 X231).

// s5IK3 is IK3 Implementation Data Segment Note.
var s5IK3 = segDef("IK3", "Implementation Data Segment Note", nil,
	elemID(721, "Segment ID Code", 2, 3, Mandatory, nil),
	elemN(719, "Segment Position in Transaction Set", 0, 1, 10, Mandatory),
	elemAN(447, "Loop Identifier Code", 1, 4, Optional),
	elemID(620, "Implementation Segment Syntax Error Code", 1, 3, Optional, codesSegmentError620),
)

// s5IK4 is IK4 Implementation Data Element Note.
var s5IK4 = segDef("IK4", "Implementation Data Element Note", nil,
	elemComp(c5C030, Mandatory),
	elemN(725, "Data Element Reference Number", 0, 1, 4, Optional),
	elemID(621, "Implementation Data Element Syntax Error Code", 1, 3, Mandatory, codesElementError621),
	elemAN(724, "Copy of Bad Data Element", 1, 99, Optional),
)

// s5IK5 is IK5 Implementation Transaction Set Response Trailer.
var s5IK5 = segDef("IK5", "Implementation Transaction Set Response Trailer", nil,
	elemID(717, "Transaction Set Acknowledgment Code", 1, 1, Mandatory, codesSetAck717),
	elemID(618, "Implementation Transaction Set Syntax Error Code", 1, 3, Optional, codesSetError618),
	elemID(618, "Implementation Transaction Set Syntax Error Code", 1, 3, Optional, codesSetError618),
	elemID(618, "Implementation Transaction Set Syntax Error Code", 1, 3, Optional, codesSetError618),
	elemID(618, "Implementation Transaction Set Syntax Error Code", 1, 3, Optional, codesSetError618),
	elemID(618, "Implementation Transaction Set Syntax Error Code", 1, 3, Optional, codesSetError618),
)

// s5CTX is CTX Context; CTX01 may repeat up to ten times.
var s5CTX = segDef("CTX", "Context", nil,
	ElementDef{Name: c5C998.Name, Usage: Mandatory, Composite: c5C998, Repeat: 10},
	elemID(721, "Segment ID Code", 2, 3, Optional, nil),
	elemN(719, "Segment Position in Transaction Set", 0, 1, 10, Conditional),
	elemAN(447, "Loop Identifier Code", 1, 4, Optional),
	elemComp(c5C030, Optional),
	elemComp(c5C999, Optional),
)
