package web

import (
	"context"
	"encoding/base64"
	"net/url"
	"strconv"
)

// Page sizes of the lists.
const (
	defaultLimit = 100
	maxLimit     = 500
)

// list is the body of every list endpoint.
type list[T any] struct {
	Items []T `json:"items"`
	// NextCursor fetches the next page; "" when there is none.
	NextCursor string `json:"next_cursor"`
}

// page is where a list starts and how long it is.
type page struct {
	limit  int
	cursor int64 // 0: from the start
}

// readPage reads the limit and cursor query parameters.
func readPage(q url.Values) (page, error) {
	p := page{limit: defaultLimit}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return p, badRequest("limit: want an integer from 1 to %d, got %.20q", maxLimit, s)
		}
		p.limit = n
	}
	if s := q.Get("cursor"); s != "" {
		id, ok := decodeCursor(s)
		if !ok {
			return p, badRequest("cursor: malformed; pass next_cursor of the previous page as it is")
		}
		p.cursor = id
	}
	return p, nil
}

// encodeCursor returns the opaque cursor after the row with ID id.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != string(b) {
		return 0, false
	}
	return id, true
}

// nextCursor returns the cursor after last when a full page of n items was
// read and more finds at least one item beyond last; else "". The probe
// makes an exact "" on the last page, whatever the page size.
func nextCursor(ctx context.Context, n, limit int, last int64, more func(context.Context, int64) (bool, error)) (string, error) {
	if n < limit {
		return "", nil
	}
	found, err := more(ctx, last)
	if err != nil || !found {
		return "", err
	}
	return encodeCursor(last), nil
}
