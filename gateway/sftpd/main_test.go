package sftpd_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/ssh"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/sftpd"
	"github.com/partnergate/partnergate/gateway/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// The test partners' password; no log line may hold it.
const password = "correct horse battery staple"

// account is a partner with an SFTP account and its key.
type account struct {
	id, user string
	signer   ssh.Signer
	keyFile  string // the private key, for the OpenSSH client
}

type testBundle struct {
	env      *gatewaytest.Env
	srv      *sftpd.Server
	addr     string
	spool    string
	logs     *gatewaytest.LogBuffer
	clock    *clock
	acme     *account
	globex   *account
	dormant  *account // suspended
	stranger ssh.Signer
	hostKeys []ssh.Signer
	ctx      context.Context
}

type setupOpts struct {
	maxUpload int64
	// idle receives files without processing them (benchmarks).
	idle bool
}

// setup runs a gateway with partners acme-retail and globex (active, with
// SFTP accounts "acme" and "globex") and dormant (suspended), and an SFTP
// server on a loopback port.
func setup(t testing.TB, opts *setupOpts) *testBundle {
	t.Helper()
	if opts == nil {
		opts = &setupOpts{}
	}
	workers := 4
	if opts.idle {
		workers = 0
	}
	env := gatewaytest.StartWorkers(t, workers, gatewaytest.Partner{}, gatewaytest.Partner{ID: "globex", Sender: "GLOBEX"},
		gatewaytest.Partner{ID: "dormant", Sender: "DORMANT"})
	b := &testBundle{env: env, logs: &gatewaytest.LogBuffer{}, clock: &clock{}, ctx: context.Background(), spool: t.TempDir()}
	keyDir := t.TempDir()
	b.acme = newAccount(t, keyDir, "acme-retail", "acme")
	b.globex = newAccount(t, keyDir, "globex", "globex")
	b.dormant = newAccount(t, keyDir, "dormant", "dormant")
	b.stranger = newAccount(t, keyDir, "nobody", "nobody").signer
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*account{b.acme, b.globex, b.dormant} {
		p := gatewaytest.Partner{ID: a.id, Sender: strings.ToUpper(strings.ReplaceAll(a.id, "-", ""))}
		if a.id == "globex" {
			p.Sender = "GLOBEX"
		}
		yaml := p.YAML() + fmt.Sprintf("  sftp:\n    username: %s\n    authorized_keys: [%q]\n    password_hash: %q\n",
			a.user, string(ssh.MarshalAuthorizedKey(a.signer.PublicKey())), hash)
		if a.id == "dormant" {
			yaml = strings.Replace(yaml, "status: active", "status: suspended", 1)
		}
		gatewaytest.WriteFile(t, filepath.Join(env.PartnersDir, a.id+".yaml"), yaml)
	}
	if err := env.App.Partners.Reload(); err != nil {
		t.Fatal(err)
	}
	b.hostKeys, err = sftpd.LoadOrCreateHostKeys([]string{filepath.Join(t.TempDir(), "ssh_host_ed25519_key")})
	if err != nil {
		t.Fatal(err)
	}
	b.start(t, opts)
	return b
}

func (b *testBundle) start(t testing.TB, opts *setupOpts) {
	t.Helper()
	var err error
	b.srv, err = sftpd.New(sftpd.Config{Partners: b.env.App.Partners, Store: b.env.App.Store, DB: b.env.App.Pool,
		Pipeline: b.env.App.Pipeline, HostKeys: b.hostKeys, MaxUploadBytes: opts.maxUpload, SpoolDir: b.spool,
		Logger: slog.New(slog.NewTextHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Now: b.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		if strings.Contains(b.logs.String(), password) {
			t.Errorf("the logs hold the password")
		}
	})
}

func newAccount(t testing.TB, dir, id, user string) *account {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, user)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, user)
	if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return &account{id: id, user: user, signer: signer, keyFile: file}
}

// dial logs in with ssh's client.
func (b *testBundle) dial(user string, auth ...ssh.AuthMethod) (*ssh.Client, error) {
	return ssh.Dial("tcp", b.addr, &ssh.ClientConfig{User: user, Auth: auth, Timeout: 10 * time.Second,
		HostKeyCallback: ssh.FixedHostKey(b.hostKeys[0].PublicKey())})
}

// client opens an SFTP session as a, closed when t ends.
func (b *testBundle) client(t testing.TB, a *account) *sftp.Client {
	t.Helper()
	conn, err := b.dial(a.user, ssh.PublicKeys(a.signer))
	if err != nil {
		t.Fatal(err)
	}
	c, err := sftp.NewClient(conn, sftp.UseConcurrentWrites(true))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); conn.Close() })
	return c
}

// files returns the files of a partner, newest first.
func (b *testBundle) files(t testing.TB, partnerID string) []*store.File {
	t.Helper()
	fs, err := b.env.App.Store.ListFiles(b.ctx, b.env.App.Pool, &store.ListFilesParams{PartnerID: partnerID})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// outbox returns a partner's items not picked up.
func (b *testBundle) outbox(t testing.TB, partnerID string) []*store.OutboxItem {
	t.Helper()
	items, err := b.env.App.Store.ListOutbox(b.ctx, b.env.App.Pool, &store.ListOutboxParams{PartnerID: partnerID})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// addOutbox puts items in partners' outboxes directly.
func (b *testBundle) addOutbox(t testing.TB, items ...*store.OutboxItem) {
	t.Helper()
	var batch pgx.Batch
	for _, it := range items {
		b.env.App.Store.QueueOutbox(&batch, it)
	}
	if err := b.env.App.Pool.SendBatch(b.ctx, &batch).Close(); err != nil {
		t.Fatal(err)
	}
}

func (b *testBundle) transfers(t testing.TB, partnerID string) *store.TransferStatus {
	t.Helper()
	ts, err := b.env.App.Store.Transfers(b.ctx, b.env.App.Pool, partnerID)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// waitSpoolEmpty waits until no upload is spooled: every handle the
// server had open was closed.
func (b *testBundle) waitSpoolEmpty(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		entries, err := os.ReadDir(b.spool)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d files still spooled", len(entries))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// order returns the 850 fixture sent by sender with an ISA13 and PO number.
func order(t testing.TB, isa13 int, po, sender string) string {
	t.Helper()
	s := gatewaytest.Fixture(t, "850-004010.edi")
	s = strings.ReplaceAll(s, "000000101", fmt.Sprintf("%09d", isa13))
	s = strings.ReplaceAll(s, "4500012345", po)
	s = strings.Replace(s, "ZZ*ACMERETAIL     ", fmt.Sprintf("ZZ*%-15s", sender), 1)
	return strings.Replace(s, "GS*PO*ACMERETAIL*", "GS*PO*"+sender+"*", 1)
}

// statusCode returns the SFTP status code of err, or 0. pkg/sftp's client
// turns "no such file" into fs.ErrNotExist and "permission denied" into
// fs.ErrPermission.
func statusCode(err error) uint32 {
	var se *sftp.StatusError
	switch {
	case errors.As(err, &se):
		return se.Code
	case errors.Is(err, fs.ErrNotExist):
		return codeNoSuchFile
	case errors.Is(err, fs.ErrPermission):
		return codeDenied
	}
	return 0
}

// SFTP status codes.
const (
	codeNoSuchFile  = 2
	codeDenied      = 3
	codeFailure     = 4
	codeUnsupported = 8
)

// clock is a test clock that starts at the real time and can be moved on.
type clock struct {
	offset atomic.Int64
}

func (c *clock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func publicKey(a *account) ssh.AuthMethod { return ssh.PublicKeys(a.signer) }
