package ui_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/partnergate/partnergate/gateway/web"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	br := b.browser(t)

	// Without a session, pages send the browser to the form.
	p := br.get("/ui/exceptions?status=all")
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/login?next="+url.QueryEscape("/ui/exceptions?status=all") {
		t.Fatalf("no session: %d %q", p.status, p.header.Get("Location"))
	}
	form := br.get("/ui/login?next=/ui/exceptions").expect(t, http.StatusOK,
		`<label for="token">Staff token`, `type="password"`, `name="next" value="/ui/exceptions"`)
	if c := br.cookie("pg_login"); c == nil || c.Value != form.csrf(t) {
		t.Fatalf("the form's nonce is not its cookie's: %+v", c)
	}

	// A wrong token, a form without its nonce, a role that may not.
	br.login("not-a-token", "/ui/").expect(t, http.StatusUnauthorized, "That is not a staff token.")
	br.post("/ui/login", url.Values{"token": {tokViewer}}).expect(t, http.StatusForbidden, "expired")
	br.login(tokOddRole, "/ui/").expect(t, http.StatusForbidden, "may not use the dashboard")
	if br.cookie("pg_session") != nil {
		t.Fatal("a session was made for a failed sign-in")
	}

	// The right token: a session cookie that is not the token, then the
	// page asked for; another site's address is not followed.
	p = br.login(tokViewer, "/ui/exceptions")
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/exceptions" {
		t.Fatalf("sign-in: %d %q %s", p.status, p.header.Get("Location"), p.body)
	}
	set := strings.Join(p.header.Values("Set-Cookie"), "\n")
	for _, want := range []string{"pg_session=", "HttpOnly", "SameSite=Lax", "Path=/ui"} {
		if !strings.Contains(set, want) {
			t.Errorf("Set-Cookie lacks %s:\n%s", want, set)
		}
	}
	if strings.Contains(set, "Secure") {
		t.Errorf("Secure over plain HTTP:\n%s", set)
	}
	sess := br.cookie("pg_session")
	if sess == nil || strings.Contains(sess.Value, tokViewer) || len(sess.Value) < 40 {
		t.Fatalf("session cookie %+v", sess)
	}
	var staff, role string
	sum := sha256.Sum256([]byte(sess.Value))
	err := b.env.App.Pool.QueryRow(context.Background(), `SELECT staff, role FROM ui_sessions WHERE id_hash = $1`,
		sum[:]).Scan(&staff, &role)
	if err != nil || staff != "vera" || role != "viewer" {
		t.Fatalf("session row %q %q: %v", staff, role, err)
	}
	home := br.get("/ui/").expect(t, http.StatusOK, "vera", "(viewer)", "Sign out")
	home.lacks(t, tokViewer)
	if p := b.browser(t).login(tokViewer, "//evil.example/ui/"); p.header.Get("Location") != "/ui/" {
		t.Errorf("next //evil.example: Location %q", p.header.Get("Location"))
	}

	// Signing out takes the session's CSRF token and ends the session.
	br.post("/ui/logout", url.Values{}).expect(t, http.StatusForbidden, "did not come from this dashboard")
	p = br.post("/ui/logout", url.Values{"csrf": {home.csrf(t)}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/login" {
		t.Fatalf("sign-out: %d %q", p.status, p.header.Get("Location"))
	}
	var n int
	if err := b.env.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM ui_sessions WHERE id_hash = $1`,
		sum[:]).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the session survived sign-out: %d %v", n, err)
	}
	// The old cookie, replayed, is no session.
	replay := b.browser(t)
	u, _ := url.Parse(b.srv.URL + "/ui/")
	replay.jar.SetCookies(u, []*http.Cookie{{Name: "pg_session", Value: sess.Value, Path: "/ui"}})
	if p := replay.get("/ui/"); p.status != http.StatusSeeOther {
		t.Fatalf("a signed-out cookie still works: %d", p.status)
	}
}

func TestSessionExpires(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	br := b.browser(t)
	br.login(tokViewer, "/ui/").expect(t, http.StatusSeeOther)
	br.get("/ui/").expect(t, http.StatusOK)
	if _, err := b.env.App.Pool.Exec(context.Background(), `UPDATE ui_sessions SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if p := br.get("/ui/"); p.status != http.StatusSeeOther {
		t.Fatalf("an expired session still works: %d", p.status)
	}
}

func TestSecureCookieBehindTLSProxy(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	br := b.browser(t)
	form := br.get("/ui/login").expect(t, http.StatusOK)
	p := br.do(http.MethodPost, "/ui/login", url.Values{"csrf": {form.csrf(t)}, "token": {tokViewer}},
		map[string]string{"X-Forwarded-Proto": "https"})
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d", p.status)
	}
	for _, c := range p.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "pg_session=") && !strings.Contains(c, "Secure") {
			t.Errorf("no Secure flag behind https: %s", c)
		}
	}
}

func TestBearer(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	br := b.browser(t)
	br.auth = tokViewer
	br.get("/ui/").expect(t, http.StatusOK, "vera").lacks(t, "Sign out")
	br.auth = "nope"
	br.get("/ui/").expect(t, http.StatusUnauthorized, "not a staff token")
	br.auth = tokOddRole
	br.get("/ui/").expect(t, http.StatusForbidden, "may not use the dashboard")
	br.auth = tokOnboard
	// No CSRF token is needed with a Bearer header: browsers never add one
	// by themselves. The selection is empty, so nothing is done.
	p := br.post("/ui/exceptions", url.Values{"action": {"release"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("bearer POST: %d %s", p.status, p.body)
	}
}

func TestCSRFAndRoles(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.send(t, "acme-retail", "850-a.edi", order(t, 501, "PO-CSRF", "ACMERETAIL"))
	b.send(t, "acme-retail", "850-b.edi", order(t, 502, "PO-CSRF", "ACMERETAIL")) // held: same order again
	id := openHoldID(t, b)

	viewer := b.browser(t)
	viewer.login(tokViewer, "/ui/").expect(t, http.StatusSeeOther)
	q := viewer.get("/ui/exceptions").expect(t, http.StatusOK, "duplicate_document", "Your role may only look")
	if !strings.Contains(q.body, `value="release" class="release" disabled`) {
		t.Error("a viewer's Release button is not disabled")
	}
	viewer.post("/ui/exceptions", url.Values{"csrf": {q.csrf(t)}, "action": {"release"}, "id": {id}}).
		expect(t, http.StatusForbidden, "takes role onboarding")

	otto := b.browser(t)
	otto.login(tokOnboard, "/ui/").expect(t, http.StatusSeeOther)
	q = otto.get("/ui/exceptions").expect(t, http.StatusOK)
	q.lacks(t, `value="release" class="release" disabled`)
	form := url.Values{"action": {"release"}, "id": {id}}
	otto.post("/ui/exceptions", form).expect(t, http.StatusForbidden, "did not come from this dashboard")
	form.Set("csrf", viewer.get("/ui/exceptions").csrf(t)) // another session's token
	otto.post("/ui/exceptions", form).expect(t, http.StatusForbidden, "did not come from this dashboard")
	form.Set("csrf", q.csrf(t))
	otto.do(http.MethodPost, "/ui/exceptions", form, map[string]string{"Origin": "https://evil.example"}).
		expect(t, http.StatusForbidden, "another site")
	if got := openHoldID(t, b); got != id {
		t.Fatalf("a refused POST acted: open hold %q", got)
	}
	p := otto.post("/ui/exceptions", form)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/exceptions?status=open" {
		t.Fatalf("release: %d %q %s", p.status, p.header.Get("Location"), p.body)
	}
	otto.get("/ui/exceptions?status=all").expect(t, http.StatusOK, "Released 1 exception (#"+id+")", "Accepted 1 document",
		"by otto")
	// The flash is shown once.
	otto.get("/ui/exceptions").lacks(t, "Released 1 exception")
}

// openHoldID returns the ID of the one open hold exception, "" when none.
func openHoldID(t *testing.T, b *testBundle) string {
	t.Helper()
	var id string
	err := b.env.App.Pool.QueryRow(context.Background(),
		`SELECT coalesce(string_agg(id::text, ','), '') FROM exceptions WHERE status = 'open' AND action = 'hold'`).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestSignInLockout: 20 wrong tokens from one address lock it out; the
// right token then gets the form again with a 429, and no session.
func TestSignInLockout(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	br := b.browser(t)
	for i := range 20 {
		br.login(fmt.Sprintf("guess-%d", i), "/ui/").expect(t, http.StatusUnauthorized, "That is not a staff token.")
	}
	br.login(tokViewer, "/ui/").expect(t, http.StatusTooManyRequests, "Too many failed sign-ins")
	if br.cookie("pg_session") != nil {
		t.Fatal("a locked-out address got a session")
	}
}

// TestBearerLockout: unknown bearer tokens count against the address as
// failed sign-ins do.
func TestBearerLockout(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	br := b.browser(t)
	for i := range 20 {
		br.auth = fmt.Sprintf("guess-%d", i)
		br.get("/ui/").expect(t, http.StatusUnauthorized)
	}
	br.auth = tokViewer
	br.get("/ui/").expect(t, http.StatusTooManyRequests, "Too many unknown tokens")
}

// TestSessionEndsWithItsStaff: a session whose staff member is no longer
// configured, or has another role, ends at its next request.
func TestSessionEndsWithItsStaff(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	role := web.RoleViewer
	named := func(name string) (web.Staff, bool) {
		mu.Lock()
		defer mu.Unlock()
		return web.Staff{Name: name, Role: role}, name == "vera" && role != ""
	}
	b := setup(t, &setupOpts{staffNamed: named})
	br := b.browser(t)
	br.login(tokViewer, "/ui/").expect(t, http.StatusSeeOther)
	br.get("/ui/").expect(t, http.StatusOK)
	for _, r := range []web.Role{web.RoleAdmin, ""} {
		mu.Lock()
		role = r
		mu.Unlock()
		if p := br.get("/ui/"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/ui/login") {
			t.Fatalf("staff now %q: %d %q, want the sign-in form", r, p.status, p.header.Get("Location"))
		}
		mu.Lock()
		role = web.RoleViewer
		mu.Unlock()
		br.login(tokViewer, "/ui/").expect(t, http.StatusSeeOther)
	}
}
