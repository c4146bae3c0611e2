package poller

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/partnergate/partnergate/partners"
)

// ConnectError is the error of a poll that could not log in to the
// partner's server: the private key could not be loaded, the server did not
// answer, its host key is not the pinned one, it refused the key, or it
// offers no SFTP. Such a poll starts or extends the partner's backoff.
type ConnectError struct {
	PartnerID string
	Addr      string // host:port
	// Stage is what failed: "private_key", "dial", "handshake" (host key
	// and authentication included) or "sftp".
	Stage string
	Err   error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("poller: %s: cannot use the SFTP server %s (%s): %v", e.PartnerID, e.Addr, e.Stage, e.Err)
}

func (e *ConnectError) Unwrap() error { return e.Err }

// HostKeyError is the handshake error when a server presents a host key
// other than the pinned one. The connection is refused.
type HostKeyError struct {
	Addr string
	// Got and Want are the key types and SHA256 fingerprints
	// ("ssh-ed25519 SHA256:…") presented and pinned.
	Got, Want string
}

func (e *HostKeyError) Error() string {
	return fmt.Sprintf("host key mismatch for %s: the server presented %s, the partner configuration pins %s", e.Addr, e.Got, e.Want)
}

// session is a logged-in SFTP connection to a partner's server.
type session struct {
	addr string
	ssh  *ssh.Client
	sftp *sftp.Client
	stop func() bool // stops closing the connection when the context ends
	// lockHeld fails when the poll lost its lock; no file is stored then.
	lockHeld func(context.Context) error
}

func (s *session) Close() {
	s.stop()
	_ = s.sftp.Close()
	_ = s.ssh.Close()
}

// canPosixRename reports whether the server renames over an existing file
// (OpenSSH's posix-rename@openssh.com extension).
func (s *session) canPosixRename() bool {
	_, ok := s.sftp.HasExtension("posix-rename@openssh.com")
	return ok
}

// connect logs in to a partner's server. Its error is a *ConnectError. The
// connection is closed when ctx ends.
func (p *Poller) connect(ctx context.Context, partner *partners.Partner) (*session, error) {
	rc := partner.Channels.RemoteSFTP
	addr := net.JoinHostPort(rc.Host, strconv.Itoa(or(rc.Port, partners.DefaultRemotePort)))
	fail := func(stage string, err error) error {
		return &ConnectError{PartnerID: partner.ID, Addr: addr, Stage: stage, Err: err}
	}
	signer, err := rc.Signer(filepath.Dir(partner.File), nil)
	if err != nil {
		return nil, fail("private_key", err)
	}
	if rc.HostKey == nil {
		return nil, fail("handshake", errors.New("no host_key is pinned in the partner configuration"))
	}
	dialCtx, cancel := context.WithTimeout(ctx, p.cfg.DialTimeout)
	defer cancel()
	conn, err := p.cfg.Dial(dialCtx, "tcp", addr)
	if err != nil {
		return nil, fail("dial", err)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	client, err := p.handshake(conn, addr, rc, signer)
	if err != nil {
		stop()
		_ = conn.Close()
		return nil, fail("handshake", err)
	}
	sc, err := sftp.NewClient(client, sftp.UseConcurrentReads(true))
	if err != nil {
		stop()
		_ = client.Close()
		return nil, fail("sftp", err)
	}
	return &session{addr: addr, ssh: client, sftp: sc, stop: stop}, nil
}

// handshake runs the SSH handshake on conn within DialTimeout.
func (p *Poller) handshake(conn net.Conn, addr string, rc *partners.RemoteSFTPChannel, signer ssh.Signer) (*ssh.Client, error) {
	cfg := &ssh.ClientConfig{
		User:              rc.Username,
		Auth:              []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback:   pinnedHostKey(addr, rc.HostKey),
		HostKeyAlgorithms: hostKeyAlgorithms(rc.HostKey),
		Timeout:           p.cfg.DialTimeout,
	}
	if err := conn.SetDeadline(time.Now().Add(p.cfg.DialTimeout)); err != nil {
		return nil, err
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if err != nil {
		return nil, err
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		_ = c.Close()
		return nil, err
	}
	return ssh.NewClient(c, chans, reqs), nil
}

// pinnedHostKey accepts the pinned key only.
func pinnedHostKey(addr string, want ssh.PublicKey) ssh.HostKeyCallback {
	return func(_ string, _ net.Addr, got ssh.PublicKey) error {
		if bytes.Equal(got.Marshal(), want.Marshal()) {
			return nil
		}
		return &HostKeyError{Addr: addr, Got: fingerprint(got), Want: fingerprint(want)}
	}
}

func fingerprint(k ssh.PublicKey) string { return k.Type() + " " + ssh.FingerprintSHA256(k) }

// hostKeyAlgorithms asks the server for a host key of the pinned type, so a
// server with several host keys presents the pinned one.
func hostKeyAlgorithms(k ssh.PublicKey) []string {
	if k.Type() == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{k.Type()}
}

// exceptionCode names the kind of a connection failure for the exception's
// code.
func exceptionCode(ce *ConnectError) string {
	var hk *HostKeyError
	switch {
	case errors.As(ce.Err, &hk):
		return "host_key"
	case ce.Stage == "handshake" && strings.Contains(ce.Err.Error(), "unable to authenticate"):
		return "auth"
	}
	return ce.Stage
}
