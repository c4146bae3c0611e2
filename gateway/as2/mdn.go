package as2

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/smallstep/pkcs7"
)

// Dispositions of our MDNs.
const (
	dispositionPrefix = "automatic-action/MDN-sent-automatically; "
	// DispositionProcessed is the disposition of a stored message.
	DispositionProcessed = dispositionPrefix + "processed"
	// DispositionDuplicate answers a Message-ID already stored.
	DispositionDuplicate = dispositionPrefix + "processed/warning: duplicate-document"
)

// dispositionError returns the disposition of a refused message.
func dispositionError(modifier string) string {
	return dispositionPrefix + "processed/error: " + modifier
}

// mdnParams is what an MDN says.
type mdnParams struct {
	ourID             string
	originalMessageID string
	mic, micAlg       string // empty when unknown
	disposition       string
	text              string // the human-readable sentence
}

// mdn is a built MDN: the Content-Type of the whole and its body.
type mdn struct {
	contentType string
	body        []byte
}

// bytes returns the MDN as a MIME entity, headers and body.
func (m *mdn) bytes() []byte {
	return append([]byte("Content-Type: "+m.contentType+"\r\n\r\n"), m.body...)
}

// buildReport returns the multipart/report of an MDN (RFC 3798) with CRLF
// line endings.
func buildReport(p *mdnParams) *mdn {
	boundary := newBoundary()
	var b bytes.Buffer
	b.WriteString("--" + boundary + "\r\n")
	b.WriteString("Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n")
	b.WriteString(crlf(p.text) + "\r\n")
	b.WriteString("--" + boundary + "\r\n")
	b.WriteString("Content-Type: message/disposition-notification\r\nContent-Transfer-Encoding: 7bit\r\n\r\n")
	b.WriteString("Reporting-UA: partnergate\r\n")
	b.WriteString("Original-Recipient: rfc822; " + p.ourID + "\r\n")
	b.WriteString("Final-Recipient: rfc822; " + p.ourID + "\r\n")
	b.WriteString("Original-Message-ID: " + p.originalMessageID + "\r\n")
	if p.mic != "" {
		b.WriteString("Received-Content-MIC: " + p.mic + ", " + p.micAlg + "\r\n")
	}
	b.WriteString("Disposition: " + p.disposition + "\r\n")
	// No line break after the close delimiter: when signed, the CRLF
	// before the outer delimiter belongs to that delimiter, so the signed
	// part does not end in an empty line, which readers treat differently.
	b.WriteString("\r\n--" + boundary + "--")
	return &mdn{contentType: `multipart/report; report-type=disposition-notification; boundary="` + boundary + `"`, body: b.Bytes()}
}

// signMDN wraps report in multipart/signed with a detached CMS signature
// by key, digest h named micalg.
func signMDN(report *mdn, key Key, h crypto.Hash, micalg string) (*mdn, error) {
	return signEntity(report.bytes(), key, h, micalg)
}

// signEntity wraps content, a MIME entity with its headers, in
// multipart/signed with a detached CMS signature by key, digest h named
// micalg.
func signEntity(content []byte, key Key, h crypto.Hash, micalg string) (*mdn, error) {
	sd, err := pkcs7.NewSignedData(content)
	if err != nil {
		return nil, err
	}
	sd.SetDigestAlgorithm(digestOID(h))
	if err := sd.AddSigner(key.Cert, key.Key, pkcs7.SignerInfoConfig{}); err != nil {
		return nil, err
	}
	sd.Detach()
	sig, err := sd.Finish()
	if err != nil {
		return nil, err
	}
	boundary := newBoundary()
	var b bytes.Buffer
	b.WriteString("--" + boundary + "\r\n")
	b.Write(content)
	b.WriteString("\r\n--" + boundary + "\r\n")
	b.WriteString("Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n")
	b.WriteString("Content-Disposition: attachment; filename=smime.p7s\r\n\r\n")
	b.WriteString(wrap76(base64.StdEncoding.EncodeToString(sig)))
	b.WriteString("\r\n--" + boundary + "--\r\n")
	ct := fmt.Sprintf(`multipart/signed; protocol="application/pkcs7-signature"; micalg=%s; boundary="%s"`, micalg, boundary)
	return &mdn{contentType: ct, body: b.Bytes()}, nil
}

func digestOID(h crypto.Hash) asn1.ObjectIdentifier {
	switch h {
	case crypto.SHA1:
		return pkcs7.OIDDigestAlgorithmSHA1
	case crypto.SHA384:
		return pkcs7.OIDDigestAlgorithmSHA384
	case crypto.SHA512:
		return pkcs7.OIDDigestAlgorithmSHA512
	}
	return pkcs7.OIDDigestAlgorithmSHA256
}

// wrap76 breaks s into CRLF-separated lines of 76 characters.
func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

// crlf makes every line break of s a CRLF.
func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

func newBoundary() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "----=_as2_" + hex.EncodeToString(b[:])
}

// mdnOptions is what Disposition-Notification-Options asks for.
type mdnOptions struct {
	signed bool
	hash   crypto.Hash
	micalg string // as the sender spelled it
}

// parseMDNOptions reads Disposition-Notification-Options (RFC 4130
// section 7.3): signed-receipt-protocol=optional|required, pkcs7-signature;
// signed-receipt-micalg=optional|required, sha-256, sha1. The first
// supported micalg is used; sha256 when none is.
func parseMDNOptions(v string) mdnOptions {
	o := mdnOptions{hash: crypto.SHA256, micalg: "sha256"}
	for _, attr := range strings.Split(v, ";") {
		name, value, ok := strings.Cut(attr, "=")
		if !ok {
			continue
		}
		values := strings.Split(value, ",")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "signed-receipt-protocol":
			for _, p := range values[1:] {
				if strings.EqualFold(strings.TrimSpace(p), "pkcs7-signature") {
					o.signed = true
				}
			}
		case "signed-receipt-micalg":
			for _, a := range values[1:] {
				if h, ok := hashByName(a); ok {
					o.hash, o.micalg = h, strings.ToLower(strings.TrimSpace(a))
					break
				}
			}
		}
	}
	return o
}
