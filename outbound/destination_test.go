package outbound_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/outbound"
)

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestDestinationValidateDefaults(t *testing.T) {
	t.Parallel()
	d := &outbound.Destination{Name: "erp", URL: mustURL(t, "https://erp.example.com/api")}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if d.Timeout != outbound.DefaultTimeout || d.MaxAttempts != outbound.DefaultMaxAttempts ||
		d.Concurrency != outbound.DefaultConcurrency || d.InitialBackoff != outbound.DefaultInitialBackoff ||
		d.MaxBackoff != outbound.DefaultMaxBackoff {
		t.Errorf("defaults not filled in: %+v", d)
	}

	set := &outbound.Destination{Name: "wms_2-b", URL: mustURL(t, "http://10.0.0.1:9000"), Timeout: 3 * time.Second,
		MaxAttempts: 5, Concurrency: 2, InitialBackoff: 2 * time.Second, MaxBackoff: time.Minute}
	want := *set
	if err := set.Validate(); err != nil {
		t.Fatal(err)
	}
	if set.Timeout != want.Timeout || set.MaxAttempts != want.MaxAttempts || set.Concurrency != want.Concurrency ||
		set.InitialBackoff != want.InitialBackoff || set.MaxBackoff != want.MaxBackoff {
		t.Errorf("Validate changed set values: %+v, want %+v", set, want)
	}
}

func TestDestinationValidateProblems(t *testing.T) {
	t.Parallel()
	const limits = "timeout, max_attempts, concurrency and backoff must be positive"
	tests := []struct {
		name   string
		modify func(d *outbound.Destination)
		want   []string // substrings of the error
	}{
		{"empty name", func(d *outbound.Destination) { d.Name = "" }, []string{`name "": want 1 to 40`}},
		{"upper case name", func(d *outbound.Destination) { d.Name = "ERP" }, []string{`name "ERP"`}},
		{"name with a space", func(d *outbound.Destination) { d.Name = "my erp" }, []string{`name "my erp"`}},
		{"name of 41", func(d *outbound.Destination) { d.Name = strings.Repeat("a", 41) }, []string{`name "aaaa`}},
		{"none is not a name", func(d *outbound.Destination) { d.Name = outbound.None }, []string{`name "none": routes to none send nowhere`}},
		{"no URL", func(d *outbound.Destination) { d.URL = nil }, []string{"url: want an absolute http or https URL"}},
		{"URL with a password", func(d *outbound.Destination) { d.URL = mustURL(t, "https://gw:pass@erp.example.com") },
			[]string{"url: give credentials in auth, never in the URL"}},
		{"URL with a user", func(d *outbound.Destination) { d.URL = mustURL(t, "https://gw@erp.example.com") },
			[]string{"url: give credentials in auth, never in the URL"}},
		{"ftp URL", func(d *outbound.Destination) { d.URL = mustURL(t, "ftp://erp.example.com/") }, []string{"url: want"}},
		{"relative URL", func(d *outbound.Destination) { d.URL = mustURL(t, "/api/orders") }, []string{"url: want"}},
		{"URL without host", func(d *outbound.Destination) { d.URL = mustURL(t, "https:///api") }, []string{"url: want"}},
		{"negative timeout", func(d *outbound.Destination) { d.Timeout = -time.Second }, []string{limits}},
		{"negative attempts", func(d *outbound.Destination) { d.MaxAttempts = -1 }, []string{limits}},
		{"negative concurrency", func(d *outbound.Destination) { d.Concurrency = -1 }, []string{limits}},
		{"negative initial backoff", func(d *outbound.Destination) { d.InitialBackoff = -time.Second }, []string{limits}},
		{"max below initial", func(d *outbound.Destination) { d.InitialBackoff, d.MaxBackoff = time.Minute, time.Second },
			[]string{limits}},
		{"initial above the default max", func(d *outbound.Destination) { d.InitialBackoff = time.Hour }, []string{limits}},
		{"two auth kinds", func(d *outbound.Destination) {
			d.Auth = outbound.Auth{Bearer: outbound.NewCredential("t"), HMACSecret: outbound.NewCredential("s")}
		}, []string{"auth: give one of bearer, basic or hmac"}},
		{"several problems", func(d *outbound.Destination) { d.Name, d.URL = "", nil }, []string{`name ""`, "url: want"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := &outbound.Destination{Name: "erp", URL: mustURL(t, "https://erp.example.com/api")}
			tt.modify(d)
			err := d.Validate()
			if err == nil {
				t.Fatalf("Validate of %+v succeeded", d)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "pass") {
				t.Errorf("error %q repeats the password of the URL", err)
			}
		})
	}
}

func TestAuthValidate(t *testing.T) {
	t.Parallel()
	cred := outbound.NewCredential
	tests := []struct {
		name       string
		auth       outbound.Auth
		wantErr    string // "" for none
		wantHeader string // HMACHeader after Validate
	}{
		{name: "none", auth: outbound.Auth{}},
		{name: "bearer", auth: outbound.Auth{Bearer: cred("t")}},
		{name: "basic", auth: outbound.Auth{BasicUser: "u", BasicPassword: cred("p")}},
		{name: "hmac gets the default header", auth: outbound.Auth{HMACSecret: cred("s")},
			wantHeader: outbound.DefaultHMACHeader},
		{name: "hmac keeps its header", auth: outbound.Auth{HMACSecret: cred("s"), HMACHeader: "X-Sig"}, wantHeader: "X-Sig"},
		{name: "basic without password", auth: outbound.Auth{BasicUser: "u"},
			wantErr: "auth.basic: give both username and password"},
		{name: "basic without user", auth: outbound.Auth{BasicPassword: cred("p")},
			wantErr: "auth.basic: give both username and password"},
		{name: "bearer and basic", auth: outbound.Auth{Bearer: cred("t"), BasicUser: "u", BasicPassword: cred("p")},
			wantErr: "auth: give one of bearer, basic or hmac"},
		{name: "bearer and hmac", auth: outbound.Auth{Bearer: cred("t"), HMACSecret: cred("s")},
			wantErr: "auth: give one of bearer, basic or hmac"},
		{name: "basic user and hmac", auth: outbound.Auth{BasicUser: "u", HMACSecret: cred("s")},
			wantErr: "auth: give one of bearer, basic or hmac"},
		{name: "all three", auth: outbound.Auth{Bearer: cred("t"), BasicUser: "u", BasicPassword: cred("p"), HMACSecret: cred("s")},
			wantErr: "auth: give one of bearer, basic or hmac"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := &outbound.Destination{Name: "erp", URL: mustURL(t, "https://erp.example.com"), Auth: tt.auth}
			err := d.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Validate error %v, want %q", err, tt.wantErr)
			}
			if tt.wantErr == "" && d.Auth.HMACHeader != tt.wantHeader {
				t.Errorf("HMACHeader %q, want %q", d.Auth.HMACHeader, tt.wantHeader)
			}
		})
	}
}

// expectedWait is min(initial·2^(n-1), max), computed without overflow.
func expectedWait(initial, maxWait time.Duration, n int) time.Duration {
	w := initial
	for i := 1; i < n; i++ {
		if w >= maxWait/2 {
			return maxWait
		}
		w *= 2
	}
	return min(w, maxWait)
}

func TestDestinationBackoff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		initial, maxWait time.Duration
		attempts         []int
	}{
		{"defaults", outbound.DefaultInitialBackoff, outbound.DefaultMaxBackoff, []int{1, 2, 3, 5, 9, 10, 11, 12, 20}},
		{"many attempts", time.Second, 10 * time.Minute, []int{30, 33, 34, 35, 36, 39, 40, 41, 64, 65, 100, 1000}},
		{"long initial wait", time.Hour, 24 * time.Hour, []int{1, 2, 5, 6, 21, 22, 23, 30, 39, 40}},
		{"initial equals max", time.Minute, time.Minute, []int{1, 2, 10}},
		{"the longest max", time.Second, time.Duration(1<<63 - 1), []int{1, 30, 33, 34, 35, 39, 40, 62, 63, 64, 70}},
	}
	const draws = 2000
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := &outbound.Destination{InitialBackoff: tt.initial, MaxBackoff: tt.maxWait}
			for _, n := range tt.attempts {
				wait := expectedWait(tt.initial, tt.maxWait, n)
				lo, hi := wait, time.Duration(0)
				for range draws {
					b := d.Backoff(n)
					if b < wait/2 || b > wait {
						t.Fatalf("Backoff(%d) = %v, want within [%v, %v]", n, b, wait/2, wait)
					}
					lo, hi = min(lo, b), max(hi, b)
				}
				// Equal jitter spreads the waits over [wait/2, wait]: in
				// 2000 draws, the chance that none falls in the lower or
				// upper quarter is 2·0.75^2000.
				if lo >= wait/2+wait/8 || hi <= wait-wait/8 {
					t.Errorf("Backoff(%d) ranged over [%v, %v] only, want jitter over [%v, %v]", n, lo, hi, wait/2, wait)
				}
			}
		})
	}
}

func TestDestinationBackoffGrowth(t *testing.T) {
	t.Parallel()
	d := &outbound.Destination{InitialBackoff: time.Second, MaxBackoff: 10 * time.Minute}
	// The ranges of attempts 1 to 10 are [½s, 1s], [1s, 2s], …, [256s, 512s];
	// from attempt 11 on, 2^10 s is capped at 10 minutes.
	for n, want := 1, time.Second; n <= 15; n++ {
		if n > 1 {
			want = min(want*2, 10*time.Minute)
		}
		for range 200 {
			if b := d.Backoff(n); b < want/2 || b > want {
				t.Fatalf("Backoff(%d) = %v, want within [%v, %v]", n, b, want/2, want)
			}
		}
	}
	if b := d.Backoff(0); b < 500*time.Millisecond || b > time.Second {
		t.Errorf("Backoff(0) = %v, want the first attempt's [½s, 1s]", b)
	}
}

func TestParseCredential(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("secrets/erp.token", "file-token\n")
	write("crlf.token", "crlf-token\r\n")
	write("inner.token", "two\nlines\n\n")
	write("empty.token", "")
	write("newline.token", "\n")
	abs := write("abs.token", "abs-token")
	env := func(name string) string {
		return map[string]string{"ERP_TOKEN": "env-token"}[name]
	}

	tests := []struct {
		name, ref string
		env       func(string) string
		want      string // the credential, or "" for an error
		wantErr   string
	}{
		{name: "env", ref: "env:ERP_TOKEN", env: env, want: "env-token"},
		{name: "spaces around", ref: "  env:ERP_TOKEN ", env: env, want: "env-token"},
		{name: "env not set", ref: "env:WMS_TOKEN", env: env, wantErr: "the environment variable WMS_TOKEN is not set"},
		{name: "no env function", ref: "env:ERP_TOKEN", wantErr: "the environment variable ERP_TOKEN is not set"},
		{name: "env without a name", ref: "env:", env: env, wantErr: `NAME is not a variable name`},
		{name: "env of lowercase name", ref: "env:erp_token_2", env: func(string) string { return "x" }, want: "x"},
		{name: "relative file", ref: "file:secrets/erp.token", want: "file-token"},
		{name: "absolute file", ref: "file:" + abs, want: "abs-token"},
		{name: "CRLF", ref: "file:crlf.token", want: "crlf-token"},
		{name: "inner line breaks kept", ref: "file:inner.token", want: "two\nlines"},
		{name: "empty file", ref: "file:empty.token", wantErr: "is empty"},
		{name: "file of a line break", ref: "file:newline.token", wantErr: "is empty"},
		{name: "missing file", ref: "file:nowhere.token", wantErr: "cannot read the file"},
		{name: "file without a path", ref: "file:", wantErr: `want "env:NAME" or "file:PATH"`},
		{name: "empty", ref: "", wantErr: `want "env:NAME" or "file:PATH", never the secret itself`},
		{name: "unknown kind", ref: "vault:erp/token", wantErr: `want "env:NAME" or "file:PATH"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := outbound.ParseCredential(tt.ref, tt.env, dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseCredential(%q) error %v, want %q", tt.ref, err, tt.wantErr)
				}
				if !c.IsZero() {
					t.Errorf("ParseCredential(%q) failed but returned a credential", tt.ref)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCredential(%q): %v", tt.ref, err)
			}
			if !sameCredential(c, outbound.NewCredential(tt.want)) {
				t.Errorf("ParseCredential(%q) is not %q", tt.ref, tt.want)
			}
		})
	}
}

// sameCredential compares credentials through the signatures they make,
// since a Credential does not reveal its value.
func sameCredential(a, b outbound.Credential) bool {
	body := []byte("compare")
	return a.IsZero() == b.IsZero() && outbound.Signature(a, body) == outbound.Signature(b, body)
}

func TestParseCredentialRefusesLiterals(t *testing.T) {
	t.Parallel()
	for _, literal := range []string{
		"sk_live_51HqLyjWDarjtT1zdp7dc",
		"Bearer:sk_live_51HqLyjWDarjtT1zdp7dc",
		"sk_live_51HqLyjWDarjtT1zdp7dc:x",
		"ENV:sk_live_51HqLyjWDarjtT1zdp7dc",
		"env:sk_live-51HqLyjWDarjtT1zdp7dc",
		"env:Bearer sk_live_51HqLyjWDarjtT1zdp7dc",
		"env:eyJhbGciOiJIUzI1NiJ9.sk_live_51HqLyjW.Darjt",
	} {
		c, err := outbound.ParseCredential(literal, func(string) string { return "" }, t.TempDir())
		if err == nil || !c.IsZero() {
			t.Errorf("ParseCredential(%q) accepted a literal secret", literal)
			continue
		}
		if strings.Contains(err.Error(), "sk_live") {
			t.Errorf("ParseCredential(%q) error repeats the secret: %v", literal, err)
		}
	}
}

func TestCredentialNeverPrinted(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-very-secret"
	c := outbound.NewCredential(secret)
	if c.IsZero() || outbound.NewCredential("").IsZero() != true || !(outbound.Credential{}).IsZero() {
		t.Fatalf("IsZero is wrong")
	}
	if c.String() != "…" || c.GoString() != "…" || c.LogValue().String() != "…" {
		t.Errorf("String %q, GoString %q, LogValue %q; want …", c.String(), c.GoString(), c.LogValue())
	}
	if s := (outbound.Credential{}).String(); s != "" {
		t.Errorf("the zero Credential's String is %q, want empty", s)
	}

	d := &outbound.Destination{Name: "erp", URL: mustURL(t, "https://erp.example.com"),
		Auth: outbound.Auth{BasicUser: "gw", BasicPassword: c}}
	values := map[string]any{"credential": c, "pointer": &c, "auth": d.Auth, "destination": d, "*destination": *d}
	var printed []string
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%08.3f", "%T"} {
			printed = append(printed, name+" "+verb+" "+fmt.Sprintf(verb, v))
		}
		printed = append(printed, name+" Sprint "+fmt.Sprint(v), name+" Sprintln "+fmt.Sprintln(v))
	}
	var text, js bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&text, nil), slog.NewJSONHandler(&js, nil)} {
		log := slog.New(h)
		log.Info("delivering", "credential", c, "pointer", &c, "auth", d.Auth, "destination", d)
		log.Info("group", slog.Group("dest", "password", d.Auth.BasicPassword), slog.Any("any", c))
	}
	printed = append(printed, text.String(), js.String())
	for _, p := range printed {
		if strings.Contains(p, secret) {
			t.Errorf("the secret is revealed: %s", p)
		}
	}
	if !strings.Contains(text.String(), "credential=…") || !strings.Contains(js.String(), `"credential":"…"`) {
		t.Errorf("the log does not show the credential as …:\n%s%s", text.String(), js.String())
	}
}
