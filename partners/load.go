package partners

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Load reads every partner file of dir and returns them as a Set. Partner
// files are the regular files (or links to them) directly in dir whose name
// ends in ".yaml" or ".yml", except gateway.yaml and gateway.yml (the service
// configuration may live in the same folder) and names starting with "."
// (editor swap and lock files). Subdirectories and other files, such as
// README.md, are ignored.
//
// Decoding is strict and everything is checked: unknown keys, missing and
// malformed values, and, across files, partner IDs defined twice, an X12
// sender ID or API key claimed by two partners. When anything is wrong the
// error is a *LoadError holding every problem found, and the Set is nil. A
// directory without partner files is an error too.
func Load(dir string) (*Set, error) {
	var probs problems
	files := readDir(dir, &probs)
	var all []*parsed
	h := sha256.New()
	for _, f := range files {
		writeVersion(h, filepath.Base(f.name), f.data)
		if p := decodePartner(f.name, f.data, &probs); p != nil {
			all = append(all, p)
			for _, ref := range p.refs { // a changed price list is a new version
				rel, err := filepath.Rel(dir, ref.name)
				if err != nil {
					rel = ref.name
				}
				writeVersion(h, rel, ref.data)
			}
		}
	}
	if len(files) == 0 && len(probs.list) == 0 {
		probs.add(dir, 0, "", "no partner files (*.yaml, *.yml) in the directory")
	}
	checkUnique(all, &probs)
	if err := probs.err(dir); err != nil {
		return nil, err
	}
	return newSet(all, hex.EncodeToString(h.Sum(nil))[:16]), nil
}

type file struct {
	name string // dir joined with the base name
	data []byte
}

// readDir reads the partner files of dir in name order.
func readDir(dir string, probs *problems) []file {
	entries, err := os.ReadDir(dir)
	if err != nil {
		probs.addErr(dir, 0, "", "cannot read the partner directory", err)
		return nil
	}
	var files []file
	for _, e := range entries {
		if !isPartnerFile(e.Name()) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		fi, err := os.Stat(name) // follows links
		if err != nil {
			probs.addErr(name, 0, "", "cannot read the file", err)
			continue
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			probs.addErr(name, 0, "", "cannot read the file", err)
			continue
		}
		files = append(files, file{name, data})
	}
	return files
}

// isPartnerFile reports whether a directory entry is a partner file by its
// name.
func isPartnerFile(name string) bool {
	switch {
	case strings.HasPrefix(name, "."):
		return false
	case name == "gateway.yaml" || name == "gateway.yml":
		return false
	}
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// writeVersion adds one file to the version hash: its name and content,
// length-prefixed so that no two directories hash alike.
func writeVersion(h io.Writer, name string, data []byte) {
	var n [8]byte
	for _, b := range [][]byte{[]byte(name), data} {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
}

// owner records who claimed a value first, for the checks across files.
type owner struct {
	p    *Partner
	line int
}

func (o owner) String() string { return fmt.Sprintf("partner %q (%s:%d)", o.p.ID, o.p.File, o.line) }

// checkUnique reports partner IDs, X12 sender IDs, API keys, SFTP user
// names, SFTP keys and AS2 IDs claimed twice.
func checkUnique(all []*parsed, probs *problems) {
	ids := map[string]owner{}
	senders := map[X12ID]owner{}
	keys := map[[sha256.Size]byte]owner{}
	users := map[string]owner{}
	sshKeys := map[string]owner{}
	as2IDs := map[string]owner{}
	for _, ps := range all {
		p := ps.p
		if first, dup := ids[p.ID]; dup && p.ID != "" {
			// A copy of a file would repeat every claim: say it once.
			probs.add(p.File, p.Line, "id", "partner %q is already defined in %s:%d", p.ID, first.p.File, first.line)
			continue
		}
		ids[p.ID] = owner{p, p.Line}
		for i, x := range p.X12.IDs {
			claim(senders, x, owner{p, ps.idLines[i]}, index("x12.ids", i), "sender ID "+x.String(), probs)
		}
		if p.Channels.API != nil {
			for i, k := range p.Channels.API.Keys {
				claim(keys, k.sum, owner{p, ps.keyLines[i]}, index("channels.api.keys", i), "this API key", probs)
			}
		}
		if c := p.Channels.SFTP; c != nil {
			if c.Username != "" {
				claim(users, c.Username, owner{p, ps.sftpUserLine}, "channels.sftp.username", "SFTP user name "+strconv.Quote(c.Username), probs)
			}
			for i, k := range c.AuthorizedKeys {
				claim(sshKeys, string(k.Marshal()), owner{p, ps.sftpKeyLines[i]}, index("channels.sftp.authorized_keys", i),
					"this SFTP key ("+ssh.FingerprintSHA256(k)+")", probs)
			}
		}
		if c := p.Channels.AS2; c != nil && c.AS2ID != "" {
			claim(as2IDs, c.AS2ID, owner{p, ps.as2IDLine}, "channels.as2.as2_id", "AS2 ID "+strconv.Quote(c.AS2ID), probs)
		}
	}
}

// claim records o as the owner of v, or reports that v is taken.
func claim[K comparable](m map[K]owner, v K, o owner, field, what string, probs *problems) {
	first, taken := m[v]
	switch {
	case !taken:
		m[v] = o
	case first.p == o.p:
		probs.add(o.p.File, o.line, field, "%s is listed twice (also at line %d)", what, first.line)
	default:
		probs.add(o.p.File, o.line, field, "%s is already claimed by %s", what, first)
	}
}
