package sftpd_test

import (
	"bytes"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pkg/sftp"

	"github.com/partnergate/partnergate/gateway/store"
)

func names(t *testing.T, c *sftp.Client, dir string) []string {
	t.Helper()
	fis, err := c.ReadDir(dir)
	if err != nil {
		t.Fatalf("ReadDir(%s): %v", dir, err)
	}
	var out []string
	for _, fi := range fis {
		out = append(out, fi.Name())
	}
	return out
}

func put(t *testing.T, c *sftp.Client, name, content string) error {
	t.Helper()
	f, err := c.Create(name)
	if err != nil {
		return err
	}
	if _, err := f.Write([]byte(content)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func get(t *testing.T, c *sftp.Client, name string) (string, error) {
	t.Helper()
	f, err := c.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	return string(data), err
}

func TestTree(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	c := b.client(t, b.acme)
	if got := names(t, c, "/"); !slices.Equal(got, []string{"inbound", "outbound", "archive"}) {
		t.Errorf("root %q", got)
	}
	for _, p := range []string{"/", "/inbound", "/outbound", "/archive", "/inbound/../outbound", "/../../archive"} {
		fi, err := c.Stat(p)
		if err != nil || !fi.IsDir() {
			t.Errorf("Stat(%s) = %v, %v; want a folder", p, fi, err)
		}
	}
	if wd, err := c.Getwd(); err != nil || wd != "/" {
		t.Errorf("Getwd = %q, %v", wd, err)
	}
	if rp, err := c.RealPath("../../.."); err != nil || rp != "/" {
		t.Errorf("RealPath(../../..) = %q, %v", rp, err)
	}
	for _, p := range []string{"/etc", "/etc/passwd", "/../etc/passwd", "/inbound/../../etc/passwd", "/inbound/x/y", "/outbound/nothing"} {
		if _, err := c.Stat(p); statusCode(err) != codeNoSuchFile {
			t.Errorf("Stat(%s): %v, want no such file", p, err)
		}
	}
	if _, err := c.ReadDir("/etc"); statusCode(err) != codeNoSuchFile {
		t.Errorf("ReadDir(/etc): %v, want no such file", err)
	}
}

func TestUploadIngests(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	c := b.client(t, b.acme)
	po := order(t, 301, "PO-301", "ACMERETAIL")
	if err := put(t, c, "/inbound/po-301.edi", po); err != nil {
		t.Fatal(err)
	}
	files := b.files(t, "acme-retail")
	if len(files) != 1 || files[0].Filename != "po-301.edi" || files[0].Channel != "sftp" || files[0].Size != int64(len(po)) {
		t.Fatalf("files %+v", files)
	}
	f := b.env.WaitProcessed(t, files[0].ID, 1)
	if f.Status != store.FileAccepted {
		t.Errorf("status %s", f.Status)
	}
	if got := names(t, c, "/inbound"); len(got) != 0 {
		t.Errorf("/inbound lists %q after a final upload", got)
	}
	if ts := b.transfers(t, "acme-retail"); ts.FilesIn != 1 || ts.LastLoginChannel != "sftp" || ts.LastLoginAt == nil {
		t.Errorf("transfers %+v", ts)
	}
	if err := put(t, c, "/inbound/empty.edi", ""); statusCode(err) != codeFailure || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty upload: %v", err)
	}
	if len(b.files(t, "acme-retail")) != 1 || len(b.files(t, "globex")) != 0 {
		t.Errorf("the empty upload was stored, or another partner got a file")
	}
	b.waitSpoolEmpty(t)
}

func TestTemporaryNames(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	c := b.client(t, b.acme)
	po := order(t, 302, "PO-302", "ACMERETAIL")
	for _, name := range []string{"a.edi.part", ".b.edi", "c.TMP", "d.filepart"} {
		if err := put(t, c, "/inbound/"+name, po); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if got := names(t, c, "/inbound"); !slices.Equal(got, []string{".b.edi", "a.edi.part", "c.TMP", "d.filepart"}) {
		t.Errorf("/inbound %q", got)
	}
	if fi, err := c.Stat("/inbound/a.edi.part"); err != nil || fi.Size() != int64(len(po)) {
		t.Errorf("Stat pending: %v, %v", fi, err)
	}
	if n := len(b.files(t, "acme-retail")); n != 0 {
		t.Fatalf("%d files ingested before a rename", n)
	}
	if err := c.Rename("/inbound/a.edi.part", "/inbound/a2.part"); err != nil { // temporary to temporary
		t.Fatal(err)
	}
	if err := c.PosixRename("/inbound/a2.part", "/inbound/a.edi"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rename("/inbound/.b.edi", "b.edi"); err != nil { // relative to the start folder, /
		if err2 := c.Rename("/inbound/.b.edi", "/inbound/b.edi"); err2 != nil {
			t.Fatal(err2)
		}
	}
	if err := c.Rename("/inbound/a2.part", "/inbound/again.edi"); statusCode(err) != codeNoSuchFile {
		t.Errorf("renaming a renamed file: %v", err)
	}
	if err := c.Rename("/inbound/c.TMP", "/outbound/c.edi"); statusCode(err) != codeDenied {
		t.Errorf("renaming out of /inbound: %v", err)
	}
	if err := c.Remove("/inbound/d.filepart"); err != nil {
		t.Errorf("removing a pending upload: %v", err)
	}
	var got []string
	for _, f := range b.files(t, "acme-retail") {
		got = append(got, f.Filename)
	}
	if !slices.Equal(got, []string{"b.edi", "a.edi"}) {
		t.Errorf("ingested %q, want b.edi and a.edi once each", got)
	}
	if got := names(t, c, "/inbound"); !slices.Equal(got, []string{"c.TMP"}) {
		t.Errorf("/inbound %q", got)
	}
	if got := names(t, b.client(t, b.globex), "/inbound"); len(got) != 0 {
		t.Errorf("globex sees acme's pending uploads %q", got)
	}
}

func TestOutbound(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.addOutbox(t,
		&store.OutboxItem{PartnerID: "acme-retail", Kind: store.OutboxAck, Type: "997", Filename: "997-1.x12", Body: []byte("first")},
		&store.OutboxItem{PartnerID: "acme-retail", Kind: store.OutboxAck, Type: "997", Filename: "997-1.x12", Body: []byte("second")},
		&store.OutboxItem{PartnerID: "globex", Kind: store.OutboxAck, Type: "997", Filename: "997-g.x12", Body: []byte("globex's")},
	)
	items := b.outbox(t, "acme-retail")
	second := items[1]
	secondName := strings.TrimSpace(strings.Join([]string{itoa(second.ID), "997-1.x12"}, "-"))
	c := b.client(t, b.acme)
	if got := names(t, c, "/outbound"); !slices.Equal(got, []string{"997-1.x12", secondName}) {
		t.Fatalf("/outbound %q", got)
	}
	fis, _ := c.ReadDir("/outbound")
	if fis[0].Size() != 5 || !fis[0].ModTime().Equal(items[0].CreatedAt.Truncate(1e9)) && fis[0].ModTime().Unix() != items[0].CreatedAt.Unix() {
		t.Errorf("entry %s size %d mtime %v", fis[0].Name(), fis[0].Size(), fis[0].ModTime())
	}
	for name, want := range map[string]string{"/outbound/997-1.x12": "first", "/outbound/" + secondName: "second"} {
		if got, err := get(t, c, name); err != nil || got != want {
			t.Errorf("get %s = %q, %v", name, got, err)
		}
	}
	globexItem := b.outbox(t, "globex")[0]
	for _, p := range []string{"/outbound/997-g.x12", "/outbound/" + itoa(globexItem.ID) + "-997-g.x12"} {
		if _, err := get(t, c, p); statusCode(err) != codeNoSuchFile {
			t.Errorf("acme reads globex's %s: %v", p, err)
		}
		if err := c.Remove(p); statusCode(err) != codeNoSuchFile {
			t.Errorf("acme removes globex's %s: %v", p, err)
		}
	}
	if err := put(t, c, "/outbound/x.edi", "x"); statusCode(err) != codeDenied {
		t.Errorf("write to /outbound: %v", err)
	}
	if err := c.Chmod("/outbound/997-1.x12", 0o777); statusCode(err) != codeDenied {
		t.Errorf("setstat in /outbound: %v", err)
	}
	if err := c.Remove("/outbound/997-1.x12"); err != nil {
		t.Fatal(err)
	}
	if got := names(t, c, "/outbound"); !slices.Equal(got, []string{"997-1.x12"}) { // the second takes the plain name
		t.Errorf("/outbound after a pick-up %q", got)
	}
	if left := b.outbox(t, "acme-retail"); len(left) != 1 || left[0].ID != second.ID {
		t.Errorf("outbox left %+v", left)
	}
	if ts := b.transfers(t, "acme-retail"); ts.FilesOut != 1 {
		t.Errorf("transfers %+v", ts)
	}
	if len(b.outbox(t, "globex")) != 1 {
		t.Errorf("globex's item was picked up")
	}
}

func TestArchive(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	c := b.client(t, b.acme)
	po := order(t, 303, "PO-303", "ACMERETAIL")
	if err := put(t, c, "/inbound/po 303.edi", po); err != nil {
		t.Fatal(err)
	}
	f := b.env.WaitProcessed(t, b.files(t, "acme-retail")[0].ID, 1)
	name := itoa(f.ID) + "-accepted-po 303.edi"
	if got := names(t, c, "/archive"); !slices.Equal(got, []string{name}) {
		t.Fatalf("/archive %q, want %q", got, name)
	}
	if got, err := get(t, c, "/archive/"+name); err != nil || got != po {
		t.Errorf("get archived: %d bytes, %v", len(got), err)
	}
	if got, err := get(t, c, "/archive/"+itoa(f.ID)+"-received-po 303.edi"); err != nil || got != po {
		t.Errorf("get archived under its earlier status: %d bytes, %v", len(got), err)
	}
	for _, p := range []string{"/archive/" + itoa(f.ID) + "-accepted-other.edi", "/archive/999999-accepted-po 303.edi", "/archive/x"} {
		if _, err := get(t, c, p); statusCode(err) != codeNoSuchFile {
			t.Errorf("get %s: %v", p, err)
		}
	}
	if _, err := get(t, b.client(t, b.globex), "/archive/"+name); statusCode(err) != codeNoSuchFile {
		t.Errorf("globex reads acme's archive: %v", err)
	}
	if got := names(t, b.client(t, b.globex), "/archive"); len(got) != 0 {
		t.Errorf("globex's archive lists %q", got)
	}
	if err := c.Remove("/archive/" + name); statusCode(err) != codeDenied {
		t.Errorf("remove from /archive: %v", err)
	}
	if err := put(t, c, "/archive/x.edi", "x"); statusCode(err) != codeDenied {
		t.Errorf("write to /archive: %v", err)
	}
	b.waitSpoolEmpty(t)
}

func TestRefused(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	c := b.client(t, b.acme)
	if err := put(t, c, "/inbound/keep.part", "pending"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		op   func() error
		code uint32
	}{
		{"write outside the tree", func() error { return put(t, c, "/etc/cron.d/x", "x") }, codeDenied},
		{"write through ..", func() error { return put(t, c, "/inbound/../../tmp/x", "x") }, codeDenied},
		{"write to the root", func() error { return put(t, c, "/x.edi", "x") }, codeDenied},
		{"read outside the tree", func() error { _, err := get(t, c, "/etc/passwd"); return err }, codeNoSuchFile},
		{"read through ..", func() error { _, err := get(t, c, "/outbound/../../../etc/passwd"); return err }, codeNoSuchFile},
		{"read an upload back", func() error { _, err := get(t, c, "/inbound/keep.part"); return err }, codeDenied},
		{"mkdir", func() error { return c.Mkdir("/inbound/sub") }, codeDenied},
		{"mkdir at the root", func() error { return c.Mkdir("/new") }, codeDenied},
		{"rmdir", func() error { return c.RemoveDirectory("/outbound") }, codeDenied},
		{"remove a folder", func() error { return c.Remove("/inbound") }, codeDenied},
		{"symlink", func() error { return c.Symlink("/etc/passwd", "/inbound/passwd") }, codeUnsupported},
		{"hard link", func() error { return c.Link("/inbound/keep.part", "/inbound/keep2.part") }, codeUnsupported},
		{"readlink", func() error { _, err := c.ReadLink("/inbound/keep.part"); return err }, codeUnsupported},
		{"setstat a folder", func() error { return c.Chmod("/inbound", 0o777) }, codeDenied},
		{"rename a folder", func() error { return c.Rename("/inbound", "/in") }, codeDenied},
		{"bad name", func() error { return put(t, c, "/inbound/a\x01b", "x") }, codeDenied},
		{"remove a missing upload", func() error { return c.Remove("/inbound/none.part") }, codeNoSuchFile},
		{"list a file", func() error { _, err := c.ReadDir("/inbound/keep.part"); return err }, codeFailure},
		{"read a folder", func() error { _, err := get(t, c, "/outbound"); return err }, codeFailure},
	}
	for _, tt := range tests {
		if err := tt.op(); statusCode(err) != tt.code {
			t.Errorf("%s: %v (code %d), want code %d", tt.name, err, statusCode(err), tt.code)
		}
	}
	if err := c.Chmod("/inbound/keep.part", 0o600); err != nil {
		t.Errorf("setstat of an upload (ignored): %v", err)
	}
	if n := len(b.files(t, "acme-retail")); n != 0 {
		t.Errorf("%d files ingested", n)
	}
}

// TestInterruptedUploadInProcess drops the connection with a file open:
// nothing is ingested and the spool is cleaned.
func TestInterruptedUploadInProcess(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	cutUpload(t, b, "/inbound/cut.edi", 256<<10)
	checkNothingIngested(t, b)
}

func TestUploadLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, &setupOpts{maxUpload: 100 << 10})
	c := b.client(t, b.acme)
	err := put(t, c, "/inbound/big.edi", strings.Repeat("x", 300<<10))
	if statusCode(err) != codeFailure || !strings.Contains(err.Error(), "upload limit of 102400 bytes") {
		t.Errorf("an upload over the limit: %v", err)
	}
	if err := put(t, c, "/inbound/fits.edi", strings.Repeat("x", 100<<10)); err != nil {
		t.Errorf("an upload at the limit: %v", err)
	}
	b.waitSpoolEmpty(t)
	if fs := b.files(t, "acme-retail"); len(fs) != 1 || fs[0].Filename != "fits.edi" {
		t.Errorf("files %+v", fs)
	}
}

func TestSuspendedMidSession(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	c := b.client(t, b.acme)
	path := b.env.PartnersDir + "/acme-retail.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte("status: active"), []byte("status: suspended"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := b.env.App.Partners.Reload(); err != nil {
		t.Fatal(err)
	}
	if err := put(t, c, "/inbound/after.edi", "x"); statusCode(err) != codeDenied {
		t.Errorf("upload after suspension: %v", err)
	}
	if _, err := c.ReadDir("/outbound"); statusCode(err) != codeDenied {
		t.Errorf("listing after suspension: %v", err)
	}
}
