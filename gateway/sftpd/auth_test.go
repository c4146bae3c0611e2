package sftpd_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/partnergate/partnergate/gateway/sftpd"
)

func TestPasswordLogin(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	conn, err := b.dial("globex", ssh.Password(password))
	if err != nil {
		t.Fatalf("password login: %v", err)
	}
	if sess, err := conn.NewSession(); err != nil { // the server has logged the login once it serves a session
		t.Fatal(err)
	} else {
		sess.Close()
	}
	conn.Close()
	if _, err := b.dial("globex", ssh.Password("wrong")); err == nil {
		t.Error("a wrong password logged in")
	}
	if _, err := b.dial("dormant", ssh.Password(password)); err == nil {
		t.Error("a suspended partner logged in with its password")
	}
	if _, err := b.dial("nobody", ssh.Password(password)); err == nil {
		t.Error("an unknown user logged in")
	}
	logs := b.logs.String()
	for _, want := range []string{`reason="wrong password"`, `reason="partner suspended"`, `reason="unknown user"`, "msg=\"SFTP login\" component=sftp partner=globex user=globex remote_ip=127.0.0.1 method=password\n"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "wrong\"") || strings.Contains(logs, "$2a$") {
		t.Errorf("the logs hold a password or a hash:\n%s", logs)
	}
}

// TestLoginRateLimit fails 5 logins in a row: the address and the user
// name are locked out, even with the right key, until the lockout ends.
func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	for i := range 5 {
		if _, err := b.dial("acme", ssh.Password("guess-"+string(rune('a'+i)))); err == nil {
			t.Fatal("a wrong password logged in")
		}
	}
	if _, err := b.dial("acme", publicKey(b.acme)); err == nil {
		t.Fatal("the right key logged in during the lockout")
	}
	if _, err := b.dial("globex", publicKey(b.globex)); err == nil {
		t.Fatal("another user logged in from a locked-out address")
	}
	if !strings.Contains(b.logs.String(), "too many failed logins") {
		t.Errorf("the lockout is not logged")
	}
	b.clock.advance(sftpd.DefaultLockout + time.Second)
	conn, err := b.dial("acme", publicKey(b.acme))
	if err != nil {
		t.Fatalf("login after the lockout: %v", err)
	}
	conn.Close()
}

// TestLoginFailuresSpread: failures spread beyond the window do not lock
// anyone out.
func TestLoginFailuresSpread(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	for range 8 {
		if _, err := b.dial("acme", ssh.Password("guess")); err == nil {
			t.Fatal("a wrong password logged in")
		}
		b.clock.advance(sftpd.DefaultLoginWindow / 4)
	}
	conn, err := b.dial("acme", publicKey(b.acme))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	conn.Close()
}

func TestOnlySFTP(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	conn, err := b.dial("acme", publicKey(b.acme))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if out, err := sess.CombinedOutput("cat /etc/passwd"); err == nil || len(out) > 0 {
		t.Errorf("exec: %q, %v", out, err)
	}
	if _, err := conn.Dial("tcp", "127.0.0.1:5432"); err == nil {
		t.Errorf("port forwarding is allowed")
	}
}

// TestServeStops cancels Serve with a session open: Serve returns and the
// client sees the connection close.
func TestServeStops(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	srv, err := sftpd.New(sftpd.Config{Partners: b.env.App.Partners, Store: b.env.App.Store, DB: b.env.App.Pool,
		Pipeline: b.env.App.Pipeline, HostKeys: b.hostKeys, SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	conn, err := ssh.Dial("tcp", ln.Addr().String(), &ssh.ClientConfig{User: "acme", Auth: []ssh.AuthMethod{publicKey(b.acme)},
		HostKeyCallback: ssh.FixedHostKey(b.hostKeys[0].PublicKey())})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
	}
	if err := conn.Wait(); err == nil {
		t.Log("connection closed")
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("the listener still accepts")
	}
}

func TestNewChecksConfig(t *testing.T) {
	t.Parallel()
	if _, err := sftpd.New(sftpd.Config{}); err == nil || !strings.Contains(err.Error(), "Partners") {
		t.Errorf("New of an empty Config: %v", err)
	}
}

func TestLoadOrCreateHostKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	paths := []string{filepath.Join(dir, "state", "ssh_host_ed25519_key"), filepath.Join(dir, "state", "ssh_host_rsa_key")}
	first, err := sftpd.LoadOrCreateHostKeys(paths)
	if err != nil {
		t.Fatal(err)
	}
	if first[0].PublicKey().Type() != ssh.KeyAlgoED25519 || first[1].PublicKey().Type() != ssh.KeyAlgoRSA {
		t.Errorf("key types %s, %s", first[0].PublicKey().Type(), first[1].PublicKey().Type())
	}
	if ck, ok := first[1].PublicKey().(ssh.CryptoPublicKey); ok {
		if bits := ck.CryptoPublicKey().(interface{ Size() int }).Size() * 8; bits != 3072 {
			t.Errorf("RSA key of %d bits", bits)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v", p, fi.Mode(), err)
		}
		data, _ := os.ReadFile(p)
		if !bytes.HasPrefix(data, []byte("-----BEGIN OPENSSH PRIVATE KEY-----")) {
			t.Errorf("%s is not in OpenSSH format", p)
		}
	}
	again, err := sftpd.LoadOrCreateHostKeys(paths)
	if err != nil {
		t.Fatal(err)
	}
	for i := range paths {
		if !bytes.Equal(first[i].PublicKey().Marshal(), again[i].PublicKey().Marshal()) {
			t.Errorf("%s changed on the second start", paths[i])
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "state"))
	if len(entries) != 2 {
		t.Errorf("%d files in the key folder, want 2 (no temporary files left)", len(entries))
	}
	if _, err := sftpd.LoadOrCreateHostKeys([]string{filepath.Join(dir, "host_key")}); err == nil || !strings.Contains(err.Error(), `neither "ed25519" nor "rsa"`) {
		t.Errorf("a key of no known kind: %v", err)
	}
	bad := filepath.Join(dir, "bad_ed25519_key")
	if err := os.WriteFile(bad, []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sftpd.LoadOrCreateHostKeys([]string{bad}); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("a corrupt key: %v", err)
	}
}
