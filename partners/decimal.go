package partners

import (
	"math/big"
	"strings"

	"github.com/partnergate/partnergate/canonical"
)

// ratOf returns the exact value of d, or false when d is not a well-formed
// decimal. No float64 is involved, so threshold decisions are exact.
func ratOf(d canonical.Decimal) (*big.Rat, bool) {
	if !d.Valid() {
		return nil, false
	}
	return new(big.Rat).SetString(string(d))
}

// scaleOf returns the number of digits of d after its point.
func scaleOf(d canonical.Decimal) int {
	if _, frac, ok := strings.Cut(string(d), "."); ok {
		return len(frac)
	}
	return 0
}

// percentString writes the percentage abs, which is above limit, with one
// digit after the point, or more when one digit would round it down to the
// limit ("2.0%" for 2.04 above 2 would read as no excess): "4.0", "2.04".
func percentString(abs, limit *big.Rat) string {
	for prec := 1; prec < 8; prec++ {
		s := abs.FloatString(prec)
		if v, _ := new(big.Rat).SetString(s); v.Cmp(limit) > 0 {
			return s
		}
	}
	return abs.FloatString(8)
}
