package edi

// SetStatus is the outcome of validating one transaction set.
type SetStatus uint8

const (
	// SetAccepted: no findings of error severity and no warnings.
	SetAccepted SetStatus = iota
	// SetAcceptedWithErrors: only warnings were found; the set is used.
	SetAcceptedWithErrors
	// SetRejected: at least one finding of error severity.
	SetRejected
)

// String returns the status as written in translate output.
func (s SetStatus) String() string {
	return [...]string{"accepted", "accepted_with_errors", "rejected"}[s]
}

// AckCode returns the AK501/IK501 code for the status: A, E or R.
func (s SetStatus) AckCode() string {
	return [...]string{"A", "E", "R"}[s]
}

// SetResult is what validation found in one transaction set. It holds copies,
// so it stays valid after the Reader moves on.
type SetResult struct {
	SetID             string // ST01
	ControlNumber     string // ST02
	ImplementationRef string // ST03
	Release           string // the schema release the set was checked against
	Status            SetStatus
	// Errors holds *SetError, *SegmentError and *ElementError findings in the
	// order of the segments they concern, set-level findings first.
	Errors []error
	// Truncated is true when findings beyond ValidateOpts.MaxErrors were dropped.
	Truncated bool
}
