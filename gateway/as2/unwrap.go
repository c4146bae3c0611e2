package as2

import (
	"bytes"
	"compress/zlib"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/smallstep/pkcs7"
)

// Failure modifiers of an MDN disposition (RFC 4130 section 7.4.3).
const (
	ModDecryptionFailed     = "decryption-failed"
	ModAuthenticationFailed = "authentication-failed"
	ModIntegrityCheckFailed = "integrity-check-failed"
	ModInsufficientSecurity = "insufficient-message-security"
	ModDecompressionFailed  = "decompression-failed"
	ModUnexpectedError      = "unexpected-processing-error"
)

// failure is why a message is refused: the MDN's error modifier and a
// sentence for the human-readable part and the log.
type failure struct {
	modifier, msg string
}

func (f *failure) Error() string { return f.modifier + ": " + f.msg }

func fail(modifier, format string, args ...any) *failure {
	return &failure{modifier: modifier, msg: fmt.Sprintf(format, args...)}
}

// opened is a message with its security layers removed.
type opened struct {
	payload   *entity // the innermost entity
	data      []byte  // its decoded body
	signed    bool
	encrypted bool
	// micInput is what the MIC covers (RFC 4130 section 7.3.1): the signed
	// entity with its headers when signed; the decrypted entity with its
	// headers when only encrypted; the payload without headers otherwise.
	micInput []byte
	// signer is the partner certificate the signature was verified with.
	signer *x509.Certificate
}

// maxLayers bounds the nesting of encryption, signature and compression.
const maxLayers = 6

// open removes the layers of e: decrypts with keys, verifies signatures
// against certs, decompresses, up to maxLayers deep. maxBytes bounds a
// decompressed body.
func open(e *entity, keys []Key, certs []*x509.Certificate, maxBytes int64) (*opened, *failure) {
	o := &opened{}
	for range maxLayers {
		mt, params := e.mediaType()
		var inner []byte
		var f *failure
		switch {
		case mt == "application/pkcs7-mime" || mt == "application/x-pkcs7-mime":
			switch strings.ToLower(params["smime-type"]) {
			case "compressed-data":
				inner, f = decompressEntity(e, maxBytes)
			case "enveloped-data", "":
				if inner, f = decryptEntity(e, keys); f == nil {
					o.encrypted = true
					if !o.signed {
						o.micInput = inner
					}
				}
			default:
				return nil, fail(ModUnexpectedError, "unsupported smime-type %q", params["smime-type"])
			}
		case mt == "multipart/signed":
			var part []byte
			var signer *x509.Certificate
			if part, signer, f = verifyEntity(e, params["boundary"], certs); f == nil {
				if !o.signed {
					o.micInput, o.signer = part, signer
				}
				o.signed = true
				inner = part
			}
		default:
			data, err := e.decoded()
			if err != nil {
				return nil, fail(ModUnexpectedError, "the payload: %v", err)
			}
			o.payload, o.data = e, data
			if !o.signed && !o.encrypted {
				o.micInput = data
			}
			return o, nil
		}
		if f != nil {
			return nil, f
		}
		var err error
		if e, err = parseEntity(inner); err != nil {
			return nil, fail(ModUnexpectedError, "the content inside %s: %v", mt, err)
		}
	}
	return nil, fail(ModUnexpectedError, "more than %d nested layers of encryption, signature and compression", maxLayers)
}

// decryptEntity decrypts CMS enveloped data with the first of keys that
// is a recipient.
func decryptEntity(e *entity, keys []Key) ([]byte, *failure) {
	der, err := e.decoded()
	if err != nil {
		return nil, fail(ModDecryptionFailed, "the encrypted body: %v", err)
	}
	if p7, err := pkcs7.Parse(der); err == nil {
		for _, k := range keys {
			if out, err := p7.Decrypt(k.Cert, k.Key); err == nil {
				return out, nil
			}
		}
	}
	// Authenticated-enveloped data (AES-GCM as OpenSSL writes it) and
	// AES-192, which pkcs7 does not decrypt, and the precise reason when
	// nothing does.
	out, err := decryptEnvelope(der, keys)
	if err != nil {
		return nil, fail(ModDecryptionFailed, "%v", err)
	}
	return out, nil
}

// verifyEntity checks the detached signature of a multipart/signed entity
// against the partner's certificates and returns the signed part, exactly as
// received, and the certificate that verified it.
func verifyEntity(e *entity, boundary string, certs []*x509.Certificate) ([]byte, *x509.Certificate, *failure) {
	parts, err := splitMultipart(e.body, boundary)
	if err != nil || len(parts) != 2 {
		return nil, nil, fail(ModIntegrityCheckFailed, "a multipart/signed entity needs two parts (%v)", err)
	}
	sigEntity, err := parseEntity(parts[1])
	if err != nil {
		return nil, nil, fail(ModIntegrityCheckFailed, "the signature part: %v", err)
	}
	der, err := sigEntity.decoded()
	if err != nil {
		return nil, nil, fail(ModIntegrityCheckFailed, "the signature part: %v", err)
	}
	for _, cert := range certs {
		p7, err := pkcs7.Parse(der)
		if err != nil {
			return nil, nil, fail(ModIntegrityCheckFailed, "not a CMS signature: %v", err)
		}
		p7.Content = parts[0]
		p7.Certificates = []*x509.Certificate{cert}
		err = p7.Verify()
		var mismatch *pkcs7.MessageDigestMismatchError
		switch {
		case err == nil:
			return parts[0], cert, nil
		case errors.As(err, &mismatch):
			return nil, nil, fail(ModIntegrityCheckFailed, "the content does not match its signature")
		}
	}
	return nil, nil, fail(ModAuthenticationFailed, "the signature is not by any of the partner's certificates")
}

// oidCompressedData is id-ct-compressedData (RFC 3274) and oidZlib
// id-alg-zlibCompress.
var (
	oidCompressedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 9}
	oidZlib           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 3, 8}
)

type cmsContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type cmsCompressedData struct {
	Version   int
	Algorithm struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	Encap struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
	}
}

// decompressEntity undoes RFC 5402 compression: CMS CompressedData with
// zlib, DER encoded (a constructed OCTET STRING of primitive segments is
// accepted too).
func decompressEntity(e *entity, maxBytes int64) ([]byte, *failure) {
	der, err := e.decoded()
	if err != nil {
		return nil, fail(ModDecompressionFailed, "the compressed body: %v", err)
	}
	var ci cmsContentInfo
	if _, err := asn1.Unmarshal(der, &ci); err != nil || !ci.ContentType.Equal(oidCompressedData) {
		return nil, fail(ModDecompressionFailed, "not DER CMS compressed data")
	}
	var cd cmsCompressedData
	if _, err := asn1.Unmarshal(explicitContent(ci.Content), &cd); err != nil || !cd.Algorithm.Algorithm.Equal(oidZlib) {
		return nil, fail(ModDecompressionFailed, "not zlib CMS compressed data")
	}
	var content asn1.RawValue
	if _, err := asn1.Unmarshal(explicitContent(cd.Encap.Content), &content); err != nil {
		return nil, fail(ModDecompressionFailed, "compressed data without content")
	}
	data, err := octets(content)
	if err != nil {
		return nil, fail(ModDecompressionFailed, "%v", err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fail(ModDecompressionFailed, "not zlib data")
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxBytes+1))
	switch {
	case err != nil:
		return nil, fail(ModDecompressionFailed, "corrupt zlib data")
	case int64(len(out)) > maxBytes:
		return nil, fail(ModDecompressionFailed, "the decompressed content is larger than %d bytes", maxBytes)
	}
	return out, nil
}

// explicitContent returns the encoding of the element inside an
// [0] EXPLICIT field: encoding/asn1 fills a RawValue field tagged explicit
// with the whole [0] element, not with the element inside it.
func explicitContent(v asn1.RawValue) []byte {
	if v.Class == asn1.ClassContextSpecific && v.Tag == 0 && v.IsCompound {
		return v.Bytes
	}
	return v.FullBytes
}

// octets returns the content of an OCTET STRING, primitive or constructed
// of primitive segments.
func octets(v asn1.RawValue) ([]byte, error) {
	if v.Tag != asn1.TagOctetString {
		return nil, errors.New("compressed data without content")
	}
	if !v.IsCompound {
		return v.Bytes, nil
	}
	var out []byte
	for rest := v.Bytes; len(rest) > 0; {
		var seg asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &seg); err != nil || seg.Tag != asn1.TagOctetString || seg.IsCompound {
			return nil, errors.New("malformed compressed content")
		}
		out = append(out, seg.Bytes...)
	}
	return out, nil
}

// hashByName maps a micalg name (sha1, sha-256, …) to its hash.
func hashByName(name string) (crypto.Hash, bool) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "sha1", "sha-1":
		return crypto.SHA1, true
	case "sha256", "sha-256":
		return crypto.SHA256, true
	case "sha384", "sha-384":
		return crypto.SHA384, true
	case "sha512", "sha-512":
		return crypto.SHA512, true
	}
	return 0, false
}
