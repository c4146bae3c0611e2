package sftpd

import (
	"crypto/subtle"
	"errors"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/ssh"

	"github.com/partnergate/partnergate/partners"
)

// Keys of ssh.Permissions.Extensions set at login.
const (
	extPartner = "partnergate-partner"
	extMethod  = "partnergate-method"
	extKey     = "partnergate-key" // the SHA256 fingerprint of the login key
)

// errLoginRefused is what a refused client is told, whatever the reason.
var errLoginRefused = errors.New("sftpd: login refused")

// publicKeyCallback accepts a key listed in the partner's
// channels.sftp.authorized_keys. x/crypto/ssh calls it before checking
// that the client holds the private key, so a success is logged once the
// handshake completes, not here.
func (s *Server) publicKeyCallback(meta ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
	offered := key.Marshal()
	perms, err := s.authenticate(meta, "publickey", func(c *partners.SFTPChannel) bool {
		found := false
		for _, k := range c.AuthorizedKeys {
			if subtle.ConstantTimeCompare(k.Marshal(), offered) == 1 {
				found = true
			}
		}
		return found
	})
	if perms != nil {
		perms.Extensions[extKey] = ssh.FingerprintSHA256(key)
	}
	return perms, err
}

// passwordCallback accepts the password whose bcrypt hash is the partner's
// channels.sftp.password_hash.
func (s *Server) passwordCallback(meta ssh.ConnMetadata, password []byte) (*ssh.Permissions, error) {
	checked := false
	perms, err := s.authenticate(meta, "password", func(c *partners.SFTPChannel) bool {
		if c.PasswordHash == "" {
			return false
		}
		checked = true
		return bcrypt.CompareHashAndPassword([]byte(c.PasswordHash), password) == nil
	})
	if !checked {
		_ = bcrypt.CompareHashAndPassword(s.decoy, password) // take as long as a real check
	}
	return perms, err
}

// authenticate looks the user up in the partner set in force and lets
// match decide. A locked-out address or user name is refused without a
// check; a failure counts against both and is logged without the
// credential.
func (s *Server) authenticate(meta ssh.ConnMetadata, method string, match func(*partners.SFTPChannel) bool) (*ssh.Permissions, error) {
	ip, user := remoteIP(meta.RemoteAddr()), meta.User()
	keys := []string{"ip:" + ip, "user:" + user}
	now := s.cfg.Now()
	if s.limiter.Blocked(now, keys...) {
		s.log.Warn("SFTP login refused: too many failed logins", "user", logName(user), "remote_ip", ip, "method", method)
		return nil, errLoginRefused
	}
	p, found := s.cfg.Partners.Current().BySFTPUser(user)
	var reason string
	switch {
	case !found:
		reason = "unknown user"
	case p.Status == partners.StatusSuspended:
		reason = "partner suspended"
	case !match(p.Channels.SFTP):
		reason = "wrong " + method
	default:
		return &ssh.Permissions{Extensions: map[string]string{extPartner: p.ID, extMethod: method}}, nil
	}
	locked := s.limiter.Fail(now, keys...)
	s.log.Warn("SFTP login failed", "user", logName(user), "remote_ip", ip, "method", method, "reason", reason,
		"locked_out", locked)
	return nil, errLoginRefused
}

// logName returns a user name as it may be logged: at most 64 bytes.
func logName(user string) string {
	if len(user) > 64 {
		return user[:64] + "…"
	}
	return user
}
