package edi

// The 004010 segment dictionary: every segment the 850, 856, 940, 945 and
// 997 schemas place, with its elements (reference number, type, length,
// requirement) and its syntax notes. Segments that the sets allow but that
// partners rarely send are known by tag only (no Elements), so the validator
// checks their position but not their content.
//
// Variables are named s4XXX for detailed segments, c4XXXX for composites
// and tagXXX for tag-only segments (the same in both releases); the 005010
// dictionary derives s5XXX/c5XXXX from them.

// Table helpers.

// elemAN is an alphanumeric (AN) element.
func elemAN(ref int, name string, min, max int, u Usage) ElementDef {
	return ElementDef{Ref: ref, Name: name, Type: AN, Min: min, Max: max, Usage: u}
}

// elemID is an identifier (ID) element, checked against codes when codes is
// not nil.
func elemID(ref int, name string, min, max int, u Usage, codes *CodeList) ElementDef {
	return ElementDef{Ref: ref, Name: name, Type: ID, Min: min, Max: max, Usage: u, Codes: codes}
}

// elemN is an implied-decimal numeric (Nn) element with dec decimals.
func elemN(ref int, name string, dec, min, max int, u Usage) ElementDef {
	return ElementDef{Ref: ref, Name: name, Type: N, Decimals: dec, Min: min, Max: max, Usage: u}
}

// elemR is a decimal numeric (R) element.
func elemR(ref int, name string, min, max int, u Usage) ElementDef {
	return ElementDef{Ref: ref, Name: name, Type: R, Min: min, Max: max, Usage: u}
}

// elemDT is a CCYYMMDD date element.
func elemDT(ref int, name string, u Usage) ElementDef {
	return ElementDef{Ref: ref, Name: name, Type: DT, Min: 8, Max: 8, Usage: u}
}

// elemTM is an HHMM[SS[d…]] time element.
func elemTM(ref int, name string, u Usage) ElementDef {
	return ElementDef{Ref: ref, Name: name, Type: TM, Min: 4, Max: 8, Usage: u}
}

// elemComp is a composite element position.
func elemComp(c *CompositeDef, u Usage) ElementDef {
	return ElementDef{Name: c.Name, Usage: u, Composite: c}
}

// elemUnit is element 355 Unit or Basis for Measurement Code.
func elemUnit(u Usage) ElementDef {
	return elemID(355, "Unit or Basis for Measurement Code", 2, 2, u, codesUnit355)
}

// productIDPairs returns n pairs of 235 Product/Service ID Qualifier and 234
// Product/Service ID, every element with usage u.
func productIDPairs(n int, u Usage) []ElementDef {
	out := make([]ElementDef, 0, 2*n)
	for range n {
		out = append(out,
			elemID(235, "Product/Service ID Qualifier", 2, 2, u, codesProductQualifier235),
			elemAN(234, "Product/Service ID", 1, 48, u))
	}
	return out
}

// joinElems concatenates element lists into a new slice.
func joinElems(groups ...[]ElementDef) []ElementDef {
	var out []ElementDef
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// notes parses syntax notes written in X12 notation.
func notes(ns ...string) []SyntaxNote {
	out := make([]SyntaxNote, len(ns))
	for i, s := range ns {
		out[i] = Note(s)
	}
	return out
}

// pairNotes returns the paired notes of n consecutive element pairs, the
// first pair starting at position first (P0607, P0809, …).
func pairNotes(first, n int) []SyntaxNote {
	out := make([]SyntaxNote, n)
	for i := range n {
		p := first + 2*i
		out[i] = SyntaxNote{Kind: Paired, Elements: []int{p, p + 1}}
	}
	return out
}

// segDef defines a detailed segment.
func segDef(id, name string, ns []SyntaxNote, elems ...ElementDef) *SegmentDef {
	return &SegmentDef{ID: id, Name: name, Elements: elems, Notes: ns}
}

// tagOnly defines a segment known by tag only.
func tagOnly(id, name string) *SegmentDef {
	return &SegmentDef{ID: id, Name: name}
}

// Composites.

// c4C001 is C001 Composite Unit of Measure.
var c4C001 = &CompositeDef{
	ID:   "C001",
	Name: "Composite Unit of Measure",
	Components: []ElementDef{
		elemUnit(Mandatory),
		elemR(1018, "Exponent", 1, 15, Optional),
		elemR(649, "Multiplier", 1, 10, Optional),
		elemUnit(Conditional),
		elemR(1018, "Exponent", 1, 15, Conditional),
		elemR(649, "Multiplier", 1, 10, Conditional),
		elemUnit(Conditional),
		elemR(1018, "Exponent", 1, 15, Conditional),
		elemR(649, "Multiplier", 1, 10, Conditional),
		elemUnit(Conditional),
		elemR(1018, "Exponent", 1, 15, Conditional),
		elemR(649, "Multiplier", 1, 10, Conditional),
		elemUnit(Conditional),
		elemR(1018, "Exponent", 1, 15, Conditional),
		elemR(649, "Multiplier", 1, 10, Conditional),
	},
	Notes: notes("C0504", "C0604", "C0807", "C0907", "C1110", "C1210", "C1413", "C1513"),
}

// c4C040 is C040 Reference Identifier (REF04, N907).
var c4C040 = &CompositeDef{
	ID:   "C040",
	Name: "Reference Identifier",
	Components: []ElementDef{
		elemID(128, "Reference Identification Qualifier", 2, 3, Mandatory, nil),
		elemAN(127, "Reference Identification", 1, 30, Mandatory),
		elemID(128, "Reference Identification Qualifier", 2, 3, Conditional, nil),
		elemAN(127, "Reference Identification", 1, 30, Conditional),
		elemID(128, "Reference Identification Qualifier", 2, 3, Conditional, nil),
		elemAN(127, "Reference Identification", 1, 30, Conditional),
	},
	Notes: notes("P0304", "P0506"),
}

// c4C030 is C030 Position in Segment (AK401): element and component
// position.
var c4C030 = &CompositeDef{
	ID:   "C030",
	Name: "Position in Segment",
	Components: []ElementDef{
		elemN(722, "Element Position in Segment", 0, 1, 2, Mandatory),
		elemN(1528, "Component Data Element Position in Composite", 0, 1, 2, Optional),
	},
}

// Envelope of the set.

// s4ST is ST Transaction Set Header.
var s4ST = segDef("ST", "Transaction Set Header", nil,
	elemID(143, "Transaction Set Identifier Code", 3, 3, Mandatory, nil),
	elemAN(329, "Transaction Set Control Number", 4, 9, Mandatory),
)

// s4SE is SE Transaction Set Trailer.
var s4SE = segDef("SE", "Transaction Set Trailer", nil,
	elemN(96, "Number of Included Segments", 0, 1, 10, Mandatory),
	elemAN(329, "Transaction Set Control Number", 4, 9, Mandatory),
)

// Segments shared by the business sets.

// s4REF is REF Reference Identification. REF01 (128) carries no code list:
// partners use far more qualifiers than any list we could keep.
var s4REF = segDef("REF", "Reference Identification", notes("R0203"),
	elemID(128, "Reference Identification Qualifier", 2, 3, Mandatory, nil),
	elemAN(127, "Reference Identification", 1, 30, Conditional),
	elemAN(352, "Description", 1, 80, Conditional),
	elemComp(c4C040, Optional),
)

// s4PER is PER Administrative Communications Contact.
var s4PER = segDef("PER", "Administrative Communications Contact", notes("P0304", "P0506", "P0708"),
	elemID(366, "Contact Function Code", 2, 2, Mandatory, nil),
	elemAN(93, "Name", 1, 60, Optional),
	elemID(365, "Communication Number Qualifier", 2, 2, Conditional, nil),
	elemAN(364, "Communication Number", 1, 80, Conditional),
	elemID(365, "Communication Number Qualifier", 2, 2, Conditional, nil),
	elemAN(364, "Communication Number", 1, 80, Conditional),
	elemID(365, "Communication Number Qualifier", 2, 2, Conditional, nil),
	elemAN(364, "Communication Number", 1, 80, Conditional),
	elemAN(443, "Contact Inquiry Reference", 1, 20, Optional),
)

// s4DTM is DTM Date/Time Reference.
var s4DTM = segDef("DTM", "Date/Time Reference", notes("R020305", "C0403", "P0506"),
	elemID(374, "Date/Time Qualifier", 3, 3, Mandatory, codesDateQualifier374),
	elemDT(373, "Date", Conditional),
	elemTM(337, "Time", Conditional),
	elemID(623, "Time Code", 2, 2, Optional, nil),
	elemID(1250, "Date Time Period Format Qualifier", 2, 3, Conditional, nil),
	elemAN(1251, "Date Time Period", 1, 35, Conditional),
)

// s4CUR is CUR Currency.
var s4CUR = segDef("CUR", "Currency",
	notes("C0807", "C0907", "L101112", "C1110", "C1210", "L131415", "C1413", "C1513",
		"L161718", "C1716", "C1816", "L192021", "C2019", "C2119"),
	joinElems(
		[]ElementDef{
			elemID(98, "Entity Identifier Code", 2, 3, Mandatory, codesEntity98),
			elemID(100, "Currency Code", 3, 3, Mandatory, nil),
			elemR(280, "Exchange Rate", 4, 10, Optional),
			elemID(98, "Entity Identifier Code", 2, 3, Optional, codesEntity98),
			elemID(100, "Currency Code", 3, 3, Optional, nil),
			elemID(669, "Currency Market/Exchange Code", 3, 3, Optional, nil),
		},
		curDates(),
	)...,
)

// curDates returns CUR07–CUR21: five date/time qualifier, date and time
// triples.
func curDates() []ElementDef {
	var out []ElementDef
	for i := range 5 {
		q := Conditional
		if i == 0 {
			q = Optional
		}
		out = append(out,
			elemID(374, "Date/Time Qualifier", 3, 3, q, codesDateQualifier374),
			elemDT(373, "Date", Conditional),
			elemTM(337, "Time", Conditional))
	}
	return out
}

// s4FOB is FOB F.O.B. Related Instructions.
var s4FOB = segDef("FOB", "F.O.B. Related Instructions", notes("C0302", "C0405", "C0706", "C0809"),
	elemID(146, "Shipment Method of Payment", 2, 2, Mandatory, codesPayment146),
	elemID(309, "Location Qualifier", 1, 2, Conditional, nil),
	elemAN(352, "Description", 1, 80, Conditional),
	elemID(334, "Transportation Terms Qualifier Code", 2, 2, Optional, nil),
	elemID(335, "Transportation Terms Code", 3, 3, Conditional, nil),
	elemID(309, "Location Qualifier", 1, 2, Conditional, nil),
	elemAN(352, "Description", 1, 80, Conditional),
	elemID(54, "Risk of Loss Code", 2, 2, Optional, nil),
	elemAN(352, "Description", 1, 80, Conditional),
)

// s4ITD is ITD Terms of Sale/Deferred Terms of Sale.
var s4ITD = segDef("ITD", "Terms of Sale/Deferred Terms of Sale", notes("L03040513", "L08040513", "L091013"),
	elemID(336, "Terms Type Code", 2, 2, Optional, nil),
	elemID(333, "Terms Basis Date Code", 1, 2, Optional, nil),
	elemR(338, "Terms Discount Percent", 1, 6, Optional),
	elemDT(370, "Terms Discount Due Date", Conditional),
	elemN(351, "Terms Discount Days Due", 0, 1, 3, Conditional),
	elemDT(446, "Terms Net Due Date", Optional),
	elemN(386, "Terms Net Days", 0, 1, 3, Optional),
	elemN(362, "Terms Discount Amount", 2, 1, 10, Optional),
	elemDT(388, "Terms Deferred Due Date", Optional),
	elemN(389, "Deferred Amount Due", 2, 1, 10, Conditional),
	elemR(342, "Percent of Invoice Payable", 1, 5, Optional),
	elemAN(352, "Description", 1, 80, Optional),
	elemN(765, "Day of Month", 0, 1, 2, Conditional),
	elemID(107, "Payment Method Code", 1, 2, Optional, nil),
	elemR(954, "Percent", 1, 10, Optional),
)

// s4TAX is TAX Tax Reference.
var s4TAX = segDef("TAX", "Tax Reference", notes("R0103", "P0203", "P0405", "P0607", "P0809", "P1011"),
	joinElems(
		[]ElementDef{elemAN(325, "Tax Identification Number", 1, 20, Conditional)},
		locationPairs(5),
		[]ElementDef{elemID(441, "Tax Exempt Code", 1, 1, Optional, nil)},
	)...,
)

// locationPairs returns n pairs of 309 Location Qualifier and 310 Location
// Identifier.
func locationPairs(n int) []ElementDef {
	var out []ElementDef
	for range n {
		out = append(out,
			elemID(309, "Location Qualifier", 1, 2, Conditional, nil),
			elemAN(310, "Location Identifier", 1, 30, Conditional))
	}
	return out
}

// s4CTP is CTP Pricing Information.
var s4CTP = segDef("CTP", "Pricing Information", notes("P0405", "C0607", "C0902", "C1002", "C1103"),
	elemID(687, "Class of Trade Code", 2, 2, Optional, nil),
	elemID(236, "Price Identifier Code", 3, 3, Conditional, nil),
	elemR(212, "Unit Price", 1, 17, Conditional),
	elemR(380, "Quantity", 1, 15, Conditional),
	elemComp(c4C001, Conditional),
	elemID(648, "Price Multiplier Qualifier", 3, 3, Conditional, nil),
	elemR(649, "Multiplier", 1, 10, Conditional),
	elemR(782, "Monetary Amount", 1, 18, Optional),
	elemID(639, "Basis of Unit Price Code", 2, 2, Conditional, nil),
	elemAN(499, "Condition Value", 1, 10, Conditional),
	elemN(289, "Multiple Price Quantity", 0, 1, 2, Conditional),
)

// s4PID is PID Product/Item Description.
var s4PID = segDef("PID", "Product/Item Description", notes("C0403", "R0405", "C0703", "C0804", "C0905"),
	elemID(349, "Item Description Type", 1, 1, Mandatory, codesItemDescType349),
	elemID(750, "Product/Process Characteristic Code", 2, 3, Optional, nil),
	elemID(559, "Agency Qualifier Code", 2, 2, Conditional, nil),
	elemAN(751, "Product Description Code", 1, 12, Conditional),
	elemAN(352, "Description", 1, 80, Conditional),
	elemID(752, "Surface/Layer/Position Code", 2, 2, Optional, nil),
	elemAN(822, "Source Subqualifier", 1, 15, Optional),
	elemID(1073, "Yes/No Condition or Response Code", 1, 1, Optional, nil),
	elemID(819, "Language Code", 2, 3, Optional, nil),
)

// s4MEA is MEA Measurements.
var s4MEA = segDef("MEA", "Measurements", notes("R03050608", "C0504", "C0604", "L07030506", "E0803"),
	elemID(737, "Measurement Reference ID Code", 2, 2, Optional, nil),
	elemID(738, "Measurement Qualifier", 1, 3, Conditional, nil),
	elemR(739, "Measurement Value", 1, 20, Conditional),
	elemComp(c4C001, Conditional),
	elemR(740, "Range Minimum", 1, 20, Conditional),
	elemR(741, "Range Maximum", 1, 20, Conditional),
	elemID(935, "Measurement Significance Code", 1, 2, Optional, nil),
	elemID(936, "Measurement Attribute Code", 2, 2, Conditional, nil),
	elemID(752, "Surface/Layer/Position Code", 2, 2, Optional, nil),
	elemID(1373, "Measurement Method or Device", 1, 3, Optional, nil),
)

// s4PKG is PKG Marking, Packaging, Loading.
var s4PKG = segDef("PKG", "Marking, Packaging, Loading", notes("R0405", "C0401", "C0501"),
	elemID(349, "Item Description Type", 1, 1, Conditional, codesItemDescType349),
	elemID(753, "Packaging Characteristic Code", 1, 5, Optional, nil),
	elemID(559, "Agency Qualifier Code", 2, 2, Optional, nil),
	elemAN(754, "Packaging Description Code", 1, 7, Conditional),
	elemAN(352, "Description", 1, 80, Conditional),
	elemID(400, "Unit Load Option Code", 2, 2, Optional, nil),
)

// s4TD1 is TD1 Carrier Details (Quantity and Weight).
var s4TD1 = segDef("TD1", "Carrier Details (Quantity and Weight)", notes("C0102", "C0304", "C0607", "P0708", "P0910"),
	elemAN(103, "Packaging Code", 3, 5, Optional),
	elemN(80, "Lading Quantity", 0, 1, 7, Conditional),
	elemID(23, "Commodity Code Qualifier", 1, 1, Optional, nil),
	elemAN(22, "Commodity Code", 1, 30, Conditional),
	elemAN(79, "Lading Description", 1, 50, Optional),
	elemID(187, "Weight Qualifier", 1, 2, Optional, nil),
	elemR(81, "Weight", 1, 10, Conditional),
	elemUnit(Conditional),
	elemR(183, "Volume", 1, 8, Conditional),
	elemUnit(Conditional),
)

// s4TD3 is TD3 Carrier Details (Equipment).
var s4TD3 = segDef("TD3", "Carrier Details (Equipment)", notes("E0110", "C0203", "C0405", "P0506"),
	elemID(40, "Equipment Description Code", 2, 2, Conditional, nil),
	elemAN(206, "Equipment Initial", 1, 4, Optional),
	elemAN(207, "Equipment Number", 1, 10, Conditional),
	elemID(187, "Weight Qualifier", 1, 2, Optional, nil),
	elemR(81, "Weight", 1, 10, Conditional),
	elemUnit(Conditional),
	elemID(102, "Ownership Code", 1, 1, Optional, nil),
	elemID(407, "Seal Status Code", 2, 2, Optional, nil),
	elemAN(225, "Seal Number", 2, 15, Optional),
	elemID(24, "Equipment Type", 4, 4, Optional, nil),
)

// s4TD4 is TD4 Carrier Details (Special Handling, or Hazardous Materials, or
// Both).
var s4TD4 = segDef("TD4", "Carrier Details (Special Handling, or Hazardous Materials, or Both)", notes("R010204", "C0203"),
	elemID(152, "Special Handling Code", 2, 3, Conditional, nil),
	elemID(208, "Hazardous Material Code Qualifier", 1, 1, Conditional, nil),
	elemAN(209, "Hazardous Material Class Code", 1, 4, Conditional),
	elemAN(352, "Description", 1, 80, Conditional),
	elemID(1073, "Yes/No Condition or Response Code", 1, 1, Optional, nil),
)

// s4TD5 is TD5 Carrier Details (Routing Sequence/Transit Time): TD503 is the
// carrier's SCAC when TD502 is 2.
var s4TD5 = segDef("TD5", "Carrier Details (Routing Sequence/Transit Time)",
	notes("R0204050612", "C0203", "C0708", "C1011", "C1312", "C1413", "C1512"),
	elemID(133, "Routing Sequence Code", 1, 2, Optional, nil),
	elemID(66, "Identification Code Qualifier", 1, 2, Conditional, codesIDQualifier66),
	elemAN(67, "Identification Code", 2, 80, Conditional),
	elemID(91, "Transportation Method/Type Code", 1, 2, Conditional, codesTransport91),
	elemAN(387, "Routing", 1, 35, Conditional),
	elemID(368, "Shipment/Order Status Code", 2, 2, Conditional, codesShipStatus368),
	elemID(309, "Location Qualifier", 1, 2, Optional, nil),
	elemAN(310, "Location Identifier", 1, 30, Conditional),
	elemID(731, "Transit Direction Code", 2, 2, Optional, nil),
	elemID(732, "Transit Time Direction Qualifier", 2, 2, Conditional, nil),
	elemR(733, "Transit Time", 1, 4, Conditional),
	elemID(284, "Service Level Code", 1, 3, Conditional, nil),
	elemID(284, "Service Level Code", 1, 3, Conditional, nil),
	elemID(284, "Service Level Code", 1, 3, Optional, nil),
	elemID(26, "Country Code", 2, 3, Optional, nil),
)

// s4MAN is MAN Marks and Numbers: GM carries an SSCC-18, CP a carrier
// tracking number.
var s4MAN = segDef("MAN", "Marks and Numbers", notes("P0405", "C0605"),
	elemID(88, "Marks and Numbers Qualifier", 1, 2, Mandatory, codesMarks88),
	elemAN(87, "Marks and Numbers", 1, 48, Mandatory),
	elemAN(87, "Marks and Numbers", 1, 48, Optional),
	elemID(88, "Marks and Numbers Qualifier", 1, 2, Conditional, codesMarks88),
	elemAN(87, "Marks and Numbers", 1, 48, Conditional),
	elemAN(87, "Marks and Numbers", 1, 48, Optional),
)

// s4AMT is AMT Monetary Amount.
var s4AMT = segDef("AMT", "Monetary Amount", nil,
	elemID(522, "Amount Qualifier Code", 1, 3, Mandatory, nil),
	elemR(782, "Monetary Amount", 1, 18, Mandatory),
	elemID(478, "Credit/Debit Flag Code", 1, 1, Optional, nil),
)

// s4N9 is N9 Reference Identification (extended).
var s4N9 = segDef("N9", "Reference Identification", notes("R0203", "C0605"),
	elemID(128, "Reference Identification Qualifier", 2, 3, Mandatory, nil),
	elemAN(127, "Reference Identification", 1, 30, Conditional),
	elemAN(369, "Free-form Description", 1, 45, Conditional),
	elemDT(373, "Date", Optional),
	elemTM(337, "Time", Conditional),
	elemID(623, "Time Code", 2, 2, Optional, nil),
	elemComp(c4C040, Optional),
)

// s4MSG is MSG Message Text (replaced by MTX in 005010).
var s4MSG = segDef("MSG", "Message Text", notes("C0302"),
	elemAN(933, "Free-form Message Text", 1, 264, Mandatory),
	elemID(934, "Printer Carriage Control Code", 2, 2, Optional, nil),
	elemN(1470, "Number", 0, 1, 9, Conditional),
)

// s4MTX is MTX Text, which the generated 004010 850 tables already place in
// the ADV loop; the 005010 sets use it wherever 004010 had MSG.
var s4MTX = segDef("MTX", "Text", notes("C0102", "C0302", "C0504"),
	elemID(363, "Note Reference Code", 3, 3, Conditional, nil),
	elemAN(1551, "Textual Data", 1, 4096, Conditional),
	elemAN(1551, "Textual Data", 1, 4096, Conditional),
	elemID(934, "Printer Carriage Control Code", 2, 2, Optional, nil),
	elemN(1470, "Number", 0, 1, 9, Conditional),
	elemID(819, "Language Code", 2, 3, Optional, nil),
)

// s4N1 is N1 Name: N101 the party's role, N103/N104 its qualified ID.
var s4N1 = segDef("N1", "Name", notes("R0203", "P0304"),
	elemID(98, "Entity Identifier Code", 2, 3, Mandatory, codesEntity98),
	elemAN(93, "Name", 1, 60, Conditional),
	elemID(66, "Identification Code Qualifier", 1, 2, Conditional, codesIDQualifier66),
	elemAN(67, "Identification Code", 2, 80, Conditional),
	elemID(706, "Entity Relationship Code", 2, 2, Optional, nil),
	elemID(98, "Entity Identifier Code", 2, 3, Optional, codesEntity98),
)

// s4N2 is N2 Additional Name Information.
var s4N2 = segDef("N2", "Additional Name Information", nil,
	elemAN(93, "Name", 1, 60, Mandatory),
	elemAN(93, "Name", 1, 60, Optional),
)

// s4N3 is N3 Address Information.
var s4N3 = segDef("N3", "Address Information", nil,
	elemAN(166, "Address Information", 1, 55, Mandatory),
	elemAN(166, "Address Information", 1, 55, Optional),
)

// s4N4 is N4 Geographic Location (six elements in 004010).
var s4N4 = segDef("N4", "Geographic Location", notes("C0605"),
	elemAN(19, "City Name", 2, 30, Optional),
	elemID(156, "State or Province Code", 2, 2, Optional, nil),
	elemID(116, "Postal Code", 3, 15, Optional, nil),
	elemID(26, "Country Code", 2, 3, Optional, nil),
	elemID(309, "Location Qualifier", 1, 2, Conditional, nil),
	elemAN(310, "Location Identifier", 1, 30, Optional),
)

// s4SAC is SAC Service, Promotion, Allowance, or Charge Information.
var s4SAC = segDef("SAC", "Service, Promotion, Allowance, or Charge Information",
	notes("R0203", "P0304", "P0607", "P0910", "C1110", "C1413", "C1615"),
	elemID(248, "Allowance or Charge Indicator", 1, 1, Mandatory, nil),
	elemID(1300, "Service, Promotion, Allowance, or Charge Code", 4, 4, Conditional, nil),
	elemID(559, "Agency Qualifier Code", 2, 2, Conditional, nil),
	elemAN(1301, "Agency Service, Promotion, Allowance, or Charge Code", 1, 10, Conditional),
	elemN(610, "Amount", 2, 1, 15, Optional),
	elemID(378, "Allowance/Charge Percent Qualifier", 1, 1, Conditional, nil),
	elemR(332, "Percent", 1, 6, Conditional),
	elemR(118, "Rate", 1, 9, Optional),
	elemUnit(Conditional),
	elemR(380, "Quantity", 1, 15, Conditional),
	elemR(380, "Quantity", 1, 15, Conditional),
	elemID(331, "Allowance or Charge Method of Handling Code", 2, 2, Optional, nil),
	elemAN(127, "Reference Identification", 1, 30, Conditional),
	elemAN(770, "Option Number", 1, 20, Conditional),
	elemAN(352, "Description", 1, 80, Conditional),
	elemID(819, "Language Code", 2, 3, Conditional, nil),
)

// s4QTY is QTY Quantity.
var s4QTY = segDef("QTY", "Quantity", notes("R0204", "E0204"),
	elemID(673, "Quantity Qualifier", 2, 2, Mandatory, nil),
	elemR(380, "Quantity", 1, 15, Conditional),
	elemComp(c4C001, Optional),
	elemAN(61, "Free-form Information", 1, 30, Conditional),
)

// s4SDQ is SDQ Destination Quantity (store-level split of a line).
var s4SDQ = segDef("SDQ", "Destination Quantity", pairNotes(5, 9),
	joinElems(
		[]ElementDef{
			elemUnit(Mandatory),
			elemID(66, "Identification Code Qualifier", 1, 2, Optional, codesIDQualifier66),
			elemAN(67, "Identification Code", 2, 80, Mandatory),
			elemR(380, "Quantity", 1, 15, Mandatory),
		},
		destinationPairs(9),
		[]ElementDef{elemAN(310, "Location Identifier", 1, 30, Optional)},
	)...,
)

// destinationPairs returns n conditional 67 Identification Code and 380
// Quantity pairs.
func destinationPairs(n int) []ElementDef {
	var out []ElementDef
	for range n {
		out = append(out,
			elemAN(67, "Identification Code", 2, 80, Conditional),
			elemR(380, "Quantity", 1, 15, Conditional))
	}
	return out
}

// s4SLN is SLN Subline Item Detail.
var s4SLN = segDef("SLN", "Subline Item Detail",
	append(notes("P0405", "C0706", "C0806"), pairNotes(9, 10)...),
	joinElems(
		[]ElementDef{
			elemAN(350, "Assigned Identification", 1, 20, Mandatory),
			elemAN(350, "Assigned Identification", 1, 20, Optional),
			elemID(662, "Relationship Code", 1, 1, Mandatory, nil),
			elemR(380, "Quantity", 1, 15, Conditional),
			elemComp(c4C001, Conditional),
			elemR(212, "Unit Price", 1, 17, Conditional),
			elemID(639, "Basis of Unit Price Code", 2, 2, Optional, nil),
			elemID(662, "Relationship Code", 1, 1, Optional, nil),
		},
		productIDPairs(10, Conditional),
	)...,
)

// s4PO4 is PO4 Item Physical Details.
var s4PO4 = segDef("PO4", "Item Physical Details",
	notes("P0203", "C0506", "P0607", "P0809", "C1013", "C1113", "C1213", "L13101112", "C1716"),
	elemN(356, "Pack", 0, 1, 6, Optional),
	elemR(357, "Size", 1, 8, Conditional),
	elemUnit(Conditional),
	elemAN(103, "Packaging Code", 3, 5, Optional),
	elemID(187, "Weight Qualifier", 1, 2, Optional, nil),
	elemR(384, "Gross Weight per Pack", 1, 9, Conditional),
	elemUnit(Conditional),
	elemR(385, "Gross Volume per Pack", 1, 9, Conditional),
	elemUnit(Conditional),
	elemR(82, "Length", 1, 8, Conditional),
	elemR(189, "Width", 1, 8, Conditional),
	elemR(65, "Height", 1, 8, Conditional),
	elemUnit(Conditional),
	elemN(810, "Inner Pack", 0, 1, 6, Optional),
	elemID(752, "Surface/Layer/Position Code", 2, 2, Optional, nil),
	elemAN(350, "Assigned Identification", 1, 20, Optional),
	elemAN(350, "Assigned Identification", 1, 20, Conditional),
	elemN(1470, "Number", 0, 1, 9, Optional),
)

// s4CTT is CTT Transaction Totals.
var s4CTT = segDef("CTT", "Transaction Totals", notes("P0304", "P0506"),
	elemN(354, "Number of Line Items", 0, 1, 6, Mandatory),
	elemR(347, "Hash Total", 1, 10, Optional),
	elemR(81, "Weight", 1, 10, Conditional),
	elemUnit(Conditional),
	elemR(183, "Volume", 1, 8, Conditional),
	elemUnit(Conditional),
	elemAN(352, "Description", 1, 80, Optional),
)

// 850 Purchase Order.

// s4BEG is BEG Beginning Segment for Purchase Order: BEG03 the PO number,
// BEG05 its date.
var s4BEG = segDef("BEG", "Beginning Segment for Purchase Order", nil,
	elemID(353, "Transaction Set Purpose Code", 2, 2, Mandatory, codesPurpose353),
	elemID(92, "Purchase Order Type Code", 2, 2, Mandatory, codesPOType92),
	elemAN(324, "Purchase Order Number", 1, 22, Mandatory),
	elemAN(328, "Release Number", 1, 30, Optional),
	elemDT(373, "Date", Mandatory),
	elemAN(367, "Contract Number", 1, 30, Optional),
	elemID(587, "Acknowledgment Type", 2, 2, Optional, nil),
	elemID(1019, "Invoice Type Code", 3, 3, Optional, nil),
	elemID(1166, "Contract Type Code", 2, 2, Optional, nil),
	elemID(1232, "Purchase Category", 2, 2, Optional, nil),
	elemID(786, "Security Level Code", 2, 2, Optional, nil),
	elemID(640, "Transaction Type Code", 2, 2, Optional, nil),
)

// s4PO1 is PO1 Baseline Item Data: quantity, unit, price and up to ten
// product ID pairs (PO106/PO107 … PO124/PO125).
var s4PO1 = segDef("PO1", "Baseline Item Data",
	append(notes("C0302", "C0504"), pairNotes(6, 10)...),
	joinElems(
		[]ElementDef{
			elemAN(350, "Assigned Identification", 1, 20, Optional),
			elemR(330, "Quantity Ordered", 1, 15, Conditional),
			elemUnit(Optional),
			elemR(212, "Unit Price", 1, 17, Conditional),
			elemID(639, "Basis of Unit Price Code", 2, 2, Optional, nil),
		},
		productIDPairs(10, Conditional),
	)...,
)

// Segments the 850 places but that are known by tag only.
var (
	tagPAM = tagOnly("PAM", "Period Amount")
	tagCSH = tagOnly("CSH", "Sales Requirements")
	tagTC2 = tagOnly("TC2", "Commodity")
	tagDIS = tagOnly("DIS", "Discount Detail")
	tagINC = tagOnly("INC", "Installment Information")
	tagLDT = tagOnly("LDT", "Lead Time")
	tagSI  = tagOnly("SI", "Service Characteristic Identification")
	tagPWK = tagOnly("PWK", "Paperwork")
	tagPCT = tagOnly("PCT", "Percent Amounts")
	tagCTB = tagOnly("CTB", "Restrictions/Conditions")
	tagTXI = tagOnly("TXI", "Tax Information")
	tagFA1 = tagOnly("FA1", "Type of Financial Accounting Data")
	tagFA2 = tagOnly("FA2", "Accounting Data")
	tagNX2 = tagOnly("NX2", "Location ID Component")
	tagLM  = tagOnly("LM", "Code Source Information")
	tagLQ  = tagOnly("LQ", "Industry Code")
	tagSPI = tagOnly("SPI", "Specification Identifier")
	tagCB1 = tagOnly("CB1", "Contract and Cost Accounting Standards Data")
	tagADV = tagOnly("ADV", "Advertising Demographic Information")
	tagCN1 = tagOnly("CN1", "Contract Information")
	tagPO3 = tagOnly("PO3", "Additional Item Detail")
	tagIT8 = tagOnly("IT8", "Conditions of Sale")
	tagIT3 = tagOnly("IT3", "Additional Item Data")
	tagSCH = tagOnly("SCH", "Line Item Schedule")
	tagLS  = tagOnly("LS", "Loop Header")
	tagLE  = tagOnly("LE", "Loop Trailer")
)

// s4LIN is LIN Item Identification: LIN01 echoes PO101, then up to fifteen
// product ID pairs.
var s4LIN = segDef("LIN", "Item Identification", pairNotes(4, 14),
	joinElems(
		[]ElementDef{
			elemAN(350, "Assigned Identification", 1, 20, Optional),
			elemID(235, "Product/Service ID Qualifier", 2, 2, Mandatory, codesProductQualifier235),
			elemAN(234, "Product/Service ID", 1, 48, Mandatory),
		},
		productIDPairs(14, Conditional),
	)...,
)

// 856 Ship Notice/Manifest.

// s4BSN is BSN Beginning Segment for Ship Notice: BSN02 the ASN number,
// BSN05 the hierarchical structure.
var s4BSN = segDef("BSN", "Beginning Segment for Ship Notice", notes("C0706"),
	elemID(353, "Transaction Set Purpose Code", 2, 2, Mandatory, codesPurpose353),
	elemAN(396, "Shipment Identification", 2, 30, Mandatory),
	elemDT(373, "Date", Mandatory),
	elemTM(337, "Time", Mandatory),
	elemID(1005, "Hierarchical Structure Code", 4, 4, Optional, codesHLStructure1005),
	elemID(640, "Transaction Type Code", 2, 2, Conditional, nil),
	elemID(641, "Status Reason Code", 3, 3, Optional, nil),
)

// s4HL is HL Hierarchical Level.
var s4HL = segDef("HL", "Hierarchical Level", nil,
	elemAN(628, "Hierarchical ID Number", 1, 12, Mandatory),
	elemAN(734, "Hierarchical Parent ID Number", 1, 12, Optional),
	elemID(735, "Hierarchical Level Code", 1, 2, Mandatory, codesHLLevel735),
	elemID(736, "Hierarchical Child Code", 1, 1, Optional, nil),
)

// s4SN1 is SN1 Item Detail (Shipment): SN102 units shipped, SN105 quantity
// ordered.
var s4SN1 = segDef("SN1", "Item Detail (Shipment)", notes("P0506"),
	elemAN(350, "Assigned Identification", 1, 20, Optional),
	elemR(382, "Number of Units Shipped", 1, 10, Mandatory),
	elemUnit(Mandatory),
	elemR(646, "Quantity Shipped to Date", 1, 9, Optional),
	elemR(330, "Quantity Ordered", 1, 15, Conditional),
	elemUnit(Conditional),
	elemID(728, "Returnable Container Load Make-Up Code", 1, 2, Optional, nil),
	elemID(668, "Line Item Status Code", 2, 2, Optional, nil),
)

// s4PRF is PRF Purchase Order Reference.
var s4PRF = segDef("PRF", "Purchase Order Reference", nil,
	elemAN(324, "Purchase Order Number", 1, 22, Mandatory),
	elemAN(328, "Release Number", 1, 30, Optional),
	elemAN(327, "Change Order Sequence Number", 1, 8, Optional),
	elemDT(373, "Date", Optional),
	elemAN(350, "Assigned Identification", 1, 20, Optional),
	elemAN(367, "Contract Number", 1, 30, Optional),
	elemID(92, "Purchase Order Type Code", 2, 2, Optional, codesPOType92),
)

// s4PAL is PAL Pallet Information.
var s4PAL = segDef("PAL", "Pallet Information",
	notes("P0506", "C0710", "C0810", "C0910", "L10070809", "P1112", "P1314"),
	elemID(883, "Pallet Type Code", 1, 1, Optional, nil),
	elemN(884, "Pallet Tiers", 0, 1, 3, Optional),
	elemN(885, "Pallet Blocks", 0, 1, 3, Optional),
	elemN(356, "Pack", 0, 1, 6, Optional),
	elemR(395, "Unit Weight", 1, 8, Conditional),
	elemUnit(Conditional),
	elemR(82, "Length", 1, 8, Conditional),
	elemR(189, "Width", 1, 8, Conditional),
	elemR(65, "Height", 1, 8, Conditional),
	elemUnit(Conditional),
	elemR(384, "Gross Weight per Pack", 1, 9, Conditional),
	elemUnit(Conditional),
	elemR(385, "Gross Volume per Pack", 1, 9, Conditional),
	elemUnit(Conditional),
	elemID(399, "Pallet Exchange Code", 1, 1, Optional, nil),
	elemN(810, "Inner Pack", 0, 1, 6, Optional),
)

// s4CLD is CLD Load Detail.
var s4CLD = segDef("CLD", "Load Detail", notes("C0504"),
	elemN(622, "Number of Loads", 0, 1, 5, Mandatory),
	elemR(382, "Number of Units Shipped", 1, 10, Mandatory),
	elemAN(103, "Packaging Code", 3, 5, Optional),
	elemR(357, "Size", 1, 8, Optional),
	elemUnit(Conditional),
)

// s4YNQ is YNQ Yes/No Question.
var s4YNQ = segDef("YNQ", "Yes/No Question", notes("P0304", "C0908"),
	elemID(1321, "Condition Indicator", 1, 2, Optional, nil),
	elemID(1073, "Yes/No Condition or Response Code", 1, 1, Mandatory, nil),
	elemID(1250, "Date Time Period Format Qualifier", 2, 3, Conditional, nil),
	elemAN(1251, "Date Time Period", 1, 35, Conditional),
	elemAN(933, "Free-form Message Text", 1, 264, Optional),
	elemAN(933, "Free-form Message Text", 1, 264, Optional),
	elemAN(933, "Free-form Message Text", 1, 264, Optional),
	elemID(1270, "Code List Qualifier Code", 1, 3, Optional, nil),
	elemAN(1271, "Industry Code", 1, 30, Conditional),
	elemAN(933, "Free-form Message Text", 1, 264, Optional),
)

// Segments the 856 places but that are known by tag only.
var (
	tagTSD = tagOnly("TSD", "Trailer Shipment Details")
	tagLH1 = tagOnly("LH1", "Hazardous Identification Information")
	tagLH2 = tagOnly("LH2", "Hazardous Classification Information")
	tagLH3 = tagOnly("LH3", "Hazardous Material Shipping Name")
	tagLFH = tagOnly("LFH", "Freeform Hazardous Material Information")
	tagLEP = tagOnly("LEP", "EPA Required Data")
	tagLH4 = tagOnly("LH4", "Canadian Dangerous Requirements")
	tagLHT = tagOnly("LHT", "Transborder Hazardous Requirements")
	tagLHR = tagOnly("LHR", "Hazardous Material Identifying Reference Numbers")
	tagLHE = tagOnly("LHE", "Empty Equipment Hazardous Material Information")
	tagDTP = tagOnly("DTP", "Date or Time or Period")
	tagETD = tagOnly("ETD", "Excess Transportation Detail")
	tagGF  = tagOnly("GF", "Furnished Goods and Services")
	tagV1  = tagOnly("V1", "Vessel Identification")
	tagR4  = tagOnly("R4", "Port or Terminal")
)

// 940 Warehouse Shipping Order and 945 Warehouse Shipping Advice.

// s4W05 is W05 Shipping Order Identification: W0502 the depositor order
// number the 945 echoes.
var s4W05 = segDef("W05", "Shipping Order Identification", notes("P0405"),
	elemID(473, "Order Status Code", 1, 1, Mandatory, codesOrderStatus473),
	elemAN(285, "Depositor Order Number", 1, 22, Mandatory),
	elemAN(324, "Purchase Order Number", 1, 22, Optional),
	elemN(472, "Link Sequence Number", 0, 6, 6, Conditional),
	elemAN(474, "Master Reference (Link) Number", 1, 22, Conditional),
	elemID(640, "Transaction Type Code", 2, 2, Optional, nil),
	elemID(306, "Action Code", 1, 2, Optional, nil),
)

// s4G61 is G61 Contact.
var s4G61 = segDef("G61", "Contact", notes("P0304"),
	elemID(366, "Contact Function Code", 2, 2, Mandatory, nil),
	elemAN(93, "Name", 1, 60, Mandatory),
	elemID(365, "Communication Number Qualifier", 2, 2, Conditional, nil),
	elemAN(364, "Communication Number", 1, 80, Conditional),
	elemAN(443, "Contact Inquiry Reference", 1, 20, Optional),
)

// s4G62 is G62 Date/Time (warehouse dates, qualified by 432).
var s4G62 = segDef("G62", "Date/Time", notes("R0103", "P0102", "P0304"),
	elemID(432, "Date Qualifier", 2, 2, Conditional, codesDateQualifier432),
	elemDT(373, "Date", Conditional),
	elemID(176, "Time Qualifier", 1, 1, Conditional, nil),
	elemTM(337, "Time", Conditional),
	elemID(623, "Time Code", 2, 2, Optional, nil),
)

// s4NTE is NTE Note/Special Instruction.
var s4NTE = segDef("NTE", "Note/Special Instruction", nil,
	elemID(363, "Note Reference Code", 3, 3, Optional, nil),
	elemAN(352, "Description", 1, 80, Mandatory),
)

// s4W09 is W09 Equipment and Temperature.
var s4W09 = segDef("W09", "Equipment and Temperature", notes("P0203", "P0405"),
	elemID(40, "Equipment Description Code", 2, 2, Mandatory, nil),
	elemR(408, "Temperature", 1, 4, Conditional),
	elemUnit(Conditional),
	elemR(408, "Temperature", 1, 4, Conditional),
	elemUnit(Conditional),
	elemAN(3, "Free-form Message", 1, 60, Optional),
	elemID(1122, "Vent Setting Code", 1, 2, Optional, nil),
	elemN(488, "Percent, Integer Format", 0, 1, 3, Optional),
	elemR(380, "Quantity", 1, 15, Optional),
)

// s4W66 is W66 Warehouse Carrier Information: W6601 payment terms, W6602
// mode, W6610 SCAC.
var s4W66 = segDef("W66", "Warehouse Carrier Information", notes("P0809"),
	elemID(146, "Shipment Method of Payment", 2, 2, Mandatory, codesPayment146),
	elemID(91, "Transportation Method/Type Code", 1, 2, Mandatory, codesTransport91),
	elemID(399, "Pallet Exchange Code", 1, 1, Optional, nil),
	elemID(400, "Unit Load Option Code", 2, 2, Optional, nil),
	elemAN(387, "Routing", 1, 35, Optional),
	elemID(433, "F.O.B. Point Code", 2, 2, Optional, nil),
	elemAN(434, "F.O.B. Point", 1, 30, Optional),
	elemID(625, "COD Method of Payment Code", 1, 2, Conditional, nil),
	elemN(610, "Amount", 2, 1, 15, Conditional),
	elemAN(140, "Standard Carrier Alpha Code", 2, 4, Optional),
)

// s4W6 is W6 Special Handling Information.
var s4W6 = segDef("W6", "Special Handling Information", nil,
	elemID(152, "Special Handling Code", 2, 3, Mandatory, nil),
	elemID(152, "Special Handling Code", 2, 3, Optional, nil),
	elemID(152, "Special Handling Code", 2, 3, Optional, nil),
	elemID(152, "Special Handling Code", 2, 3, Optional, nil),
)

// s4LX is LX Assigned Number.
var s4LX = segDef("LX", "Assigned Number", nil,
	elemN(554, "Assigned Number", 0, 1, 6, Mandatory),
)

// s4W01 is W01 Line Item Detail - Warehouse: quantity, unit and product ID
// pairs of a 940 line.
var s4W01 = segDef("W01", "Line Item Detail - Warehouse", notes("R0304", "P0405", "P0607", "P1011", "P1516"),
	joinElems(
		[]ElementDef{
			elemR(330, "Quantity Ordered", 1, 15, Mandatory),
			elemUnit(Mandatory),
			elemAN(438, "U.P.C. Case Code", 12, 12, Conditional),
		},
		productIDPairs(2, Conditional),
		[]ElementDef{
			elemAN(59, "Freight Class Code", 2, 5, Optional),
			elemID(121, "Rate Class Code", 1, 3, Optional, nil),
			elemID(23, "Commodity Code Qualifier", 1, 1, Conditional, nil),
			elemAN(22, "Commodity Code", 1, 30, Conditional),
			elemN(416, "Pallet Block and Tiers", 0, 6, 6, Optional),
			elemAN(451, "Warehouse Lot Number", 1, 12, Optional),
			elemID(286, "Product/Service Condition Code", 2, 2, Optional, nil),
		},
		productIDPairs(1, Conditional),
	)...,
)

// s4G69 is G69 Line Item Detail - Description.
var s4G69 = segDef("G69", "Line Item Detail - Description", nil,
	elemAN(369, "Free-form Description", 1, 45, Mandatory),
)

// s4W20 is W20 Line Item Detail - Miscellaneous (packing).
var s4W20 = segDef("W20", "Line Item Detail - Miscellaneous", notes("P0203", "P040506", "P0809"),
	elemN(356, "Pack", 0, 1, 6, Optional),
	elemR(357, "Size", 1, 8, Conditional),
	elemUnit(Conditional),
	elemR(81, "Weight", 1, 10, Conditional),
	elemID(187, "Weight Qualifier", 1, 2, Conditional, nil),
	elemID(188, "Weight Unit Code", 1, 1, Conditional, nil),
	elemR(395, "Unit Weight", 1, 8, Optional),
	elemR(183, "Volume", 1, 8, Conditional),
	elemUnit(Conditional),
	elemAN(397, "Color", 1, 10, Optional),
)

// s4W76 is W76 Total Shipping Order.
var s4W76 = segDef("W76", "Total Shipping Order", notes("P0203", "P0405", "C0603"),
	elemR(330, "Quantity Ordered", 1, 15, Mandatory),
	elemR(81, "Weight", 1, 10, Conditional),
	elemUnit(Conditional),
	elemR(183, "Volume", 1, 8, Conditional),
	elemUnit(Conditional),
	elemR(398, "Order Sizing Factor", 1, 10, Conditional),
)

// s4W06 is W06 Warehouse Shipment Identification: W0602 echoes the 940's
// W0502.
var s4W06 = segDef("W06", "Warehouse Shipment Identification", notes("P0708"),
	elemID(514, "Reporting Code", 1, 1, Mandatory, codesReporting514),
	elemAN(285, "Depositor Order Number", 1, 22, Optional),
	elemDT(373, "Date", Optional),
	elemAN(145, "Shipment Identification Number", 1, 30, Optional),
	elemAN(531, "Agent Shipment ID Number", 1, 12, Optional),
	elemAN(324, "Purchase Order Number", 1, 22, Optional),
	elemAN(474, "Master Reference (Link) Number", 1, 22, Conditional),
	elemN(472, "Link Sequence Number", 0, 6, 6, Conditional),
	elemID(152, "Special Handling Code", 2, 3, Optional, nil),
	elemID(891, "Shipping Date Change Reason Code", 2, 2, Optional, nil),
	elemID(640, "Transaction Type Code", 2, 2, Optional, nil),
	elemID(306, "Action Code", 1, 2, Optional, nil),
)

// s4W27 is W27 Carrier Detail.
var s4W27 = segDef("W27", "Carrier Detail", notes("R0203"),
	elemID(91, "Transportation Method/Type Code", 1, 2, Mandatory, codesTransport91),
	elemAN(140, "Standard Carrier Alpha Code", 2, 4, Conditional),
	elemAN(387, "Routing", 1, 35, Conditional),
	elemID(146, "Shipment Method of Payment", 2, 2, Optional, codesPayment146),
	elemID(40, "Equipment Description Code", 2, 2, Optional, nil),
	elemAN(206, "Equipment Initial", 1, 4, Optional),
	elemAN(207, "Equipment Number", 1, 10, Optional),
	elemID(368, "Shipment/Order Status Code", 2, 2, Optional, codesShipStatus368),
	elemID(152, "Special Handling Code", 2, 3, Optional, nil),
	elemID(890, "Carrier/Route Change Reason Code", 2, 2, Optional, nil),
)

// s4W28 is W28 Consolidation Information.
var s4W28 = segDef("W28", "Consolidation Information", notes("P020304", "P0607"),
	elemID(604, "Consolidation Code", 1, 2, Mandatory, nil),
	elemR(81, "Weight", 1, 10, Conditional),
	elemID(187, "Weight Qualifier", 1, 2, Conditional, nil),
	elemID(188, "Weight Unit Code", 1, 1, Conditional, nil),
	elemN(466, "Total Stop-offs", 0, 1, 2, Optional),
	elemAN(310, "Location Identifier", 1, 30, Conditional),
	elemID(309, "Location Qualifier", 1, 2, Conditional, nil),
	elemAN(598, "Bill of Lading/Waybill Number", 1, 25, Optional),
)

// s4W10 is W10 Warehouse Additional Carrier Information.
var s4W10 = segDef("W10", "Warehouse Additional Carrier Information", notes("P0607", "P0809"),
	elemID(400, "Unit Load Option Code", 2, 2, Optional, nil),
	elemN(406, "Quantity of Pallets Shipped", 0, 1, 3, Optional),
	elemID(399, "Pallet Exchange Code", 1, 1, Optional, nil),
	elemAN(225, "Seal Number", 2, 15, Optional),
	elemAN(225, "Seal Number", 2, 15, Optional),
	elemR(408, "Temperature", 1, 4, Conditional),
	elemUnit(Conditional),
	elemR(408, "Temperature", 1, 4, Conditional),
	elemUnit(Conditional),
)

// s4G72 is G72 Allowance or Charge.
var s4G72 = segDef("G72", "Allowance or Charge", notes("R03050809", "E050809", "P0607", "P0910", "C1103"),
	elemID(340, "Allowance or Charge Code", 1, 3, Mandatory, nil),
	elemID(331, "Allowance or Charge Method of Handling Code", 2, 2, Mandatory, nil),
	elemAN(341, "Allowance or Charge Number", 1, 16, Conditional),
	elemAN(769, "Exception Number", 1, 16, Optional),
	elemR(359, "Allowance or Charge Rate", 1, 15, Conditional),
	elemR(339, "Allowance or Charge Quantity", 1, 10, Conditional),
	elemUnit(Conditional),
	elemN(360, "Allowance or Charge Total Amount", 2, 1, 15, Conditional),
	elemR(332, "Percent", 1, 6, Conditional),
	elemR(828, "Dollar Basis For Percent", 1, 9, Conditional),
	elemAN(770, "Option Number", 1, 20, Conditional),
)

// s4W12 is W12 Warehouse Item Detail: W1202 ordered, W1203 shipped, W1204
// difference, W1205 unit.
var s4W12 = segDef("W12", "Warehouse Item Detail", notes("R0607", "P0708", "P101112", "P131415", "P1718", "P2122"),
	joinElems(
		[]ElementDef{
			elemID(368, "Shipment/Order Status Code", 2, 2, Mandatory, codesShipStatus368),
			elemR(330, "Quantity Ordered", 1, 15, Optional),
			elemR(382, "Number of Units Shipped", 1, 10, Optional),
			elemR(383, "Quantity Difference", 1, 9, Optional),
			elemUnit(Optional),
			elemAN(438, "U.P.C. Case Code", 12, 12, Conditional),
		},
		productIDPairs(1, Conditional),
		[]ElementDef{
			elemAN(451, "Warehouse Lot Number", 1, 12, Optional),
			elemR(81, "Weight", 1, 10, Conditional),
			elemID(187, "Weight Qualifier", 1, 2, Conditional, nil),
			elemID(188, "Weight Unit Code", 1, 1, Conditional, nil),
			elemR(81, "Weight", 1, 10, Conditional),
			elemID(187, "Weight Qualifier", 1, 2, Conditional, nil),
			elemID(188, "Weight Unit Code", 1, 1, Conditional, nil),
			elemAN(438, "U.P.C. Case Code", 12, 12, Optional),
		},
		productIDPairs(1, Conditional),
		[]ElementDef{
			elemID(892, "Line Item Change Reason Code", 2, 2, Optional, nil),
			elemID(893, "Warehouse Detail Adjustment Identifier", 1, 1, Optional, nil),
		},
		productIDPairs(1, Conditional),
	)...,
)

// s4W03 is W03 Total Shipment Information.
var s4W03 = segDef("W03", "Total Shipment Information", notes("P0203", "P0405", "P0607"),
	elemR(382, "Number of Units Shipped", 1, 10, Mandatory),
	elemR(81, "Weight", 1, 10, Conditional),
	elemUnit(Conditional),
	elemR(183, "Volume", 1, 8, Conditional),
	elemUnit(Conditional),
	elemN(80, "Lading Quantity", 0, 1, 7, Conditional),
	elemUnit(Conditional),
)

// Segments the 940/945 place but that are known by tag only.
var (
	tagR2  = tagOnly("R2", "Route Information")
	tagBNX = tagOnly("BNX", "Rail Shipment Information")
	tagG66 = tagOnly("G66", "Transportation Instructions")
	tagLH6 = tagOnly("LH6", "Hazardous Certification")
)

// 997 Functional Acknowledgment and TA1.

// s4AK1 is AK1 Functional Group Response Header.
var s4AK1 = segDef("AK1", "Functional Group Response Header", nil,
	elemID(479, "Functional Identifier Code", 2, 2, Mandatory, nil),
	elemN(28, "Group Control Number", 0, 1, 9, Mandatory),
)

// s4AK2 is AK2 Transaction Set Response Header.
var s4AK2 = segDef("AK2", "Transaction Set Response Header", nil,
	elemID(143, "Transaction Set Identifier Code", 3, 3, Mandatory, nil),
	elemAN(329, "Transaction Set Control Number", 4, 9, Mandatory),
)

// s4AK3 is AK3 Data Segment Note.
var s4AK3 = segDef("AK3", "Data Segment Note", nil,
	elemID(721, "Segment ID Code", 2, 3, Mandatory, nil),
	elemN(719, "Segment Position in Transaction Set", 0, 1, 6, Mandatory),
	elemAN(447, "Loop Identifier Code", 1, 4, Optional),
	elemID(720, "Segment Syntax Error Code", 1, 3, Optional, codesSegmentError720),
)

// s4AK4 is AK4 Data Element Note.
var s4AK4 = segDef("AK4", "Data Element Note", nil,
	elemComp(c4C030, Mandatory),
	elemN(725, "Data Element Reference Number", 0, 1, 4, Optional),
	elemID(723, "Data Element Syntax Error Code", 1, 3, Mandatory, codesElementError723v4010),
	elemAN(724, "Copy of Bad Data Element", 1, 99, Optional),
)

// s4AK5 is AK5 Transaction Set Response Trailer.
var s4AK5 = segDef("AK5", "Transaction Set Response Trailer", nil,
	elemID(717, "Transaction Set Acknowledgment Code", 1, 1, Mandatory, codesSetAck717),
	elemID(718, "Transaction Set Syntax Error Code", 1, 3, Optional, codesSetError718v4010),
	elemID(718, "Transaction Set Syntax Error Code", 1, 3, Optional, codesSetError718v4010),
	elemID(718, "Transaction Set Syntax Error Code", 1, 3, Optional, codesSetError718v4010),
	elemID(718, "Transaction Set Syntax Error Code", 1, 3, Optional, codesSetError718v4010),
	elemID(718, "Transaction Set Syntax Error Code", 1, 3, Optional, codesSetError718v4010),
)

// s4AK9 is AK9 Functional Group Response Trailer.
var s4AK9 = segDef("AK9", "Functional Group Response Trailer", nil,
	elemID(715, "Functional Group Acknowledge Code", 1, 1, Mandatory, codesGroupAck715),
	elemN(97, "Number of Transaction Sets Included", 0, 1, 6, Mandatory),
	elemN(123, "Number of Received Transaction Sets", 0, 1, 6, Mandatory),
	elemN(2, "Number of Accepted Transaction Sets", 0, 1, 6, Mandatory),
	elemID(716, "Functional Group Syntax Error Code", 1, 3, Optional, codesGroupError716v4010),
	elemID(716, "Functional Group Syntax Error Code", 1, 3, Optional, codesGroupError716v4010),
	elemID(716, "Functional Group Syntax Error Code", 1, 3, Optional, codesGroupError716v4010),
	elemID(716, "Functional Group Syntax Error Code", 1, 3, Optional, codesGroupError716v4010),
	elemID(716, "Functional Group Syntax Error Code", 1, 3, Optional, codesGroupError716v4010),
)

// s4TA1 is TA1 Interchange Acknowledgment. Its elements are interchange
// control elements (I12, I08, I09, I17, I18) whose "I" references have no
// numeric form, so Ref is left 0.
var s4TA1 = segDef("TA1", "Interchange Acknowledgment", nil,
	elemN(0, "Interchange Control Number", 0, 9, 9, Mandatory),
	ElementDef{Name: "Interchange Date", Type: DT, Min: 6, Max: 6, Usage: Mandatory},
	ElementDef{Name: "Interchange Time", Type: TM, Min: 4, Max: 4, Usage: Mandatory},
	elemID(0, "Interchange Acknowledgment Code", 1, 1, Mandatory, codesInterchangeAck),
	elemID(0, "Interchange Note Code", 3, 3, Mandatory, codesInterchangeNote),
)
