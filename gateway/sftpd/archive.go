package sftpd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/pkg/sftp"

	"github.com/partnergate/partnergate/gateway/store"
)

// archiveName is how /archive lists a file: "<id>-<status>-<filename>".
func archiveName(f *store.File) string {
	return fmt.Sprintf("%d-%s-%s", f.ID, f.Status, safeName(f.Filename))
}

func archiveEntry(f *store.File) *entry {
	e := &entry{name: archiveName(f), id: f.ID, size: f.Size, mtime: f.ReceivedAt, mode: modeArchived, file: f}
	if f.ProcessedAt != nil {
		e.mtime = *f.ProcessedAt
	}
	return e
}

func (h *handler) listArchive() (listerAt, error) {
	files, err := h.s.cfg.Store.ListFiles(h.ctx, h.s.cfg.DB, &store.ListFilesParams{PartnerID: h.partnerID, Limit: maxListed})
	if err != nil {
		h.log.Error("SFTP: listing the archive failed", "error", err)
		return nil, statusError(sftp.ErrSSHFxFailure, "the archive cannot be read right now")
	}
	out := make(listerAt, len(files))
	for i, f := range files {
		out[i] = archiveEntry(f).info()
	}
	return out, nil
}

// findArchive finds one of the partner's files by its archive name. The
// status part may be out of date: a file listed while it was "received"
// is still found once processed.
func (h *handler) findArchive(name string) (*entry, error) {
	prefix, _, _ := strings.Cut(name, "-")
	id, err := strconv.ParseInt(prefix, 10, 64)
	if err != nil || id <= 0 {
		return nil, noSuchFile("/archive/" + name)
	}
	f, err := h.s.cfg.Store.GetFile(h.ctx, h.s.cfg.DB, id, h.partnerID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchFile("/archive/" + name)
	}
	if err != nil {
		h.log.Error("SFTP: reading an archived file failed", "file_id", id, "error", err)
		return nil, statusError(sftp.ErrSSHFxFailure, "the archive cannot be read right now")
	}
	e := archiveEntry(f)
	if name != e.name && !(strings.HasPrefix(name, prefix+"-") && strings.HasSuffix(name, "-"+safeName(f.Filename))) {
		return nil, noSuchFile("/archive/" + name)
	}
	return e, nil
}

// readArchive copies an archived file's stored bytes to a spool file and
// serves reads at any offset from it.
func (h *handler) readArchive(name string) (io.ReaderAt, error) {
	e, err := h.findArchive(name)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(h.s.cfg.SpoolDir, "partnergate-sftp-get-*")
	if err != nil {
		h.log.Error("SFTP: cannot create a spool file", "error", err)
		return nil, statusError(sftp.ErrSSHFxFailure, "the file cannot be read right now")
	}
	_, err = io.Copy(tmp, h.s.cfg.Store.FileReader(h.ctx, h.s.cfg.DB, e.file))
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		h.log.Error("SFTP: reading an archived file failed", "file_id", e.id, "error", err)
		return nil, statusError(sftp.ErrSSHFxFailure, "the file cannot be read right now")
	}
	h.log.Info("SFTP archived file read", "file_id", e.id, "size", e.size)
	return spooled{tmp}, nil
}

// spooled serves a spooled download and deletes it on Close.
type spooled struct {
	*os.File
}

func (s spooled) Close() error {
	err := s.File.Close()
	os.Remove(s.File.Name())
	return err
}
