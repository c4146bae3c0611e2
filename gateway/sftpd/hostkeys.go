package sftpd

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
)

// rsaHostKeyBits is the size of the RSA host keys LoadOrCreateHostKeys
// creates.
const rsaHostKeyBits = 3072

// LoadOrCreateHostKeys returns the host keys kept in the files at paths,
// creating each missing one first: an ed25519 key when the file's name
// contains "ed25519", an RSA key of 3072 bits when it contains "rsa". A new
// key is written in OpenSSH format with mode 0600 (its folder is created
// with 0700), so later starts load the same key and partners never see the
// host key change. When several gateway processes create the same file at
// once, one key wins and every process loads it. Errors never hold key
// material.
func LoadOrCreateHostKeys(paths []string) ([]ssh.Signer, error) {
	if len(paths) == 0 {
		return nil, errors.New("sftpd: no host key files")
	}
	signers := make([]ssh.Signer, 0, len(paths))
	for _, p := range paths {
		s, err := loadOrCreateHostKey(p)
		if err != nil {
			return nil, err
		}
		signers = append(signers, s)
	}
	return signers, nil
}

func loadOrCreateHostKey(path string) (ssh.Signer, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err = createHostKey(path); err == nil {
			data, err = os.ReadFile(path)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("sftpd: host key %s: %w", path, err)
	}
	signer, err := ssh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("sftpd: host key %s: not an unencrypted private key ssh can read", path)
	}
	return signer, nil
}

// createHostKey writes a new key to path unless a file appears there
// first: the key goes to a temporary file that is then linked to path,
// which fails when path exists.
func createHostKey(path string) error {
	key, err := newHostKey(filepath.Base(path))
	if err != nil {
		return err
	}
	block, err := ssh.MarshalPrivateKey(key, "partnergate host key")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".hostkey-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(pem.EncodeToMemory(block)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

func newHostKey(name string) (crypto.Signer, error) {
	name = strings.ToLower(name)
	switch {
	case strings.Contains(name, "ed25519"):
		_, key, err := ed25519.GenerateKey(rand.Reader)
		return key, err
	case strings.Contains(name, "rsa"):
		return rsa.GenerateKey(rand.Reader, rsaHostKeyBits)
	}
	return nil, errors.New(`the file does not exist, and its name says neither "ed25519" nor "rsa", the kinds of key that can be created`)
}
