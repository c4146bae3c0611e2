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
	"golang.org/x/crypto/ssh"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/sshdtest"
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

// Latest results (2 vCPU Xeon VM, PostgreSQL 15 on the same machine, 100 MB
// of generated 850s; the gateway receives without processing, which runs
// later and apart; go test -run '^$' -bench . -benchtime 3x ./gateway/sftpd):
//
//	BenchmarkUpload100MB/partnergate-ssh            205.00 MB/s  (stored in PostgreSQL and committed)
//	BenchmarkUpload100MB/partnergate-ssh-spool-only 718.60 MB/s  (the SFTP layer over SSH, no ingest)
//	BenchmarkUpload100MB/ingest-only                235.87 MB/s  (Pipeline.Receive alone)
//	BenchmarkUpload100MB/partnergate-pipe           223.63 MB/s  (our handlers without SSH, with ingest)
//	BenchmarkUpload100MB/openssh-sshd               385.26 MB/s  (sshd with internal-sftp, to a local file)
//	BenchmarkUpload100MB/openssh-sftp-server        810.91 MB/s  (sftp-server over a pipe, no SSH)
//	BenchmarkSmallFiles                               352.0 files/s

// BenchmarkUpload100MB uploads one 100 MB file to our server over SSH (the
// file stored in PostgreSQL while it arrives and committed before close
// returns), to our
// server under a temporary name (not ingested), to Pipeline.Receive alone,
// to our handlers without SSH, and to OpenSSH: sshd with internal-sftp over
// SSH, and sftp-server over a pipe. Every run uses the same pkg/sftp client.
func BenchmarkUpload100MB(b *testing.B) {
	data := benchPayload()
	b.Run("partnergate-ssh", func(b *testing.B) {
		tb := setup(b, &setupOpts{maxUpload: 2 * benchSize, idle: true})
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
		tb := setup(b, &setupOpts{maxUpload: 2 * benchSize, idle: true})
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
		tb := setup(b, &setupOpts{maxUpload: 2 * benchSize, idle: true})
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
		tb := setup(b, &setupOpts{maxUpload: 2 * benchSize, idle: true})
		c := pipeClient(b, tb)
		b.SetBytes(benchSize)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			upload(b, c, fmt.Sprintf("/inbound/bench-%d.edi", i), data)
		}
	})
	b.Run("openssh-sshd", func(b *testing.B) {
		// OpenSSH's sshd with internal-sftp, over SSH like ours.
		c, dir := opensshSSHD(b)
		b.SetBytes(benchSize)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			upload(b, c, filepath.Join(dir, fmt.Sprintf("bench-%d.edi", i)), data)
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

// opensshSSHD starts sshd and logs in to it with the same SFTP client as
// the benchmarks of our server use; it returns the client and a folder to
// write to.
func opensshSSHD(b *testing.B) (*sftp.Client, string) {
	b.Helper()
	s := sshdtest.Start(b)
	key, err := ssh.ParsePrivateKey([]byte(sshdtest.ReadFile(b, s.ClientKey)))
	if err != nil {
		b.Fatal(err)
	}
	host, _, _, _, err := ssh.ParseAuthorizedKey([]byte(s.HostKey))
	if err != nil {
		b.Fatal(err)
	}
	conn, err := ssh.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port), &ssh.ClientConfig{User: s.User,
		Auth: []ssh.AuthMethod{ssh.PublicKeys(key)}, HostKeyCallback: ssh.FixedHostKey(host), Timeout: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	c, err := sftp.NewClient(conn, sftp.UseConcurrentWrites(true))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(); conn.Close() })
	return c, s.Dir(b, "upload")
}
