// Package erpsim is an ERP/WMS simulator for testing deliveries: it accepts
// JSON documents on any path, applies each Idempotency-Key once (a repeat
// gets the first answer), injects failures (a share of 500s, latency, a
// period after start when it drops connections, 422 for documents that
// match a rule) and reports what it holds at GET /_sim/received.
package erpsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/partnergate/partnergate/outbound"
)

// ReceivedPath is where the simulator reports what it holds.
const ReceivedPath = "/_sim/received"

// maxBody bounds a document.
const maxBody = 16 << 20

// Options are the failures to inject. The zero Options accepts everything.
type Options struct {
	// FailRate is the share of requests, 0 to 1, answered 500 without
	// applying them.
	FailRate float64
	// Latency delays every answer.
	Latency time.Duration
	// DownFor is how long after New every connection is dropped unanswered.
	DownFor time.Duration
	// Reject are the rules of documents answered 422.
	Reject []Rule
	// Bearer, when set, is the token every request must present.
	Bearer string
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Rule matches documents whose field, a dotted path into the JSON document
// (array elements are searched, so "lines.item.sku" looks at every line),
// has a value: a string, true or false, or a number as the document writes
// it (12.50 does not match 12.5).
type Rule struct {
	Field, Value string
}

// ParseRule parses FIELD=VALUE.
func ParseRule(s string) (Rule, error) {
	f, v, ok := strings.Cut(s, "=")
	if !ok || f == "" {
		return Rule{}, fmt.Errorf("reject rule %q: want FIELD=VALUE, such as purchase_order_number=PO-13", s)
	}
	return Rule{Field: f, Value: v}, nil
}

// Item is one idempotency key the simulator has seen.
type Item struct {
	Path           string `json:"path"`
	IdempotencyKey string `json:"idempotency_key"`
	// Attempts counts every request with the key, failed ones included.
	Attempts int `json:"attempts"`
	// Applied is 1 once the key's document was applied, else 0.
	Applied int `json:"applied"`
	// Seq orders the applied documents, from 1; 0 when not applied.
	Seq      int             `json:"seq,omitempty"`
	Status   int             `json:"status,omitempty"`
	Document json.RawMessage `json:"document,omitempty"`
	answer   []byte
}

// Sim is the simulator, an http.Handler.
type Sim struct {
	opts      Options
	downUntil time.Time

	mu       sync.Mutex
	failRate float64
	items    map[string]*Item
	order    []string // keys in order of first request
	applied  int
}

// New returns a simulator whose down period starts now.
func New(opts Options) *Sim {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Sim{opts: opts, downUntil: opts.Now().Add(opts.DownFor), failRate: opts.FailRate, items: map[string]*Item{}}
}

// SetFailRate changes the share of requests answered 500.
func (s *Sim) SetFailRate(rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failRate = rate
}

// ServeHTTP implements http.Handler.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.Now().Before(s.downUntil) {
		drop(w)
		return
	}
	if r.URL.Path == ReceivedPath && r.Method == http.MethodGet {
		s.report(w)
		return
	}
	if r.Method != http.MethodPost {
		answer(w, http.StatusMethodNotAllowed, "POST a JSON document")
		return
	}
	if s.opts.Bearer != "" && r.Header.Get("Authorization") != "Bearer "+s.opts.Bearer {
		answer(w, http.StatusUnauthorized, "missing or wrong bearer token")
		return
	}
	time.Sleep(s.opts.Latency)
	s.post(w, r)
}

// drop closes the connection without an answer, as a host that is down
// would (almost) do.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	answer(w, http.StatusServiceUnavailable, "down")
}

func (s *Sim) post(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get(outbound.HeaderIdempotencyKey)
	if key == "" {
		answer(w, http.StatusBadRequest, "the Idempotency-Key header is required")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil || !json.Valid(body) {
		answer(w, http.StatusBadRequest, "the body is not a JSON document")
		return
	}
	status, ans := s.apply(r.URL.Path, key, body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(ans)
}

// apply records a request and returns its answer: the first answer of a
// key already applied or rejected, else a new one.
func (s *Sim) apply(path, key string, body []byte) (int, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.items[key]
	if it == nil {
		it = &Item{Path: path, IdempotencyKey: key, Document: body}
		s.items[key] = it
		s.order = append(s.order, key)
	}
	it.Attempts++
	if it.Status != 0 {
		return it.Status, it.answer
	}
	if s.failRate > 0 && rand.Float64() < s.failRate {
		return http.StatusInternalServerError, message("injected failure")
	}
	if rule, ok := s.rejects(body); ok {
		it.Status, it.answer = http.StatusUnprocessableEntity,
			message(fmt.Sprintf("rejected: %s is %q", rule.Field, rule.Value))
		return it.Status, it.answer
	}
	s.applied++
	it.Status, it.Applied, it.Seq = http.StatusCreated, 1, s.applied
	it.answer, _ = json.Marshal(map[string]any{"id": "sim-" + strconv.Itoa(s.applied), "status": "applied"})
	return it.Status, it.answer
}

func (s *Sim) rejects(body []byte) (Rule, bool) {
	// Numbers keep their text: as float64, 4500012345 would print as
	// 4.500012345e+09 and match no rule.
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return Rule{}, false
	}
	for _, rule := range s.opts.Reject {
		if has(doc, strings.Split(rule.Field, "."), rule.Value) {
			return rule, true
		}
	}
	return Rule{}, false
}

// has reports whether v holds value at path, searching arrays.
func has(v any, path []string, value string) bool {
	switch x := v.(type) {
	case []any:
		return slices.ContainsFunc(x, func(e any) bool { return has(e, path, value) })
	case map[string]any:
		if len(path) == 0 {
			return false
		}
		return has(x[path[0]], path[1:], value)
	case nil:
		return false
	}
	return len(path) == 0 && fmt.Sprint(v) == value
}

// Items returns what the simulator holds, in order of first request.
func (s *Sim) Items() []Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Item, len(s.order))
	for i, k := range s.order {
		out[i] = *s.items[k]
	}
	return out
}

func (s *Sim) report(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"items": s.Items()})
}

// Received reads a simulator's report from its base URL.
func Received(c *http.Client, baseURL string) ([]Item, error) {
	resp, err := c.Get(strings.TrimRight(baseURL, "/") + ReceivedPath)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New("erpsim: " + ReceivedPath + ": " + resp.Status)
	}
	var rep struct {
		Items []Item `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return nil, fmt.Errorf("erpsim: %s: %w", ReceivedPath, err)
	}
	return rep.Items, nil
}

func message(msg string) []byte {
	b, _ := json.Marshal(map[string]string{"error": msg})
	return b
}

func answer(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(message(msg))
}
