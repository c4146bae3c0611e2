package ui_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/web"
	"github.com/partnergate/partnergate/gateway/web/ui"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// Tokens of the test staff. No log line, cookie or page may hold one.
const (
	tokViewer  = "tok-viewer-5f2a"
	tokOnboard = "tok-onboarding-91c3"
	tokOddRole = "tok-odd-role-77d0"
)

func staff(token string) (web.Staff, bool) {
	switch token {
	case tokViewer:
		return web.Staff{Name: "vera", Role: web.RoleViewer}, true
	case tokOnboard:
		return web.Staff{Name: "otto", Role: web.RoleOnboarding}, true
	case tokOddRole:
		return web.Staff{Name: "odd", Role: "janitor"}, true
	}
	return web.Staff{}, false
}

type testBundle struct {
	env  *gatewaytest.Env
	srv  *httptest.Server
	logs *gatewaytest.LogBuffer
}

type setupOpts struct {
	maxRawBytes int64
	// acmeExtra is YAML added to acme-retail's partner file.
	acmeExtra string
	// staffNamed is the dashboard's Deps.StaffNamed.
	staffNamed func(name string) (web.Staff, bool)
}

// setup runs a gateway with partners acme-retail (documents held when
// duplicated) and globex, and serves the API with the dashboard mounted, as
// serve does.
func setup(t testing.TB, o *setupOpts) *testBundle {
	t.Helper()
	if o == nil {
		o = &setupOpts{}
	}
	env := gatewaytest.StartOpts(t, gatewaytest.Options{Workers: 4},
		gatewaytest.Partner{Duplicates: "{document: hold}", Extra: o.acmeExtra}, gatewaytest.Partner{ID: "globex", Sender: "GLOBEX"})
	b := &testBundle{env: env, logs: &gatewaytest.LogBuffer{}}
	app := env.App
	log := slog.New(slog.NewJSONHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ud := ui.Deps{Store: app.Store, DB: app.Pool, Partners: app.Partners, Staff: staff, Logger: log,
		MaxRawBytes: o.maxRawBytes, StaffNamed: o.staffNamed}
	if app.Reviewer != nil {
		ud.Reviewer = app.Reviewer
	}
	dash, err := ui.New(ud)
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Deps{Store: app.Store, DB: app.Pool, Pipeline: app.Pipeline, Partners: app.Partners,
		Staff: staff, MaxUploadBytes: 1 << 20, Gatherer: app.Registry, Registerer: app.Registry, Ready: app.Ready,
		Logger: log, Reviewer: ud.Reviewer, UI: dash})
	if err != nil {
		t.Fatal(err)
	}
	b.srv = httptest.NewServer(h)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", b.logs.String())
		}
		for _, s := range []string{tokViewer, tokOnboard, tokOddRole} {
			if strings.Contains(b.logs.String(), s) {
				t.Errorf("the log holds the token %q", s)
			}
		}
	})
	t.Cleanup(b.srv.Close)
	return b
}

// send receives data from a partner and waits for its processing.
func (b *testBundle) send(t testing.TB, partner, filename, data string) int64 {
	t.Helper()
	f, err := b.env.App.Pipeline.Receive(context.Background(), &ingest.ReceiveParams{PartnerID: partner,
		Channel: "api", Filename: filename, Body: strings.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	b.env.WaitProcessed(t, f.ID, 1)
	return f.ID
}

// order returns the 850 fixture with its ISA13, PO number and sender changed.
func order(t testing.TB, isa13 int, po, sender string) string {
	t.Helper()
	s := gatewaytest.Fixture(t, "850-004010.edi")
	s = strings.ReplaceAll(s, "000000101", fmt.Sprintf("%09d", isa13))
	s = strings.ReplaceAll(s, "4500012345", po)
	s = strings.Replace(s, "ZZ*ACMERETAIL     ", fmt.Sprintf("ZZ*%-15s", sender), 1)
	return strings.Replace(s, "GS*PO*ACMERETAIL*", "GS*PO*"+sender+"*", 1)
}

// shipNotice returns the 856 fixture sent by ACMERETAIL to the gateway, as
// shipment asn filling order po.
func shipNotice(t testing.TB, isa13 int, asn, po string) string {
	t.Helper()
	s := gatewaytest.Fixture(t, "856-004010.edi")
	s = strings.Replace(s, "ZZ*NORTHWIND      *ZZ*ACMERETAIL     ", "ZZ*ACMERETAIL     *ZZ*NORTHWIND      ", 1)
	s = strings.Replace(s, "GS*SH*NORTHWIND*ACMERETAIL*", "GS*SH*ACMERETAIL*NORTHWIND*", 1)
	s = strings.ReplaceAll(s, "000000101", fmt.Sprintf("%09d", isa13))
	s = strings.ReplaceAll(s, "ASN-880021", asn)
	return strings.ReplaceAll(s, "4500012345", po)
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so that tests see them.
type browser struct {
	t    testing.TB
	b    *testBundle
	c    *http.Client
	jar  http.CookieJar
	auth string // a Bearer token to send instead of cookies
}

func (b *testBundle) browser(t testing.TB) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, b: b, jar: jar, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is a response read whole.
type page struct {
	status int
	header http.Header
	body   string
}

func (br *browser) do(method, path string, form url.Values, header map[string]string) *page {
	br.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, br.b.srv.URL+path, body)
	if err != nil {
		br.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if br.auth != "" {
		req.Header.Set("Authorization", "Bearer "+br.auth)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := br.c.Do(req)
	if err != nil {
		br.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		br.t.Fatal(err)
	}
	return &page{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (br *browser) get(path string) *page {
	br.t.Helper()
	return br.do(http.MethodGet, path, nil, nil)
}

func (br *browser) post(path string, form url.Values) *page {
	br.t.Helper()
	return br.do(http.MethodPost, path, form, nil)
}

// expect checks the status and that the page holds each of wants.
func (p *page) expect(t testing.TB, status int, wants ...string) *page {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d: %s", p.status, status, p.main())
	}
	for _, w := range wants {
		if !strings.Contains(p.body, w) {
			t.Errorf("the page lacks %q:\n%s", w, p.main())
		}
	}
	return p
}

// main returns the page from its <main>, leaving out the style sheet.
func (p *page) main() string {
	if _, after, ok := strings.Cut(p.body, "<main>"); ok {
		return after
	}
	return p.body
}

func (p *page) lacks(t testing.TB, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(p.body, n) {
			t.Errorf("the page holds %q", n)
		}
	}
}

var hiddenCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the first form of the page.
func (p *page) csrf(t testing.TB) string {
	t.Helper()
	m := hiddenCSRF.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF field on the page:\n%s", p.body)
	}
	return html.UnescapeString(m[1])
}

// login signs in with token through the form and returns the page it lands on.
func (br *browser) login(token, next string) *page {
	br.t.Helper()
	form := br.get("/ui/login?next="+url.QueryEscape(next)).expect(br.t, http.StatusOK)
	return br.post("/ui/login", url.Values{"csrf": {form.csrf(br.t)}, "token": {token}, "next": {next}})
}

// cookie returns the browser's cookie name for the dashboard.
func (br *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(br.b.srv.URL + "/ui/")
	for _, c := range br.jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}
