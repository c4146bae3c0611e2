package sftpd_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/pkg/sftp"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway/ingest"
)

// benchSize is the size of the one-file upload benchmarks.
const benchSize = 100 << 20

func benchPayload() []byte {
	var b bytes.Buffer
	if _, err := edi.GenerateToSize(&b, benchSize, nil); err != nil {
		panic(err)
	}
	return b.Bytes()[:benchSize]
}

// upload writes data to name with c's concurrent writes, as a client
// pipelining 64 requests of 32 KiB does.
func upload(b *testing.B, c *sftp.Client, name string, data []byte) {
	b.Helper()
	f, err := c.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.ReadFrom(bytes.NewReader(data)); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// Latest results (2 vCPU Xeon VM, PostgreSQL 15 on the same machine,
// go test -run '^$' -bench . -benchtime 3x ./gateway/sftpd):
//
//	BenchmarkUpload100MB/partnergate-ssh             92.53 MB/s  (stored in PostgreSQL and committed)
//	BenchmarkUpload100MB/partnergate-ssh-spool-only 662.63 MB/s  (the SFTP layer over SSH, no ingest)
//	BenchmarkUpload100MB/ingest-only                134.07 MB/s  (Pipeline.Receive alone)
//	BenchmarkUpload100MB/partnergate-pipe           119.54 MB/s  (our handlers without SSH, with ingest)
//	BenchmarkUpload100MB/openssh-sftp-server        844.46 MB/s  (to a local file, no SSH)
//	BenchmarkSmallFiles                               264.9 files/s
//
// BenchmarkUpload100MB uploads one 100 MB file with pkg/sftp's client:
// to our server over SSH (stored in PostgreSQL and committed before the
// close returns), to our handlers without SSH, and to OpenSSH's
// sftp-server over a pipe (written to a local file).
func BenchmarkUpload100MB(b *testing.B) {
	data := benchPayload()
	b.Run("partnergate-ssh", func(b *testing.B) {
		tb := setup(b, &setupOpts{maxUpload: 2 * benchSize})
		c := tb.client(b, tb.acme)
		b.SetBytes(benchSize)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			upload(b, c, fmt.Sprintf("/inbound/bench-%d.edi", i), data)
		}
	})
	b.Run("partnergate-ssh-spool-only", func(b *testing.B) {
		// A temporary name is spooled, not ingested: the SFTP layer alone.
		tb := setup(b, &setupOpts{maxUpload: 2 * benchSize})
		c := tb.client(b, tb.acme)
		b.SetBytes(benchSize)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			upload(b, c, "/inbound/bench.part", data)
		}
	})
	b.Run("ingest-only", func(b *testing.B) {
		// Pipeline.Receive alone: what every channel pays to store a file.
		tb := setup(b, &setupOpts{maxUpload: 2 * benchSize})
		b.SetBytes(benchSize)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			_, err := tb.env.App.Pipeline.Receive(tb.ctx, &ingest.ReceiveParams{PartnerID: "acme-retail", Channel: "api",
				Filename: fmt.Sprintf("bench-%d.edi", i), Body: bytes.NewReader(data)})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("partnergate-pipe", func(b *testing.B) {
		tb := setup(b, &setupOpts{maxUpload: 2 * benchSize})
		c := pipeClient(b, tb)
		b.SetBytes(benchSize)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			upload(b, c, fmt.Sprintf("/inbound/bench-%d.edi", i), data)
		}
	})
	b.Run("openssh-sftp-server", func(b *testing.B) {
		c, dir := opensshServer(b)
		b.SetBytes(benchSize)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			upload(b, c, filepath.Join(dir, fmt.Sprintf("bench-%d.edi", i)), data)
		}
	})
}

// BenchmarkSmallFiles uploads 1,000 files of 1 KiB one after the other
// over one SSH session, each stored and committed before the next.
func BenchmarkSmallFiles(b *testing.B) {
	tb := setup(b, nil)
	c := tb.client(b, tb.acme)
	data := benchPayload()[:1024]
	const files = 1000
	b.SetBytes(files * int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		for j := range files {
			upload(b, c, fmt.Sprintf("/inbound/small-%d-%d.edi", i, j), data)
		}
	}
	b.ReportMetric(float64(files*b.N)/time.Since(start).Seconds(), "files/s")
}

// pipeClient serves our handlers to a pkg/sftp client over a pair of pipes.
func pipeClient(b *testing.B, tb *testBundle) *sftp.Client {
	b.Helper()
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = tb.srv.ServePipe(ctx, "acme-retail", struct {
			io.Reader
			io.WriteCloser
		}{sr, sw})
	}()
	c, err := sftp.NewClientPipe(cr, cw, sftp.UseConcurrentWrites(true))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(); cw.Close(); sw.Close(); cancel(); <-done })
	return c
}

// opensshServer runs OpenSSH's sftp-server on stdin and stdout and returns
// a pkg/sftp client of it and a folder to write to.
func opensshServer(b *testing.B) (*sftp.Client, string) {
	b.Helper()
	const server = "/usr/lib/openssh/sftp-server"
	if _, err := os.Stat(server); err != nil {
		b.Fatalf("%s: %v (Debian: openssh-sftp-server)", server, err)
	}
	cmd := exec.Command(server)
	w, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	r, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	c, err := sftp.NewClientPipe(r, w, sftp.UseConcurrentWrites(true))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(); w.Close(); _ = cmd.Wait() })
	return c, b.TempDir()
}
