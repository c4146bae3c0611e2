// Package web is the gateway's HTTP API: the REST endpoints under /api/v1
// for partners and staff, /healthz, /readyz and /metrics. Handlers decode a
// request, call the store, the ingest pipeline or the partner configuration,
// and encode the answer; they hold no business rules and never touch SQL.
//
// Every /api/v1 route but the OpenAPI document takes
// "Authorization: Bearer <secret>", where the secret is either a partner's
// API key or a staff token. The document at /api/v1/openapi.json describes
// every route.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/lockout"
	"github.com/partnergate/partnergate/gateway/review"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// Role is a staff role. Each role allows what the roles below it allow.
type Role string

// Staff roles, from the least to the most allowed.
const (
	// RoleViewer may read every staff endpoint.
	RoleViewer Role = "viewer"
	// RoleOnboarding may also reprocess files.
	RoleOnboarding Role = "onboarding"
	// RoleAdmin may do everything.
	RoleAdmin Role = "admin"
)

func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleOnboarding:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r.rank() > 0 }

// Allows reports whether r grants what need requires. An unknown role
// allows nothing and an unknown need is never granted.
func (r Role) Allows(need Role) bool {
	return r.Valid() && need.Valid() && r.rank() >= need.rank()
}

// Staff is a member of staff authenticated by a token.
type Staff struct {
	// Name identifies the member in logs, e.g. "ops".
	Name string
	// Role is RoleViewer, RoleOnboarding or RoleAdmin. Any other role is
	// allowed nothing.
	Role Role
}

// Deps is what New needs. Every field but Logger is required.
type Deps struct {
	// Store runs the gateway's statements.
	Store *store.Store
	// DB is what Store runs on: the pool.
	DB store.DB
	// Pipeline receives uploads and queues reprocessing.
	Pipeline *ingest.Pipeline
	// Partners is the partner configuration in force; partner API keys are
	// looked up in its current Set on every request.
	Partners *partners.Live
	// Staff returns the member of staff holding a bearer token, and false
	// when no one does. It is given the plain token and must compare in
	// constant time.
	Staff func(token string) (Staff, bool)
	// MaxUploadBytes bounds the body of POST /api/v1/inbound. Must be > 0.
	MaxUploadBytes int64
	// Gatherer is what /metrics serves.
	Gatherer prometheus.Gatherer
	// Registerer receives the HTTP and partner configuration metrics.
	Registerer prometheus.Registerer
	// Ready reports why the service cannot serve yet (database down or not
	// migrated), or nil; /readyz calls it.
	Ready func(ctx context.Context) error
	// Logger receives the access log and errors. Default slog.Default().
	Logger *slog.Logger
	// Deliveries retries deliveries; nil when no destination is
	// configured.
	Deliveries Deliveries
	// Reviewer acts on exceptions; when nil, the actions answer 409.
	Reviewer Reviewer
	// UI, when set, serves the dashboard under /ui (package
	// gateway/web/ui), behind the same request IDs, access log, metrics
	// and panic recovery as the API; it authenticates on its own.
	UI http.Handler
}

func (d *Deps) validate() error {
	var errs []error
	required := func(missing bool, field string) {
		if missing {
			errs = append(errs, errors.New("web: Deps."+field+" is required"))
		}
	}
	required(d.Store == nil, "Store")
	required(d.DB == nil, "DB")
	required(d.Pipeline == nil, "Pipeline")
	required(d.Partners == nil, "Partners")
	required(d.Staff == nil, "Staff")
	required(d.Gatherer == nil, "Gatherer")
	required(d.Registerer == nil, "Registerer")
	required(d.Ready == nil, "Ready")
	if d.MaxUploadBytes <= 0 {
		errs = append(errs, errors.New("web: Deps.MaxUploadBytes must be greater than 0"))
	}
	return errors.Join(errs...)
}

// api holds the handlers' dependencies.
type api struct {
	d   Deps
	log *slog.Logger
	// failures locks out addresses that present unknown secrets.
	failures *lockout.Limiter
}

// New checks d, registers the API's metrics on d.Registerer and returns the
// handler of every route. The handler is a chi router, so chi.Walk can list
// its routes (it implements chi.Routes).
func New(d Deps) (http.Handler, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	m, err := newHTTPMetrics(d.Registerer)
	if err != nil {
		return nil, err
	}
	if err := registerConfigMetrics(d.Registerer, d.Partners); err != nil {
		return nil, err
	}
	a := &api{d: d, log: d.Logger, failures: lockout.NewHTTP()}
	return a.routes(m), nil
}

func (a *api) routes(m *httpMetrics) *chi.Mux {
	r := chi.NewRouter()
	r.Use(a.limitBody, a.requestID, a.accessLog, m.middleware, a.recoverer)
	r.NotFound(a.notFound)
	r.MethodNotAllowed(a.methodNotAllowed)
	r.Get("/healthz", healthz)
	r.Get("/readyz", a.readyz)
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(a.d.Gatherer, promhttp.HandlerOpts{}))
	r.Get("/api/v1/openapi.json", openAPI)
	if a.d.UI != nil {
		r.Mount("/ui", a.d.UI)
	}
	r.Group(func(r chi.Router) {
		r.Use(a.authenticate)
		r.Get("/api/v1/files/{id}", a.serve(a.getFile))
		r.Group(a.partnerRoutes)
		r.Group(a.staffRoutes)
	})
	return r
}

func (a *api) partnerRoutes(r chi.Router) {
	r.Use(a.partnerOnly)
	r.Post("/api/v1/inbound", a.serve(a.inbound))
	r.Get("/api/v1/outbox", a.serve(a.listOutbox))
	r.Get("/api/v1/outbox/{id}", a.serve(a.getOutbox))
	r.Delete("/api/v1/outbox/{id}", a.serve(a.pickUp))
}

func (a *api) staffRoutes(r chi.Router) {
	r.Use(a.staffOnly(RoleViewer))
	r.Get("/api/v1/files", a.serve(a.listFiles))
	r.Get("/api/v1/files/{id}/raw", a.serve(a.rawFile))
	r.With(a.staffOnly(RoleOnboarding)).Post("/api/v1/files/{id}/reprocess", a.serve(a.reprocess))
	r.Get("/api/v1/documents", a.serve(a.listDocuments))
	r.Get("/api/v1/documents/{id}", a.serve(a.getDocument))
	r.Get("/api/v1/partners", a.serve(a.listPartners))
	r.Get("/api/v1/partners/{id}", a.serve(a.getPartner))
	r.Get("/api/v1/partners/{id}/scorecard", a.serve(a.getScorecard))
	r.Get("/api/v1/scorecards", a.serve(a.listScorecards))
	r.Get("/api/v1/deliveries", a.serve(a.listDeliveries))
	r.Get("/api/v1/deliveries/{id}", a.serve(a.getDelivery))
	r.With(a.staffOnly(RoleOnboarding)).Post("/api/v1/deliveries/retry", a.serve(a.retryDeliveries))
	r.With(a.staffOnly(RoleOnboarding)).Post("/api/v1/deliveries/{id}/retry", a.serve(a.retryDelivery))
	r.Get("/api/v1/exceptions", a.serve(a.listExceptions))
	r.Get("/api/v1/exceptions/{id}", a.serve(a.getException))
	for _, action := range review.Actions {
		r.With(a.staffOnly(RoleOnboarding)).Post("/api/v1/exceptions/"+string(action), a.serve(a.actOnExceptions(action)))
		r.With(a.staffOnly(RoleOnboarding)).Post("/api/v1/exceptions/{id}/"+string(action), a.serve(a.actOnException(action)))
	}
}
