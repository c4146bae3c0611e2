package web_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/store"
)

func TestFileViews(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	good := b.sendWait(t, keyAcme, "good.edi", order(t, 301, "PO-301", "ACMERETAIL"))
	broken := strings.Replace(order(t, 302, "PO-302", "ACMERETAIL"), "BEG*00*", "BEG*99*", 1)
	bad := b.sendWait(t, keyAcme, "bad.edi", broken)

	tests := []struct {
		name        string
		id          int64
		secret      string
		status      string
		staffFields bool
		docs, exc   int
		errCode     bool // the one set carries an error with a code
	}{
		{"partner, accepted", good, keyAcme, "accepted", false, 0, 0, false},
		{"partner, rejected", bad, keyAcme, "rejected", false, 0, 0, true},
		{"staff, accepted", good, tokViewer, "accepted", true, 1, 0, false},
		{"staff, rejected", bad, tokAdmin, "rejected", true, 0, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var f fileView
			var raw map[string]json.RawMessage
			r := b.get(t, fmt.Sprintf("/api/v1/files/%d", tt.id), tt.secret, http.StatusOK, &f)
			_ = json.Unmarshal(r.body, &raw)
			_, hasDocs := raw["documents"]
			_, hasExc := raw["exceptions"]
			if f.Status != tt.status || hasDocs != tt.staffFields || hasExc != tt.staffFields {
				t.Fatalf("status %s, documents shown %v, exceptions shown %v", f.Status, hasDocs, hasExc)
			}
			if len(f.Documents) != tt.docs || len(f.Exceptions) != tt.exc || len(f.Transactions) != 1 || len(f.Acks) != 1 {
				t.Fatalf("documents %+v, exceptions %+v, transactions %+v, acks %+v", f.Documents, f.Exceptions, f.Transactions, f.Acks)
			}
			errs := f.Transactions[0].Errors
			if tt.errCode && (len(errs) == 0 || errs[0].Code == "" || errs[0].Segment != "BEG" || errs[0].Position == 0) {
				t.Errorf("errors of a rejected set %+v", errs)
			}
			if !tt.errCode && len(errs) != 0 {
				t.Errorf("errors of an accepted set %+v", errs)
			}
			if tt.docs == 1 && (f.Documents[0].Number != "PO-301" || f.Documents[0].Status != "accepted") {
				t.Errorf("documents %+v", f.Documents)
			}
			if tt.exc == 1 && (f.Exceptions[0].Check != "x12_validation" || f.Exceptions[0].Action != "reject") {
				t.Errorf("exceptions %+v", f.Exceptions)
			}
		})
	}
	t.Run("unknown and malformed IDs", func(t *testing.T) {
		t.Parallel()
		b.do(t, call{method: "GET", path: "/api/v1/files/999999", secret: tokViewer}).failure(t, 404, "not_found")
		b.do(t, call{method: "GET", path: "/api/v1/files/0", secret: tokViewer}).failure(t, 400, "bad_request")
		msg := b.do(t, call{method: "GET", path: "/api/v1/files/abc", secret: keyAcme}).failure(t, 400, "bad_request")
		if !strings.HasPrefix(msg, "id:") {
			t.Errorf("message %q does not name the parameter", msg)
		}
	})
}

type fileList struct {
	Items      []fileView `json:"items"`
	NextCursor string     `json:"next_cursor"`
}

func TestFilesList(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	var acme []int64
	for i := range 3 {
		acme = append(acme, b.sendWait(t, keyAcme, "po.edi", order(t, 401+i, fmt.Sprintf("PO-%d", i), "ACMERETAIL")))
	}
	globex := b.sendWait(t, keyGlobex, "po.edi", order(t, 401, "PO-G", "GLOBEX"))
	junk := b.sendWait(t, keyGlobex, "junk.txt", "not X12 at all")

	tests := []struct {
		query string
		want  []int64 // newest first
	}{
		{"", []int64{junk, globex, acme[2], acme[1], acme[0]}},
		{"?partner=acme-retail", []int64{acme[2], acme[1], acme[0]}},
		{"?partner=globex&status=accepted", []int64{globex}},
		{"?status=rejected", []int64{junk}},
		{"?partner=nobody", nil},
	}
	for _, tt := range tests {
		for _, limit := range []int{1, 2, 100} {
			t.Run(fmt.Sprintf("%s limit %d", tt.query, limit), func(t *testing.T) {
				t.Parallel()
				got := pageFiles(t, b, tt.query, limit)
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}
	}
	bad := []struct{ query, param string }{
		{"?status=done", "status"},
		{"?limit=0", "limit"},
		{"?limit=501", "limit"},
		{"?limit=ten", "limit"},
		{"?cursor=not*base64", "cursor"},
		{"?cursor=LTE", "cursor"}, // "-1"
		{"?cursor=MDE", "cursor"}, // "01"
	}
	for _, tt := range bad {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			msg := b.do(t, call{method: "GET", path: "/api/v1/files" + tt.query, secret: tokViewer}).failure(t, 400, "bad_request")
			if !strings.HasPrefix(msg, tt.param+":") {
				t.Errorf("message %q does not name %s", msg, tt.param)
			}
		})
	}
}

// pageFiles lists files page by page and returns their IDs.
func pageFiles(t *testing.T, b *testBundle, query string, limit int) []int64 {
	t.Helper()
	sep := "?"
	if query != "" {
		sep = "&"
	}
	var ids []int64
	cursor := ""
	for pages := 1; ; pages++ {
		var l fileList
		b.get(t, fmt.Sprintf("/api/v1/files%s%slimit=%d&cursor=%s", query, sep, limit, cursor), tokViewer, http.StatusOK, &l)
		if len(l.Items) > limit || (l.NextCursor != "" && len(l.Items) != limit) {
			t.Fatalf("page %d: %d items, next_cursor %q", pages, len(l.Items), l.NextCursor)
		}
		if pages > 1 && len(l.Items) == 0 {
			t.Fatalf("page %d: next_cursor led to an empty page", pages)
		}
		for _, f := range l.Items {
			ids = append(ids, f.ID)
		}
		if cursor = l.NextCursor; cursor == "" {
			return ids
		}
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
}

func TestRawFile(t *testing.T) {
	t.Parallel()
	b := setup(t, &setupOpts{maxUpload: 4 << 20})
	data := make([]byte, 3<<20/2) // more than one stored chunk
	_, _ = rand.Read(data)
	id := b.sendWait(t, keyAcme, "noise.bin", string(data))
	for _, secret := range []string{tokViewer, tokAdmin} {
		r := b.do(t, call{method: "GET", path: fmt.Sprintf("/api/v1/files/%d/raw", id), secret: secret})
		r.expect(t, http.StatusOK, nil)
		if !bytes.Equal(r.body, data) {
			t.Fatalf("raw: %d bytes, want the %d sent", len(r.body), len(data))
		}
		if ct := r.header.Get("Content-Type"); ct != "application/octet-stream" {
			t.Errorf("Content-Type %q", ct)
		}
		if _, params, _ := mime.ParseMediaType(r.header.Get("Content-Disposition")); params["filename"] != "noise.bin" {
			t.Errorf("Content-Disposition %q", r.header.Get("Content-Disposition"))
		}
	}
	b.do(t, call{method: "GET", path: "/api/v1/files/999999/raw", secret: tokViewer}).failure(t, 404, "not_found")
}

func TestReprocess(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	id := b.sendWait(t, keyAcme, "po.edi", order(t, 501, "PO-501", "ACMERETAIL"))
	path := fmt.Sprintf("/api/v1/files/%d/reprocess", id)
	var f *store.File
	for i, secret := range []string{tokOnboard, tokAdmin} {
		var rc receipt
		b.do(t, call{method: "POST", path: path, secret: secret}).expect(t, http.StatusAccepted, &rc)
		if rc.FileID != id || rc.Status != "queued" {
			t.Fatalf("receipt %+v", rc)
		}
		f = b.env.WaitProcessed(t, id, i+2)
	}
	var view fileView
	b.get(t, fmt.Sprintf("/api/v1/files/%d", id), tokViewer, http.StatusOK, &view)
	if view.Runs != f.Runs || view.Runs < 3 || view.Status != "accepted" || len(view.Documents) != 1 {
		t.Errorf("after reprocessing: runs %d, status %s, documents %+v", view.Runs, view.Status, view.Documents)
	}
	b.do(t, call{method: "POST", path: "/api/v1/files/999999/reprocess", secret: tokAdmin}).failure(t, 404, "not_found")
	b.do(t, call{method: "POST", path: "/api/v1/files/x/reprocess", secret: tokAdmin}).failure(t, 400, "bad_request")
	b.do(t, call{method: "POST", path: path, secret: tokViewer}).failure(t, 403, "forbidden")
	if lines := b.logLines(t, "reprocessing queued"); len(lines) != 2 {
		t.Errorf("%d reprocessing log lines", len(lines))
	}
}
