package edi

// Interchange is one ISA…IEA envelope. Header fields are trimmed of their
// fixed-width padding.
type Interchange struct {
	AuthQualifier     string // ISA01
	AuthInfo          string // ISA02
	SecurityQualifier string // ISA03
	SecurityInfo      string // ISA04
	SenderQualifier   string // ISA05
	SenderID          string // ISA06
	ReceiverQualifier string // ISA07
	ReceiverID        string // ISA08
	Date              string // ISA09, YYMMDD
	Time              string // ISA10, HHMM
	StandardsID       string // ISA11 before 00501 ("U"); the repetition separator after
	Version           string // ISA12, e.g. "00401"
	ControlNumber     string // ISA13, nine digits
	AckRequested      string // ISA14, "1" asks for a TA1
	Usage             string // ISA15, "P" or "T"

	Delimiters Delimiters

	// TrailerGroups and TrailerControl are IEA01 and IEA02 as received; both are
	// empty when the IEA is missing.
	TrailerGroups  string
	TrailerControl string
	// Groups counts the GS…GE groups read so far.
	Groups int
	// TA1 holds the TA1 segments carried by the interchange, as TA1 values.
	TA1 []TA1

	// Errors are the interchange-level findings (TA105 codes), complete once
	// the interchange has ended.
	Errors []*EnvelopeError
	// Offset is the byte offset of the ISA in the input.
	Offset int64
}

// TA1 is an interchange acknowledgment segment, sent or received.
type TA1 struct {
	ControlNumber string // TA101, the acknowledged ISA13
	Date          string // TA102, its ISA09
	Time          string // TA103, its ISA10
	Ack           string // TA104: A, E or R
	Note          string // TA105, "000" when no error
}

// Rejected reports whether an error-severity finding was made on the interchange.
func (ic *Interchange) Rejected() bool { return hasError(ic.Errors) }

// Group is one GS…GE functional group.
type Group struct {
	FunctionalID  string // GS01, e.g. "PO"
	Sender        string // GS02
	Receiver      string // GS03
	Date          string // GS04, CCYYMMDD
	Time          string // GS05
	ControlNumber string // GS06
	Agency        string // GS07, "X"
	Version       string // GS08, e.g. "004010VICS"

	// TrailerCount and TrailerControl are GE01 and GE02 as received, empty
	// when the GE is missing.
	TrailerCount   string
	TrailerControl string
	// Transactions counts the ST…SE sets read so far.
	Transactions int

	Interchange *Interchange
	// Errors are the group-level findings (AK905 codes), complete once the
	// group has ended.
	Errors []*GroupError
	// Offset is the byte offset of the GS in the input.
	Offset int64
}

// Release returns the first six characters of GS08 (e.g. "004010"), the
// version the group's sets are validated against.
func (g *Group) Release() string {
	if len(g.Version) < 6 {
		return g.Version
	}
	return g.Version[:6]
}

// Rejected reports whether an error-severity finding was made on the group.
func (g *Group) Rejected() bool { return hasError(g.Errors) }

// Transaction is one ST…SE transaction set with every segment from ST to SE.
// It is valid until the Reader's next call to Next.
type Transaction struct {
	SetID             string // ST01, e.g. "850"
	ControlNumber     string // ST02
	ImplementationRef string // ST03 (5010)

	// Segments holds ST through SE inclusive; SE is absent when it was missing.
	Segments []Segment
	Group    *Group
	// Errors are the set-level envelope findings (AK502 codes) made while
	// reading; validation adds segment and element findings separately.
	Errors []*SetError
	// Offset is the byte offset of the ST in the input.
	Offset int64
}

// Size returns the number of bytes the set occupies in the input, from the
// first byte of ST to the end of its last segment.
func (t *Transaction) Size() int64 {
	if len(t.Segments) == 0 {
		return 0
	}
	last := &t.Segments[len(t.Segments)-1]
	return last.Offset + int64(len(last.raw)) - t.Offset
}

// Body returns the segments between ST and SE.
func (t *Transaction) Body() []Segment {
	s := t.Segments
	if len(s) > 0 && s[0].Is("ST") {
		s = s[1:]
	}
	if len(s) > 0 && s[len(s)-1].Is("SE") {
		s = s[:len(s)-1]
	}
	return s
}
