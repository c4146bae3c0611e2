package edi

import (
	"errors"
	"testing"
)

func TestFindingAckElement(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{&EnvelopeError{Code: TA1BadSenderID}, "TA105"},
		{&GroupError{Code: AK9CountMismatch}, "AK905"},
		{&SetError{Code: AK5SegmentsInError}, "AK502"},
		{&SegmentError{Code: AK3Unrecognized}, "AK304"},
		{&ElementError{Code: AK4BadCode}, "AK403"},
		{errors.New("a check's own error"), "AK502"},
	}
	for _, tt := range tests {
		f := FindingOf(tt.err)
		if got := f.AckElement(); got != tt.want {
			t.Errorf("%T (level %s): AckElement = %s, want %s", tt.err, f.Level, got, tt.want)
		}
	}
}
