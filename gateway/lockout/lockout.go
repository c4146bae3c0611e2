// Package lockout counts failed sign-ins and locks out the addresses and
// names that fail too often, for the SFTP server, the API's bearer tokens
// and the dashboard's sign-in.
package lockout

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// maxTracked bounds the number of addresses and user names the limiter
// remembers; beyond it, the oldest idle entries are forgotten first.
const maxTracked = 10000

// Limiter counts failed logins per key ("ip:…", "user:…") in a sliding
// window. A key with max failures within window is locked out for lockout
// from its last failure. It is safe for concurrent use.
type Limiter struct {
	max     int
	window  time.Duration
	lockout time.Duration

	mu   sync.Mutex
	keys map[string]*failures
}

type failures struct {
	times  []time.Time // within the window, oldest first
	until  time.Time   // locked out until then
	recent time.Time   // last failure
}

// New returns a Limiter that locks a key out for lockout after max
// failures within window.
func New(max int, window, lockout time.Duration) *Limiter {
	return &Limiter{max: max, window: window, lockout: lockout, keys: map[string]*failures{}}
}

// Blocked reports whether any of keys is locked out at now.
func (l *Limiter) Blocked(now time.Time, keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if f := l.keys[k]; f != nil && now.Before(f.until) {
			return true
		}
	}
	return false
}

// Fail records a failure for each of keys and reports whether one of them
// is now locked out.
func (l *Limiter) Fail(now time.Time, keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.keys) >= maxTracked {
		l.forget(now)
	}
	locked := false
	for _, k := range keys {
		f := l.keys[k]
		if f == nil {
			f = &failures{}
			l.keys[k] = f
		}
		f.times = append(f.times, now)
		for len(f.times) > 0 && now.Sub(f.times[0]) >= l.window {
			f.times = f.times[1:]
		}
		f.recent = now
		if len(f.times) >= l.max {
			f.until = now.Add(l.lockout)
			f.times = nil
		}
		locked = locked || now.Before(f.until)
	}
	return locked
}

// forget drops the entries neither locked out nor failed within the
// window, and, if that is not enough, every entry older than half the
// window.
func (l *Limiter) forget(now time.Time) {
	for k, f := range l.keys {
		if !now.Before(f.until) && now.Sub(f.recent) >= l.window {
			delete(l.keys, k)
		}
	}
	if len(l.keys) >= maxTracked {
		for k, f := range l.keys {
			if !now.Before(f.until) && now.Sub(f.recent) >= l.window/2 {
				delete(l.keys, k)
			}
		}
	}
}

// Defaults of the HTTP sign-ins (API bearer tokens, the dashboard's form):
// 20 unknown secrets from one address within a minute lock the address out
// for 5 minutes. Legitimate clients hold one secret and never get near it.
const (
	HTTPMaxFailures = 20
	HTTPWindow      = time.Minute
	HTTPLockout     = 5 * time.Minute
)

// NewHTTP returns a Limiter with the HTTP defaults.
func NewHTTP() *Limiter { return New(HTTPMaxFailures, HTTPWindow, HTTPLockout) }

// ClientKey is the key of a request's remote address, "ip:…". Forwarded
// headers are not trusted: they are the client's to write.
func ClientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}
