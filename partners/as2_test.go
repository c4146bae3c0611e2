package partners_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/partners"
)

// newCertPEM returns a self-signed certificate in PEM and DER.
func newCertPEM(t *testing.T, cn string) (string, []byte) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), der
}

const as2Partner = `id: globex
name: Globex
status: active
channels:
  as2:
    as2_id: "GLOBEX AS2"
    url: https://as2.globex.example/as2
    certificates: ["file:certs/globex.crt", "file:certs/globex-next.der"]
    sign: sha384
    encrypt: aes128-gcm
    mdn: async
    require_signed: false
    require_encrypted: true
`

func TestLoadAS2Channel(t *testing.T) {
	t.Parallel()
	crt, der1 := newCertPEM(t, "globex")
	_, der2 := newCertPEM(t, "globex next")
	dir := writeDir(t, map[string]string{"globex.yaml": as2Partner, "certs/globex.crt": crt,
		"certs/globex-next.der": string(der2),
		"acme.yaml":             minimal("acme") + "channels:\n  as2: {as2_id: ACME, certificates: [\"file:" + filepath.Join("certs", "globex.crt") + "\"]}\n"})
	set, err := partners.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := set.ByAS2ID("GLOBEX AS2")
	if !ok || p.ID != "globex" {
		t.Fatalf("ByAS2ID = %v, %v", p, ok)
	}
	c := p.Channels.AS2
	if c.URL != "https://as2.globex.example/as2" || c.Sign != "sha384" || c.Encrypt != "aes128-gcm" || c.MDN != "async" ||
		c.RequireSigned || !c.RequireEncrypted {
		t.Errorf("as2 %+v", c)
	}
	if len(c.Certificates) != 2 || !slices.Equal(c.Certificates[0].Raw, der1) || !slices.Equal(c.Certificates[1].Raw, der2) {
		t.Errorf("certificates %d", len(c.Certificates))
	}
	a, _ := set.ByID("acme")
	d := a.Channels.AS2
	if d.Sign != "sha256" || d.Encrypt != "aes256-cbc" || d.MDN != "sync" || !d.RequireSigned || d.RequireEncrypted || d.URL != "" {
		t.Errorf("defaults %+v", d)
	}
	for _, id := range []string{"", "globex as2", "GLOBEX", "acme"} {
		if q, ok := set.ByAS2ID(id); ok {
			t.Errorf("ByAS2ID(%q) = %s", id, q.ID)
		}
	}
}

func TestLoadAS2Problems(t *testing.T) {
	t.Parallel()
	crt, _ := newCertPEM(t, "globex")
	with := func(pairs ...string) string { return strings.NewReplacer(pairs...).Replace(as2Partner) }
	base := map[string]string{"certs/globex.crt": crt, "certs/globex-next.der": crt}
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"missing id and certificates", map[string]string{"g.yaml": minimal("g") + "channels:\n  as2: {mdn: sync}\n"},
			[]string{
				`g.yaml:5: channels.as2.as2_id: required`,
				`g.yaml:5: channels.as2.certificates: at least one certificate is required, such as ["file:certs/partner.crt"]`,
			}},
		{"bad values", map[string]string{"g.yaml": with(`"GLOBEX AS2"`, `"GLOBEX \"X\""`, "https://as2", "ftp://as2",
			"sha384", "md5", "aes128-gcm", "des", "mdn: async", "mdn: email", "require_signed: false", "require_signed: maybe")},
			[]string{
				`g.yaml:6: channels.as2.as2_id: "GLOBEX \"X\"": 1 to 128 printable ASCII characters without '"' or '\'`,
				`g.yaml:7: channels.as2.url: "ftp://as2.globex.example/as2": want an http or https URL such as https://as2.partner.example/as2`,
				`g.yaml:9: channels.as2.sign: "md5" is not one of sha1, sha256, sha384, sha512`,
				`g.yaml:10: channels.as2.encrypt: "des" is not one of aes128-cbc, aes192-cbc, aes256-cbc, aes128-gcm, aes256-gcm, none`,
				`g.yaml:11: channels.as2.mdn: "email" is not one of sync, async`,
				`g.yaml:12: channels.as2.require_signed: "maybe": want true or false`,
			}},
		{"missing certificate file", map[string]string{"g.yaml": with("certs/globex-next.der", "certs/nope.crt"), "certs/globex.crt": crt},
			[]string{`g.yaml:8: channels.as2.certificates[1]: cannot read the certificate: open DIR/certs/nope.crt: no such file or directory`}},
		{"not a certificate", map[string]string{"g.yaml": as2Partner, "certs/globex.crt": crt, "certs/globex-next.der": "hello"},
			[]string{`g.yaml:8: channels.as2.certificates[1]: no certificate in the file: want PEM (-----BEGIN CERTIFICATE-----) or DER`}},
		{"a private key", map[string]string{"g.yaml": as2Partner, "certs/globex.crt": crt,
			"certs/globex-next.der": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"},
			[]string{`g.yaml:8: channels.as2.certificates[1]: a private key where a certificate is expected: give the partner's certificate only`}},
		{"not a reference", map[string]string{"g.yaml": with(`"file:certs/globex-next.der"`, `"certs/x.crt"`), "certs/globex.crt": crt},
			[]string{`g.yaml:8: channels.as2.certificates[1]: "certs/x.crt": want "file:PATH" (relative to this file's folder) of a PEM or DER certificate`}},
		{"AS2 ID of another partner", map[string]string{"g.yaml": as2Partner, "h.yaml": strings.Replace(as2Partner, "id: globex", "id: hooli", 1)},
			[]string{`h.yaml:6: channels.as2.as2_id: AS2 ID "GLOBEX AS2" is already claimed by partner "globex" (DIR/g.yaml:6)`}},
		{"unknown key", map[string]string{"g.yaml": with("    mdn: async\n", "    mdn: async\n    compress: true\n")},
			[]string{`g.yaml:12: channels.as2.compress: unknown key "compress"; known keys here: as2_id, url, certificates, sign, encrypt, mdn, require_signed, require_encrypted`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range tt.files {
				files[k] = v
			}
			if _, ok := tt.files["certs/globex.crt"]; ok && tt.files["certs/globex-next.der"] == "" {
				delete(files, "certs/globex-next.der")
			}
			dir := writeDir(t, files)
			got := problemLines(t, dir)
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = strings.ReplaceAll(w, "DIR", dir)
			}
			if !slices.Equal(got, want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
