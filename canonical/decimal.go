package canonical

import (
	"encoding/json"
	"errors"
)

// Decimal is an exact decimal number written as a string: an optional minus
// sign, one or more digits, and optionally a point followed by one or more
// digits ("12", "-0.5", "9.250"). Trailing zeros are significant and kept.
// The empty Decimal means "not stated".
//
// In JSON a Decimal is a string. On input a bare JSON number is accepted too
// and kept digit for digit; it is not validated until Validate.
type Decimal string

// Valid reports whether d is a well-formed, non-empty decimal.
func (d Decimal) Valid() bool {
	s := string(d)
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	n := digits(s[i:])
	if n == 0 {
		return false
	}
	i += n
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	i++
	n = digits(s[i:])
	return n > 0 && i+n == len(s)
}

// String returns d as written.
func (d Decimal) String() string { return string(d) }

// IsZero reports whether d is not stated.
func (d Decimal) IsZero() bool { return d == "" }

// UnmarshalJSON accepts a JSON string, a JSON number (kept exactly as
// written) or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	if len(b) == 0 {
		return errors.New("canonical: empty decimal")
	}
	switch c := b[0]; {
	case c == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = Decimal(s)
	case c == 'n':
		*d = ""
	case c == '-' || (c >= '0' && c <= '9'):
		*d = Decimal(b)
	default:
		return errors.New("canonical: decimal must be a string: " + string(b))
	}
	return nil
}

// digits returns the length of the run of ASCII digits that starts s.
func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
