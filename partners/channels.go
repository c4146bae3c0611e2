package partners

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/ssh"
)

// Defaults of the remote_sftp channel.
const (
	// DefaultRemotePort is the default of channels.remote_sftp.port.
	DefaultRemotePort = 22
	// DefaultRemotePattern is the default of channels.remote_sftp.pattern:
	// every file.
	DefaultRemotePattern = "*"
	// DefaultRemoteSchedule is the default of channels.remote_sftp.schedule:
	// every five minutes.
	DefaultRemoteSchedule = "*/5 * * * *"
)

// minRSABits is the smallest RSA key accepted in authorized_keys and as a
// pinned host key.
const minRSABits = 2048

func (r *nodeReader) channels(n *yaml.Node, out *parsed) {
	f := r.fields(n, "channels", "api", "sftp", "remote_sftp", "as2")
	r.apiChannel(f["api"], out)
	r.sftpChannel(f["sftp"], out)
	r.remoteSFTPChannel(f["remote_sftp"], out)
	r.as2Channel(f["as2"], out)
}

func (r *nodeReader) apiChannel(api *yaml.Node, out *parsed) {
	if api == nil {
		return
	}
	out.p.Channels.API = &APIChannel{}
	kf := r.fields(api, "channels.api", "keys")
	keys := r.list(kf["keys"], "channels.api.keys")
	if len(keys) == 0 {
		r.add(resolve(api), "channels.api.keys", "at least one key hash is required")
	}
	for i, item := range keys {
		field := index("channels.api.keys", i)
		v, ok := r.scalar(item, field)
		if !ok && !isNull(resolve(item)) {
			continue
		}
		sec, err := ParseSecret(v)
		if err != nil {
			r.probs.list = append(r.probs.list, Problem{File: r.file, Line: resolve(item).Line, Field: field,
				Msg: fmt.Sprintf("%v; store the hash of the key, never the key itself", err), Err: err})
			continue
		}
		out.p.Channels.API.Keys = append(out.p.Channels.API.Keys, sec)
		out.keyLines = append(out.keyLines, resolve(item).Line)
	}
}

// sftpChannel reads channels.sftp: the partner's account on our server.
func (r *nodeReader) sftpChannel(n *yaml.Node, out *parsed) {
	if n == nil {
		return
	}
	const field = "channels.sftp"
	f := r.fields(n, field, "username", "authorized_keys", "password_hash")
	if f == nil {
		if isNull(resolve(n)) {
			r.add(resolve(n), field, "want {username: .., authorized_keys: [..]}")
		}
		return
	}
	c := &SFTPChannel{Username: r.required(f["username"], n, field+".username")}
	if c.Username != "" && !validUsername(c.Username) {
		r.add(f["username"], field+".username", "%q: use lowercase letters, digits, '.', '_' and '-' only", c.Username)
	}
	out.sftpUserLine = lineOf(f["username"], resolve(n).Line)
	for i, item := range r.list(f["authorized_keys"], field+".authorized_keys") {
		if key, ok := r.authorizedKey(item, index(field+".authorized_keys", i)); ok {
			c.AuthorizedKeys = append(c.AuthorizedKeys, key)
			out.sftpKeyLines = append(out.sftpKeyLines, resolve(item).Line)
		}
	}
	if f["password_hash"] != nil {
		c.PasswordHash, _ = r.scalar(f["password_hash"], field+".password_hash")
		if err := checkBcrypt(c.PasswordHash); err != nil {
			r.add(f["password_hash"], field+".password_hash", "%v", err)
			c.PasswordHash = ""
		}
	}
	if f["authorized_keys"] == nil && f["password_hash"] == nil {
		r.add(resolve(n), field, "at least one of authorized_keys or password_hash is required")
	}
	out.p.Channels.SFTP = c
}

func validUsername(s string) bool {
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return s != "" && len(s) <= 64
}

// authorizedKey reads one public key in authorized_keys format, without
// options.
func (r *nodeReader) authorizedKey(n *yaml.Node, field string) (ssh.PublicKey, bool) {
	v, ok := r.scalar(n, field)
	if !ok {
		if isNull(resolve(n)) {
			r.add(resolve(n), field, "want a public key such as \"ssh-ed25519 AAAA… comment\"")
		}
		return nil, false
	}
	key, err := parsePublicKey(v)
	if err != nil {
		r.add(n, field, "%v", err)
		return nil, false
	}
	return key, true
}

// parsePublicKey parses one authorized_keys line: a key type, the base64
// key and an optional comment. Options and a second key are refused, and so
// are RSA keys shorter than 2048 bits.
func parsePublicKey(line string) (ssh.PublicKey, error) {
	key, _, options, rest, err := ssh.ParseAuthorizedKey([]byte(line))
	switch {
	case err != nil:
		return nil, errors.New(`not a public key in authorized_keys format ("ssh-ed25519 AAAA… comment"); copy the whole line of the .pub file`)
	case len(options) > 0:
		return nil, fmt.Errorf("options (%s) are not supported: give the key alone", strings.Join(options, ","))
	case len(strings.TrimSpace(string(rest))) > 0:
		return nil, errors.New("more than one key: give one key per list item")
	}
	if ck, ok := key.(ssh.CryptoPublicKey); ok {
		if rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey); ok && rk.N.BitLen() < minRSABits {
			return nil, fmt.Errorf("an RSA key of %d bits: use at least %d bits, or ed25519", rk.N.BitLen(), minRSABits)
		}
	}
	return key, nil
}

// checkBcrypt checks that s looks like a bcrypt hash. Its error never
// repeats s.
func checkBcrypt(s string) error {
	if !strings.HasPrefix(s, "$2a$") && !strings.HasPrefix(s, "$2b$") && !strings.HasPrefix(s, "$2y$") {
		return errors.New(`not a bcrypt hash ("$2a$…", "$2b$…" or "$2y$…", e.g. from htpasswd -nBC 12 USER); store the hash, never the password`)
	}
	if _, err := bcrypt.Cost([]byte(s)); err != nil || len(s) != 60 {
		return errors.New("a malformed bcrypt hash: want 60 characters such as $2b$12$ followed by 53 more")
	}
	return nil
}

// remoteSFTPChannel reads channels.remote_sftp: the partner's own server.
func (r *nodeReader) remoteSFTPChannel(n *yaml.Node, out *parsed) {
	if n == nil {
		return
	}
	const field = "channels.remote_sftp"
	f := r.fields(n, field, "host", "port", "username", "private_key", "host_key", "inbound_dir", "outbound_dir",
		"pattern", "schedule", "archive_dir")
	if f == nil {
		if isNull(resolve(n)) {
			r.add(resolve(n), field, "want {host: .., username: .., private_key: .., host_key: .., inbound_dir: .., outbound_dir: ..}")
		}
		return
	}
	c := &RemoteSFTPChannel{Port: DefaultRemotePort, Pattern: DefaultRemotePattern, Schedule: DefaultRemoteSchedule}
	c.Host = r.required(f["host"], n, field+".host")
	if strings.ContainsAny(c.Host, " /@") || (strings.Contains(c.Host, ":") && net.ParseIP(c.Host) == nil) {
		r.add(f["host"], field+".host", "%q: want a host name or IP address, without port or user", c.Host)
	}
	r.port(f["port"], field+".port", &c.Port)
	c.Username = r.required(f["username"], n, field+".username")
	c.PrivateKey = r.required(f["private_key"], n, field+".private_key")
	if err := checkKeyRef(c.PrivateKey); c.PrivateKey != "" && err != nil {
		r.add(f["private_key"], field+".private_key", "%v", err)
	}
	if f["host_key"] == nil {
		r.add(n, field+".host_key", `required: the server's public host key, e.g. from "ssh-keyscan -t ed25519 HOST"`)
	} else {
		c.HostKey, _ = r.authorizedKey(f["host_key"], field+".host_key")
	}
	c.InboundDir = r.required(f["inbound_dir"], n, field+".inbound_dir")
	c.OutboundDir = r.required(f["outbound_dir"], n, field+".outbound_dir")
	c.ArchiveDir, _ = r.scalar(f["archive_dir"], field+".archive_dir")
	if v, ok := r.scalar(f["pattern"], field+".pattern"); ok {
		c.Pattern = v
		if _, err := path.Match(v, ""); err != nil || v == "" || strings.Contains(v, "/") {
			r.add(f["pattern"], field+".pattern", "%q: want a file name pattern such as *.edi or 850_*.x12 (path.Match syntax, no '/')", v)
		}
	}
	if v, ok := r.scalar(f["schedule"], field+".schedule"); ok {
		c.Schedule = v
		if _, err := cron.ParseStandard(v); err != nil {
			r.add(f["schedule"], field+".schedule", "%q: %v; want a cron expression such as \"*/5 * * * *\" or \"@every 30s\"", v, err)
		}
	}
	out.p.Channels.RemoteSFTP = c
}

// port reads a TCP port, 1 to 65535, into dst when n is set.
func (r *nodeReader) port(n *yaml.Node, field string, dst *int) {
	v, ok := r.scalar(n, field)
	if !ok {
		return
	}
	p, err := strconv.Atoi(v)
	if err != nil || p < 1 || p > 65535 {
		r.add(n, field, "%q: want a port number from 1 to 65535", v)
		return
	}
	*dst = p
}

// checkKeyRef checks the syntax of a private key reference: "file:PATH" or
// "env:NAME". Its error never repeats the value, which may be a key pasted
// by mistake.
func checkKeyRef(ref string) error {
	switch {
	case strings.HasPrefix(ref, "file:"):
		if strings.TrimSpace(ref[len("file:"):]) == "" {
			return errors.New(`"file:" without a path`)
		}
		return nil
	case strings.HasPrefix(ref, "env:"):
		if !validEnvName(ref[len("env:"):]) {
			return errors.New(`"env:" wants a variable name of letters, digits and '_'`)
		}
		return nil
	}
	return errors.New(`want a reference, "file:PATH" (relative to this file's folder) or "env:NAME", never the key itself`)
}

func validEnvName(s string) bool {
	for i, c := range s {
		if c != '_' && (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}

// Signer loads the private key PrivateKey refers to: "file:PATH" is read
// relative to partnerDir (the folder of the partner's file, filepath.Dir of
// Partner.File) and "env:NAME" is looked up with getenv (os.Getenv when
// nil). The key must be an unencrypted private key in a format
// ssh.ParsePrivateKey reads (OpenSSH, PEM PKCS#1/PKCS#8). Errors never hold
// the key.
func (c *RemoteSFTPChannel) Signer(partnerDir string, getenv func(string) string) (ssh.Signer, error) {
	if err := checkKeyRef(c.PrivateKey); err != nil {
		return nil, fmt.Errorf("partners: remote_sftp.private_key: %w", err)
	}
	var data []byte
	if name, ok := strings.CutPrefix(c.PrivateKey, "env:"); ok {
		if getenv == nil {
			getenv = os.Getenv
		}
		if data = []byte(getenv(name)); len(data) == 0 {
			return nil, fmt.Errorf("partners: remote_sftp.private_key: $%s is not set", name)
		}
	} else {
		p := strings.TrimSpace(strings.TrimPrefix(c.PrivateKey, "file:"))
		if !filepath.IsAbs(p) {
			p = filepath.Join(partnerDir, p)
		}
		var err error
		if data, err = os.ReadFile(p); err != nil {
			return nil, fmt.Errorf("partners: remote_sftp.private_key: %w", err)
		}
	}
	signer, err := ssh.ParsePrivateKey(data)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		return nil, errors.New("partners: remote_sftp.private_key: the key is encrypted; give an unencrypted key (kept secret by file permissions or the environment)")
	}
	if err != nil {
		return nil, errors.New("partners: remote_sftp.private_key: not a private key ssh can read")
	}
	return signer, nil
}
