package ui

import (
	"cmp"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// certificateWarning is how long before expiry a certificate is flagged, as
// in the API.
const certificateWarning = 30 * 24 * time.Hour

// count is a name and a number, for the by-check and by-code tables.
type count struct {
	Name string
	N    int64
}

func sortedCounts(m map[string]int64) []count {
	out := make([]count, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, count{k, m[k]})
	}
	slices.SortStableFunc(out, func(a, b count) int { return cmp.Compare(b.N, a.N) })
	return out
}

type certificate struct {
	Subject, Serial string
	NotAfter        time.Time
	Expired         bool
	Expiring        bool
}

type channelRow struct {
	Name   string
	Detail string
}

type partnerPage struct {
	P          *partners.Partner
	IDs        string
	Accept     string
	Ack        string
	Window     string
	Windows    []string
	Card       *store.Scorecard
	ByCheck    []count
	ByCode     []count
	Files      []*store.File
	FileCounts *store.PartnerFiles
	Statuses   []count
	Open       []*store.Exception
	OpenLink   string
	Transfers  *store.TransferStatus
	Channels   []channelRow
	Certs      []certificate
	HasSLA     bool
	SLA        partners.SLA
}

// partner is GET /ui/partners/{id}?w=: the partner's scorecard, trend,
// recent files, open exceptions and channel health.
func (h *dash) partner(r *http.Request) (*view, error) {
	id := chi.URLParam(r, "id")
	p, found := h.d.Partners.Current().ByID(id)
	if !found {
		return nil, notFound("There is no partner %s in the configuration in force.", truncate(id, 64))
	}
	wname, window, err := readWindow(r.URL.Query())
	if err != nil {
		return nil, err
	}
	ctx, st, db := r.Context(), h.d.Store, h.d.DB
	now := h.d.Now()
	page := &partnerPage{P: p, Window: wname, SLA: p.SLA, HasSLA: !p.SLA.IsZero(),
		OpenLink: "/ui/exceptions?" + url.Values{"partner": {p.ID}, "status": {store.ExceptionOpen}}.Encode()}
	for _, w := range windows {
		page.Windows = append(page.Windows, w.Name)
	}
	var ids []string
	for _, x := range p.X12.IDs {
		ids = append(ids, x.String())
	}
	page.IDs, page.Accept = strings.Join(ids, ", "), strings.Join(p.X12.Accept, ", ")
	opts := p.AckOpts()
	page.Ack = opts.Type + ", TA1 " + opts.TA1
	if page.Card, err = st.Scorecard(ctx, db, p.ID, window, now, h.sla); err != nil {
		return nil, err
	}
	page.ByCheck, page.ByCode = sortedCounts(page.Card.ByCheck), sortedCounts(page.Card.ByCode)
	if page.Files, err = st.ListFiles(ctx, db, &store.ListFilesParams{PartnerID: p.ID, Limit: 20}); err != nil {
		return nil, err
	}
	if page.FileCounts, err = st.CountPartnerFiles(ctx, db, p.ID); err != nil {
		return nil, err
	}
	for _, s := range []string{store.FileReceived, store.FileAccepted, store.FilePartiallyAccepted, store.FileRejected, store.FileDuplicate} {
		page.Statuses = append(page.Statuses, count{s, page.FileCounts.ByStatus[s]})
	}
	page.Open, err = st.ListExceptions(ctx, db, &store.ListExceptionsParams{
		ExceptionFilter: store.ExceptionFilter{PartnerID: p.ID, Status: store.ExceptionOpen}, Limit: 50})
	if err != nil {
		return nil, err
	}
	if page.Transfers, err = st.Transfers(ctx, db, p.ID); err != nil {
		return nil, err
	}
	page.Channels, page.Certs = channels(p, now)
	return &view{name: "partner", title: p.Name, data: page}, nil
}

// channels describes a partner's channels, without their secrets, and its
// AS2 certificates.
func channels(p *partners.Partner, now time.Time) ([]channelRow, []certificate) {
	var rows []channelRow
	var certs []certificate
	c := p.Channels
	if c.API != nil {
		rows = append(rows, channelRow{"REST API", plural(len(c.API.Keys), "key")})
	}
	if c.SFTP != nil {
		d := "user " + c.SFTP.Username + ", " + plural(len(c.SFTP.AuthorizedKeys), "key")
		if c.SFTP.PasswordHash != "" {
			d += ", password"
		}
		rows = append(rows, channelRow{"SFTP (our server)", d})
	}
	if c.RemoteSFTP != nil {
		r := c.RemoteSFTP
		rows = append(rows, channelRow{"SFTP (partner's server)", r.Username + "@" + r.Host + ", picks up " +
			r.InboundDir + "/" + r.Pattern + " on " + r.Schedule})
	}
	if c.AS2 != nil {
		d := "AS2 ID " + c.AS2.AS2ID
		if c.AS2.URL != "" {
			d += ", sends to " + c.AS2.URL
		}
		rows = append(rows, channelRow{"AS2", d})
		for _, cert := range c.AS2.Certificates {
			certs = append(certs, certificate{Subject: cert.Subject.String(), Serial: cert.SerialNumber.String(),
				NotAfter: cert.NotAfter, Expired: now.After(cert.NotAfter),
				Expiring: now.Add(certificateWarning).After(cert.NotAfter)})
		}
	}
	return rows, certs
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(int64(n)) + " " + what + "s"
}
