package ui

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/partnergate/partnergate/gateway/lockout"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/gateway/web"
)

// Sessions. Signing in posts the staff token once; the dashboard checks it
// with Deps.Staff and answers with a session cookie holding 32 random bytes.
// The database keeps the SHA-256 of those bytes, the member's name and role,
// the session's CSRF token and its expiry (store.UISession), so every
// gateway node knows every session and signing out ends it everywhere. The
// token itself is never stored or put in a cookie.
//
// Every POST form carries the session's CSRF token in a hidden field,
// compared in constant time; the sign-in form, before there is a session,
// carries a random value that must match a short-lived cookie (a double
// submit). POSTs must also come from the dashboard's own origin when the
// browser says where they came from. A request with "Authorization: Bearer"
// instead of a cookie is checked on its own and needs no CSRF token, since a
// browser never adds that header by itself.
const (
	sessionCookie = "pg_session"
	loginCookie   = "pg_login"
	flashCookie   = "pg_flash"
	cookiePath    = "/ui"
	csrfField     = "csrf"
)

// session is who is making a request.
type session struct {
	staff web.Staff
	// csrf is the token the session's forms carry; "" for a Bearer request.
	csrf string
	// idHash identifies a cookie session; nil for a Bearer request.
	idHash []byte
}

type ctxKey struct{}

func sessionFrom(ctx context.Context) *session {
	if s, ok := ctx.Value(ctxKey{}).(*session); ok {
		return s
	}
	return &session{}
}

// secure reports whether cookies get the Secure flag: over TLS, behind a
// proxy that says the browser used https, or when Deps.SecureCookies says
// so.
func (h *dash) secure(r *http.Request) bool {
	return r.TLS != nil || h.d.SecureCookies || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func randomToken() string { return base64.RawURLEncoding.EncodeToString(randomBytes(32)) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails; see crypto/rand.Read
	return b
}

func hashID(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:]
}

func equalTokens(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// authenticate finds who makes the request, from a Bearer header or the
// session cookie. A GET without either is sent to the sign-in form; other
// requests get 401. POSTs with a cookie must carry the session's CSRF token.
func (h *dash) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := h.identify(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if s == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/ui/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			h.fail(w, r, &pageError{status: http.StatusUnauthorized, msg: "Sign in first."})
			return
		}
		if !s.staff.Role.Allows(web.RoleViewer) {
			h.fail(w, r, &pageError{status: http.StatusForbidden,
				msg: "Your role " + string(s.staff.Role) + " may not use the dashboard."})
			return
		}
		ctx := context.WithValue(r.Context(), ctxKey{}, s)
		if r.Method == http.MethodPost && s.idHash != nil {
			if err := checkPost(r, s.csrf); err != nil {
				h.fail(w, r.WithContext(ctx), err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// identify returns the session of r, nil when it has none.
func (h *dash) identify(r *http.Request) (*session, error) {
	if v := r.Header.Get("Authorization"); v != "" {
		scheme, token, _ := strings.Cut(v, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return nil, &pageError{status: http.StatusUnauthorized, msg: "The Authorization header must be Bearer <staff token>."}
		}
		client, now := lockout.ClientKey(r), time.Now()
		if h.failures.Blocked(now, client) {
			return nil, &pageError{status: http.StatusTooManyRequests, msg: "Too many unknown tokens from your address; try again in a few minutes."}
		}
		st, ok := h.d.Staff(token)
		if !ok {
			h.failures.Fail(now, client)
			return nil, &pageError{status: http.StatusUnauthorized, msg: "The bearer token is not a staff token."}
		}
		return &session{staff: st}, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 64 {
		return nil, nil
	}
	idHash := hashID(c.Value)
	u, err := h.d.Store.UISessionByHash(r.Context(), h.d.DB, idHash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil // expired or signed out
	}
	if err != nil {
		return nil, err
	}
	st := web.Staff{Name: u.Staff, Role: web.Role(u.Role)}
	if h.d.StaffNamed != nil {
		if now, ok := h.d.StaffNamed(st.Name); !ok || now.Role != st.Role {
			// The token was removed or its role changed since sign-in.
			return nil, h.d.Store.DeleteUISession(r.Context(), h.d.DB, idHash)
		}
	}
	return &session{staff: st, csrf: u.CSRF, idHash: idHash}, nil
}

// checkPost checks that a cookie-authenticated form came from the
// dashboard: its CSRF field matches want, and its Origin, when the browser
// sent one, is this host.
func checkPost(r *http.Request, want string) error {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return &pageError{status: http.StatusForbidden, msg: "The form was sent from another site."}
		}
	}
	if !equalTokens(r.PostFormValue(csrfField), want) {
		return &pageError{status: http.StatusForbidden,
			msg: "The form has expired or did not come from this dashboard; reload the page and try again."}
	}
	return nil
}

// require lets only staff with at least role least through.
func (h *dash) require(least web.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := sessionFrom(r.Context())
			if !s.staff.Role.Allows(least) {
				h.fail(w, r, &pageError{status: http.StatusForbidden,
					msg: "Your role " + string(s.staff.Role) + " may not do this; it takes role " + string(least) + " or above."})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

type loginPage struct {
	Next  string
	Nonce string
	Error string
}

// loginForm is GET /ui/login.
func (h *dash) loginForm(w http.ResponseWriter, r *http.Request) {
	h.showLogin(w, r, http.StatusOK, "")
}

func (h *dash) showLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	nonce := randomToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: nonce, Path: cookiePath, MaxAge: 3600, HttpOnly: true,
		Secure: h.secure(r), SameSite: http.SameSiteStrictMode})
	h.render(w, r, status, &view{name: "login", title: "Sign in",
		data: loginPage{Next: safeNext(r.FormValue("next")), Nonce: nonce, Error: msg}})
}

// safeNext returns where to go after signing in: a dashboard path, never
// another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/ui/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/ui/"
	}
	return next
}

// login is POST /ui/login: token → session.
func (h *dash) login(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(loginCookie)
	if err != nil || checkPost(r, c.Value) != nil {
		h.showLogin(w, r, http.StatusForbidden, "The sign-in form expired; please try again.")
		return
	}
	client, now := lockout.ClientKey(r), time.Now()
	if h.failures.Blocked(now, client) {
		h.showLogin(w, r, http.StatusTooManyRequests, "Too many failed sign-ins from your address; try again in a few minutes.")
		return
	}
	token := strings.TrimSpace(r.PostFormValue("token"))
	st, ok := h.d.Staff(token)
	if token == "" || !ok {
		if h.failures.Fail(now, client) {
			h.log.WarnContext(r.Context(), "address locked out after failed dashboard sign-ins", "client", client)
		}
		h.showLogin(w, r, http.StatusUnauthorized, "That is not a staff token.")
		return
	}
	if !st.Role.Allows(web.RoleViewer) {
		h.showLogin(w, r, http.StatusForbidden, "Your role "+string(st.Role)+" may not use the dashboard.")
		return
	}
	id := randomToken()
	now = h.d.Store.Now()
	u := &store.UISession{IDHash: hashID(id), Staff: st.Name, Role: string(st.Role), CSRF: randomToken(),
		CreatedAt: now, ExpiresAt: now.Add(h.d.SessionTTL)}
	if err := h.d.Store.CreateUISession(r.Context(), h.d.DB, u); err != nil {
		h.fail(w, r, err)
		return
	}
	secure := h.secure(r)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: cookiePath, Expires: u.ExpiresAt,
		MaxAge: int(h.d.SessionTTL / time.Second), HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Path: cookiePath, MaxAge: -1, HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteStrictMode})
	h.log.InfoContext(r.Context(), "dashboard sign-in", "staff", st.Name, "role", string(st.Role),
		"request_id", web.RequestIDFrom(r.Context()))
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// logout is POST /ui/logout: the session ends here and on every node.
func (h *dash) logout(w http.ResponseWriter, r *http.Request) {
	s := sessionFrom(r.Context())
	if s.idHash != nil {
		if err := h.d.Store.DeleteUISession(r.Context(), h.d.DB, s.idHash); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: cookiePath, MaxAge: -1, HttpOnly: true,
		Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/ui/login", http.StatusSeeOther)
}

// flash is a one-time message shown on the page after a POST.
type flash struct {
	Error bool
	Text  string
}

// setFlash keeps a message for the next page in a cookie of a minute. The
// cookie is HttpOnly and SameSite=Strict; what it says is shown as text.
func setFlash(w http.ResponseWriter, secure bool, f flash) {
	kind := "ok"
	if f.Error {
		kind = "error"
	}
	v := base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + truncate(f.Text, 2000)))
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: v, Path: cookiePath, MaxAge: 60, HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteStrictMode})
}

// takeFlash reads and clears the flash message.
func takeFlash(w http.ResponseWriter, r *http.Request, secure bool) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: cookiePath, MaxAge: -1, HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteStrictMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	kind, text, _ := strings.Cut(string(b), ":")
	return &flash{Error: kind == "error", Text: text}
}
