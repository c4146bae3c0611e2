package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	callerKey
	partnerKey
	staffKey
)

// RequestIDFrom returns the ID of the request ctx belongs to, or "" outside
// the API's handlers.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// limitBody bounds every request body to MaxUploadBytes. It comes first,
// on the server's own ResponseWriter, so that a body over the limit also
// makes the server close the connection after answering.
func (a *api) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, a.d.MaxUploadBytes)
		next.ServeHTTP(w, r)
	})
}

// requestID gives each request an ID: the client's X-Request-ID when it is
// a short token, else a new random one. It is sent back in X-Request-ID.
func (a *api) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validRequestID(id) {
			id = rand.Text()
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// caller is who made a request, filled in by authenticate for the access
// log, which runs before it.
type caller struct {
	kind string // "partner" or "staff"
	name string
}

func noteCaller(ctx context.Context, kind, name string) {
	if c, ok := ctx.Value(callerKey).(*caller); ok {
		c.kind, c.name = kind, name
	}
}

// accessLog logs one line per request: method, route pattern, status,
// duration, and the partner or staff member who made it. It never logs
// headers, so never a secret.
func (a *api) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		who := &caller{}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), callerKey, who)))
		attrs := []slog.Attr{
			slog.String("request_id", RequestIDFrom(r.Context())),
			slog.String("method", r.Method),
			slog.String("route", routePattern(r)),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.Status()),
			slog.Duration("duration", time.Since(start)),
			slog.Int64("bytes", rec.bytes),
		}
		if who.kind != "" {
			attrs = append(attrs, slog.String(who.kind, who.name))
		}
		a.log.LogAttrs(r.Context(), accessLevel(r), "http request", attrs...)
	})
}

// accessLevel keeps probes and scrapes out of the default log.
func accessLevel(r *http.Request) slog.Level {
	switch r.URL.Path {
	case "/healthz", "/readyz", "/metrics":
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// recoverer turns a panic into a logged error and a JSON 500, when nothing
// was sent yet.
func (a *api) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.log.ErrorContext(r.Context(), "panic serving a request", "request_id", RequestIDFrom(r.Context()),
				"method", r.Method, "route", routePattern(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if rec.status == 0 {
				writeError(rec, &apiError{status: http.StatusInternalServerError, code: codeInternal,
					msg: "internal error; quote request ID " + RequestIDFrom(r.Context()) + " to the operators"})
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 && code >= 200 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Status returns the status sent, 200 when the handler sent nothing.
func (s *statusRecorder) Status() int {
	if s.status == 0 {
		return http.StatusOK
	}
	return s.status
}

// httpMetrics counts requests by route pattern, method and status, and
// times them by route pattern and method.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) (*httpMetrics, error) {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "partnergate_http_requests_total",
			Help: "HTTP requests served, by route pattern, method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "partnergate_http_request_duration_seconds",
			Help: "Time to serve HTTP requests, by route pattern and method.", Buckets: prometheus.DefBuckets},
			[]string{"route", "method"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("web: registering the HTTP metrics: %w", err)
		}
	}
	return m, nil
}

func (m *httpMetrics) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		route := routePattern(r)
		if route == "" {
			route = "unmatched"
		}
		method := metricMethod(r.Method)
		m.requests.WithLabelValues(route, method, strconv.Itoa(rec.Status())).Inc()
		m.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
	})
}

// metricMethod bounds the method label to the standard methods.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}
