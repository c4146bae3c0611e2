package partners

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
)

// ErrSecretFormat is returned by ParseSecret for a value that is not
// "sha256:" followed by 64 lowercase hex digits.
var ErrSecretFormat = errors.New(`not a "sha256:<64 lowercase hex digits>" hash`)

// ErrSecretEmpty is returned by ParseSecret for the hash of the empty
// string, which would let an empty key or token in.
var ErrSecretEmpty = errors.New("the hash of an empty value: hash the real key")

const (
	secretPrefix   = "sha256:"
	secretRedacted = "sha256:…"
)

// Secret is the SHA-256 hash of a key or token, written "sha256:<64 hex>" in
// configuration files (for example with `printf %s KEY | sha256sum`). The
// plain value is never stored. The zero Secret matches nothing.
//
// String, GoString, LogValue and MarshalText all print "sha256:…", so a
// Secret can be logged or serialized without revealing even its hash.
type Secret struct {
	sum [sha256.Size]byte
	set bool
}

// ParseSecret parses "sha256:<64 lowercase hex digits>". The error,
// ErrSecretFormat or ErrSecretEmpty, does not repeat s, which may be a plain
// key pasted by mistake.
func ParseSecret(s string) (Secret, error) {
	hexPart, ok := strings.CutPrefix(s, secretPrefix)
	if !ok || len(hexPart) != 2*sha256.Size || strings.ToLower(hexPart) != hexPart {
		return Secret{}, ErrSecretFormat
	}
	var sec Secret
	if _, err := hex.Decode(sec.sum[:], []byte(hexPart)); err != nil {
		return Secret{}, ErrSecretFormat
	}
	if sec.sum == sha256.Sum256(nil) {
		return Secret{}, ErrSecretEmpty
	}
	sec.set = true
	return sec, nil
}

// SecretOf returns the Secret of a plain key, as a configuration file would
// hold it.
func SecretOf(plain string) Secret {
	return Secret{sum: sha256.Sum256([]byte(plain)), set: true}
}

// IsZero reports whether s holds no hash.
func (s Secret) IsZero() bool { return !s.set }

// Match reports whether plain hashes to s, comparing in constant time.
func (s Secret) Match(plain string) bool {
	sum := sha256.Sum256([]byte(plain))
	return s.set && subtle.ConstantTimeCompare(sum[:], s.sum[:]) == 1
}

// Equal reports whether s and o are the same non-zero hash, comparing in
// constant time. With SecretOf it lets a caller hash a presented key once and
// compare it with many secrets.
func (s Secret) Equal(o Secret) bool {
	return s.set && o.set && subtle.ConstantTimeCompare(s.sum[:], o.sum[:]) == 1
}

// Hex returns the full "sha256:<64 hex>" form, for writing configuration
// files. Do not log it.
func (s Secret) Hex() string {
	if !s.set {
		return ""
	}
	return secretPrefix + hex.EncodeToString(s.sum[:])
}

// String returns "sha256:…" (or "" for the zero Secret).
func (s Secret) String() string {
	if !s.set {
		return ""
	}
	return secretRedacted
}

// GoString returns the same as String, so %#v reveals nothing either.
func (s Secret) GoString() string { return s.String() }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText returns the redacted form: a Secret does not round-trip
// through text. Use Hex to write a configuration file.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
