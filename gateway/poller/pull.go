package poller

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// pull takes every waiting file of the partner's inbound folder. A file that
// fails is left on the server and its error joined to the others; the
// other files are still taken.
func (p *Poller) pull(ctx context.Context, s *session, partner *partners.Partner, res *PollResult) error {
	rc := partner.Channels.RemoteSFTP
	infos, err := s.sftp.ReadDirContext(ctx, rc.InboundDir)
	if err != nil {
		return fmt.Errorf("poller: %s: listing %s on %s: %w", partner.ID, rc.InboundDir, s.addr, err)
	}
	files, errs := p.waiting(partner, infos)
	if err := p.reconcile(ctx, partner, infos); err != nil {
		errs = append(errs, err)
	}
	for _, fi := range files {
		if ctx.Err() != nil {
			break
		}
		if err := s.lockHeld(ctx); err != nil {
			errs = append(errs, err)
			break
		}
		pulled, err := p.pullFile(ctx, s, partner, fi)
		if err != nil {
			errs = append(errs, fmt.Errorf("poller: %s: %s on %s: %w", partner.ID, path.Join(rc.InboundDir, fi.Name()), s.addr, err))
			continue
		}
		res.Pulled = append(res.Pulled, *pulled)
	}
	return errors.Join(errs...)
}

// reconcile forgets the pickups of files no longer listed.
func (p *Poller) reconcile(ctx context.Context, partner *partners.Partner, infos []os.FileInfo) error {
	dir := path.Clean(partner.Channels.RemoteSFTP.InboundDir)
	listed := make([]string, len(infos))
	for i, fi := range infos {
		listed[i] = path.Join(dir, fi.Name())
	}
	return p.cfg.Store.ReconcileRemotePickups(ctx, p.cfg.Pool, partner.ID, dir, listed)
}

// waiting returns the files to take from a listing, oldest first: regular
// files matching the pattern, neither hidden nor temporary nor empty. Files
// over MaxBytes are left on the server, with an error each.
func (p *Poller) waiting(partner *partners.Partner, infos []os.FileInfo) ([]os.FileInfo, []error) {
	pattern := or(partner.Channels.RemoteSFTP.Pattern, partners.DefaultRemotePattern)
	var files []os.FileInfo
	var errs []error
	for _, fi := range infos {
		if !fi.Mode().IsRegular() || fi.Size() == 0 || temporary(fi.Name()) {
			continue
		}
		if ok, err := path.Match(pattern, fi.Name()); !ok || err != nil {
			continue
		}
		if p.cfg.MaxBytes > 0 && fi.Size() > p.cfg.MaxBytes {
			errs = append(errs, fmt.Errorf("poller: %s: %s is %d bytes, over the limit of %d; it stays on the server",
				partner.ID, fi.Name(), fi.Size(), p.cfg.MaxBytes))
			continue
		}
		files = append(files, fi)
	}
	slices.SortFunc(files, func(a, b os.FileInfo) int {
		if c := a.ModTime().Compare(b.ModTime()); c != 0 {
			return c
		}
		return strings.Compare(a.Name(), b.Name())
	})
	return files, errs
}

// temporary reports whether a name looks like a file still being written
// or hidden: a leading dot, or a suffix uploaders use while writing.
func temporary(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
		return true
	}
	for _, ext := range []string{".tmp", ".part", ".partial", ".filepart", ".crdownload", ".swp"} {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return true
		}
	}
	return false
}

// pullFile stores one remote file, unless an earlier poll did, then removes
// it from the server.
func (p *Poller) pullFile(ctx context.Context, s *session, partner *partners.Partner, fi os.FileInfo) (*Pulled, error) {
	rc := partner.Channels.RemoteSFTP
	rf := &store.RemoteFile{PartnerID: partner.ID, RemotePath: path.Join(rc.InboundDir, fi.Name()),
		Size: fi.Size(), MTime: fi.ModTime().UTC()}
	pk, earlier, err := p.storeOnce(ctx, s, rf, fi)
	if err != nil {
		return nil, err
	}
	p.event("recorded", rf.RemotePath)
	pulled := &Pulled{RemotePath: rf.RemotePath, FileID: *pk.FileID, Earlier: earlier}
	if pulled.ArchivePath, err = p.removeRemote(s, rc, rf.RemotePath); err != nil {
		return nil, fmt.Errorf("stored as file %d, but not removed from the server; it will not be stored again: %w", *pk.FileID, err)
	}
	p.event("removed", rf.RemotePath)
	// The remote file is gone: record it even when ctx ended meanwhile.
	dctx, cancel := detached(ctx)
	defer cancel()
	if err := p.cfg.Store.RemovedRemotePickup(dctx, p.cfg.Pool, pk.ID); err != nil {
		return nil, err
	}
	return pulled, nil
}

// storeOnce returns the completed pickup of a remote file, storing the file
// first unless an earlier poll did (earlier is then true).
func (p *Poller) storeOnce(ctx context.Context, s *session, rf *store.RemoteFile, fi os.FileInfo) (pk *store.RemotePickup, earlier bool, err error) {
	pk, err = p.cfg.Store.RemotePickup(ctx, p.cfg.Pool, rf)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, false, err
	case pk.FileID != nil:
		return pk, true, nil
	default:
		fileID, err := p.storedBefore(ctx, s, pk)
		if err != nil {
			return nil, false, err
		}
		if fileID != 0 {
			return pk, true, p.complete(ctx, pk, fileID)
		}
	}
	if pk, err = p.cfg.Store.ClaimRemotePickup(ctx, p.cfg.Pool, rf); err != nil {
		return nil, false, err
	}
	f, err := p.receive(ctx, s, rf, fi)
	if err != nil {
		return nil, false, err
	}
	p.event("received", rf.RemotePath)
	return pk, false, p.complete(ctx, pk, f.ID)
}

// complete records the file a pickup stored, even when ctx ended since it
// was stored.
func (p *Poller) complete(ctx context.Context, pk *store.RemotePickup, fileID int64) error {
	pk.FileID = &fileID
	ctx, cancel := detached(ctx)
	defer cancel()
	return p.cfg.Store.CompleteRemotePickup(ctx, p.cfg.Pool, pk.ID, fileID)
}

// detached returns a context that outlives ctx's cancellation by up to 10
// seconds, for recording what already happened.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// storedBefore returns the ID of the file a claimed but incomplete pickup
// stored before its poll died, or 0 when it stored none: a file stored
// after the claim, of the same name and size, whose SHA-256 is that of the
// remote bytes.
func (p *Poller) storedBefore(ctx context.Context, s *session, pk *store.RemotePickup) (int64, error) {
	f, err := p.cfg.Store.ClaimedFile(ctx, p.cfg.Pool, pk, path.Base(pk.RemotePath))
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	sum, err := remoteSHA256(s, pk.RemotePath)
	if err != nil {
		return 0, err
	}
	if !bytes.Equal(sum, f.SHA256) {
		return 0, nil
	}
	p.log.InfoContext(ctx, "remote file already stored by an interrupted poll", "partner", pk.PartnerID,
		"remote_path", pk.RemotePath, "file_id", f.ID)
	return f.ID, nil
}

func remoteSHA256(s *session, name string) ([]byte, error) {
	f, err := s.sftp.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := f.WriteTo(h); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// receive streams a remote file into the pipeline, which commits it.
func (p *Poller) receive(ctx context.Context, s *session, rf *store.RemoteFile, fi os.FileInfo) (*store.File, error) {
	f, err := s.sftp.Open(rf.RemotePath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return p.cfg.Pipeline.Receive(ctx, &ingest.ReceiveParams{PartnerID: rf.PartnerID, Channel: Channel,
		Filename: fi.Name(), Body: &download{f: f, want: fi}, MaxBytes: p.cfg.MaxBytes})
}

// download reads a remote file and fails, so that nothing of it is stored,
// when it is not the file listed: more bytes than listed, or another size
// or modification time at the end.
type download struct {
	f    remoteFile
	want os.FileInfo
	n    int64
}

// remoteFile is what a download reads; *sftp.File is one.
type remoteFile interface {
	io.Reader
	Stat() (os.FileInfo, error)
}

func (d *download) Read(b []byte) (int, error) {
	n, err := d.f.Read(b)
	d.n += int64(n)
	if d.n > d.want.Size() {
		return n, fmt.Errorf("%w: more than the %d bytes listed", ErrChanged, d.want.Size())
	}
	if errors.Is(err, io.EOF) {
		return n, d.check()
	}
	return n, err
}

// check compares the file at its end with the listing.
func (d *download) check() error {
	got, err := d.f.Stat()
	switch {
	case err != nil:
		return err
	case d.n != d.want.Size():
		return fmt.Errorf("%w: %d bytes read, %d listed", ErrChanged, d.n, d.want.Size())
	case got.Size() != d.want.Size() || !got.ModTime().Equal(d.want.ModTime()):
		return fmt.Errorf("%w: %d bytes modified %s, listed as %d bytes modified %s", ErrChanged,
			got.Size(), got.ModTime().UTC(), d.want.Size(), d.want.ModTime().UTC())
	}
	return io.EOF
}

// removeRemote deletes a taken file, or moves it into the archive folder
// (replacing a file of the same name there) and returns its new path.
func (p *Poller) removeRemote(s *session, rc *partners.RemoteSFTPChannel, name string) (string, error) {
	if rc.ArchiveDir == "" {
		return "", s.sftp.Remove(name)
	}
	dst := path.Join(rc.ArchiveDir, path.Base(name))
	return dst, renameOver(s, name, dst)
}

// renameOver renames from to to, replacing to: atomically where the server
// supports posix-rename, otherwise by removing to first.
func renameOver(s *session, from, to string) error {
	if s.canPosixRename() {
		return s.sftp.PosixRename(from, to)
	}
	if err := s.sftp.Remove(to); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return s.sftp.Rename(from, to)
}

func (p *Poller) event(name, remotePath string) {
	if p.cfg.hook != nil {
		p.cfg.hook(name, remotePath)
	}
}
