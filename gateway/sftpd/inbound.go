package sftpd

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pkg/sftp"

	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
)

// maxNameBytes is the longest file name accepted in /inbound.
const maxNameBytes = 255

// maxPending is how many uploads under a temporary name a partner may keep
// waiting for a rename on one node.
const maxPending = 100

// validName reports whether name can be a file of /inbound: printable
// UTF-8, no '/' or '\', not "." or "..", at most 255 bytes.
func validName(name string) bool {
	if name == "" || name == "." || name == ".." || len(name) > maxNameBytes || !utf8.ValidString(name) {
		return false
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f || c == '/' || c == '\\' {
			return false
		}
	}
	return true
}

// isTemporary reports whether name is one clients upload to before
// renaming: a suffix .tmp, .part or .filepart, or a leading ".".
func isTemporary(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasPrefix(name, ".") || strings.HasSuffix(lower, ".tmp") || strings.HasSuffix(lower, ".part") ||
		strings.HasSuffix(lower, ".filepart")
}

// upload is a file being written to /inbound, spooled to a temporary file
// because clients write blocks out of order. It is ingested (or, under a
// temporary name, kept pending) only when the client closes it; when the
// session ends with it open, pkg/sftp reports a TransferError first and the
// upload is discarded.
type upload struct {
	h    *handler
	name string
	f    *os.File
	max  int64

	mu      sync.Mutex
	size    int64 // the end of the furthest write
	failed  error // a write that failed: the upload cannot be ingested
	aborted bool  // the session ended before the client closed the file
	closed  bool

	// A large upload under a final name is stored while it arrives: pre
	// tracks what can be stored, and stored gets the outcome once the
	// client's close lets the store finish.
	pre    *prefix
	stored chan receipt
}

// receipt is the outcome of storing an upload.
type receipt struct {
	file *store.File
	err  error
}

func (h *handler) newUpload(name string) (*upload, error) {
	if isTemporary(name) && h.s.pending.count(h.partnerID, h.s.cfg.Now()) >= maxPending {
		return nil, statusError(sftp.ErrSSHFxFailure, "%d uploads are waiting to be renamed: rename or remove some first", maxPending)
	}
	f, err := os.CreateTemp(h.s.cfg.SpoolDir, "partnergate-sftp-*")
	if err != nil {
		h.log.Error("SFTP upload: cannot create a spool file", "error", err)
		return nil, statusError(sftp.ErrSSHFxFailure, "the gateway cannot take uploads right now")
	}
	u := &upload{h: h, name: name, f: f, max: h.s.cfg.MaxUploadBytes}
	if !isTemporary(name) {
		u.pre = newPrefix()
	}
	return u, nil
}

// WriteAt writes one block; a block past the upload limit fails the
// upload.
func (u *upload) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > u.max {
		err := statusError(sftp.ErrSSHFxFailure, "the file exceeds the upload limit of %d bytes", u.max)
		u.fail(err)
		return 0, err
	}
	n, err := u.f.WriteAt(p, off)
	if err != nil {
		u.h.log.Error("SFTP upload: writing the spool file failed", "filename", u.name, "error", err)
		err = statusError(sftp.ErrSSHFxFailure, "the gateway could not store the block")
		u.fail(err)
		return n, err
	}
	u.mu.Lock()
	u.size = max(u.size, off+int64(n))
	u.mu.Unlock()
	if u.pre != nil && u.pre.wrote(off, off+int64(n)) >= streamAfter {
		u.startStoring()
	}
	return n, nil
}

// startStoring starts storing the upload while it arrives, when no other
// store has started and a token is free; otherwise the upload is stored
// when it is closed.
func (u *upload) startStoring() {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.stored != nil || u.closed {
		return
	}
	select {
	case u.h.s.streams <- struct{}{}:
	default:
		return
	}
	u.stored = make(chan receipt, 1)
	u.h.log.Info("SFTP upload stored while it arrives", "filename", u.name)
	go func() {
		defer func() { <-u.h.s.streams }()
		file, err := u.h.receive(u.name, &prefixReader{p: u.pre, f: u.f})
		u.stored <- receipt{file, err}
	}()
}

func (u *upload) fail(err error) {
	u.mu.Lock()
	if u.failed == nil {
		u.failed = err
	}
	u.mu.Unlock()
	if u.pre != nil {
		u.pre.finish(0, true)
	}
}

// TransferError is called by pkg/sftp when the session ends with the file
// still open: the upload was interrupted.
func (u *upload) TransferError(error) {
	u.mu.Lock()
	u.aborted = true
	u.mu.Unlock()
	if u.pre != nil {
		u.pre.finish(0, true)
	}
}

// Close ends the upload: an interrupted or failed upload is deleted, one
// under a temporary name is kept pending, any other is ingested, and the
// client hears whether that worked.
func (u *upload) Close() error {
	u.mu.Lock()
	closed, aborted, failed, size, stored := u.closed, u.aborted, u.failed, u.size, u.stored
	u.closed = true
	u.mu.Unlock()
	if closed {
		return nil
	}
	if stored != nil {
		return u.finishStoring(stored, aborted || failed != nil, size, failed)
	}
	path := u.f.Name()
	if err := u.f.Close(); err != nil && failed == nil {
		failed = statusError(sftp.ErrSSHFxFailure, "the gateway could not store the file")
	}
	switch {
	case aborted:
		removeSpool(path, u.h.log)
		u.h.log.Warn("SFTP upload interrupted; nothing ingested", "filename", u.name, "bytes", size)
		return nil
	case failed != nil:
		removeSpool(path, u.h.log)
		u.h.log.Warn("SFTP upload refused; nothing ingested", "filename", u.name, "error", failed)
		return failed
	case isTemporary(u.name):
		u.h.s.pending.put(u.h.partnerID, u.name, &pendingFile{path: path, size: size, mtime: u.h.s.cfg.Now()})
		u.h.log.Info("SFTP upload kept under a temporary name until renamed", "filename", u.name, "bytes", size)
		return nil
	}
	defer removeSpool(path, u.h.log)
	return u.h.ingest(u.name, path)
}

// finishStoring ends an upload being stored while it arrived: it lets the
// store read to the end, or makes it roll back when the upload will not be
// ingested, and answers the client's close.
func (u *upload) finishStoring(stored <-chan receipt, abandon bool, size int64, failed error) error {
	u.pre.finish(size, abandon)
	r := <-stored
	path := u.f.Name()
	u.f.Close()
	removeSpool(path, u.h.log)
	switch {
	case failed != nil:
		u.h.log.Warn("SFTP upload refused; nothing ingested", "filename", u.name, "error", failed)
		return failed
	case abandon:
		u.h.log.Warn("SFTP upload interrupted; nothing ingested", "filename", u.name, "bytes", size)
		return nil
	}
	return u.h.received(u.name, r.file, r.err)
}

// ingest stores a spooled file through the pipeline and counts it.
func (h *handler) ingest(name, spool string) error {
	f, err := os.Open(spool)
	if err != nil {
		h.log.Error("SFTP upload: cannot read the spool file", "filename", name, "error", err)
		return statusError(sftp.ErrSSHFxFailure, "the gateway could not store the file")
	}
	defer f.Close()
	file, err := h.receive(name, f)
	return h.received(name, file, err)
}

// receive stores a file through the pipeline.
func (h *handler) receive(name string, body io.Reader) (*store.File, error) {
	return h.s.cfg.Pipeline.Receive(h.ctx, &ingest.ReceiveParams{PartnerID: h.partnerID, Channel: "sftp",
		Filename: name, Body: body, MaxBytes: h.s.cfg.MaxUploadBytes})
}

// received answers the client's close after storing, and counts the file.
func (h *handler) received(name string, file *store.File, err error) error {
	switch {
	case errors.Is(err, store.ErrEmpty):
		return statusError(sftp.ErrSSHFxFailure, "%s is empty; nothing was received", name)
	case errors.Is(err, store.ErrTooLarge):
		return statusError(sftp.ErrSSHFxFailure, "the file exceeds the upload limit of %d bytes", h.s.cfg.MaxUploadBytes)
	case err != nil:
		h.log.Error("SFTP upload: storing the file failed", "filename", name, "error", err)
		return statusError(sftp.ErrSSHFxFailure, "the gateway could not store the file; send it again")
	}
	h.log.Info("SFTP upload received", "file_id", file.ID, "filename", name, "size", file.Size)
	if err := h.s.cfg.Store.RecordFilesMoved(h.ctx, h.s.cfg.DB, h.partnerID, 1, 0); err != nil {
		h.log.Error("recording an SFTP upload failed", "file_id", file.ID, "error", err)
	}
	return nil
}

// rename moves a pending upload: to another temporary name it stays
// pending, to a final name it is ingested. Only pending uploads of
// /inbound can be renamed.
func (h *handler) rename(from, to string) error {
	src, err1 := locate(from)
	dst, err2 := locate(to)
	if err1 != nil || err2 != nil || src.dir != dirInbound || dst.dir != dirInbound || src.name == "" || dst.name == "" {
		return denied("only uploads in /inbound can be renamed, within /inbound")
	}
	if !validName(dst.name) {
		return denied("%q is not a file name the gateway accepts", dst.name)
	}
	now := h.s.cfg.Now()
	f, ok := h.s.pending.take(h.partnerID, src.name, now)
	if !ok {
		return noSuchFile(from)
	}
	if isTemporary(dst.name) {
		h.s.pending.put(h.partnerID, dst.name, f)
		return nil
	}
	if err := h.ingest(dst.name, f.path); err != nil {
		h.s.pending.put(h.partnerID, src.name, f) // the client may try again
		return err
	}
	removeSpool(f.path, h.log)
	return nil
}

// listInbound lists the pending uploads.
func (h *handler) listInbound() listerAt {
	files := h.s.pending.list(h.partnerID, h.s.cfg.Now())
	out := make(listerAt, 0, len(files))
	for _, f := range files {
		out = append(out, &fileInfo{name: f.name, size: f.size, mode: modeFile, mtime: f.mtime})
	}
	return out
}

func removeSpool(path string, log *slog.Logger) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		log.Error("removing an SFTP spool file failed", "error", err)
	}
}
