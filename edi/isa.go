package edi

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// isaSeparatorOffsets are the byte offsets of the 16 element separators of a
// conforming 106-byte ISA.
var isaSeparatorOffsets = [16]int{3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103}

// isaMaxScan bounds how far the reader looks for the ISA's element
// separators.
const isaMaxScan = 512

// isaReadAhead is what the reader buffers before parsing an ISA: the bytes
// scanned for separators, then ISA16 and a terminator of up to utf8.UTFMax
// bytes after the last of them.
const isaReadAhead = isaMaxScan + 1 + utf8.UTFMax

// parsedISA is the result of reading an ISA from raw bytes.
type parsedISA struct {
	ic     *Interchange
	length int // bytes from "I" up to and including the terminator
}

// parseISA reads an ISA at the start of b by counting element separators, so
// that ISAs that are not fixed-width, or are padded with multi-byte
// characters, still yield their delimiters. It returns an EnvelopeError when
// the delimiters cannot be determined; the header fields are checked by
// checkISA.
func parseISA(b []byte, offset int64, atEOF bool) (*parsedISA, *EnvelopeError) {
	if len(b) < 4 || !bytes.HasPrefix(b, []byte("ISA")) {
		return nil, &EnvelopeError{Code: TA1BadContent, Segment: "ISA", Offset: offset, Msg: "expected an ISA segment"}
	}
	sep := b[3]
	if isAlnum(sep) || sep == ' ' || sep == '\r' || sep == '\n' {
		return nil, &EnvelopeError{Code: TA1BadElementSep, Segment: "ISA", Offset: offset,
			Msg: fmt.Sprintf("the element separator (byte 4 of the ISA) is %s, which cannot be a delimiter", quoteByte(sep))}
	}
	var pos [16]int
	n, i := 0, 3
	for ; i < len(b) && i < isaMaxScan && n < 16; i++ {
		if b[i] == sep {
			pos[n] = i
			n++
		}
	}
	if n < 16 || pos[15]+2 >= len(b) {
		msg := fmt.Sprintf("the ISA has %d of its 16 element separators %s", n, quoteByte(sep))
		if n == 16 {
			msg = "the ISA's 16 element separators are not followed by both ISA16 and a segment terminator"
		}
		if atEOF {
			return nil, &EnvelopeError{Code: TA1PrematureEnd, Segment: "ISA", Offset: offset, Msg: msg + " before the end of the data"}
		}
		return nil, &EnvelopeError{Code: TA1BadElementSep, Segment: "ISA", Offset: offset, Msg: msg + " within its first 512 bytes"}
	}
	comp := b[pos[15]+1]
	term, size := utf8.DecodeRune(b[pos[15]+2:])
	if term == utf8.RuneError {
		size = 1
	}
	d := Delimiters{Element: sep, Component: comp, Terminator: string(b[pos[15]+2 : pos[15]+2+size])}
	fields := make([]string, 16)
	for k := 0; k < 16; k++ {
		end := pos[15] + 2
		if k < 15 {
			end = pos[k+1]
		}
		fields[k] = string(b[pos[k]+1 : end])
	}
	ic := &Interchange{Delimiters: d, Offset: offset}
	ic.setHeader(fields)
	p := &parsedISA{ic: ic, length: pos[15] + 2 + size}
	if e := checkDelimiters(&ic.Delimiters, offset); e != nil {
		return p, e
	}
	checkISALayout(ic, b[:p.length], pos)
	return p, nil
}

func (ic *Interchange) setHeader(f []string) {
	t := func(s string) string { return strings.TrimRight(s, " \u00a0") }
	ic.AuthQualifier, ic.AuthInfo = t(f[0]), t(f[1])
	ic.SecurityQualifier, ic.SecurityInfo = t(f[2]), t(f[3])
	ic.SenderQualifier, ic.SenderID = t(f[4]), t(f[5])
	ic.ReceiverQualifier, ic.ReceiverID = t(f[6]), t(f[7])
	ic.Date, ic.Time, ic.StandardsID = t(f[8]), t(f[9]), f[10]
	ic.Version, ic.ControlNumber = t(f[11]), strings.TrimSpace(f[12])
	ic.AckRequested, ic.Usage = t(f[13]), t(f[14])
}

func checkDelimiters(d *Delimiters, offset int64) *EnvelopeError {
	t := d.Terminator
	switch {
	case isAlnum(d.Component) || d.Component == ' ' || d.Component == d.Element:
		return &EnvelopeError{Code: TA1BadComponentSep, Segment: "ISA", Offset: offset,
			Msg: fmt.Sprintf("the component separator ISA16 %s is not a usable delimiter", quoteByte(d.Component))}
	case len(t) == 1 && (isAlnum(t[0]) || t[0] == d.Element || t[0] == d.Component):
		return &EnvelopeError{Code: TA1BadTerminator, Segment: "ISA", Offset: offset,
			Msg: fmt.Sprintf("the segment terminator after ISA16 %s is not a usable delimiter", quoteByte(t[0]))}
	}
	return nil
}

// checkISALayout records warnings for an ISA that is not the fixed 106 bytes.
func checkISALayout(ic *Interchange, isa []byte, pos [16]int) {
	if pos != isaSeparatorOffsets || len(isa) != 106 {
		ic.warn(TA1BadContent, "ISA", fmt.Sprintf("the ISA is %d bytes with its separators off the fixed positions; read by counting separators", len(isa)))
	}
	for _, c := range isa {
		if c >= 0x80 {
			ic.warn(TA1BadControlChars, "ISA", "the ISA contains non-ASCII bytes (padding such as U+00A0); they were trimmed")
			break
		}
	}
}

// checkISA checks the header values of an ISA whose delimiters are known.
func checkISA(ic *Interchange) {
	f := func(code, elem, msg string) { ic.fail(code, "ISA", elem+" "+msg) }
	if !inList(ic.AuthQualifier, "00", "01", "02", "03", "04", "05", "06") {
		f(TA1BadAuthQualifier, "ISA01", fmt.Sprintf("%q is not an authorization information qualifier", ic.AuthQualifier))
	}
	if !inList(ic.SecurityQualifier, "00", "01") {
		f(TA1BadSecQualifier, "ISA03", fmt.Sprintf("%q is not a security information qualifier", ic.SecurityQualifier))
	}
	if len(ic.SenderQualifier) != 2 {
		f(TA1BadSenderQualifier, "ISA05", fmt.Sprintf("%q is not a two-character ID qualifier", ic.SenderQualifier))
	}
	if ic.SenderID == "" {
		f(TA1BadSenderID, "ISA06", "the interchange sender ID is empty")
	}
	if len(ic.ReceiverQualifier) != 2 {
		f(TA1BadReceiverQual, "ISA07", fmt.Sprintf("%q is not a two-character ID qualifier", ic.ReceiverQualifier))
	}
	if ic.ReceiverID == "" {
		f(TA1BadReceiverID, "ISA08", "the interchange receiver ID is empty")
	}
	if !validDate(ic.Date, 6) {
		f(TA1BadDate, "ISA09", fmt.Sprintf("%q is not a date YYMMDD", ic.Date))
	}
	if !validTime(ic.Time) || len(ic.Time) != 4 {
		f(TA1BadTime, "ISA10", fmt.Sprintf("%q is not a time HHMM", ic.Time))
	}
	checkVersion(ic)
	if !allDigits(ic.ControlNumber) || len(ic.ControlNumber) > 9 {
		f(TA1BadControlNumber, "ISA13", fmt.Sprintf("%q is not a numeric control number of at most nine digits", ic.ControlNumber))
	} else if len(ic.ControlNumber) != 9 {
		ic.warn(TA1BadControlNumber, "ISA", fmt.Sprintf("ISA13 %q is not zero-padded to nine digits", ic.ControlNumber))
	}
	if !inList(ic.AckRequested, "0", "1") {
		f(TA1BadAckRequested, "ISA14", fmt.Sprintf("%q is not 0 or 1", ic.AckRequested))
	}
	if !inList(ic.Usage, "P", "T", "I") {
		f(TA1BadUsage, "ISA15", fmt.Sprintf("%q is not P, T or I", ic.Usage))
	}
}

// checkVersion checks ISA12 and decides what ISA11 means.
func checkVersion(ic *Interchange) {
	v := ic.Version
	if len(v) != 5 || !allDigits(v) || v < "00200" || v > "00899" {
		ic.fail(TA1BadVersion, "ISA", fmt.Sprintf("ISA12 %q is not a supported interchange control version (00401, 00501 …)", v))
		return
	}
	s := ic.StandardsID
	d := &ic.Delimiters
	switch {
	case v >= "00402" && len(s) == 1 && !isAlnum(s[0]) && s[0] != ' ':
		if s[0] == d.Element || s[0] == d.Component || s == d.Terminator {
			ic.fail(TA1BadStandardsID, "ISA", fmt.Sprintf("ISA11 repetition separator %s repeats another delimiter", quoteByte(s[0])))
			return
		}
		d.Repetition = s[0]
	case s == "U":
	case v < "00402":
		ic.warn(TA1BadStandardsID, "ISA", fmt.Sprintf("ISA11 %q is not U; treated as U", s))
	default:
		ic.warn(TA1BadStandardsID, "ISA", fmt.Sprintf("ISA11 %q is not a repetition separator; repeats are not split", s))
	}
}

func (ic *Interchange) fail(code, seg, msg string) { ic.failAt(code, seg, ic.Offset, msg) }

func (ic *Interchange) warn(code, seg, msg string) { ic.warnAt(code, seg, ic.Offset, msg) }

func (ic *Interchange) failAt(code, seg string, off int64, msg string) {
	ic.Errors = append(ic.Errors, &EnvelopeError{Code: code, Severity: SeverityError, Segment: seg, Offset: off, Msg: msg})
}

func (ic *Interchange) warnAt(code, seg string, off int64, msg string) {
	ic.Errors = append(ic.Errors, &EnvelopeError{Code: code, Severity: SeverityWarning, Segment: seg, Offset: off, Msg: msg})
}

func quoteByte(c byte) string {
	switch {
	case c == ' ':
		return "a space"
	case c == '\r':
		return "CR"
	case c == '\n':
		return "LF"
	case c < 0x20 || c >= 0x7f:
		return fmt.Sprintf("byte 0x%02X", c)
	}
	return fmt.Sprintf("%q", string(c))
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func inList(s string, list ...string) bool {
	for _, v := range list {
		if s == v {
			return true
		}
	}
	return false
}

// validDate checks a YYMMDD (n = 6) or CCYYMMDD (n = 8) date.
func validDate(s string, n int) bool {
	if len(s) != n || (n != 6 && n != 8) || !allDigits(s) {
		return false
	}
	year := 0
	for i := 0; i < n-4; i++ {
		year = year*10 + int(s[i]-'0')
	}
	if n == 6 {
		year += 2000
	}
	m := int(s[n-4]-'0')*10 + int(s[n-3]-'0')
	d := int(s[n-2]-'0')*10 + int(s[n-1]-'0')
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	if m == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		return d <= 29
	}
	return d <= int(monthDays[m])
}

// validTime checks HHMM, HHMMSS or HHMMSSd… .
func validTime(s string) bool {
	if len(s) < 4 || len(s) > 8 || len(s) == 5 || !allDigits(s) {
		return false
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[2]-'0')*10 + int(s[3]-'0')
	if h > 23 || m > 59 {
		return false
	}
	if len(s) >= 6 {
		sec := int(s[4]-'0')*10 + int(s[5]-'0')
		return sec <= 59
	}
	return true
}
