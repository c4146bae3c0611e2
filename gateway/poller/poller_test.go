package poller_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/poller"
	"github.com/partnergate/partnergate/gateway/sshdtest"
	"github.com/partnergate/partnergate/gateway/store"
)

func TestMain(m *testing.M) {
	if os.Getenv(envChildDB) != "" {
		crashChild()
		return
	}
	dbtest.Main(m)
}

// remote is a partner's remote_sftp channel, as YAML lines under channels.
type remote struct {
	Port                       int
	User, HostKey, PrivateKey  string
	Inbound, Outbound, Archive string
	Pattern, Schedule          string
}

func (r remote) yaml() string {
	var b strings.Builder
	fmt.Fprintf(&b, "  remote_sftp:\n    host: 127.0.0.1\n    port: %d\n    username: %s\n    private_key: %q\n",
		r.Port, r.User, r.PrivateKey)
	fmt.Fprintf(&b, "    host_key: %q\n    inbound_dir: %q\n    outbound_dir: %q\n", r.HostKey, r.Inbound, r.Outbound)
	for _, kv := range [][2]string{{"archive_dir", r.Archive}, {"pattern", r.Pattern}, {"schedule", r.Schedule}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "    %s: %q\n", kv[0], kv[1])
		}
	}
	return b.String()
}

// configure writes a partner's file with a remote_sftp channel and reloads
// the configuration.
func configure(t *testing.T, env *gatewaytest.Env, p gatewaytest.Partner, r remote) {
	t.Helper()
	id := p.ID
	if id == "" {
		id = "acme-retail"
	}
	gatewaytest.WriteFile(t, filepath.Join(env.PartnersDir, id+".yaml"), p.YAML()+r.yaml())
	if err := env.App.Partners.Reload(); err != nil {
		t.Fatal(err)
	}
	if got, ok := env.App.Partners.Current().ByID(id); !ok || got.Channels.RemoteSFTP == nil {
		t.Fatalf("partner %s has no remote_sftp channel after the reload", id)
	}
}

// testBundle is a gateway, an sshd and a partner polling it.
type testBundle struct {
	env     *gatewaytest.Env
	sshd    *sshdtest.SSHD
	remote  remote
	in, out string
}

// setup starts a gateway with the default partner (acme-retail) and an
// sshd with inbound and outbound folders; edit changes the partner's
// channel before it is written.
func setup(t *testing.T, edit func(*remote)) *testBundle {
	t.Helper()
	env := gatewaytest.Start(t)
	s := sshdtest.Start(t)
	b := &testBundle{env: env, sshd: s, in: s.Dir(t, "in"), out: s.Dir(t, "out")}
	// A relative file: reference, read from the partner file's folder.
	gatewaytest.WriteFile(t, filepath.Join(env.PartnersDir, "acme.key"), sshdtest.ReadFile(t, s.ClientKey))
	b.remote = remote{Port: s.Port, User: s.User, HostKey: s.HostKey, PrivateKey: "file:acme.key",
		Inbound: b.in, Outbound: b.out}
	if edit != nil {
		edit(&b.remote)
	}
	configure(t, env, gatewaytest.Partner{}, b.remote)
	return b
}

// newPoller returns a poller of the bundle's gateway; edit changes its
// configuration.
func (b *testBundle) newPoller(t *testing.T, edit func(*poller.Config)) *poller.Poller {
	t.Helper()
	a := b.env.App
	cfg := poller.Config{Partners: a.Partners, Store: a.Store, Pool: a.Pool, Pipeline: a.Pipeline,
		Logger: slog.New(slog.NewTextHandler(t.Output(), nil))}
	if edit != nil {
		edit(&cfg)
	}
	p, err := poller.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (b *testBundle) put(t *testing.T, name, content string) {
	t.Helper()
	gatewaytest.WriteFile(t, filepath.Join(b.in, name), content)
}

func pollNow(t *testing.T, p *poller.Poller, partnerID string) *poller.PollResult {
	t.Helper()
	res, err := p.PollNow(context.Background(), partnerID)
	if err != nil {
		t.Fatalf("PollNow: %v", err)
	}
	return res
}

// countFiles counts a partner's stored files.
func countFiles(t *testing.T, b *testBundle, partnerID string) int {
	t.Helper()
	var n int
	err := b.env.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM files WHERE partner_id = $1`, partnerID).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPullAndPush takes an 850 from a real sshd, removes it only once it is
// stored, and on the next poll delivers the 997 processing made of it.
func TestPullAndPush(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	p := b.newPoller(t, nil)
	ctx := context.Background()
	b.put(t, "po-1.edi", gatewaytest.Fixture(t, "850-004010.edi"))

	res := pollNow(t, p, "acme-retail")
	if len(res.Pulled) != 1 || res.Pulled[0].Earlier || res.Pulled[0].RemotePath != filepath.Join(b.in, "po-1.edi") {
		t.Fatalf("pulled %+v, want po-1.edi", res.Pulled)
	}
	if got := names(t, b.in); len(got) != 0 {
		t.Errorf("inbound after the poll: %v, want empty", got)
	}
	f := b.env.WaitProcessed(t, res.Pulled[0].FileID, 1)
	if f.Status != store.FileAccepted || f.Channel != "remote_sftp" || f.Filename != "po-1.edi" {
		t.Fatalf("stored file: status %s channel %s filename %s", f.Status, f.Channel, f.Filename)
	}

	// The 997 is delivered by the first poll when processing ended before
	// its push, or else by the second.
	acks, err := b.env.App.Store.ListOutbox(ctx, b.env.App.Pool, &store.ListOutboxParams{PartnerID: "acme-retail", FileID: f.ID})
	if err != nil || len(acks) != 1 {
		t.Fatalf("outbox of file %d: %v, %v; want one ack", f.ID, acks, err)
	}
	ack, err := b.env.App.Store.GetOutbox(ctx, b.env.App.Pool, "acme-retail", acks[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	pushed := res.Pushed
	res = pollNow(t, p, "acme-retail")
	pushed = append(pushed, res.Pushed...)
	want := filepath.Join(b.out, ack.Filename)
	if len(res.Pulled) != 0 || len(pushed) != 1 || pushed[0].OutboxID != ack.ID || pushed[0].RemotePath != want {
		t.Fatalf("second poll pulled %+v; pushed %+v in all; want the ack %d pushed once as %s", res.Pulled, pushed, ack.ID, want)
	}
	if got := names(t, b.out); !slices.Equal(got, []string{ack.Filename}) {
		t.Errorf("outbound: %v, want only %s (no temporary file)", got, ack.Filename)
	}
	if got := sshdtest.ReadFile(t, want); got != string(ack.Body) {
		t.Errorf("delivered %q, want the ack %q", got, ack.Body)
	}
	if left, _ := b.env.App.Store.ListOutbox(ctx, b.env.App.Pool, &store.ListOutboxParams{PartnerID: "acme-retail"}); len(left) != 0 {
		t.Errorf("outbox items not picked up after the push: %d", len(left))
	}
	st, err := b.env.App.Store.Transfers(ctx, b.env.App.Pool, "acme-retail")
	if err != nil {
		t.Fatal(err)
	}
	if st.FilesIn != 1 || st.FilesOut != 1 || st.LastPollAt == nil || st.LastError != "" {
		t.Errorf("transfer status %+v, want 1 in, 1 out, a poll and no error", st)
	}
	if res = pollNow(t, p, "acme-retail"); len(res.Pulled)+len(res.Pushed) != 0 {
		t.Errorf("third poll moved files: %+v", res)
	}
}

// TestArchive moves taken files into archive_dir instead of deleting them.
func TestArchive(t *testing.T) {
	t.Parallel()
	var archive string
	b := setup(t, func(r *remote) {
		archive = filepath.Join(filepath.Dir(r.Inbound), "archive")
		r.Archive = archive
	})
	if err := os.Mkdir(archive, 0o755); err != nil {
		t.Fatal(err)
	}
	body := gatewaytest.Fixture(t, "850-004010.edi")
	b.put(t, "po-2.edi", body)
	res := pollNow(t, b.newPoller(t, nil), "acme-retail")
	want := filepath.Join(archive, "po-2.edi")
	if len(res.Pulled) != 1 || res.Pulled[0].ArchivePath != want {
		t.Fatalf("pulled %+v, want po-2.edi archived as %s", res.Pulled, want)
	}
	if got := names(t, b.in); len(got) != 0 {
		t.Errorf("inbound after the poll: %v, want empty", got)
	}
	if got := sshdtest.ReadFile(t, want); got != body {
		t.Errorf("archived copy differs from what was put")
	}
}

// TestPattern takes only regular, complete files matching the pattern.
func TestPattern(t *testing.T) {
	t.Parallel()
	b := setup(t, func(r *remote) { r.Pattern = "*.edi" })
	body := gatewaytest.Fixture(t, "850-004010.edi")
	for _, name := range []string{"take.edi", "other.txt", ".hidden.edi", "upload.edi.part", "upload.tmp"} {
		b.put(t, name, body)
	}
	b.put(t, "empty.edi", "")
	if err := os.Mkdir(filepath.Join(b.in, "folder.edi"), 0o755); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(b.sshd.Root, "elsewhere.edi")
	gatewaytest.WriteFile(t, elsewhere, body)
	if err := os.Symlink(elsewhere, filepath.Join(b.in, "link.edi")); err != nil {
		t.Fatal(err)
	}
	res := pollNow(t, b.newPoller(t, nil), "acme-retail")
	if len(res.Pulled) != 1 || filepath.Base(res.Pulled[0].RemotePath) != "take.edi" {
		t.Fatalf("pulled %+v, want take.edi only", res.Pulled)
	}
	want := []string{".hidden.edi", "empty.edi", "folder.edi", "link.edi", "other.txt", "upload.edi.part", "upload.tmp"}
	if got := names(t, b.in); !slices.Equal(got, want) {
		t.Errorf("left in inbound: %v, want %v", got, want)
	}
	if n := countFiles(t, b, "acme-retail"); n != 1 {
		t.Errorf("%d files stored, want 1", n)
	}
}

// TestMaxBytes leaves a file over the limit on the server and says so.
func TestMaxBytes(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.put(t, "big.edi", strings.Repeat("x", 2000))
	b.put(t, "small.edi", gatewaytest.Fixture(t, "850-004010.edi"))
	p := b.newPoller(t, func(c *poller.Config) { c.MaxBytes = 1500 })
	res, err := p.PollNow(context.Background(), "acme-retail")
	if err == nil || !strings.Contains(err.Error(), "big.edi is 2000 bytes, over the limit of 1500") {
		t.Fatalf("PollNow error %v, want big.edi over the limit", err)
	}
	if len(res.Pulled) != 1 || filepath.Base(res.Pulled[0].RemotePath) != "small.edi" {
		t.Errorf("pulled %+v, want small.edi", res.Pulled)
	}
	if got := names(t, b.in); !slices.Equal(got, []string{"big.edi"}) {
		t.Errorf("left in inbound: %v, want big.edi", got)
	}
}

// TestHostKeyMismatch refuses a server whose host key is not the pinned
// one, and records the failure and an exception.
func TestHostKeyMismatch(t *testing.T) {
	t.Parallel()
	pinned := otherHostKey(t)
	b := setup(t, func(r *remote) { r.HostKey = pinned })
	b.put(t, "po-3.edi", gatewaytest.Fixture(t, "850-004010.edi"))
	_, err := b.newPoller(t, nil).PollNow(context.Background(), "acme-retail")
	var hk *poller.HostKeyError
	var ce *poller.ConnectError
	if !errors.As(err, &ce) || !errors.As(err, &hk) {
		t.Fatalf("PollNow error %v, want a *ConnectError with a *HostKeyError", err)
	}
	for _, want := range []string{fingerprintOf(t, b.sshd.HostKey), fingerprintOf(t, pinned), fmt.Sprintf("127.0.0.1:%d", b.sshd.Port)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if got := names(t, b.in); len(got) != 1 {
		t.Errorf("inbound: %v, want the file still there", got)
	}
	checkUnreachable(t, b, "acme-retail", "host_key", "host key mismatch")
}

// TestWrongClientKey records an authentication failure.
func TestWrongClientKey(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	sshdtest.Keygen(t, filepath.Join(b.env.PartnersDir, "other.key"))
	b.remote.PrivateKey = "file:other.key"
	configure(t, b.env, gatewaytest.Partner{}, b.remote)
	_, err := b.newPoller(t, nil).PollNow(context.Background(), "acme-retail")
	var ce *poller.ConnectError
	if !errors.As(err, &ce) || ce.Stage != "handshake" {
		t.Fatalf("PollNow error %v, want a handshake *ConnectError", err)
	}
	checkUnreachable(t, b, "acme-retail", "auth", "unable to authenticate")
}

// TestEnvPrivateKey reads the private key from an environment variable.
func TestEnvPrivateKey(t *testing.T) {
	b := setup(t, nil)
	t.Setenv("POLLER_TEST_SFTP_KEY", sshdtest.ReadFile(t, b.sshd.ClientKey))
	b.remote.PrivateKey = "env:POLLER_TEST_SFTP_KEY"
	configure(t, b.env, gatewaytest.Partner{}, b.remote)
	b.put(t, "po-4.edi", gatewaytest.Fixture(t, "850-004010.edi"))
	if res := pollNow(t, b.newPoller(t, nil), "acme-retail"); len(res.Pulled) != 1 {
		t.Fatalf("pulled %+v, want one file", res.Pulled)
	}
}

// checkUnreachable checks the exception and transfer error of a partner
// whose server could not be used.
func checkUnreachable(t *testing.T, b *testBundle, partnerID, code, msg string) {
	t.Helper()
	ctx := context.Background()
	var n int
	var gotCode, severity, action, message string
	err := b.env.App.Pool.QueryRow(ctx, `SELECT count(*) OVER (), code, severity, action, message FROM exceptions
		WHERE partner_id = $1 AND check_name = $2 AND file_id IS NULL`, partnerID, poller.CheckUnreachable).
		Scan(&n, &gotCode, &severity, &action, &message)
	if err != nil {
		t.Fatalf("exception of %s: %v", partnerID, err)
	}
	if n != 1 || gotCode != code || severity != store.SeverityError || action != store.ActionWarn || !strings.Contains(message, msg) {
		t.Errorf("%d exceptions, code %q severity %q action %q message %q; want 1, %q, error, warn, %q",
			n, gotCode, severity, action, message, code, msg)
	}
	st, err := b.env.App.Store.Transfers(ctx, b.env.App.Pool, partnerID)
	if err != nil {
		t.Fatal(err)
	}
	if st.LastPollAt == nil || !strings.Contains(st.LastError, msg) {
		t.Errorf("transfer status %+v, want a poll with error %q", st, msg)
	}
}
