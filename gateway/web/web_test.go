package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/web"
	"github.com/partnergate/partnergate/outbound"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// Secrets of the test partners and staff. No log line may hold one.
const (
	keyAcme      = "key-acme-retail"
	keyGlobex    = "key-globex"
	keyDormant   = "key-dormant"
	tokViewer    = "tok-viewer"
	tokOnboard   = "tok-onboarding"
	tokAdmin     = "tok-admin"
	tokOddRole   = "tok-odd-role"
	tokPanic     = "tok-panic"
	defaultLimit = 64 << 10
)

var secrets = []string{keyAcme, keyGlobex, keyDormant, tokViewer, tokOnboard, tokAdmin, tokOddRole, tokPanic}

// staff is the Deps.Staff of the tests.
func staff(token string) (web.Staff, bool) {
	switch token {
	case tokViewer:
		return web.Staff{Name: "vera", Role: web.RoleViewer}, true
	case tokOnboard:
		return web.Staff{Name: "otto", Role: web.RoleOnboarding}, true
	case tokAdmin:
		return web.Staff{Name: "ada", Role: web.RoleAdmin}, true
	case tokOddRole:
		return web.Staff{Name: "odd", Role: "janitor"}, true
	case tokPanic:
		panic("the staff directory is unreachable")
	}
	return web.Staff{}, false
}

type testBundle struct {
	env     *gatewaytest.Env
	handler http.Handler
	srv     *httptest.Server
	logs    *gatewaytest.LogBuffer
}

type setupOpts struct {
	maxUpload int64
	ready     func(context.Context) error
	// erp, when set, is the destination erp that orders are delivered to.
	erp *outbound.Destination
}

// setup runs a gateway with partners acme-retail and globex (active) and
// dormant (suspended), and serves the API's real handler.
func setup(t *testing.T, opts *setupOpts) *testBundle {
	t.Helper()
	if opts == nil {
		opts = &setupOpts{}
	}
	o := gatewaytest.Options{Workers: 4}
	if opts.erp != nil {
		o.Destinations = []*outbound.Destination{opts.erp}
		o.Routes = []outbound.Route{{Match: outbound.Match{Type: "order"}, Destination: "erp", Path: "/orders"}}
	}
	env := gatewaytest.StartOpts(t, o, gatewaytest.Partner{}, gatewaytest.Partner{ID: "globex", Sender: "GLOBEX"})
	dormant := gatewaytest.Partner{ID: "dormant", Sender: "DORMANT", Key: keyDormant}.YAML()
	dormant = strings.Replace(dormant, "status: active", "status: suspended", 1)
	gatewaytest.WriteFile(t, filepath.Join(env.PartnersDir, "dormant.yaml"), dormant)
	if err := env.App.Partners.Reload(); err != nil {
		t.Fatal(err)
	}
	b := &testBundle{env: env, logs: &gatewaytest.LogBuffer{}}
	d := b.deps()
	if opts.maxUpload > 0 {
		d.MaxUploadBytes = opts.maxUpload
	}
	if opts.ready != nil {
		d.Ready = opts.ready
	}
	if env.App.Forwarder != nil {
		d.Deliveries = env.App.Forwarder
	}
	h, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	b.handler, b.srv = h, httptest.NewServer(h)
	t.Cleanup(func() { b.checkLogs(t) }) // runs after the server is closed
	t.Cleanup(b.srv.Close)
	return b
}

func (b *testBundle) deps() web.Deps {
	app := b.env.App
	return web.Deps{Store: app.Store, DB: app.Pool, Pipeline: app.Pipeline, Partners: app.Partners, Staff: staff,
		MaxUploadBytes: defaultLimit, Gatherer: app.Registry, Registerer: app.Registry, Ready: app.Ready,
		Reviewer: app.Reviewer, Logger: slog.New(slog.NewJSONHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
}

// checkLogs fails t when a log line holds a secret.
func (b *testBundle) checkLogs(t *testing.T) {
	logs := b.logs.String()
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds the secret %q", s)
		}
	}
	if strings.Contains(strings.ToLower(logs), "authorization") {
		t.Error("the log mentions an Authorization header")
	}
}

// call is one request to the API.
type call struct {
	method, path, secret string
	body                 io.Reader
	header               map[string]string
}

// reply is a response, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (b *testBundle) do(t *testing.T, c call) *reply {
	t.Helper()
	req, err := http.NewRequest(c.method, b.srv.URL+c.path, c.body)
	if err != nil {
		t.Fatal(err)
	}
	if c.secret != "" {
		req.Header.Set("Authorization", "Bearer "+c.secret)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: body}
}

// get does a GET, checks the status and decodes the JSON body into into.
func (b *testBundle) get(t *testing.T, path, secret string, want int, into any) *reply {
	t.Helper()
	r := b.do(t, call{method: http.MethodGet, path: path, secret: secret})
	r.expect(t, want, into)
	return r
}

func (r *reply) expect(t *testing.T, want int, into any) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
	if into == nil {
		return
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	if err := json.Unmarshal(r.body, into); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
}

// apiError is the error body.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// failure checks an error response and returns its message.
func (r *reply) failure(t *testing.T, status int, code string) string {
	t.Helper()
	var e apiError
	r.expect(t, status, &e)
	if e.Error.Code != code || e.Error.Message == "" {
		t.Fatalf("error %+v, want code %s", e.Error, code)
	}
	return e.Error.Message
}

type receipt struct {
	FileID int64  `json:"file_id"`
	Status string `json:"status"`
}

// send posts data as partner key and returns the new file's ID, without
// waiting for its processing.
func (b *testBundle) send(t *testing.T, key, filename, data string) int64 {
	t.Helper()
	var rc receipt
	r := b.do(t, call{method: http.MethodPost, path: "/api/v1/inbound", secret: key, body: strings.NewReader(data),
		header: map[string]string{"X-Filename": filename}})
	r.expect(t, http.StatusAccepted, &rc)
	if rc.FileID <= 0 || rc.Status != "received" {
		t.Fatalf("receipt %+v", rc)
	}
	if loc := r.header.Get("Location"); loc != fmt.Sprintf("/api/v1/files/%d", rc.FileID) {
		t.Errorf("Location %q", loc)
	}
	return rc.FileID
}

// sendWait sends and waits for the first processing run.
func (b *testBundle) sendWait(t *testing.T, key, filename, data string) int64 {
	t.Helper()
	id := b.send(t, key, filename, data)
	b.env.WaitProcessed(t, id, 1)
	return id
}

// order returns the 850 fixture with its ISA13, PO number and sender changed.
func order(t *testing.T, isa13 int, po, sender string) string {
	t.Helper()
	s := gatewaytest.Fixture(t, "850-004010.edi")
	s = strings.ReplaceAll(s, "000000101", fmt.Sprintf("%09d", isa13))
	s = strings.ReplaceAll(s, "4500012345", po)
	s = strings.Replace(s, "ZZ*ACMERETAIL     ", fmt.Sprintf("ZZ*%-15s", sender), 1)
	return strings.Replace(s, "GS*PO*ACMERETAIL*", "GS*PO*"+sender+"*", 1)
}

// logLines returns the decoded log lines with message msg.
func (b *testBundle) logLines(t *testing.T, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(b.logs.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
