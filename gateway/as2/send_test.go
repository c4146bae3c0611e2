package as2_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/partnergate/partnergate/gateway/as2"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// run runs openssl with stdin; usable off the test goroutine.
func run(stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.Command("openssl", args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("openssl %s: %v: %s", args[1], err, errb.String())
	}
	return out.Bytes(), nil
}

// sentMessage is what the partner's server got and checked with openssl.
type sentMessage struct {
	header  http.Header
	payload []byte // the signed payload entity, headers included
	mic     string // its SHA-256, computed by hand
}

// sendBundle is a gateway with a Sender for NORTHWIND and the AS2 server of
// partner acme-retail, which decrypts and verifies messages with openssl and
// answers an MDN chosen by the message's Subject.
type sendBundle struct {
	*bundle
	sender *as2.Sender
	mu     sync.Mutex
	got    []sentMessage
}

// work runs one attempt of the as2_send job of outbox item id, as River
// would.
func (sb *sendBundle) work(w river.Worker[as2.SendAS2Args], id int64, attempt int) error {
	return w.Work(context.Background(), &river.Job[as2.SendAS2Args]{
		JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: as2.SendMaxAttempts}, Args: as2.SendAS2Args{OutboxID: id}})
}

// delivery returns outbox item id with its delivery state.
func (sb *sendBundle) delivery(t *testing.T, id int64) *store.OutboxDelivery {
	t.Helper()
	d, err := sb.env.App.Store.OutboxDeliveryByID(context.Background(), sb.env.App.Pool, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func setupSend(t *testing.T, encrypt string) *sendBundle {
	t.Helper()
	return setupSendChannel(t, "    encrypt: "+encrypt+"\n")
}

// setupSendChannel is setupSend with more lines of the partner's
// channels.as2. The Sender's receipt URL is the gateway's AS2 endpoint.
func setupSendChannel(t *testing.T, channel string) *sendBundle {
	t.Helper()
	sb := &sendBundle{}
	srv := httptest.NewServer(http.HandlerFunc(sb.serve))
	t.Cleanup(srv.Close)
	sb.bundle = setup(t, "    url: \""+srv.URL+"/as2\"\n"+channel)
	app := sb.env.App
	s, err := as2.NewSender(as2.SenderConfig{ID: "NORTHWIND", Key: as2.Key{Cert: sb.us.cert, Key: sb.us.key},
		Partners: app.Partners, Store: app.Store, DB: app.Pool, Logger: app.Logger, ReceiptURL: sb.srv.URL + "/as2"})
	if err != nil {
		t.Fatal(err)
	}
	sb.sender = s
	return sb
}

func (sb *sendBundle) serve(w http.ResponseWriter, r *http.Request) {
	mode := r.Header.Get("Subject")
	if mode == "500" {
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	body, _ := io.ReadAll(r.Body)
	if err := sb.answer(w, r, mode, body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
	}
}

func (sb *sendBundle) answer(w http.ResponseWriter, r *http.Request, mode string, body []byte) error {
	signed := append([]byte("Content-Type: "+r.Header.Get("Content-Type")+"\r\n\r\n"), body...)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/pkcs7-mime") {
		var err error
		if signed, err = run(body, "cms", "-decrypt", "-binary", "-inform", "DER", "-recip", sb.partner.crtPath,
			"-inkey", sb.partner.path); err != nil {
			return err
		}
	}
	payload, sig, err := splitSigned(signed)
	if err != nil {
		return err
	}
	// Detached, so that openssl checks the exact bytes.
	content := filepath.Join(sb.dir, fmt.Sprintf("content-%d", time.Now().UnixNano()))
	if err := os.WriteFile(content, payload, 0o600); err != nil {
		return err
	}
	if _, err := run(sig, "cms", "-verify", "-binary", "-inform", "DER", "-content", content, "-CAfile", sb.us.crtPath,
		"-purpose", "any"); err != nil {
		return err
	}
	sum := sha256.Sum256(payload)
	mic := base64.StdEncoding.EncodeToString(sum[:])
	sb.mu.Lock()
	sb.got = append(sb.got, sentMessage{header: r.Header.Clone(), payload: payload, mic: mic})
	sb.mu.Unlock()
	if r.Header.Get("Receipt-Delivery-Option") != "" {
		return nil // 200; the test sends the MDN
	}
	out, err := sb.mdn(mode, r.Header.Get("Message-ID"), mic)
	if err != nil {
		return err
	}
	head, mdnBody, _ := bytes.Cut(out, []byte("\r\n\r\n"))
	for _, line := range strings.Split(strings.ReplaceAll(string(head), "\r\n\t", " "), "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Content-Type") {
			w.Header().Set("Content-Type", strings.TrimSpace(v))
		}
	}
	_, err = w.Write(mdnBody)
	return err
}

// mdn builds the partner's MDN answering messageID, whose MIC is mic, as
// mode asks: "wrong-mic", "warning", "error", "unsigned", "wrong-signer" or
// anything else for a processed one signed by the partner. It returns the
// MDN with its headers.
func (sb *sendBundle) mdn(mode, messageID, mic string) ([]byte, error) {
	disposition := "automatic-action/MDN-sent-automatically; processed"
	switch mode {
	case "wrong-mic":
		mic = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	case "warning":
		disposition += "/warning: duplicate-document"
	case "error":
		disposition += "/error: decryption-failed"
	}
	report := "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain\r\n\r\nThanks.\r\n" +
		"--b1\r\nContent-Type: message/disposition-notification\r\n\r\n" +
		"Reporting-UA: test\r\nOriginal-Message-ID: " + messageID + "\r\n" +
		"Received-Content-MIC: " + mic + ", sha-256\r\nDisposition: " + disposition + "\r\n" +
		"\r\n--b1--\r\n"
	if mode == "unsigned" {
		return []byte(report), nil
	}
	signer := sb.partner
	if mode == "wrong-signer" {
		signer = sb.strange
	}
	return run([]byte(report), "cms", "-sign", "-signer", signer.crtPath, "-inkey", signer.path, "-md", "sha256",
		"-binary", "-crlfeol")
}

// splitSigned returns the signed part of a multipart/signed entity, exactly
// as sent, and its DER signature.
func splitSigned(signed []byte) (part, sig []byte, err error) {
	m := regexp.MustCompile(`boundary="([^"]+)"`).FindSubmatch(signed)
	if m == nil {
		return nil, nil, errors.New("no boundary")
	}
	_, body, _ := bytes.Cut(signed, []byte("\r\n\r\n"))
	delim := []byte("--" + string(m[1]))
	chunks := bytes.Split(body, delim)
	if len(chunks) != 4 {
		return nil, nil, fmt.Errorf("%d chunks in the multipart/signed body", len(chunks))
	}
	part = bytes.TrimSuffix(bytes.TrimPrefix(chunks[1], []byte("\r\n")), []byte("\r\n"))
	_, b64, _ := bytes.Cut(chunks[2], []byte("\r\n\r\n"))
	sig, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(b64)))
	return part, sig, err
}

func (sb *sendBundle) partnerConfig(t *testing.T) *partners.Partner {
	t.Helper()
	p, ok := sb.env.App.Partners.Current().ByID("acme-retail")
	if !ok {
		t.Fatal("no partner acme-retail")
	}
	return p
}

func (sb *sendBundle) last(t *testing.T) sentMessage {
	t.Helper()
	sb.mu.Lock()
	defer sb.mu.Unlock()
	if len(sb.got) == 0 {
		t.Fatal("the partner received nothing it could decrypt and verify")
	}
	return sb.got[len(sb.got)-1]
}

func TestSend(t *testing.T) {
	for _, encrypt := range []string{"aes256-cbc", "aes128-cbc", "none"} {
		t.Run(encrypt, func(t *testing.T) {
			sb := setupSend(t, encrypt)
			edi := gatewaytest.Fixture(t, "850-004010.edi")
			res, err := sb.sender.Send(context.Background(), &as2.SendParams{Partner: sb.partnerConfig(t),
				Filename: "po 1.edi", Payload: []byte(edi), Subject: "ok"})
			if err != nil {
				t.Fatal(err)
			}
			got := sb.last(t)
			if res.MIC != got.mic || res.MICAlg != "sha-256" {
				t.Errorf("MIC %s, %s; the partner computed %s", res.MIC, res.MICAlg, got.mic)
			}
			if !strings.HasSuffix(res.Disposition, "; processed") || res.Warning != "" {
				t.Errorf("disposition %q, warning %q", res.Disposition, res.Warning)
			}
			for k, want := range map[string]string{"AS2-From": "NORTHWIND", "AS2-To": `"ACME AS2"`, "AS2-Version": "1.2",
				"Message-ID": res.MessageID, "Disposition-Notification-Options": "signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256"} {
				if v := got.header.Get(k); v != want {
					t.Errorf("%s: %q, want %q", k, v, want)
				}
			}
			for _, want := range []string{"Content-Type: application/edi-x12\r\n", "Content-Disposition: attachment; filename=\"po 1.edi\"\r\n", "\r\n\r\n" + edi} {
				if !bytes.Contains(got.payload, []byte(want)) {
					t.Errorf("the payload entity lacks %q:\n%.300q", want, got.payload)
				}
			}
		})
	}
}

func TestSendFailures(t *testing.T) {
	sb := setupSend(t, "aes256-cbc")
	for _, tc := range []struct {
		mode      string
		step      string
		err       error
		temporary bool
	}{
		{"wrong-mic", as2.StepMIC, as2.ErrMICMismatch, false},
		{"unsigned", as2.StepVerifyMDN, as2.ErrMDNUnsigned, false},
		{"wrong-signer", as2.StepVerifyMDN, as2.ErrMDNSignature, false},
		{"error", as2.StepDisposition, as2.ErrRefused, false},
		{"500", as2.StepPost, as2.ErrHTTPStatus, true},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			_, err := sb.sender.Send(context.Background(), &as2.SendParams{Partner: sb.partnerConfig(t),
				Filename: "x.edi", Payload: []byte("hello"), Subject: tc.mode})
			var se *as2.SendError
			if !errors.As(err, &se) || se.Step != tc.step || !errors.Is(err, tc.err) || se.Temporary != tc.temporary {
				t.Fatalf("got %v (%#v), want step %s, %v, temporary %v", err, se, tc.step, tc.err, tc.temporary)
			}
		})
	}
	t.Run("warning", func(t *testing.T) {
		res, err := sb.sender.Send(context.Background(), &as2.SendParams{Partner: sb.partnerConfig(t),
			Filename: "x.edi", Payload: []byte("hello"), Subject: "warning"})
		if err != nil || res.Warning != "duplicate-document" {
			t.Fatalf("%v, %+v", err, res)
		}
	})
}

// outboxItem queues an outbox item for acme-retail named filename and
// returns its ID.
func (sb *sendBundle) outboxItem(t *testing.T, filename string) int64 {
	t.Helper()
	return queueOutbox(t, sb.env, filename)
}

// queueOutbox queues an outbox item for acme-retail named filename in env
// and returns its ID.
func queueOutbox(t *testing.T, env *gatewaytest.Env, filename string) int64 {
	t.Helper()
	app, ctx := env.App, context.Background()
	var batch pgx.Batch
	app.Store.QueueOutbox(&batch, &store.OutboxItem{PartnerID: "acme-retail", Kind: store.OutboxAck, Type: "997",
		Filename: filename, Body: []byte("ISA*00*...~")})
	if err := app.Pool.SendBatch(ctx, &batch).Close(); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := app.Pool.QueryRow(ctx, `SELECT max(id) FROM outbox`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSendWorker(t *testing.T) {
	sb := setupSend(t, "aes256-cbc")
	w, err := sb.sender.Worker()
	if err != nil {
		t.Fatal(err)
	}
	work := func(id int64, attempt int) error { return sb.work(w, id, attempt) }
	get := func(id int64) *store.OutboxDelivery { return sb.delivery(t, id) }

	ok := sb.outboxItem(t, "ok")
	if err := work(ok, 1); err != nil {
		t.Fatal(err)
	}
	d := get(ok)
	if d.DeliveredAt == nil || d.Item.PickedUpAt == nil || d.Attempts != 1 || len(d.MDN) == 0 || d.Error != "" ||
		!strings.HasPrefix(d.MessageID, "<outbox-") || sb.last(t).header.Get("Message-ID") != d.MessageID {
		t.Errorf("delivered item: %+v", d)
	}

	retry := sb.outboxItem(t, "500")
	err = work(retry, 1)
	var cancel *river.JobCancelError
	if err == nil || errors.As(err, &cancel) {
		t.Fatalf("a 500 answer: %v, want an error River retries", err)
	}
	if d := get(retry); d.DeliveredAt != nil || d.FailedAt != nil || d.Attempts != 1 || !strings.Contains(d.Error, "500") {
		t.Errorf("retried item: %+v", d)
	}
	if err := work(retry, as2.SendMaxAttempts); err == nil {
		t.Fatal("no error at the last attempt")
	}
	if d := get(retry); d.FailedAt == nil || d.Attempts != as2.SendMaxAttempts {
		t.Errorf("given up item: %+v", d)
	}

	bad := sb.outboxItem(t, "wrong-mic")
	if err := work(bad, 1); !errors.As(err, &cancel) || !errors.Is(err, as2.ErrMICMismatch) {
		t.Fatalf("a wrong MIC: %v, want a cancelled job", err)
	}
	if d := get(bad); d.FailedAt == nil || d.Item.PickedUpAt != nil || !strings.Contains(d.Error, "mic") {
		t.Errorf("failed item: %+v", d)
	}
}

// TestSendToOurHandler sends, as the partner ACME AS2, to our own inbound
// Handler: it decrypts, verifies, stores and answers a signed MDN with the
// MIC it computed, which the Sender checks.
func TestSendToOurHandler(t *testing.T) {
	b := setup(t, "")
	for _, tc := range []struct{ sign, encrypt string }{
		{"sha256", "aes256-cbc"}, {"sha256", "aes128-gcm"}, {"sha512", "aes256-gcm"}, {"sha1", "aes128-cbc"}, {"sha384", "none"},
	} {
		t.Run(tc.sign+"-"+tc.encrypt, func(t *testing.T) {
			s, err := as2.NewSender(as2.SenderConfig{ID: "ACME AS2", Key: as2.Key{Cert: b.partner.cert, Key: b.partner.key},
				Logger: b.env.App.Logger})
			if err != nil {
				t.Fatal(err)
			}
			us := &partners.Partner{ID: "northwind", Channels: partners.Channels{AS2: &partners.AS2Channel{AS2ID: "NORTHWIND",
				URL: b.srv.URL + "/as2", Certificates: []*x509.Certificate{b.us.cert}, Sign: tc.sign, Encrypt: tc.encrypt}}}
			edi := gatewaytest.Fixture(t, "850-004010.edi")
			res, err := s.Send(context.Background(), &as2.SendParams{Partner: us, Filename: "po.edi", Payload: []byte(edi)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Warning != "" || !strings.HasSuffix(res.Disposition, "; processed") {
				t.Errorf("%+v", res)
			}
			rec, err := b.env.App.Store.AS2Message(context.Background(), b.env.App.Pool, "acme-retail", res.MessageID)
			if err != nil || rec.MIC != res.MIC {
				t.Fatalf("recorded %+v, %v; sent MIC %s", rec, err, res.MIC)
			}
		})
	}
}
