package gateway

import (
	"errors"
	"net/url"
	"os"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/partners"
)

// destinations decodes the key "destinations": the ERP and WMS APIs,
// with credentials read from the environment (env, or the process's when
// nil) or from files relative to dir.
func (l *configLoader) destinations(n *yaml.Node, c *Config, env func(string) string, dir string) {
	if n == nil || isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		l.addAt(n.Line, "destinations", "want a list of {name, url, auth, timeout, max_attempts, concurrency}")
		return
	}
	if env == nil {
		env = os.Getenv
	}
	seen := map[string]int{}
	for i, item := range n.Content {
		field := "destinations[" + strconv.Itoa(i) + "]"
		l.lines[field] = item.Line
		d := l.destination(item, field, env, dir)
		if d == nil {
			continue
		}
		if line, dup := seen[d.Name]; dup {
			l.addAt(item.Line, field+".name", "%q is given twice (first at line %d)", d.Name, line)
		} else if d.Name != "" { // a missing name is reported once, as required
			seen[d.Name] = item.Line
		}
		if err := d.Validate(); err != nil {
			l.addAt(item.Line, field, "%v", err)
		}
		c.Destinations = append(c.Destinations, d)
	}
}

func (l *configLoader) destination(n *yaml.Node, field string, env func(string) string, dir string) *outbound.Destination {
	f := l.fields(n, field, "name", "url", "auth", "timeout", "max_attempts", "concurrency", "initial_backoff", "max_backoff")
	if f == nil {
		return nil
	}
	d := &outbound.Destination{}
	if !l.str(f["name"], field+".name", &d.Name) {
		l.addAt(n.Line, field+".name", "required")
	}
	var raw string
	if l.str(f["url"], field+".url", &raw) {
		u, err := url.Parse(raw)
		if err != nil {
			// The *url.Error repeats the URL, and with it any password.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			l.addAt(f["url"].Line, field+".url", "not a URL: %v", err)
		}
		d.URL = u
	} else {
		l.addAt(n.Line, field+".url", "required")
	}
	// A value given is checked here: Validate would take 0 for "the
	// default".
	positive := func(key string, dst *time.Duration) {
		var v time.Duration
		before := len(l.probs)
		l.duration(f[key], field+"."+key, &v)
		switch {
		case len(l.probs) > before || f[key] == nil || isNull(f[key]):
		case v <= 0:
			l.addAt(f[key].Line, field+"."+key, "%v: must be more than 0", v)
		default:
			*dst = v
		}
	}
	positive("timeout", &d.Timeout)
	positive("initial_backoff", &d.InitialBackoff)
	positive("max_backoff", &d.MaxBackoff)
	count := func(key string, dst *int) {
		var v int64
		if !l.int64(f[key], field+"."+key, &v) {
			return
		}
		if v < 1 || v > 1000 {
			l.addAt(f[key].Line, field+"."+key, "%d: must be from 1 to 1000", v)
			return
		}
		*dst = int(v)
	}
	count("max_attempts", &d.MaxAttempts)
	count("concurrency", &d.Concurrency)
	l.auth(f["auth"], field+".auth", &d.Auth, env, dir)
	return d
}

// auth decodes {bearer: REF}, {basic: {username, password: REF}} or
// {hmac: {secret: REF, header}}, where REF is "env:NAME" or "file:PATH".
func (l *configLoader) auth(n *yaml.Node, field string, a *outbound.Auth, env func(string) string, dir string) {
	f := l.fields(n, field, "bearer", "basic", "hmac")
	// cred reads the credential at n, which parent holds: a key given
	// without a value would otherwise leave the destination without auth.
	cred := func(n, parent *yaml.Node, field string, dst *outbound.Credential) {
		var ref string
		if !l.str(n, field, &ref) {
			if n == nil || isNull(n) {
				l.addAt(lineOr(n, parent), field, `required: "env:NAME" or "file:PATH"`)
			}
			return
		}
		c, err := outbound.ParseCredential(ref, env, dir)
		if err != nil {
			l.addAt(n.Line, field, "%v", err)
			return
		}
		*dst = c
	}
	if bn, ok := f["bearer"]; ok {
		cred(bn, n, field+".bearer", &a.Bearer)
	}
	if bn, ok := f["basic"]; ok {
		// A null basic: is an empty one, whose fields are missing.
		if bf := l.fields(bn, field+".basic", "username", "password"); bf != nil || isNull(bn) {
			if !l.str(bf["username"], field+".basic.username", &a.BasicUser) && (bf["username"] == nil || isNull(bf["username"])) {
				l.addAt(lineOr(bf["username"], bn), field+".basic.username", "required")
			}
			cred(bf["password"], bn, field+".basic.password", &a.BasicPassword)
		}
	}
	if hn, ok := f["hmac"]; ok {
		if hf := l.fields(hn, field+".hmac", "secret", "header"); hf != nil || isNull(hn) {
			cred(hf["secret"], hn, field+".hmac.secret", &a.HMACSecret)
			l.str(hf["header"], field+".hmac.header", &a.HMACHeader)
		}
	}
}

// routes decodes the key "routes" and checks that each names a
// destination.
func (l *configLoader) routes(n *yaml.Node, c *Config) {
	known := map[string]bool{}
	for _, d := range c.Destinations {
		known[d.Name] = true
	}
	routes, probs := partners.DecodeRoutes(l.path, n, "routes", func(r outbound.Route) error {
		return r.Validate(func(name string) bool { return known[name] })
	})
	l.probs = append(l.probs, probs...)
	c.Routes = routes
}

// lineOr returns n's line, or parent's when n is missing.
func lineOr(n, parent *yaml.Node) int {
	if n != nil {
		return n.Line
	}
	return parent.Line
}

// validateDelivery checks the destinations and routes of a Config built in
// code, as decoding checks those of a file.
func (l *configLoader) validateDelivery(c *Config) {
	known := map[string]bool{}
	for i, d := range c.Destinations {
		field := "destinations[" + strconv.Itoa(i) + "]"
		if err := d.Validate(); err != nil {
			l.add(field, "%v", err)
		}
		if known[d.Name] {
			l.add(field+".name", "%q is given twice", d.Name)
		}
		known[d.Name] = true
	}
	for i, r := range c.Routes {
		if err := r.Validate(func(name string) bool { return known[name] }); err != nil {
			l.add("routes["+strconv.Itoa(i)+"]", "%v", err)
		}
	}
}
