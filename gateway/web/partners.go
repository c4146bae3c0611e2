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
	API *apiChannelJSON `json:"api,omitempty"`
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
	Files partnerFilesJSON `json:"files"`
}

type partnerFilesJSON struct {
	Total          int64            `json:"total"`
	ByStatus       map[string]int64 `json:"by_status"`
	LastReceivedAt *time.Time       `json:"last_received_at"`
}

// getPartner is GET /api/v1/partners/{id}: one partner and its files'
// counts.
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
	return ok(partnerDetail{partnerJSON: newPartnerJSON(p),
		Files: partnerFilesJSON{Total: pf.Total, ByStatus: byStatus, LastReceivedAt: pf.LastReceivedAt}}), nil
}
