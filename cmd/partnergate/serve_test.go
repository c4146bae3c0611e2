package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
)

// TestServe runs "partnergate serve" as a process on an empty database: it
// migrates, serves, processes an upload, keeps serving on the last good
// partner configuration after a bad edit and SIGHUP, and stops on SIGTERM.
func TestServe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "gateway.yaml")
	gatewaytest.WriteFile(t, config, fmt.Sprintf(`database_url: %q
http: {listen: "127.0.0.1:0"}
sftp: {listen: "127.0.0.1:0"}
as2: {id: NORTHWIND, keys: [{certificate: "file:as2.crt", private_key: "file:as2.key"}]}
x12: {qualifier: ZZ, id: NORTHWIND}
partners_dir: "."
staff:
  - {name: ops, role: admin, token: %q}
`, dbtest.NewEmpty(t), gatewaytest.Hash("staff-token")))
	writeAS2Key(t, dir)
	as2Posts := make(chan http.Header, 16)
	as2Partner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		as2Posts <- r.Header.Clone()
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer as2Partner.Close()
	partner := filepath.Join(dir, "acme-retail.yaml")
	partnerYAML := gatewaytest.Partner{Extra: "  as2:\n    as2_id: ACMEAS2\n    certificates: [\"file:as2.crt\"]\n    url: " +
		as2Partner.URL + "/as2\n"}.YAML()
	gatewaytest.WriteFile(t, partner, partnerYAML)

	cmd := selfCommand(t, "serve", "--config", config)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	sftpAddr, base := servingAddresses(t, stdout)
	checkSSHBanner(t, sftpAddr)
	for _, key := range []string{"ssh_host_ed25519_key", "ssh_host_rsa_key"} {
		if _, err := os.Stat(filepath.Join(dir, key)); err != nil {
			t.Errorf("host key: %v", err)
		}
	}

	c := &client{t: t, base: base}
	if code, body := c.do("GET", "/readyz", "", ""); code != 200 {
		t.Fatalf("readyz %d %s", code, body)
	}
	// The AS2 endpoint answers on the HTTP listener: a message without AS2
	// headers is refused by it, not unknown to the router.
	if code, body := c.do("POST", "/as2", "", "x"); code != http.StatusBadRequest || !strings.Contains(body, "AS2") {
		t.Errorf("POST /as2: %d %s", code, body)
	}
	fixture := gatewaytest.Fixture(t, "850-004010.edi")
	id := c.upload(fixture)
	if st := c.waitProcessed(id); st != "accepted" {
		t.Fatalf("file %d: %s", id, st)
	}
	// The partner has an AS2 URL: its 997 is sent there.
	select {
	case h := <-as2Posts:
		if h.Get("AS2-To") != "ACMEAS2" || h.Get("AS2-From") != "NORTHWIND" || !strings.HasPrefix(h.Get("Content-Type"), "application/pkcs7-mime") {
			t.Errorf("AS2 delivery headers %v", h)
		}
	case <-time.After(30 * time.Second):
		t.Error("the 997 was not sent to the partner's AS2 URL within 30s")
	}
	checkAS2Send(t, c, dir, config, fixture)

	gatewaytest.WriteFile(t, partner, partnerYAML+"bogus: 1\n")
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	c.waitConfigBroken()
	id = c.upload(strings.ReplaceAll(fixture, "000000101", "000000102"))
	if st := c.waitProcessed(id); st != "accepted" {
		t.Fatalf("file %d after the bad edit: %s", id, st)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve ended with %v after SIGTERM", err)
		}
	case <-time.After(45 * time.Second):
		t.Fatal("serve did not stop within 45s of SIGTERM")
	}
}

// servingAddresses reads serve's output until it told both addresses.
func servingAddresses(t *testing.T, stdout io.Reader) (sftpAddr, httpAddr string) {
	t.Helper()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("serve exited before serving")
			}
			if addr, found := strings.CutPrefix(line, "partnergate: SFTP on "); found {
				sftpAddr = addr
			}
			if addr, found := strings.CutPrefix(line, "partnergate: serving on "); found {
				httpAddr = addr
			}
			if sftpAddr != "" && httpAddr != "" {
				go func() {
					for range lines {
					}
				}()
				return sftpAddr, httpAddr
			}
		case <-timeout:
			t.Fatal("serve did not start serving within 60s")
		}
	}
}

type client struct {
	t    *testing.T
	base string
}

func (c *client) do(method, path, token, body string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (c *client) upload(data string) int64 {
	c.t.Helper()
	code, body := c.do("POST", "/api/v1/inbound", "key-acme-retail", data)
	var out struct {
		FileID int64 `json:"file_id"`
	}
	if code != http.StatusAccepted || json.Unmarshal([]byte(body), &out) != nil {
		c.t.Fatalf("upload: %d %s", code, body)
	}
	return out.FileID
}

func (c *client) waitProcessed(id int64) string {
	c.t.Helper()
	return c.poll(fmt.Sprintf("/api/v1/files/%d", id), "key-acme-retail", func(body string) (string, bool) {
		var f struct {
			Status      string  `json:"status"`
			ProcessedAt *string `json:"processed_at"`
		}
		_ = json.Unmarshal([]byte(body), &f)
		return f.Status, f.ProcessedAt != nil
	})
}

func (c *client) waitConfigBroken() {
	c.t.Helper()
	c.poll("/api/v1/partners", "staff-token", func(body string) (string, bool) {
		var p struct {
			Config struct {
				OK        bool   `json:"ok"`
				LastError string `json:"last_error"`
			} `json:"config"`
		}
		_ = json.Unmarshal([]byte(body), &p)
		return p.Config.LastError, !p.Config.OK && strings.Contains(p.Config.LastError, "bogus")
	})
}

// poll GETs path until done says so, for up to 30 seconds.
func (c *client) poll(path, token string, done func(body string) (string, bool)) string {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, body := c.do("GET", path, token, "")
		if code == http.StatusOK {
			if v, ok := done(body); ok {
				return v
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("GET %s: still %d %s after 30s", path, code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func checkSSHBanner(t *testing.T, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	banner, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(banner, "SSH-2.0-") {
		t.Errorf("SFTP listener said %q (%v)", banner, err)
	}
}

// writeAS2Key writes a self-signed certificate and its key as as2.crt and
// as2.key in dir.
func writeAS2Key(t *testing.T, dir string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "NORTHWIND"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	gatewaytest.WriteFile(t, filepath.Join(dir, "as2.crt"), string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	gatewaytest.WriteFile(t, filepath.Join(dir, "as2.key"), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})))
}

// checkAS2Send sends a file with "partnergate as2 send" to the served
// gateway itself, through a partner whose AS2 ID and certificate are ours,
// and expects a verified, processed MDN.
func checkAS2Send(t *testing.T, c *client, dir, config, payload string) {
	t.Helper()
	gatewaytest.WriteFile(t, filepath.Join(dir, "loopback.yaml"), gatewaytest.Partner{ID: "loopback", Sender: "LOOPBACK",
		Extra: "  as2:\n    as2_id: NORTHWIND\n    certificates: [\"file:as2.crt\"]\n    url: " + c.base + "/as2\n"}.YAML())
	c.poll("/api/v1/partners/loopback", "staff-token", func(string) (string, bool) { return "", true })
	checkCertificateExpiry(t, c)
	file := filepath.Join(dir, "po.edi")
	gatewaytest.WriteFile(t, file, payload)
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"as2", "send", "--config", config, "--partner", "loopback", file}, &out, &errOut)
	if code != exitOK || !strings.Contains(out.String(), "Disposition: automatic-action/MDN-sent-automatically; processed") {
		t.Errorf("as2 send: exit %d\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
	}
}

// checkCertificateExpiry expects the loopback partner's certificate, valid
// for an hour, flagged as expiring in the API and reported in metrics.
func checkCertificateExpiry(t *testing.T, c *client) {
	t.Helper()
	_, body := c.do("GET", "/api/v1/partners/loopback", "staff-token", "")
	var p struct {
		Channels struct {
			AS2 struct {
				Certificates []struct {
					Subject  string `json:"subject"`
					Expiring bool   `json:"expiring"`
				} `json:"certificates"`
			} `json:"as2"`
		} `json:"channels"`
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil || len(p.Channels.AS2.Certificates) != 1 ||
		!p.Channels.AS2.Certificates[0].Expiring || p.Channels.AS2.Certificates[0].Subject != "CN=NORTHWIND" {
		t.Errorf("partner loopback: %s", body)
	}
	_, metrics := c.do("GET", "/metrics", "", "")
	if !strings.Contains(metrics,
		`partnergate_partner_certificate_expiry_timestamp_seconds{partner="loopback",serial="1",subject="CN=NORTHWIND"}`) {
		t.Error("no certificate expiry metric for partner loopback")
	}
	// Our own key pair, as2.keys[0], is reported too.
	if !strings.Contains(metrics, `partnergate_as2_certificate_expiry_timestamp_seconds{key="0",serial="1",subject="CN=NORTHWIND"}`) {
		t.Error("no certificate expiry metric for our AS2 key pair")
	}
}
