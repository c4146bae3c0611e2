package edi

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// segmentsOf reads data through r and returns every set's segments.
func segmentsOf(t *testing.T, r io.Reader) [][]string {
	t.Helper()
	rd := NewReader(r, nil)
	var out [][]string
	for {
		ev, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if ev.Kind == TransactionSet {
			var segs []string
			for i := range ev.Transaction.Segments {
				segs = append(segs, string(ev.Transaction.Segments[i].raw))
			}
			out = append(out, segs)
		}
	}
}

// TestReaderLayoutBeforeSegments: inside a set's body only line breaks,
// spaces and tabs after a terminator are layout; a form feed, a vertical
// tab or a byte order mark stays in the segment, whose tag the validator
// then reports, whether the body is read from a full buffer (the fast
// scan) or one byte at a time (the general path).
func TestReaderLayoutBeforeSegments(t *testing.T) {
	t.Parallel()
	body := strings.NewReplacer("~BEG", "~\r\n\t \f\vBEG", "~PO1", "~\n\xef\xbb\xbfPO1").Replace(set850)
	data := simpleInterchange(body)
	want := [][]string{{"ST*850*0001", "\f\vBEG*00*SA*PO-1001**20261126", "\xef\xbb\xbfPO1*1*10*EA*2.50**UP*012345678905", "CTT*1", "SE*5*0001"}}
	whole := segmentsOf(t, strings.NewReader(data))
	bytewise := segmentsOf(t, iotest.OneByteReader(strings.NewReader(data)))
	if !slices.EqualFunc(whole, want, slices.Equal) || !slices.EqualFunc(bytewise, want, slices.Equal) {
		t.Errorf("read whole %q\nbyte by byte %q\nwant %q", whole, bytewise, want)
	}
}
