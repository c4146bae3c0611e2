package sftpd

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path"
	"strings"

	"github.com/pkg/sftp"

	"github.com/partnergate/partnergate/partners"
)

// The folders of a partner's virtual root.
const (
	dirInbound  = "inbound"
	dirOutbound = "outbound"
	dirArchive  = "archive"
)

// handler serves one SFTP session of a partner. It implements the four
// sftp.Handlers interfaces and the optional PosixRename and Readlink.
type handler struct {
	s         *Server
	ctx       context.Context // the connection's
	partnerID string
	log       *slog.Logger
}

// statusError is a refusal with an SFTP status code and a message for the
// client.
func statusError(code error, format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), code)
}

func noSuchFile(p string) error {
	return statusError(sftp.ErrSSHFxNoSuchFile, "%s: no such file", p)
}

func denied(format string, args ...any) error {
	return statusError(sftp.ErrSSHFxPermissionDenied, format, args...)
}

func unsupported(format string, args ...any) error {
	return statusError(sftp.ErrSSHFxOpUnsupported, format, args...)
}

// location is a path of the virtual tree: dir is "" for the root, name ""
// for a folder itself.
type location struct {
	dir, name string
}

// locate cleans p and places it in the tree. ".." cannot climb above the
// root, which path.Clean already ensures for an absolute path; anything
// but the root, its three folders and the files directly in them does not
// exist.
func locate(p string) (location, error) {
	clean := path.Clean("/" + p)
	if clean == "/" {
		return location{}, nil
	}
	dir, name, _ := strings.Cut(clean[1:], "/")
	if strings.Contains(name, "/") {
		return location{}, noSuchFile(clean)
	}
	switch dir {
	case dirInbound, dirOutbound, dirArchive:
		return location{dir: dir, name: name}, nil
	}
	return location{}, noSuchFile(clean)
}

// partner returns the session's partner as configured now: a partner
// suspended or removed since login can do nothing more.
func (h *handler) partner() (*partners.Partner, error) {
	p, ok := h.s.cfg.Partners.Current().ByID(h.partnerID)
	if !ok || p.Status == partners.StatusSuspended || p.Channels.SFTP == nil {
		return nil, denied("the account is no longer active")
	}
	return p, nil
}

// Fileread opens a file of /outbound or /archive for reading.
func (h *handler) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	if _, err := h.partner(); err != nil {
		return nil, err
	}
	loc, err := locate(r.Filepath)
	if err != nil {
		return nil, err
	}
	switch {
	case loc.name == "":
		return nil, statusError(sftp.ErrSSHFxFailure, "%s is a folder", r.Filepath)
	case loc.dir == dirOutbound:
		return h.readOutbox(loc.name)
	case loc.dir == dirArchive:
		return h.readArchive(loc.name)
	}
	return nil, denied("uploads in /inbound cannot be read back")
}

// Filewrite opens an upload in /inbound.
func (h *handler) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	if _, err := h.partner(); err != nil {
		return nil, err
	}
	loc, err := locate(r.Filepath)
	if err != nil {
		return nil, denied("only /inbound is writable")
	}
	if loc.dir != dirInbound || loc.name == "" {
		return nil, denied("only /inbound is writable")
	}
	if !validName(loc.name) {
		return nil, denied("%q is not a file name the gateway accepts", loc.name)
	}
	return h.newUpload(loc.name)
}

// Filecmd runs renames, removes and attribute changes; folders and links
// are refused.
func (h *handler) Filecmd(r *sftp.Request) error {
	if _, err := h.partner(); err != nil {
		return err
	}
	switch r.Method {
	case "Rename", "PosixRename":
		return h.rename(r.Filepath, r.Target)
	case "Remove":
		return h.remove(r.Filepath)
	case "Setstat":
		return h.setstat(r.Filepath)
	case "Mkdir", "Rmdir":
		return denied("folders cannot be created or removed")
	case "Symlink", "Link":
		return unsupported("links are not supported")
	}
	return unsupported("%s is not supported", r.Method)
}

// PosixRename is Rename: the target is replaced.
func (h *handler) PosixRename(r *sftp.Request) error { return h.Filecmd(r) }

// Filelist lists a folder or stats one entry.
func (h *handler) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	if _, err := h.partner(); err != nil {
		return nil, err
	}
	loc, err := locate(r.Filepath)
	if err != nil {
		return nil, err
	}
	switch r.Method {
	case "List":
		return h.list(loc, r.Filepath)
	case "Stat", "Lstat":
		fi, err := h.stat(loc, r.Filepath)
		if err != nil {
			return nil, err
		}
		return listerAt{fi}, nil
	}
	return nil, unsupported("%s is not supported", r.Method)
}

// Readlink refuses: there are no links.
func (h *handler) Readlink(string) (string, error) {
	return "", unsupported("links are not supported")
}

func (h *handler) list(loc location, p string) (listerAt, error) {
	if loc.name != "" {
		return nil, statusError(sftp.ErrSSHFxFailure, "%s is not a folder", p)
	}
	switch loc.dir {
	case "":
		now := h.s.cfg.Now()
		return listerAt{
			&fileInfo{name: dirInbound, mode: modeWritable, mtime: now},
			&fileInfo{name: dirOutbound, mode: modeWritable, mtime: now},
			&fileInfo{name: dirArchive, mode: modeReadOnly, mtime: now},
		}, nil
	case dirInbound:
		return h.listInbound(), nil
	case dirOutbound:
		return h.listOutbox()
	}
	return h.listArchive()
}

func (h *handler) stat(loc location, p string) (*fileInfo, error) {
	now := h.s.cfg.Now()
	switch {
	case loc.dir == "":
		return &fileInfo{name: "/", mode: modeRoot, mtime: now}, nil
	case loc.name == "" && loc.dir == dirArchive:
		return &fileInfo{name: loc.dir, mode: modeReadOnly, mtime: now}, nil
	case loc.name == "":
		return &fileInfo{name: loc.dir, mode: modeWritable, mtime: now}, nil
	case loc.dir == dirInbound:
		if f, ok := h.s.pending.get(h.partnerID, loc.name, now); ok {
			return &fileInfo{name: loc.name, size: f.size, mode: modeFile, mtime: f.mtime}, nil
		}
	case loc.dir == dirOutbound:
		if e, err := h.findOutbox(loc.name); err == nil || !isNotFound(err) {
			return e.info(), err
		}
	case loc.dir == dirArchive:
		if e, err := h.findArchive(loc.name); err == nil || !isNotFound(err) {
			return e.info(), err
		}
	}
	return nil, noSuchFile(p)
}

func (h *handler) remove(p string) error {
	loc, err := locate(p)
	if err != nil {
		return err
	}
	switch {
	case loc.name == "":
		return denied("folders cannot be removed")
	case loc.dir == dirOutbound:
		return h.pickUp(loc.name)
	case loc.dir == dirInbound:
		f, ok := h.s.pending.take(h.partnerID, loc.name, h.s.cfg.Now())
		if !ok {
			return noSuchFile(p)
		}
		removeSpool(f.path, h.log)
		h.log.Info("SFTP pending upload removed", "filename", loc.name)
		return nil
	}
	return denied("the archive is read-only")
}

// setstat accepts and ignores attribute changes of /inbound files, which
// some clients send after an upload; elsewhere it is refused.
func (h *handler) setstat(p string) error {
	loc, err := locate(p)
	if err != nil {
		return err
	}
	if loc.dir == dirInbound && loc.name != "" {
		return nil
	}
	return denied("attributes cannot be changed here")
}
