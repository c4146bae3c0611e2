// Package sshdtest runs OpenSSH's sshd for tests: in the foreground, as a
// child of the test, on a loopback port, with SFTP by internal-sftp.
package sshdtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const sshdPath = "/usr/sbin/sshd"

// SSHD is a real OpenSSH server run by a test on a loopback port, with SFTP
// by internal-sftp, letting in the current user with ClientKey.
type SSHD struct {
	Port int
	// HostKey is the server's public host key in authorized_keys format.
	HostKey string
	// ClientKey is the path of the private key it accepts.
	ClientKey string
	// User is the login.
	User string
	// Root is a folder for the test's remote folders.
	Root string
}

// Start runs sshd in the foreground as a child of the test and stops it
// when t ends. It skips t when OpenSSH is not installed.
func Start(t testing.TB) *SSHD {
	t.Helper()
	if _, err := os.Stat(sshdPath); err != nil {
		t.Skipf("OpenSSH server not installed (%s): %v", sshdPath, err)
	}
	// sshd refuses to start without its privilege separation folder, which
	// the system's service would create.
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		t.Skipf("sshd needs /run/sshd: %v", err)
	}
	dir := t.TempDir()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	s := &SSHD{Port: FreePort(t), User: u.Username, Root: filepath.Join(dir, "remote"),
		ClientKey: filepath.Join(dir, "client")}
	Keygen(t, filepath.Join(dir, "host"))
	Keygen(t, s.ClientKey)
	s.HostKey = strings.TrimSpace(ReadFile(t, filepath.Join(dir, "host.pub")))
	writeFile(t, filepath.Join(dir, "authorized_keys"), ReadFile(t, s.ClientKey+".pub"))
	if err := os.Mkdir(s.Root, 0o755); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "sshd_config")
	writeFile(t, config, fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
PidFile none
AuthorizedKeysFile %s
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin yes
Subsystem sftp internal-sftp
`, s.Port, filepath.Join(dir, "host"), filepath.Join(dir, "authorized_keys")))
	s.run(t, config)
	return s
}

// run starts sshd with config and waits until it answers.
func (s *SSHD) run(t testing.TB, config string) {
	t.Helper()
	var stderr syncBuffer
	cmd := exec.Command(sshdPath, "-D", "-e", "-f", config)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("sshd log:\n%s", stderr.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for !banner(s.Port) {
		if time.Now().After(deadline) {
			t.Fatalf("sshd did not answer on port %d within 10s:\n%s", s.Port, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// banner reports whether an SSH server answers on the port.
func banner(port int) bool {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	b := make([]byte, 4)
	n, _ := c.Read(b)
	return string(b[:n]) == "SSH-"
}

// Dir makes a folder under the server's root and returns its path.
func (s *SSHD) Dir(t testing.TB, name string) string {
	t.Helper()
	d := filepath.Join(s.Root, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// Keygen writes a new ed25519 key pair without a passphrase to file and
// file.pub.
func Keygen(t testing.TB, file string) {
	t.Helper()
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sshdtest", "-f", file).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
}

// FreePort returns a loopback port nothing listens on.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// ReadFile returns a file's content or fails t.
func ReadFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t testing.TB, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a bytes.Buffer safe for a writing child process and a
// reading test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
