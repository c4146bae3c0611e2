package web_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/partnergate/partnergate/gateway/web"
)

func TestProbesAndMetrics(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.sendWait(t, keyAcme, "po.edi", order(t, 901, "PO-901", "ACMERETAIL"))
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/healthz", 200, []string{"ok"}},
		{"/readyz", 200, []string{"ok"}},
		{"/metrics", 200, []string{
			`partnergate_files_processed_total{partner="acme-retail",status="accepted"} 1`,
			`partnergate_http_requests_total{method="POST",route="/api/v1/inbound",status="202"} 1`,
			`partnergate_http_request_duration_seconds_count{method="POST",route="/api/v1/inbound"} 1`,
			"partnergate_partner_config_ok 1",
			"partnergate_partner_config_reload_failures_total 0",
			"partnergate_partner_config_reloads_total 1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			r := b.do(t, call{method: "GET", path: tt.path})
			r.expect(t, tt.status, nil)
			for _, w := range tt.want {
				if !strings.Contains(string(r.body), w) {
					t.Errorf("%s lacks %q", tt.path, w)
				}
			}
		})
	}
}

func TestReadyzNotReady(t *testing.T) {
	t.Parallel()
	b := setup(t, &setupOpts{ready: func(context.Context) error { return errors.New("the database is not migrated") }})
	r := b.do(t, call{method: "GET", path: "/readyz"})
	if r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "the database is not migrated") {
		t.Errorf("readyz: %d %s", r.status, r.body)
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	tests := []struct {
		name   string
		c      call
		status int
		code   string
	}{
		{"unknown route", call{method: "GET", path: "/api/v1/nothing", secret: keyAcme}, 404, "not_found"},
		{"unknown route, no auth", call{method: "GET", path: "/nothing"}, 404, "not_found"},
		{"wrong method", call{method: "PUT", path: "/api/v1/outbox", secret: keyAcme}, 405, "method_not_allowed"},
		{"panic in a dependency", call{method: "GET", path: "/api/v1/files", secret: tokPanic}, 500, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := b.do(t, tt.c)
			msg := r.failure(t, tt.status, tt.code)
			if tt.status == 500 && (strings.Contains(msg, "unreachable") || !strings.Contains(msg, r.header.Get("X-Request-ID"))) {
				t.Errorf("internal error message %q", msg)
			}
		})
	}
	t.Run("the panic is logged", func(t *testing.T) {
		t.Parallel()
		r := b.do(t, call{method: "GET", path: "/api/v1/files", secret: tokPanic})
		r.failure(t, 500, "internal")
		var found bool
		for _, l := range b.logLines(t, "panic serving a request") {
			found = found || l["request_id"] == r.header.Get("X-Request-ID") && strings.Contains(l["panic"].(string), "unreachable")
		}
		if !found {
			t.Error("no log line of the panic")
		}
	})
}

func TestRequestIDAndAccessLog(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	tests := []struct {
		name, sent string
		echoed     bool
		c          call
		who        string // the access log's partner or staff attribute
		route      string
	}{
		{"client ID kept", "req-123.a_B", true, call{method: "GET", path: "/api/v1/outbox", secret: keyAcme},
			"partner=acme-retail", "/api/v1/outbox"},
		{"bad client ID replaced", "bad id!", false, call{method: "GET", path: "/api/v1/files", secret: tokViewer},
			"staff=vera", "/api/v1/files"},
		{"long client ID replaced", strings.Repeat("a", 65), false, call{method: "GET", path: "/api/v1/partners/globex", secret: tokAdmin},
			"staff=ada", "/api/v1/partners/{id}"},
		{"none sent", "", false, call{method: "GET", path: "/api/v1/files/1"}, "", "/api/v1/files/{id}"},
		{"forbidden still names the caller", "", false, call{method: "GET", path: "/api/v1/files", secret: keyGlobex},
			"partner=globex", "/api/v1/files"},
		{"suspended still names the caller", "", false, call{method: "GET", path: "/api/v1/outbox", secret: keyDormant},
			"partner=dormant", "/api/v1/outbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := tt.c
			if tt.sent != "" {
				c.header = map[string]string{"X-Request-ID": tt.sent}
			}
			r := b.do(t, c)
			id := r.header.Get("X-Request-ID")
			if id == "" || (id == tt.sent) != tt.echoed {
				t.Fatalf("X-Request-ID %q for %q", id, tt.sent)
			}
			line := b.accessLine(t, id)
			if line == nil {
				t.Fatalf("no access log line for request %s", id)
			}
			if line["method"] != c.method || line["path"] != c.path || line["route"] != tt.route || int(line["status"].(float64)) != r.status || line["duration"] == nil {
				t.Errorf("access log %v", line)
			}
			if k, v, _ := strings.Cut(tt.who, "="); tt.who != "" && line[k] != v {
				t.Errorf("access log %v, want %s", line, tt.who)
			}
		})
	}
}

func (b *testBundle) accessLine(t *testing.T, requestID string) map[string]any {
	t.Helper()
	for _, l := range b.logLines(t, "http request") {
		if l["request_id"] == requestID {
			return l
		}
	}
	return nil
}

func TestNewChecksDeps(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	tests := []struct {
		field string
		clear func(*web.Deps)
	}{
		{"Store", func(d *web.Deps) { d.Store = nil }},
		{"DB", func(d *web.Deps) { d.DB = nil }},
		{"Pipeline", func(d *web.Deps) { d.Pipeline = nil }},
		{"Partners", func(d *web.Deps) { d.Partners = nil }},
		{"Staff", func(d *web.Deps) { d.Staff = nil }},
		{"MaxUploadBytes", func(d *web.Deps) { d.MaxUploadBytes = 0 }},
		{"Gatherer", func(d *web.Deps) { d.Gatherer = nil }},
		{"Registerer", func(d *web.Deps) { d.Registerer = nil }},
		{"Ready", func(d *web.Deps) { d.Ready = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			t.Parallel()
			d := b.deps()
			d.Registerer = prometheus.NewRegistry()
			tt.clear(&d)
			_, err := web.New(d)
			if err == nil || !strings.Contains(err.Error(), "Deps."+tt.field+" ") {
				t.Errorf("error %v, want one naming Deps.%s", err, tt.field)
			}
		})
	}
	t.Run("all at once", func(t *testing.T) {
		t.Parallel()
		_, err := web.New(web.Deps{})
		for _, tt := range tests {
			if err == nil || !strings.Contains(err.Error(), "Deps."+tt.field+" ") {
				t.Errorf("error %v does not name Deps.%s", err, tt.field)
			}
		}
	})
	t.Run("metrics registered twice", func(t *testing.T) {
		t.Parallel()
		if _, err := web.New(b.deps()); err == nil {
			t.Error("a second New on the same registry registered its metrics again")
		}
	})
	t.Run("logger defaults", func(t *testing.T) {
		t.Parallel()
		d := b.deps()
		d.Registerer, d.Logger = prometheus.NewRegistry(), nil
		if _, err := web.New(d); err != nil {
			t.Error(err)
		}
	})
}
