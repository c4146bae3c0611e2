package outbound_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnergate/partnergate/outbound"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		want   outbound.Outcome
	}{
		{0, outbound.Retry}, {100, outbound.Retry}, {199, outbound.Retry},
		{200, outbound.Delivered}, {201, outbound.Delivered}, {202, outbound.Delivered},
		{204, outbound.Delivered}, {299, outbound.Delivered},
		{300, outbound.Retry}, {301, outbound.Retry}, {302, outbound.Retry}, {304, outbound.Retry},
		{307, outbound.Retry}, {308, outbound.Retry},
		{400, outbound.Rejected}, {401, outbound.Rejected}, {403, outbound.Rejected}, {404, outbound.Rejected},
		{408, outbound.Retry}, {409, outbound.Rejected}, {413, outbound.Rejected}, {422, outbound.Rejected},
		{429, outbound.Retry}, {499, outbound.Rejected},
		{500, outbound.Retry}, {502, outbound.Retry}, {503, outbound.Retry}, {504, outbound.Retry}, {599, outbound.Retry},
	}
	for _, tt := range tests {
		if got := outbound.Classify(tt.status); got != tt.want {
			t.Errorf("Classify(%d) = %v, want %v", tt.status, got, tt.want)
		}
	}
	for o, want := range map[outbound.Outcome]string{outbound.Retry: "retry", outbound.Delivered: "delivered", outbound.Rejected: "rejected"} {
		if o.String() != want {
			t.Errorf("Outcome %d String %q, want %q", int(o), o.String(), want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	date := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name, value string
		want        time.Duration
	}{
		{"absent", "", 0},
		{"blank", "   ", 0},
		{"seconds", "120", 2 * time.Minute},
		{"seconds with spaces", " 7 ", 7 * time.Second},
		{"zero", "0", 0},
		{"negative", "-5", 0},
		{"fraction", "1.5", 0},
		{"garbage", "soon", 0},
		{"seconds and garbage", "10 seconds", 0},
		{"an hour", "3600", time.Hour},
		{"over an hour", "3601", time.Hour},
		{"a year", "31536000", time.Hour},
		{"beyond int64", "99999999999999999999999", time.Hour},
		{"below int64", "-99999999999999999999999", 0},
		{"HTTP date", date(90 * time.Second), 90 * time.Second},
		{"HTTP date in the past", date(-time.Minute), 0},
		{"HTTP date now", date(0), 0},
		{"HTTP date in two hours", date(2 * time.Hour), time.Hour},
		{"RFC 850 date", now.Add(30 * time.Second).Format(time.RFC850), 30 * time.Second},
		{"ANSI C date", now.Add(45 * time.Second).Format(time.ANSIC), 45 * time.Second},
		{"ISO date", now.Add(time.Minute).Format(time.RFC3339), 0},
	}
	for _, tt := range tests {
		if got := outbound.RetryAfter(tt.value, now); got != tt.want {
			t.Errorf("%s: RetryAfter(%q) = %v, want %v", tt.name, tt.value, got, tt.want)
		}
	}
}

// recorded is what a test server saw of one request.
type recorded struct {
	method, path string
	header       http.Header
	body         []byte
}

// recorder is an httptest server that records each request and answers
// with answer.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

func newRecorder(t *testing.T, answer http.HandlerFunc) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, recorded{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: body})
		rec.mu.Unlock()
		answer(w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (rec *recorder) requests() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.reqs...)
}

// destination returns a validated destination at base, the server's URL
// with path appended.
func destination(t *testing.T, base string, auth outbound.Auth) *outbound.Destination {
	t.Helper()
	d := &outbound.Destination{Name: "erp", URL: mustURL(t, base), Auth: auth}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	return d
}

func request(d *outbound.Destination, body string) *outbound.Request {
	return &outbound.Request{
		Destination:    d,
		Path:           "/orders",
		IdempotencyKey: "doc-42-erp",
		Header: http.Header{
			outbound.HeaderPartner:  {"acme-retail"},
			outbound.HeaderFile:     {"17"},
			outbound.HeaderDocument: {"42"},
			outbound.HeaderDelivery: {"99"},
		},
		Body: []byte(body),
	}
}

func TestPost(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":"SO-1"}`)
	})
	d := destination(t, srv.URL+"/api/v1", outbound.Auth{})
	const body = `{"purchase_order_number":"4500012345"}`
	res := outbound.NewClient(4).Post(context.Background(), request(d, body))
	if res.Outcome != outbound.Delivered || res.StatusCode != http.StatusCreated || res.Err != nil ||
		string(res.Answer) != `{"id":"SO-1"}` || res.RetryAfter != 0 {
		t.Errorf("result %+v, want delivered with 201 and the answer", res)
	}
	if res.Latency <= 0 {
		t.Errorf("latency %v, want more than 0", res.Latency)
	}
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.method != http.MethodPost || r.path != "/api/v1/orders" || string(r.body) != body {
		t.Errorf("request %s %s %s, want POST /api/v1/orders %s", r.method, r.path, r.body, body)
	}
	for name, want := range map[string]string{
		"Content-Type":             "application/json",
		"Idempotency-Key":          "doc-42-erp",
		outbound.HeaderPartner:     "acme-retail",
		outbound.HeaderFile:        "17",
		outbound.HeaderDocument:    "42",
		outbound.HeaderDelivery:    "99",
		"Authorization":            "",
		outbound.DefaultHMACHeader: "",
	} {
		if got := r.header.Get(name); got != want {
			t.Errorf("header %s: %q, want %q", name, got, want)
		}
	}
}

func TestPostJoinsPaths(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	tests := []struct{ base, path, want string }{
		{"", "/orders", "/orders"},
		{"/", "/orders", "/orders"},
		{"/erp", "/orders", "/erp/orders"},
		{"/erp/", "/orders", "/erp/orders"},
		{"/erp/api/v2", "/shipping-orders", "/erp/api/v2/shipping-orders"},
		{"/erp", "/", "/erp/"},
	}
	c := outbound.NewClient(1)
	for i, tt := range tests {
		req := request(destination(t, srv.URL+tt.base, outbound.Auth{}), "{}")
		req.Path = tt.path
		if res := c.Post(context.Background(), req); res.Outcome != outbound.Delivered {
			t.Fatalf("%s + %s: %+v", tt.base, tt.path, res)
		}
		if got := srv.requests()[i].path; got != tt.want {
			t.Errorf("base %q + path %q went to %q, want %q", tt.base, tt.path, got, tt.want)
		}
	}
}

func TestPostAuth(t *testing.T) {
	t.Parallel()
	cred := outbound.NewCredential
	const body = `{"shipment_id":"ASN-7"}`
	sign := func(secret string) string {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(body))
		return "sha256=" + hex.EncodeToString(m.Sum(nil))
	}
	tests := []struct {
		name  string
		auth  outbound.Auth
		check func(t *testing.T, h http.Header)
	}{
		{"bearer", outbound.Auth{Bearer: cred("erp-token")}, func(t *testing.T, h http.Header) {
			if got := h.Get("Authorization"); got != "Bearer erp-token" {
				t.Errorf("Authorization %q", got)
			}
		}},
		{"basic", outbound.Auth{BasicUser: "gateway", BasicPassword: cred("pa:ss word")}, func(t *testing.T, h http.Header) {
			r := &http.Request{Header: h}
			if u, p, ok := r.BasicAuth(); !ok || u != "gateway" || p != "pa:ss word" {
				t.Errorf("basic auth %q %q %v", u, p, ok)
			}
		}},
		{"hmac", outbound.Auth{HMACSecret: cred("shared-secret")}, func(t *testing.T, h http.Header) {
			got := h.Get(outbound.DefaultHMACHeader)
			if !hmac.Equal([]byte(got), []byte(sign("shared-secret"))) {
				t.Errorf("%s %q, want the HMAC-SHA256 of the body", outbound.DefaultHMACHeader, got)
			}
			if hmac.Equal([]byte(got), []byte(sign("other-secret"))) {
				t.Errorf("the signature does not depend on the secret")
			}
			if h.Get("Authorization") != "" {
				t.Errorf("Authorization %q sent with hmac", h.Get("Authorization"))
			}
		}},
		{"hmac in its own header", outbound.Auth{HMACSecret: cred("shared-secret"), HMACHeader: "X-Hub-Signature-256"},
			func(t *testing.T, h http.Header) {
				if got := h.Get("X-Hub-Signature-256"); !hmac.Equal([]byte(got), []byte(sign("shared-secret"))) {
					t.Errorf("X-Hub-Signature-256 %q, want the HMAC-SHA256 of the body", got)
				}
				if h.Get(outbound.DefaultHMACHeader) != "" {
					t.Errorf("the default header is sent too")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
			res := outbound.NewClient(1).Post(context.Background(), request(destination(t, srv.URL, tt.auth), body))
			if res.Outcome != outbound.Delivered {
				t.Fatalf("result %+v", res)
			}
			tt.check(t, srv.requests()[0].header)
		})
	}
	if got := outbound.Signature(cred("shared-secret"), []byte(body)); got != sign("shared-secret") {
		t.Errorf("Signature = %q, want %q", got, sign("shared-secret"))
	}
}

func TestPostAnswers(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("0123456789abcdef"), 6<<10) // 96 KiB
	tests := []struct {
		name           string
		status         int
		header         map[string]string
		answer         []byte
		want           outbound.Outcome
		wantRetryAfter time.Duration
		wantAnswer     []byte
	}{
		{name: "rejected", status: 422, answer: []byte(`{"error":"unknown SKU"}`), want: outbound.Rejected,
			wantAnswer: []byte(`{"error":"unknown SKU"}`)},
		{name: "long rejection is cut at 16 KiB", status: 400, answer: big, want: outbound.Rejected, wantAnswer: big[:16<<10]},
		{name: "long success is cut at 16 KiB", status: 200, answer: big, want: outbound.Delivered, wantAnswer: big[:16<<10]},
		{name: "429 with Retry-After", status: 429, header: map[string]string{"Retry-After": "7"}, want: outbound.Retry,
			wantRetryAfter: 7 * time.Second},
		{name: "503 with Retry-After", status: 503, header: map[string]string{"Retry-After": "30"}, want: outbound.Retry,
			wantRetryAfter: 30 * time.Second},
		{name: "503 with a huge Retry-After", status: 503, header: map[string]string{"Retry-After": "86400"},
			want: outbound.Retry, wantRetryAfter: time.Hour},
		{name: "429 without Retry-After", status: 429, want: outbound.Retry},
		{name: "500 ignores Retry-After", status: 500, header: map[string]string{"Retry-After": "30"}, want: outbound.Retry},
		{name: "408", status: 408, want: outbound.Retry},
		{name: "304", status: 304, want: outbound.Retry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write(tt.answer)
			})
			res := outbound.NewClient(1).Post(context.Background(), request(destination(t, srv.URL, outbound.Auth{}), "{}"))
			if res.Outcome != tt.want || res.StatusCode != tt.status || res.RetryAfter != tt.wantRetryAfter {
				t.Errorf("outcome %v, status %d, Retry-After %v; want %v, %d, %v",
					res.Outcome, res.StatusCode, res.RetryAfter, tt.want, tt.status, tt.wantRetryAfter)
			}
			if !bytes.Equal(res.Answer, tt.wantAnswer) && !(len(res.Answer) == 0 && len(tt.wantAnswer) == 0) {
				t.Errorf("answer of %d bytes %.40q…, want %d bytes %.40q…", len(res.Answer), res.Answer, len(tt.wantAnswer), tt.wantAnswer)
			}
			switch {
			case tt.want == outbound.Delivered && res.Err != nil:
				t.Errorf("delivered with an error: %v", res.Err)
			case tt.want != outbound.Delivered && (res.Err == nil || !strings.Contains(res.Err.Error(), http.StatusText(tt.status))):
				t.Errorf("error %v, want one naming the status %d", res.Err, tt.status)
			}
		})
	}
}

// TestPostDoesNotFollowRedirects checks that a redirect is an answer to
// retry: following a 302 would turn the POST into a GET, and a 200 to that
// GET would count as delivered although the document went nowhere.
func TestPostDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	for _, status := range []int{301, 302, 303, 307, 308} {
		srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/login" {
				w.WriteHeader(http.StatusOK)
				return
			}
			http.Redirect(w, r, "/login", status)
		})
		for _, c := range []*outbound.Client{outbound.NewClient(1), {HTTP: &http.Client{}}, {}} {
			res := c.Post(context.Background(), request(destination(t, srv.URL, outbound.Auth{}), "{}"))
			if res.Outcome != outbound.Retry || res.StatusCode != status || res.Err == nil {
				t.Errorf("%d: result %+v, want Retry with status %d", status, res, status)
			}
		}
		for _, r := range srv.requests() {
			if r.path != "/orders" {
				t.Errorf("%d: the redirect was followed to %s %s", status, r.method, r.path)
			}
		}
	}
}

func TestPostTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release) // before srv.Close, which waits for the handler
	d := destination(t, srv.URL, outbound.Auth{})
	d.Timeout = 50 * time.Millisecond
	res := outbound.NewClient(1).Post(context.Background(), request(d, "{}"))
	if res.Outcome != outbound.Retry || res.StatusCode != 0 || res.Err == nil || res.Answer != nil {
		t.Fatalf("result %+v, want Retry with an error and no status", res)
	}
	if !errors.Is(res.Err, context.DeadlineExceeded) {
		t.Errorf("error %v, want a deadline", res.Err)
	}
}

func TestPostCancelled(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := outbound.NewClient(1).Post(ctx, request(destination(t, srv.URL, outbound.Auth{}), "{}"))
	if res.Outcome != outbound.Retry || res.StatusCode != 0 || !errors.Is(res.Err, context.Canceled) {
		t.Errorf("result %+v, want Retry with context.Canceled", res)
	}
}

func TestPostConnectionRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res := outbound.NewClient(1).Post(context.Background(), request(destination(t, "http://"+addr+"/erp", outbound.Auth{}), "{}"))
	if res.Outcome != outbound.Retry || res.StatusCode != 0 || res.Err == nil {
		t.Fatalf("result %+v, want Retry with an error and no status", res)
	}
	if !strings.Contains(res.Err.Error(), addr) {
		t.Errorf("error %q does not name the destination %s", res.Err, addr)
	}
}

// TestPostCutAnswer: a 2xx whose body breaks off is not known to be
// delivered, so it is retried.
func TestPostCutAnswer(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\":")
		_ = buf.Flush()
		conn.Close()
	})
	res := outbound.NewClient(1).Post(context.Background(), request(destination(t, srv.URL, outbound.Auth{}), "{}"))
	if res.Outcome != outbound.Retry || res.StatusCode != http.StatusOK || res.Err == nil ||
		!strings.Contains(res.Err.Error(), "reading the answer failed") {
		t.Errorf("result %+v, want Retry with a reading error", res)
	}
}
