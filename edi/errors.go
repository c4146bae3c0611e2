package edi

import (
	"errors"
	"fmt"
)

// Severity tells whether a finding rejects what it concerns or is only noted.
type Severity uint8

const (
	// SeverityError rejects the interchange, group or set the finding concerns.
	SeverityError Severity = iota
	// SeverityWarning is reported but does not reject.
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Sentinels wrapped by the finding types, for errors.Is.
var (
	ErrNotX12      = errors.New("not an X12 interchange")
	ErrEnvelope    = errors.New("interchange envelope error")
	ErrGroup       = errors.New("functional group error")
	ErrSet         = errors.New("transaction set error")
	ErrSegment     = errors.New("segment error")
	ErrElement     = errors.New("data element error")
	ErrSetTooLarge = errors.New("transaction set exceeds the size limit")
)

// TA105 interchange note codes the reader emits.
const (
	TA1NoError             = "000"
	TA1ControlMismatch     = "001"
	TA1StandardUnsupported = "002"
	TA1VersionUnsupported  = "003"
	TA1BadTerminator       = "004"
	TA1BadSenderQualifier  = "005"
	TA1BadSenderID         = "006"
	TA1BadReceiverQual     = "007"
	TA1BadReceiverID       = "008"
	TA1UnknownReceiver     = "009"
	TA1BadAuthQualifier    = "010"
	TA1BadSecQualifier     = "012"
	TA1BadDate             = "014"
	TA1BadTime             = "015"
	TA1BadStandardsID      = "016"
	TA1BadVersion          = "017"
	TA1BadControlNumber    = "018"
	TA1BadAckRequested     = "019"
	TA1BadUsage            = "020"
	TA1BadGroupCount       = "021"
	TA1BadControlChars     = "022"
	TA1PrematureEnd        = "023"
	TA1BadContent          = "024"
	TA1Duplicate           = "025"
	TA1BadElementSep       = "026"
	TA1BadComponentSep     = "027"
)

// AK905 functional group syntax error codes.
const (
	AK9NotSupported        = "1"
	AK9VersionNotSupported = "2"
	AK9TrailerMissing      = "3"
	AK9ControlMismatch     = "4"
	AK9CountMismatch       = "5"
	AK9BadControlNumber    = "6"
	AK9ControlNotUnique    = "19"
)

// AK502 transaction set syntax error codes.
const (
	AK5NotSupported     = "1"
	AK5TrailerMissing   = "2"
	AK5ControlMismatch  = "3"
	AK5CountMismatch    = "4"
	AK5SegmentsInError  = "5"
	AK5BadSetID         = "6"
	AK5BadControlNumber = "7"
	AK5NotInGroup       = "18"
	AK5ControlNotUnique = "23"
)

// AK304 segment syntax error codes.
const (
	AK3Unrecognized  = "1"
	AK3Unexpected    = "2"
	AK3Missing       = "3"
	AK3LoopOverMax   = "4"
	AK3OverMaxUse    = "5"
	AK3NotInSet      = "6"
	AK3OutOfSequence = "7"
	AK3ElementErrors = "8"
)

// AK403 data element syntax error codes.
const (
	AK4Missing        = "1"
	AK4CondMissing    = "2"
	AK4TooMany        = "3"
	AK4TooShort       = "4"
	AK4TooLong        = "5"
	AK4BadChar        = "6"
	AK4BadCode        = "7"
	AK4BadDate        = "8"
	AK4BadTime        = "9"
	AK4Exclusion      = "10"
	AK4TooManyRepeats = "12"
	AK4TooManyComps   = "13"
)

// EnvelopeError is a finding on an interchange envelope; Code is its TA105.
type EnvelopeError struct {
	Code     string
	Severity Severity
	Segment  string // "ISA", "IEA", … or "" for bytes outside any segment
	Offset   int64  // byte offset in the input
	Msg      string
}

func (e *EnvelopeError) Error() string {
	return fmt.Sprintf("%s at byte %d: %s (TA105 %s)", orDash(e.Segment), e.Offset, e.Msg, e.Code)
}

func (e *EnvelopeError) Unwrap() error { return ErrEnvelope }

// GroupError is a finding on a functional group envelope; Code is its AK905.
type GroupError struct {
	Code     string
	Severity Severity
	Segment  string // "GS" or "GE"
	Offset   int64
	Msg      string
}

func (e *GroupError) Error() string {
	return fmt.Sprintf("%s at byte %d: %s (AK905 %s)", e.Segment, e.Offset, e.Msg, e.Code)
}

func (e *GroupError) Unwrap() error { return ErrGroup }

// SetError is a finding on a transaction set as a whole; Code is its AK502.
type SetError struct {
	Code     string
	Severity Severity
	Segment  string // the segment that revealed it, e.g. "SE"
	Position int    // its position in the set
	Msg      string
	Err      error // a more specific sentinel, or nil
}

func (e *SetError) Error() string {
	return fmt.Sprintf("%s at position %d: %s (AK502 %s)", orDash(e.Segment), e.Position, e.Msg, e.Code)
}

func (e *SetError) Unwrap() error {
	if e.Err != nil {
		return e.Err
	}
	return ErrSet
}

// SegmentError is a finding on one segment of a set; it fills AK3/IK3.
type SegmentError struct {
	SegmentID string // AK301
	Position  int    // AK302, ST = 1
	LoopID    string // AK303, the loop the segment was expected in
	Code      string // AK304
	Severity  Severity
	Msg       string
}

func (e *SegmentError) Error() string {
	return fmt.Sprintf("%s at position %d: %s (AK304 %s)", e.SegmentID, e.Position, e.Msg, e.Code)
}

func (e *SegmentError) Unwrap() error { return ErrSegment }

// ElementError is a finding on one data element; it fills AK4/IK4 under the
// AK3 of its segment, whose AK304 is then 8.
type ElementError struct {
	SegmentID string // AK301
	Position  int    // AK302
	LoopID    string
	Element   int    // AK401-1, 1-based
	Component int    // AK401-2, 0 when the element is not composite
	Repeat    int    // AK401-3 (5010), 0 when not repeated
	Ref       int    // AK402, the data element reference number
	Code      string // AK403
	Data      string // AK404, a copy of the bad data
	Severity  Severity
	Msg       string
}

func (e *ElementError) Error() string {
	return fmt.Sprintf("%s at position %d: %s: %s (AK403 %s)", e.SegmentID, e.Position, e.Ref0(), e.Msg, e.Code)
}

// Ref0 names the element as X12 writes it, e.g. "BEG03" or "PO106-2".
func (e *ElementError) Ref0() string {
	s := fmt.Sprintf("%s%02d", e.SegmentID, e.Element)
	if e.Component > 0 {
		s += fmt.Sprintf("-%d", e.Component)
	}
	return s
}

func (e *ElementError) Unwrap() error { return ErrElement }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func hasError[E interface{ severity() Severity }](errs []E) bool {
	for _, e := range errs {
		if e.severity() == SeverityError {
			return true
		}
	}
	return false
}

func (e *EnvelopeError) severity() Severity { return e.Severity }
func (e *GroupError) severity() Severity    { return e.Severity }
func (e *SetError) severity() Severity      { return e.Severity }
func (e *SegmentError) severity() Severity  { return e.Severity }
func (e *ElementError) severity() Severity  { return e.Severity }
