// Package migrations holds the gateway's SQL schema as goose migrations,
// embedded into the binary. River's own tables are migrated separately by
// rivermigrate; see gateway/store.Migrate, which applies both.
package migrations

import "embed"

// FS holds the *.sql migrations in the order of their numeric prefix.
//
//go:embed *.sql
var FS embed.FS
