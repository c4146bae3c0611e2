package edi

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// functionalIDs maps the sets this project handles to their GS01.
var functionalIDs = map[string]string{
	"850": "PO", "856": "SH", "940": "OW", "945": "SW", "997": "FA", "999": "FA",
	"855": "PR", "810": "IN", "943": "AR", "944": "RE", "846": "IB", "832": "SC",
	"204": "SM", "210": "IM", "214": "QM", "990": "GF", "824": "AG",
}

// FunctionalID returns the GS01 code under which set travels, or "".
func FunctionalID(set string) string { return functionalIDs[set] }

func checkGS(g *Group, seg *Segment) {
	if len(g.FunctionalID) != 2 {
		g.fail(AK9NotSupported, "GS", fmt.Sprintf("GS01 %q is not a functional identifier code", g.FunctionalID))
	}
	if !allDigits(g.ControlNumber) || len(g.ControlNumber) > 9 {
		g.fail(AK9BadControlNumber, "GS", fmt.Sprintf("GS06 %q is not a group control number of 1 to 9 digits", g.ControlNumber))
	}
	if !strings.HasPrefix(g.Version, "00") || len(g.Version) < 6 || !allDigits(g.Version[:6]) {
		g.fail(AK9VersionNotSupported, "GS", fmt.Sprintf("GS08 %q is not an X12 version/release such as 004010 or 005010", g.Version))
	}
	if seg.Len() > 8 {
		g.warn(AK9NotSupported, "GS", fmt.Sprintf("the GS has %d elements; only the first 8 are defined", seg.Len()))
	}
	checkGSDateTime(g, seg.Offset)
}

// checkGSDateTime notes a GS04 or GS05 that is not a date or time. The 997
// has no group code for them, so they are interchange warnings (TA105 024).
func checkGSDateTime(g *Group, off int64) {
	ic := g.Interchange
	if ic == nil {
		return
	}
	if !validDate(g.Date, 8) {
		ic.warnAt(TA1BadContent, "GS", off, fmt.Sprintf("GS04 %q is not a date CCYYMMDD", g.Date))
	}
	if !validTime(g.Time) {
		ic.warnAt(TA1BadContent, "GS", off, fmt.Sprintf("GS05 %q is not a time HHMM[SS[d…]]", g.Time))
	}
}

func checkGE(g *Group, ge *Segment) {
	g.TrailerCount, g.TrailerControl = ge.Value(1), ge.Value(2)
	if g.TrailerCount != strconv.Itoa(g.Transactions) {
		g.failAt(AK9CountMismatch, "GE", ge.Offset, fmt.Sprintf("GE01 says %q transaction sets; the group has %d", g.TrailerCount, g.Transactions))
	}
	switch sameControl(g.ControlNumber, g.TrailerControl) {
	case controlDiffers:
		g.failAt(AK9ControlMismatch, "GE", ge.Offset, fmt.Sprintf("GE02 %q does not match GS06 %q", g.TrailerControl, g.ControlNumber))
	case controlNumericOnly:
		g.warnAt(AK9ControlMismatch, "GE", ge.Offset, fmt.Sprintf("GE02 %q matches GS06 %q only as a number", g.TrailerControl, g.ControlNumber))
	}
}

func checkIEA(ic *Interchange, iea *Segment) {
	ic.TrailerGroups, ic.TrailerControl = iea.Value(1), iea.Value(2)
	if ic.TrailerGroups != strconv.Itoa(ic.Groups) {
		ic.failAt(TA1BadGroupCount, "IEA", iea.Offset, fmt.Sprintf("IEA01 says %q functional groups; the interchange has %d", ic.TrailerGroups, ic.Groups))
	}
	switch sameControl(ic.ControlNumber, ic.TrailerControl) {
	case controlDiffers:
		ic.failAt(TA1ControlMismatch, "IEA", iea.Offset, fmt.Sprintf("IEA02 %q does not match ISA13 %q", ic.TrailerControl, ic.ControlNumber))
	case controlNumericOnly:
		ic.warnAt(TA1ControlMismatch, "IEA", iea.Offset, fmt.Sprintf("IEA02 %q matches ISA13 %q only as a number (zero padding dropped)", ic.TrailerControl, ic.ControlNumber))
	}
}

func checkST(tx *Transaction, seen map[string]bool) {
	if len(tx.SetID) != 3 || !allDigits(tx.SetID) {
		tx.fail(AK5BadSetID, "ST", 1, fmt.Sprintf("ST01 %q is not a transaction set identifier", tx.SetID))
	}
	switch {
	case len(tx.ControlNumber) < 4 || len(tx.ControlNumber) > 9:
		tx.fail(AK5BadControlNumber, "ST", 1, fmt.Sprintf("ST02 %q is not a control number of 4 to 9 characters", tx.ControlNumber))
	case seen[tx.ControlNumber]:
		tx.fail(AK5ControlNotUnique, "ST", 1, fmt.Sprintf("ST02 %q is used by an earlier set of this group", tx.ControlNumber))
	}
	seen[tx.ControlNumber] = true
}

func checkSE(tx *Transaction, se *Segment) {
	if count := se.Element(1); !equalsInt(count, len(tx.Segments)) {
		tx.fail(AK5CountMismatch, "SE", se.Position, fmt.Sprintf("SE01 says %q segments; the set has %d from ST to SE", count, len(tx.Segments)))
	}
	if control := bytes.TrimRight(se.Element(2), " "); string(control) != tx.ControlNumber {
		tx.fail(AK5ControlMismatch, "SE", se.Position, fmt.Sprintf("SE02 %q does not match ST02 %q", control, tx.ControlNumber))
	}
}

// equalsInt reports whether b is the decimal form of n, without allocating.
func equalsInt(b []byte, n int) bool {
	if len(b) == 0 || len(b) > 18 || (len(b) > 1 && b[0] == '0') {
		return false
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
		v = v*10 + int(c-'0')
	}
	return v == n
}

func readTA1(seg *Segment) TA1 {
	return TA1{ControlNumber: seg.Value(1), Date: seg.Value(2), Time: seg.Value(3), Ack: seg.Value(4), Note: seg.Value(5)}
}

type controlMatch uint8

const (
	controlEqual controlMatch = iota
	controlNumericOnly
	controlDiffers
)

// sameControl compares a header and trailer control number: as strings,
// then as numbers, because some producers drop the zero padding.
func sameControl(header, trailer string) controlMatch {
	if header == trailer {
		return controlEqual
	}
	a, errA := strconv.ParseUint(header, 10, 64)
	b, errB := strconv.ParseUint(trailer, 10, 64)
	if errA == nil && errB == nil && a == b {
		return controlNumericOnly
	}
	return controlDiffers
}

func (g *Group) fail(code, seg, msg string) { g.failAt(code, seg, g.Offset, msg) }

func (g *Group) warn(code, seg, msg string) {
	g.Errors = append(g.Errors, &GroupError{Code: code, Severity: SeverityWarning, Segment: seg, Offset: g.Offset, Msg: msg})
}

func (g *Group) failAt(code, seg string, off int64, msg string) {
	g.Errors = append(g.Errors, &GroupError{Code: code, Severity: SeverityError, Segment: seg, Offset: off, Msg: msg})
}

func (g *Group) warnAt(code, seg string, off int64, msg string) {
	g.Errors = append(g.Errors, &GroupError{Code: code, Severity: SeverityWarning, Segment: seg, Offset: off, Msg: msg})
}

func (t *Transaction) fail(code, seg string, pos int, msg string) {
	t.Errors = append(t.Errors, &SetError{Code: code, Severity: SeverityError, Segment: seg, Position: pos, Msg: msg})
}
