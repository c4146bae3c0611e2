package partners

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/flatfile"
	"github.com/partnergate/partnergate/outbound"
)

// Status is a partner's lifecycle state (key "status"). The gateway decides
// what each state lets a partner do; the package only validates the value.
type Status string

// Partner states.
const (
	// StatusActive is a partner in production.
	StatusActive Status = "active"
	// StatusTesting is a partner being onboarded: its files are processed
	// like an active partner's, and the gateway may mark them as tests.
	StatusTesting Status = "testing"
	// StatusSuspended is a partner whose traffic the gateway refuses.
	StatusSuspended Status = "suspended"
)

// Action is what a duplicate policy does with a duplicate (keys of
// "duplicates"), or a policy with a document that fails its check (key
// "action" of "policies": reject, hold or ActionWarn).
type Action string

// Duplicate actions.
const (
	// ActionReject rejects the duplicate and acknowledges it as rejected.
	ActionReject Action = "reject"
	// ActionHold puts the duplicate in the exception queue for a person.
	ActionHold Action = "hold"
	// ActionAccept processes the duplicate like any other input.
	ActionAccept Action = "accept"
)

// Default values of optional keys.
const (
	// DefaultAck is the default of x12.ack: a 997 for 004010, a 999 for
	// 005010.
	DefaultAck = edi.AckAuto
	// DefaultTA1 is the default of x12.ta1.
	DefaultTA1 = edi.TA1PolicyOnRequest
	// DefaultDuplicateFile is the default of duplicates.file (the same bytes
	// received twice).
	DefaultDuplicateFile = ActionAccept
	// DefaultDuplicateInterchange is the default of duplicates.interchange
	// (the same ISA13 from the same sender).
	DefaultDuplicateInterchange = ActionReject
	// DefaultDuplicateDocument is the default of duplicates.document (the
	// same business key: partner, document type and number).
	DefaultDuplicateDocument = ActionHold
)

// Partner is one trading partner, as described by its YAML file. A Partner
// obtained from a Set is shared by every reader of that Set and must not be
// modified.
type Partner struct {
	// ID is the partner's identifier (key "id", [a-z0-9-]+), unique across
	// the directory. Required.
	ID string
	// Name is the display name (key "name"). Required.
	Name string
	// Status is the lifecycle state (key "status"). Required.
	Status Status
	// X12 is how the partner exchanges X12 (key "x12"). Optional: a partner
	// without it sends no X12.
	X12 X12
	// Channels are the ways the partner reaches the gateway (key
	// "channels").
	Channels Channels
	// Duplicates are the duplicate policies (key "duplicates").
	Duplicates Duplicates
	// CSV are the partner's CSV profiles (key "csv"), in file order, with
	// unique names; flatfile.Match picks one by file name. Empty when the
	// partner sends no CSV.
	CSV []flatfile.Profile
	// Routes are the partner's own delivery routes (key "routes"): for a
	// document one of them matches, they replace the gateway's routes.
	Routes []outbound.Route
	// Policies are the checks run on each of the partner's documents (key
	// "policies"), in file order; see Policies.Evaluate. A duplicate_key
	// entry is not among them: it sets Duplicates.Document.
	Policies Policies
	// SLA are the service levels of the partner's scorecard (key "sla").
	SLA SLA

	// File is the file the partner was read from, as dir joined with the
	// file name.
	File string
	// Line is the line of the partner's "id" key in File.
	Line int
}

// X12 is a partner's X12 settings (key "x12").
type X12 struct {
	// IDs are the interchange sender IDs (ISA05/ISA06) the partner sends
	// from (key "ids"). No two partners may claim the same one.
	IDs []X12ID
	// Accept lists the transaction sets (ST01) accepted from the partner
	// (key "accept"): 850, 856, 940, 945, 997, 999. Default empty: no set is
	// accepted.
	Accept []string
	// Ack is the functional acknowledgment sent back (key "ack"):
	// edi.AckAuto, edi.Ack997, edi.Ack999 or edi.AckNone. Default
	// DefaultAck.
	Ack string
	// TA1 is when a TA1 interchange acknowledgment is sent (key "ta1"):
	// edi.TA1PolicyAlways, edi.TA1PolicyOnRequest or edi.TA1PolicyNever.
	// Default DefaultTA1.
	TA1 string
}

// X12ID is an interchange ID: ISA05 (or ISA07) and ISA06 (or ISA08), without
// their padding.
type X12ID struct {
	// Qualifier is ISA05, such as "ZZ" (mutually defined) or "01" (DUNS).
	Qualifier string
	// ID is ISA06, at most 15 characters.
	ID string
}

// String returns "ZZ/ACMERETAIL".
func (x X12ID) String() string { return x.Qualifier + "/" + x.ID }

// Channels are the ways a partner reaches the gateway (key "channels").
type Channels struct {
	// API is the REST upload channel (key "api"); nil when not configured.
	API *APIChannel
	// SFTP is the partner's account on the gateway's SFTP server (key
	// "sftp"); nil when not configured.
	SFTP *SFTPChannel
	// RemoteSFTP is the partner's own SFTP server, which the gateway polls
	// and pushes to (key "remote_sftp"); nil when not configured.
	RemoteSFTP *RemoteSFTPChannel
	// AS2 is the partner's AS2 identity and certificates (key "as2"); nil
	// when not configured.
	AS2 *AS2Channel
}

// SFTPChannel is a partner's account on the gateway's SFTP server.
type SFTPChannel struct {
	// Username is the login (key "username"), unique across partners.
	Username string
	// AuthorizedKeys are the public keys the partner may log in with (key
	// "authorized_keys", in authorized_keys line format); more than one
	// lets a partner rotate keys.
	AuthorizedKeys []ssh.PublicKey
	// PasswordHash is a bcrypt hash (key "password_hash"); empty when the
	// partner logs in with keys only.
	PasswordHash string
}

// RemoteSFTPChannel is a partner-hosted SFTP server the gateway polls for
// files and pushes the partner's outbox to.
type RemoteSFTPChannel struct {
	Host string // key "host"
	Port int    // key "port", default 22
	// Username is the gateway's login there (key "username").
	Username string
	// PrivateKey is where the gateway's private key for that login is (key
	// "private_key"): "file:PATH", relative to the partner file's folder, or
	// "env:NAME".
	PrivateKey string
	// HostKey is the server's pinned public host key (key "host_key").
	HostKey ssh.PublicKey
	// InboundDir is the remote folder the gateway picks files up from (key
	// "inbound_dir"); OutboundDir the one it delivers to (key
	// "outbound_dir").
	InboundDir, OutboundDir string
	// Pattern selects the files to pick up (key "pattern", a path.Match
	// pattern); default "*".
	Pattern string
	// Schedule is when to poll (key "schedule", a cron expression as
	// robfig/cron/v3 parses it, e.g. "*/5 * * * *" or "@every 30s");
	// default "*/5 * * * *".
	Schedule string
	// ArchiveDir, when set, is the remote folder picked-up files are moved
	// to (key "archive_dir"); when empty they are deleted.
	ArchiveDir string
}

// APIChannel is the REST upload channel: the partner authenticates with
// "Authorization: Bearer <key>".
type APIChannel struct {
	// Keys are the hashes of the partner's API keys (key "keys"); more than
	// one lets a partner rotate keys. At least one.
	Keys []Secret
}

// Duplicates are the partner's duplicate policies (key "duplicates").
type Duplicates struct {
	// File applies to the same bytes received twice (key "file"). Default
	// DefaultDuplicateFile.
	File Action
	// Interchange applies to the same ISA13 from the same sender (key
	// "interchange"). Default DefaultDuplicateInterchange.
	Interchange Action
	// Document applies to the same business document (partner, document
	// type and number) received twice (key "document"). Default
	// DefaultDuplicateDocument.
	Document Action
}

// OwnsSender reports whether the interchange sender qualifier and ID (ISA05,
// ISA06) belong to p. Both are compared after trimming spaces, exactly
// otherwise.
func (p *Partner) OwnsSender(qualifier, id string) bool {
	want := X12ID{Qualifier: strings.TrimSpace(qualifier), ID: strings.TrimSpace(id)}
	return slices.Contains(p.X12.IDs, want)
}

// Accepts reports whether p may send transaction sets of type setID (ST01).
func (p *Partner) Accepts(setID string) bool {
	return slices.Contains(p.X12.Accept, strings.TrimSpace(setID))
}

// AckOpts returns new acknowledgment options for p's files: Type from
// x12.ack (edi.AckNone when "none", which still sends TA1s) and TA1 from
// x12.ta1. The caller fills in Control, Now and the rest.
func (p *Partner) AckOpts() *edi.AckOpts {
	opts := &edi.AckOpts{Type: p.X12.Ack, TA1: p.X12.TA1}
	if opts.Type == "" {
		opts.Type = DefaultAck
	}
	if opts.TA1 == "" {
		opts.TA1 = DefaultTA1
	}
	return opts
}

// SetCheck returns the check for edi.ProcessOpts.SetCheck that rejects the
// sets p may not send: an *edi.SetError with code edi.AK5NotSupported (AK502
// "1", transaction set not supported) on the ST segment.
func (p *Partner) SetCheck() func(*edi.Transaction) error {
	return func(t *edi.Transaction) error {
		if p.Accepts(t.SetID) {
			return nil
		}
		return &edi.SetError{
			Code:     edi.AK5NotSupported,
			Severity: edi.SeverityError,
			Segment:  "ST",
			Position: 1,
			Msg:      fmt.Sprintf("transaction set %q is not accepted from partner %q (x12.accept: %s)", t.SetID, p.ID, acceptList(p.X12.Accept)),
		}
	}
}

func acceptList(sets []string) string {
	if len(sets) == 0 {
		return "none"
	}
	return strings.Join(sets, ", ")
}

// Sets the X12 engine knows, which x12.accept may list.
func knownSet(id string) bool {
	switch id {
	case "850", "856", "940", "945", "997", "999":
		return true
	}
	return false
}
