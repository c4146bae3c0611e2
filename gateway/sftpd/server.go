package sftpd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/ssh"

	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/lockout"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// Defaults of Config.
const (
	// DefaultMaxUploadBytes is the default of Config.MaxUploadBytes, 100 MiB.
	DefaultMaxUploadBytes = 100 << 20
	// DefaultMaxLoginFailures is the default of Config.MaxLoginFailures.
	DefaultMaxLoginFailures = 5
	// DefaultLoginWindow is the default of Config.LoginWindow.
	DefaultLoginWindow = time.Minute
	// DefaultLockout is the default of Config.Lockout.
	DefaultLockout = 5 * time.Minute
	// DefaultPendingTTL is the default of Config.PendingTTL.
	DefaultPendingTTL = 24 * time.Hour
	// HandshakeTimeout bounds the SSH handshake and authentication of a
	// connection.
	HandshakeTimeout = 30 * time.Second
)

// Config is what a Server needs. Partners, Store, DB, Pipeline and HostKeys
// are required.
type Config struct {
	// Partners is the partner configuration; logins look up the set in
	// force at login time, so a reload applies to the next login.
	Partners *partners.Live
	// Store and DB read outboxes and files and record transfers.
	Store *store.Store
	DB    store.DB
	// Pipeline stores and queues uploaded files.
	Pipeline *ingest.Pipeline
	// HostKeys are the server's host keys (see LoadOrCreateHostKeys).
	HostKeys []ssh.Signer
	// MaxUploadBytes is the largest upload accepted. Default
	// DefaultMaxUploadBytes.
	MaxUploadBytes int64
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Now is the clock of the login limits and of pending uploads. Default
	// time.Now.
	Now func() time.Time
	// SpoolDir holds uploads in progress and uploads under a temporary
	// name. Default os.TempDir().
	SpoolDir string
	// MaxLoginFailures failed logins from one address, or for one user
	// name, within LoginWindow lock that address or name out for Lockout.
	// Defaults DefaultMaxLoginFailures, DefaultLoginWindow, DefaultLockout.
	MaxLoginFailures int
	LoginWindow      time.Duration
	Lockout          time.Duration
	// PendingTTL is how long an upload under a temporary name waits to be
	// renamed before it is discarded. Default DefaultPendingTTL.
	PendingTTL time.Duration
}

// Server is the SFTP server. Serve it on a listener.
type Server struct {
	cfg     Config
	log     *slog.Logger
	ssh     *ssh.ServerConfig
	limiter *lockout.Limiter
	pending *pendingSet
	// streams holds a token for each upload stored while it arrives.
	streams chan struct{}
	// decoy is a bcrypt hash checked when no real one is, so a password
	// login for an unknown user takes as long as one for a known user.
	decoy []byte
}

// New checks cfg, fills in its defaults and returns a Server.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Partners == nil:
		return nil, errors.New("sftpd: Config.Partners is required")
	case cfg.Store == nil || cfg.DB == nil:
		return nil, errors.New("sftpd: Config.Store and Config.DB are required")
	case cfg.Pipeline == nil:
		return nil, errors.New("sftpd: Config.Pipeline is required")
	case len(cfg.HostKeys) == 0:
		return nil, errors.New("sftpd: Config.HostKeys: at least one host key is required")
	case cfg.MaxUploadBytes < 0:
		return nil, errors.New("sftpd: Config.MaxUploadBytes must not be negative")
	}
	cfg = withDefaults(cfg)
	decoy, err := bcrypt.GenerateFromPassword([]byte("decoy"), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("sftpd: %w", err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger.With("component", "sftp"), decoy: decoy,
		limiter: lockout.New(cfg.MaxLoginFailures, cfg.LoginWindow, cfg.Lockout),
		pending: newPendingSet(cfg.PendingTTL), streams: make(chan struct{}, maxStreams)}
	s.ssh = &ssh.ServerConfig{
		PublicKeyCallback: s.publicKeyCallback,
		PasswordCallback:  s.passwordCallback,
		MaxAuthTries:      cfg.MaxLoginFailures + 1,
		ServerVersion:     "SSH-2.0-partnergate",
	}
	for _, k := range cfg.HostKeys {
		s.ssh.AddHostKey(k)
	}
	return s, nil
}

func withDefaults(cfg Config) Config {
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SpoolDir == "" {
		cfg.SpoolDir = os.TempDir()
	}
	if cfg.MaxLoginFailures <= 0 {
		cfg.MaxLoginFailures = DefaultMaxLoginFailures
	}
	if cfg.LoginWindow <= 0 {
		cfg.LoginWindow = DefaultLoginWindow
	}
	if cfg.Lockout <= 0 {
		cfg.Lockout = DefaultLockout
	}
	if cfg.PendingTTL <= 0 {
		cfg.PendingTTL = DefaultPendingTTL
	}
	return cfg
}

// Serve accepts SFTP connections on ln until ctx is done, then closes ln
// and every connection, waits for their handlers and returns nil. Uploads
// cut short by the close are not ingested, and uploads waiting under a
// temporary name are discarded. Any other error is the listener's.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conns := &connSet{m: map[net.Conn]struct{}{}}
	go func() {
		<-ctx.Done()
		ln.Close()
		conns.closeAll()
	}()
	s.log.Info("serving SFTP", "addr", ln.Addr().String())
	var wg sync.WaitGroup
	defer s.pending.clear()
	defer wg.Wait()
	for {
		nc, err := ln.Accept()
		if ctx.Err() != nil {
			if nc != nil {
				nc.Close()
			}
			return nil
		}
		if errors.Is(err, net.ErrClosed) {
			return fmt.Errorf("sftpd: %w", err)
		}
		if err != nil {
			s.log.Warn("accepting an SFTP connection failed", "error", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if !conns.add(nc) {
			nc.Close()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conns.remove(nc)
			s.handleConn(ctx, nc)
		}()
	}
}

// connSet is the open connections of a Serve call.
type connSet struct {
	mu     sync.Mutex
	m      map[net.Conn]struct{}
	closed bool
}

func (c *connSet) add(nc net.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.m[nc] = struct{}{}
	}
	return !c.closed
}

func (c *connSet) remove(nc net.Conn) {
	c.mu.Lock()
	delete(c.m, nc)
	c.mu.Unlock()
}

func (c *connSet) closeAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for nc := range c.m {
		nc.Close()
	}
}

// handleConn runs one SSH connection: the handshake and login, then its
// sessions.
func (s *Server) handleConn(ctx context.Context, nc net.Conn) {
	defer nc.Close()
	ip := remoteIP(nc.RemoteAddr())
	if s.limiter.Blocked(s.cfg.Now(), "ip:"+ip) {
		s.log.Warn("SFTP connection refused: too many failed logins from this address", "remote_ip", ip)
		return
	}
	_ = nc.SetDeadline(time.Now().Add(HandshakeTimeout))
	sc, chans, reqs, err := ssh.NewServerConn(nc, s.ssh)
	if err != nil {
		s.log.Debug("SSH handshake ended", "remote_ip", ip, "error", err)
		return
	}
	defer sc.Close()
	_ = nc.SetDeadline(time.Time{})
	go ssh.DiscardRequests(reqs)
	partnerID := sc.Permissions.Extensions[extPartner]
	log := s.log.With("partner", partnerID, "user", sc.User(), "remote_ip", ip)
	attrs := []any{"method", sc.Permissions.Extensions[extMethod]}
	if fp := sc.Permissions.Extensions[extKey]; fp != "" {
		attrs = append(attrs, "key", fp)
	}
	log.Info("SFTP login", attrs...)
	if err := s.cfg.Store.RecordLogin(ctx, s.cfg.DB, partnerID, "sftp"); err != nil {
		log.Error("recording an SFTP login failed", "error", err)
	}
	var wg sync.WaitGroup
	for nch := range chans {
		if nch.ChannelType() != "session" {
			_ = nch.Reject(ssh.UnknownChannelType, "only SFTP sessions are served")
			continue
		}
		ch, chReqs, err := nch.Accept()
		if err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.session(ctx, partnerID, log, ch, chReqs)
		}()
	}
	wg.Wait()
	log.Info("SFTP logout")
}

func remoteIP(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// session answers a session channel's requests: the "sftp" subsystem is
// served, everything else (shells, commands, terminals) is refused.
func (s *Server) session(ctx context.Context, partnerID string, log *slog.Logger, ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	for req := range reqs {
		ok := req.Type == "subsystem" && isSFTPSubsystem(req.Payload)
		_ = req.Reply(ok, nil)
		if !ok {
			log.Debug("SSH request refused", "type", req.Type)
			continue
		}
		go ssh.DiscardRequests(reqs)
		s.serveSFTP(ctx, partnerID, log, ch)
		return
	}
}

// isSFTPSubsystem reports whether a subsystem request's payload (an SSH
// string) names "sftp".
func isSFTPSubsystem(payload []byte) bool {
	return len(payload) == 8 && payload[0] == 0 && payload[1] == 0 && payload[2] == 0 && payload[3] == 4 &&
		string(payload[4:]) == "sftp"
}

func (s *Server) serveSFTP(ctx context.Context, partnerID string, log *slog.Logger, ch ssh.Channel) {
	h := &handler{s: s, ctx: ctx, partnerID: partnerID, log: log}
	rs := sftp.NewRequestServer(ch, sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h}, sftp.WithRSAllocator())
	err := rs.Serve()
	_ = rs.Close()
	log.Debug("SFTP session ended", "error", err)
}
