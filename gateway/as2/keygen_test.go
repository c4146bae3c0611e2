package as2_test

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway"
	"github.com/partnergate/partnergate/gateway/as2"
	"github.com/partnergate/partnergate/partners"
)

// TestEnsureKeyPair creates a key pair once, keeps it afterwards and
// refuses to complete a pair of which one file is missing.
func TestEnsureKeyPair(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	p := &as2.EnsureKeyPairParams{CertPath: filepath.Join(dir, "state", "as2", "us.crt"),
		KeyPath: filepath.Join(dir, "state", "as2", "us.key"), CommonName: "NORTHWIND", ValidFor: 48 * time.Hour,
		Now: func() time.Time { return now }}
	created, err := as2.EnsureKeyPair(p)
	if err != nil || !created {
		t.Fatalf("first EnsureKeyPair: %v, %v", created, err)
	}
	certPEM, err := os.ReadFile(p.CertPath)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, err := os.ReadFile(p.KeyPath)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := partners.ParseCertificates(certPEM)
	if err != nil || len(certs) != 1 {
		t.Fatalf("certificate: %v", err)
	}
	c := certs[0]
	key, err := gateway.ParsePrivateKey(keyPEM)
	if err != nil || !strings.HasPrefix(string(keyPEM), "-----BEGIN PRIVATE KEY-----") {
		t.Fatalf("key: %v", err)
	}
	if pub, ok := c.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(key.Public()) {
		t.Error("the key is not the certificate's")
	}
	if c.Subject.CommonName != "NORTHWIND" || !c.NotAfter.Equal(now.Add(48*time.Hour)) ||
		c.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment ||
		c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) != nil {
		t.Errorf("certificate %s until %s, key usage %v", c.Subject, c.NotAfter, c.KeyUsage)
	}
	if st, err := os.Stat(p.KeyPath); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, %v", st.Mode(), err)
	}
	if created, err := as2.EnsureKeyPair(p); err != nil || created {
		t.Fatalf("second EnsureKeyPair: %v, %v", created, err)
	}
	if again, _ := os.ReadFile(p.CertPath); !bytes.Equal(again, certPEM) {
		t.Error("the second call replaced the certificate")
	}
	if err := os.Remove(p.CertPath); err != nil {
		t.Fatal(err)
	}
	if _, err := as2.EnsureKeyPair(p); err == nil || !strings.Contains(err.Error(), "only one of") {
		t.Errorf("half a pair: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(p.KeyPath)); len(entries) != 1 {
		t.Errorf("left %d files, want the key only", len(entries))
	}
}
