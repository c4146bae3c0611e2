package sftpd

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/pkg/sftp"

	"github.com/partnergate/partnergate/gateway/store"
)

// maxListed is how many outbox items or archived files a listing shows:
// the oldest outbox items not picked up, the newest files.
const maxListed = 500

// entry is a file of /outbound or /archive.
type entry struct {
	name  string
	id    int64
	size  int64
	mtime time.Time
	mode  fs.FileMode
	file  *store.File // for /archive
}

func (e *entry) info() *fileInfo {
	if e == nil {
		return nil
	}
	return &fileInfo{name: e.name, size: e.size, mode: e.mode, mtime: e.mtime}
}

func isNotFound(err error) bool { return errors.Is(err, sftp.ErrSSHFxNoSuchFile) }

// safeName makes a stored file name usable as an SFTP name.
func safeName(name string) string {
	name = strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f || c == '/' || c == '\\' {
			return '_'
		}
		return c
	}, name)
	if name == "" || name == "." || name == ".." {
		return "_" + name
	}
	return name
}

// outboxEntries lists the partner's outbox items not picked up, oldest
// first. Each is named by its filename; a later item whose filename is
// taken is named "<id>-<filename>".
func (h *handler) outboxEntries() ([]*entry, error) {
	items, err := h.s.cfg.Store.ListOutbox(h.ctx, h.s.cfg.DB, &store.ListOutboxParams{PartnerID: h.partnerID, Limit: maxListed})
	if err != nil {
		h.log.Error("SFTP: listing the outbox failed", "error", err)
		return nil, statusError(sftp.ErrSSHFxFailure, "the outbox cannot be read right now")
	}
	out := make([]*entry, 0, len(items))
	taken := map[string]bool{}
	for _, it := range items {
		name := safeName(it.Filename)
		if taken[name] {
			name = strconv.FormatInt(it.ID, 10) + "-" + name
		}
		taken[name] = true
		out = append(out, &entry{name: name, id: it.ID, size: int64(it.Size), mtime: it.CreatedAt, mode: modeFile})
	}
	return out, nil
}

func (h *handler) listOutbox() (listerAt, error) {
	entries, err := h.outboxEntries()
	if err != nil {
		return nil, err
	}
	out := make(listerAt, len(entries))
	for i, e := range entries {
		out[i] = e.info()
	}
	return out, nil
}

// findOutbox finds one of the partner's outbox items by its listed name.
func (h *handler) findOutbox(name string) (*entry, error) {
	entries, err := h.outboxEntries()
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.name == name {
			return e, nil
		}
	}
	return nil, noSuchFile("/outbound/" + name)
}

func (h *handler) readOutbox(name string) (io.ReaderAt, error) {
	e, err := h.findOutbox(name)
	if err != nil {
		return nil, err
	}
	it, err := h.s.cfg.Store.GetOutbox(h.ctx, h.s.cfg.DB, h.partnerID, e.id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchFile("/outbound/" + name)
	}
	if err != nil {
		h.log.Error("SFTP: reading an outbox item failed", "outbox_id", e.id, "error", err)
		return nil, statusError(sftp.ErrSSHFxFailure, "the file cannot be read right now")
	}
	h.log.Info("SFTP outbox item read", "outbox_id", it.ID, "filename", name, "size", len(it.Body))
	return bytes.NewReader(it.Body), nil
}

// pickUp marks an outbox item picked up: the partner removed it after
// reading it.
func (h *handler) pickUp(name string) error {
	e, err := h.findOutbox(name)
	if err != nil {
		return err
	}
	err = h.s.cfg.Store.PickUp(h.ctx, h.s.cfg.DB, h.partnerID, e.id)
	if errors.Is(err, store.ErrNotFound) {
		return noSuchFile("/outbound/" + name)
	}
	if err != nil {
		h.log.Error("SFTP: marking an outbox item picked up failed", "outbox_id", e.id, "error", err)
		return statusError(sftp.ErrSSHFxFailure, "the file cannot be removed right now")
	}
	h.log.Info("SFTP outbox item picked up", "outbox_id", e.id, "filename", name)
	if err := h.s.cfg.Store.RecordFilesMoved(h.ctx, h.s.cfg.DB, h.partnerID, 0, 1); err != nil {
		h.log.Error("recording an SFTP download failed", "outbox_id", e.id, "error", err)
	}
	return nil
}
