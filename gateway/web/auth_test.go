package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	fileID := b.sendWait(t, keyAcme, "po.edi", order(t, 101, "4500012345", "ACMERETAIL"))
	var box struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	b.get(t, "/api/v1/outbox", keyAcme, http.StatusOK, &box)
	if len(box.Items) != 1 {
		t.Fatalf("outbox %+v", box)
	}
	file := fmt.Sprintf("/api/v1/files/%d", fileID)
	item := fmt.Sprintf("/api/v1/outbox/%d", box.Items[0].ID)

	tests := []struct {
		name         string
		method, path string
		header       string // the whole Authorization header; "" for none
		status       int
		code         string // "" for a success
	}{
		{"no header", "GET", "/api/v1/outbox", "", 401, "unauthorized"},
		{"wrong key", "GET", "/api/v1/outbox", "Bearer not-a-key", 401, "unauthorized"},
		{"another scheme", "GET", "/api/v1/outbox", "Basic " + keyAcme, 401, "unauthorized"},
		{"empty bearer", "GET", file, "Bearer ", 401, "unauthorized"},
		{"wrong token on a staff route", "GET", "/api/v1/files", "Bearer tok-nobody", 401, "unauthorized"},
		{"lower-case scheme", "GET", "/api/v1/outbox", "bearer " + keyAcme, 200, ""},
		{"own file", "GET", file, "Bearer " + keyAcme, 200, ""},
		{"another partner's file", "GET", file, "Bearer " + keyGlobex, 404, "not_found"},
		{"another partner's outbox item", "GET", item, "Bearer " + keyGlobex, 404, "not_found"},
		{"another partner's outbox pick-up", "DELETE", item, "Bearer " + keyGlobex, 404, "not_found"},
		{"partner key on files list", "GET", "/api/v1/files", "Bearer " + keyAcme, 403, "forbidden"},
		{"partner key on raw", "GET", file + "/raw", "Bearer " + keyAcme, 403, "forbidden"},
		{"partner key on reprocess", "POST", file + "/reprocess", "Bearer " + keyAcme, 403, "forbidden"},
		{"partner key on documents", "GET", "/api/v1/documents", "Bearer " + keyAcme, 403, "forbidden"},
		{"partner key on partners", "GET", "/api/v1/partners", "Bearer " + keyAcme, 403, "forbidden"},
		{"staff token on inbound", "POST", "/api/v1/inbound", "Bearer " + tokAdmin, 403, "forbidden"},
		{"staff token on outbox", "GET", "/api/v1/outbox", "Bearer " + tokAdmin, 403, "forbidden"},
		{"staff token on outbox item", "GET", item, "Bearer " + tokAdmin, 403, "forbidden"},
		{"staff token on pick-up", "DELETE", item, "Bearer " + tokAdmin, 403, "forbidden"},
		{"viewer reads a file", "GET", file, "Bearer " + tokViewer, 200, ""},
		{"viewer reprocesses", "POST", file + "/reprocess", "Bearer " + tokViewer, 403, "forbidden"},
		{"unknown role reads", "GET", "/api/v1/files", "Bearer " + tokOddRole, 403, "forbidden"},
		{"suspended partner reads", "GET", "/api/v1/outbox", "Bearer " + keyDormant, 403, "forbidden"},
		{"suspended partner sends", "POST", "/api/v1/inbound", "Bearer " + keyDormant, 403, "forbidden"},
	}
	t.Run("cases", func(t *testing.T) { // returns when every parallel case has
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				c := call{method: tt.method, path: tt.path}
				if tt.method == "POST" {
					c.body = strings.NewReader("ISA")
				}
				r := b.doRaw(t, c, tt.header)
				if tt.code == "" {
					r.expect(t, tt.status, nil)
					return
				}
				r.failure(t, tt.status, tt.code)
				if challenge := r.header.Get("WWW-Authenticate"); (tt.status == 401) != strings.HasPrefix(challenge, "Bearer") {
					t.Errorf("status %d with WWW-Authenticate %q", tt.status, challenge)
				}
			})
		}
	})
	t.Run("no file was received from a refused request", func(t *testing.T) {
		var files struct {
			Items []any `json:"items"`
		}
		b.get(t, "/api/v1/files", tokViewer, http.StatusOK, &files)
		if len(files.Items) != 1 {
			t.Errorf("%d files", len(files.Items))
		}
	})
}

// doRaw is do with the Authorization header given whole.
func (b *testBundle) doRaw(t *testing.T, c call, authorization string) *reply {
	t.Helper()
	if authorization != "" {
		c.header = map[string]string{"Authorization": authorization}
	}
	return b.do(t, c)
}

// TestLockout: after 20 unknown secrets within a minute an address gets
// 429, even with a good key, instead of more guesses.
func TestLockout(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	for i := range 20 {
		b.do(t, call{method: "GET", path: "/api/v1/outbox", secret: fmt.Sprintf("guess-%d", i)}).failure(t, 401, "unauthorized")
	}
	r := b.do(t, call{method: "GET", path: "/api/v1/outbox", secret: keyAcme})
	msg := r.failure(t, 429, "too_many_failures")
	if r.header.Get("Retry-After") != "300" || !strings.Contains(msg, "unknown secrets from this address") {
		t.Errorf("Retry-After %q, message %q", r.header.Get("Retry-After"), msg)
	}
	if !strings.Contains(b.logs.String(), "address locked out") {
		t.Error("the lockout is not logged")
	}
}
