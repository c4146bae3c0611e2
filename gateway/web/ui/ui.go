// Package ui is the gateway's dashboard for managers and staff under /ui/:
// the partners' scorecards, one partner's record and channel health, the
// exception queue with its actions, a file shown segment by segment with its
// findings, and the lifecycle of an order across documents. Pages are
// rendered on the server with html/template, charts are inline SVG, and
// every page works without JavaScript.
//
// Staff sign in with the token they use on the API (or send it in an
// "Authorization: Bearer" header on each request); see session.go for the
// session cookie and the CSRF token of the forms. Viewers see everything;
// releasing, rejecting and resolving exceptions takes the onboarding role or
// above.
package ui

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/partnergate/partnergate/gateway/lockout"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/gateway/web"
	"github.com/partnergate/partnergate/partners"
)

//go:embed templates/*.html
var templateFS embed.FS

// Deps is what New needs. Store, DB, Partners and Staff are required.
type Deps struct {
	// Store runs the statements and DB is what they run on: the pool.
	Store *store.Store
	DB    store.DB
	// Partners is the partner configuration in force.
	Partners *partners.Live
	// Staff returns the member of staff holding a token, as for the API.
	Staff func(token string) (web.Staff, bool)
	// StaffNamed, when set, returns the member of staff of a name; a
	// session whose staff is gone or has another role ends.
	StaffNamed func(name string) (web.Staff, bool)
	// Reviewer acts on exceptions; when nil, the queue's buttons are
	// disabled and its actions answer 409.
	Reviewer web.Reviewer
	// Logger receives errors. Default slog.Default().
	Logger *slog.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// SessionTTL is how long a sign-in lasts. Default 12 hours.
	SessionTTL time.Duration
	// SecureCookies sets the Secure flag on the cookies even when a request
	// came without TLS, for a gateway behind a proxy that terminates TLS.
	// Requests that came over TLS always get it.
	SecureCookies bool
	// MaxRawBytes bounds the bytes of a file its page shows. Default 1 MiB.
	MaxRawBytes int64
}

func (d *Deps) validate() error {
	var errs []error
	for _, c := range []struct {
		missing bool
		field   string
	}{{d.Store == nil, "Store"}, {d.DB == nil, "DB"}, {d.Partners == nil, "Partners"}, {d.Staff == nil, "Staff"}} {
		if c.missing {
			errs = append(errs, errors.New("ui: Deps."+c.field+" is required"))
		}
	}
	if d.SessionTTL < 0 || d.MaxRawBytes < 0 {
		errs = append(errs, errors.New("ui: Deps.SessionTTL and Deps.MaxRawBytes must not be negative"))
	}
	return errors.Join(errs...)
}

// dash holds the handlers' dependencies and the parsed pages.
type dash struct {
	d     Deps
	log   *slog.Logger
	pages map[string]*template.Template
	// failures locks out addresses that try unknown tokens.
	failures *lockout.Limiter
}

// New checks d and returns the dashboard's handler. Its paths are relative
// to where it is mounted, /ui: mount it with chi's Mount("/ui", h), as
// web.Deps.UI does.
func New(d Deps) (http.Handler, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.SessionTTL == 0 {
		d.SessionTTL = 12 * time.Hour
	}
	if d.MaxRawBytes == 0 {
		d.MaxRawBytes = 1 << 20
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	h := &dash{d: d, log: d.Logger, pages: pages, failures: lockout.NewHTTP()}
	return h.routes(), nil
}

func (h *dash) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(securityHeaders)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, &pageError{status: http.StatusNotFound, msg: "There is no page at " + r.URL.Path + "."})
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, &pageError{status: http.StatusMethodNotAllowed, msg: r.Method + " is not allowed here."})
	})
	r.Get("/login", h.loginForm)
	r.Post("/login", h.login)
	r.Group(func(r chi.Router) {
		r.Use(h.authenticate)
		r.Post("/logout", h.logout)
		r.Get("/", h.page(h.overview))
		r.Get("/partners/{id}", h.page(h.partner))
		r.Get("/exceptions", h.page(h.exceptions))
		r.With(h.require(web.RoleOnboarding)).Post("/exceptions", h.act)
		r.Get("/files/{id}", h.page(h.file))
		r.Get("/files/{id}/raw", h.raw)
		r.Get("/search", h.page(h.search))
	})
	return r
}

// securityHeaders keeps pages out of caches and frames and allows no
// script at all.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Cache-Control", "no-store")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

// view is what a page handler returns: the template and its data.
type view struct {
	name  string
	title string
	data  any
}

// pageFunc is a page handler that does not touch the ResponseWriter.
type pageFunc func(r *http.Request) (*view, error)

// pageError is an error the reader is shown as it is.
type pageError struct {
	status int
	msg    string
}

func (e *pageError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &pageError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &pageError{status: http.StatusNotFound, msg: fmt.Sprintf(format, args...)}
}

// layoutData is what the layout reads around every page.
type layoutData struct {
	Title string
	Staff web.Staff
	// CSRF is the session's form token; "" for a request made with a
	// Bearer header, whose forms need none.
	CSRF  string
	Flash *flash
	Now   time.Time
	Page  any
	// Nav is the section to mark as current.
	Nav string
}

func (h *dash) page(fn pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, http.StatusOK, v)
	}
}

// render executes a page into a buffer first, so that a failing template
// sends an error page rather than half a page.
func (h *dash) render(w http.ResponseWriter, r *http.Request, status int, v *view) {
	t := h.pages[v.name]
	if t == nil {
		h.log.ErrorContext(r.Context(), "dashboard: no such page template", "page", v.name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s := sessionFrom(r.Context())
	ld := layoutData{Title: v.title, Staff: s.staff, CSRF: s.csrf, Now: h.d.Now(), Page: v.data, Nav: v.name}
	if status == http.StatusOK {
		ld.Flash = takeFlash(w, r, h.secure(r))
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", ld); err != nil {
		h.log.ErrorContext(r.Context(), "dashboard: rendering a page", "page", v.name, "error", err.Error(),
			"request_id", web.RequestIDFrom(r.Context()))
		http.Error(w, "internal error; quote request ID "+web.RequestIDFrom(r.Context())+" to the operators",
			http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows err: a *pageError as it is, anything else as an internal
// error whose detail goes to the log only.
func (h *dash) fail(w http.ResponseWriter, r *http.Request, err error) {
	var pe *pageError
	if !errors.As(err, &pe) {
		level := slog.LevelError
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			level = slog.LevelInfo
		}
		h.log.Log(r.Context(), level, "dashboard request failed", "request_id", web.RequestIDFrom(r.Context()),
			"method", r.Method, "path", r.URL.Path, "error", err.Error())
		pe = &pageError{status: http.StatusInternalServerError,
			msg: "Something went wrong; quote request ID " + web.RequestIDFrom(r.Context()) + " to the operators."}
	}
	h.render(w, r, pe.status, &view{name: "error", title: http.StatusText(pe.status),
		data: struct {
			Status  int
			Message string
		}{pe.status, pe.msg}})
}

// pageNames are the templates of templates/, each rendered inside
// layout.html.
var pageNames = []string{"login", "error", "overview", "partner", "exceptions", "file", "search"}

func parsePages() (map[string]*template.Template, error) {
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(sub, "layout.html", name+".html")
		if err != nil {
			return nil, fmt.Errorf("ui: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}
