package outbound

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Defaults of a destination's optional settings.
const (
	DefaultTimeout        = 10 * time.Second
	DefaultMaxAttempts    = 12
	DefaultConcurrency    = 8
	DefaultInitialBackoff = time.Second
	DefaultMaxBackoff     = 10 * time.Minute
	DefaultHMACHeader     = "X-Partnergate-Signature"
)

// Destination is an ERP or WMS API that documents are POSTed to.
type Destination struct {
	// Name names it in routes, jobs and metrics: [a-z0-9_-], 1 to 40, not
	// None.
	Name string
	// URL is the base URL, without user or password; a route's path is
	// appended to it.
	URL *url.URL
	// Auth is how requests authenticate; the zero Auth sends no credentials.
	Auth Auth
	// Timeout bounds one request, answer included.
	Timeout time.Duration
	// MaxAttempts is how many requests a delivery gets before it is
	// dead-lettered.
	MaxAttempts int
	// Concurrency is how many requests may be in flight at once.
	Concurrency int
	// InitialBackoff is the wait after the first failed attempt; each next
	// wait doubles, up to MaxBackoff, and is jittered.
	InitialBackoff, MaxBackoff time.Duration
}

var (
	validName = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)
	envName   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// Validate checks d and fills in the defaults of zero fields.
func (d *Destination) Validate() error {
	var errs []error
	switch {
	case !validName.MatchString(d.Name):
		errs = append(errs, fmt.Errorf("name %q: want 1 to 40 of a-z, 0-9, _ and -", d.Name))
	case d.Name == None:
		errs = append(errs, fmt.Errorf("name %q: routes to %s send nowhere; choose another name", d.Name, None))
	}
	switch {
	case d.URL == nil || (d.URL.Scheme != "http" && d.URL.Scheme != "https") || d.URL.Host == "":
		errs = append(errs, errors.New("url: want an absolute http or https URL"))
	case d.URL.User != nil: // a password here would be a credential in the configuration
		errs = append(errs, errors.New("url: give credentials in auth, never in the URL"))
	}
	d.Timeout = or(d.Timeout, DefaultTimeout)
	d.MaxAttempts = or(d.MaxAttempts, DefaultMaxAttempts)
	d.Concurrency = or(d.Concurrency, DefaultConcurrency)
	d.InitialBackoff = or(d.InitialBackoff, DefaultInitialBackoff)
	d.MaxBackoff = or(d.MaxBackoff, DefaultMaxBackoff)
	if d.Timeout < 0 || d.MaxAttempts < 1 || d.Concurrency < 1 || d.InitialBackoff < 0 || d.MaxBackoff < d.InitialBackoff {
		errs = append(errs, errors.New("timeout, max_attempts, concurrency and backoff must be positive, max_backoff ≥ initial_backoff"))
	}
	if err := d.Auth.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Backoff is the wait after failed attempt n (1 for the first): "equal
// jitter", half of InitialBackoff·2^(n-1) (capped at MaxBackoff) plus a
// random share of the other half, so that retries of many deliveries
// spread out.
func (d *Destination) Backoff(n int) time.Duration {
	// Double step by step: shifting InitialBackoff by n-1 overflows into
	// a negative wait long before n reaches 64 (at n = 35 for 1s).
	wait := d.InitialBackoff
	for i := 1; i < n && wait > 0 && wait < d.MaxBackoff; i++ {
		if wait > d.MaxBackoff/2 {
			wait = d.MaxBackoff
			break
		}
		wait *= 2
	}
	wait = min(wait, d.MaxBackoff)
	half := wait / 2
	if half <= 0 {
		return wait
	}
	return half + rand.N(half+1)
}

// Auth is how requests to a destination authenticate: at most one of a
// bearer token, basic credentials or an HMAC-SHA256 signature of the body.
type Auth struct {
	Bearer Credential
	// BasicUser and BasicPassword are HTTP basic credentials.
	BasicUser     string
	BasicPassword Credential
	// HMACSecret signs each body; HMACHeader carries "sha256=<hex>".
	HMACSecret Credential
	HMACHeader string
}

func (a *Auth) validate() error {
	n := 0
	for _, set := range []bool{!a.Bearer.IsZero(), a.BasicUser != "" || !a.BasicPassword.IsZero(), !a.HMACSecret.IsZero()} {
		if set {
			n++
		}
	}
	if n > 1 {
		return errors.New("auth: give one of bearer, basic or hmac")
	}
	if (a.BasicUser == "") != a.BasicPassword.IsZero() {
		return errors.New("auth.basic: give both username and password")
	}
	if !a.HMACSecret.IsZero() {
		a.HMACHeader = or(a.HMACHeader, DefaultHMACHeader)
	}
	return nil
}

// Credential is a secret sent to a destination. Its String, GoString and
// LogValue print "…", so it can be logged without revealing it.
type Credential struct{ value string }

// ParseCredential resolves "env:NAME" (the variable, read with env) or
// "file:PATH" (the file's content without its final line break, PATH
// relative to dir). The credential itself may not be written in a
// configuration file, and errors never repeat it.
func ParseCredential(ref string, env func(string) string, dir string) (Credential, error) {
	kind, arg, _ := strings.Cut(strings.TrimSpace(ref), ":")
	var v string
	switch {
	case kind == "env" && !envName.MatchString(arg):
		// Not a variable name: perhaps the secret itself, not to repeat.
		return Credential{}, errors.New(`"env:NAME": NAME is not a variable name of letters, digits and _`)
	case kind == "env":
		if env != nil {
			v = env(arg)
		}
		if v == "" {
			return Credential{}, fmt.Errorf("the environment variable %s is not set", arg)
		}
	case kind == "file" && arg != "":
		if !filepath.IsAbs(arg) {
			arg = filepath.Join(dir, arg)
		}
		data, err := os.ReadFile(arg)
		if err != nil {
			return Credential{}, fmt.Errorf("cannot read the file: %w", err)
		}
		v = strings.TrimRight(string(data), "\r\n")
		if v == "" {
			return Credential{}, fmt.Errorf("the file %s is empty", arg)
		}
	default:
		return Credential{}, errors.New(`want "env:NAME" or "file:PATH", never the secret itself`)
	}
	return Credential{value: v}, nil
}

// NewCredential returns a credential of value, for code and tests.
func NewCredential(value string) Credential { return Credential{value: value} }

// IsZero reports whether c holds nothing.
func (c Credential) IsZero() bool { return c.value == "" }

// String returns "…", or "" for the zero Credential.
func (c Credential) String() string {
	if c.value == "" {
		return ""
	}
	return "…"
}

// GoString is String.
func (c Credential) GoString() string { return c.String() }

// Format implements fmt.Formatter: every verb prints String. Without it,
// a verb that is not a string verb (%d, %t) prints the fields of a
// Credential, the value included.
func (c Credential) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue implements slog.LogValuer.
func (c Credential) LogValue() slog.Value { return slog.StringValue(c.String()) }

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
