package as2_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"log/slog"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/partnergate/partnergate/gateway/as2"
)

// certUntil returns a key pair whose certificate expires at notAfter.
func certUntil(t *testing.T, cn string, serial int64, notAfter time.Time) as2.Key {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
		NotBefore: notAfter.Add(-365 * 24 * time.Hour), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return as2.Key{Cert: cert, Key: k}
}

// TestOwnCertificateExpiry reports the expiry of each of our key pairs as
// a metric and warns about those expiring within 30 days or expired.
func TestOwnCertificateExpiry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	keys := []as2.Key{
		certUntil(t, "NORTHWIND 2026", 7, now.Add(10*24*time.Hour)),
		certUntil(t, "NORTHWIND 2027", 8, now.Add(300*24*time.Hour)),
		certUntil(t, "NORTHWIND 2025", 9, now.Add(-24*time.Hour)),
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(as2.CertificateExpiry(keys))
	families, err := reg.Gather()
	if err != nil || len(families) != 1 || families[0].GetName() != "partnergate_as2_certificate_expiry_timestamp_seconds" ||
		len(families[0].GetMetric()) != len(keys) {
		t.Fatalf("gathered %v, %v", families, err)
	}
	got := map[string]float64{}
	for _, m := range families[0].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		got[labels["key"]+" "+labels["subject"]+" "+labels["serial"]] = m.GetGauge().GetValue()
	}
	for i, k := range keys {
		name := strconv.Itoa(i) + " " + k.Cert.Subject.String() + " " + k.Cert.SerialNumber.String()
		if v, ok := got[name]; !ok || v != float64(k.Cert.NotAfter.Unix()) {
			t.Errorf("key %s: %v (%v), want %d", name, v, ok, k.Cert.NotAfter.Unix())
		}
	}

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	if n := as2.WarnExpiring(context.Background(), log, keys, now); n != 2 {
		t.Errorf("WarnExpiring: %d, want 2", n)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], "expires soon") ||
		!strings.Contains(lines[0], `subject="CN=NORTHWIND 2026"`) || !strings.Contains(lines[0], "days_left=10") ||
		!strings.Contains(lines[1], "has expired") || !strings.Contains(lines[1], "serial=9") {
		t.Errorf("warnings:\n%s", logs.String())
	}
}
