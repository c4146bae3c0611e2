// Package outbound delivers canonical documents to the ERP and WMS over
// HTTP: destinations and their credentials, routes that pick the
// destinations of a document, and a client that POSTs a document with its
// idempotency key and classifies the answer as delivered, to be retried
// (with exponential backoff and jitter, or after Retry-After) or rejected.
// The gateway runs deliveries as jobs and keeps their state; subpackage
// erpsim is an ERP/WMS simulator to test against.
package outbound
