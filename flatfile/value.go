package flatfile

import (
	"strings"
	"time"

	"github.com/partnergate/partnergate/canonical"
)

// layout is one compiled date or time format.
type layout struct {
	// fixed is a fixed-width pattern of Y, M, D and literal characters,
	// read without the time package; "" when go is used.
	fixed string
	// goLayout is the Go layout used otherwise.
	goLayout string
	seconds  bool // a time layout with seconds
}

var namedDates = map[string]string{
	"YYYY-MM-DD": "2006-01-02",
	"YYYYMMDD":   "20060102",
	"YYYY/MM/DD": "2006/01/02",
	"MM/DD/YYYY": "01/02/2006",
	"DD/MM/YYYY": "02/01/2006",
	"DD.MM.YYYY": "02.01.2006",
	"DD-MM-YYYY": "02-01-2006",
	"MM-DD-YYYY": "01-02-2006",
	"M/D/YYYY":   "1/2/2006",
	"D.M.YYYY":   "2.1.2006",
	"MM/DD/YY":   "01/02/06",
}

var namedTimes = map[string]string{
	"HH:MM":    "15:04",
	"HH:MM:SS": "15:04:05",
	"HHMM":     "1504",
	"HHMMSS":   "150405",
}

// compileDate compiles a named date format or Go layout. A Go layout must
// read back the year, month and day it writes.
func compileDate(f string) (layout, bool) {
	if g, ok := namedDates[f]; ok {
		if strings.Count(f, "YYYY") == 1 && strings.Count(f, "MM") == 1 && strings.Count(f, "DD") == 1 {
			return layout{fixed: f, goLayout: g}, true
		}
		return layout{goLayout: g}, true
	}
	ref := time.Date(2031, time.November, 23, 0, 0, 0, 0, time.UTC)
	back, err := time.Parse(f, ref.Format(f))
	if err != nil || back.Year() != ref.Year() || back.Month() != ref.Month() || back.Day() != ref.Day() {
		return layout{}, false
	}
	return layout{goLayout: f}, true
}

// compileTime compiles a named time format or Go layout. A Go layout must
// read back the hour and minute it writes.
func compileTime(f string) (layout, bool) {
	g, ok := namedTimes[f]
	if !ok {
		g = f
	}
	ref := time.Date(0, time.January, 1, 13, 47, 29, 0, time.UTC)
	back, err := time.Parse(g, ref.Format(g))
	if err != nil || back.Hour() != 13 || back.Minute() != 47 {
		return layout{}, false
	}
	return layout{goLayout: g, seconds: back.Second() == 29}, true
}

// parseDate reads v with the first layout that fits and returns it as
// YYYY-MM-DD.
func parseDate(v string, layouts []layout) (string, bool) {
	for _, l := range layouts {
		if l.fixed != "" {
			if d, ok := parseFixedDate(v, l.fixed); ok {
				return d, true
			}
			continue
		}
		if t, err := time.Parse(l.goLayout, v); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// parseFixedDate reads v by the fixed-width pattern f, whose Y, M and D
// stand for digits and whose other characters must match.
func parseFixedDate(v, f string) (string, bool) {
	if len(v) != len(f) {
		return "", false
	}
	if f == "YYYY-MM-DD" {
		return v, canonical.Date(v).Valid()
	}
	var out [10]byte
	out[4], out[7] = '-', '-'
	yi, mi, di := 0, 5, 8
	for i := 0; i < len(f); i++ {
		c := v[i]
		var dst *int
		switch f[i] {
		case 'Y':
			dst = &yi
		case 'M':
			dst = &mi
		case 'D':
			dst = &di
		default:
			if c != f[i] {
				return "", false
			}
			continue
		}
		if c < '0' || c > '9' {
			return "", false
		}
		out[*dst] = c
		*dst++
	}
	d := string(out[:])
	return d, canonical.Date(d).Valid()
}

// parseTime reads v with the first layout that fits and returns it as
// HH:MM or HH:MM:SS.
func parseTime(v string, layouts []layout) (string, bool) {
	for _, l := range layouts {
		t, err := time.Parse(l.goLayout, v)
		if err != nil {
			continue
		}
		if l.seconds {
			return t.Format("15:04:05"), true
		}
		return t.Format("15:04"), true
	}
	return "", false
}

// normDecimal turns a number as written in a file into a canonical
// decimal: an optional sign, digits with optional thousands separators in
// groups of three, an optional fraction. The decimal separator is '.' and
// the thousands separator ',' unless comma is set, which swaps them.
func normDecimal(v string, comma bool) (string, bool) {
	point, group := byte('.'), byte(',')
	if comma {
		point, group = ',', '.'
	}
	if plainDecimal(v, point) {
		return v, true
	}
	var b strings.Builder
	b.Grow(len(v))
	i := 0
	if i < len(v) && (v[i] == '-' || v[i] == '+') {
		if v[i] == '-' {
			b.WriteByte('-')
		}
		i++
	}
	n, ok := intDigits(v[i:], group, &b)
	if !ok || n == 0 {
		return "", false
	}
	i += n
	if i < len(v) {
		if v[i] != point || i+1 == len(v) {
			return "", false
		}
		b.WriteByte('.')
		for i++; i < len(v); i++ {
			if v[i] < '0' || v[i] > '9' {
				return "", false
			}
			b.WriteByte(v[i])
		}
	}
	return b.String(), true
}

// plainDecimal reports whether v is already canonical with '.' as the
// decimal point, the common case, which needs no copy.
func plainDecimal(v string, point byte) bool {
	if point != '.' {
		return strings.IndexByte(v, '.') < 0 && canonical.Decimal(v).Valid()
	}
	return canonical.Decimal(v).Valid()
}

// intDigits copies the integer part at the start of s to b, dropping
// thousands separators, and returns how many bytes it read. A separator
// must follow one to three leading digits and precede groups of three.
func intDigits(s string, group byte, b *strings.Builder) (int, bool) {
	i, run, grouped := 0, 0, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
			run++
		case c == group:
			if run == 0 || (grouped && run != 3) || (!grouped && run > 3) {
				return i, false
			}
			grouped, run = true, 0
		default:
			return i, !grouped || run == 3
		}
	}
	return i, !grouped || run == 3
}
