package as2

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/partnergate/partnergate/gateway/store"
)

// isMDN reports whether top is an MDN rather than a message: a
// multipart/report of report-type disposition-notification, or a
// multipart/signed whose signed part is one.
func isMDN(top *entity) bool {
	mt, params := top.mediaType()
	switch mt {
	case "multipart/report":
		return strings.EqualFold(params["report-type"], "disposition-notification")
	case "multipart/signed":
		parts, err := splitMultipart(top.body, params["boundary"])
		if err != nil || len(parts) == 0 {
			return false
		}
		inner, err := parseEntity(parts[0])
		if err != nil {
			return false
		}
		mt, params := inner.mediaType()
		return mt == "multipart/report" && strings.EqualFold(params["report-type"], "disposition-notification")
	}
	return false
}

// receiveMDN handles an asynchronous MDN from req.partner answering a
// message we sent it: it verifies the MDN's signature against the partner's
// certificates, finds the outbox item sent with its Original-Message-ID,
// checks the disposition and the Received-Content-MIC against the MIC
// recorded when the item was sent, and records the item delivered or
// failed. An MDN that cannot be matched or trusted is refused with an HTTP
// error and changes nothing.
func (h *Handler) receiveMDN(ctx context.Context, w http.ResponseWriter, req *request, top *entity) {
	p := req.partner
	log := h.log.With("partner", p.ID, "message_id", req.messageID)
	refuse := func(status int, reason string) {
		log.WarnContext(ctx, "asynchronous MDN refused", "status", status, "reason", reason)
		http.Error(w, reason, status)
	}
	fields, err := readMDN(top, p.Channels.AS2.Certificates)
	switch {
	case errors.Is(err, ErrMDNUnsigned), errors.Is(err, ErrMDNSignature):
		refuse(http.StatusForbidden, "the MDN is not signed by one of the partner's certificates")
		return
	case err != nil:
		refuse(http.StatusBadRequest, "the MDN cannot be read: "+errors.Unwrap(err).Error())
		return
	}
	original := strings.TrimSpace(fields.Get("Original-Message-ID"))
	if original == "" {
		refuse(http.StatusBadRequest, "the MDN has no Original-Message-ID")
		return
	}
	log = log.With("original_message_id", original)
	d, err := h.cfg.Store.OutboxDeliveryByMessageID(ctx, h.cfg.DB, p.ID, original)
	switch {
	case errors.Is(err, store.ErrNotFound):
		refuse(http.StatusBadRequest, fmt.Sprintf("the MDN answers Message-ID %s, which was not sent to partner %s",
			truncate(original, 200), p.ID))
		return
	case err != nil:
		log.ErrorContext(ctx, "asynchronous MDN not matched", "err", err)
		http.Error(w, "the MDN could not be matched; send it again later", http.StatusServiceUnavailable)
		return
	case d.DeliveredAt != nil:
		log.InfoContext(ctx, "asynchronous MDN repeated; the message is delivered already", "outbox_id", d.Item.ID)
		w.WriteHeader(http.StatusOK)
		return
	case d.MIC == "":
		refuse(http.StatusBadRequest, fmt.Sprintf("the message %s was not sent asking for an asynchronous MDN", truncate(original, 200)))
		return
	}
	res := &SendResult{MessageID: original, MIC: d.MIC, MICAlg: d.MICAlg}
	cerr := checkReceipt(fields, res)
	rec := &store.RecordOutboxDeliveryParams{ID: d.Item.ID, Attempt: d.Attempts, MessageID: original,
		MDN: append([]byte("Content-Type: "+top.header.Get("Content-Type")+"\r\n\r\n"), top.body...)}
	if cerr == nil {
		rec.Delivered, rec.Err = true, res.Warning
	} else {
		rec.Err, rec.Final = cerr.Error(), true
	}
	if err := h.cfg.Store.RecordOutboxDelivery(context.WithoutCancel(ctx), h.cfg.DB, rec); err != nil {
		log.ErrorContext(ctx, "asynchronous MDN not recorded", "outbox_id", d.Item.ID, "err", err)
		http.Error(w, "the MDN could not be recorded; send it again later", http.StatusServiceUnavailable)
		return
	}
	logMDNOutcome(ctx, log, d.Item.ID, res, cerr)
	w.WriteHeader(http.StatusOK)
}

func logMDNOutcome(ctx context.Context, log *slog.Logger, outboxID int64, res *SendResult, err error) {
	if err != nil {
		log.ErrorContext(ctx, "AS2 message not delivered: its asynchronous MDN refuses it", "outbox_id", outboxID, "err", err)
		return
	}
	log.InfoContext(ctx, "AS2 message delivered: asynchronous MDN received", "outbox_id", outboxID,
		"disposition", res.Disposition, "warning", res.Warning)
}
