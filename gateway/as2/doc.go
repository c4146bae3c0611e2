// Package as2 is the gateway's inbound AS2 endpoint (RFC 4130): a Handler
// for POST /as2 that identifies the partner by AS2-From and AS2-To,
// decrypts CMS enveloped data with our keys, verifies detached S/MIME
// signatures against the partner's certificates, undoes RFC 5402
// compression, stores the payload through the ingest pipeline and answers
// with a synchronous MDN, signed when asked.
//
// Refusals that come before the partner is known are plain HTTP errors:
// 405 for a method other than POST, 400 when AS2-To is not our ID or
// Message-ID is missing, 403 when AS2-From is no partner's AS2 ID or the
// partner has no AS2 channel, 413 for a body over MaxBytes. Everything
// after that is answered with an MDN, with HTTP 200: processed,
// processed/error: <modifier> or processed/warning: duplicate-document. A
// storage failure other than an empty or too large payload is HTTP 503, so
// the sender retries.
package as2
