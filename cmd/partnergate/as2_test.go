package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway"
	"github.com/partnergate/partnergate/partners"
)

// TestAS2Keygen creates a key pair the configuration loader reads, keeps
// it on a second run and reports bad usage.
func TestAS2Keygen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	crt, key := filepath.Join(dir, "as2", "us.crt"), filepath.Join(dir, "as2", "us.key")
	args := []string{"as2", "keygen", "--cert", crt, "--key", key, "--cn", "NORTHWIND", "--days", "30"}
	var out, errOut bytes.Buffer
	if code := run(t.Context(), args, &out, &errOut); code != exitOK || !strings.HasPrefix(out.String(), "created ") {
		t.Fatalf("keygen: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	certPEM, err := os.ReadFile(crt)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := partners.ParseCertificates(certPEM)
	if err != nil || certs[0].Subject.CommonName != "NORTHWIND" {
		t.Fatalf("certificate: %v", err)
	}
	if _, err := gateway.ParsePrivateKey(keyPEM); err != nil {
		t.Fatalf("key: %v", err)
	}
	out.Reset()
	if code := run(t.Context(), args, &out, &errOut); code != exitOK || !strings.HasPrefix(out.String(), "kept ") {
		t.Errorf("second keygen: exit %d\n%s", code, out.String())
	}
	if again, _ := os.ReadFile(crt); !bytes.Equal(again, certPEM) {
		t.Error("the second run replaced the certificate")
	}
	if code := run(t.Context(), []string{"as2", "keygen", "--cert", crt}, &out, &errOut); code != exitUsage {
		t.Errorf("keygen without --key and --cn: exit %d", code)
	}
}
