// Package as2 is the gateway's inbound AS2 endpoint (RFC 4130): a Handler
// for POST /as2 that identifies the partner by AS2-From and AS2-To,
// decrypts CMS enveloped data with our keys, verifies detached S/MIME
// signatures against the partner's certificates, undoes RFC 5402
// compression, stores the payload through the ingest pipeline and answers
// with a synchronous MDN, signed when asked.
//
// A message with a Receipt-Delivery-Option header asks for an asynchronous
// MDN: it is answered with an empty 200, and when Config.Jobs is set a
// SendMDNArgs job, inserted in the transaction that records the message,
// POSTs the MDN to that URL (http or https, at most MaxReceiptURL bytes;
// other URLs are logged and dropped). The job runs in QueueMDN on the
// worker of Handler.Worker, is retried with River's backoff up to
// MDNMaxAttempts times, and records each attempt on the message's row.
//
// The Sender sends outbox items to partners (SendAS2Args jobs in
// QueueSend). A partner whose channels.as2.mdn is async is asked to POST
// its MDN to SenderConfig.ReceiptURL (as2.public_url); the item's
// Message-ID and MIC are recorded before the POST, and once the partner
// accepts it the job snoozes for SenderConfig.MDNWait (as2.mdn_wait): if no MDN came by
// then, the attempt fails with ErrNoAsyncMDN and the next one sends the
// item again with the same Message-ID. POST /as2 recognizes such an MDN (a signed
// multipart/report of report-type disposition-notification), verifies its
// signature against the partner's certificates, finds the item sent to that
// partner with its Original-Message-ID, checks its disposition and
// Received-Content-MIC, and records the item delivered or failed. An MDN
// that is unsigned or signed by someone else is refused with 403, one
// answering no message we sent the partner with 400; neither changes
// anything.
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
