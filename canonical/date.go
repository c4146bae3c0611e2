package canonical

// Date is a calendar date in ISO form, YYYY-MM-DD. The empty Date means "not
// stated".
type Date string

// Valid reports whether d is a real calendar date in YYYY-MM-DD form.
func (d Date) Valid() bool {
	s := string(d)
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	c, ok1 := atoi2(s, 0)
	yy, ok2 := atoi2(s, 2)
	m, ok3 := atoi2(s, 5)
	day, ok4 := atoi2(s, 8)
	if !ok1 || !ok2 || !ok3 || !ok4 || m < 1 || m > 12 || day < 1 {
		return false
	}
	return day <= daysIn(100*c+yy, m)
}

// String returns d as written.
func (d Date) String() string { return string(d) }

// Time is a time of day, HH:MM or HH:MM:SS, 24-hour clock. The empty Time
// means "not stated".
type Time string

// Valid reports whether t is a time of day in HH:MM or HH:MM:SS form.
func (t Time) Valid() bool {
	s := string(t)
	if (len(s) != 5 && len(s) != 8) || s[2] != ':' {
		return false
	}
	h, ok1 := atoi2(s, 0)
	m, ok2 := atoi2(s, 3)
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return false
	}
	if len(s) == 5 {
		return true
	}
	sec, ok := atoi2(s, 6)
	return s[5] == ':' && ok && sec <= 59
}

// String returns t as written.
func (t Time) String() string { return string(t) }

// atoi2 parses the two ASCII digits at s[i:i+2].
func atoi2(s string, i int) (int, bool) {
	hi, lo := s[i]-'0', s[i+1]-'0'
	return 10*int(hi) + int(lo), hi <= 9 && lo <= 9
}

// daysIn returns the number of days of a month of the Gregorian calendar.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
