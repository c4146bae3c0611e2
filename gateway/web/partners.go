package web

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// partnerJSON is a partner's configuration without its secrets.
type partnerJSON struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Status     string         `json:"status"`
	X12        x12JSON        `json:"x12"`
	Channels   channelsJSON   `json:"channels"`
	Duplicates duplicatesJSON `json:"duplicates"`
	File       string         `json:"file"`
	Line       int            `json:"line"`
}

type x12JSON struct {
	IDs    []x12IDJSON `json:"ids"`
	Accept []string    `json:"accept"`
	Ack    string      `json:"ack"`
	TA1    string      `json:"ta1"`
}

type x12IDJSON struct {
	Qualifier string `json:"qualifier"`
	ID        string `json:"id"`
}

type channelsJSON struct {
	API        *apiChannelJSON        `json:"api,omitempty"`
	SFTP       *sftpChannelJSON       `json:"sftp,omitempty"`
	RemoteSFTP *remoteSFTPChannelJSON `json:"remote_sftp,omitempty"`
	AS2        *as2ChannelJSON        `json:"as2,omitempty"`
}

// as2ChannelJSON is the partner's AS2 setup with its certificates' expiry.
type as2ChannelJSON struct {
	AS2ID            string            `json:"as2_id"`
	URL              string            `json:"url,omitempty"`
	RequireSigned    bool              `json:"require_signed"`
	RequireEncrypted bool              `json:"require_encrypted"`
	Certificates     []certificateJSON `json:"certificates"`
}

// certificateJSON is one certificate; Expiring is true within
// certificateWarning of NotAfter, and after it.
type certificateJSON struct {
	Subject  string    `json:"subject"`
	Serial   string    `json:"serial"`
	NotAfter time.Time `json:"not_after"`
	Expiring bool      `json:"expiring"`
}

// certificateWarning is how long before expiry a certificate is flagged.
const certificateWarning = 30 * 24 * time.Hour

func as2JSON(c *partners.AS2Channel, now time.Time) *as2ChannelJSON {
	out := &as2ChannelJSON{AS2ID: c.AS2ID, URL: c.URL, RequireSigned: c.RequireSigned, RequireEncrypted: c.RequireEncrypted,
		Certificates: []certificateJSON{}}
	for _, cert := range c.Certificates {
		out.Certificates = append(out.Certificates, certificateJSON{Subject: cert.Subject.String(),
			Serial: cert.SerialNumber.String(), NotAfter: cert.NotAfter,
			Expiring: now.Add(certificateWarning).After(cert.NotAfter)})
	}
	return out
}

// sftpChannelJSON is a partner's account on our SFTP server: how many keys
// and whether a password is set, never which.
type sftpChannelJSON struct {
	Username string `json:"username"`
	Keys     int    `json:"keys"`
	Password bool   `json:"password"`
}

// remoteSFTPChannelJSON is the partner's server the gateway polls, without
// where the gateway's private key is.
type remoteSFTPChannelJSON struct {
	Host        string `json:"host"`
	Port        int    `json:"port"`
	Username    string `json:"username"`
	InboundDir  string `json:"inbound_dir"`
	OutboundDir string `json:"outbound_dir"`
	Pattern     string `json:"pattern"`
	Schedule    string `json:"schedule"`
	ArchiveDir  string `json:"archive_dir"`
}

// apiChannelJSON says how many keys a partner has, never which.
type apiChannelJSON struct {
	Keys int `json:"keys"`
}

type duplicatesJSON struct {
	File        string `json:"file"`
	Interchange string `json:"interchange"`
	Document    string `json:"document"`
}

func newPartnerJSON(p *partners.Partner) partnerJSON {
	opts := p.AckOpts() // the ack settings with their defaults
	out := partnerJSON{ID: p.ID, Name: p.Name, Status: string(p.Status), File: p.File, Line: p.Line,
		X12: x12JSON{IDs: make([]x12IDJSON, 0, len(p.X12.IDs)), Accept: nonNil(p.X12.Accept), Ack: opts.Type, TA1: opts.TA1},
		Duplicates: duplicatesJSON{File: string(p.Duplicates.File), Interchange: string(p.Duplicates.Interchange),
			Document: string(p.Duplicates.Document)}}
	for _, id := range p.X12.IDs {
		out.X12.IDs = append(out.X12.IDs, x12IDJSON{Qualifier: id.Qualifier, ID: id.ID})
	}
	if p.Channels.API != nil {
		out.Channels.API = &apiChannelJSON{Keys: len(p.Channels.API.Keys)}
	}
	if c := p.Channels.SFTP; c != nil {
		out.Channels.SFTP = &sftpChannelJSON{Username: c.Username, Keys: len(c.AuthorizedKeys), Password: c.PasswordHash != ""}
	}
	if c := p.Channels.RemoteSFTP; c != nil {
		out.Channels.RemoteSFTP = &remoteSFTPChannelJSON{Host: c.Host, Port: c.Port, Username: c.Username,
			InboundDir: c.InboundDir, OutboundDir: c.OutboundDir, Pattern: c.Pattern, Schedule: c.Schedule, ArchiveDir: c.ArchiveDir}
	}
	if c := p.Channels.AS2; c != nil {
		out.Channels.AS2 = as2JSON(c, time.Now())
	}
	return out
}

// configJSON is the state of the partner configuration: the version in
// force and how the last reload went. A bad edit shows in last_error and
// problems while the last good version stays in force.
type configJSON struct {
	OK          bool          `json:"ok"`
	Version     string        `json:"version"`
	Partners    int           `json:"partners"`
	LoadedAt    time.Time     `json:"loaded_at"`
	LastAttempt time.Time     `json:"last_attempt"`
	LastError   string        `json:"last_error"`
	Problems    []problemJSON `json:"problems"`
	Reloads     int           `json:"reloads"`
	Failures    int           `json:"failures"`
	Watching    bool          `json:"watching"`
}

type problemJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func newConfigJSON(st partners.LiveStatus) configJSON {
	c := configJSON{OK: st.LastError == "", Version: st.Version, Partners: st.Partners, LoadedAt: st.LoadedAt,
		LastAttempt: st.LastAttempt, LastError: st.LastError, Problems: make([]problemJSON, 0, len(st.Problems)),
		Reloads: st.Reloads, Failures: st.Failures, Watching: st.Watching}
	for _, p := range st.Problems {
		c.Problems = append(c.Problems, problemJSON{File: p.File, Line: p.Line, Field: p.Field, Message: p.Msg})
	}
	return c
}

type partnerList struct {
	list[partnerJSON]
	Config configJSON `json:"config"`
}

// listPartners is GET /api/v1/partners: every partner of the configuration
// in force, by ID, and the state of the configuration. It is one page.
func (a *api) listPartners(*http.Request) (*result, error) {
	all := a.d.Partners.Current().All()
	out := partnerList{list: list[partnerJSON]{Items: make([]partnerJSON, 0, len(all))},
		Config: newConfigJSON(a.d.Partners.Status())}
	for _, p := range all {
		out.Items = append(out.Items, newPartnerJSON(p))
	}
	return ok(out), nil
}

type partnerDetail struct {
	partnerJSON
	Files     partnerFilesJSON `json:"files"`
	Transfers transfersJSON    `json:"transfers"`
}

// transfersJSON is how a partner's file transfers (SFTP logins, polls of
// its server, files moved) went.
type transfersJSON struct {
	LastLoginAt      *time.Time `json:"last_login_at"`
	LastLoginChannel string     `json:"last_login_channel"`
	LastPollAt       *time.Time `json:"last_poll_at"`
	FilesIn          int64      `json:"files_in"`
	FilesOut         int64      `json:"files_out"`
	LastError        string     `json:"last_error"`
	LastErrorAt      *time.Time `json:"last_error_at"`
}

func newTransfersJSON(t *store.TransferStatus) transfersJSON {
	return transfersJSON{LastLoginAt: t.LastLoginAt, LastLoginChannel: t.LastLoginChannel, LastPollAt: t.LastPollAt,
		FilesIn: t.FilesIn, FilesOut: t.FilesOut, LastError: t.LastError, LastErrorAt: t.LastErrorAt}
}

type partnerFilesJSON struct {
	Total          int64            `json:"total"`
	ByStatus       map[string]int64 `json:"by_status"`
	LastReceivedAt *time.Time       `json:"last_received_at"`
}

// getPartner is GET /api/v1/partners/{id}: one partner, its files' counts
// and its transfer status.
func (a *api) getPartner(r *http.Request) (*result, error) {
	id := chi.URLParam(r, "id")
	p, found := a.d.Partners.Current().ByID(id)
	if !found {
		return nil, &apiError{status: http.StatusNotFound, code: codeNotFound, msg: "partner " + truncateUTF8(id, 64) + " not found"}
	}
	pf, err := a.d.Store.CountPartnerFiles(r.Context(), a.d.DB, p.ID)
	if err != nil {
		return nil, err
	}
	byStatus := map[string]int64{}
	for _, s := range []string{store.FileReceived, store.FileAccepted, store.FilePartiallyAccepted, store.FileRejected, store.FileDuplicate} {
		byStatus[s] = pf.ByStatus[s]
	}
	ts, err := a.d.Store.Transfers(r.Context(), a.d.DB, p.ID)
	if err != nil {
		return nil, err
	}
	return ok(partnerDetail{partnerJSON: newPartnerJSON(p),
		Files:     partnerFilesJSON{Total: pf.Total, ByStatus: byStatus, LastReceivedAt: pf.LastReceivedAt},
		Transfers: newTransfersJSON(ts)}), nil
}
