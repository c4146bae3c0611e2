package partners

import (
	"math/big"
	"time"

	"github.com/partnergate/partnergate/canonical"
)

// SLA are the service levels a partner's scorecard is measured against (key
// "sla"). A threshold that is not set is not measured.
type SLA struct {
	// MaxExceptionRate is the highest acceptable share of the partner's
	// documents that raise an exception, a decimal from 0 to 1 such as
	// "0.05" for 5% (key "max_exception_rate"); "" when not set.
	MaxExceptionRate canonical.Decimal
	// MaxAckLatency is the longest acceptable time from receiving a file to
	// sending its acknowledgment (key "max_ack_latency", a duration such as
	// "5m" or "90s", above 0); 0 when not set.
	MaxAckLatency time.Duration
	// MaxLateASNs is how many late ship notices (late_asn violations) are
	// acceptable in a scorecard period (key "max_late_asns", from 0); nil
	// when not set. Setting it requires a late_asn policy.
	MaxLateASNs *int
}

// IsZero reports whether no threshold is set.
func (s SLA) IsZero() bool {
	return s.MaxExceptionRate == "" && s.MaxAckLatency == 0 && s.MaxLateASNs == nil
}

// ExceptionRateExceeded reports whether exceptions out of documents is above
// MaxExceptionRate, compared exactly: 5 out of 100 is not above "0.05", 6 is.
// It is false when MaxExceptionRate is not set or documents is 0.
func (s SLA) ExceptionRateExceeded(exceptions, documents int64) bool {
	limit, ok := ratOf(s.MaxExceptionRate)
	if !ok || documents <= 0 {
		return false
	}
	return big.NewRat(exceptions, documents).Cmp(limit) > 0
}

// LateASNsExceeded reports whether late ship notices are more than
// MaxLateASNs; false when it is not set.
func (s SLA) LateASNsExceeded(late int) bool {
	return s.MaxLateASNs != nil && late > *s.MaxLateASNs
}

// AckLatencyExceeded reports whether an acknowledgment latency is above
// MaxAckLatency; false when it is not set.
func (s SLA) AckLatencyExceeded(d time.Duration) bool {
	return s.MaxAckLatency > 0 && d > s.MaxAckLatency
}
