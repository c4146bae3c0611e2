package outbound

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of a delivery request besides Idempotency-Key.
const (
	HeaderIdempotencyKey = "Idempotency-Key"
	HeaderPartner        = "X-Partnergate-Partner"
	HeaderFile           = "X-Partnergate-File"
	HeaderDocument       = "X-Partnergate-Document"
	HeaderDelivery       = "X-Partnergate-Delivery"
)

// maxAnswer bounds how much of an answer is kept: a rejection's body
// becomes an exception message.
const maxAnswer = 16 << 10

// maxRetryAfter bounds the wait a Retry-After header can ask for.
const maxRetryAfter = time.Hour

// Outcome is what an attempt's answer means for the delivery.
type Outcome int

// Outcomes.
const (
	// Retry: no answer, a timeout, 408, 429, 5xx or another non-final
	// answer; the delivery is tried again later.
	Retry Outcome = iota
	// Delivered: a 2xx answer.
	Delivered
	// Rejected: any other 4xx, a business rejection that retrying cannot
	// change.
	Rejected
)

func (o Outcome) String() string {
	switch o {
	case Delivered:
		return "delivered"
	case Rejected:
		return "rejected"
	}
	return "retry"
}

// Classify maps an HTTP status to an outcome.
func Classify(status int) Outcome {
	switch {
	case status >= 200 && status < 300:
		return Delivered
	case status == http.StatusRequestTimeout || status == http.StatusTooManyRequests:
		return Retry
	case status >= 400 && status < 500:
		return Rejected
	}
	return Retry
}

// Request is one delivery attempt.
type Request struct {
	Destination *Destination
	Path        string
	// IdempotencyKey is the same at every attempt of a delivery.
	IdempotencyKey string
	// Header holds the correlation headers (HeaderPartner, …).
	Header http.Header
	Body   []byte
}

// Result is the outcome of an attempt.
type Result struct {
	Outcome    Outcome
	StatusCode int // 0 when no answer came
	Latency    time.Duration
	// Answer is the start of the answer's body.
	Answer []byte
	// RetryAfter is the wait a 429 or 503 asked for, 0 if none.
	RetryAfter time.Duration
	// Err says why an attempt failed: the transport error or the status.
	Err error
}

// Client POSTs documents to destinations. It never follows a redirect: a
// 3xx answer is retried like any other answer that is not final, since
// following it would turn the POST into a GET (301, 302, 303) whose 2xx
// would count as delivered.
type Client struct {
	// HTTP sends the requests; nil uses http.DefaultTransport. NewClient
	// sets one with room for many connections per host. Its CheckRedirect
	// is not used.
	HTTP *http.Client
}

// NewClient returns a Client whose transport keeps up to perHost idle
// connections to each destination.
func NewClient(perHost int) *Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = max(perHost, 2)
	return &Client{HTTP: &http.Client{Transport: t, CheckRedirect: noRedirects}}
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// client returns c.HTTP, or an empty client, with redirects turned off.
func (c *Client) client() *http.Client {
	var hc http.Client
	if c.HTTP != nil {
		hc = *c.HTTP
	}
	hc.CheckRedirect = noRedirects
	return &hc
}

// Post makes one attempt of req within its destination's timeout.
func (c *Client) Post(ctx context.Context, req *Request) *Result {
	d := req.Destination
	ctx, cancel := context.WithTimeout(ctx, d.Timeout)
	defer cancel()
	start := time.Now()
	res := &Result{}
	hreq, err := c.request(ctx, req)
	if err != nil {
		res.Err = err
		return res
	}
	resp, err := c.client().Do(hreq)
	if err != nil {
		res.Latency, res.Err = time.Since(start), fmt.Errorf("POST %s: %w", hreq.URL.Redacted(), err)
		return res
	}
	defer resp.Body.Close()
	res.Answer, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	res.Latency, res.StatusCode, res.Outcome = time.Since(start), resp.StatusCode, Classify(resp.StatusCode)
	switch {
	case res.Outcome == Delivered && err != nil:
		res.Outcome, res.Err = Retry, fmt.Errorf("POST %s: %s, but reading the answer failed: %w", hreq.URL.Redacted(), resp.Status, err)
	case res.Outcome != Delivered:
		res.Err = fmt.Errorf("POST %s: %s", hreq.URL.Redacted(), resp.Status)
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			res.RetryAfter = RetryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
	}
	return res
}

func (c *Client) request(ctx context.Context, req *Request) (*http.Request, error) {
	d := req.Destination
	u := d.URL.JoinPath(req.Path)
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(req.Body))
	if err != nil {
		return nil, fmt.Errorf("destination %s: %w", d.Name, err)
	}
	for k, v := range req.Header {
		hreq.Header[k] = v
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("User-Agent", "partnergate")
	hreq.Header.Set(HeaderIdempotencyKey, req.IdempotencyKey)
	a := &d.Auth
	switch {
	case !a.Bearer.IsZero():
		hreq.Header.Set("Authorization", "Bearer "+a.Bearer.value)
	case a.BasicUser != "":
		hreq.SetBasicAuth(a.BasicUser, a.BasicPassword.value)
	case !a.HMACSecret.IsZero():
		hreq.Header.Set(a.HMACHeader, Signature(a.HMACSecret, req.Body))
	}
	return hreq, nil
}

// Signature is the HMAC header value of body: "sha256=" and the hex of
// HMAC-SHA256(secret, body).
func Signature(secret Credential, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret.value))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// RetryAfter parses a Retry-After value, delay seconds or an HTTP date,
// into a wait from now, at most an hour; 0 when absent or invalid.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	// Out of range, ParseInt returns the int64 nearest the value: a delay
	// too long for an int64 still means the longest wait.
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		return time.Duration(min(max(secs, 0), int64(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter)
	}
	return 0
}
