package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/gatewaytest"
)

type partnerView struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	X12    struct {
		IDs []struct {
			Qualifier string `json:"qualifier"`
			ID        string `json:"id"`
		} `json:"ids"`
		Accept []string `json:"accept"`
		Ack    string   `json:"ack"`
		TA1    string   `json:"ta1"`
	} `json:"x12"`
	Channels struct {
		API *struct {
			Keys int `json:"keys"`
		} `json:"api"`
	} `json:"channels"`
	Duplicates map[string]string `json:"duplicates"`
	File       string            `json:"file"`
	Line       int               `json:"line"`
	Files      *struct {
		Total          int64            `json:"total"`
		ByStatus       map[string]int64 `json:"by_status"`
		LastReceivedAt *time.Time       `json:"last_received_at"`
	} `json:"files"`
}

type configView struct {
	OK          bool      `json:"ok"`
	Version     string    `json:"version"`
	Partners    int       `json:"partners"`
	LoadedAt    time.Time `json:"loaded_at"`
	LastAttempt time.Time `json:"last_attempt"`
	LastError   string    `json:"last_error"`
	Problems    []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"problems"`
	Reloads  int `json:"reloads"`
	Failures int `json:"failures"`
}

type partnerList struct {
	Items      []partnerView `json:"items"`
	NextCursor string        `json:"next_cursor"`
	Config     configView    `json:"config"`
}

func TestPartners(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	var l partnerList
	r := b.get(t, "/api/v1/partners", tokViewer, http.StatusOK, &l)
	if strings.Contains(string(r.body), "sha256") {
		t.Errorf("the partner list shows key hashes: %s", r.body)
	}
	var ids []string
	for _, p := range l.Items {
		ids = append(ids, p.ID+"/"+p.Status)
	}
	if fmt.Sprint(ids) != "[acme-retail/active dormant/suspended globex/active]" || l.NextCursor != "" {
		t.Fatalf("partners %v, next_cursor %q", ids, l.NextCursor)
	}
	acme := l.Items[0]
	if acme.Name != "acme-retail" || len(acme.X12.IDs) != 1 || acme.X12.IDs[0].Qualifier != "ZZ" || acme.X12.IDs[0].ID != "ACMERETAIL" ||
		fmt.Sprint(acme.X12.Accept) != "[850 856]" || acme.X12.Ack != "auto" || acme.X12.TA1 != "on_request" ||
		acme.Channels.API == nil || acme.Channels.API.Keys != 1 || acme.Duplicates["interchange"] != "reject" ||
		filepath.Base(acme.File) != "acme-retail.yaml" || acme.Line != 1 {
		t.Errorf("acme-retail %+v", acme)
	}
	c := l.Config
	if !c.OK || c.Version == "" || c.Partners != 3 || c.LastError != "" || len(c.Problems) != 0 || c.Reloads != 1 ||
		c.Failures != 0 || c.LoadedAt.IsZero() {
		t.Errorf("config %+v", c)
	}

	b.sendWait(t, keyAcme, "po.edi", order(t, 701, "PO-701", "ACMERETAIL"))
	b.sendWait(t, keyAcme, "junk.txt", "junk")
	var p partnerView
	b.get(t, "/api/v1/partners/acme-retail", tokViewer, http.StatusOK, &p)
	if p.ID != "acme-retail" || p.Files == nil || p.Files.Total != 2 || p.Files.ByStatus["accepted"] != 1 ||
		p.Files.ByStatus["rejected"] != 1 || len(p.Files.ByStatus) != 5 || p.Files.LastReceivedAt == nil {
		t.Errorf("acme-retail %+v, files %+v", p, p.Files)
	}
	b.get(t, "/api/v1/partners/globex", tokViewer, http.StatusOK, &p)
	if p.Files.Total != 0 || p.Files.LastReceivedAt != nil {
		t.Errorf("globex files %+v", p.Files)
	}
	b.do(t, call{method: "GET", path: "/api/v1/partners/nobody", secret: tokViewer}).failure(t, 404, "not_found")
}

// TestPartnersBadEdit breaks the partner configuration: the API and the
// metrics report it while traffic goes on under the last good version.
func TestPartnersBadEdit(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	var before partnerList
	b.get(t, "/api/v1/partners", tokAdmin, http.StatusOK, &before)
	broken := filepath.Join(b.env.PartnersDir, "zeta.yaml")
	b.writeBroken(t, broken)

	var after partnerList
	b.get(t, "/api/v1/partners", tokAdmin, http.StatusOK, &after)
	c := after.Config
	if c.OK || c.LastError == "" || c.Failures != 1 || c.Version != before.Config.Version || len(after.Items) != 3 {
		t.Fatalf("config after a bad edit %+v, %d partners", c, len(after.Items))
	}
	if len(c.Problems) == 0 || c.Problems[0].File != broken || c.Problems[0].Line != 3 || c.Problems[0].Message == "" {
		t.Errorf("problems %+v", c.Problems)
	}
	metrics := string(b.do(t, call{method: "GET", path: "/metrics"}).body)
	for _, want := range []string{"partnergate_partner_config_ok 0", "partnergate_partner_config_reload_failures_total 1",
		"partnergate_partners 3"} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
	b.sendWait(t, keyAcme, "po.edi", order(t, 801, "PO-801", "ACMERETAIL")) // traffic goes on
}

func (b *testBundle) writeBroken(t *testing.T, name string) {
	t.Helper()
	body := "id: zeta\nname: Zeta\nstatus: retired\n"
	gatewaytest.WriteFile(t, name, body)
	if err := b.env.App.Partners.Reload(); err == nil {
		t.Fatal("a broken partner file reloaded")
	}
}

type transfersView struct {
	LastLoginAt      *time.Time `json:"last_login_at"`
	LastLoginChannel string     `json:"last_login_channel"`
	LastPollAt       *time.Time `json:"last_poll_at"`
	FilesIn          int64      `json:"files_in"`
	FilesOut         int64      `json:"files_out"`
	LastError        string     `json:"last_error"`
	LastErrorAt      *time.Time `json:"last_error_at"`
}

// TestPartnerTransfers reads a partner's transfer status and its SFTP
// channels, which show no key, hash or key location.
func TestPartnerTransfers(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx, st, db := context.Background(), b.env.App.Store, b.env.App.Pool
	if err := st.RecordLogin(ctx, db, "acme-retail", "sftp"); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordFilesMoved(ctx, db, "acme-retail", 3, 2); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordPoll(ctx, db, "acme-retail", errors.New("dial tcp: connection refused")); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Transfers *transfersView `json:"transfers"`
	}
	r := b.get(t, "/api/v1/partners/acme-retail", tokViewer, http.StatusOK, &got)
	tr := got.Transfers
	if tr == nil || tr.LastLoginAt == nil || tr.LastLoginChannel != "sftp" || tr.LastPollAt == nil || tr.FilesIn != 3 ||
		tr.FilesOut != 2 || tr.LastError != "dial tcp: connection refused" || tr.LastErrorAt == nil {
		t.Errorf("transfers %+v in %s", tr, r.body)
	}
	r = b.get(t, "/api/v1/partners/globex", tokViewer, http.StatusOK, &got)
	for _, want := range []string{`"last_login_at":null`, `"last_login_channel":""`, `"last_poll_at":null`, `"files_in":0`,
		`"files_out":0`, `"last_error":""`, `"last_error_at":null`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("globex lacks %s: %s", want, r.body)
		}
	}

	yaml := gatewaytest.Partner{ID: "globex", Sender: "GLOBEX"}.YAML() + `  sftp:
    username: globex
    authorized_keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFcYG2qi4t0Hq8ERjFdGArLh0L4WVq6XT8GF6UmwxVuc globex"]
    password_hash: "$2a$04$2x3ol0QtL7DGVx1XZJlBce7nY1vFMJnYUX2sY2cCrr2hi6WWxRsdW"
  remote_sftp:
    host: sftp.globex.example
    username: northwind
    private_key: "file:keys/globex_id"
    host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFcYG2qi4t0Hq8ERjFdGArLh0L4WVq6XT8GF6UmwxVuc host"
    inbound_dir: /out
    outbound_dir: /in
`
	gatewaytest.WriteFile(t, filepath.Join(b.env.PartnersDir, "globex.yaml"), yaml)
	if err := b.env.App.Partners.Reload(); err != nil {
		t.Fatal(err)
	}
	r = b.get(t, "/api/v1/partners/globex", tokViewer, http.StatusOK, nil)
	for _, want := range []string{`"sftp":{"username":"globex","keys":1,"password":true}`,
		`"remote_sftp":{"host":"sftp.globex.example","port":22,"username":"northwind","inbound_dir":"/out","outbound_dir":"/in","pattern":"*","schedule":"*/5 * * * *","archive_dir":""}`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("globex lacks %s: %s", want, r.body)
		}
	}
	for _, secret := range []string{"AAAAC3Nza", "$2a$", "keys/globex_id"} {
		if strings.Contains(string(r.body), secret) {
			t.Errorf("the partner shows %s", secret)
		}
	}
}
