package as2

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// DefaultMaxBytes is the default of Config.MaxBytes: 100 MiB.
const DefaultMaxBytes = 100 << 20

// PartnerSet gives the partner configuration in force; *partners.Live is one.
type PartnerSet interface {
	Current() *partners.Set
}

// Receiver stores a payload and commits it; *ingest.Pipeline is one.
type Receiver interface {
	Receive(ctx context.Context, rp *ingest.ReceiveParams) (*store.File, error)
}

// Key is one of our key pairs.
type Key struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// Config is what a Handler needs. Partners, Store, DB, Pipeline, ID and at
// least one Key are required.
type Config struct {
	Partners PartnerSet
	Store    *store.Store
	// DB is where AS2 messages are recorded, usually the pool.
	DB       store.DB
	Pipeline Receiver
	// ID is our AS2 name: the AS2-To we accept and the AS2-From of MDNs.
	ID string
	// Keys are our key pairs: the first signs MDNs, every one may decrypt.
	Keys []Key
	// MaxBytes bounds the request body and the decompressed payload.
	// Default DefaultMaxBytes.
	MaxBytes int64
	// Jobs inserts the jobs that send asynchronous MDNs (SendMDNArgs), in
	// the transaction recording the message; DB must then begin
	// transactions, as a *pgxpool.Pool does. Optional: when nil,
	// asynchronous MDNs are built and recorded but not sent.
	Jobs JobInserter
	// MDNTimeout bounds one delivery of an asynchronous MDN. Default
	// DefaultMDNTimeout.
	MDNTimeout time.Duration
	// Logger defaults to slog.Default(); Now to time.Now.
	Logger *slog.Logger
	Now    func() time.Time
}

// Handler serves POST /as2.
type Handler struct {
	cfg   Config
	begin txBeginner // cfg.DB, when cfg.Jobs is set
	log   *slog.Logger
}

// New checks cfg and returns a Handler.
func New(cfg Config) (*Handler, error) {
	switch {
	case cfg.Partners == nil:
		return nil, errors.New("as2: Config.Partners is required")
	case cfg.Store == nil || cfg.DB == nil:
		return nil, errors.New("as2: Config.Store and Config.DB are required")
	case cfg.Pipeline == nil:
		return nil, errors.New("as2: Config.Pipeline is required")
	case !partners.ValidAS2ID(cfg.ID):
		return nil, fmt.Errorf("as2: Config.ID %q is not a valid AS2 ID", cfg.ID)
	case len(cfg.Keys) == 0:
		return nil, errors.New("as2: Config.Keys needs at least one key pair")
	}
	for i, k := range cfg.Keys {
		if k.Cert == nil || k.Key == nil {
			return nil, fmt.Errorf("as2: Config.Keys[%d] needs Cert and Key", i)
		}
	}
	begin, ok := cfg.DB.(txBeginner)
	if cfg.Jobs != nil && !ok {
		return nil, errors.New("as2: Config.DB must begin transactions (a *pgxpool.Pool) when Config.Jobs is set")
	}
	if cfg.MDNTimeout <= 0 {
		cfg.MDNTimeout = DefaultMDNTimeout
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Handler{cfg: cfg, begin: begin, log: log.With("channel", "as2")}, nil
}

// request is one AS2 message being handled.
type request struct {
	partner   *partners.Partner
	messageID string
	opts      mdnOptions
	wantMDN   bool
	async     bool
	// receiptURL is the Receipt-Delivery-Option header, when async.
	receiptURL string
}

// ServeHTTP handles one AS2 message.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "AS2 messages are POSTed", http.StatusMethodNotAllowed)
		return
	}
	req, status, msg := h.identify(r)
	if status != 0 {
		h.log.WarnContext(r.Context(), "AS2 message refused", "status", status, "reason", msg)
		http.Error(w, msg, status)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			http.Error(w, fmt.Sprintf("the message is larger than %d bytes", h.cfg.MaxBytes), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read the message", http.StatusBadRequest)
		return
	}
	top := &entity{header: textproto.MIMEHeader(r.Header), body: body}
	if isMDN(top) {
		h.receiveMDN(r.Context(), w, req, top)
		return
	}
	m, status := h.process(r.Context(), req, top)
	if status != 0 {
		http.Error(w, "the message could not be stored; send it again later", status)
		return
	}
	h.respond(r.Context(), w, req, m)
}

// identify reads the AS2 headers and finds the partner; a non-zero status
// refuses the message with msg.
func (h *Handler) identify(r *http.Request) (*request, int, string) {
	to := unquote(r.Header.Get("AS2-To"))
	if to != h.cfg.ID {
		return nil, http.StatusBadRequest, fmt.Sprintf("AS2-To %q is not our AS2 ID %q", to, h.cfg.ID)
	}
	from := unquote(r.Header.Get("AS2-From"))
	p, ok := h.cfg.Partners.Current().ByAS2ID(from)
	if !ok {
		return nil, http.StatusForbidden, fmt.Sprintf("AS2-From %q is not the AS2 ID of a partner", from)
	}
	if p.Status == partners.StatusSuspended {
		return nil, http.StatusForbidden, fmt.Sprintf("partner %q is suspended", p.ID)
	}
	id := strings.TrimSpace(r.Header.Get("Message-ID"))
	if id == "" {
		return nil, http.StatusBadRequest, "the Message-ID header is required"
	}
	return &request{
		partner:    p,
		messageID:  id,
		opts:       parseMDNOptions(r.Header.Get("Disposition-Notification-Options")),
		wantMDN:    r.Header.Get("Disposition-Notification-To") != "",
		async:      r.Header.Get("Receipt-Delivery-Option") != "",
		receiptURL: r.Header.Get("Receipt-Delivery-Option"),
	}, 0, ""
}

// unquote removes the quotes of a quoted AS2 ID.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.ReplaceAll(s[1:len(s)-1], `\"`, `"`)
	}
	return s
}

// outcome is what the MDN of a message says.
type outcome struct {
	disposition, text string
	mic               string
	fileID            int64
}

// process opens, checks and stores a message. A non-zero status is an HTTP
// error instead of an MDN.
func (h *Handler) process(ctx context.Context, req *request, top *entity) (*outcome, int) {
	p := req.partner
	log := h.log.With("partner", p.ID, "message_id", req.messageID)
	o, f := open(top, h.cfg.Keys, p.Channels.AS2.Certificates, h.cfg.MaxBytes)
	if f == nil {
		f = checkPolicy(p.Channels.AS2, o)
	}
	if f != nil {
		log.WarnContext(ctx, "AS2 message refused", "disposition", f.modifier, "reason", f.msg)
		return &outcome{disposition: dispositionError(f.modifier), text: "The message was refused: " + f.msg + "."}, 0
	}
	mic := h.mic(req, o)
	if first, err := h.cfg.Store.AS2Message(ctx, h.cfg.DB, p.ID, req.messageID); err == nil {
		log.InfoContext(ctx, "AS2 message repeated", "file_id", first.FileID)
		return &outcome{disposition: DispositionDuplicate, mic: first.MIC,
			text: "The message was received before and is not stored again."}, 0
	} else if !errors.Is(err, store.ErrNotFound) {
		log.ErrorContext(ctx, "AS2 duplicate check failed", "err", err)
		return nil, http.StatusServiceUnavailable
	}
	file, err := h.cfg.Pipeline.Receive(ctx, &ingest.ReceiveParams{PartnerID: p.ID, Channel: "as2",
		Filename: filename(o.payload, req.messageID), Body: bytes.NewReader(o.data), MaxBytes: h.cfg.MaxBytes})
	switch {
	case errors.Is(err, store.ErrEmpty), errors.Is(err, store.ErrTooLarge):
		log.WarnContext(ctx, "AS2 payload refused", "err", err)
		return &outcome{disposition: dispositionError(ModUnexpectedError), mic: mic,
			text: "The payload was refused: " + err.Error() + "."}, 0
	case err != nil:
		log.ErrorContext(ctx, "AS2 payload not stored", "err", err)
		return nil, http.StatusServiceUnavailable
	}
	return &outcome{disposition: DispositionProcessed, mic: mic, fileID: file.ID,
		text: "The message was received, verified and stored."}, 0
}

// checkPolicy refuses what the partner's channel does not allow.
func checkPolicy(c *partners.AS2Channel, o *opened) *failure {
	switch {
	case c.RequireSigned && !o.signed:
		return fail(ModInsufficientSecurity, "the partner's messages must be signed")
	case c.RequireEncrypted && !o.encrypted:
		return fail(ModInsufficientSecurity, "the partner's messages must be encrypted")
	}
	return nil
}

// mic returns the base64 Received-Content-MIC of o, with the algorithm the
// sender asked for.
func (h *Handler) mic(req *request, o *opened) string {
	d := req.opts.hash.New()
	d.Write(o.micInput)
	return base64.StdEncoding.EncodeToString(d.Sum(nil))
}

// filename is the payload's Content-Disposition filename or, without one,
// the Message-ID made safe as a file name.
func filename(e *entity, messageID string) string {
	if n := e.filename(); n != "" {
		return n
	}
	return strings.Map(func(r rune) rune {
		if r < 0x21 || r > 0x7e || strings.ContainsRune(`<>/\:"*?|`, r) {
			return -1
		}
		return r
	}, messageID)
}
