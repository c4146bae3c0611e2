// Package poller moves files to and from partner-hosted SFTP servers (a
// partner's channels.remote_sftp): on each partner's cron schedule it
// downloads the files waiting in the partner's inbound folder into the
// ingest pipeline, removes each one only after it is committed, and uploads
// the partner's outbox to its outbound folder.
//
// One gateway node polls a partner at a time: a poll holds a PostgreSQL
// advisory lock for the partner and is skipped when another holds it.
//
// A remote file is ingested exactly once, even when the process dies
// between storing a file and removing it from the server. Before a file is
// stored, a claim naming the file (path, size, modification time) and the
// largest file ID committed so far is committed in remote_pickups; after
// Receive commits, the stored file's ID is added to the claim; only then is
// the remote file removed. A later poll that finds the file still on the
// server and a claim for it either knows the stored file from the claim, or
// (when the process died between Receive and recording the ID) finds it
// among the partner's remote_sftp files stored after the claim with the
// same name and size, and compares the SHA-256 of the remote bytes with the
// stored one. Only when neither finds the file is it stored again. Since
// one poll of a partner runs at a time, nothing else stores remote_sftp
// files of that partner between the claim and the check.
//
// A poll that cannot log in to the server (refused, timed out, wrong host
// key, key refused, no SFTP, private key unreadable) returns a
// *ConnectError. It is recorded as the partner's last transfer error, and
// the partner's scheduled polls back off (Config.Backoff) while the other
// partners are polled as usual. The first such failure after a success
// also raises one exception (check CheckUnreachable, severity error,
// action warn, code "dial", "handshake", "host_key", "auth", "sftp" or
// "private_key"), so an outage gives one exception, not one per retry.
// Errors of single files (over MaxBytes, changed while downloaded, not
// removable) are recorded as the last transfer error and do not back off.
//
// Pushing is at least once: a process that dies between uploading an item
// and marking it picked up uploads it again, under the same name, on the
// next poll.
package poller

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// Channel is the channel name of the files the poller stores.
const Channel = "remote_sftp"

// CheckUnreachable is the check name of the exception raised when a
// partner's server cannot be reached or refuses the gateway (severity
// error, action warn).
const CheckUnreachable = "remote_sftp_unreachable"

var (
	// ErrNotPolled is returned by PollNow for a partner that is unknown,
	// has no remote_sftp channel, or is suspended.
	ErrNotPolled = errors.New("poller: the partner is not polled")
	// ErrChanged is returned (wrapped) when a remote file changes while it
	// is downloaded; nothing of it is stored and it is tried again on the
	// next poll.
	ErrChanged = errors.New("poller: the remote file changed while it was downloaded")
)

// PartnerSet gives the partner configuration in force; *partners.Live is
// one.
type PartnerSet interface {
	Current() *partners.Set
}

// Receiver stores a payload and commits it with its processing job;
// *ingest.Pipeline is one.
type Receiver interface {
	Receive(ctx context.Context, rp *ingest.ReceiveParams) (*store.File, error)
}

// Backoff is how long the scheduled polls of a partner whose server cannot
// be reached are skipped: Min after the first failure, doubling after each
// further one up to Max. A successful poll resets it.
type Backoff struct {
	// Min is the first wait. Default 30 seconds.
	Min time.Duration
	// Max is the longest wait. Default 30 minutes.
	Max time.Duration
}

// Config is what a Poller needs. Partners, Store, Pool and Pipeline are
// required.
type Config struct {
	// Partners is the partner configuration; the schedules follow its
	// changes.
	Partners PartnerSet
	Store    *store.Store
	Pool     *pgxpool.Pool
	// Pipeline stores what is downloaded.
	Pipeline Receiver
	// MaxBytes bounds a downloaded file; larger files are left on the
	// server and reported. Default 0: no limit.
	MaxBytes int64
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Now is the clock of the backoff. Default time.Now.
	Now func() time.Time
	// Dial opens the TCP connections to partner servers. Default a
	// net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// DialTimeout bounds connecting and the SSH handshake. Default 30
	// seconds.
	DialTimeout time.Duration
	// PollTimeout bounds one poll of one partner, transfers included.
	// Default 30 minutes.
	PollTimeout time.Duration
	// Backoff applies to partners whose server cannot be reached.
	Backoff Backoff
	// Concurrency is how many partners Run polls at once. Default 4. Each
	// poll holds one pool connection for its lock, and uses others briefly.
	Concurrency int
	// ReloadEvery is how often Run looks for a new partner configuration.
	// Default 1 minute.
	ReloadEvery time.Duration

	// hook, when set, is called at points of a poll tests want to stop at:
	// "received" right after Receive committed a file, "recorded" after
	// the pickup was completed, before the remote file is removed, "removed"
	// after it was removed, before that is recorded.
	hook func(event, remotePath string)
}

func (c *Config) validate() error {
	switch {
	case c.Partners == nil:
		return errors.New("poller: Config.Partners is required")
	case c.Store == nil:
		return errors.New("poller: Config.Store is required")
	case c.Pool == nil:
		return errors.New("poller: Config.Pool is required")
	case c.Pipeline == nil:
		return errors.New("poller: Config.Pipeline is required")
	case c.MaxBytes < 0:
		return fmt.Errorf("poller: Config.MaxBytes is negative (%d)", c.MaxBytes)
	case c.Backoff.Min < 0 || c.Backoff.Max < 0:
		return errors.New("poller: Config.Backoff durations must not be negative")
	}
	return nil
}

func (c *Config) defaults() {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.DialTimeout = or(c.DialTimeout, 30*time.Second)
	if c.Dial == nil {
		d := &net.Dialer{Timeout: c.DialTimeout}
		c.Dial = d.DialContext
	}
	c.PollTimeout = or(c.PollTimeout, 30*time.Minute)
	c.Backoff.Min = or(c.Backoff.Min, 30*time.Second)
	c.Backoff.Max = max(or(c.Backoff.Max, 30*time.Minute), c.Backoff.Min)
	c.Concurrency = or(c.Concurrency, 4)
	c.ReloadEvery = or(c.ReloadEvery, time.Minute)
}

// Poller polls partner-hosted SFTP servers. Its methods are safe for
// concurrent use.
type Poller struct {
	cfg Config
	log *slog.Logger
	sem chan struct{} // Run's concurrency

	mu    sync.Mutex
	state map[string]*partnerState // by partner ID
}

// partnerState is what the Poller remembers of a partner between polls.
type partnerState struct {
	running  bool      // a scheduled poll is running
	failures int       // connection failures in a row
	retryAt  time.Time // scheduled polls before it are skipped
}

// New checks cfg and returns a Poller.
func New(cfg Config) (*Poller, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.defaults()
	return &Poller{cfg: cfg, log: cfg.Logger.With("component", "poller"), sem: make(chan struct{}, cfg.Concurrency),
		state: map[string]*partnerState{}}, nil
}

// PollResult is what one poll of one partner did.
type PollResult struct {
	PartnerID string
	// Skipped is true when another poll of the partner, on this node or
	// another, held its lock; nothing was done.
	Skipped bool
	// Pulled are the files taken from the server, in the order taken.
	Pulled []Pulled
	// Pushed are the outbox items delivered to the server.
	Pushed []Pushed
}

// Pulled is a file taken from a partner's server.
type Pulled struct {
	// RemotePath is where the file was; it is now deleted, or moved to
	// ArchivePath.
	RemotePath  string
	ArchivePath string
	// FileID is the stored file.
	FileID int64
	// Earlier is true when the file was stored by an earlier poll that
	// did not get to remove it; it was not stored again.
	Earlier bool
}

// Pushed is an outbox item delivered to a partner's server.
type Pushed struct {
	OutboxID   int64
	RemotePath string
}

// PollNow polls a partner at once, whatever its schedule and backoff: it
// takes the files waiting on its server and delivers its outbox. The error
// is the poll's: a *ConnectError when the server could not be reached,
// otherwise the errors of single files joined. ErrNotPolled is returned
// for a partner without a remote_sftp channel or suspended.
func (p *Poller) PollNow(ctx context.Context, partnerID string) (*PollResult, error) {
	partner, err := p.partner(partnerID)
	if err != nil {
		return &PollResult{PartnerID: partnerID}, err
	}
	return p.poll(ctx, partner)
}

// partner returns the current configuration of a partner that is polled.
func (p *Poller) partner(id string) (*partners.Partner, error) {
	partner, ok := p.cfg.Partners.Current().ByID(id)
	switch {
	case !ok:
		return nil, fmt.Errorf("%w: no partner %q", ErrNotPolled, id)
	case partner.Channels.RemoteSFTP == nil:
		return nil, fmt.Errorf("%w: partner %q has no remote_sftp channel", ErrNotPolled, id)
	case partner.Status == partners.StatusSuspended:
		return nil, fmt.Errorf("%w: partner %q is suspended", ErrNotPolled, id)
	}
	return partner, nil
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
