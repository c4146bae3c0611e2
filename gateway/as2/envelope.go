package as2

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	_ "crypto/sha1" // OAEP's default hash
	_ "crypto/sha256"
	_ "crypto/sha512"
)

// The CMS enveloped content that pkcs7 does not decrypt: authenticated-
// enveloped data (RFC 5083, AES-GCM as RFC 5084 puts it, what OpenSSL writes
// for GCM) and enveloped data with AES-192.
var (
	oidAuthEnvelopedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 23}
	oidEnvelopedData     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 3}
	oidRSAEncryption     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidRSAESOAEP         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 7}
	oidMGF1              = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
)

// aesOIDs are the AES content ciphers by OID: key length and mode.
var aesOIDs = map[string]struct {
	keyLen int
	gcm    bool
}{
	"2.16.840.1.101.3.4.1.2": {16, false}, "2.16.840.1.101.3.4.1.22": {24, false}, "2.16.840.1.101.3.4.1.42": {32, false},
	"2.16.840.1.101.3.4.1.6": {16, true}, "2.16.840.1.101.3.4.1.26": {24, true}, "2.16.840.1.101.3.4.1.46": {32, true},
}

// oaepHashes are the hashes RSAES-OAEP parameters may name.
var oaepHashes = map[string]crypto.Hash{
	"1.3.14.3.2.26": crypto.SHA1, "2.16.840.1.101.3.4.2.4": crypto.SHA224, "2.16.840.1.101.3.4.2.1": crypto.SHA256,
	"2.16.840.1.101.3.4.2.2": crypto.SHA384, "2.16.840.1.101.3.4.2.3": crypto.SHA512,
}

// cmsEnvelope is EnvelopedData or AuthEnvelopedData: they differ after the
// encrypted content, where AuthEnvelopedData has authAttrs [1] and a MAC.
type cmsEnvelope struct {
	Version        int
	OriginatorInfo asn1.RawValue   `asn1:"optional,tag:0"`
	RecipientInfos []asn1.RawValue `asn1:"set"`
	Content        encryptedContentInfo
	Attrs          asn1.RawValue `asn1:"optional,tag:1"`
	MAC            []byte        `asn1:"optional"`
	Rest           asn1.RawValue `asn1:"optional,tag:2"`
}

type encryptedContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Algorithm   pkix.AlgorithmIdentifier
	Encrypted   asn1.RawValue `asn1:"optional,tag:0"`
}

type keyTransRecipient struct {
	Version      int
	RID          asn1.RawValue
	Algorithm    pkix.AlgorithmIdentifier
	EncryptedKey []byte
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type oaepParams struct {
	Hash pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:0"`
	MGF  pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:1"`
}

type gcmParams struct {
	Nonce  []byte
	ICVLen int `asn1:"optional,default:12"`
}

// decryptEnvelope decrypts DER enveloped or authenticated-enveloped data
// with the first of keys that is a recipient.
func decryptEnvelope(der []byte, keys []Key) ([]byte, error) {
	var ci cmsContentInfo
	if _, err := asn1.Unmarshal(der, &ci); err != nil {
		return nil, fmt.Errorf("not DER CMS: %w", err)
	}
	auth := ci.ContentType.Equal(oidAuthEnvelopedData)
	if !auth && !ci.ContentType.Equal(oidEnvelopedData) {
		return nil, fmt.Errorf("content type %v is not enveloped data", ci.ContentType)
	}
	var env cmsEnvelope
	if _, err := asn1.Unmarshal(explicitContent(ci.Content), &env); err != nil {
		return nil, fmt.Errorf("malformed enveloped data: %w", err)
	}
	cek, err := contentKey(env.RecipientInfos, keys)
	if err != nil {
		return nil, err
	}
	data, err := implicitOctets(env.Content.Encrypted)
	if err != nil {
		return nil, err
	}
	if auth {
		aad := []byte(nil)
		if len(env.Attrs.FullBytes) > 0 {
			// RFC 5083: the MAC covers the DER of authAttrs as a SET OF.
			aad = append([]byte{0x31}, env.Attrs.FullBytes[1:]...)
		}
		return openGCM(env.Content.Algorithm, cek, append(data, env.MAC...), aad)
	}
	return openAES(env.Content.Algorithm, cek, data)
}

// contentKey finds the key transport recipient that is one of keys and
// decrypts the content-encryption key.
func contentKey(infos []asn1.RawValue, keys []Key) ([]byte, error) {
	for _, raw := range infos {
		var r keyTransRecipient
		if raw.Class != asn1.ClassUniversal {
			continue // not a key transport recipient (kari, kekri, …)
		}
		if _, err := asn1.Unmarshal(raw.FullBytes, &r); err != nil {
			continue
		}
		for _, k := range keys {
			if !isRecipient(r.RID, k.Cert) {
				continue
			}
			return unwrapKey(r, k)
		}
	}
	return nil, errors.New("the message is not encrypted for any of our certificates")
}

// isRecipient reports whether rid, IssuerAndSerialNumber or [0]
// SubjectKeyIdentifier, names cert.
func isRecipient(rid asn1.RawValue, cert *x509.Certificate) bool {
	if rid.Class == asn1.ClassContextSpecific && rid.Tag == 0 {
		return len(cert.SubjectKeyId) > 0 && bytes.Equal(rid.Bytes, cert.SubjectKeyId)
	}
	var is issuerAndSerial
	if _, err := asn1.Unmarshal(rid.FullBytes, &is); err != nil || is.Serial == nil {
		return false
	}
	return bytes.Equal(is.Issuer.FullBytes, cert.RawIssuer) && is.Serial.Cmp(cert.SerialNumber) == 0
}

// unwrapKey decrypts r's encrypted key with k: RSA PKCS#1 v1.5 or RSA-OAEP.
func unwrapKey(r keyTransRecipient, k Key) ([]byte, error) {
	dec, ok := k.Key.(crypto.Decrypter)
	if !ok {
		return nil, errors.New("our key cannot decrypt")
	}
	var opts crypto.DecrypterOpts
	switch {
	case r.Algorithm.Algorithm.Equal(oidRSAEncryption):
		//lint:ignore SA1019 AS2 partners transport keys with PKCS #1 v1.5; refusing it would refuse them.
		opts = &rsa.PKCS1v15DecryptOptions{}
	case r.Algorithm.Algorithm.Equal(oidRSAESOAEP):
		o, err := oaepOptions(r.Algorithm.Parameters.FullBytes)
		if err != nil {
			return nil, err
		}
		opts = o
	default:
		return nil, fmt.Errorf("key transport %v is not RSA", r.Algorithm.Algorithm)
	}
	cek, err := dec.Decrypt(rand.Reader, r.EncryptedKey, opts)
	if err != nil {
		return nil, fmt.Errorf("the content key: %w", err)
	}
	return cek, nil
}

// oaepOptions reads RSAES-OAEP-params; absent fields are SHA-1.
func oaepOptions(der []byte) (*rsa.OAEPOptions, error) {
	o := &rsa.OAEPOptions{Hash: crypto.SHA1, MGFHash: crypto.SHA1}
	if len(der) == 0 || bytes.Equal(der, []byte{0x05, 0x00}) {
		return o, nil
	}
	var p oaepParams
	if _, err := asn1.Unmarshal(der, &p); err != nil {
		return nil, fmt.Errorf("malformed OAEP parameters: %w", err)
	}
	if len(p.Hash.Algorithm) > 0 {
		h, ok := oaepHashes[p.Hash.Algorithm.String()]
		if !ok {
			return nil, fmt.Errorf("OAEP hash %v is not supported", p.Hash.Algorithm)
		}
		o.Hash, o.MGFHash = h, h
	}
	if len(p.MGF.Algorithm) > 0 {
		var mh pkix.AlgorithmIdentifier
		_, err := asn1.Unmarshal(p.MGF.Parameters.FullBytes, &mh)
		h, ok := oaepHashes[mh.Algorithm.String()]
		if !p.MGF.Algorithm.Equal(oidMGF1) || err != nil || !ok {
			return nil, errors.New("OAEP mask generation is not MGF1 with a supported hash")
		}
		o.MGFHash = h
	}
	return o, nil
}

// openAES decrypts AES-CBC content and removes its padding; GCM content
// in enveloped data carries its tag at the end.
func openAES(alg pkix.AlgorithmIdentifier, cek, data []byte) ([]byte, error) {
	c, ok := aesOIDs[alg.Algorithm.String()]
	switch {
	case !ok:
		return nil, fmt.Errorf("content cipher %v is not supported", alg.Algorithm)
	case c.gcm:
		return openGCM(alg, cek, data, nil)
	case len(cek) != c.keyLen:
		return nil, errors.New("the content key does not fit the cipher")
	}
	var iv []byte
	if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &iv); err != nil || len(iv) != aes.BlockSize {
		return nil, errors.New("malformed AES-CBC IV")
	}
	if len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil, errors.New("AES-CBC content is not whole blocks")
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > aes.BlockSize || !bytes.Equal(out[len(out)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, errors.New("bad AES-CBC padding: wrong key or corrupt content")
	}
	return out[:len(out)-pad], nil
}

// openGCM decrypts and authenticates AES-GCM content whose tag ends data.
func openGCM(alg pkix.AlgorithmIdentifier, cek, data, aad []byte) ([]byte, error) {
	c, ok := aesOIDs[alg.Algorithm.String()]
	if !ok || !c.gcm || len(cek) != c.keyLen {
		return nil, fmt.Errorf("content cipher %v with a %d-byte key is not AES-GCM", alg.Algorithm, len(cek))
	}
	var p gcmParams
	if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || len(p.Nonce) == 0 {
		return nil, errors.New("malformed AES-GCM parameters")
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCMWithNonceSize(block, len(p.Nonce))
	if err == nil && p.ICVLen != aead.Overhead() {
		aead, err = cipher.NewGCMWithTagSize(block, p.ICVLen)
	}
	if err != nil {
		return nil, fmt.Errorf("AES-GCM: %w", err)
	}
	out, err := aead.Open(nil, p.Nonce, data, aad)
	if err != nil {
		return nil, errors.New("AES-GCM authentication failed: wrong key or altered content")
	}
	return out, nil
}

// implicitOctets returns the content of an [0] IMPLICIT OCTET STRING,
// primitive or constructed of primitive segments.
func implicitOctets(v asn1.RawValue) ([]byte, error) {
	if v.Class != asn1.ClassContextSpecific || v.Tag != 0 {
		return nil, errors.New("enveloped data without encrypted content")
	}
	if !v.IsCompound {
		return v.Bytes, nil
	}
	return octets(asn1.RawValue{Tag: asn1.TagOctetString, IsCompound: true, Bytes: v.Bytes})
}
