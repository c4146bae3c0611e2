package partners_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/partnergate/partnergate/partners"
)

// Hashes of "key-a" and "key-b", as a partner file holds them.
var (
	hashA = partners.SecretOf("key-a").Hex()
	hashB = partners.SecretOf("key-b").Hex()
)

// writeDir writes files (name → content) into a new temporary directory.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// problemLines loads dir and returns its problems as "name:line: field: msg"
// with the directory trimmed; it fails when Load succeeds or its error is
// not a *LoadError.
func problemLines(t *testing.T, dir string) []string {
	t.Helper()
	set, err := partners.Load(dir)
	if err == nil {
		t.Fatalf("Load succeeded with %d partners, want problems", set.Len())
	}
	var le *partners.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load error %T %v is not a *LoadError", err, err)
	}
	if !errors.Is(err, partners.ErrInvalid) {
		t.Errorf("Load error does not wrap ErrInvalid")
	}
	var lines []string
	for _, p := range le.Problems {
		lines = append(lines, strings.TrimPrefix(p.Error(), dir+string(filepath.Separator)))
	}
	return lines
}

// minimal is a valid partner file whose id is replaced.
func minimal(id string) string {
	return "id: " + id + "\nname: Partner " + id + "\nstatus: active\n"
}

const acme = `id: acme-retail
name: ACME Retail
status: active
x12:
  ids: [{qualifier: ZZ, id: ACMERETAIL}]
  accept: ["850", "856"]
  ack: auto
  ta1: on_request
channels:
  api: {keys: ["` + "HASH_A" + `"]}
duplicates: {file: accept, interchange: reject, document: hold}
`

// acmeWith returns acme with each pair of old, new strings replaced in turn
// and HASH_A, unless replaced, as hashA.
func acmeWith(pairs ...string) string {
	s := acme
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return strings.Replace(s, "HASH_A", hashA, 1)
}

func TestLoadProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"bad ack", map[string]string{"acme.yaml": acmeWith("ack: auto", `ack: "998"`)},
			[]string{`acme.yaml:7: x12.ack: "998" is not one of auto, 997, 999, none`}},
		{"bad ta1", map[string]string{"acme.yaml": acmeWith("ta1: on_request", "ta1: sometimes")},
			[]string{`acme.yaml:8: x12.ta1: "sometimes" is not one of always, on_request, never`}},
		{"empty ack", map[string]string{"acme.yaml": acmeWith("ack: auto", "ack:")},
			[]string{`acme.yaml:7: x12.ack: want one of auto, 997, 999, none`}},
		{"unknown top-level key", map[string]string{"acme.yaml": acmeWith("status: active\n", "status: active\ncolour: blue\n")},
			[]string{`acme.yaml:4: colour: unknown key "colour"; known keys here: id, name, status, x12, channels, duplicates, csv, policies, sla, routes`}},
		{"unknown nested key", map[string]string{"acme.yaml": acmeWith("  ack: auto", "  acks: auto")},
			[]string{`acme.yaml:7: x12.acks: unknown key "acks"; known keys here: ids, accept, ack, ta1`}},
		{"unknown key in a list item", map[string]string{"acme.yaml": acmeWith("id: ACMERETAIL}", "id: ACMERETAIL, name: x}")},
			[]string{`acme.yaml:5: x12.ids[0].name: unknown key "name"; known keys here: qualifier, id`}},
		{"key given twice", map[string]string{"acme.yaml": acmeWith("name: ACME Retail\n", "name: ACME Retail\nname: ACME\n")},
			[]string{`acme.yaml:3: name: given twice (first at line 2)`}},
		{"bad id", map[string]string{"acme.yaml": acmeWith("id: acme-retail", "id: ACME_Retail")},
			[]string{`acme.yaml:1: id: "ACME_Retail": use lowercase letters, digits and '-' only`}},
		{"missing id and name", map[string]string{"p.yaml": "status: active\n"},
			[]string{`p.yaml:1: id: required`, `p.yaml:1: name: required`}},
		{"empty name", map[string]string{"p.yaml": "id: p\nname: \"  \"\nstatus: active\n"},
			[]string{`p.yaml:2: name: must not be empty`}},
		{"missing status", map[string]string{"p.yaml": "id: p\nname: P\n"},
			[]string{`p.yaml:1: status: required: one of active, testing, suspended`}},
		{"bad status", map[string]string{"acme.yaml": acmeWith("status: active", "status: live")},
			[]string{`acme.yaml:3: status: "live" is not one of active, testing, suspended`}},
		{"status is a list", map[string]string{"acme.yaml": acmeWith("status: active", "status: [active]")},
			[]string{`acme.yaml:3: status: want a single value, not a list`}},
		{"x12 is a list", map[string]string{"p.yaml": minimal("p") + "x12: [850]\n"},
			[]string{`p.yaml:4: x12: want a mapping of ids, accept, ack, ta1`}},
		{"unknown set", map[string]string{"acme.yaml": acmeWith(`accept: ["850", "856"]`, `accept: ["850", "810"]`)},
			[]string{`acme.yaml:6: x12.accept[1]: "810" is not one of 850, 856, 940, 945, 997, 999`}},
		{"set listed twice", map[string]string{"acme.yaml": acmeWith(`accept: ["850", "856"]`, `accept: [850, "850"]`)},
			[]string{`acme.yaml:6: x12.accept[1]: "850" is listed twice`}},
		{"qualifier too long", map[string]string{"acme.yaml": acmeWith("qualifier: ZZ", "qualifier: ZZZ")},
			[]string{`acme.yaml:5: x12.ids[0].qualifier: "ZZZ": ISA05 is 2 characters, such as ZZ or 01`}},
		{"sender id too long", map[string]string{"acme.yaml": acmeWith("id: ACMERETAIL}", "id: ACMERETAILSTORES}")},
			[]string{`acme.yaml:5: x12.ids[0].id: "ACMERETAILSTORES": ISA06 is 1 to 15 characters without '*', '~' or control characters`}},
		{"sender id missing", map[string]string{"acme.yaml": acmeWith("{qualifier: ZZ, id: ACMERETAIL}", "{qualifier: ZZ}")},
			[]string{`acme.yaml:5: x12.ids[0].id: required`}},
		{"accept without ids", map[string]string{"acme.yaml": acmeWith("  ids: [{qualifier: ZZ, id: ACMERETAIL}]\n", "")},
			[]string{`acme.yaml:5: x12.ids: required when x12.accept lists sets: the ISA05/ISA06 the partner sends from`}},
		{"plain key instead of its hash", map[string]string{"acme.yaml": acmeWith("HASH_A", "key-a")},
			[]string{`acme.yaml:10: channels.api.keys[0]: not a "sha256:<64 lowercase hex digits>" hash; store the hash of the key, never the key itself`}},
		{"hash of the empty key", map[string]string{"acme.yaml": acmeWith("HASH_A", partners.SecretOf("").Hex())},
			[]string{`acme.yaml:10: channels.api.keys[0]: the hash of an empty value: hash the real key; store the hash of the key, never the key itself`}},
		{"api without keys", map[string]string{"acme.yaml": acmeWith(`{keys: ["HASH_A"]}`, "{keys: []}")},
			[]string{`acme.yaml:10: channels.api.keys: at least one key hash is required`}},
		{"unknown channel", map[string]string{"acme.yaml": acmeWith("channels:\n", "channels:\n  fax: {number: 1}\n")},
			[]string{`acme.yaml:10: channels.fax: unknown key "fax"; known keys here: api, sftp, remote_sftp, as2`}},
		{"bad duplicate actions", map[string]string{"acme.yaml": acmeWith("file: accept, interchange: reject", "file: ignore, interchange: drop")},
			[]string{
				`acme.yaml:11: duplicates.file: "ignore" is not one of reject, hold, accept`,
				`acme.yaml:11: duplicates.interchange: "drop" is not one of reject, hold, accept`,
			}},
		{"not YAML", map[string]string{"p.yaml": "id: p\nname: P\nstatus:\n\t- active\n"},
			[]string{`p.yaml:4: not valid YAML: found character that cannot start any token`}},
		{"empty file", map[string]string{"p.yaml": "# nothing yet\n"},
			[]string{`p.yaml: the file is empty`}},
		{"two documents", map[string]string{"p.yaml": minimal("p") + "---\n" + minimal("q")},
			[]string{`p.yaml:4: a second YAML document: keep one partner per file`}},
		{"a list instead of a partner", map[string]string{"p.yaml": "- id: p\n"},
			[]string{`p.yaml:1: want a mapping of id, name, status, x12, channels, duplicates, csv, policies, sla, routes`}},
		{"partner defined twice", map[string]string{"a.yaml": acmeWith(), "b.yml": acmeWith("HASH_A", hashB)},
			[]string{`b.yml:1: id: partner "acme-retail" is already defined in ` + "DIR" + `/a.yaml:1`}},
		{"sender claimed by two partners", map[string]string{
			"a.yaml": acmeWith(),
			"b.yaml": acmeWith("HASH_A", hashB, "id: acme-retail", "id: other"),
		}, []string{`b.yaml:5: x12.ids[0]: sender ID ZZ/ACMERETAIL is already claimed by partner "acme-retail" (DIR/a.yaml:5)`}},
		{"sender listed twice", map[string]string{"acme.yaml": acmeWith("ids: [{qualifier: ZZ, id: ACMERETAIL}]", "ids: [{qualifier: ZZ, id: ACMERETAIL}, {qualifier: ZZ, id: \" ACMERETAIL\"}]")},
			[]string{`acme.yaml:5: x12.ids[1]: sender ID ZZ/ACMERETAIL is listed twice (also at line 5)`}},
		{"api key shared by two partners", map[string]string{
			"a.yaml": acmeWith(),
			"b.yaml": minimal("bee") + "channels:\n  api:\n    keys:\n      - " + hashB + "\n      - " + hashA + "\n",
		}, []string{`b.yaml:8: channels.api.keys[1]: this API key is already claimed by partner "acme-retail" (DIR/a.yaml:10)`}},
		{"no partner files", map[string]string{"README.md": "# partners\n", "gateway.yaml": "http: {}\n"},
			[]string{`DIR: no partner files (*.yaml, *.yml) in the directory`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeDir(t, tt.files)
			got := problemLines(t, dir)
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = strings.ReplaceAll(w, "DIR", dir)
			}
			if !slices.Equal(got, want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestLoadEveryProblemAtOnce checks that one load reports the problems of
// every file, sorted by file and line, and never echoes a secret.
func TestLoadEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, map[string]string{
		"a.yaml": "id: A\nname: A\nstatus: gone\nx12:\n  ack: \"998\"\n  accept: [\"810\"]\nchannels: {api: {keys: [\"my-secret-key\"]}}\nextra: 1\n",
		"b.yaml": "id: b\nname: B\nstatus: active\nduplicates: {file: maybe}\n",
		"c.yaml": minimal("c"),
	})
	got := problemLines(t, dir)
	want := []string{
		`a.yaml:1: id: "A": use lowercase letters, digits and '-' only`,
		`a.yaml:3: status: "gone" is not one of active, testing, suspended`,
		`a.yaml:5: x12.ack: "998" is not one of auto, 997, 999, none`,
		`a.yaml:6: x12.accept[0]: "810" is not one of 850, 856, 940, 945, 997, 999`,
		`a.yaml:7: channels.api.keys[0]: not a "sha256:<64 lowercase hex digits>" hash; store the hash of the key, never the key itself`,
		`a.yaml:8: extra: unknown key "extra"; known keys here: id, name, status, x12, channels, duplicates, csv, policies, sla, routes`,
		`b.yaml:4: duplicates.file: "maybe" is not one of reject, hold, accept`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	_, err := partners.Load(dir)
	if strings.Contains(err.Error(), "my-secret-key") {
		t.Errorf("the error repeats a key: %v", err)
	}
	if !errors.Is(err, partners.ErrSecretFormat) {
		t.Errorf("errors.Is(err, ErrSecretFormat) = false")
	}
}

func TestLoadMissingDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nope")
	_, err := partners.Load(dir)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load(%s) = %v, want fs.ErrNotExist", dir, err)
	}
	if want := dir + ": cannot read the partner directory: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with %q", err, want)
	}
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, map[string]string{"p.yaml": "# a partner\n" + minimal("p")})
	set, err := partners.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := set.ByID("p")
	if !ok {
		t.Fatal(`ByID("p") found nothing`)
	}
	want := partners.Duplicates{File: partners.ActionAccept, Interchange: partners.ActionReject, Document: partners.ActionHold}
	if p.Duplicates != want {
		t.Errorf("Duplicates = %+v, want %+v", p.Duplicates, want)
	}
	if p.X12.Ack != "auto" || p.X12.TA1 != "on_request" {
		t.Errorf("X12 ack %q ta1 %q, want auto and on_request", p.X12.Ack, p.X12.TA1)
	}
	if p.Channels.API != nil || len(p.X12.IDs) != 0 || p.Accepts("850") {
		t.Errorf("a partner without x12 or channels has %+v %+v", p.X12, p.Channels)
	}
	if p.File != filepath.Join(dir, "p.yaml") || p.Line != 2 || p.Status != partners.StatusActive || p.Name != "Partner p" {
		t.Errorf("partner %+v", p)
	}
}

func TestLoadPicksPartnerFiles(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, map[string]string{
		"a.yaml":           minimal("a"),
		"b.yml":            minimal("b"),
		"gateway.yaml":     "database_url: x\n",
		"gateway.yml":      "database_url: x\n",
		"README.md":        "not yaml: [",
		".a.yaml.swp":      "binary",
		".hidden.yaml":     "not: a partner",
		"sub/c.yaml":       minimal("c"),
		"notes.yaml~":      "backup",
		"targets/d.target": minimal("d"),
	})
	if err := os.Symlink(filepath.Join(dir, "targets", "d.target"), filepath.Join(dir, "d.yaml")); err != nil {
		t.Fatal(err)
	}
	set, err := partners.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range set.All() {
		ids = append(ids, p.ID)
	}
	if want := []string{"a", "b", "d"}; !slices.Equal(ids, want) {
		t.Errorf("partners %q, want %q", ids, want)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, map[string]string{"a.yaml": minimal("a")})
	load := func() string {
		t.Helper()
		set, err := partners.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		return set.Version()
	}
	v1, v2 := load(), load()
	if v1 != v2 || len(v1) != 16 {
		t.Fatalf("versions %q and %q of the same files", v1, v2)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(minimal("a")+"# edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if v3 := load(); v3 == v1 {
		t.Errorf("version %q did not change with the content", v3)
	}
	if err := os.Rename(filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")); err != nil {
		t.Fatal(err)
	}
	if v4 := load(); v4 == v1 {
		t.Errorf("version %q did not change with the file name", v4)
	}
}

// TestSampleConfigs loads the repository's partner-configs folder and checks
// each sample partner plays the role partner-configs/README.md gives it.
func TestSampleConfigs(t *testing.T) {
	t.Parallel()
	set, err := partners.Load("../partner-configs")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id, key, sender string
		status          partners.Status
		accepts, not    []string
		ack             string
	}{
		{"acme-retail", "demo-acme-key", "ACMERETAIL", partners.StatusActive, []string{"850", "997"}, []string{"856", "945"}, "auto"},
		{"globex-supply", "demo-globex-key", "GLOBEXSUPPLY", partners.StatusActive, []string{"856", "997"}, []string{"850"}, "auto"},
		{"swift-3pl", "demo-swift-key", "SWIFT3PL", partners.StatusActive, []string{"945", "997"}, []string{"940", "850"}, "997"},
		{"bazaar-market", "demo-bazaar-key", "", partners.StatusTesting, nil, []string{"850", "856", "940", "945", "997", "999"}, "auto"},
	}
	if set.Len() != len(tests) {
		t.Errorf("%d partners, want %d", set.Len(), len(tests))
	}
	for _, tt := range tests {
		p, ok := set.ByAPIKey(tt.key)
		if !ok || p.ID != tt.id {
			t.Errorf("ByAPIKey(%q) = %v, %v; want %s", tt.key, p, ok, tt.id)
			continue
		}
		if p.Status != tt.status || p.X12.Ack != tt.ack {
			t.Errorf("%s: status %q ack %q", tt.id, p.Status, p.X12.Ack)
		}
		for _, s := range tt.accepts {
			if !p.Accepts(s) {
				t.Errorf("%s does not accept %s", tt.id, s)
			}
		}
		for _, s := range tt.not {
			if p.Accepts(s) {
				t.Errorf("%s accepts %s", tt.id, s)
			}
		}
		if tt.sender != "" {
			if q, ok := set.BySender("ZZ", tt.sender); !ok || q != p {
				t.Errorf("BySender(ZZ, %s) = %v, %v", tt.sender, q, ok)
			}
		}
	}
	globex, ok := set.BySFTPUser("globex")
	if !ok || globex.ID != "globex-supply" || len(globex.Channels.SFTP.AuthorizedKeys) != 1 {
		t.Fatalf("BySFTPUser(globex) = %v, %v", globex, ok)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(globex.Channels.SFTP.PasswordHash), []byte("demo-globex-sftp")); err != nil {
		t.Errorf("the demo SFTP password: %v", err)
	}
}
