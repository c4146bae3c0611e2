package as2

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/textproto"
	"strings"
	"sync"
	"time"

	"github.com/smallstep/pkcs7"

	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// DefaultSendTimeout is the default timeout of SenderConfig.Client: one
// POST of a message and the reading of its synchronous MDN.
const DefaultSendTimeout = 2 * time.Minute

// MaxMDNBytes bounds the synchronous MDN a Sender reads.
const MaxMDNBytes = 1 << 20

// Steps of a Send, named in SendError.
const (
	StepConfig      = "config"      // the partner's channel cannot be sent to
	StepSign        = "sign"        // signing the payload
	StepEncrypt     = "encrypt"     // encrypting the signed payload
	StepPost        = "post"        // the HTTP request and its status
	StepMDN         = "mdn"         // reading the MDN
	StepVerifyMDN   = "verify-mdn"  // the MDN's signature
	StepDisposition = "disposition" // the MDN's disposition
	StepMIC         = "mic"         // the MDN's Received-Content-MIC
)

// Errors of Send, wrapped in a SendError.
var (
	// ErrHTTPStatus is an answer other than 2xx.
	ErrHTTPStatus = errors.New("the partner answered with an HTTP error")
	// ErrNoMDN is an answer that is not an MDN.
	ErrNoMDN = errors.New("the answer is not an MDN")
	// ErrMDNUnsigned is an unsigned MDN; we always ask for a signed one.
	ErrMDNUnsigned = errors.New("the MDN is not signed")
	// ErrMDNSignature is an MDN whose signature is not by one of the
	// partner's certificates or does not match its content.
	ErrMDNSignature = errors.New("the MDN's signature does not verify")
	// ErrMDNMessageID is an MDN that answers another message.
	ErrMDNMessageID = errors.New("the MDN's Original-Message-ID is not the message's")
	// ErrRefused is an MDN with a processed/error or failed disposition.
	ErrRefused = errors.New("the partner refused the message")
	// ErrMICMismatch is an MDN without the Received-Content-MIC of what we
	// signed.
	ErrMICMismatch = errors.New("the MDN's Received-Content-MIC does not match the message's MIC")
)

// SendError is why a Send failed: the step that failed and its cause.
type SendError struct {
	// Step is one of the Step constants.
	Step string
	// Err is the cause; it wraps one of the ErrXxx of Send when there is
	// one.
	Err error
	// Temporary marks failures a later attempt may mend: connection errors,
	// timeouts and HTTP 408, 429 and 5xx answers.
	Temporary bool
}

func (e *SendError) Error() string { return "as2 send: " + e.Step + ": " + e.Err.Error() }

// Unwrap returns Err.
func (e *SendError) Unwrap() error { return e.Err }

func sendErr(step string, temporary bool, format string, args ...any) *SendError {
	return &SendError{Step: step, Err: fmt.Errorf(format, args...), Temporary: temporary}
}

// SenderConfig is what a Sender needs. ID and Key are required; Partners,
// Store and DB only by Worker.
type SenderConfig struct {
	// ID is our AS2 name, sent in AS2-From.
	ID string
	// Key signs the messages: the first of our key pairs.
	Key Key
	// Client sends the messages. Default an http.Client with the timeout
	// DefaultSendTimeout.
	Client *http.Client
	// Partners, Store and DB are where Worker finds partners and outbox
	// items and records their delivery.
	Partners PartnerSet
	Store    *store.Store
	DB       store.DB
	// ReceiptURL is where partners POST asynchronous MDNs: our AS2
	// endpoint as partners reach it (as2.public_url), sent as
	// Receipt-Delivery-Option to partners whose channels.as2.mdn is async.
	// Required to send to them; default "".
	ReceiptURL string
	// MDNWait is how long the send job waits for an asynchronous MDN
	// before it sends the item again (a new attempt, with the same
	// Message-ID). Default DefaultMDNWait.
	MDNWait time.Duration
	// Logger defaults to slog.Default(); Now to time.Now.
	Logger *slog.Logger
	Now    func() time.Time
	// Base64 sends the body of an encrypted message base64-encoded, with
	// Content-Transfer-Encoding: base64 and Content-Disposition: attachment,
	// instead of as binary DER. AS2
	// over HTTP is normally binary (RFC 4130 section 5.2); some receivers
	// read the body as text and need base64. Signed-only messages are
	// always sent as they are.
	Base64 bool
}

// Sender sends documents to partners over AS2 and checks their MDNs.
type Sender struct {
	cfg SenderConfig
	log *slog.Logger
}

// NewSender checks cfg and returns a Sender.
func NewSender(cfg SenderConfig) (*Sender, error) {
	switch {
	case !partners.ValidAS2ID(cfg.ID):
		return nil, fmt.Errorf("as2: SenderConfig.ID %q is not a valid AS2 ID", cfg.ID)
	case cfg.Key.Cert == nil || cfg.Key.Key == nil:
		return nil, errors.New("as2: SenderConfig.Key needs Cert and Key")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: DefaultSendTimeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MDNWait <= 0 {
		cfg.MDNWait = DefaultMDNWait
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Sender{cfg: cfg, log: log.With("channel", "as2", "direction", "out")}, nil
}

// SendParams is one document to send.
type SendParams struct {
	// Partner receives the document over its channels.as2.
	Partner *partners.Partner
	// Filename is the Content-Disposition filename of the payload.
	Filename string
	Payload  []byte
	// ContentType defaults to application/edi-x12 when Payload starts with
	// an ISA segment and to application/octet-stream otherwise.
	ContentType string
	// MessageID is the Message-ID, with its angle brackets. Default a new
	// one. Retries of a delivery should reuse it so that the partner can
	// recognize a repeat.
	MessageID string
	// Subject defaults to the filename.
	Subject string
}

// SendResult is a delivered message and its MDN.
type SendResult struct {
	MessageID string
	// MIC is the base64 MIC of the signed payload entity, and MICAlg its
	// algorithm as named in micalg (sha-256, …).
	MIC, MICAlg string
	// Disposition is the MDN's Disposition; Warning the modifier of a
	// processed/warning disposition, else empty.
	Disposition, Warning string
	// MDN is the MDN, headers and body.
	MDN []byte
	// AwaitingMDN marks a message the partner accepted (HTTP 2xx) and will
	// answer with an asynchronous MDN; Disposition, Warning and MDN are
	// then empty.
	AwaitingMDN bool
}

// Send signs Payload with our key, encrypts it for the partner's first
// certificate with its channels.as2.encrypt cipher (RSA-OAEP key
// transport, SHA-1) and POSTs it to its channels.as2.url asking for a
// signed MDN.
//
// When the partner's channels.as2.mdn is sync, the MDN is the answer, and
// Send checks it: its signature against the partner's certificates, its
// Original-Message-ID, its disposition and its MIC. A processed/warning
// disposition delivers the message with SendResult.Warning set.
//
// When it is async, the request's Receipt-Delivery-Option is
// SenderConfig.ReceiptURL, any 2xx answer is a success with
// SendResult.AwaitingMDN set, and the MDN, POSTed later to our endpoint,
// is checked by the Handler against the MIC recorded for the message.
//
// Errors are *SendError.
func (s *Sender) Send(ctx context.Context, p *SendParams) (*SendResult, error) {
	o, err := s.prepare(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.post(o)
}

// outgoing is a message ready to POST.
type outgoing struct {
	req   *http.Request
	res   *SendResult
	async bool
	certs []*x509.Certificate
}

// prepare signs, encrypts and addresses a message; the MIC of its result
// is known before it is POSTed.
func (s *Sender) prepare(ctx context.Context, p *SendParams) (*outgoing, error) {
	c := p.Partner.Channels.AS2
	switch {
	case c == nil:
		return nil, sendErr(StepConfig, false, "partner %q has no AS2 channel", p.Partner.ID)
	case c.URL == "":
		return nil, sendErr(StepConfig, false, "partner %q has no channels.as2.url", p.Partner.ID)
	case len(c.Certificates) == 0:
		return nil, sendErr(StepConfig, false, "partner %q has no certificates", p.Partner.ID)
	}
	async := c.MDN == partners.MDNAsync
	if async && s.cfg.ReceiptURL == "" {
		return nil, sendErr(StepConfig, false,
			"partner %q asks for asynchronous MDNs (channels.as2.mdn: async) but no receipt URL is configured (as2.public_url)", p.Partner.ID)
	}
	signAlg := c.Sign
	if signAlg == "" {
		signAlg = partners.DefaultAS2Sign
	}
	h, ok := hashByName(signAlg)
	if !ok {
		return nil, sendErr(StepConfig, false, "unsupported channels.as2.sign %q", c.Sign)
	}
	micalg := micalgName(h)
	res := &SendResult{MessageID: p.MessageID, MICAlg: micalg}
	if res.MessageID == "" {
		res.MessageID = newMessageID()
	}

	payload := payloadEntity(p)
	d := h.New()
	d.Write(payload)
	res.MIC = base64.StdEncoding.EncodeToString(d.Sum(nil))
	signed, err := signEntity(payload, s.cfg.Key, h, micalg)
	if err != nil {
		return nil, sendErr(StepSign, false, "%v", err)
	}
	contentType, body := signed.contentType, signed.body
	if cipher := c.Encrypt; cipher != "none" {
		if cipher == "" {
			cipher = partners.DefaultAS2Encrypt
		}
		if body, err = envelope(signed.bytes(), c.Certificates[0], cipher); err != nil {
			return nil, sendErr(StepEncrypt, false, "%v", err)
		}
		contentType = `application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"`
		if s.cfg.Base64 {
			body = base64Lines(body)
		}
	}

	subject := p.Subject
	if subject == "" {
		subject = p.Filename
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return nil, sendErr(StepConfig, false, "channels.as2.url: %v", err)
	}
	hd := req.Header
	hd.Set("Content-Type", contentType)
	if s.cfg.Base64 && c.Encrypt != "none" {
		hd.Set("Content-Transfer-Encoding", "base64")
		hd.Set("Content-Disposition", `attachment; filename="smime.p7m"`)
	}
	hd.Set("MIME-Version", "1.0")
	hd.Set("AS2-Version", "1.2")
	hd.Set("AS2-From", quoteID(s.cfg.ID))
	hd.Set("AS2-To", quoteID(c.AS2ID))
	hd.Set("Message-ID", res.MessageID)
	hd.Set("Subject", mime.QEncoding.Encode("utf-8", subject))
	hd.Set("Date", s.cfg.Now().UTC().Format(http.TimeFormat))
	hd.Set("Disposition-Notification-To", s.cfg.ID)
	hd.Set("Disposition-Notification-Options",
		"signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, "+micalg)
	if async {
		hd.Set("Receipt-Delivery-Option", s.cfg.ReceiptURL)
	}
	hd.Set("User-Agent", "partnergate")
	return &outgoing{req: req, res: res, async: async, certs: c.Certificates}, nil
}

// post POSTs o and checks its synchronous MDN, or accepts any 2xx answer
// when the MDN comes asynchronously.
func (s *Sender) post(o *outgoing) (*SendResult, error) {
	res := o.res
	resp, err := s.cfg.Client.Do(o.req)
	if err != nil {
		return nil, sendErr(StepPost, true, "%v", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, MaxMDNBytes+1))
	if err != nil {
		return nil, sendErr(StepPost, true, "reading the answer: %v", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		temporary := resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout ||
			resp.StatusCode == http.StatusTooManyRequests
		return nil, sendErr(StepPost, temporary, "%w: %s: %s", ErrHTTPStatus, resp.Status,
			truncate(strings.TrimSpace(string(answer)), 200))
	}
	if o.async {
		res.AwaitingMDN = true
		return res, nil
	}
	if len(answer) > MaxMDNBytes {
		return nil, sendErr(StepMDN, false, "%w: it is larger than %d bytes", ErrNoMDN, MaxMDNBytes)
	}
	res.MDN = append([]byte("Content-Type: "+resp.Header.Get("Content-Type")+"\r\n\r\n"), answer...)
	if err := checkMDN(&entity{header: textproto.MIMEHeader(resp.Header), body: answer}, o.certs, res); err != nil {
		return nil, err
	}
	return res, nil
}

// base64Lines encodes data in base64 lines of 76 characters ended by CRLF
// (RFC 2045 section 6.8).
func base64Lines(data []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(data)
	var b bytes.Buffer
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// payloadEntity returns the payload as a MIME entity with CRLF headers.
func payloadEntity(p *SendParams) []byte {
	ct := p.ContentType
	if ct == "" {
		ct = "application/octet-stream"
		if bytes.HasPrefix(bytes.TrimLeft(p.Payload, " \t\r\n"), []byte("ISA")) {
			ct = "application/edi-x12"
		}
	}
	var b bytes.Buffer
	b.WriteString("Content-Type: " + ct + "\r\n")
	b.WriteString("Content-Transfer-Encoding: binary\r\n")
	if p.Filename != "" {
		b.WriteString("Content-Disposition: " + mime.FormatMediaType("attachment", map[string]string{"filename": p.Filename}) + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(p.Payload)
	return b.Bytes()
}

// micalgName names h as micalg (RFC 5751 section 3.4.3.2).
func micalgName(h crypto.Hash) string {
	switch h {
	case crypto.SHA1:
		return "sha-1"
	case crypto.SHA384:
		return "sha-384"
	case crypto.SHA512:
		return "sha-512"
	}
	return "sha-256"
}

// encryptMu serializes envelope: pkcs7.Encrypt takes its algorithms from
// package variables.
var encryptMu sync.Mutex

// envelope encrypts content as CMS EnvelopedData for cert with cipher (a
// channels.as2.encrypt value), the content key transported with RSA-OAEP
// (SHA-1 and MGF1 with SHA-1).
func envelope(content []byte, cert *x509.Certificate, cipher string) ([]byte, error) {
	var alg int
	switch cipher {
	case "aes128-cbc":
		alg = pkcs7.EncryptionAlgorithmAES128CBC
	case "aes256-cbc":
		alg = pkcs7.EncryptionAlgorithmAES256CBC
	case "aes128-gcm":
		alg = pkcs7.EncryptionAlgorithmAES128GCM
	case "aes256-gcm":
		alg = pkcs7.EncryptionAlgorithmAES256GCM
	default:
		return nil, fmt.Errorf("the cipher %q is not supported for sending (aes128-cbc, aes256-cbc, aes128-gcm, aes256-gcm)", cipher)
	}
	encryptMu.Lock()
	defer encryptMu.Unlock()
	prevAlg, prevKey, prevHash := pkcs7.ContentEncryptionAlgorithm, pkcs7.KeyEncryptionAlgorithm, pkcs7.KeyEncryptionHash
	defer func() {
		pkcs7.ContentEncryptionAlgorithm, pkcs7.KeyEncryptionAlgorithm, pkcs7.KeyEncryptionHash = prevAlg, prevKey, prevHash
	}()
	pkcs7.ContentEncryptionAlgorithm = alg
	pkcs7.KeyEncryptionAlgorithm = pkcs7.OIDEncryptionAlgorithmRSAESOAEP
	// SHA-1, the default of RFC 3560: with SHA-256, pkcs7 names the hash
	// but not MGF1-SHA-256 while using it, and openssl cannot decrypt.
	pkcs7.KeyEncryptionHash = crypto.SHA1
	return pkcs7.Encrypt(content, []*x509.Certificate{cert})
}

// checkMDN checks a synchronous MDN answering res and fills res's
// Disposition and Warning.
func checkMDN(top *entity, certs []*x509.Certificate, res *SendResult) error {
	fields, err := readMDN(top, certs)
	if err != nil {
		return err
	}
	if got := strings.TrimSpace(fields.Get("Original-Message-ID")); got != res.MessageID {
		return sendErr(StepMDN, false, "%w: %q, not %q", ErrMDNMessageID, got, res.MessageID)
	}
	return checkReceipt(fields, res)
}

// readMDN verifies the signature of an MDN against certs and returns the
// fields of its disposition notification. Errors are *SendError.
func readMDN(top *entity, certs []*x509.Certificate) (textproto.MIMEHeader, error) {
	mt, params := top.mediaType()
	switch mt {
	case "multipart/signed":
	case "multipart/report":
		return nil, sendErr(StepVerifyMDN, false, "%w", ErrMDNUnsigned)
	default:
		return nil, sendErr(StepMDN, false, "%w: its Content-Type is %q", ErrNoMDN, top.header.Get("Content-Type"))
	}
	part, _, f := verifyEntity(top, params["boundary"], certs)
	if f != nil {
		return nil, sendErr(StepVerifyMDN, false, "%w: %s", ErrMDNSignature, f.msg)
	}
	fields, err := dispositionFields(part)
	if err != nil {
		return nil, sendErr(StepMDN, false, "%w: %v", ErrNoMDN, err)
	}
	return fields, nil
}

// checkReceipt checks the disposition and the Received-Content-MIC of an
// MDN's fields against res, the message it answers, and fills res's
// Disposition and Warning.
func checkReceipt(fields textproto.MIMEHeader, res *SendResult) error {
	res.Disposition = strings.TrimSpace(fields.Get("Disposition"))
	_, status, _ := strings.Cut(res.Disposition, ";")
	status = strings.TrimSpace(status)
	kind, modifier, _ := strings.Cut(status, ":")
	switch strings.ToLower(strings.TrimSpace(kind)) {
	case "processed":
	case "processed/warning":
		res.Warning = strings.TrimSpace(modifier)
	default:
		return sendErr(StepDisposition, false, "%w: %s", ErrRefused, status)
	}
	mic := fields.Get("Received-Content-MIC")
	if mic == "" {
		return sendErr(StepMIC, false, "%w: the MDN has none", ErrMICMismatch)
	}
	value, alg, _ := strings.Cut(mic, ",")
	got, ok1 := hashByName(alg)
	want, ok2 := hashByName(res.MICAlg)
	if !ok1 || !ok2 || got != want || strings.TrimSpace(value) != res.MIC {
		return sendErr(StepMIC, false, "%w: the MDN has %q, we computed %q, %s", ErrMICMismatch, strings.TrimSpace(mic), res.MIC, res.MICAlg)
	}
	return nil
}

// dispositionFields returns the fields of the message/disposition-notification
// part of the multipart/report entity raw.
func dispositionFields(raw []byte) (textproto.MIMEHeader, error) {
	report, err := parseEntity(raw)
	if err != nil {
		return nil, err
	}
	mt, params := report.mediaType()
	if mt != "multipart/report" {
		return nil, fmt.Errorf("the signed content is %q, not multipart/report", mt)
	}
	parts, err := splitMultipart(report.body, params["boundary"])
	if err != nil {
		return nil, err
	}
	for _, raw := range parts {
		e, err := parseEntity(raw)
		if err != nil {
			return nil, err
		}
		if mt, _ := e.mediaType(); mt != "message/disposition-notification" {
			continue
		}
		body, err := e.decoded()
		if err != nil {
			return nil, err
		}
		body = append(bytes.TrimRight(body, "\r\n"), "\r\n\r\n"...)
		fields, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(body))).ReadMIMEHeader()
		if err != nil {
			return nil, fmt.Errorf("malformed disposition notification: %v", err)
		}
		return fields, nil
	}
	return nil, errors.New("the report has no message/disposition-notification part")
}
