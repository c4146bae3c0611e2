package sftpd

import (
	"io"
	"io/fs"
	"os"
	"time"
)

// fileInfo is an entry of the virtual tree.
type fileInfo struct {
	name  string
	size  int64
	mode  fs.FileMode
	mtime time.Time
}

func (fi *fileInfo) Name() string       { return fi.name }
func (fi *fileInfo) Size() int64        { return fi.size }
func (fi *fileInfo) Mode() fs.FileMode  { return fi.mode }
func (fi *fileInfo) ModTime() time.Time { return fi.mtime }
func (fi *fileInfo) IsDir() bool        { return fi.mode.IsDir() }
func (fi *fileInfo) Sys() any           { return nil }

// Modes of the tree's entries.
const (
	modeRoot     = fs.ModeDir | 0o555
	modeWritable = fs.ModeDir | 0o755 // /inbound, /outbound (remove marks picked up)
	modeReadOnly = fs.ModeDir | 0o555 // /archive
	modeFile     = 0o644
	modeArchived = 0o444
)

// listerAt is a directory listing, or the one entry of a stat.
type listerAt []os.FileInfo

// ListAt implements sftp.ListerAt.
func (l listerAt) ListAt(dst []os.FileInfo, offset int64) (int, error) {
	if offset >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(dst, l[offset:])
	if n < len(dst) {
		return n, io.EOF
	}
	return n, nil
}
