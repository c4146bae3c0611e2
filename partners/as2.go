package partners

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Values and defaults of the as2 channel.
const (
	// MDNSync asks for the MDN in the HTTP response (channels.as2.mdn).
	MDNSync = "sync"
	// MDNAsync asks for the MDN in a separate HTTP request.
	MDNAsync = "async"

	// DefaultAS2Sign is the default of channels.as2.sign.
	DefaultAS2Sign = "sha256"
	// DefaultAS2Encrypt is the default of channels.as2.encrypt.
	DefaultAS2Encrypt = "aes256-cbc"
	// DefaultAS2MDN is the default of channels.as2.mdn.
	DefaultAS2MDN = MDNSync
)

// AS2Channel is a partner's AS2 identity and the security expected of its
// messages (key "channels.as2").
type AS2Channel struct {
	// AS2ID is the partner's AS2 name (key "as2_id"): what it sends in
	// AS2-From and we send in AS2-To. Unique across partners, compared
	// case-sensitively; 1 to 128 printable ASCII characters without '"' or
	// '\'.
	AS2ID string
	// URL is where messages and asynchronous MDNs for the partner go (key
	// "url"), http or https; empty when we only receive.
	URL string
	// Certificates are the partner's certificates (key "certificates", a
	// list of "file:PATH" relative to the partner file's folder, PEM or
	// DER). Signatures are checked against them and messages to the partner
	// are encrypted for the first. More than one allows rollover. At least
	// one.
	Certificates []*x509.Certificate
	// Sign is the digest of our signatures to the partner (key "sign"):
	// sha1, sha256, sha384 or sha512. Default DefaultAS2Sign.
	Sign string
	// Encrypt is the content cipher of messages to the partner (key
	// "encrypt"): aes128-cbc, aes192-cbc, aes256-cbc, aes128-gcm,
	// aes256-gcm or none. Default DefaultAS2Encrypt.
	Encrypt string
	// MDN is how we ask the partner for receipts (key "mdn"): MDNSync or
	// MDNAsync. Default DefaultAS2MDN.
	MDN string
	// RequireSigned refuses unsigned messages from the partner (key
	// "require_signed"). Default true.
	RequireSigned bool
	// RequireEncrypted refuses unencrypted messages from the partner (key
	// "require_encrypted"). Default false.
	RequireEncrypted bool
}

// as2Channel reads channels.as2.
func (r *nodeReader) as2Channel(n *yaml.Node, out *parsed) {
	if n == nil {
		return
	}
	const field = "channels.as2"
	f := r.fields(n, field, "as2_id", "url", "certificates", "sign", "encrypt", "mdn", "require_signed", "require_encrypted")
	if f == nil {
		if isNull(resolve(n)) {
			r.add(resolve(n), field, "want {as2_id: .., certificates: [\"file:..\"]}")
		}
		return
	}
	c := &AS2Channel{Sign: DefaultAS2Sign, Encrypt: DefaultAS2Encrypt, MDN: DefaultAS2MDN, RequireSigned: true}
	c.AS2ID = r.required(f["as2_id"], n, field+".as2_id")
	if c.AS2ID != "" && !ValidAS2ID(c.AS2ID) {
		r.add(f["as2_id"], field+".as2_id", "%q: 1 to 128 printable ASCII characters without '\"' or '\\'", c.AS2ID)
	}
	out.as2IDLine = lineOf(f["as2_id"], resolve(n).Line)
	if v, ok := r.scalar(f["url"], field+".url"); ok {
		c.URL = v
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			r.add(f["url"], field+".url", "%q: want an http or https URL such as https://as2.partner.example/as2", v)
		}
	}
	r.as2Certificates(f["certificates"], n, field+".certificates", c)
	r.as2Enum(f["sign"], field+".sign", &c.Sign, "sha1", "sha256", "sha384", "sha512")
	r.as2Enum(f["encrypt"], field+".encrypt", &c.Encrypt, "aes128-cbc", "aes192-cbc", "aes256-cbc", "aes128-gcm", "aes256-gcm", "none")
	r.as2Enum(f["mdn"], field+".mdn", &c.MDN, MDNSync, MDNAsync)
	if v, ok := r.boolean(f["require_signed"], field+".require_signed"); ok {
		c.RequireSigned = v
	}
	c.RequireEncrypted, _ = r.boolean(f["require_encrypted"], field+".require_encrypted")
	out.p.Channels.AS2 = c
}

func (r *nodeReader) as2Enum(n *yaml.Node, field string, dst *string, allowed ...string) {
	if n == nil {
		return
	}
	if v, ok := r.enum(n, field, allowed...); ok {
		*dst = v
	}
}

// as2Certificates reads and parses each certificate file of the list.
func (r *nodeReader) as2Certificates(n, parent *yaml.Node, field string, c *AS2Channel) {
	items := r.list(n, field)
	if len(items) == 0 && (n == nil || isNull(resolve(n)) || resolve(n).Kind == yaml.SequenceNode) {
		r.add(lineNode(n, parent), field, `at least one certificate is required, such as ["file:certs/partner.crt"]`)
	}
	for i, item := range items {
		f := index(field, i)
		ref, ok := r.scalar(item, f)
		if !ok {
			if isNull(resolve(item)) {
				r.add(resolve(item), f, `want "file:PATH"`)
			}
			continue
		}
		certs, err := readCertificates(filepath.Dir(r.file), ref)
		if err != nil {
			r.probs.list = append(r.probs.list, Problem{File: r.file, Line: resolve(item).Line, Field: f, Msg: err.Error(), Err: err})
			continue
		}
		c.Certificates = append(c.Certificates, certs...)
	}
}

func lineNode(n, parent *yaml.Node) *yaml.Node {
	if n != nil {
		return resolve(n)
	}
	return resolve(parent)
}

// readCertificates reads the certificates of a "file:PATH" reference,
// relative to dir: every CERTIFICATE block of a PEM file, or one DER
// certificate.
func readCertificates(dir, ref string) ([]*x509.Certificate, error) {
	p, ok := strings.CutPrefix(ref, "file:")
	if p = strings.TrimSpace(p); !ok || p == "" {
		return nil, fmt.Errorf("%q: want \"file:PATH\" (relative to this file's folder) of a PEM or DER certificate", ref)
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("cannot read the certificate: %w", err)
	}
	return ParseCertificates(data)
}

// ParseCertificates parses every CERTIFICATE block of PEM data or, when
// data is not PEM, one DER certificate.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			if strings.Contains(block.Type, "PRIVATE KEY") {
				return nil, errors.New("a private key where a certificate is expected: give the partner's certificate only")
			}
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("not a valid certificate: %w", err)
		}
		certs = append(certs, c)
	}
	if len(certs) > 0 {
		return certs, nil
	}
	c, err := x509.ParseCertificate(data)
	if err != nil {
		return nil, errors.New("no certificate in the file: want PEM (-----BEGIN CERTIFICATE-----) or DER")
	}
	return []*x509.Certificate{c}, nil
}

// ValidAS2ID reports whether id is a usable AS2 name: 1 to 128 printable
// ASCII characters, without '"' or '\' (RFC 4130 section 6.2, unquoted).
func ValidAS2ID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
