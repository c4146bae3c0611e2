package edi

import "errors"

// Finding is a finding in the flat form the translate output and the
// gateway's API show: one shape for envelope, set, segment and element
// findings, with the acknowledgment code each one carries.
type Finding struct {
	// Level is "interchange", "group", "set", "segment" or "element".
	Level     string `json:"level"`
	Segment   string `json:"segment,omitempty"`
	Position  int    `json:"position,omitempty"` // in the set, ST = 1
	Offset    int64  `json:"offset,omitempty"`   // byte offset, for envelope findings
	Loop      string `json:"loop,omitempty"`
	Element   int    `json:"element,omitempty"`
	Component int    `json:"component,omitempty"`
	Repeat    int    `json:"repeat,omitempty"`
	Ref       int    `json:"ref,omitempty"`
	// Code is the TA105, AK905, AK502, AK304 or AK403 code.
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Data     string `json:"data,omitempty"`
	Message  string `json:"message"`
}

// AckElement is the element of a 997 or TA1 that carries the finding's
// code: TA105, AK905, AK502, AK304 or AK403 for a finding of an
// interchange, group, set, segment or element. A 999 carries the same
// codes in IK502, IK304 and IK403.
func (f *Finding) AckElement() string {
	switch f.Level {
	case "interchange":
		return "TA105"
	case "group":
		return "AK905"
	case "segment":
		return "AK304"
	case "element":
		return "AK403"
	}
	return "AK502"
}

// FindingOf flattens one finding made by the reader, the validator or a
// check. An error of no known type becomes a set-level error finding.
func FindingOf(e error) Finding {
	var (
		ev *EnvelopeError
		gr *GroupError
		se *SetError
		sg *SegmentError
		el *ElementError
	)
	switch {
	case errors.As(e, &el):
		return Finding{Level: "element", Segment: el.SegmentID, Position: el.Position, Loop: el.LoopID, Element: el.Element,
			Component: el.Component, Repeat: el.Repeat, Ref: el.Ref, Code: el.Code, Severity: el.Severity.String(),
			Data: el.Data, Message: el.Msg}
	case errors.As(e, &sg):
		return Finding{Level: "segment", Segment: sg.SegmentID, Position: sg.Position, Loop: sg.LoopID, Code: sg.Code,
			Severity: sg.Severity.String(), Message: sg.Msg}
	case errors.As(e, &se):
		return Finding{Level: "set", Segment: se.Segment, Position: se.Position, Code: se.Code,
			Severity: se.Severity.String(), Message: se.Msg}
	case errors.As(e, &gr):
		return Finding{Level: "group", Segment: gr.Segment, Offset: gr.Offset, Code: gr.Code,
			Severity: gr.Severity.String(), Message: gr.Msg}
	case errors.As(e, &ev):
		return Finding{Level: "interchange", Segment: ev.Segment, Offset: ev.Offset, Code: ev.Code,
			Severity: ev.Severity.String(), Message: ev.Msg}
	}
	return Finding{Level: "set", Severity: SeverityError.String(), Message: e.Error()}
}

// Findings flattens a list of findings, never returning nil.
func Findings[E error](errs []E) []Finding {
	out := make([]Finding, 0, len(errs))
	for _, e := range errs {
		out = append(out, FindingOf(e))
	}
	return out
}
