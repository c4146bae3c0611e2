package web

import (
	_ "embed"
	"net/http"
)

// openAPIDocument is the OpenAPI 3.1 description of every route of New's
// handler; a test keeps the two in step.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI is GET /api/v1/openapi.json, served without authentication.
func openAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(openAPIDocument)
}
