package flatfile

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader reads random bytes by a fixed profile: it never panics, every
// error is a *RowError, and every rejected document has errors while every
// accepted one validates.
func FuzzReader(f *testing.F) {
	f.Add([]byte(shipHeader + "S1,PO1,2025-03-01,FedEx,1,A,1\n"))
	f.Add([]byte(shipHeader + "S1,\"PO\n1\",03/01/2025,UPS Ground,1,A,\"1,000.5\"\nS1,PO1\n"))
	f.Add([]byte("\ufeff" + shipHeader + "\"S1,x"))
	f.Add([]byte(""))
	f.Add(genShipments(2000))
	p := shipProfile()
	p.Dialect.Trailer = 1
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := NewReader(bytes.NewReader(data), p)
		if err != nil {
			t.Fatal(err)
		}
		for {
			res, err := rd.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var re *RowError
				if !errors.As(err, &re) {
					t.Fatalf("error %T %v is not a *RowError", err, err)
				}
				if _, again := rd.Next(); again != err {
					t.Fatalf("Next after %v = %v", err, again)
				}
				return
			}
			switch {
			case res.Status == StatusAccepted && (res.Doc == nil || res.Doc.Validate() != nil || len(res.Errors) > 0):
				t.Fatalf("accepted %+v", res)
			case res.Status == StatusRejected && (res.Doc != nil || len(res.Errors) == 0):
				t.Fatalf("rejected %+v", res)
			}
		}
	})
}
