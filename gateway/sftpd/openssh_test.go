package sftpd_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/store"
)

// sftpCmd returns the OpenSSH sftp client running batch (one command a
// line; a leading '-' goes on after an error) as user with key, in dir.
func (b *testBundle) sftpCmd(t *testing.T, ctx context.Context, dir, user, key, batch string, extra ...string) *exec.Cmd {
	t.Helper()
	if _, err := exec.LookPath("sftp"); err != nil {
		t.Fatal("the OpenSSH sftp client is not installed (Debian: openssh-client)")
	}
	batchFile := filepath.Join(dir, "batch")
	if err := os.WriteFile(batchFile, []byte(batch), 0o644); err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(b.addr)
	args := append([]string{"-b", batchFile, "-i", key, "-P", port, "-F", "/dev/null",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
		"-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR"}, extra...)
	cmd := exec.CommandContext(ctx, "sftp", append(args, user+"@127.0.0.1")...)
	cmd.Dir = dir
	return cmd
}

// runSFTP runs a batch and returns its output and error.
func (b *testBundle) runSFTP(t *testing.T, dir string, a *account, key, batch string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := b.sftpCmd(t, ctx, dir, a.user, key, batch).CombinedOutput()
	return string(out), err
}

func (b *testBundle) mustSFTP(t *testing.T, dir string, a *account, batch string) string {
	t.Helper()
	out, err := b.runSFTP(t, dir, a, a.keyFile, batch)
	if err != nil {
		t.Fatalf("sftp: %v\n%s", err, out)
	}
	return out
}

func writeLocal(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOpenSSH is the partner's round trip with the OpenSSH client: upload
// an 850, collect its 997 from /outbound and remove it, see the file in
// /archive.
func TestOpenSSH(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	dir := t.TempDir()
	po := order(t, 401, "PO-401", "ACMERETAIL")
	writeLocal(t, dir, "po-401.edi", po)
	out := b.mustSFTP(t, dir, b.acme, "ls -l /\ncd /inbound\nput po-401.edi\n")
	for _, want := range []string{"inbound", "outbound", "archive"} {
		if !strings.Contains(out, want) {
			t.Errorf("ls / lacks %s:\n%s", want, out)
		}
	}
	files := b.files(t, "acme-retail")
	if len(files) != 1 || files[0].Channel != "sftp" || files[0].Filename != "po-401.edi" {
		t.Fatalf("files %+v", files)
	}
	f := b.env.WaitProcessed(t, files[0].ID, 1)
	acks := b.outbox(t, "acme-retail")
	if f.Status != store.FileAccepted || len(acks) != 1 || acks[0].Type != "997" {
		t.Fatalf("file %s, acks %+v", f.Status, acks)
	}
	ack := acks[0].Filename
	out = b.mustSFTP(t, dir, b.acme, "ls -l /outbound\nget /outbound/"+ack+" ack.x12\nrm /outbound/"+ack+"\nls /outbound\nls /archive\n")
	if !strings.Contains(out, ack) || !strings.Contains(out, itoa(f.ID)+"-accepted-po-401.edi") {
		t.Errorf("listings lack the 997 or the archived file:\n%s", out)
	}
	got, err := os.ReadFile(filepath.Join(dir, "ack.x12"))
	body, _ := b.env.App.Store.GetOutbox(b.ctx, b.env.App.Pool, "acme-retail", acks[0].ID)
	if err != nil || !bytes.Equal(got, body.Body) || !bytes.Contains(got, []byte("ST*997*")) {
		t.Errorf("downloaded 997 %q, %v", got, err)
	}
	if left := b.outbox(t, "acme-retail"); len(left) != 0 {
		t.Errorf("the 997 was not picked up: %+v", left)
	}
	ts := b.transfers(t, "acme-retail")
	if ts.FilesIn != 1 || ts.FilesOut != 1 || ts.LastLoginChannel != "sftp" || ts.LastLoginAt == nil {
		t.Errorf("transfers %+v", ts)
	}
}

// TestOpenSSHTemporaryName uploads to a temporary name and renames: the
// file is ingested once, on the rename.
func TestOpenSSHTemporaryName(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	dir := t.TempDir()
	writeLocal(t, dir, "po.edi", order(t, 402, "PO-402", "ACMERETAIL"))
	out := b.mustSFTP(t, dir, b.acme, "put po.edi /inbound/po.edi.part\nls -l /inbound\n")
	if !strings.Contains(out, "po.edi.part") {
		t.Errorf("/inbound does not list the pending upload:\n%s", out)
	}
	if n := len(b.files(t, "acme-retail")); n != 0 {
		t.Fatalf("%d files ingested before the rename", n)
	}
	b.mustSFTP(t, dir, b.acme, "rename /inbound/po.edi.part /inbound/po.edi\n")
	files := b.files(t, "acme-retail")
	if len(files) != 1 || files[0].Filename != "po.edi" {
		t.Fatalf("files %+v", files)
	}
	b.waitSpoolEmpty(t)
}

// TestOpenSSHRefused tries to leave the root, link, make folders, write
// to /outbound and take another partner's file.
func TestOpenSSHRefused(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.addOutbox(t, &store.OutboxItem{PartnerID: "globex", Kind: store.OutboxAck, Type: "997", Filename: "997-globex.x12", Body: []byte("globex only")})
	gid := itoa(b.outbox(t, "globex")[0].ID)
	dir := t.TempDir()
	writeLocal(t, dir, "po.edi", "ISA")
	batch := strings.Join([]string{
		"-cd ..", "pwd", "-cd /inbound/../../..", "pwd", "-cd /etc",
		"-get /etc/passwd passwd", "-get ../../etc/passwd passwd", "-get /outbound/../../etc/hostname hostname",
		"-ln -s /etc/passwd /inbound/passwd", "-put po.edi /inbound/x.part", "-ln /inbound/x.part /inbound/y.edi",
		"-mkdir /inbound/sub", "-mkdir /sub", "-rmdir /archive",
		"-put po.edi /outbound/po.edi", "-put po.edi /etc/po.edi", "-put po.edi ../../tmp/po.edi",
		"-get /outbound/997-globex.x12 stolen", "-get /outbound/" + gid + "-997-globex.x12 stolen",
		"-rm /outbound/997-globex.x12", "-chmod 777 /outbound", "ls /inbound",
	}, "\n") + "\n"
	out, err := b.runSFTP(t, dir, b.acme, b.acme.keyFile, batch)
	if err != nil {
		t.Fatalf("sftp: %v\n%s", err, out)
	}
	if strings.Count(out, "Remote working directory: /\n") != 2 {
		t.Errorf("cd .. left the root:\n%s", out)
	}
	for _, want := range []string{
		"stat remote: No such file or directory",
		`File "/etc/passwd" not found`, `File "/../../etc/passwd" not found`, `File "/outbound/../../etc/hostname" not found`,
		`remote symlink file "/etc/passwd" to "/inbound/passwd": Operation unsupported`,
		`remote link "/inbound/x.part" to "/inbound/y.edi": Operation unsupported`,
		`remote mkdir "/inbound/sub": Permission denied`, `remote mkdir "/sub": Permission denied`,
		`remote rmdir "/archive": Permission denied`,
		`dest open "/outbound/po.edi": Permission denied`, `dest open "/etc/po.edi": Permission denied`,
		`dest open "/../../tmp/po.edi": Permission denied`,
		`File "/outbound/997-globex.x12" not found`, `File "/outbound/` + gid + `-997-globex.x12" not found`,
		`remote delete /outbound/997-globex.x12: No such file or directory`, `remote setstat "/outbound": Permission denied`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, name := range []string{"passwd", "hostname", "stolen"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was downloaded", name)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", out)
	}
	if n := len(b.files(t, "acme-retail")); n != 0 {
		t.Errorf("%d files ingested", n)
	}
	if len(b.outbox(t, "globex")) != 1 {
		t.Errorf("globex's outbox item was picked up by acme")
	}
}

// TestOpenSSHLoginRefused: a key not on the list, an unknown user and a
// suspended partner cannot log in.
func TestOpenSSHLoginRefused(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	dir := t.TempDir()
	stranger := &account{user: "nobody"}
	tests := []struct {
		name   string
		a      *account
		key    string
		reason string
	}{
		{"key not on the list", b.acme, b.globex.keyFile, "reason=\"wrong publickey\""},
		{"unknown user", stranger, b.acme.keyFile, "reason=\"unknown user\""},
		{"suspended partner", b.dormant, b.dormant.keyFile, "reason=\"partner suspended\""},
	}
	for _, tt := range tests {
		out, err := b.runSFTP(t, dir, tt.a, tt.key, "ls /\n")
		if err == nil || !strings.Contains(out, "Permission denied") {
			t.Errorf("%s: sftp %v\n%s", tt.name, err, out)
		}
		if !strings.Contains(b.logs.String(), tt.reason) {
			t.Errorf("%s: the logs lack %s", tt.name, tt.reason)
		}
	}
	if ts := b.transfers(t, "dormant"); ts.LastLoginAt != nil {
		t.Errorf("a refused login was recorded: %+v", ts)
	}
}

// TestOpenSSHInterruptedUpload kills the sftp client mid-upload: nothing
// is ingested.
func TestOpenSSHInterruptedUpload(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	dir := t.TempDir()
	writeLocal(t, dir, "big.edi", strings.Repeat("ISA*00*0123456789~\n", 8<<20/20))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := b.sftpCmd(t, ctx, dir, b.acme.user, b.acme.keyFile, "put big.edi /inbound/big.edi\n", "-l", "8000") // 1 MB/s
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitSpooled(t, b.spool, 256<<10)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	b.waitSpoolEmpty(t)
	if n := len(b.files(t, "acme-retail")); n != 0 {
		t.Errorf("%d files ingested from an interrupted upload", n)
	}
	if !strings.Contains(b.logs.String(), "SFTP upload interrupted; nothing ingested") {
		t.Errorf("the interruption is not logged")
	}
}

// waitSpooled waits until a spooled upload has at least n bytes.
func waitSpooled(t *testing.T, spool string, n int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(spool)
		for _, e := range entries {
			if fi, err := e.Info(); err == nil && fi.Size() >= n {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no upload of %d bytes spooled within 20s", n)
}

// TestOpenSSHUploadLimit: an upload over the limit fails and nothing is
// ingested.
func TestOpenSSHUploadLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, &setupOpts{maxUpload: 1 << 20})
	dir := t.TempDir()
	writeLocal(t, dir, "big.edi", strings.Repeat("x", 3<<20))
	out, err := b.runSFTP(t, dir, b.acme, b.acme.keyFile, "put big.edi /inbound/big.edi\n")
	if err == nil || !strings.Contains(out, `write remote "/inbound/big.edi": Failure`) {
		t.Errorf("an upload over the limit: %v\n%s", err, out)
	}
	b.waitSpoolEmpty(t)
	if n := len(b.files(t, "acme-retail")); n != 0 {
		t.Errorf("%d files ingested", n)
	}
}
