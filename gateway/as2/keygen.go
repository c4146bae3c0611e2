package as2

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// DefaultKeyValidity is how long a certificate made by EnsureKeyPair is
// valid when no other span is given.
const DefaultKeyValidity = 365 * 24 * time.Hour

// EnsureKeyPairParams names a key pair's files and what a new one is.
type EnsureKeyPairParams struct {
	// CertPath and KeyPath are the certificate (PEM) and the private key
	// (PEM, PKCS#8, unencrypted, mode 0600) files.
	CertPath, KeyPath string
	// CommonName is the new certificate's subject CN, such as our AS2 ID.
	CommonName string
	// ValidFor is the new certificate's validity from now. Default
	// DefaultKeyValidity.
	ValidFor time.Duration
	// Now defaults to time.Now.
	Now func() time.Time
}

// EnsureKeyPair creates an RSA 2048 key pair with a self-signed
// certificate (SHA-256, digital signature and key encipherment) in the two
// files when neither exists, creating their folders, and reports whether it
// did. When both exist it leaves them alone; when only one does it is an
// error. Each file appears whole or not at all.
func EnsureKeyPair(p *EnsureKeyPairParams) (created bool, err error) {
	certExists, err := exists(p.CertPath)
	if err != nil {
		return false, err
	}
	keyExists, err := exists(p.KeyPath)
	switch {
	case err != nil:
		return false, err
	case certExists && keyExists:
		return false, nil
	case certExists || keyExists:
		return false, fmt.Errorf("as2: only one of %s and %s exists; remove it or give its other half", p.CertPath, p.KeyPath)
	}
	validFor, now := p.ValidFor, time.Now
	if validFor <= 0 {
		validFor = DefaultKeyValidity
	}
	if p.Now != nil {
		now = p.Now
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return false, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return false, err
	}
	start := now()
	tpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: p.CommonName},
		NotBefore: start.Add(-time.Hour), NotAfter: start.Add(validFor),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return false, err
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return false, err
	}
	if err := writeNew(p.KeyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), 0o600); err != nil {
		return false, err
	}
	if err := writeNew(p.CertPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return false, err
	}
	return true, nil
}

func exists(path string) (bool, error) {
	_, err := os.Stat(path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("as2: %w", err)
}

// writeNew writes data to a temporary file beside path and links it to
// path, which must not exist.
func writeNew(path string, data []byte, mode os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("as2: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("as2: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("as2: writing %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("as2: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("as2: writing %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return fmt.Errorf("as2: %w", err)
	}
	return nil
}
