package gateway

import (
	"errors"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/outbound"
)

const deliveryConfig = `x12: {id: NORTHWIND}
destinations:
  - name: erp
    url: "https://erp.example.com/api/v1"
    auth: {bearer: "env:ERP_TOKEN"}
    timeout: 5s
    max_attempts: 20
    concurrency: 4
    initial_backoff: 2s
    max_backoff: 30m
  - name: wms
    url: "http://wms.internal:8080/"
    auth:
      basic: {username: gateway, password: "file:secrets/wms.password"}
  - {name: tms, url: "https://tms.example.com", auth: {hmac: {secret: "env:TMS_SECRET", header: X-Signature}}}
  - {name: crm, url: "https://crm.example.com", auth: {hmac: {secret: "file:/ABS/crm.secret"}}}
  - {name: open, url: "http://127.0.0.1:9000/erp"}
routes:
  - {match: {type: order, kind: purchase_order}, destination: erp, path: /orders}
  - match: {type: shipment, partner: acme-retail, purpose: original}
    destination: wms
    path: /shipments
  - {match: {type: return}, destination: none}
`

// deliveryEnv holds the variables deliveryConfig names.
var deliveryEnv = map[string]string{"ERP_TOKEN": "erp-token", "TMS_SECRET": "tms-secret"}

// writeDeliveryConfig writes content as gateway.yaml, with the credential
// files it names, and returns its path.
func writeDeliveryConfig(t *testing.T, content string) string {
	t.Helper()
	abs := t.TempDir()
	path := writeConfig(t, strings.ReplaceAll(content, "/ABS", abs))
	writeFile(t, filepath.Join(filepath.Dir(path), "secrets", "wms.password"), "wms-password\n")
	writeFile(t, filepath.Join(abs, "crm.secret"), "crm-secret")
	writeFile(t, filepath.Join(filepath.Dir(path), "empty.secret"), "")
	return path
}

// sameCredential compares credentials through the signatures they make.
func sameCredential(c outbound.Credential, want string) bool {
	body := []byte("compare")
	return !c.IsZero() && outbound.Signature(c, body) == outbound.Signature(outbound.NewCredential(want), body)
}

func TestLoadConfigDestinations(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(writeDeliveryConfig(t, deliveryConfig), envOf(deliveryEnv))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Destinations) != 5 {
		t.Fatalf("%d destinations, want 5", len(c.Destinations))
	}
	erp, wms, tms, crm, open := c.Destinations[0], c.Destinations[1], c.Destinations[2], c.Destinations[3], c.Destinations[4]
	if erp.Name != "erp" || erp.URL.String() != "https://erp.example.com/api/v1" || erp.Timeout != 5*time.Second ||
		erp.MaxAttempts != 20 || erp.Concurrency != 4 || erp.InitialBackoff != 2*time.Second || erp.MaxBackoff != 30*time.Minute {
		t.Errorf("erp %+v", erp)
	}
	if !sameCredential(erp.Auth.Bearer, "erp-token") || erp.Auth.BasicUser != "" || !erp.Auth.HMACSecret.IsZero() {
		t.Errorf("erp auth %+v, want the bearer token of $ERP_TOKEN", erp.Auth)
	}
	// The defaults fill what is not given.
	if wms.Name != "wms" || wms.URL.String() != "http://wms.internal:8080/" || wms.Timeout != outbound.DefaultTimeout ||
		wms.MaxAttempts != outbound.DefaultMaxAttempts || wms.Concurrency != outbound.DefaultConcurrency ||
		wms.InitialBackoff != outbound.DefaultInitialBackoff || wms.MaxBackoff != outbound.DefaultMaxBackoff {
		t.Errorf("wms %+v, want the defaults", wms)
	}
	if wms.Auth.BasicUser != "gateway" || !sameCredential(wms.Auth.BasicPassword, "wms-password") || !wms.Auth.Bearer.IsZero() {
		t.Errorf("wms auth %+v, want basic with the password of secrets/wms.password", wms.Auth)
	}
	if !sameCredential(tms.Auth.HMACSecret, "tms-secret") || tms.Auth.HMACHeader != "X-Signature" {
		t.Errorf("tms auth %+v, want hmac of $TMS_SECRET in X-Signature", tms.Auth)
	}
	if !sameCredential(crm.Auth.HMACSecret, "crm-secret") || crm.Auth.HMACHeader != outbound.DefaultHMACHeader {
		t.Errorf("crm auth %+v, want hmac of an absolute file in the default header", crm.Auth)
	}
	if open.Auth != (outbound.Auth{}) || open.URL.Path != "/erp" {
		t.Errorf("open %+v, want no auth", open)
	}
	want := []outbound.Route{
		{Match: outbound.Match{Type: "order", Kind: "purchase_order"}, Destination: "erp", Path: "/orders"},
		{Match: outbound.Match{Type: "shipment", Partner: "acme-retail", Purpose: "original"}, Destination: "wms", Path: "/shipments"},
		{Match: outbound.Match{Type: "return"}, Destination: outbound.None},
	}
	if !slices.Equal(c.Routes, want) {
		t.Errorf("routes %+v, want %+v", c.Routes, want)
	}
}

func TestLoadConfigNoDestinations(t *testing.T) {
	t.Parallel()
	for _, content := range []string{"x12: {id: NORTHWIND}\n", "x12: {id: NORTHWIND}\ndestinations:\nroutes:\n",
		"x12: {id: NORTHWIND}\ndestinations: []\nroutes: []\n"} {
		c, err := LoadConfig(writeConfig(t, content), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Destinations) != 0 || len(c.Routes) != 0 {
			t.Errorf("%q: destinations %+v, routes %+v", content, c.Destinations, c.Routes)
		}
	}
}

// TestLoadConfigCredentialFromProcess: without an env function, credentials
// are read from the process's environment.
func TestLoadConfigCredentialFromProcess(t *testing.T) {
	t.Setenv("PARTNERGATE_TEST_ERP_TOKEN", "process-token")
	c, err := LoadConfig(writeConfig(t, `x12: {id: NORTHWIND}
destinations: [{name: erp, url: "https://erp.example.com", auth: {bearer: "env:PARTNERGATE_TEST_ERP_TOKEN"}}]
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sameCredential(c.Destinations[0].Auth.Bearer, "process-token") {
		t.Errorf("bearer is not $PARTNERGATE_TEST_ERP_TOKEN")
	}
}

func TestLoadConfigDeliveryProblems(t *testing.T) {
	t.Parallel()
	const literal = "sk_live_51HqLyjWDarjtT1zdp7dc"
	tests := []struct {
		name     string
		old, new string // replaced in deliveryConfig
		env      map[string]string
		want     []string // the problems, with "FILE" for the path
	}{
		{name: "unknown destination key", old: "    timeout: 5s\n", new: "    timeout: 5s\n    retries: 3\n",
			want: []string{`FILE:7: destinations[0].retries: unknown key "retries"; known keys here: name, url, auth, timeout, max_attempts, concurrency, initial_backoff, max_backoff`}},
		{name: "unknown auth key", old: `{bearer: "env:ERP_TOKEN"}`, new: `{token: "env:ERP_TOKEN"}`,
			want: []string{`FILE:5: destinations[0].auth.token: unknown key "token"; known keys here: bearer, basic, hmac`}},
		{name: "unknown basic key", old: "{username: gateway,", new: "{user: gateway,",
			want: []string{
				`FILE:11: destinations[1]: auth.basic: give both username and password`,
				`FILE:14: destinations[1].auth.basic.user: unknown key "user"; known keys here: username, password`,
				`FILE:14: destinations[1].auth.basic.username: required`,
			}},
		{name: "missing name", old: "{name: tms, ", new: "{",
			want: []string{
				`FILE:15: destinations[2].name: required`,
				`FILE:15: destinations[2]: name "": want 1 to 40 of a-z, 0-9, _ and -`,
			}},
		{name: "bad name", old: "{name: tms,", new: "{name: TMS,",
			want: []string{`FILE:15: destinations[2]: name "TMS": want 1 to 40 of a-z, 0-9, _ and -`}},
		{name: "missing url", old: `{name: open, url: "http://127.0.0.1:9000/erp"}`, new: `{name: open}`,
			want: []string{
				`FILE:17: destinations[4].url: required`,
				`FILE:17: destinations[4]: url: want an absolute http or https URL`,
			}},
		{name: "relative url", old: `"http://127.0.0.1:9000/erp"`, new: `"127.0.0.1:9000/erp"`,
			want: []string{
				`FILE:17: destinations[4].url: not a URL: first path segment in URL cannot contain colon`,
				`FILE:17: destinations[4]: url: want an absolute http or https URL`,
			}},
		{name: "url with a password", old: `"http://127.0.0.1:9000/erp"`, new: `"http://gw:` + literal + `@127.0.0.1:9000/erp"`,
			want: []string{`FILE:17: destinations[4]: url: give credentials in auth, never in the URL`}},
		{name: "bad url with a password", old: `"http://127.0.0.1:9000/erp"`, new: `"http://gw:` + literal + `@127.0.0.1:port/erp"`,
			want: []string{
				`FILE:17: destinations[4].url: not a URL: invalid port ":port" after host`,
				`FILE:17: destinations[4]: url: want an absolute http or https URL`,
			}},
		{name: "destination named none", old: "{name: open,", new: "{name: none,",
			want: []string{`FILE:17: destinations[4]: name "none": routes to none send nowhere; choose another name`}},
		{name: "ftp url", old: `"http://127.0.0.1:9000/erp"`, new: `"ftp://127.0.0.1/erp"`,
			want: []string{`FILE:17: destinations[4]: url: want an absolute http or https URL`}},
		{name: "url without host", old: `"http://127.0.0.1:9000/erp"`, new: `"/erp"`,
			want: []string{`FILE:17: destinations[4]: url: want an absolute http or https URL`}},
		{name: "duplicate name", old: "{name: crm,", new: "{name: tms,",
			want: []string{`FILE:16: destinations[3].name: "tms" is given twice (first at line 15)`}},
		{name: "two auth kinds", old: `{bearer: "env:ERP_TOKEN"}`, new: `{bearer: "env:ERP_TOKEN", hmac: {secret: "env:TMS_SECRET"}}`,
			want: []string{`FILE:3: destinations[0]: auth: give one of bearer, basic or hmac`}},
		{name: "literal bearer", old: `"env:ERP_TOKEN"`, new: `"` + literal + `"`,
			want: []string{`FILE:5: destinations[0].auth.bearer: want "env:NAME" or "file:PATH", never the secret itself`}},
		{name: "literal basic password", old: `"file:secrets/wms.password"`, new: `"` + literal + `"`,
			want: []string{
				`FILE:11: destinations[1]: auth.basic: give both username and password`,
				`FILE:14: destinations[1].auth.basic.password: want "env:NAME" or "file:PATH", never the secret itself`,
			}},
		{name: "literal hmac secret with a colon", old: `"env:TMS_SECRET"`, new: `"whsec:` + literal + `"`,
			want: []string{`FILE:15: destinations[2].auth.hmac.secret: want "env:NAME" or "file:PATH", never the secret itself`}},
		{name: "env not set", env: map[string]string{"ERP_TOKEN": "erp-token"},
			want: []string{`FILE:15: destinations[2].auth.hmac.secret: the environment variable TMS_SECRET is not set`}},
		{name: "missing file", old: "file:secrets/wms.password", new: "file:secrets/nowhere",
			want: []string{
				`FILE:11: destinations[1]: auth.basic: give both username and password`,
				`FILE:14: destinations[1].auth.basic.password: cannot read the file: open DIR/secrets/nowhere: no such file or directory`,
			}},
		{name: "empty file", old: "file:/ABS/crm.secret", new: "file:empty.secret",
			want: []string{`FILE:16: destinations[3].auth.hmac.secret: the file DIR/empty.secret is empty`}},
		{name: "bad timeout", old: "timeout: 5s", new: "timeout: 5",
			want: []string{`FILE:6: destinations[0].timeout: "5" is not a duration such as 90s, 5m or 1h`}},
		{name: "bad max_attempts", old: "max_attempts: 20", new: "max_attempts: many",
			want: []string{`FILE:7: destinations[0].max_attempts: "many" is not a whole number`}},
		{name: "negative concurrency", old: "concurrency: 4", new: "concurrency: -4",
			want: []string{`FILE:8: destinations[0].concurrency: -4: must be from 1 to 1000`}},
		{name: "zero max_attempts", old: "max_attempts: 20", new: "max_attempts: 0",
			want: []string{`FILE:7: destinations[0].max_attempts: 0: must be from 1 to 1000`}},
		{name: "too many max_attempts", old: "max_attempts: 20", new: "max_attempts: 5000",
			want: []string{`FILE:7: destinations[0].max_attempts: 5000: must be from 1 to 1000`}},
		{name: "zero timeout", old: "timeout: 5s", new: "timeout: 0s",
			want: []string{`FILE:6: destinations[0].timeout: 0s: must be more than 0`}},
		{name: "negative initial_backoff", old: "initial_backoff: 2s", new: "initial_backoff: -2s",
			want: []string{`FILE:9: destinations[0].initial_backoff: -2s: must be more than 0`}},
		{name: "bearer without a value", old: `{bearer: "env:ERP_TOKEN"}`, new: `{bearer: ~}`,
			want: []string{`FILE:5: destinations[0].auth.bearer: required: "env:NAME" or "file:PATH"`}},
		{name: "empty basic", old: `{username: gateway, password: "file:secrets/wms.password"}`, new: `{}`,
			want: []string{
				`FILE:14: destinations[1].auth.basic.username: required`,
				`FILE:14: destinations[1].auth.basic.password: required: "env:NAME" or "file:PATH"`,
			}},
		{name: "null basic", old: `basic: {username: gateway, password: "file:secrets/wms.password"}`, new: `basic:`,
			want: []string{
				`FILE:14: destinations[1].auth.basic.username: required`,
				`FILE:14: destinations[1].auth.basic.password: required: "env:NAME" or "file:PATH"`,
			}},
		{name: "basic without username", old: `username: gateway, `, new: ``,
			want: []string{
				`FILE:11: destinations[1]: auth.basic: give both username and password`,
				`FILE:14: destinations[1].auth.basic.username: required`,
			}},
		{name: "hmac without secret", old: `{secret: "env:TMS_SECRET", header: X-Signature}`, new: `{header: X-Signature}`,
			want: []string{`FILE:15: destinations[2].auth.hmac.secret: required: "env:NAME" or "file:PATH"`}},
		{name: "max_backoff below initial_backoff", old: "max_backoff: 30m", new: "max_backoff: 1s",
			want: []string{`FILE:3: destinations[0]: timeout, max_attempts, concurrency and backoff must be positive, max_backoff ≥ initial_backoff`}},
		{name: "destinations not a list", old: "destinations:\n", new: "destinations: erp\nlist:\n",
			want: []string{
				`FILE:2: destinations: want a list of {name, url, auth, timeout, max_attempts, concurrency}`,
				`FILE:3: list: unknown key "list"; known keys here: database_url, http, x12, partners_dir, limits, staff, jobs, sftp, as2, destinations, routes`,
				`FILE:20: routes[0]: destination erp is not among the destinations`,
				`FILE:21: routes[1]: destination wms is not among the destinations`,
			}},
		{name: "two destinations without a name", old: "{name: tms, url: \"https://tms.example.com\", auth: {hmac: {secret: \"env:TMS_SECRET\", header: X-Signature}}}\n  - {name: crm,",
			new: "{url: \"https://tms.example.com\"}\n  - {",
			want: []string{
				`FILE:15: destinations[2].name: required`,
				`FILE:15: destinations[2]: name "": want 1 to 40 of a-z, 0-9, _ and -`,
				`FILE:16: destinations[3].name: required`,
				`FILE:16: destinations[3]: name "": want 1 to 40 of a-z, 0-9, _ and -`,
			}},
		{name: "destination not a mapping", old: `  - {name: open, url: "http://127.0.0.1:9000/erp"}`, new: "  - open",
			want: []string{`FILE:17: destinations[4]: want a mapping of name, url, auth, timeout, max_attempts, concurrency, initial_backoff, max_backoff`}},
		{name: "route to an unknown destination", old: "destination: erp, path: /orders", new: "destination: erpp, path: /orders",
			want: []string{`FILE:19: routes[0]: destination erpp is not among the destinations`}},
		{name: "route path without /", old: "path: /shipments", new: "path: shipments",
			want: []string{`FILE:22: routes[1].path: want an absolute path such as /orders`}},
		{name: "route without path", old: ", path: /orders", new: "",
			want: []string{`FILE:19: routes[0].path: want an absolute path such as /orders`}},
		{name: "route without destination", old: "destination: erp, ", new: "",
			want: []string{`FILE:19: routes[0].destination: required`}},
		{name: "unknown route key", old: "{match: {type: return}, destination: none}", new: "{match: {type: return}, destination: none, method: PUT}",
			want: []string{`FILE:23: routes[2].method: unknown key "method"; known keys here: match, destination, path`}},
		{name: "unknown match key", old: "match: {type: return}", new: "match: {typ: return}",
			want: []string{`FILE:23: routes[2].match.typ: unknown key "typ"; known keys here: type, kind, partner, purpose`}},
		{name: "route problems do not hide an unknown destination",
			old: "  - {match: {type: return}, destination: none}\n",
			new: "  - {match: {type: return}, destination: none, colour: red}\n  - {destination: crmm, path: /returns}\n",
			want: []string{
				`FILE:23: routes[2].colour: unknown key "colour"; known keys here: match, destination, path`,
				`FILE:24: routes[3]: destination crmm is not among the destinations`,
			}},
		{name: "a skipped route does not shift the lines",
			old: "routes:\n  - {match: {type: order",
			new: "routes:\n  - nothing\n  -\n  - {match: {type: order",
			want: []string{
				`FILE:19: routes[0]: want a mapping of match, destination, path`,
				`FILE:20: routes[1]: want a route: {match: {…}, destination: NAME, path: /PATH}`,
			}},
		{name: "an empty route does not shift the next one",
			old: "routes:\n  - {match: {type: order, kind: purchase_order}, destination: erp, path: /orders}\n",
			new: "routes:\n  -\n  - {match: {type: order, kind: purchase_order}, destination: erpp, path: /orders}\n",
			want: []string{
				`FILE:19: routes[0]: want a route: {match: {…}, destination: NAME, path: /PATH}`,
				`FILE:20: routes[1]: destination erpp is not among the destinations`,
			}},
		{name: "routes of an unknown key by alias",
			old: "routes:\n",
			new: "extra: &r [{destination: erp, path: /orders}, {destination: erpp, path: /orders}]\nroutes: *r\nignored:\n",
			want: []string{
				`FILE:18: extra: unknown key "extra"; known keys here: database_url, http, x12, partners_dir, limits, staff, jobs, sftp, as2, destinations, routes`,
				`FILE:18: routes[1]: destination erpp is not among the destinations`,
				`FILE:20: ignored: unknown key "ignored"; known keys here: database_url, http, x12, partners_dir, limits, staff, jobs, sftp, as2, destinations, routes`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(deliveryConfig, tt.old) {
				t.Fatalf("%q is not in the configuration", tt.old)
			}
			env := tt.env
			if env == nil {
				env = deliveryEnv
			}
			path := writeDeliveryConfig(t, strings.Replace(deliveryConfig, tt.old, tt.new, 1))
			_, err := LoadConfig(path, envOf(env))
			var ce *ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, ErrConfig) {
				t.Fatalf("LoadConfig error %T %v, want a *ConfigError", err, err)
			}
			var got []string
			for _, p := range ce.Problems {
				got = append(got, strings.ReplaceAll(strings.Replace(p.Error(), path, "FILE", 1), filepath.Dir(path), "DIR"))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for _, secret := range []string{literal, "erp-token", "tms-secret", "wms-password", "crm-secret"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error repeats the secret %s: %v", secret, err)
				}
			}
		})
	}
}

// TestLoadConfigDeliveryNoSecretInErrors: credentials written in the file
// are refused without being repeated.
func TestLoadConfigDeliveryNoSecretInErrors(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, `x12: {id: NORTHWIND}
destinations:
  - {name: erp, url: "https://erp.example.com", auth: {bearer: "s3cr3t-bearer-value"}}
  - {name: wms, url: "https://wms.example.com", auth: {basic: {username: gw, password: "s3cr3t-basic-value"}}}
  - {name: tms, url: "https://tms.example.com", auth: {hmac: {secret: "s3cr3t-hmac-value"}}}
`)
	_, err := LoadConfig(path, envOf(nil))
	if err == nil {
		t.Fatal("LoadConfig accepted secrets written in the file")
	}
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("the error repeats a secret:\n%v", err)
	}
	if n := strings.Count(err.Error(), "never the secret itself"); n != 3 {
		t.Errorf("%d problems refuse a secret, want 3:\n%v", n, err)
	}
}

// TestValidateDelivery: Config.Validate checks the destinations and routes
// of a configuration built in code.
func TestValidateDelivery(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(writeConfig(t, "x12: {id: NORTHWIND}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("http://127.0.0.1:9000")
	c.Destinations = []*outbound.Destination{{Name: "erp", URL: u}, {Name: "erp", URL: u}, {Name: "Bad Name", URL: u}}
	c.Routes = []outbound.Route{{Destination: "wms", Path: "/orders"}}
	err = c.Validate()
	for _, want := range []string{`destinations[1].name: "erp" is given twice`, `destinations[2]: name "Bad Name"`,
		`routes[0]: destination wms is not among the destinations`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v; want %s", err, want)
		}
	}
}
