package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// openAPIDoc is the part of an OpenAPI document the test checks.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		SecuritySchemes map[string]any `json:"securitySchemes"`
	} `json:"components"`
}

type openAPIOperation struct {
	OperationID string                     `json:"operationId"`
	Security    *[]map[string][]string     `json:"security"`
	Parameters  []map[string]any           `json:"parameters"`
	Responses   map[string]json.RawMessage `json:"responses"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// TestOpenAPI checks that the served document describes exactly the routes
// of the router, and that it holds together.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	r := b.do(t, call{method: "GET", path: "/api/v1/openapi.json"}) // no authentication
	r.expect(t, http.StatusOK, nil)
	if !bytes.Equal(r.body, readFile(t, "openapi.json")) {
		t.Fatal("the served document is not openapi.json")
	}
	var doc openAPIDoc
	if err := json.Unmarshal(r.body, &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q: %v", doc.OpenAPI, err)
	}
	routed := routes(t, b.handler)
	documented := map[string]openAPIOperation{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if !slices.Contains(httpMethods, method) {
				continue
			}
			var op openAPIOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			documented[strings.ToUpper(method)+" "+path] = op
		}
	}
	for route := range routed {
		if _, ok := documented[route]; !ok {
			t.Errorf("route %s is not in openapi.json", route)
		}
	}
	ids := map[string]bool{}
	for route, op := range documented {
		if !routed[route] {
			t.Errorf("openapi.json documents %s, which is not routed", route)
		}
		checkOperation(t, &doc, route, op, ids)
	}
	checkRefs(t, r.body)
}

// routes walks the handler's chi router.
func routes(t *testing.T, h http.Handler) map[string]bool {
	t.Helper()
	router, ok := h.(chi.Routes)
	if !ok {
		t.Fatalf("the handler %T is not a chi router", h)
	}
	out := map[string]bool{}
	err := chi.Walk(router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out[method+" "+route] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

func checkOperation(t *testing.T, doc *openAPIDoc, route string, op openAPIOperation, ids map[string]bool) {
	t.Helper()
	if op.OperationID == "" || ids[op.OperationID] {
		t.Errorf("%s: operationId %q missing or repeated", route, op.OperationID)
	}
	ids[op.OperationID] = true
	if len(op.Responses) == 0 {
		t.Errorf("%s: no responses", route)
	}
	if op.Security == nil {
		t.Errorf("%s: no security stated (use [] for none)", route)
		return
	}
	for _, req := range *op.Security {
		for scheme := range req {
			if doc.Components.SecuritySchemes[scheme] == nil {
				t.Errorf("%s: unknown security scheme %s", route, scheme)
			}
		}
	}
	authenticated := len(*op.Security) > 0
	if _, ok := op.Responses["401"]; authenticated != ok {
		t.Errorf("%s: authenticated %v but 401 documented %v", route, authenticated, ok)
	}
	for _, m := range pathParam.FindAllStringSubmatch(route, -1) {
		if !declaresParam(t, doc, op.Parameters, m[1]) {
			t.Errorf("%s: path parameter %s is not declared", route, m[1])
		}
	}
}

// declaresParam reports whether params, $refs resolved, declare path
// parameter name.
func declaresParam(t *testing.T, doc *openAPIDoc, params []map[string]any, name string) bool {
	t.Helper()
	var components struct {
		Components struct {
			Parameters map[string]map[string]any `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(readFile(t, "openapi.json"), &components); err != nil {
		t.Fatal(err)
	}
	for _, p := range params {
		if ref, ok := p["$ref"].(string); ok {
			p = components.Components.Parameters[strings.TrimPrefix(ref, "#/components/parameters/")]
		}
		if p["in"] == "path" && p["name"] == name && p["required"] == true {
			return true
		}
	}
	return false
}

// checkRefs fails t for a $ref that points at nothing.
func checkRefs(t *testing.T, doc []byte) {
	t.Helper()
	var root any
	if err := json.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok && resolve(root, ref) == nil {
				t.Errorf("$ref %s points at nothing", ref)
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(root)
}

func resolve(root any, ref string) any {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	v := root
	for _, key := range strings.Split(path, "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[key]
	}
	return v
}
