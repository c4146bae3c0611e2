package store_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/store"
)

func TestFileReaderSeeks(t *testing.T) {
	t.Parallel()
	_, pool := dbtest.New(t)
	ctx := context.Background()
	st := store.New(nil)
	data := make([]byte, 2*store.ChunkSize+store.ChunkSize/2)
	for i := range data {
		data[i] = byte(i * 7)
	}
	f, err := st.InsertFile(ctx, pool, &store.InsertFileParams{PartnerID: "acme", Channel: "api", Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	r := st.FileReader(ctx, pool, f)
	for _, off := range []int64{0, store.ChunkSize + 17, 2 * store.ChunkSize, 5} {
		if _, err := r.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, data[off:]) {
			t.Fatalf("from %d: %d bytes, %v; want %d", off, len(got), err, len(data)-int(off))
		}
	}
	if pos, err := r.Seek(-10, io.SeekEnd); err != nil || pos != int64(len(data))-10 {
		t.Errorf("seek from the end: %d, %v", pos, err)
	}
}
