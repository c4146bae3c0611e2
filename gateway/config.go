package gateway

import (
	"bytes"
	"cmp"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/partnergate/partnergate/gateway/as2"
	"github.com/partnergate/partnergate/gateway/web"
	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/partners"
)

// Defaults of the service configuration.
const (
	DefaultListen         = "127.0.0.1:8080"
	DefaultX12Qualifier   = "ZZ"
	DefaultPartnersDir    = "partner-configs"
	DefaultMaxUploadBytes = 100 << 20 // 100 MiB
	DefaultWorkers        = 20
	DefaultRescueAfter    = 5 * time.Minute
)

// The default host key files of the SFTP server (sftp.host_keys), relative
// to the configuration file's folder: an ed25519 and an RSA key, created on
// the first start and kept.
const (
	DefaultSFTPHostKeyEd25519 = "ssh_host_ed25519_key"
	DefaultSFTPHostKeyRSA     = "ssh_host_rsa_key"
)

// Environment variables that override gateway.yaml.
const (
	EnvDatabaseURL    = "DATABASE_URL"
	EnvListen         = "PARTNERGATE_HTTP_LISTEN"
	EnvPartnersDir    = "PARTNERGATE_PARTNERS_DIR"
	EnvMaxUploadBytes = "PARTNERGATE_MAX_UPLOAD_BYTES"
	EnvWorkers        = "PARTNERGATE_WORKERS"
	EnvSFTPListen     = "PARTNERGATE_SFTP_LISTEN"
)

// Config is the service configuration, read from gateway.yaml by LoadConfig.
// Every field names its key; unknown keys are errors.
type Config struct {
	// DatabaseURL is the PostgreSQL connection string (key "database_url";
	// DATABASE_URL wins). Default "": pgx then uses the libpq environment
	// (PGHOST, PGUSER, PGDATABASE, …) and its defaults.
	DatabaseURL string
	// HTTP is the HTTP listener (key "http").
	HTTP HTTPConfig
	// X12 is our own interchange identity (key "x12"): the ISA07/ISA08
	// partners send to and the ISA05/ISA06 of our acknowledgments.
	X12 X12Identity
	// PartnersDir is the partner configuration directory (key
	// "partners_dir"; PARTNERGATE_PARTNERS_DIR wins). A relative path in the
	// file is relative to the file's folder, one in the environment to the
	// working directory. Default "partner-configs" beside the file.
	PartnersDir string
	// Limits bound what partners may send (key "limits").
	Limits Limits
	// Staff are the tokens of the staff endpoints and the dashboard (key
	// "staff"). Default none.
	Staff []StaffToken
	// Jobs configures the River job workers (key "jobs").
	Jobs JobsConfig
	// SFTP is the SFTP server partners log in to (key "sftp"). Default: no
	// SFTP server.
	SFTP SFTPConfig
	// AS2 is the AS2 endpoint, POST /as2 (key "as2"). Default: none.
	AS2 AS2Config
	// Destinations are the ERP and WMS APIs documents are delivered to
	// (key "destinations"). Default none.
	Destinations []*outbound.Destination
	// Routes pick each document's destinations and paths (key "routes");
	// a partner's own routes override them. Default none: nothing is
	// forwarded.
	Routes []outbound.Route
}

// AS2Config is the AS2 endpoint (key "as2"). It is enabled when ID is set.
type AS2Config struct {
	// Listen is the host:port of its own listener (key "listen"). Default
	// "": served on the HTTP listener.
	Listen string
	// ID is our AS2 name (key "id"): the AS2-To partners send to and the
	// AS2-From of our MDNs. Required when the key "as2" is given.
	ID string
	// Keys are our key pairs (key "keys"): the first signs MDNs and every
	// one may decrypt, which allows rollover. At least one.
	Keys []AS2Key
	// PublicURL is our AS2 endpoint as partners reach it (key
	// "public_url"), such as "https://as2.example.com/as2": where we ask
	// partners whose channels.as2.mdn is async to POST their MDNs
	// (Receipt-Delivery-Option). Default "": we cannot send to them.
	PublicURL string
	// CreateKeys creates each key pair of Keys whose two files are both
	// missing when the configuration is loaded (key "create_keys"): an RSA
	// 2048 key and a self-signed certificate for ID, valid a year, as
	// make run's sample does. Partners must then be given the new
	// certificate. Default false: a missing file is an error.
	CreateKeys bool
	// MDNWait is how long a message sent to a partner whose
	// channels.as2.mdn is async waits for the MDN before it is sent again
	// (key "mdn_wait"). Default as2.DefaultMDNWait, an hour.
	MDNWait time.Duration
	// MDNTimeout bounds one delivery of an asynchronous MDN we send a
	// partner (key "mdn_timeout"). Default as2.DefaultMDNTimeout, a minute.
	MDNTimeout time.Duration
}

// AS2Key is one of our AS2 key pairs, read and checked by LoadConfig.
type AS2Key struct {
	// Certificate is the certificate file (key "certificate", "file:PATH",
	// relative to the configuration file's folder), PEM or DER.
	Certificate string
	// PrivateKey is the unencrypted private key file of the certificate
	// (key "private_key", "file:PATH"), PEM (PKCS#8, PKCS#1 or SEC 1).
	PrivateKey string
	// Cert and Signer are the parsed certificate and private key.
	Cert   *x509.Certificate
	Signer crypto.Signer
}

// SFTPConfig is the SFTP server (key "sftp").
type SFTPConfig struct {
	// Listen is the host:port to listen on (key "listen";
	// PARTNERGATE_SFTP_LISTEN wins), such as "127.0.0.1:2022". Default "":
	// no SFTP server.
	Listen string
	// HostKeys are the server's private host key files (key "host_keys"). A
	// relative path in the file is relative to the file's folder. A file
	// that does not exist is created on the first start, an ed25519 key when
	// its name contains "ed25519" and an RSA key when it contains "rsa", and
	// kept, so that partners never see the host key change. Default
	// [DefaultSFTPHostKeyEd25519, DefaultSFTPHostKeyRSA] beside the file.
	HostKeys []string
}

// HTTPConfig is the HTTP listener (key "http").
type HTTPConfig struct {
	// Listen is the host:port to listen on (key "listen";
	// PARTNERGATE_HTTP_LISTEN wins). Default DefaultListen, 127.0.0.1:8080.
	Listen string
}

// X12Identity is our interchange identity (key "x12").
type X12Identity struct {
	// Qualifier is our ISA07 (key "qualifier"), 2 characters. Default
	// DefaultX12Qualifier, ZZ.
	Qualifier string
	// ID is our ISA08 (key "id"), 1 to 15 characters. Required: there is no
	// sensible default for the name partners address us by.
	ID string
}

// Limits bound what partners may send (key "limits").
type Limits struct {
	// MaxUploadBytes is the largest file accepted, in bytes (key
	// "max_upload_bytes"; PARTNERGATE_MAX_UPLOAD_BYTES wins). Default
	// DefaultMaxUploadBytes, 104857600 (100 MiB).
	MaxUploadBytes int64
}

// JobsConfig configures the River job workers (key "jobs").
type JobsConfig struct {
	// Workers is how many jobs run at once on this node (key "workers";
	// PARTNERGATE_WORKERS wins), 1 to 10000. Default DefaultWorkers, 20.
	Workers int
	// RescueAfter is how long a job may run before River considers it stuck
	// (its node crashed, say) and runs it again elsewhere (key
	// "rescue_after", a Go duration such as "5m"). Default
	// DefaultRescueAfter, 5 minutes.
	RescueAfter time.Duration
}

// StaffToken is one staff member's access (an item of "staff").
type StaffToken struct {
	// Name identifies the holder in logs and audit records (key "name").
	// Required, unique.
	Name string
	// Role is what the token allows (key "role"): viewer, onboarding or
	// admin. Required.
	Role Role
	// Token is the hash of the bearer token (key "token",
	// "sha256:<64 hex>"). Required, unique.
	Token partners.Secret
}

// Role is a staff role: viewer, onboarding or admin; each allows what the
// roles below it allow.
type Role = web.Role

// Staff roles.
const (
	// RoleViewer reads the staff endpoints and the dashboard.
	RoleViewer = web.RoleViewer
	// RoleOnboarding also manages partners and reprocesses files.
	RoleOnboarding = web.RoleOnboarding
	// RoleAdmin may do everything.
	RoleAdmin = web.RoleAdmin
)

// StaffByToken returns the staff member whose token is plain. The token is
// hashed once and compared with every staff token in constant time.
func (c *Config) StaffByToken(plain string) (*StaffToken, bool) {
	presented := partners.SecretOf(plain)
	var found *StaffToken
	for i := range c.Staff {
		if c.Staff[i].Token.Equal(presented) && found == nil {
			found = &c.Staff[i]
		}
	}
	return found, found != nil
}

// StaffByName returns the staff token held by name.
func (c *Config) StaffByName(name string) (*StaffToken, bool) {
	for i := range c.Staff {
		if c.Staff[i].Name == name {
			return &c.Staff[i], true
		}
	}
	return nil, false
}

// ErrConfig is wrapped by every ConfigError.
var ErrConfig = errors.New("gateway: invalid configuration")

// ConfigError is the error of LoadConfig and Validate: every problem found.
// A problem that comes from an environment variable has "$NAME" as its File.
type ConfigError struct {
	Path     string
	Problems []partners.Problem
}

// Error lists every problem, one per line.
func (e *ConfigError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns ErrConfig and each problem.
func (e *ConfigError) Unwrap() []error {
	errs := []error{ErrConfig}
	for _, p := range e.Problems {
		errs = append(errs, p)
	}
	return errs
}

// LoadConfig reads the service configuration at path, fills in the defaults,
// applies the environment overrides read with env (os.Getenv, or a map's
// lookup in tests; nil reads none) and validates the result. The error is a
// *ConfigError naming the file, line and key of every problem.
func LoadConfig(path string, env func(string) string) (*Config, error) {
	l := &configLoader{path: path, lines: map[string]int{}, env: map[string]string{}, getenv: env}
	c := defaultConfig()
	data, err := os.ReadFile(path)
	if err != nil {
		l.probs = append(l.probs, partners.Problem{File: path, Msg: "cannot read the configuration: " + err.Error(), Err: err})
		return nil, l.err()
	}
	root, ok := l.parse(data)
	if !ok {
		return nil, l.err()
	}
	if root != nil {
		l.decode(root, c)
	}
	if c.PartnersDir != "" && !filepath.IsAbs(c.PartnersDir) {
		c.PartnersDir = filepath.Join(filepath.Dir(path), c.PartnersDir)
	}
	for i, k := range c.SFTP.HostKeys {
		if k != "" && !filepath.IsAbs(k) {
			c.SFTP.HostKeys[i] = filepath.Join(filepath.Dir(path), k)
		}
	}
	l.loadAS2Keys(filepath.Dir(path), c)
	if env != nil {
		l.applyEnv(c, env)
	}
	l.validate(c)
	if err := l.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks a Config built in code, as LoadConfig checks a file; the
// error is a *ConfigError without lines. Zero values are not replaced by the
// defaults: start from a loaded Config, or set every field.
func (c *Config) Validate() error {
	l := &configLoader{path: "config", lines: map[string]int{}, env: map[string]string{}}
	l.validate(c)
	l.validateDelivery(c)
	return l.err()
}

func defaultConfig() *Config {
	return &Config{
		HTTP:        HTTPConfig{Listen: DefaultListen},
		X12:         X12Identity{Qualifier: DefaultX12Qualifier},
		PartnersDir: DefaultPartnersDir,
		Limits:      Limits{MaxUploadBytes: DefaultMaxUploadBytes},
		Jobs:        JobsConfig{Workers: DefaultWorkers, RescueAfter: DefaultRescueAfter},
		SFTP:        SFTPConfig{HostKeys: []string{DefaultSFTPHostKeyEd25519, DefaultSFTPHostKeyRSA}},
	}
}

// configLoader collects the problems of one configuration, locating each by
// the key path it concerns: the line the key was read from, or the
// environment variable that set it.
type configLoader struct {
	path  string
	lines map[string]int    // key path → line in the file
	env   map[string]string // key path → environment variable that set it
	probs []partners.Problem
	// getenv reads the environment variables that credentials name.
	getenv func(string) string
}

// add reports a problem with the value at field.
func (l *configLoader) add(field, format string, args ...any) {
	p := partners.Problem{File: l.path, Line: l.lineOf(field), Field: field, Msg: fmt.Sprintf(format, args...)}
	if name, ok := l.env[field]; ok {
		p.File, p.Line = "$"+name, 0
	}
	l.probs = append(l.probs, p)
}

// lineOf returns the line of field's value or, when the file does not have
// it, of the nearest enclosing key that it has.
func (l *configLoader) lineOf(field string) int {
	for f := field; f != ""; {
		if n, ok := l.lines[f]; ok {
			return n
		}
		i := strings.LastIndexAny(f, ".[")
		if i < 0 {
			break
		}
		f = f[:i]
	}
	return 0
}

// addAt reports a problem found while decoding the file, at line.
func (l *configLoader) addAt(line int, field, format string, args ...any) {
	l.probs = append(l.probs, partners.Problem{File: l.path, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (l *configLoader) err() error {
	if len(l.probs) == 0 {
		return nil
	}
	slices.SortStableFunc(l.probs, func(a, b partners.Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return &ConfigError{Path: l.path, Problems: l.probs}
}

// parse returns the root of the file's one document, nil for an empty file,
// and false when the file is not one YAML document.
func (l *configLoader) parse(data []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := dec.Decode(&doc)
	switch {
	case errors.Is(err, io.EOF):
		return nil, true // an empty file: every default
	case err != nil:
		var line int
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if _, serr := fmt.Sscanf(msg, "line %d:", &line); serr == nil {
			msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		}
		l.addAt(line, "", "not valid YAML: %s", msg)
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		l.addAt(extra.Line, "", "a second YAML document: keep one configuration per file")
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	return doc.Content[0], true
}

func (l *configLoader) decode(root *yaml.Node, c *Config) {
	f := l.fields(root, "", "database_url", "http", "x12", "partners_dir", "limits", "staff", "jobs", "sftp", "as2", "destinations", "routes")
	l.str(f["database_url"], "database_url", &c.DatabaseURL)
	hf := l.fields(f["http"], "http", "listen")
	l.str(hf["listen"], "http.listen", &c.HTTP.Listen)
	xf := l.fields(f["x12"], "x12", "qualifier", "id")
	l.str(xf["qualifier"], "x12.qualifier", &c.X12.Qualifier)
	l.str(xf["id"], "x12.id", &c.X12.ID)
	l.str(f["partners_dir"], "partners_dir", &c.PartnersDir)
	lf := l.fields(f["limits"], "limits", "max_upload_bytes")
	l.int64(lf["max_upload_bytes"], "limits.max_upload_bytes", &c.Limits.MaxUploadBytes)
	jf := l.fields(f["jobs"], "jobs", "workers", "rescue_after")
	var workers int64
	if l.int64(jf["workers"], "jobs.workers", &workers) {
		c.Jobs.Workers = int(min(workers, 1<<31-1))
	}
	l.duration(jf["rescue_after"], "jobs.rescue_after", &c.Jobs.RescueAfter)
	l.staff(f["staff"], c)
	l.sftp(f["sftp"], c)
	l.as2(f["as2"], c)
	l.destinations(f["destinations"], c, l.getenv, filepath.Dir(l.path))
	l.routes(f["routes"], c)
}

// as2 decodes the key "as2"; the key files are read by loadAS2Keys once
// the paths are resolved.
func (l *configLoader) as2(n *yaml.Node, c *Config) {
	if n == nil {
		return
	}
	af := l.fields(n, "as2", "listen", "id", "keys", "public_url", "create_keys", "mdn_wait", "mdn_timeout")
	c.AS2.MDNWait, c.AS2.MDNTimeout = as2.DefaultMDNWait, as2.DefaultMDNTimeout
	l.duration(af["mdn_wait"], "as2.mdn_wait", &c.AS2.MDNWait)
	l.duration(af["mdn_timeout"], "as2.mdn_timeout", &c.AS2.MDNTimeout)
	if ck := af["create_keys"]; ck != nil {
		if ck.Kind != yaml.ScalarNode || ck.Decode(&c.AS2.CreateKeys) != nil {
			l.addAt(ck.Line, "as2.create_keys", "want true or false")
		}
	}
	l.str(af["listen"], "as2.listen", &c.AS2.Listen)
	l.str(af["public_url"], "as2.public_url", &c.AS2.PublicURL)
	if !l.str(af["id"], "as2.id", &c.AS2.ID) || c.AS2.ID == "" {
		l.addAt(n.Line, "as2.id", "required: our AS2 name, the AS2-To partners send to")
	}
	keys := af["keys"]
	if keys == nil || isNull(keys) || (keys.Kind == yaml.SequenceNode && len(keys.Content) == 0) {
		l.addAt(n.Line, "as2.keys", `at least one key pair is required: [{certificate: "file:..", private_key: "file:.."}]`)
		return
	}
	if keys.Kind != yaml.SequenceNode {
		l.addAt(keys.Line, "as2.keys", `want a list of {certificate: "file:..", private_key: "file:.."}`)
		return
	}
	for i, item := range keys.Content {
		field := "as2.keys[" + strconv.Itoa(i) + "]"
		l.lines[field] = item.Line
		kf := l.fields(item, field, "certificate", "private_key")
		if item.Kind != yaml.MappingNode {
			l.addAt(item.Line, field, `want {certificate: "file:..", private_key: "file:.."}`)
			continue
		}
		var k AS2Key
		if !l.str(kf["certificate"], field+".certificate", &k.Certificate) {
			l.addAt(item.Line, field+".certificate", "required")
		}
		if !l.str(kf["private_key"], field+".private_key", &k.PrivateKey) {
			l.addAt(item.Line, field+".private_key", "required")
		}
		c.AS2.Keys = append(c.AS2.Keys, k)
	}
}

// loadAS2Keys reads and parses the key files named in the file, relative
// to dir, and checks that each key belongs to its certificate.
func (l *configLoader) loadAS2Keys(dir string, c *Config) {
	for i := range c.AS2.Keys {
		k := &c.AS2.Keys[i]
		field := "as2.keys[" + strconv.Itoa(i) + "]"
		if c.AS2.CreateKeys {
			certPath, err1 := refPath(dir, k.Certificate)
			keyPath, err2 := refPath(dir, k.PrivateKey)
			if err1 == nil && err2 == nil {
				if _, err := as2.EnsureKeyPair(&as2.EnsureKeyPairParams{CertPath: certPath, KeyPath: keyPath,
					CommonName: c.AS2.ID}); err != nil {
					l.add(field, "creating the key pair (as2.create_keys): %v", err)
				}
			}
		}
		if k.Certificate != "" {
			data, err := readRef(dir, k.Certificate)
			if err == nil {
				var certs []*x509.Certificate
				if certs, err = partners.ParseCertificates(data); err == nil {
					k.Cert = certs[0]
				}
			}
			if err != nil {
				l.add(field+".certificate", "%v", err)
			}
		}
		if k.PrivateKey != "" {
			data, err := readRef(dir, k.PrivateKey)
			if err == nil {
				k.Signer, err = ParsePrivateKey(data)
			}
			if err != nil {
				l.add(field+".private_key", "%v", err)
			}
		}
		if k.Cert != nil && k.Signer != nil && !publicKeyEqual(k.Cert.PublicKey, k.Signer.Public()) {
			l.add(field+".private_key", "the private key does not belong to the certificate of %s", field+".certificate")
		}
	}
}

// readRef reads a "file:PATH" reference, PATH relative to dir. Its error
// never repeats the value, which may be a key pasted by mistake.
func readRef(dir, ref string) ([]byte, error) {
	p, err := refPath(dir, ref)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("cannot read the file: %w", err)
	}
	return data, nil
}

// refPath returns the path of a "file:PATH" reference, relative to dir.
func refPath(dir, ref string) (string, error) {
	p, ok := strings.CutPrefix(ref, "file:")
	if p = strings.TrimSpace(p); !ok || p == "" {
		return "", errors.New(`want "file:PATH" (relative to this file's folder), never the key or certificate itself`)
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return p, nil
}

// ParsePrivateKey parses an unencrypted PEM private key: PKCS#8, PKCS#1
// (RSA) or SEC 1 (EC). Its errors never hold the key.
func ParsePrivateKey(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil || !strings.Contains(block.Type, "PRIVATE KEY") {
		return nil, errors.New("not a PEM private key (-----BEGIN PRIVATE KEY-----)")
	}
	if strings.Contains(block.Type, "ENCRYPTED") || block.Headers["Proc-Type"] != "" {
		return nil, errors.New("the key is encrypted; give an unencrypted key kept secret by file permissions")
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if s, ok := k.(crypto.Signer); ok {
			return s, nil
		}
		return nil, errors.New("a private key of an unsupported type")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	return nil, errors.New("a malformed private key: want PKCS#8, PKCS#1 or SEC 1 PEM")
}

func publicKeyEqual(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

func (l *configLoader) sftp(n *yaml.Node, c *Config) {
	sf := l.fields(n, "sftp", "listen", "host_keys")
	l.str(sf["listen"], "sftp.listen", &c.SFTP.Listen)
	keys := sf["host_keys"]
	if keys == nil || isNull(keys) {
		return
	}
	if keys.Kind != yaml.SequenceNode {
		l.addAt(keys.Line, "sftp.host_keys", "want a list of key files, such as [ssh_host_ed25519_key, ssh_host_rsa_key]")
		return
	}
	c.SFTP.HostKeys = nil
	for i, item := range keys.Content {
		field := "sftp.host_keys[" + strconv.Itoa(i) + "]"
		l.lines[field] = item.Line
		var k string
		if l.str(item, field, &k) {
			c.SFTP.HostKeys = append(c.SFTP.HostKeys, k)
		}
	}
}

func (l *configLoader) staff(n *yaml.Node, c *Config) {
	if n == nil || isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		l.addAt(n.Line, "staff", "want a list of {name, role, token}")
		return
	}
	for i, item := range n.Content {
		field := "staff[" + strconv.Itoa(i) + "]"
		l.lines[field] = item.Line
		if item.Kind != yaml.MappingNode {
			l.addAt(item.Line, field, "want {name: .., role: .., token: ..}")
			continue
		}
		sf := l.fields(item, field, "name", "role", "token")
		var s StaffToken
		var role, token string
		l.str(sf["name"], field+".name", &s.Name)
		l.str(sf["role"], field+".role", &role)
		l.str(sf["token"], field+".token", &token)
		s.Role = Role(role)
		if token != "" {
			var err error
			if s.Token, err = partners.ParseSecret(token); err != nil {
				l.probs = append(l.probs, partners.Problem{File: l.path, Line: l.lines[field+".token"], Field: field + ".token",
					Msg: err.Error() + "; store the hash of the token, never the token itself", Err: err})
			}
		}
		c.Staff = append(c.Staff, s)
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// fields returns the values of mapping n by key, reporting unknown and
// repeated keys, and records the line of each key. A missing or null n is
// an empty mapping.
func (l *configLoader) fields(n *yaml.Node, field string, known ...string) map[string]*yaml.Node {
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		l.addAt(n.Line, field, "want a mapping of %s", strings.Join(known, ", "))
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		path := k.Value
		if field != "" {
			path = field + "." + k.Value
		}
		switch {
		case !slices.Contains(known, k.Value):
			l.addAt(k.Line, path, "unknown key %q; known keys here: %s", k.Value, strings.Join(known, ", "))
		case out[k.Value] != nil:
			l.addAt(k.Line, path, "given twice (first at line %d)", l.lines[path])
		default:
			out[k.Value] = n.Content[i+1]
			l.lines[path] = n.Content[i+1].Line
		}
	}
	return out
}

// str stores the text of scalar n in dst; it reports false when n is
// missing, null or not a scalar (which is reported).
func (l *configLoader) str(n *yaml.Node, field string, dst *string) bool {
	if n == nil || isNull(n) {
		return false
	}
	if n.Kind != yaml.ScalarNode {
		l.addAt(n.Line, field, "want a single value")
		return false
	}
	*dst = strings.TrimSpace(n.Value)
	return true
}

func (l *configLoader) int64(n *yaml.Node, field string, dst *int64) bool {
	var s string
	if !l.str(n, field, &s) {
		return false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		l.addAt(n.Line, field, "%q is not a whole number", s)
		return false
	}
	*dst = v
	return true
}

func (l *configLoader) duration(n *yaml.Node, field string, dst *time.Duration) {
	var s string
	if !l.str(n, field, &s) {
		return
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		l.addAt(n.Line, field, "%q is not a duration such as 90s, 5m or 1h", s)
		return
	}
	*dst = d
}

// applyEnv applies the environment overrides, remembering which variable
// set each field so that its problems name the variable.
func (l *configLoader) applyEnv(c *Config, env func(string) string) {
	set := func(name, field string, apply func(string)) {
		if v := strings.TrimSpace(env(name)); v != "" {
			l.env[field] = name
			apply(v)
		}
	}
	set(EnvDatabaseURL, "database_url", func(v string) { c.DatabaseURL = v })
	set(EnvListen, "http.listen", func(v string) { c.HTTP.Listen = v })
	set(EnvPartnersDir, "partners_dir", func(v string) { c.PartnersDir = v })
	set(EnvSFTPListen, "sftp.listen", func(v string) { c.SFTP.Listen = v })
	set(EnvMaxUploadBytes, "limits.max_upload_bytes", func(v string) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			l.add("limits.max_upload_bytes", "%q is not a whole number", v)
			return
		}
		c.Limits.MaxUploadBytes = n
	})
	set(EnvWorkers, "jobs.workers", func(v string) {
		n, err := strconv.Atoi(v)
		if err != nil {
			l.add("jobs.workers", "%q is not a whole number", v)
			return
		}
		c.Jobs.Workers = n
	})
}

// validate checks every value of c.
func (l *configLoader) validate(c *Config) {
	if err := checkListen(c.HTTP.Listen); err != nil {
		l.add("http.listen", "%q: %v", c.HTTP.Listen, err)
	}
	l.validateX12(c.X12)
	if c.PartnersDir == "" {
		l.add("partners_dir", "must not be empty")
	}
	if c.Limits.MaxUploadBytes <= 0 {
		l.add("limits.max_upload_bytes", "%d: must be more than 0", c.Limits.MaxUploadBytes)
	}
	if c.Jobs.Workers < 1 || c.Jobs.Workers > 10000 {
		l.add("jobs.workers", "%d: must be from 1 to 10000", c.Jobs.Workers)
	}
	if c.Jobs.RescueAfter < time.Second {
		l.add("jobs.rescue_after", "%v: must be at least 1s", c.Jobs.RescueAfter)
	}
	l.validateStaff(c.Staff)
	l.validateSFTP(c.SFTP)
	if c.AS2.Listen != "" {
		if err := checkListen(c.AS2.Listen); err != nil {
			l.add("as2.listen", "%q: %v", c.AS2.Listen, err)
		}
	}
	if c.AS2.ID != "" && !partners.ValidAS2ID(c.AS2.ID) {
		l.add("as2.id", "%q: 1 to 128 printable ASCII characters without '\"' or '\\'", c.AS2.ID)
	}
	if c.AS2.ID != "" && c.AS2.MDNWait < time.Second {
		l.add("as2.mdn_wait", "%v: must be at least 1s", c.AS2.MDNWait)
	}
	if c.AS2.ID != "" && c.AS2.MDNTimeout < time.Second {
		l.add("as2.mdn_timeout", "%v: must be at least 1s", c.AS2.MDNTimeout)
	}
	if u, err := url.Parse(c.AS2.PublicURL); c.AS2.PublicURL != "" &&
		(err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		l.add("as2.public_url", "%q: want an absolute http or https URL, such as https://as2.example.com/as2", c.AS2.PublicURL)
	}
}

func (l *configLoader) validateSFTP(s SFTPConfig) {
	if s.Listen == "" {
		return
	}
	if err := checkListen(s.Listen); err != nil {
		l.add("sftp.listen", "%q: %v", s.Listen, err)
	}
	if len(s.HostKeys) == 0 {
		l.add("sftp.host_keys", "at least one host key file is required, such as ssh_host_ed25519_key")
	}
	seen := map[string]int{}
	for i, k := range s.HostKeys {
		field := "sftp.host_keys[" + strconv.Itoa(i) + "]"
		if first, dup := seen[k]; dup {
			l.add(field, "%q is also sftp.host_keys[%d]", k, first)
			continue
		}
		seen[k] = i
		base := strings.ToLower(filepath.Base(k))
		if k == "" {
			l.add(field, "must not be empty")
		} else if _, err := os.Stat(k); err != nil && !strings.Contains(base, "ed25519") && !strings.Contains(base, "rsa") {
			l.add(field, "%q does not exist, and only a name with \"ed25519\" or \"rsa\" in it says which key to create", k)
		}
	}
}

func checkListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("want host:port, such as 127.0.0.1:8080 or :8080")
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("bad host %q", host)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || (n == 0 && port != "0") {
		return fmt.Errorf("bad port %q: want a number from 0 to 65535", port)
	}
	return nil
}

func (l *configLoader) validateX12(x X12Identity) {
	if len(x.Qualifier) != 2 || !printable(x.Qualifier) {
		l.add("x12.qualifier", "%q: ISA07 is 2 characters, such as ZZ or 01", x.Qualifier)
	}
	switch {
	case x.ID == "":
		l.add("x12.id", "required: our ISA08, the ID partners send to")
	case len(x.ID) > 15 || !printable(x.ID):
		l.add("x12.id", "%q: ISA08 is 1 to 15 characters without '*', '~' or control characters", x.ID)
	}
}

// printable reports whether s can appear in an ISA element whatever the
// delimiters.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e || strings.IndexByte("*~|^>:", s[i]) >= 0 {
			return false
		}
	}
	return true
}

func (l *configLoader) validateStaff(staff []StaffToken) {
	names := map[string]int{}
	for i, s := range staff {
		field := "staff[" + strconv.Itoa(i) + "]"
		if s.Name == "" {
			l.add(field+".name", "required")
		} else if first, dup := names[s.Name]; dup {
			l.add(field+".name", "%q is also the name of staff[%d]", s.Name, first)
		} else {
			names[s.Name] = i
		}
		switch {
		case s.Role == "":
			l.add(field+".role", "required: one of viewer, onboarding, admin")
		case !s.Role.Valid():
			l.add(field+".role", "%q is not one of viewer, onboarding, admin", s.Role)
		}
		if s.Token.IsZero() && !l.reported(field+".token") {
			l.add(field+".token", "required: \"sha256:<hex of the token>\"")
		}
		for j := range i {
			if !s.Token.IsZero() && s.Token.Equal(staff[j].Token) {
				l.add(field+".token", "the same token as staff[%d]: give each person their own", j)
			}
		}
	}
}

// reported reports whether a problem was already recorded for field.
func (l *configLoader) reported(field string) bool {
	return slices.ContainsFunc(l.probs, func(p partners.Problem) bool { return p.Field == field })
}
