package as2_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/as2"
	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// pair is a key pair written to files for openssl.
type pair struct {
	cert          *x509.Certificate
	key           *rsa.PrivateKey
	crtPath, path string // certificate and key files
}

func newPair(t *testing.T, dir, name string, serial int64) *pair {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	p := &pair{cert: cert, key: k, crtPath: filepath.Join(dir, name+".crt"), path: filepath.Join(dir, name+".key")}
	gatewaytest.WriteFile(t, p.crtPath, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	gatewaytest.WriteFile(t, p.path, string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})))
	return p
}

type bundle struct {
	env                  *gatewaytest.Env
	srv                  *httptest.Server
	dir                  string
	us, partner, strange *pair
}

// setup runs a gateway with partner acme-retail (AS2 ID "ACME AS2") and
// extra channel settings, and an AS2 server for NORTHWIND.
func setup(t *testing.T, channel string) *bundle {
	t.Helper()
	dir := t.TempDir()
	b := &bundle{dir: dir, us: newPair(t, dir, "us", 1), partner: newPair(t, dir, "partner", 2), strange: newPair(t, dir, "stranger", 3)}
	b.env = gatewaytest.Start(t, gatewaytest.Partner{
		Extra: "  as2:\n    as2_id: \"ACME AS2\"\n    certificates: [\"file:" + b.partner.crtPath + "\"]\n" + channel})
	app := b.env.App
	h, err := as2.New(as2.Config{Partners: app.Partners, Store: app.Store, DB: app.Pool, Pipeline: app.Pipeline,
		ID: "NORTHWIND", Keys: []as2.Key{{Cert: b.us.cert, Key: b.us.key}}, Logger: app.Logger})
	if err != nil {
		t.Fatal(err)
	}
	b.srv = httptest.NewServer(h)
	t.Cleanup(b.srv.Close)
	return b
}

// openssl runs openssl with stdin and returns its output.
func openssl(t *testing.T, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.Bytes()
}

// payloadEntity is the 850 as a MIME entity.
func payloadEntity(t *testing.T) []byte {
	t.Helper()
	return []byte("Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename=po-4500012345.edi\r\n\r\n" +
		gatewaytest.Fixture(t, "850-004010.edi"))
}

// sign signs entity with p, detached, as an S/MIME multipart/signed
// message with CRLF line endings.
func sign(t *testing.T, p *pair, entity []byte) []byte {
	t.Helper()
	return openssl(t, entity, "cms", "-sign", "-signer", p.crtPath, "-inkey", p.path, "-md", "sha256", "-binary", "-crlfeol")
}

// encrypt encrypts entity for p with AES-256-CBC and RSA-OAEP; the result
// is DER.
func encrypt(t *testing.T, p *pair, entity []byte) []byte {
	t.Helper()
	der := openssl(t, entity, "cms", "-encrypt", "-binary", "-aes256", "-recip", p.crtPath, "-keyopt", "rsa_padding_mode:oaep", "-outform", "DER")
	return append([]byte("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n\r\n"), der...)
}

// split returns the headers of a MIME message as a map and its body.
func split(t *testing.T, msg []byte) (map[string]string, []byte) {
	t.Helper()
	i := bytes.Index(msg, []byte("\r\n\r\n"))
	if i < 0 {
		t.Fatalf("no header end in %.200q", msg)
	}
	h := map[string]string{}
	lines := strings.Split(strings.ReplaceAll(string(msg[:i]), "\r\n\t", " "), "\r\n")
	for _, l := range lines {
		k, v, _ := strings.Cut(l, ":")
		h[k] = strings.TrimSpace(v)
	}
	return h, msg[i+4:]
}

// post sends a MIME message with AS2 headers and returns the response and
// its body.
func (b *bundle) post(t *testing.T, msg []byte, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	h, body := split(t, msg)
	req, err := http.NewRequest(http.MethodPost, b.srv.URL+"/as2", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", h["Content-Type"])
	req.Header.Set("AS2-Version", "1.2")
	req.Header.Set("as2-from", `"ACME AS2"`)
	req.Header.Set("AS2-To", "NORTHWIND")
	req.Header.Set("Message-ID", "<msg-1@acme.example>")
	req.Header.Set("Disposition-Notification-To", "as2@acme.example")
	req.Header.Set("Disposition-Notification-Options", "signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha256")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// verifyMDN checks the signed MDN with openssl against our certificate
// and returns the multipart/report it signs.
func (b *bundle) verifyMDN(t *testing.T, resp *http.Response, body []byte) string {
	t.Helper()
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "multipart/signed") || !strings.Contains(ct, "micalg=sha256") {
		t.Fatalf("status %d, Content-Type %q, body %s", resp.StatusCode, ct, body)
	}
	if !bytes.Contains(body, []byte("Content-Disposition: attachment; filename=smime.p7s\r\n")) {
		t.Errorf("the signature part has no smime.p7s disposition")
	}
	if bytes.Contains(bytes.ReplaceAll(body, []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("the MDN has a bare LF")
	}
	msg := append([]byte("MIME-Version: 1.0\r\nContent-Type: "+ct+"\r\n\r\n"), body...)
	return string(openssl(t, msg, "cms", "-verify", "-CAfile", b.us.crtPath, "-purpose", "any"))
}

var dispositionRE = regexp.MustCompile(`Disposition: (.*)\r\n`)

func disposition(t *testing.T, report string) string {
	t.Helper()
	m := dispositionRE.FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no Disposition in %s", report)
	}
	return m[1]
}

// signedPartMIC computes the MIC of a multipart/signed message by hand: the
// SHA-256 of its first part, headers included.
func signedPartMIC(t *testing.T, signed []byte) string {
	t.Helper()
	h, body := split(t, signed)
	m := regexp.MustCompile(`boundary="([^"]+)"`).FindStringSubmatch(h["Content-Type"])
	if m == nil {
		t.Fatalf("no boundary in %q", h["Content-Type"])
	}
	delim := "--" + m[1] + "\r\n"
	start := bytes.Index(body, []byte(delim)) + len(delim)
	end := bytes.Index(body[start:], []byte("\r\n--"+m[1]))
	sum := sha256.Sum256(body[start : start+end])
	return base64.StdEncoding.EncodeToString(sum[:])
}

func TestSignedAndEncryptedOrder(t *testing.T) {
	t.Parallel()
	b := setup(t, "")
	signed := sign(t, b.partner, payloadEntity(t))
	resp, body := b.post(t, encrypt(t, b.us, signed), nil)
	report := b.verifyMDN(t, resp, body)
	if d := disposition(t, report); d != as2.DispositionProcessed {
		t.Fatalf("disposition %q\n%s", d, report)
	}
	for _, want := range []string{"Reporting-UA: partnergate\r\n", "Original-Recipient: rfc822; NORTHWIND\r\n",
		"Final-Recipient: rfc822; NORTHWIND\r\n", "Original-Message-ID: <msg-1@acme.example>\r\n",
		"Received-Content-MIC: " + signedPartMIC(t, signed) + ", sha256\r\n", "report-type=disposition-notification"} {
		if !strings.Contains(report, want) {
			t.Errorf("the MDN lacks %q:\n%s", want, report)
		}
	}
	ctx := context.Background()
	m, err := b.env.App.Store.AS2Message(ctx, b.env.App.Pool, "acme-retail", "<msg-1@acme.example>")
	if err != nil || m.FileID == nil {
		t.Fatalf("AS2Message: %+v, %v", m, err)
	}
	f := b.env.WaitProcessed(t, *m.FileID, 1)
	if f.Status != store.FileAccepted || f.Channel != "as2" || f.Filename != "po-4500012345.edi" {
		t.Errorf("file %+v", f)
	}
}

func TestSignedOnlyOrderUnsignedMDN(t *testing.T) {
	t.Parallel()
	b := setup(t, "")
	signed := sign(t, b.partner, payloadEntity(t))
	resp, body := b.post(t, signed, map[string]string{"Disposition-Notification-Options": ""})
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode != 200 || !strings.HasPrefix(ct, "multipart/report") {
		t.Fatalf("status %d, %q", resp.StatusCode, ct)
	}
	if d := disposition(t, string(body)); d != as2.DispositionProcessed {
		t.Errorf("disposition %q", d)
	}
	if !strings.Contains(string(body), "Received-Content-MIC: "+signedPartMIC(t, signed)+", sha256\r\n") {
		t.Errorf("MIC: %s", body)
	}
}

func TestDispositions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, channel string
		build         func(t *testing.T, b *bundle) []byte
		want          string
	}{
		{"signed by an unknown key", "", func(t *testing.T, b *bundle) []byte {
			return encrypt(t, b.us, sign(t, b.strange, payloadEntity(t)))
		}, "processed/error: authentication-failed"},
		{"tampered body", "", func(t *testing.T, b *bundle) []byte {
			return bytes.Replace(sign(t, b.partner, payloadEntity(t)), []byte("4500012345"), []byte("4500012346"), 1)
		}, "processed/error: integrity-check-failed"},
		{"encrypted for another key", "", func(t *testing.T, b *bundle) []byte {
			return encrypt(t, b.strange, sign(t, b.partner, payloadEntity(t)))
		}, "processed/error: decryption-failed"},
		{"unsigned to a partner requiring signatures", "", func(t *testing.T, b *bundle) []byte {
			return encrypt(t, b.us, payloadEntity(t))
		}, "processed/error: insufficient-message-security"},
		{"unencrypted to a partner requiring encryption", "    require_encrypted: true\n", func(t *testing.T, b *bundle) []byte {
			return sign(t, b.partner, payloadEntity(t))
		}, "processed/error: insufficient-message-security"},
		{"compressed data that is not CMS", "", func(t *testing.T, b *bundle) []byte {
			return encrypt(t, b.us, sign(t, b.partner, []byte("Content-Type: application/pkcs7-mime; smime-type=compressed-data\r\n"+
				"Content-Transfer-Encoding: base64\r\n\r\nMAMCAQA=\r\n")))
		}, "processed/error: decompression-failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, tt.channel)
			resp, body := b.post(t, tt.build(t, b), nil)
			report := b.verifyMDN(t, resp, body)
			if d := disposition(t, report); d != "automatic-action/MDN-sent-automatically; "+tt.want {
				t.Errorf("disposition %q, want %q", d, tt.want)
			}
			if strings.Contains(report, "Received-Content-MIC") {
				t.Errorf("a refused message has a MIC:\n%s", report)
			}
			var n int
			if err := b.env.App.Pool.QueryRow(context.Background(), "SELECT count(*) FROM files").Scan(&n); err != nil || n != 0 {
				t.Errorf("%d files stored (%v), want none", n, err)
			}
		})
	}
}

func TestUnsignedAllowed(t *testing.T) {
	t.Parallel()
	b := setup(t, "    require_signed: false\n")
	entity := payloadEntity(t)
	resp, body := b.post(t, encrypt(t, b.us, entity), nil)
	report := b.verifyMDN(t, resp, body)
	sum := sha256.Sum256(entity) // encrypted, unsigned: the decrypted entity with headers
	if d := disposition(t, report); d != as2.DispositionProcessed ||
		!strings.Contains(report, "Received-Content-MIC: "+base64.StdEncoding.EncodeToString(sum[:])+", sha256") {
		t.Errorf("MDN:\n%s", report)
	}
}

func TestRefusedBeforeMDN(t *testing.T) {
	t.Parallel()
	b := setup(t, "")
	signed := sign(t, b.partner, payloadEntity(t))
	for _, tt := range []struct {
		headers map[string]string
		status  int
		msg     string
	}{
		{map[string]string{"AS2-To": "SOMEONE"}, 400, `AS2-To "SOMEONE" is not our AS2 ID "NORTHWIND"`},
		{map[string]string{"AS2-From": "NOBODY"}, 403, `AS2-From "NOBODY" is not the AS2 ID of a partner`},
		{map[string]string{"AS2-From": "acme as2"}, 403, `AS2-From "acme as2" is not the AS2 ID of a partner`},
		{map[string]string{"Message-ID": ""}, 400, "the Message-ID header is required"},
	} {
		resp, body := b.post(t, signed, tt.headers)
		if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.msg) {
			t.Errorf("%v: %d %s, want %d %s", tt.headers, resp.StatusCode, body, tt.status, tt.msg)
		}
	}
}

func TestRepeatedMessageID(t *testing.T) {
	t.Parallel()
	b := setup(t, "")
	signed := sign(t, b.partner, payloadEntity(t))
	msg := encrypt(t, b.us, signed)
	resp, body := b.post(t, msg, nil)
	first := b.verifyMDN(t, resp, body)
	resp, body = b.post(t, encrypt(t, b.us, signed), nil)
	second := b.verifyMDN(t, resp, body)
	if d := disposition(t, first); d != as2.DispositionProcessed {
		t.Fatalf("first disposition %q", d)
	}
	if d := disposition(t, second); d != as2.DispositionDuplicate {
		t.Errorf("second disposition %q", d)
	}
	mic := "Received-Content-MIC: " + signedPartMIC(t, signed) + ", sha256"
	if !strings.Contains(second, mic) {
		t.Errorf("the repeat's MDN lacks the original MIC:\n%s", second)
	}
	var n int
	if err := b.env.App.Pool.QueryRow(context.Background(), "SELECT count(*) FROM files").Scan(&n); err != nil || n != 1 {
		t.Errorf("%d files stored (%v), want 1", n, err)
	}
}
