package gateway

import (
	"errors"
	"net/url"
	"os"
	"strconv"

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
	l.duration(f["timeout"], field+".timeout", &d.Timeout)
	l.duration(f["initial_backoff"], field+".initial_backoff", &d.InitialBackoff)
	l.duration(f["max_backoff"], field+".max_backoff", &d.MaxBackoff)
	var v int64
	if l.int64(f["max_attempts"], field+".max_attempts", &v) {
		d.MaxAttempts = int(min(max(v, -1), 1000))
	}
	if l.int64(f["concurrency"], field+".concurrency", &v) {
		d.Concurrency = int(min(max(v, -1), 1000))
	}
	l.auth(f["auth"], field+".auth", &d.Auth, env, dir)
	return d
}

// auth decodes {bearer: REF}, {basic: {username, password: REF}} or
// {hmac: {secret: REF, header}}, where REF is "env:NAME" or "file:PATH".
func (l *configLoader) auth(n *yaml.Node, field string, a *outbound.Auth, env func(string) string, dir string) {
	f := l.fields(n, field, "bearer", "basic", "hmac")
	cred := func(n *yaml.Node, field string, dst *outbound.Credential) {
		var ref string
		if !l.str(n, field, &ref) {
			return
		}
		c, err := outbound.ParseCredential(ref, env, dir)
		if err != nil {
			l.addAt(n.Line, field, "%v", err)
			return
		}
		*dst = c
	}
	cred(f["bearer"], field+".bearer", &a.Bearer)
	if bf := l.fields(f["basic"], field+".basic", "username", "password"); bf != nil {
		l.str(bf["username"], field+".basic.username", &a.BasicUser)
		cred(bf["password"], field+".basic.password", &a.BasicPassword)
	}
	if hf := l.fields(f["hmac"], field+".hmac", "secret", "header"); hf != nil {
		cred(hf["secret"], field+".hmac.secret", &a.HMACSecret)
		l.str(hf["header"], field+".hmac.header", &a.HMACHeader)
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
