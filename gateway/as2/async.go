package as2

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/partnergate/partnergate/gateway/store"
)

// QueueMDN is the River queue of SendMDNArgs jobs, apart from the default
// queue so that slow partner servers do not hold up file processing. The
// River client that works them must list it in its Queues.
const QueueMDN = "as2_mdn"

// MDNMaxAttempts is how many times an asynchronous MDN is POSTed before it
// is given up, with River's default backoff in between (about seven hours
// in all).
const MDNMaxAttempts = 10

// MaxReceiptURL is the longest Receipt-Delivery-Option URL we send to.
const MaxReceiptURL = 2048

// DefaultMDNTimeout is the default of Config.MDNTimeout.
const DefaultMDNTimeout = time.Minute

// JobInserter inserts River jobs in a transaction; *river.Client[pgx.Tx] is
// one.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// txBeginner begins transactions; *pgxpool.Pool is one.
type txBeginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// SendMDNArgs is the job that POSTs an asynchronous MDN to the URL of the
// message's Receipt-Delivery-Option header.
type SendMDNArgs struct {
	// MessageRowID is the as2_messages row holding the MDN; its delivery is
	// recorded there. 0 when no row holds the MDN (refused or repeated
	// messages): MDN holds it then.
	MessageRowID int64 `json:"message_row_id,omitempty"`
	// PartnerID is the partner the MDN goes to; MessageID the Message-ID
	// of the message it answers, for the logs.
	PartnerID string `json:"partner_id"`
	MessageID string `json:"message_id"`
	// MDN is the MDN, headers and body, when MessageRowID is 0.
	MDN []byte `json:"mdn,omitempty"`
	// URL is where the MDN is POSTed: an http or https URL.
	URL string `json:"url"`
}

// Kind names the job in River.
func (SendMDNArgs) Kind() string { return "as2_send_mdn" }

// InsertOpts puts the job in QueueMDN with MDNMaxAttempts attempts.
func (SendMDNArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueMDN, MaxAttempts: MDNMaxAttempts}
}

// receiptURL checks a Receipt-Delivery-Option URL: an absolute http or
// https URL of at most MaxReceiptURL bytes.
func receiptURL(raw, partnerURL string) (string, error) {
	raw = strings.TrimSpace(raw)
	if len(raw) > MaxReceiptURL {
		return "", fmt.Errorf("the URL is longer than %d bytes", MaxReceiptURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("the URL does not parse")
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", fmt.Errorf("the URL scheme %q is not http or https", u.Scheme)
	}
	if u.Host == "" {
		return "", errors.New("the URL has no host")
	}
	// The header is not signed: MDNs go only where the partner's own AS2
	// URL is, when its configuration names one.
	if p, err := url.Parse(partnerURL); partnerURL != "" && (err != nil || !strings.EqualFold(p.Host, u.Host)) {
		return "", fmt.Errorf("the URL's host %q is not the host of the partner's channels.as2.url", u.Host)
	}
	return raw, nil
}

// enqueueMDN records the message when it was stored and inserts the job
// sending its MDN to sendTo, in one transaction.
func (h *Handler) enqueueMDN(ctx context.Context, log *slog.Logger, req *request, m *outcome, mdn []byte, sendTo string) {
	args := SendMDNArgs{PartnerID: req.partner.ID, MessageID: req.messageID, URL: sendTo}
	err := pgx.BeginFunc(ctx, h.begin, func(tx pgx.Tx) error {
		if m.fileID != 0 {
			rec, inserted, err := h.record(ctx, tx, req, m, mdn)
			if err != nil {
				return err
			}
			if inserted {
				args.MessageRowID = rec.ID
			}
		}
		if args.MessageRowID == 0 {
			args.MDN = mdn
		}
		_, err := h.cfg.Jobs.InsertTx(ctx, tx, args, nil)
		return err
	})
	if err != nil {
		// The payload is stored: a repeat may store it again.
		log.ErrorContext(ctx, "AS2 message not recorded; asynchronous MDN not sent", "file_id", m.fileID, "err", err)
		return
	}
	log.InfoContext(ctx, "asynchronous MDN queued", "url", sendTo, "row", args.MessageRowID)
}

// record records a stored message with its MDN.
func (h *Handler) record(ctx context.Context, db store.DB, req *request, m *outcome, mdn []byte) (*store.AS2Message, bool, error) {
	return h.cfg.Store.InsertAS2Message(ctx, db, &store.InsertAS2MessageParams{
		PartnerID: req.partner.ID, MessageID: req.messageID, FileID: m.fileID, MIC: m.mic, MICAlg: req.opts.micalg,
		Disposition: m.disposition, MDN: mdn})
}

// Worker returns the worker of SendMDNArgs jobs. Register it with
// river.AddWorker on the client that works QueueMDN.
func (h *Handler) Worker() river.Worker[SendMDNArgs] {
	return &mdnWorker{h: h, client: &http.Client{Timeout: h.cfg.MDNTimeout}}
}

type mdnWorker struct {
	river.WorkerDefaults[SendMDNArgs]
	h      *Handler
	client *http.Client
}

// Timeout leaves the HTTP request its own timeout and the recording some
// time after it.
func (w *mdnWorker) Timeout(*river.Job[SendMDNArgs]) time.Duration {
	return w.h.cfg.MDNTimeout + 30*time.Second
}

// Work POSTs the MDN. A 2xx answer delivers it; any other answer or error
// fails the attempt, and River retries it with backoff. Jobs that cannot
// succeed (a row or partner gone, a bad URL) are cancelled.
func (w *mdnWorker) Work(ctx context.Context, job *river.Job[SendMDNArgs]) error {
	h, a := w.h, job.Args
	log := h.log.With("partner", a.PartnerID, "message_id", a.MessageID, "url", a.URL, "attempt", job.Attempt)
	mdn := a.MDN
	if a.MessageRowID != 0 {
		rec, err := h.cfg.Store.AS2MessageByID(ctx, h.cfg.DB, a.MessageRowID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			log.WarnContext(ctx, "asynchronous MDN dropped: its message is no longer recorded", "row", a.MessageRowID)
			return river.JobCancel(err)
		case err != nil:
			return err
		case rec.MDNDeliveredAt != nil:
			return nil
		}
		mdn = rec.MDN
	}
	err := w.send(ctx, a, mdn)
	final := job.Attempt >= job.MaxAttempts
	var cancel *permanentError
	if errors.As(err, &cancel) {
		final = true
	}
	if a.MessageRowID != 0 {
		p := &store.RecordMDNAttemptParams{ID: a.MessageRowID, Attempt: job.Attempt, Final: final}
		if err != nil {
			p.Err = err.Error()
		}
		if rerr := h.cfg.Store.RecordMDNAttempt(context.WithoutCancel(ctx), h.cfg.DB, p); rerr != nil {
			log.ErrorContext(ctx, "asynchronous MDN delivery not recorded", "err", rerr)
		}
	}
	switch {
	case err == nil:
		log.InfoContext(ctx, "asynchronous MDN delivered")
		return nil
	case cancel != nil:
		log.WarnContext(ctx, "asynchronous MDN dropped", "err", err)
		return river.JobCancel(err)
	case final:
		log.ErrorContext(ctx, "asynchronous MDN not delivered; giving up", "err", err)
	default:
		log.WarnContext(ctx, "asynchronous MDN not delivered; will retry", "err", err)
	}
	return err
}

// permanentError is a failure that retrying cannot mend.
type permanentError struct{ msg string }

func (e *permanentError) Error() string { return e.msg }

// send POSTs mdn, headers and body, to a.URL with the AS2 headers.
func (w *mdnWorker) send(ctx context.Context, a SendMDNArgs, mdn []byte) error {
	h := w.h
	p, ok := h.cfg.Partners.Current().ByID(a.PartnerID)
	if !ok || p.Channels.AS2 == nil {
		return &permanentError{fmt.Sprintf("partner %q has no AS2 channel any more", a.PartnerID)}
	}
	target, err := receiptURL(a.URL, p.Channels.AS2.URL)
	if err != nil {
		return &permanentError{"Receipt-Delivery-Option: " + err.Error()}
	}
	contentType, body, ok := splitMDN(mdn)
	if !ok {
		return &permanentError{"the stored MDN has no Content-Type header"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return &permanentError{err.Error()}
	}
	hd := req.Header
	hd.Set("Content-Type", contentType)
	hd.Set("MIME-Version", "1.0")
	hd.Set("AS2-Version", "1.2")
	hd.Set("AS2-From", quoteID(h.cfg.ID))
	hd.Set("AS2-To", quoteID(p.Channels.AS2.AS2ID))
	hd.Set("Message-ID", newMessageID())
	hd.Set("User-Agent", "partnergate")
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s answered %s: %s", req.URL.Redacted(), resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}

// splitMDN splits a stored MDN into its Content-Type and its body.
func splitMDN(mdn []byte) (contentType string, body []byte, ok bool) {
	head, body, ok := bytes.Cut(mdn, []byte("\r\n\r\n"))
	if !ok {
		return "", nil, false
	}
	for _, line := range strings.Split(string(head), "\r\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "Content-Type") {
			return strings.TrimSpace(value), body, true
		}
	}
	return "", nil, false
}

// newMessageID returns a new Message-ID of ours.
func newMessageID() string {
	return "<" + newBoundary()[10:] + "@partnergate>"
}
