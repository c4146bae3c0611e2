package sftpd

import (
	"cmp"
	"os"
	"slices"
	"sync"
	"time"
)

// pendingFile is an upload closed under a temporary name, spooled on this
// node until it is renamed to a final name.
type pendingFile struct {
	path  string // the spool file
	size  int64
	mtime time.Time
}

// pendingSet holds the pending uploads of every partner on this node.
type pendingSet struct {
	ttl   time.Duration
	mu    sync.Mutex
	files map[string]map[string]*pendingFile // partner → name → file
}

func newPendingSet(ttl time.Duration) *pendingSet {
	return &pendingSet{ttl: ttl, files: map[string]map[string]*pendingFile{}}
}

// put stores f under name, replacing (and deleting) what was there.
func (ps *pendingSet) put(partnerID, name string, f *pendingFile) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	m := ps.files[partnerID]
	if m == nil {
		m = map[string]*pendingFile{}
		ps.files[partnerID] = m
	}
	if old := m[name]; old != nil && old.path != f.path {
		os.Remove(old.path)
	}
	m[name] = f
}

// take removes name from the set and returns it; the caller owns its
// spool file.
func (ps *pendingSet) take(partnerID, name string, now time.Time) (*pendingFile, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.expire(partnerID, now)
	f, ok := ps.files[partnerID][name]
	if ok {
		delete(ps.files[partnerID], name)
	}
	return f, ok
}

// get returns a copy of name's entry.
func (ps *pendingSet) get(partnerID, name string, now time.Time) (pendingFile, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.expire(partnerID, now)
	f, ok := ps.files[partnerID][name]
	if !ok {
		return pendingFile{}, false
	}
	return *f, true
}

// count returns how many pending files a partner has.
func (ps *pendingSet) count(partnerID string, now time.Time) int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.expire(partnerID, now)
	return len(ps.files[partnerID])
}

// namedPending is a pending file with its name.
type namedPending struct {
	name string
	pendingFile
}

// list returns a partner's pending files by name.
func (ps *pendingSet) list(partnerID string, now time.Time) []namedPending {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.expire(partnerID, now)
	out := make([]namedPending, 0, len(ps.files[partnerID]))
	for name, f := range ps.files[partnerID] {
		out = append(out, namedPending{name, *f})
	}
	slices.SortFunc(out, func(a, b namedPending) int { return cmp.Compare(a.name, b.name) })
	return out
}

// expire deletes a partner's pending files older than the TTL.
func (ps *pendingSet) expire(partnerID string, now time.Time) {
	for name, f := range ps.files[partnerID] {
		if now.Sub(f.mtime) > ps.ttl {
			os.Remove(f.path)
			delete(ps.files[partnerID], name)
		}
	}
}

// clear deletes every pending file.
func (ps *pendingSet) clear() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, m := range ps.files {
		for _, f := range m {
			os.Remove(f.path)
		}
	}
	clear(ps.files)
}
