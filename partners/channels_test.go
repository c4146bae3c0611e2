package partners_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/ssh"

	"github.com/partnergate/partnergate/partners"
)

// newKey returns a new ed25519 key pair's authorized_keys line (with a
// comment) and its signer.
func newKey(t *testing.T, comment string) (string, ssh.Signer) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey())))
	return line + " " + comment, signer
}

func smallRSAKey(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ssh.NewPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
}

// sftpPartner is a partner file with an SFTP account; KEY1, KEY2, HOSTKEY
// and HASH are replaced.
const sftpPartner = `id: globex
name: Globex
status: active
channels:
  sftp:
    username: globex
    authorized_keys:
      - "KEY1"
      - "KEY2"
    password_hash: "HASH"
  remote_sftp:
    host: sftp.globex.example
    port: 2222
    username: northwind
    private_key: "file:keys/globex_id_ed25519"
    host_key: "HOSTKEY"
    inbound_dir: /out/to-northwind
    outbound_dir: /in/from-northwind
    pattern: "*.edi"
    schedule: "@every 30s"
    archive_dir: /out/done
`

type sftpFixture struct {
	key1, key2, hostKey, hash string
	signer1                   ssh.Signer
}

func newSFTPFixture(t *testing.T) *sftpFixture {
	t.Helper()
	f := &sftpFixture{}
	f.key1, f.signer1 = newKey(t, "globex@laptop")
	f.key2, _ = newKey(t, "globex@ci")
	f.hostKey, _ = newKey(t, "host")
	h, err := bcrypt.GenerateFromPassword([]byte("s3cret-pass"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	f.hash = string(h)
	return f
}

// file returns sftpPartner with the fixture's keys and each pair of old,
// new strings replaced in turn.
func (f *sftpFixture) file(pairs ...string) string {
	s := sftpPartner
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return strings.NewReplacer("KEY1", f.key1, "KEY2", f.key2, "HOSTKEY", f.hostKey, "HASH", f.hash).Replace(s)
}

func TestLoadSFTPChannels(t *testing.T) {
	t.Parallel()
	f := newSFTPFixture(t)
	dir := writeDir(t, map[string]string{"globex.yaml": f.file(), "acme.yaml": acmeWith()})
	set, err := partners.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := set.BySFTPUser("globex")
	if !ok || p.ID != "globex" {
		t.Fatalf("BySFTPUser(globex) = %v, %v", p, ok)
	}
	c := p.Channels.SFTP
	if c.Username != "globex" || len(c.AuthorizedKeys) != 2 || c.PasswordHash != f.hash {
		t.Errorf("sftp %+v", c)
	}
	if string(c.AuthorizedKeys[0].Marshal()) != string(f.signer1.PublicKey().Marshal()) {
		t.Errorf("the first key is not the one in the file")
	}
	if err := bcrypt.CompareHashAndPassword([]byte(c.PasswordHash), []byte("s3cret-pass")); err != nil {
		t.Errorf("password hash: %v", err)
	}
	r := p.Channels.RemoteSFTP
	if r == nil || r.Host != "sftp.globex.example" || r.Port != 2222 || r.Username != "northwind" ||
		r.PrivateKey != "file:keys/globex_id_ed25519" || r.HostKey == nil || r.InboundDir != "/out/to-northwind" ||
		r.OutboundDir != "/in/from-northwind" || r.Pattern != "*.edi" || r.Schedule != "@every 30s" || r.ArchiveDir != "/out/done" {
		t.Errorf("remote_sftp %+v", r)
	}
	for _, name := range []string{"", "acme-retail", "nobody", "GLOBEX"} {
		if q, ok := set.BySFTPUser(name); ok {
			t.Errorf("BySFTPUser(%q) = %s", name, q.ID)
		}
	}
}

func TestLoadRemoteSFTPDefaults(t *testing.T) {
	t.Parallel()
	f := newSFTPFixture(t)
	content := f.file("    port: 2222\n", "", "    pattern: \"*.edi\"\n", "", "    schedule: \"@every 30s\"\n", "",
		"    archive_dir: /out/done\n", "", "  sftp:\n    username: globex\n    authorized_keys:\n      - \"KEY1\"\n      - \"KEY2\"\n    password_hash: \"HASH\"\n", "")
	set, err := partners.Load(writeDir(t, map[string]string{"globex.yaml": content}))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := set.ByID("globex")
	r := p.Channels.RemoteSFTP
	if p.Channels.SFTP != nil || r.Port != 22 || r.Pattern != "*" || r.Schedule != "*/5 * * * *" || r.ArchiveDir != "" {
		t.Errorf("defaults: sftp %+v, remote %+v", p.Channels.SFTP, r)
	}
}

func TestLoadSFTPProblems(t *testing.T) {
	t.Parallel()
	f := newSFTPFixture(t)
	small := smallRSAKey(t)
	other := minimal("acme") + "channels:\n  sftp:\n    username: globex\n    authorized_keys: [\"" + f.key2 + "\"]\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"bad username", map[string]string{"g.yaml": f.file("username: globex", "username: Globex Inc")},
			[]string{`g.yaml:6: channels.sftp.username: "Globex Inc": use lowercase letters, digits, '.', '_' and '-' only`}},
		{"missing username", map[string]string{"g.yaml": f.file("    username: globex\n", "")},
			[]string{`g.yaml:6: channels.sftp.username: required`}},
		{"no key and no password", map[string]string{"g.yaml": minimal("g") + "channels:\n  sftp: {username: g}\n"},
			[]string{`g.yaml:5: channels.sftp: at least one of authorized_keys or password_hash is required`}},
		{"empty sftp", map[string]string{"g.yaml": minimal("g") + "channels:\n  sftp:\n"},
			[]string{`g.yaml:5: channels.sftp: want {username: .., authorized_keys: [..]}`}},
		{"bad key", map[string]string{"g.yaml": f.file(`"KEY2"`, `"ssh-ed25519 AAAAnotbase64"`)},
			[]string{`g.yaml:9: channels.sftp.authorized_keys[1]: not a public key in authorized_keys format ("ssh-ed25519 AAAA… comment"); copy the whole line of the .pub file`}},
		{"key with options", map[string]string{"g.yaml": f.file(`"KEY2"`, `'command="ls" KEY2'`)},
			[]string{`g.yaml:9: channels.sftp.authorized_keys[1]: options (command="ls") are not supported: give the key alone`}},
		{"small RSA key", map[string]string{"g.yaml": f.file(`"KEY1"`, `"`+small+`"`)},
			[]string{`g.yaml:8: channels.sftp.authorized_keys[0]: an RSA key of 1024 bits: use at least 2048 bits, or ed25519`}},
		{"key listed twice", map[string]string{"g.yaml": f.file(`"KEY2"`, `"KEY1"`)},
			[]string{`g.yaml:9: channels.sftp.authorized_keys[1]: this SFTP key (` + ssh.FingerprintSHA256(f.signer1.PublicKey()) + `) is listed twice (also at line 8)`}},
		{"plain password", map[string]string{"g.yaml": f.file(`"HASH"`, `"hunter2"`)},
			[]string{`g.yaml:10: channels.sftp.password_hash: not a bcrypt hash ("$2a$…", "$2b$…" or "$2y$…", e.g. from htpasswd -nBC 12 USER); store the hash, never the password`}},
		{"truncated hash", map[string]string{"g.yaml": f.file(`"HASH"`, `"$2a$10$abc"`)},
			[]string{`g.yaml:10: channels.sftp.password_hash: a malformed bcrypt hash: want 60 characters such as $2b$12$ followed by 53 more`}},
		{"username and key of another partner", map[string]string{"g.yaml": f.file(), "o.yaml": other},
			[]string{
				`o.yaml:6: channels.sftp.username: SFTP user name "globex" is already claimed by partner "globex" (DIR/g.yaml:6)`,
				`o.yaml:7: channels.sftp.authorized_keys[0]: this SFTP key (FP2) is already claimed by partner "globex" (DIR/g.yaml:9)`,
			}},
		{"unknown sftp key", map[string]string{"g.yaml": f.file("    password_hash:", "    shell: /bin/sh\n    password_hash:")},
			[]string{`g.yaml:10: channels.sftp.shell: unknown key "shell"; known keys here: username, authorized_keys, password_hash`}},
		{"remote: missing keys", map[string]string{"g.yaml": minimal("g") + "channels:\n  remote_sftp: {port: 22}\n"},
			[]string{
				`g.yaml:5: channels.remote_sftp.host: required`,
				`g.yaml:5: channels.remote_sftp.username: required`,
				`g.yaml:5: channels.remote_sftp.private_key: required`,
				`g.yaml:5: channels.remote_sftp.host_key: required: the server's public host key, e.g. from "ssh-keyscan -t ed25519 HOST"`,
				`g.yaml:5: channels.remote_sftp.inbound_dir: required`,
				`g.yaml:5: channels.remote_sftp.outbound_dir: required`,
			}},
		{"remote: bad host", map[string]string{"g.yaml": f.file("host: sftp.globex.example", "host: user@sftp.globex.example:22")},
			[]string{`g.yaml:12: channels.remote_sftp.host: "user@sftp.globex.example:22": want a host name or IP address, without port or user`}},
		{"remote: bad port", map[string]string{"g.yaml": f.file("port: 2222", "port: 70000")},
			[]string{`g.yaml:13: channels.remote_sftp.port: "70000": want a port number from 1 to 65535`}},
		{"remote: plain private key", map[string]string{"g.yaml": f.file(`"file:keys/globex_id_ed25519"`, `"-----BEGIN OPENSSH PRIVATE KEY-----"`)},
			[]string{`g.yaml:15: channels.remote_sftp.private_key: want a reference, "file:PATH" (relative to this file's folder) or "env:NAME", never the key itself`}},
		{"remote: bad env name", map[string]string{"g.yaml": f.file(`"file:keys/globex_id_ed25519"`, `"env:GLOBEX-KEY"`)},
			[]string{`g.yaml:15: channels.remote_sftp.private_key: "env:" wants a variable name of letters, digits and '_'`}},
		{"remote: empty file", map[string]string{"g.yaml": f.file(`"file:keys/globex_id_ed25519"`, `"file:"`)},
			[]string{`g.yaml:15: channels.remote_sftp.private_key: "file:" without a path`}},
		{"remote: bad host key", map[string]string{"g.yaml": f.file(`"HOSTKEY"`, `"AAAAC3NzaC1lZDI1NTE5"`)},
			[]string{`g.yaml:16: channels.remote_sftp.host_key: not a public key in authorized_keys format ("ssh-ed25519 AAAA… comment"); copy the whole line of the .pub file`}},
		{"remote: bad pattern", map[string]string{"g.yaml": f.file(`"*.edi"`, `"[*.edi"`)},
			[]string{`g.yaml:19: channels.remote_sftp.pattern: "[*.edi": want a file name pattern such as *.edi or 850_*.x12 (path.Match syntax, no '/')`}},
		{"remote: pattern with a folder", map[string]string{"g.yaml": f.file(`"*.edi"`, `"out/*.edi"`)},
			[]string{`g.yaml:19: channels.remote_sftp.pattern: "out/*.edi": want a file name pattern such as *.edi or 850_*.x12 (path.Match syntax, no '/')`}},
		{"remote: bad schedule", map[string]string{"g.yaml": f.file(`"@every 30s"`, `"every 5 minutes"`)},
			[]string{`g.yaml:20: channels.remote_sftp.schedule: "every 5 minutes": expected exactly 5 fields, found 3: [every 5 minutes]; want a cron expression such as "*/5 * * * *" or "@every 30s"`}},
		{"remote: bad descriptor", map[string]string{"g.yaml": f.file(`"@every 30s"`, `"@every thirty"`)},
			[]string{`g.yaml:20: channels.remote_sftp.schedule: "@every thirty": failed to parse duration @every thirty: time: invalid duration "thirty"; want a cron expression such as "*/5 * * * *" or "@every 30s"`}},
		{"remote: unknown key", map[string]string{"g.yaml": f.file("    archive_dir:", "    delete: true\n    archive_dir:")},
			[]string{`g.yaml:21: channels.remote_sftp.delete: unknown key "delete"; known keys here: host, port, username, private_key, host_key, inbound_dir, outbound_dir, pattern, schedule, archive_dir`}},
	}
	fp2 := func() string {
		k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(f.key2))
		if err != nil {
			t.Fatal(err)
		}
		return ssh.FingerprintSHA256(k)
	}()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeDir(t, tt.files)
			got := problemLines(t, dir)
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = strings.NewReplacer("DIR", dir, "FP2", fp2).Replace(w)
			}
			if !slices.Equal(got, want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for _, g := range got {
				if strings.Contains(g, f.hash) || strings.Contains(g, "hunter2") || strings.Contains(g, "BEGIN OPENSSH") {
					t.Errorf("a problem repeats a secret: %s", g)
				}
			}
		})
	}
}

func TestRemoteSFTPSigner(t *testing.T) {
	t.Parallel()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(block))
	dir := writeDir(t, map[string]string{"keys/id": keyPEM, "keys/bad": "not a key"})
	env := func(name string) string { return map[string]string{"GLOBEX_KEY": keyPEM}[name] }
	want, _ := ssh.NewPublicKey(priv.Public())
	for _, ref := range []string{"file:keys/id", "file:" + filepath.Join(dir, "keys", "id"), "env:GLOBEX_KEY"} {
		c := &partners.RemoteSFTPChannel{PrivateKey: ref}
		s, err := c.Signer(dir, env)
		if err != nil {
			t.Errorf("%s: %v", ref, err)
			continue
		}
		if string(s.PublicKey().Marshal()) != string(want.Marshal()) {
			t.Errorf("%s: another key", ref)
		}
	}
	encrypted, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	dir2 := writeDir(t, map[string]string{"enc": string(pem.EncodeToMemory(encrypted))})
	for _, tt := range []struct{ dir, ref, want string }{
		{dir, "file:keys/missing", "no such file"},
		{dir, "file:keys/bad", "not a private key ssh can read"},
		{dir, "env:NOPE", "$NOPE is not set"},
		{dir, keyPEM, "never the key itself"},
		{dir2, "file:enc", "the key is encrypted"},
	} {
		_, err := (&partners.RemoteSFTPChannel{PrivateKey: tt.ref}).Signer(tt.dir, env)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "PRIVATE KEY") {
			t.Errorf("Signer(%.20q) error %v, want %q", tt.ref, err, tt.want)
		}
	}
}
