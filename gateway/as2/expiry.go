package as2

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// CertificateWarning is how long before it expires a certificate of ours
// is reported as expiring by WarnExpiring, the same span as partner
// certificates in the API.
const CertificateWarning = 30 * 24 * time.Hour

var certificateExpiryDesc = prometheus.NewDesc("partnergate_as2_certificate_expiry_timestamp_seconds",
	"When the certificate of one of our AS2 key pairs (as2.keys) expires, in Unix seconds; key 0 signs.",
	[]string{"key", "subject", "serial"}, nil)

// CertificateExpiry returns a collector that reports the expiry of the
// certificates of keys as partnergate_as2_certificate_expiry_timestamp_seconds,
// labelled with the key's index in as2.keys, the certificate's subject and
// its serial number.
func CertificateExpiry(keys []Key) prometheus.Collector {
	return certificateExpiry(keys)
}

type certificateExpiry []Key

func (c certificateExpiry) Describe(ch chan<- *prometheus.Desc) { ch <- certificateExpiryDesc }

func (c certificateExpiry) Collect(ch chan<- prometheus.Metric) {
	for i, k := range c {
		ch <- prometheus.MustNewConstMetric(certificateExpiryDesc, prometheus.GaugeValue, float64(k.Cert.NotAfter.Unix()),
			strconv.Itoa(i), k.Cert.Subject.String(), k.Cert.SerialNumber.String())
	}
}

// WarnExpiring logs a warning for each of keys whose certificate has
// expired or expires within CertificateWarning of now, and returns how many
// did.
func WarnExpiring(ctx context.Context, log *slog.Logger, keys []Key, now time.Time) int {
	n := 0
	for i, k := range keys {
		left := k.Cert.NotAfter.Sub(now)
		if left > CertificateWarning {
			continue
		}
		n++
		msg := "AS2 certificate expires soon; partners need its successor before then"
		if left <= 0 {
			msg = "AS2 certificate has expired; partners cannot verify our signatures or encrypt for it"
		}
		log.WarnContext(ctx, msg, "key", i, "subject", k.Cert.Subject.String(), "serial", k.Cert.SerialNumber.String(),
			"not_after", k.Cert.NotAfter.UTC().Format(time.RFC3339), "days_left", int(left.Hours()/24))
	}
	return n
}
