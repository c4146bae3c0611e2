package as2_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/as2"
)

// compress wraps entity in an RFC 5402 application/pkcs7-mime;
// smime-type=compressed-data entity (CMS CompressedData, RFC 3274, zlib),
// made by openssl cms -compress when openssl was built with zlib, and
// otherwise by compressedData below, whose structure openssl then checks.
// It returns the entity and the tool that made it.
func compress(t *testing.T, entity []byte) ([]byte, string) {
	t.Helper()
	der, tool := []byte(nil), "openssl"
	cmd := exec.Command("openssl", "cms", "-compress", "-binary", "-outform", "DER")
	cmd.Stdin = bytes.NewReader(entity)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	switch err := cmd.Run(); {
	case err == nil:
		der = out.Bytes()
	case strings.Contains(errb.String(), "unsupported compression algorithm"):
		// openssl without zlib still reads the structure: it must see
		// CMS CompressedData with zlib, as it would have written it.
		der, tool = compressedData(t, entity), "encoding/asn1"
		printed := string(openssl(t, der, "cms", "-cmsout", "-print", "-inform", "DER"))
		for _, want := range []string{"contentType: id-smime-ct-compressedData", "algorithm: zlib compression", "eContentType: pkcs7-data"} {
			if !strings.Contains(printed, want) {
				t.Fatalf("openssl does not read the CompressedData as such (no %q):\n%s", want, printed)
			}
		}
	default:
		t.Fatalf("openssl cms -compress: %v\n%s", err, errb.String())
	}
	return append([]byte("Content-Type: application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z\r\n"+
		"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7z\r\n\r\n"),
		base64Lines(der)...), tool
}

// compressedData encodes content as DER CMS CompressedData (RFC 3274):
// ContentInfo{id-ct-compressedData, CompressedData{0, zlib, {id-data,
// [0] OCTET STRING}}}.
func compressedData(t *testing.T, content []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	type algorithm struct{ Algorithm asn1.ObjectIdentifier }
	type encapsulated struct {
		ContentType asn1.ObjectIdentifier
		Content     []byte `asn1:"explicit,tag:0"`
	}
	cd, err := asn1.Marshal(struct {
		Version int
		Alg     algorithm
		Encap   encapsulated
	}{0, algorithm{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 3, 8}},
		encapsulated{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}, z.Bytes()}})
	if err != nil {
		t.Fatal(err)
	}
	ci, err := asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue // [0] EXPLICIT, written by hand
	}{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 9},
		asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: cd}})
	if err != nil {
		t.Fatal(err)
	}
	return ci
}

func base64Lines(b []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(b)
	var out bytes.Buffer
	for len(enc) > 76 {
		out.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	out.WriteString(enc + "\r\n")
	return out.Bytes()
}

// TestCompressed sends RFC 5402 compressed messages, compressed before
// signing and after it, signed and encrypted: each is processed, its MDN
// carries the MIC of the signed part, and the stored file is the
// uncompressed 850.
func TestCompressed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		build func(t *testing.T, b *bundle) (msg, signed []byte, tool string)
	}{
		{"compressed then signed", func(t *testing.T, b *bundle) ([]byte, []byte, string) {
			z, tool := compress(t, payloadEntity(t))
			signed := sign(t, b.partner, z)
			return encrypt(t, b.us, signed), signed, tool
		}},
		{"signed then compressed", func(t *testing.T, b *bundle) ([]byte, []byte, string) {
			signed := sign(t, b.partner, payloadEntity(t))
			z, tool := compress(t, signed)
			return encrypt(t, b.us, z), signed, tool
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, "")
			msg, signed, tool := tt.build(t, b)
			t.Logf("compressed with %s", tool)
			resp, body := b.post(t, msg, nil)
			report := b.verifyMDN(t, resp, body)
			if d := disposition(t, report); d != as2.DispositionProcessed {
				t.Fatalf("disposition %q\n%s", d, report)
			}
			if want := "Received-Content-MIC: " + signedPartMIC(t, signed) + ", sha256\r\n"; !strings.Contains(report, want) {
				t.Errorf("the MDN lacks %q:\n%s", want, report)
			}
			ctx := context.Background()
			m, err := b.env.App.Store.AS2Message(ctx, b.env.App.Pool, "acme-retail", "<msg-1@acme.example>")
			if err != nil || m.FileID == nil {
				t.Fatalf("AS2Message: %+v, %v", m, err)
			}
			var stored []byte
			if err := b.env.App.Pool.QueryRow(ctx, `SELECT sha256 FROM files WHERE id = $1`, *m.FileID).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			_, payload := split(t, payloadEntity(t))
			if want := sha256.Sum256(payload); !bytes.Equal(stored, want[:]) {
				t.Errorf("the stored file's SHA-256 is %x, not the 850's %x", stored, want)
			}
		})
	}
}
