package sftpd

import (
	"errors"
	"io"
	"sync"
)

// streamAfter is how much of an upload must have arrived before it is
// stored while it arrives; smaller files are stored when they are closed.
const streamAfter = 4 << 20

// maxStreams bounds the uploads stored while they arrive on one server:
// each holds a database connection and an open transaction.
const maxStreams = 4

// errAborted ends the store of an upload that will not be ingested.
var errAborted = errors.New("sftpd: the upload was interrupted or refused")

// prefix tracks how much of a spool file is written without a gap: blocks
// may arrive out of order, and only the gapless prefix can be stored.
type prefix struct {
	mu     sync.Mutex
	cond   *sync.Cond
	end    int64           // bytes [0, end) are written
	ahead  map[int64]int64 // written blocks past a gap: offset → end
	done   bool            // the client closed the file: no more blocks
	failed bool            // the upload will not be ingested
}

func newPrefix() *prefix {
	p := &prefix{ahead: map[int64]int64{}}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// wrote records the block [off, end) and returns the gapless length.
func (p *prefix) wrote(off, end int64) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if off > p.end {
		p.ahead[off] = max(p.ahead[off], end)
		return p.end
	}
	p.end = max(p.end, end)
	for grown := true; grown; {
		grown = false
		for off, end := range p.ahead {
			if off <= p.end {
				delete(p.ahead, off)
				p.end, grown = max(p.end, end), true
			}
		}
	}
	p.cond.Broadcast()
	return p.end
}

// finish marks the upload closed at size (gaps read as the zeros the spool
// file holds there), or failed.
func (p *prefix) finish(size int64, failed bool) {
	p.mu.Lock()
	p.done, p.failed = true, p.failed || failed
	p.end = max(p.end, size)
	p.cond.Broadcast()
	p.mu.Unlock()
}

// prefixReader reads a spool file as its gapless prefix grows, blocking
// until more is written or the upload ends.
type prefixReader struct {
	p   *prefix
	f   io.ReaderAt
	off int64
}

func (r *prefixReader) Read(b []byte) (int, error) {
	p := r.p
	p.mu.Lock()
	for !p.failed && !p.done && p.end <= r.off {
		p.cond.Wait()
	}
	end, failed, done := p.end, p.failed, p.done
	p.mu.Unlock()
	switch {
	case failed:
		return 0, errAborted
	case r.off >= end && done:
		return 0, io.EOF
	}
	n, err := r.f.ReadAt(b[:min(int64(len(b)), end-r.off)], r.off)
	r.off += int64(n)
	if errors.Is(err, io.EOF) && n > 0 {
		err = nil
	}
	return n, err
}
