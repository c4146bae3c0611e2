package sftpd_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"strings"
	"testing"

	"github.com/pkg/sftp"

	"github.com/partnergate/partnergate/edi"
)

// A file larger than what is stored on close is stored while it arrives,
// from blocks written out of order; what is stored is exactly what was sent.
func TestStreamedUpload(t *testing.T) {
	t.Parallel()
	b := setup(t, &setupOpts{idle: true})
	conn, err := b.dial("acme", publicKey(b.acme))
	if err != nil {
		t.Fatal(err)
	}
	c, err := sftp.NewClient(conn, sftp.UseConcurrentWrites(true), sftp.MaxConcurrentRequestsPerFile(64))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var data bytes.Buffer
	if _, err := edi.GenerateToSize(&data, 12<<20, &edi.GenerateOpts{Sender: "ACMERETAIL"}); err != nil {
		t.Fatal(err)
	}
	f, err := c.Create("/inbound/big.edi")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadFrom(bytes.NewReader(data.Bytes())); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	files := b.files(t, "acme-retail")
	if len(files) != 1 || files[0].Size != int64(data.Len()) {
		t.Fatalf("files %+v, want one of %d bytes", files, data.Len())
	}
	if !strings.Contains(b.logs.String(), "SFTP upload stored while it arrives") {
		t.Errorf("the upload was not stored while it arrived")
	}
	sum := sha256.Sum256(data.Bytes())
	if !bytes.Equal(files[0].SHA256, sum[:]) {
		t.Errorf("sha256 differs from what was sent")
	}
	stored, err := io.ReadAll(b.env.App.Store.FileReader(context.Background(), b.env.App.Pool, files[0]))
	if err != nil || !bytes.Equal(stored, data.Bytes()) {
		t.Errorf("stored bytes differ (%d of %d bytes, %v)", len(stored), data.Len(), err)
	}
	b.waitSpoolEmpty(t)
}

// A large upload cut off after its store began is rolled back.
func TestStreamedUploadInterrupted(t *testing.T) {
	t.Parallel()
	b := setup(t, &setupOpts{idle: true})
	cutUpload(t, b, "/inbound/cut-big.edi", 7<<20)
	if !strings.Contains(b.logs.String(), "SFTP upload stored while it arrives") {
		t.Errorf("the upload's store did not start before the cut")
	}
	checkNothingIngested(t, b)
}

// cutUpload writes size bytes to name and drops the connection without
// closing the file. Write returns once the server acknowledged every block.
func cutUpload(t *testing.T, b *testBundle, name string, size int) {
	t.Helper()
	conn, err := b.dial("acme", publicKey(b.acme))
	if err != nil {
		t.Fatal(err)
	}
	c, err := sftp.NewClient(conn)
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(bytes.Repeat([]byte("x"), size)); err != nil {
		t.Fatal(err)
	}
	conn.Close() // no SSH_FXP_CLOSE
}

// checkNothingIngested waits for the spool to empty and checks that no file
// was stored and the interruption was logged.
func checkNothingIngested(t *testing.T, b *testBundle) {
	t.Helper()
	b.waitSpoolEmpty(t)
	if n := len(b.files(t, "acme-retail")); n != 0 {
		t.Errorf("%d files ingested from an interrupted upload", n)
	}
	if !strings.Contains(b.logs.String(), "SFTP upload interrupted; nothing ingested") {
		t.Errorf("the interruption is not logged")
	}
}
