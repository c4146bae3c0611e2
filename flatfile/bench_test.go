package flatfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
)

// genShipments writes shipment-confirmation rows under shipHeader until
// the file has at least size bytes: shipments of 1 to 8 lines, quoted
// fields now and then.
func genShipments(size int) []byte {
	var b bytes.Buffer
	b.Grow(size + 1024)
	b.WriteString(shipHeader)
	carriers := []string{"UPS Ground", "FedEx"}
	for s := 0; b.Len() < size; s++ {
		for l := 0; l <= s%8; l++ {
			fmt.Fprintf(&b, "SHP%08d,PO-%07d,2025-03-%02d,%s,1Z%012d,", s, s/3, 1+s%28, carriers[s%2], s*10+l)
			if l%4 == 3 {
				fmt.Fprintf(&b, "\"KT-%04d, red\",", l)
			} else {
				fmt.Fprintf(&b, "KT-%04d-%02d,", s%9973, l)
			}
			fmt.Fprintf(&b, "%d\n", 1+l*s%500)
		}
	}
	return b.Bytes()
}

func TestGenShipments(t *testing.T) {
	t.Parallel()
	res, err := readAll(t, genShipments(200_000), shipProfile())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != StatusAccepted {
			t.Fatalf("%s", summary([]*DocResult{r}, nil))
		}
	}
}

// BenchmarkCSVToCanonical reads a generated 20 MB shipment-confirmation file
// (64,482 shipments, 1 to 8 lines each) into canonical shipments.
//
// Latest (go test -bench CSVToCanonical -benchtime 5x -count 3 -cpu 1, Xeon, go1.26.8):
//
//	BenchmarkCSVToCanonical  5  201265684 ns/op  104.20 MB/s  64482 docs/op  175192955 B/op  742149 allocs/op
//	(the other two runs: 100.68 and 99.35 MB/s)
func BenchmarkCSVToCanonical(b *testing.B) {
	data := genShipments(20 << 20)
	p := shipProfile()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rd, err := NewReader(bytes.NewReader(data), p)
		if err != nil {
			b.Fatal(err)
		}
		docs := 0
		for {
			res, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || res.Status != StatusAccepted {
				b.Fatalf("%v %v", err, res)
			}
			docs++
		}
		b.ReportMetric(float64(docs), "docs/op")
	}
}
