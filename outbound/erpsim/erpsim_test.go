package erpsim_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/outbound/erpsim"
)

// serve starts sim on a test server.
func serve(t *testing.T, sim *erpsim.Sim) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return srv
}

// answer is what the simulator answered.
type answer struct {
	status int
	body   string
}

// post POSTs body to url with an Idempotency-Key (none when key is "") and
// the headers in pairs; it fails the test when no HTTP answer comes.
func post(t *testing.T, url, key, body string, header ...string) answer {
	t.Helper()
	a, err := send(url, key, body, header...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// send is post for other goroutines than the test's.
func send(url, key, body string, header ...string) (answer, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set(outbound.HeaderIdempotencyKey, key)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{resp.StatusCode, string(b)}, nil
}

// item returns the simulator's item of key.
func item(t *testing.T, sim *erpsim.Sim, key string) erpsim.Item {
	t.Helper()
	for _, it := range sim.Items() {
		if it.IdempotencyKey == key {
			return it
		}
	}
	t.Fatalf("the simulator holds no item %s", key)
	return erpsim.Item{}
}

func TestSimAppliesOnce(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{})
	srv := serve(t, sim)
	const doc = `{"purchase_order_number":"4500012345"}`
	first := post(t, srv.URL+"/erp/orders", "k1", doc)
	if first.status != http.StatusCreated || !strings.Contains(first.body, `"applied"`) {
		t.Fatalf("first answer %+v, want 201 applied", first)
	}
	// A repeat, even with another body, gets the first answer.
	for range 2 {
		if again := post(t, srv.URL+"/erp/orders", "k1", `{"purchase_order_number":"other"}`); again != first {
			t.Errorf("repeat answered %+v, want the first answer %+v", again, first)
		}
	}
	second := post(t, srv.URL+"/erp/orders", "k2", doc)
	if second.status != http.StatusCreated || second.body == first.body {
		t.Errorf("another key answered %+v, want a new 201 answer", second)
	}
	it := item(t, sim, "k1")
	if it.Attempts != 3 || it.Applied != 1 || it.Seq != 1 || it.Status != http.StatusCreated ||
		it.Path != "/erp/orders" || string(it.Document) != doc {
		t.Errorf("item %+v, want 3 attempts, applied once with seq 1 and the first document", it)
	}
	if it := item(t, sim, "k2"); it.Attempts != 1 || it.Applied != 1 || it.Seq != 2 {
		t.Errorf("item %+v, want 1 attempt, applied with seq 2", it)
	}
}

func TestSimInjectedFailure(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{FailRate: 1})
	srv := serve(t, sim)
	for i := range 3 {
		if a := post(t, srv.URL+"/orders", "k1", `{}`); a.status != http.StatusInternalServerError {
			t.Fatalf("attempt %d answered %+v, want 500", i+1, a)
		}
	}
	if it := item(t, sim, "k1"); it.Attempts != 3 || it.Applied != 0 || it.Status != 0 || it.Seq != 0 {
		t.Errorf("after 500s: item %+v, want 3 attempts, nothing applied or answered", it)
	}
	sim.SetFailRate(0)
	ok := post(t, srv.URL+"/orders", "k1", `{}`)
	if ok.status != http.StatusCreated {
		t.Fatalf("after SetFailRate(0): %+v, want 201", ok)
	}
	// The recorded success is the answer even if failures come back.
	sim.SetFailRate(1)
	if a := post(t, srv.URL+"/orders", "k1", `{}`); a != ok {
		t.Errorf("repeat answered %+v, want the recorded %+v", a, ok)
	}
	if it := item(t, sim, "k1"); it.Attempts != 5 || it.Applied != 1 || it.Seq != 1 || it.Status != http.StatusCreated {
		t.Errorf("item %+v, want 5 attempts, applied once", it)
	}
	if a := post(t, srv.URL+"/orders", "k2", `{}`); a.status != http.StatusInternalServerError {
		t.Errorf("new key with SetFailRate(1) answered %+v, want 500", a)
	}
}

func TestSimReject(t *testing.T) {
	t.Parallel()
	doc := `{"purchase_order_number":"PO-13","total":12.5,"rush":true,"ship_to":{"id":"DC-7"},
		"order_id":4500012345,"units":1000000,"price":"19.90","weight":19.90,"note":null,
		"tags":["edi","urgent"],
		"lines":[{"item":{"sku":"XYZ"},"quantity":2},{"item":{"sku":"ABC"},"quantity":1}]}`
	tests := []struct {
		rule   string
		reject bool
	}{
		{"purchase_order_number=PO-13", true},
		{"purchase_order_number=PO-14", false},
		{"total=12.5", true},
		{"rush=true", true},
		{"ship_to.id=DC-7", true},
		{"ship_to=DC-7", false},
		{"lines.item.sku=ABC", true},
		{"lines.item.sku=XYZ", true},
		{"lines.item.sku=DEF", false},
		{"lines.quantity=1", true},
		{"lines.item=ABC", false},
		{"lines.item.sku.code=ABC", false},
		{"tags=urgent", true},
		{"order_id=4500012345", true},
		{"units=1000000", true},
		{"price=19.90", true},
		{"weight=19.90", true},
		{"note=", false},
		{"note=null", false},
		{"missing=PO-13", false},
		{"purchase_order_number.x=PO-13", false},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			rule, err := erpsim.ParseRule(tt.rule)
			if err != nil {
				t.Fatal(err)
			}
			sim := erpsim.New(erpsim.Options{Reject: []erpsim.Rule{{Field: "nothing", Value: "x"}, rule}})
			srv := serve(t, sim)
			first := post(t, srv.URL+"/orders", "k1", doc)
			if !tt.reject {
				if first.status != http.StatusCreated {
					t.Errorf("answered %+v, want 201", first)
				}
				return
			}
			if first.status != http.StatusUnprocessableEntity || !strings.Contains(first.body, rule.Field) {
				t.Fatalf("answered %+v, want 422 naming %s", first, rule.Field)
			}
			if again := post(t, srv.URL+"/orders", "k1", doc); again != first {
				t.Errorf("repeat answered %+v, want the first %+v", again, first)
			}
			if it := item(t, sim, "k1"); it.Attempts != 2 || it.Applied != 0 || it.Seq != 0 ||
				it.Status != http.StatusUnprocessableEntity {
				t.Errorf("item %+v, want 2 attempts, rejected, not applied", it)
			}
		})
	}
}

func TestSimBadRequests(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{})
	srv := serve(t, sim)
	if a := post(t, srv.URL+"/orders", "", `{}`); a.status != http.StatusBadRequest || !strings.Contains(a.body, "Idempotency-Key") {
		t.Errorf("without Idempotency-Key: %+v, want 400", a)
	}
	for _, body := range []string{``, `not json`, `{"a":`, `{"a":1}{"b":2}`} {
		if a := post(t, srv.URL+"/orders", "k-"+body, body); a.status != http.StatusBadRequest {
			t.Errorf("body %q: %+v, want 400", body, a)
		}
	}
	resp, err := http.Get(srv.URL + "/orders")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /orders: %d, want 405", resp.StatusCode)
	}
	if items := sim.Items(); len(items) != 0 {
		t.Errorf("bad requests were recorded: %+v", items)
	}
}

func TestSimBearer(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{Bearer: "erp-token"})
	srv := serve(t, sim)
	for _, header := range [][]string{nil, {"Authorization", "Bearer other"}, {"Authorization", "erp-token"},
		{"Authorization", "Basic ZXJwLXRva2Vu"}} {
		if a := post(t, srv.URL+"/orders", "k1", `{}`, header...); a.status != http.StatusUnauthorized {
			t.Errorf("with %q: %+v, want 401", header, a)
		}
	}
	if items := sim.Items(); len(items) != 0 {
		t.Errorf("unauthorized requests were recorded: %+v", items)
	}
	if a := post(t, srv.URL+"/orders", "k1", `{}`, "Authorization", "Bearer erp-token"); a.status != http.StatusCreated {
		t.Errorf("with the token: %+v, want 201", a)
	}
	// The report is open: make run prints its URL for a browser.
	if items, err := erpsim.Received(srv.Client(), srv.URL); err != nil || len(items) != 1 {
		t.Errorf("Received without the token: %+v, %v", items, err)
	}
	// The client sends the bearer token the simulator wants.
	d := &outbound.Destination{Name: "erp", Auth: outbound.Auth{Bearer: outbound.NewCredential("erp-token")}}
	d.URL, _ = d.URL.Parse(srv.URL)
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	res := outbound.NewClient(1).Post(context.Background(), &outbound.Request{Destination: d, Path: "/orders", IdempotencyKey: "k2", Body: []byte(`{}`)})
	if res.Outcome != outbound.Delivered {
		t.Errorf("outbound.Client with the bearer: %+v", res)
	}
}

func TestSimConcurrentRepeats(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{})
	srv := serve(t, sim)
	const n = 20
	answers := make([]answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var err error
			if answers[i], err = send(srv.URL+"/orders", "k1", `{"po":"1"}`); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, a := range answers {
		if a != answers[0] || a.status != http.StatusCreated {
			t.Errorf("answer %+v, want every one the same 201 as %+v", a, answers[0])
		}
	}
	if it := item(t, sim, "k1"); it.Attempts != n || it.Applied != 1 || it.Seq != 1 {
		t.Errorf("item %+v, want %d attempts applied once", it, n)
	}
}

// clock is a fake clock safe for the server's goroutines.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestSimDownFor(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	sim := erpsim.New(erpsim.Options{DownFor: time.Minute, Now: clk.Now})
	srv := serve(t, sim)
	d := &outbound.Destination{Name: "erp"}
	d.URL, _ = d.URL.Parse(srv.URL + "/erp")
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	c := outbound.NewClient(1)
	req := &outbound.Request{Destination: d, Path: "/orders", IdempotencyKey: "k1", Body: []byte(`{}`)}

	for _, step := range []time.Duration{0, 30 * time.Second, 29 * time.Second} {
		clk.Add(step)
		res := c.Post(context.Background(), req)
		if res.Outcome != outbound.Retry || res.StatusCode != 0 || res.Err == nil {
			t.Fatalf("while down: %+v, want no HTTP answer", res)
		}
		if _, err := erpsim.Received(srv.Client(), srv.URL); err == nil {
			t.Errorf("while down, the report answered")
		}
	}
	if items := sim.Items(); len(items) != 0 {
		t.Errorf("requests dropped while down were recorded: %+v", items)
	}
	clk.Add(time.Second) // the minute is over
	if res := c.Post(context.Background(), req); res.Outcome != outbound.Delivered || res.StatusCode != http.StatusCreated {
		t.Errorf("after the down period: %+v, want 201", res)
	}
	if it := item(t, sim, "k1"); it.Attempts != 1 || it.Applied != 1 {
		t.Errorf("item %+v, want 1 attempt, applied", it)
	}
}

func TestSimReceived(t *testing.T) {
	t.Parallel()
	sim := erpsim.New(erpsim.Options{Reject: []erpsim.Rule{{Field: "po", Value: "bad"}}})
	srv := serve(t, sim)
	for _, p := range []struct{ path, key, body string }{
		{"/erp/orders", "k1", `{"po":"1"}`},
		{"/erp/orders", "k2", `{"po":"bad"}`},
		{"/wms/shipping-orders", "k3", `{"po":"3"}`},
		{"/erp/orders", "k1", `{"po":"1"}`},
		{"/erp/orders", "k4", `{"po":"4"}`},
	} {
		post(t, srv.URL+p.path, p.key, p.body)
	}
	want := []erpsim.Item{
		{Path: "/erp/orders", IdempotencyKey: "k1", Attempts: 2, Applied: 1, Seq: 1, Status: 201, Document: json.RawMessage(`{"po":"1"}`)},
		{Path: "/erp/orders", IdempotencyKey: "k2", Attempts: 1, Applied: 0, Seq: 0, Status: 422, Document: json.RawMessage(`{"po":"bad"}`)},
		{Path: "/wms/shipping-orders", IdempotencyKey: "k3", Attempts: 1, Applied: 1, Seq: 2, Status: 201, Document: json.RawMessage(`{"po":"3"}`)},
		{Path: "/erp/orders", IdempotencyKey: "k4", Attempts: 1, Applied: 1, Seq: 3, Status: 201, Document: json.RawMessage(`{"po":"4"}`)},
	}
	for _, base := range []string{srv.URL, srv.URL + "/"} {
		got, err := erpsim.Received(srv.Client(), base)
		if err != nil {
			t.Fatal(err)
		}
		if !sameItems(got, want) {
			t.Errorf("Received(%s) = %+v, want %+v", base, got, want)
		}
	}
	if got := sim.Items(); !sameItems(got, want) {
		t.Errorf("Items = %+v, want %+v", got, want)
	}
	// The report itself changes nothing.
	if got := sim.Items(); len(got) != len(want) {
		t.Errorf("the report added items: %+v", got)
	}
}

func sameItems(got, want []erpsim.Item) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Path != w.Path || g.IdempotencyKey != w.IdempotencyKey || g.Attempts != w.Attempts ||
			g.Applied != w.Applied || g.Seq != w.Seq || g.Status != w.Status || string(g.Document) != string(w.Document) {
			return false
		}
	}
	return true
}

func TestReceivedErrors(t *testing.T) {
	t.Parallel()
	notFound := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notFound.Close)
	if _, err := erpsim.Received(notFound.Client(), notFound.URL); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("Received from a server without a report: %v, want an error naming 404", err)
	}
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "<html>")
	}))
	t.Cleanup(garbage.Close)
	if _, err := erpsim.Received(garbage.Client(), garbage.URL); err == nil {
		t.Errorf("Received of a report that is not JSON succeeded")
	}
}

func TestParseRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want erpsim.Rule
		ok   bool
	}{
		{"purchase_order_number=PO-13", erpsim.Rule{Field: "purchase_order_number", Value: "PO-13"}, true},
		{"lines.item.sku=ABC", erpsim.Rule{Field: "lines.item.sku", Value: "ABC"}, true},
		{"note=a=b", erpsim.Rule{Field: "note", Value: "a=b"}, true},
		{"note=", erpsim.Rule{Field: "note", Value: ""}, true},
		{"=PO-13", erpsim.Rule{}, false},
		{"purchase_order_number", erpsim.Rule{}, false},
		{"", erpsim.Rule{}, false},
	}
	for _, tt := range tests {
		got, err := erpsim.ParseRule(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseRule(%q) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "want FIELD=VALUE") {
			t.Errorf("ParseRule(%q) error %q does not say what it wants", tt.in, err)
		}
	}
}
