package as2_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/as2"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// interopDir holds the Node.js side of TestInteropLibas2: package.json
// (libas2 with the pkijs override it needs to sign), its lock file and
// send.js.
const interopDir = "testdata/interop"

// interopResult is the JSON summary send.js prints.
type interopResult struct {
	Mode                     string   `json:"mode"`
	MessageID                string   `json:"messageId"`
	RequestContentType       string   `json:"requestContentType"`
	Status                   int      `json:"status"`
	MDNContentType           string   `json:"mdnContentType"`
	SentMIC                  string   `json:"sentMic"`
	MDNSigned                bool     `json:"mdnSigned"`
	MDNSignatureVerified     bool     `json:"mdnSignatureVerified"`
	MDNVerifiesWithWrongCert bool     `json:"mdnVerifiesWithWrongCert"`
	OriginalMessageID        string   `json:"originalMessageId"`
	DispositionType          string   `json:"dispositionType"`
	Processed                bool     `json:"processed"`
	DispositionDescription   any      `json:"dispositionDescription"`
	ReceivedMIC              string   `json:"receivedMic"`
	ReceivedMICAlgorithm     string   `json:"receivedMicAlgorithm"`
	MICMatches               bool     `json:"micMatches"`
	KeyEncryption            []string `json:"keyEncryption"`     // OIDs, when encrypted
	ContentEncryption        string   `json:"contentEncryption"` // OID, when encrypted
	Error                    string   `json:"error"`
}

// TestInteropLibas2 has libas2, an independent AS2 implementation in
// JavaScript, send our endpoint a signed message and a signed and encrypted
// one (AES-256-CBC), both asking for a signed MDN (SHA-256), and verify the
// MDN: its signature against our certificate, the disposition and the MIC
// libas2 computed when signing.
//
// libas2 0.8.2 always transports the content key with RSA-OAEP (SHA-512
// as the OAEP and MGF1 hash); it cannot choose PKCS#1 v1.5, so that key
// transport is covered by the openssl tests only. It cannot compress
// either (RFC 5402).
//
// The test needs node and npm, and the npm registry the first time: it
// installs libas2 under os.UserCacheDir()/partnergate-as2-interop, keyed by
// the hash of package.json and package-lock.json.
//
// libas2 reads private keys in PKCS#8 only.
func TestInteropLibas2(t *testing.T) {
	t.Parallel()
	nodeModules := installInterop(t)
	payload := []byte(gatewaytest.Fixture(t, "850-004010.edi"))
	t.Run("receive", func(t *testing.T) {
		t.Parallel()
		testInteropReceive(t, nodeModules, payload)
	})
	for _, mode := range []string{"signed", "encrypted"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			b := setup(t, "")
			payloadPath := filepath.Join(b.dir, "payload.edi")
			gatewaytest.WriteFile(t, payloadPath, string(payload))
			// libas2 reads PKCS#8 keys only, not the PKCS#1 the other tests
			// write.
			der, err := x509.MarshalPKCS8PrivateKey(b.partner.key)
			if err != nil {
				t.Fatal(err)
			}
			keyPath := filepath.Join(b.dir, "partner.pkcs8.key")
			gatewaytest.WriteFile(t, keyPath, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
			r := runSend(t, nodeModules, "--url", b.srv.URL+"/as2", "--mode", mode, "--from", "ACME AS2", "--to", "NORTHWIND",
				"--their-cert", b.us.crtPath, "--cert", b.partner.crtPath, "--key", keyPath, "--payload", payloadPath)
			if r.Error != "" {
				t.Fatalf("send.js: %s\n%+v", r.Error, r)
			}
			wantCT := map[string]string{"signed": "multipart/signed", "encrypted": "application/pkcs7-mime"}[mode]
			if !strings.HasPrefix(r.RequestContentType, wantCT) {
				t.Errorf("libas2 sent Content-Type %q, want %s", r.RequestContentType, wantCT)
			}
			if mode == "encrypted" {
				const rsaOAEP, aes256CBC = "1.2.840.113549.1.1.7", "2.16.840.1.101.3.4.1.42"
				if len(r.KeyEncryption) != 1 || r.KeyEncryption[0] != rsaOAEP || r.ContentEncryption != aes256CBC {
					t.Errorf("libas2 encrypted with key transport %v and content encryption %s, want RSA-OAEP (%s) and AES-256-CBC (%s)",
						r.KeyEncryption, r.ContentEncryption, rsaOAEP, aes256CBC)
				}
			}
			if !r.MDNSigned || !r.MDNSignatureVerified {
				t.Errorf("MDN signed %v, signature verified by libas2 %v (Content-Type %q)", r.MDNSigned, r.MDNSignatureVerified, r.MDNContentType)
			}
			if r.MDNVerifiesWithWrongCert {
				t.Errorf("libas2 verifies the MDN with the partner's certificate too; the signature check proves nothing")
			}
			if !r.Processed || r.DispositionType != "automatic-action" {
				t.Errorf("disposition %s processed=%v %v", r.DispositionType, r.Processed, r.DispositionDescription)
			}
			if r.SentMIC == "" || !r.MICMatches {
				t.Errorf("MIC in the MDN %q (%s), libas2 computed %q", r.ReceivedMIC, r.ReceivedMICAlgorithm, r.SentMIC)
			}
			if r.OriginalMessageID != r.MessageID {
				t.Errorf("Original-Message-ID %q, sent %q", r.OriginalMessageID, r.MessageID)
			}

			ctx := context.Background()
			m, err := b.env.App.Store.AS2Message(ctx, b.env.App.Pool, "acme-retail", r.MessageID)
			if err != nil || m.FileID == nil {
				t.Fatalf("AS2Message(%q): %+v, %v", r.MessageID, m, err)
			}
			f := b.env.WaitProcessed(t, *m.FileID, 1)
			sum := sha256.Sum256(payload)
			if f.Status != store.FileAccepted || f.Channel != "as2" || f.Filename != "po-interop.edi" || !bytes.Equal(f.SHA256, sum[:]) {
				t.Errorf("file %+v, want accepted, as2, po-interop.edi, SHA-256 %x", f, sum)
			}
			var n int
			if err := b.env.App.Pool.QueryRow(ctx, "SELECT count(*) FROM files").Scan(&n); err != nil || n != 1 {
				t.Errorf("%d files stored (%v), want 1", n, err)
			}
		})
	}
}

// receiveResult is the JSON summary receive.js prints.
type receiveResult struct {
	ContentType           string `json:"contentType"`
	Decrypted             bool   `json:"decrypted"`
	SignedContentType     string `json:"signedContentType"`
	Verified              bool   `json:"verified"`
	VerifiesWithWrongCert bool   `json:"verifiesWithWrongCert"`
	PayloadContentType    string `json:"payloadContentType"`
	Filename              string `json:"filename"`
	PayloadSHA256         string `json:"payloadSha256"`
	Payload               string `json:"payload"`
	Error                 string `json:"error"`
}

// testInteropReceive has our Sender POST payload to a server that saves the
// request and answers 500, and libas2 parse, decrypt and verify the saved
// message (receive.js).
func testInteropReceive(t *testing.T, nodeModules string, payload []byte) {
	dir := t.TempDir()
	us, partner := newPair(t, dir, "us", 1), newPair(t, dir, "partner", 2)
	der, err := x509.MarshalPKCS8PrivateKey(partner.key)
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(dir, "partner.pkcs8.key")
	gatewaytest.WriteFile(t, keyPath, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))

	var mu sync.Mutex
	saved := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		headers := map[string]string{}
		for name, values := range r.Header {
			headers[name] = strings.Join(values, ", ")
		}
		hj, _ := json.Marshal(headers)
		mu.Lock()
		defer mu.Unlock()
		saved++
		name := strings.TrimPrefix(r.URL.Path, "/")
		if err := errors.Join(os.WriteFile(filepath.Join(dir, name+".headers.json"), hj, 0o600),
			os.WriteFile(filepath.Join(dir, name+".body"), body, 0o600)); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		http.Error(w, "saved, no MDN", http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)

	sum := sha256.Sum256(payload)
	for _, tc := range []struct {
		name, encrypt string
		base64        bool
	}{
		// libas2 0.8.2 cannot read what is left out:
		//   - a binary body (our default): AS2Parser.parse turns the body into
		//     a UTF-8 string, which mangles the DER;
		//   - base64 without Content-Disposition: attachment: its MIME parser
		//     decodes the base64 as UTF-8 text; hence SenderConfig.Base64
		//     sends both headers;
		//   - AES-GCM: it fails with "iv: Must have length more than 0" (it
		//     does not read the GCM parameters).
		{"aes256-cbc-base64", "aes256-cbc", true}, {"signed", "none", false},
	} {
		name, encrypt := tc.name, tc.encrypt
		t.Run(name, func(t *testing.T) {
			s, err := as2.NewSender(as2.SenderConfig{ID: "NORTHWIND", Key: as2.Key{Cert: us.cert, Key: us.key}, Base64: tc.base64})
			if err != nil {
				t.Fatal(err)
			}
			p := &partners.Partner{ID: "acme-retail", Channels: partners.Channels{AS2: &partners.AS2Channel{AS2ID: "ACME AS2",
				URL: srv.URL + "/" + name, Certificates: []*x509.Certificate{partner.cert}, Sign: "sha256", Encrypt: encrypt}}}
			_, err = s.Send(context.Background(), &as2.SendParams{Partner: p, Filename: "po.edi", Payload: payload})
			if !errors.Is(err, as2.ErrHTTPStatus) {
				t.Fatalf("Send: %v, want the server's 500", err)
			}
			r := runReceive(t, nodeModules, "--headers", filepath.Join(dir, name+".headers.json"),
				"--body", filepath.Join(dir, name+".body"), "--cert", partner.crtPath, "--key", keyPath, "--their-cert", us.crtPath)
			if r.Error != "" {
				t.Fatalf("receive.js: %s\n%+v", r.Error, r)
			}
			wantCT := "multipart/signed"
			if encrypt != "none" {
				wantCT = "application/pkcs7-mime"
			}
			if !strings.HasPrefix(r.ContentType, wantCT) || r.Decrypted != (encrypt != "none") {
				t.Errorf("libas2 parsed Content-Type %q, decrypted %v; want %s", r.ContentType, r.Decrypted, wantCT)
			}
			if !r.Verified {
				t.Errorf("libas2 does not verify the signature (%+v)", r)
			}
			if r.VerifiesWithWrongCert {
				t.Errorf("libas2 verifies the signature with the partner's certificate too; the check proves nothing")
			}
			if r.PayloadSHA256 != hex.EncodeToString(sum[:]) || r.Filename != "po.edi" ||
				!strings.HasPrefix(r.PayloadContentType, "application/edi-x12") {
				t.Errorf("libas2 got payload %s (%s, %q), sent %x (application/edi-x12, po.edi)\n%q\n%q",
					r.PayloadSHA256, r.PayloadContentType, r.Filename, sum, r.Payload, payload)
			}
		})
	}
}

// runReceive runs receive.js with args and decodes its summary.
func runReceive(t *testing.T, nodeModules string, args ...string) *receiveResult {
	t.Helper()
	out := runNode(t, nodeModules, "receive.js", args...)
	var r receiveResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("receive.js printed %q: %v", out, err)
	}
	return &r
}

// runNode runs the script of interopDir with args and returns its stdout.
func runNode(t *testing.T, nodeModules, script string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{filepath.Join(interopDir, script)}, args...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodeModules)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, errb.String())
	}
	t.Logf("%s: %s", script, bytes.TrimSpace(out.Bytes()))
	return out.Bytes()
}

// runSend runs send.js with args and decodes its summary.
func runSend(t *testing.T, nodeModules string, args ...string) *interopResult {
	t.Helper()
	out := runNode(t, nodeModules, "send.js", args...)
	var r interopResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("send.js printed %q: %v", out, err)
	}
	return &r
}

// installInterop installs the npm packages of interopDir once per content
// of its package.json and package-lock.json, under the user's cache
// directory, and returns the node_modules directory. It fails when node or
// npm is missing: .ci/run installs them.
func installInterop(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("TestInteropLibas2 needs Node.js and npm (%s: %v); install them, e.g. apt-get install nodejs npm, as .ci/run does", tool, err)
		}
	}
	h := sha256.New()
	files := []string{"package.json", "package-lock.json"}
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(interopDir, name))
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte(name + "\x00"))
		h.Write(data)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	parent := filepath.Join(cache, "partnergate-as2-interop")
	final := filepath.Join(parent, hex.EncodeToString(h.Sum(nil))[:16])
	nodeModules := filepath.Join(final, "node_modules")
	if _, err := os.Stat(filepath.Join(nodeModules, "libas2", "package.json")); err == nil {
		return nodeModules
	}

	// Install into a fresh directory and rename it into place, so that an
	// interrupted install or a concurrent test run never leaves a half
	// installed cache entry behind.
	if err := os.MkdirAll(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(parent, "install-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(interopDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund", "--prefix", tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install libas2 (the npm registry must be reachable the first time): %v\n%s", err, out)
	}
	t.Logf("npm install took %s", time.Since(start).Round(time.Millisecond))
	if err := os.Rename(tmp, final); err != nil {
		if _, statErr := os.Stat(filepath.Join(nodeModules, "libas2", "package.json")); statErr != nil {
			t.Fatalf("caching the npm install: %v", errors.Join(err, statErr))
		}
		// Another run installed the same packages first.
	}
	return nodeModules
}
