package sftpd

import (
	"sync"
	"time"
)

// maxTracked bounds the number of addresses and user names the limiter
// remembers; beyond it, the oldest idle entries are forgotten first.
const maxTracked = 10000

// limiter counts failed logins per key ("ip:…", "user:…") in a sliding
// window. A key with max failures within window is locked out for lockout
// from its last failure.
type limiter struct {
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

func newLimiter(max int, window, lockout time.Duration) *limiter {
	return &limiter{max: max, window: window, lockout: lockout, keys: map[string]*failures{}}
}

// blocked reports whether any of keys is locked out at now.
func (l *limiter) blocked(now time.Time, keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if f := l.keys[k]; f != nil && now.Before(f.until) {
			return true
		}
	}
	return false
}

// fail records a failure for each of keys and reports whether one of them
// is now locked out.
func (l *limiter) fail(now time.Time, keys ...string) bool {
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
func (l *limiter) forget(now time.Time) {
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
