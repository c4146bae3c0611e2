package lockout

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t.Parallel()
	l := New(3, time.Minute, 5*time.Minute)
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	if l.Fail(t0, "ip:a") || l.Fail(t0.Add(10*time.Second), "ip:a") || l.Blocked(t0.Add(20*time.Second), "ip:a") {
		t.Fatal("locked out after 2 failures of 3")
	}
	// The first failure leaves the window: this is the second of a new 3.
	if l.Fail(t0.Add(61*time.Second), "ip:a") {
		t.Fatal("a failure outside the window counted")
	}
	if !l.Fail(t0.Add(62*time.Second), "ip:a", "user:x") {
		t.Fatal("not locked out after 3 failures within a minute")
	}
	for _, c := range []struct {
		at   time.Duration
		keys []string
		want bool
	}{
		{63 * time.Second, []string{"ip:a"}, true},
		{63 * time.Second, []string{"ip:b"}, false},
		{63 * time.Second, []string{"ip:b", "ip:a"}, true},
		{62*time.Second + 5*time.Minute - time.Nanosecond, []string{"ip:a"}, true},
		{62*time.Second + 5*time.Minute, []string{"ip:a"}, false},
	} {
		if got := l.Blocked(t0.Add(c.at), c.keys...); got != c.want {
			t.Errorf("Blocked(+%v, %v) = %v, want %v", c.at, c.keys, got, c.want)
		}
	}
}

func TestClientKey(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "[2001:db8::1]:4242"
	r.Header.Set("X-Forwarded-For", "10.0.0.1")
	if got := ClientKey(r); got != "ip:2001:db8::1" {
		t.Errorf("ClientKey = %q, want the remote address, not the forwarded one", got)
	}
}
