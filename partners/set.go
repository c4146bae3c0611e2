package partners

import (
	"cmp"
	"crypto/sha256"
	"slices"
	"strings"
)

// Set is an immutable snapshot of the loaded partners, safe for concurrent
// use. Its lookups return shared *Partner values that must not be modified.
// Lookups do not filter by Status: a suspended partner is still found, and
// the caller decides what it may do.
type Set struct {
	all      []*Partner // by ID
	byID     map[string]*Partner
	bySender map[X12ID]*Partner
	byKey    map[[sha256.Size]byte]*Partner
	bySFTP   map[string]*Partner // by SFTP user name
	byAS2    map[string]*Partner // by AS2 ID
	version  string
}

// newSet indexes partners that passed every check.
func newSet(all []*parsed, version string) *Set {
	s := &Set{
		byID:     make(map[string]*Partner, len(all)),
		bySender: make(map[X12ID]*Partner),
		byKey:    make(map[[sha256.Size]byte]*Partner),
		bySFTP:   make(map[string]*Partner),
		byAS2:    make(map[string]*Partner),
		version:  version,
	}
	for _, ps := range all {
		p := ps.p
		s.all = append(s.all, p)
		s.byID[p.ID] = p
		for _, x := range p.X12.IDs {
			s.bySender[x] = p
		}
		if p.Channels.API != nil {
			for _, k := range p.Channels.API.Keys {
				s.byKey[k.sum] = p
			}
		}
		if p.Channels.SFTP != nil {
			s.bySFTP[p.Channels.SFTP.Username] = p
		}
		if p.Channels.AS2 != nil {
			s.byAS2[p.Channels.AS2.AS2ID] = p
		}
	}
	slices.SortFunc(s.all, func(a, b *Partner) int { return cmp.Compare(a.ID, b.ID) })
	return s
}

// ByID returns the partner with the given ID.
func (s *Set) ByID(id string) (*Partner, bool) {
	p, ok := s.byID[id]
	return p, ok
}

// BySender returns the partner that owns the interchange sender qualifier
// and ID (ISA05, ISA06), compared after trimming spaces.
func (s *Set) BySender(qualifier, id string) (*Partner, bool) {
	p, ok := s.bySender[X12ID{Qualifier: strings.TrimSpace(qualifier), ID: strings.TrimSpace(id)}]
	return p, ok
}

// ByAPIKey returns the partner whose API channel has the plain key. The key
// is hashed once with SHA-256 and the hash looked up in a map, so the time
// taken does not depend on which partner, if any, holds a key close to it.
func (s *Set) ByAPIKey(plain string) (*Partner, bool) {
	if plain == "" {
		return nil, false
	}
	p, ok := s.byKey[sha256.Sum256([]byte(plain))]
	return p, ok
}

// BySFTPUser returns the partner whose account on the gateway's SFTP server
// (channels.sftp) has the user name.
func (s *Set) BySFTPUser(username string) (*Partner, bool) {
	if username == "" {
		return nil, false
	}
	p, ok := s.bySFTP[username]
	return p, ok
}

// ByAS2ID returns the partner whose AS2 channel has the AS2 name id,
// compared case-sensitively.
func (s *Set) ByAS2ID(id string) (*Partner, bool) {
	if id == "" {
		return nil, false
	}
	p, ok := s.byAS2[id]
	return p, ok
}

// All returns the partners sorted by ID, in a new slice.
func (s *Set) All() []*Partner { return slices.Clone(s.all) }

// Len returns the number of partners.
func (s *Set) Len() int { return len(s.all) }

// Version identifies the loaded files: the first 16 hex digits of a SHA-256
// over their names and contents. Loading the same files gives the same
// version.
func (s *Set) Version() string { return s.version }
