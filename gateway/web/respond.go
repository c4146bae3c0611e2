package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/partnergate/partnergate/gateway/store"
)

// Error codes of the JSON error body.
const (
	codeNotFound         = "not_found"
	codeUnauthorized     = "unauthorized"
	codeForbidden        = "forbidden"
	codeBadRequest       = "bad_request"
	codeTooLarge         = "too_large"
	codeInternal         = "internal"
	codeMethodNotAllowed = "method_not_allowed"
	codeTooManyFailures  = "too_many_failures"
)

// endpoint is a handler that does not touch the ResponseWriter: it returns
// what to send, and serve sends it.
type endpoint func(r *http.Request) (*result, error)

// result is an endpoint's answer: a JSON body, or a download, or nothing.
type result struct {
	status   int
	body     any
	download *download
	header   http.Header
}

// download is a response of bytes rather than JSON.
type download struct {
	contentType string
	filename    string
	size        int64
	body        io.Reader
}

func ok(body any) *result { return &result{status: http.StatusOK, body: body} }

// apiError is an error the client is told about as it is.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, code: codeBadRequest, msg: fmt.Sprintf(format, args...)}
}

func forbidden(format string, args ...any) error {
	return &apiError{status: http.StatusForbidden, code: codeForbidden, msg: fmt.Sprintf(format, args...)}
}

func tooLarge(format string, args ...any) error {
	return &apiError{status: http.StatusRequestEntityTooLarge, code: codeTooLarge, msg: fmt.Sprintf(format, args...)}
}

// orNotFound turns store.ErrNotFound into a 404 naming what was asked for.
func orNotFound(err error, what string, id int64) error {
	if errors.Is(err, store.ErrNotFound) {
		return &apiError{status: http.StatusNotFound, code: codeNotFound, msg: fmt.Sprintf("%s %d not found", what, id)}
	}
	return err
}

// serve adapts an endpoint to a http.HandlerFunc.
func (a *api) serve(e endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		res, err := e(r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		for k, v := range res.header {
			w.Header()[k] = v
		}
		if res.download != nil {
			a.sendDownload(w, r, res.status, res.download)
			return
		}
		writeJSON(w, res.status, res.body)
	}
}

// fail sends err to the client: an *apiError as it is, anything else as a
// generic internal error whose detail goes to the log only.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		writeError(w, ae)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, &apiError{status: http.StatusNotFound, code: codeNotFound, msg: "not found"})
		return
	}
	level := slog.LevelError
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		level = slog.LevelInfo // the client went away
	}
	a.log.Log(r.Context(), level, "request failed", "request_id", RequestIDFrom(r.Context()),
		"method", r.Method, "route", routePattern(r), "error", err.Error())
	writeError(w, &apiError{status: http.StatusInternalServerError, code: codeInternal,
		msg: "internal error; quote request ID " + RequestIDFrom(r.Context()) + " to the operators"})
}

func (a *api) sendDownload(w http.ResponseWriter, r *http.Request, status int, d *download) {
	h := w.Header()
	h.Set("Content-Type", d.contentType)
	h.Set("Content-Length", strconv.FormatInt(d.size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", attachment(d.filename))
	w.WriteHeader(status)
	if _, err := io.Copy(w, d.body); err != nil {
		// The status is sent; all that can be done is to log and cut the response short.
		a.log.WarnContext(r.Context(), "download cut short", "request_id", RequestIDFrom(r.Context()),
			"route", routePattern(r), "error", err.Error())
	}
}

// attachment returns a Content-Disposition that saves the response as filename.
func attachment(filename string) string {
	if filename == "" {
		return "attachment"
	}
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": filename}); v != "" {
		return v
	}
	return "attachment"
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, errorBody{Error: errorDetail{Code: e.code, Message: e.msg}})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	b, err := json.Marshal(body)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"the response could not be encoded"}}`)
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func (a *api) notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, &apiError{status: http.StatusNotFound, code: codeNotFound, msg: "no such route: " + r.URL.Path})
}

func (a *api) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: codeMethodNotAllowed,
		msg: r.Method + " is not allowed on " + r.URL.Path})
}

// routePattern returns the chi pattern a request matched, or "" before
// routing or when none did.
func routePattern(r *http.Request) string {
	return chi.RouteContext(r.Context()).RoutePattern()
}

// pathID reads the {id} URL parameter, a positive integer.
func pathID(r *http.Request) (int64, error) {
	s := chi.URLParam(r, "id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest("id: want a positive integer, got %.40q", s)
	}
	return id, nil
}

// nonNil returns s, or an empty slice when s is nil, so that JSON says [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
