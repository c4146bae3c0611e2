package gateway

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/as2"
	"github.com/partnergate/partnergate/partners"
)

var (
	adminHash  = partners.SecretOf("admin-token").Hex()
	viewerHash = partners.SecretOf("viewer-token").Hex()
)

// writeConfig writes content as gateway.yaml in a new directory.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// envOf returns an env function over a map.
func envOf(m map[string]string) func(string) string {
	return func(name string) string { return m[name] }
}

const fullConfig = `database_url: postgres://gw@db.internal:5432/partnergate
http: {listen: "0.0.0.0:9090"}
x12: {qualifier: "01", id: "123456789"}
partners_dir: partners
limits: {max_upload_bytes: 2048}
jobs: {workers: 4, rescue_after: 90s}
staff:
  - {name: ops, role: admin, token: "ADMIN"}
  - {name: ann, role: viewer, token: "VIEWER"}
sftp: {listen: "0.0.0.0:2022", host_keys: [keys/host_ed25519, /srv/pg/ssh_host_rsa_key]}
`

func full() string {
	return strings.NewReplacer("ADMIN", adminHash, "VIEWER", viewerHash).Replace(fullConfig)
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, full())
	c, err := LoadConfig(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://gw@db.internal:5432/partnergate" || c.HTTP.Listen != "0.0.0.0:9090" ||
		c.X12 != (X12Identity{"01", "123456789"}) || c.PartnersDir != filepath.Join(filepath.Dir(path), "partners") ||
		c.Limits.MaxUploadBytes != 2048 || c.Jobs != (JobsConfig{Workers: 4, RescueAfter: 90 * time.Second}) {
		t.Errorf("config %+v", c)
	}
	if len(c.Staff) != 2 || c.Staff[0].Name != "ops" || c.Staff[0].Role != RoleAdmin || c.Staff[1].Role != RoleViewer {
		t.Fatalf("staff %+v", c.Staff)
	}
	if !c.Staff[0].Token.Match("admin-token") {
		t.Errorf("staff[0] token does not match")
	}
	wantSFTP := SFTPConfig{Listen: "0.0.0.0:2022",
		HostKeys: []string{filepath.Join(filepath.Dir(path), "keys", "host_ed25519"), "/srv/pg/ssh_host_rsa_key"}}
	if c.SFTP.Listen != wantSFTP.Listen || !slices.Equal(c.SFTP.HostKeys, wantSFTP.HostKeys) {
		t.Errorf("sftp %+v, want %+v", c.SFTP, wantSFTP)
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "# only what has no default\nx12: {id: NORTHWIND}\n")
	c, err := LoadConfig(path, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		HTTP:        HTTPConfig{Listen: "127.0.0.1:8080"},
		X12:         X12Identity{Qualifier: "ZZ", ID: "NORTHWIND"},
		PartnersDir: filepath.Join(filepath.Dir(path), "partner-configs"),
		Limits:      Limits{MaxUploadBytes: 104857600},
		Jobs:        JobsConfig{Workers: 20, RescueAfter: 5 * time.Minute},
	}
	if c.DatabaseURL != "" || c.HTTP != want.HTTP || c.X12 != want.X12 || c.PartnersDir != want.PartnersDir ||
		c.Limits != want.Limits || c.Jobs != want.Jobs || c.Staff != nil {
		t.Errorf("config %+v, want %+v", c, want)
	}
	dir := filepath.Dir(path)
	if c.SFTP.Listen != "" || !slices.Equal(c.SFTP.HostKeys, []string{filepath.Join(dir, "ssh_host_ed25519_key"), filepath.Join(dir, "ssh_host_rsa_key")}) {
		t.Errorf("sftp %+v: want no listener and the default host keys beside the file", c.SFTP)
	}
}

func TestLoadConfigEnv(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, full())
	c, err := LoadConfig(path, envOf(map[string]string{
		"DATABASE_URL":                 "postgres://env@127.0.0.1/pg",
		"PARTNERGATE_HTTP_LISTEN":      ":8443",
		"PARTNERGATE_PARTNERS_DIR":     "some/dir",
		"PARTNERGATE_MAX_UPLOAD_BYTES": "1000",
		"PARTNERGATE_WORKERS":          " 7 ",
		"PARTNERGATE_SFTP_LISTEN":      "127.0.0.1:0",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://env@127.0.0.1/pg" || c.HTTP.Listen != ":8443" || c.PartnersDir != "some/dir" ||
		c.Limits.MaxUploadBytes != 1000 || c.Jobs.Workers != 7 || c.SFTP.Listen != "127.0.0.1:0" {
		t.Errorf("config %+v", c)
	}
}

func TestLoadConfigProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		old     string // replaced in the full configuration by new
		new     string
		env     map[string]string
		wantAll []string // the problems, with "FILE" for the path
	}{
		{name: "unknown key", old: "partners_dir:", new: "partner_dir:",
			wantAll: []string{`FILE:4: partner_dir: unknown key "partner_dir"; known keys here: database_url, http, x12, partners_dir, limits, staff, jobs, sftp, as2, destinations, routes`}},
		{name: "unknown nested key", old: "listen:", new: "port:",
			wantAll: []string{`FILE:2: http.port: unknown key "port"; known keys here: listen`}},
		{name: "key given twice", old: "jobs: {workers: 4,", new: "jobs: {workers: 4, workers: 5,",
			wantAll: []string{`FILE:6: jobs.workers: given twice (first at line 6)`}},
		{name: "bad listen", old: `"0.0.0.0:9090"`, new: `"0.0.0.0"`,
			wantAll: []string{`FILE:2: http.listen: "0.0.0.0": want host:port, such as 127.0.0.1:8080 or :8080`}},
		{name: "bad port", old: `"0.0.0.0:9090"`, new: `"0.0.0.0:99999"`,
			wantAll: []string{`FILE:2: http.listen: "0.0.0.0:99999": bad port "99999": want a number from 0 to 65535`}},
		{name: "missing x12", old: `x12: {qualifier: "01", id: "123456789"}`, new: "",
			wantAll: []string{`FILE: x12.id: required: our ISA08, the ID partners send to`}},
		{name: "missing x12 id", old: `, id: "123456789"`, new: "",
			wantAll: []string{`FILE:3: x12.id: required: our ISA08, the ID partners send to`}},
		{name: "long x12 id", old: `"123456789"`, new: `"1234567890123456"`,
			wantAll: []string{`FILE:3: x12.id: "1234567890123456": ISA08 is 1 to 15 characters without '*', '~' or control characters`}},
		{name: "bad qualifier", old: `qualifier: "01"`, new: `qualifier: "1"`,
			wantAll: []string{`FILE:3: x12.qualifier: "1": ISA07 is 2 characters, such as ZZ or 01`}},
		{name: "bad size", old: "2048", new: "2KB",
			wantAll: []string{`FILE:5: limits.max_upload_bytes: "2KB" is not a whole number`}},
		{name: "zero size", old: "2048", new: "0",
			wantAll: []string{`FILE:5: limits.max_upload_bytes: 0: must be more than 0`}},
		{name: "bad workers", old: "workers: 4", new: "workers: 0",
			wantAll: []string{`FILE:6: jobs.workers: 0: must be from 1 to 10000`}},
		{name: "bad rescue_after", old: "90s", new: "90",
			wantAll: []string{`FILE:6: jobs.rescue_after: "90" is not a duration such as 90s, 5m or 1h`}},
		{name: "short rescue_after", old: "90s", new: "10ms",
			wantAll: []string{`FILE:6: jobs.rescue_after: 10ms: must be at least 1s`}},
		{name: "bad role", old: "role: viewer", new: "role: root",
			wantAll: []string{`FILE:9: staff[1].role: "root" is not one of viewer, onboarding, admin`}},
		{name: "missing role", old: "role: viewer, ", new: "",
			wantAll: []string{`FILE:9: staff[1].role: required: one of viewer, onboarding, admin`}},
		{name: "plain token", old: `token: "VIEWER"`, new: `token: "viewer-token"`,
			wantAll: []string{`FILE:9: staff[1].token: not a "sha256:<64 lowercase hex digits>" hash; store the hash of the token, never the token itself`}},
		{name: "missing token", old: `, token: "VIEWER"`, new: "",
			wantAll: []string{`FILE:9: staff[1].token: required: "sha256:<hex of the token>"`}},
		{name: "same name", old: "name: ann", new: "name: ops",
			wantAll: []string{`FILE:9: staff[1].name: "ops" is also the name of staff[0]`}},
		{name: "same token", old: `token: "VIEWER"`, new: `token: "ADMIN"`,
			wantAll: []string{`FILE:9: staff[1].token: the same token as staff[0]: give each person their own`}},
		{name: "staff not a list", old: "staff:\n", new: "staff: ops\nstaf:\n",
			wantAll: []string{
				`FILE:7: staff: want a list of {name, role, token}`,
				`FILE:8: staf: unknown key "staf"; known keys here: database_url, http, x12, partners_dir, limits, staff, jobs, sftp, as2, destinations, routes`,
			}},
		{name: "bad sftp listen", old: `"0.0.0.0:2022"`, new: `"2022"`,
			wantAll: []string{`FILE:10: sftp.listen: "2022": want host:port, such as 127.0.0.1:8080 or :8080`}},
		{name: "unknown sftp key", old: "sftp: {listen:", new: "sftp: {port: 22, listen:",
			wantAll: []string{`FILE:10: sftp.port: unknown key "port"; known keys here: listen, host_keys`}},
		{name: "host keys not a list", old: "[keys/host_ed25519, /srv/pg/ssh_host_rsa_key]", new: "keys/host_ed25519",
			wantAll: []string{`FILE:10: sftp.host_keys: want a list of key files, such as [ssh_host_ed25519_key, ssh_host_rsa_key]`}},
		{name: "no host keys", old: "[keys/host_ed25519, /srv/pg/ssh_host_rsa_key]", new: "[]",
			wantAll: []string{`FILE:10: sftp.host_keys: at least one host key file is required, such as ssh_host_ed25519_key`}},
		{name: "host key of unknown type", old: "/srv/pg/ssh_host_rsa_key", new: "/srv/pg/ssh_host_key",
			wantAll: []string{`FILE:10: sftp.host_keys[1]: "/srv/pg/ssh_host_key" does not exist, and only a name with "ed25519" or "rsa" in it says which key to create`}},
		{name: "host key twice", old: "/srv/pg/ssh_host_rsa_key", new: "keys/host_ed25519",
			wantAll: []string{`FILE:10: sftp.host_keys[1]: "DIR/keys/host_ed25519" is also sftp.host_keys[0]`}},
		{name: "bad env sftp listen", env: map[string]string{"PARTNERGATE_SFTP_LISTEN": "localhost"},
			wantAll: []string{`$PARTNERGATE_SFTP_LISTEN: sftp.listen: "localhost": want host:port, such as 127.0.0.1:8080 or :8080`}},
		{name: "bad env workers", env: map[string]string{"PARTNERGATE_WORKERS": "many"},
			wantAll: []string{`$PARTNERGATE_WORKERS: jobs.workers: "many" is not a whole number`}},
		{name: "bad env listen", env: map[string]string{"PARTNERGATE_HTTP_LISTEN": "8080"},
			wantAll: []string{`$PARTNERGATE_HTTP_LISTEN: http.listen: "8080": want host:port, such as 127.0.0.1:8080 or :8080`}},
		{name: "bad env size", env: map[string]string{"PARTNERGATE_MAX_UPLOAD_BYTES": "-1"},
			wantAll: []string{`$PARTNERGATE_MAX_UPLOAD_BYTES: limits.max_upload_bytes: -1: must be more than 0`}},
		{name: "not YAML", old: "limits: {max_upload_bytes: 2048}", new: "limits:\n\tmax_upload_bytes: 2048",
			wantAll: []string{`FILE:6: not valid YAML: found character that cannot start any token`}},
		{name: "two documents", old: "staff:\n", new: "---\nstaff:\n",
			wantAll: []string{`FILE:7: a second YAML document: keep one configuration per file`}},
		{name: "every problem at once", old: "role: viewer", new: "role: root, colour: red",
			env: map[string]string{"PARTNERGATE_WORKERS": "0"},
			wantAll: []string{
				`$PARTNERGATE_WORKERS: jobs.workers: 0: must be from 1 to 10000`,
				`FILE:9: staff[1].colour: unknown key "colour"; known keys here: name, role, token`,
				`FILE:9: staff[1].role: "root" is not one of viewer, onboarding, admin`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(fullConfig, tt.old) {
				t.Fatalf("%q is not in the configuration", tt.old)
			}
			content := strings.NewReplacer("ADMIN", adminHash, "VIEWER", viewerHash).
				Replace(strings.Replace(fullConfig, tt.old, tt.new, 1))
			path := writeConfig(t, content)
			_, err := LoadConfig(path, envOf(tt.env))
			var ce *ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, ErrConfig) {
				t.Fatalf("LoadConfig error %T %v, want a *ConfigError", err, err)
			}
			var got []string
			for _, p := range ce.Problems {
				got = append(got, strings.ReplaceAll(strings.Replace(p.Error(), path, "FILE", 1), filepath.Dir(path), "DIR"))
			}
			if !slices.Equal(got, tt.wantAll) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.wantAll, "\n"))
			}
			if strings.Contains(err.Error(), "viewer-token") {
				t.Errorf("the error repeats a token: %v", err)
			}
		})
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	t.Parallel()
	_, err := LoadConfig(filepath.Join(t.TempDir(), "gateway.yaml"), nil)
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrConfig) {
		t.Errorf("LoadConfig of a missing file: %v", err)
	}
}

// TestSampleGatewayConfig loads partner-configs/gateway.yaml, which make run
// uses, and the partners it points at.
func TestSampleGatewayConfig(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig("../partner-configs/gateway.yaml", envOf(map[string]string{"ERP_TOKEN": "demo-erp-token"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Destinations) != 2 || c.Destinations[0].Name != "erp" || c.Destinations[0].Auth.Bearer.IsZero() ||
		c.Destinations[1].URL.String() != "http://127.0.0.1:9000/wms" || len(c.Routes) != 5 {
		t.Errorf("destinations %+v, routes %+v", c.Destinations, c.Routes)
	}
	if c.PartnersDir != filepath.Join("..", "partner-configs") || c.X12 != (X12Identity{"ZZ", "NORTHWIND"}) ||
		c.HTTP.Listen != "127.0.0.1:8080" || c.DatabaseURL != "postgres://postgres@127.0.0.1:5432/partnergate?sslmode=disable" {
		t.Errorf("config %+v", c)
	}
	for token, want := range map[string]Role{
		"demo-admin-token": RoleAdmin, "demo-viewer-token": RoleViewer, "demo-onboarding-token": RoleOnboarding,
	} {
		if s, ok := c.StaffByToken(token); !ok || s.Role != want {
			t.Errorf("StaffByToken(%q) = %+v, %v; want role %s", token, s, ok, want)
		}
	}
	state := filepath.Join("..", "partner-configs", "state")
	if c.SFTP.Listen != "127.0.0.1:2022" || !slices.Equal(c.SFTP.HostKeys,
		[]string{filepath.Join(state, "ssh_host_ed25519_key"), filepath.Join(state, "ssh_host_rsa_key")}) {
		t.Errorf("sftp %+v", c.SFTP)
	}
	set, err := partners.Load(c.PartnersDir)
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != 4 {
		t.Errorf("%d sample partners, want 4", set.Len())
	}
	if p, ok := set.BySFTPUser("globex"); !ok || p.ID != "globex-supply" {
		t.Errorf("no SFTP account globex for globex-supply")
	}
	// The AS2 key pair is created in state/ on the first load.
	if c.AS2.ID != "NORTHWIND" || !c.AS2.CreateKeys || len(c.AS2.Keys) != 1 || c.AS2.Keys[0].Cert == nil ||
		c.AS2.PublicURL != "http://127.0.0.1:8080/as2" {
		t.Errorf("as2 %+v", c.AS2)
	}
	if p, ok := set.ByAS2ID("ACMEAS2"); !ok || p.ID != "acme-retail" {
		t.Errorf("no AS2 ID ACMEAS2 for acme-retail")
	}
}

func TestStaffByToken(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(writeConfig(t, full()), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		token, want string
	}{
		{"admin-token", "ops"}, {"viewer-token", "ann"}, {"ADMIN-TOKEN", ""}, {"", ""}, {adminHash, ""},
	}
	for _, tt := range tests {
		var got string
		if s, ok := c.StaffByToken(tt.token); ok {
			got = s.Name
		}
		if got != tt.want {
			t.Errorf("StaffByToken(%q) found %q, want %q", tt.token, got, tt.want)
		}
	}
}

func TestRoleAllows(t *testing.T) {
	t.Parallel()
	roles := []Role{RoleViewer, RoleOnboarding, RoleAdmin}
	for i, r := range roles {
		for j, need := range roles {
			if got, want := r.Allows(need), i >= j; got != want {
				t.Errorf("%s.Allows(%s) = %v, want %v", r, need, got, want)
			}
		}
		if r.Allows("root") || Role("root").Allows(r) || Role("").Allows(r) {
			t.Errorf("an unknown role is allowed or allows")
		}
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(writeConfig(t, full()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate of a loaded config: %v", err)
	}
	c.Jobs.Workers = 0
	if err := c.Validate(); err == nil || err.Error() != "config: jobs.workers: 0: must be from 1 to 10000" {
		t.Errorf("Validate = %v", err)
	}
}

// writeKeyPair writes an RSA key (PKCS#8 PEM) and its self-signed
// certificate into dir as name.key and name.crt.
func writeKeyPair(t *testing.T, dir, name string) *x509.Certificate {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, name+".crt"), string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, filepath.Join(dir, name+".key"), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})))
	cert, _ := x509.ParseCertificate(der)
	return cert
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadConfigAS2(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, `x12: {id: NORTHWIND}
as2:
  listen: "127.0.0.1:8081"
  id: NORTHWIND
  public_url: "https://as2.example.com/as2"
  mdn_wait: 20m
  mdn_timeout: 15s
  keys:
    - {certificate: "file:certs/new.crt", private_key: "file:certs/new.key"}
    - {certificate: "file:certs/old.crt", private_key: "file:certs/old.key"}
`)
	dir := filepath.Join(filepath.Dir(path), "certs")
	newCert := writeKeyPair(t, dir, "new")
	writeKeyPair(t, dir, "old")
	c, err := LoadConfig(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.AS2.Listen != "127.0.0.1:8081" || c.AS2.ID != "NORTHWIND" || len(c.AS2.Keys) != 2 ||
		c.AS2.PublicURL != "https://as2.example.com/as2" || c.AS2.MDNWait != 20*time.Minute || c.AS2.MDNTimeout != 15*time.Second {
		t.Fatalf("as2 %+v", c.AS2)
	}
	minimal := filepath.Join(filepath.Dir(path), "minimal.yaml")
	writeFile(t, minimal, "x12: {id: NORTHWIND}\nas2: {id: NW, keys: [{certificate: \"file:certs/new.crt\", private_key: \"file:certs/new.key\"}]}\n")
	if d, err := LoadConfig(minimal, nil); err != nil || d.AS2.MDNWait != as2.DefaultMDNWait || d.AS2.MDNTimeout != as2.DefaultMDNTimeout {
		t.Errorf("as2 without mdn_wait and mdn_timeout: %+v, %v; want the defaults", d.AS2, err)
	}
	k := c.AS2.Keys[0]
	if !k.Cert.Equal(newCert) || !publicKeyEqual(newCert.PublicKey, k.Signer.Public()) || c.AS2.Keys[1].Signer == nil {
		t.Errorf("keys %+v", c.AS2.Keys)
	}
	if d, err := LoadConfig(writeConfig(t, "x12: {id: NORTHWIND}\n"), nil); err != nil || d.AS2.ID != "" || d.AS2.Keys != nil {
		t.Errorf("without as2: %+v, %v", d, err)
	}
}

func TestLoadConfigAS2Problems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, as2 string
		want      []string
	}{
		{"missing id and keys", "as2: {listen: \"127.0.0.1:8081\"}\n", []string{
			`FILE:2: as2.id: required: our AS2 name, the AS2-To partners send to`,
			`FILE:2: as2.keys: at least one key pair is required: [{certificate: "file:..", private_key: "file:.."}]`,
		}},
		{"bad listen and id", "as2: {listen: nowhere, id: \"A\\\"B\", keys: [{certificate: \"file:certs/a.crt\", private_key: \"file:certs/a.key\"}]}\n", []string{
			`FILE:2: as2.listen: "nowhere": want host:port, such as 127.0.0.1:8080 or :8080`,
			`FILE:2: as2.id: "A\"B": 1 to 128 printable ASCII characters without '"' or '\'`,
		}},
		{"missing files", "as2:\n  id: NW\n  keys:\n    - {certificate: \"file:certs/x.crt\", private_key: \"file:certs/x.key\"}\n", []string{
			`FILE:5: as2.keys[0].certificate: cannot read the file: open DIR/certs/x.crt: no such file or directory`,
			`FILE:5: as2.keys[0].private_key: cannot read the file: open DIR/certs/x.key: no such file or directory`,
		}},
		{"key of another certificate", "as2:\n  id: NW\n  keys:\n    - {certificate: \"file:certs/a.crt\", private_key: \"file:certs/b.key\"}\n", []string{
			`FILE:5: as2.keys[0].private_key: the private key does not belong to the certificate of as2.keys[0].certificate`,
		}},
		{"key pasted", "as2:\n  id: NW\n  keys:\n    - {certificate: \"file:certs/a.crt\", private_key: \"-----BEGIN PRIVATE KEY-----\"}\n", []string{
			`FILE:5: as2.keys[0].private_key: want "file:PATH" (relative to this file's folder), never the key or certificate itself`,
		}},
		{"certificate as key", "as2:\n  id: NW\n  keys:\n    - {certificate: \"file:certs/a.crt\", private_key: \"file:certs/a.crt\"}\n", []string{
			`FILE:5: as2.keys[0].private_key: not a PEM private key (-----BEGIN PRIVATE KEY-----)`,
		}},
		{"missing key", "as2:\n  id: NW\n  keys:\n    - {certificate: \"file:certs/a.crt\"}\n", []string{
			`FILE:5: as2.keys[0].private_key: required`,
		}},
		{"MDN durations", "as2:\n  id: NW\n  mdn_wait: soon\n  mdn_timeout: 10ms\n  keys:\n    - {certificate: \"file:certs/a.crt\", private_key: \"file:certs/a.key\"}\n", []string{
			`FILE:4: as2.mdn_wait: "soon" is not a duration such as 90s, 5m or 1h`,
			`FILE:5: as2.mdn_timeout: 10ms: must be at least 1s`,
		}},
		{"public_url not a URL", "as2:\n  id: NW\n  public_url: as2.example.com/as2\n  keys:\n    - {certificate: \"file:certs/a.crt\", private_key: \"file:certs/a.key\"}\n", []string{
			`FILE:4: as2.public_url: "as2.example.com/as2": want an absolute http or https URL, such as https://as2.example.com/as2`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeConfig(t, "x12: {id: NORTHWIND}\n"+tt.as2)
			dir := filepath.Join(filepath.Dir(path), "certs")
			writeKeyPair(t, dir, "a")
			writeKeyPair(t, dir, "b")
			_, err := LoadConfig(path, nil)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("LoadConfig error %v, want a *ConfigError", err)
			}
			var got []string
			for _, p := range ce.Problems {
				got = append(got, strings.ReplaceAll(strings.Replace(p.Error(), path, "FILE", 1), filepath.Dir(path), "DIR"))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestLoadConfigAS2CreateKeys creates missing key pairs with
// as2.create_keys, keeps them on the next load and refuses half a pair.
func TestLoadConfigAS2CreateKeys(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, `x12: {id: NORTHWIND}
as2:
  id: NORTHWIND
  create_keys: true
  keys: [{certificate: "file:state/as2.crt", private_key: "file:state/as2.key"}]
`)
	c, err := LoadConfig(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	k := c.AS2.Keys[0]
	if k.Cert == nil || k.Cert.Subject.CommonName != "NORTHWIND" || !publicKeyEqual(k.Cert.PublicKey, k.Signer.Public()) {
		t.Fatalf("created key %+v", k)
	}
	again, err := LoadConfig(path, nil)
	if err != nil || !again.AS2.Keys[0].Cert.Equal(k.Cert) {
		t.Fatalf("second load: %v; same certificate: %v", err, err == nil && again.AS2.Keys[0].Cert.Equal(k.Cert))
	}
	if err := os.Remove(filepath.Join(filepath.Dir(path), "state", "as2.crt")); err != nil {
		t.Fatal(err)
	}
	_, err = LoadConfig(path, nil)
	if err == nil || !strings.Contains(err.Error(), "as2.keys[0]: creating the key pair (as2.create_keys): as2: only one of") {
		t.Errorf("half a pair: %v", err)
	}
	if _, err := LoadConfig(writeConfig(t, "x12: {id: NORTHWIND}\nas2: {id: NW, create_keys: maybe, keys: [{certificate: \"file:a.crt\", private_key: \"file:a.key\"}]}\n"), nil); err == nil ||
		!strings.Contains(err.Error(), "as2.create_keys: want true or false") {
		t.Errorf("create_keys: maybe: %v", err)
	}
}

func TestStaffByName(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig("../partner-configs/gateway.yaml", envOf(map[string]string{"ERP_TOKEN": "demo-erp-token"}))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := c.StaffByName("manager"); !ok || s.Role != RoleViewer {
		t.Errorf("StaffByName(manager) = %+v, %v", s, ok)
	}
	if _, ok := c.StaffByName("nobody"); ok {
		t.Error("StaffByName(nobody) found someone")
	}
}
