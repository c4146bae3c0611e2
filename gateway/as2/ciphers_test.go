package as2_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/as2"
)

// TestCiphers posts messages that openssl cms encrypts with each content
// cipher the gateway accepts (AES-128, -192 and -256 in CBC; AES-128,
// -192 and -256 in GCM, which openssl writes as RFC 5083 authenticated-enveloped
// data) and with both key transports (RSA PKCS#1 v1.5 and RSA-OAEP); each
// is decrypted, verified and answered processed.
func TestCiphers(t *testing.T) {
	t.Parallel()
	b := setup(t, "")
	signed := sign(t, b.partner, payloadEntity(t))
	n := 0
	for _, cipher := range []string{"-aes128", "-aes192", "-aes256", "-aes-128-gcm", "-aes-192-gcm", "-aes-256-gcm"} {
		for _, padding := range []string{"pkcs1", "oaep"} {
			t.Run(strings.TrimPrefix(cipher, "-")+"-"+padding, func(t *testing.T) {
				der := openssl(t, signed, "cms", "-encrypt", "-binary", cipher, "-recip", b.us.crtPath,
					"-keyopt", "rsa_padding_mode:"+padding, "-outform", "DER")
				msg := append([]byte("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n\r\n"), der...)
				n++
				resp, body := b.post(t, msg, map[string]string{"Message-ID": fmt.Sprintf("<cipher-%d@acme.example>", n)})
				report := b.verifyMDN(t, resp, body)
				if d := disposition(t, report); d != as2.DispositionProcessed {
					t.Fatalf("disposition %q\n%s", d, report)
				}
			})
		}
	}
}
