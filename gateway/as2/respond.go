package as2

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
)

// respond builds the MDN of m, records a stored message with it, and
// answers: the MDN when one was asked for synchronously, else an empty 200.
func (h *Handler) respond(ctx context.Context, w http.ResponseWriter, req *request, m *outcome) {
	ctx = context.WithoutCancel(ctx)
	log := h.log.With("partner", req.partner.ID, "message_id", req.messageID)
	mdn, err := h.buildMDN(req, m)
	if err != nil {
		log.ErrorContext(ctx, "AS2 MDN not signed", "err", err)
		http.Error(w, "the MDN could not be signed", http.StatusInternalServerError)
		return
	}
	log.InfoContext(ctx, "AS2 message answered", "disposition", m.disposition, "file_id", m.fileID, "mdn", req.wantMDN,
		"async", req.async)
	if req.wantMDN && req.async {
		h.respondAsync(ctx, log, req, m, mdn.bytes())
		w.WriteHeader(http.StatusOK)
		return
	}
	if m.fileID != 0 {
		h.recordOnly(ctx, log, req, m, mdn.bytes())
	}
	if !req.wantMDN {
		w.WriteHeader(http.StatusOK)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", mdn.contentType)
	hd.Set("MIME-Version", "1.0")
	hd.Set("AS2-Version", "1.2")
	hd.Set("AS2-From", quoteID(h.cfg.ID))
	hd.Set("AS2-To", quoteID(req.partner.Channels.AS2.AS2ID))
	hd.Set("Message-ID", newMessageID())
	hd.Set("Content-Length", strconv.Itoa(len(mdn.body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(mdn.body)
}

// respondAsync records the message and queues its MDN for the URL of its
// Receipt-Delivery-Option, when that is an http(s) URL and Config.Jobs is
// set; otherwise it records the message only.
func (h *Handler) respondAsync(ctx context.Context, log *slog.Logger, req *request, m *outcome, mdn []byte) {
	sendTo, err := receiptURL(req.receiptURL, req.partner.Channels.AS2.URL)
	switch {
	case err != nil:
		log.WarnContext(ctx, "asynchronous MDN dropped: bad Receipt-Delivery-Option", "reason", err,
			"url", truncate(req.receiptURL, 200))
	case h.cfg.Jobs == nil:
		log.WarnContext(ctx, "asynchronous MDN requested but no job client is configured; none sent")
	default:
		h.enqueueMDN(ctx, log, req, m, mdn, sendTo)
		return
	}
	if m.fileID != 0 {
		h.recordOnly(ctx, log, req, m, mdn)
	}
}

// recordOnly records a stored message with its MDN.
func (h *Handler) recordOnly(ctx context.Context, log *slog.Logger, req *request, m *outcome, mdn []byte) {
	_, inserted, err := h.record(ctx, h.cfg.DB, req, m, mdn)
	if err != nil {
		// The payload is stored: a repeat may store it again.
		log.ErrorContext(ctx, "AS2 message not recorded", "file_id", m.fileID, "err", err)
	} else if !inserted {
		log.WarnContext(ctx, "AS2 message stored twice by concurrent requests", "file_id", m.fileID)
	}
}

// truncate cuts s to n bytes for a log.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func (h *Handler) buildMDN(req *request, m *outcome) (*mdn, error) {
	micAlg := ""
	if m.mic != "" {
		micAlg = req.opts.micalg
	}
	report := buildReport(&mdnParams{ourID: h.cfg.ID, originalMessageID: req.messageID, mic: m.mic, micAlg: micAlg,
		disposition: m.disposition, text: m.text})
	if !req.opts.signed {
		return report, nil
	}
	return signMDN(report, h.cfg.Keys[0], req.opts.hash, req.opts.micalg)
}

// quoteID quotes an AS2 ID that holds a space (RFC 4130 section 6.2).
func quoteID(id string) string {
	if strings.ContainsRune(id, ' ') {
		return `"` + id + `"`
	}
	return id
}
