package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

type outboxItem struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Type      string    `json:"type"`
	Filename  string    `json:"filename"`
	Size      int       `json:"size"`
	CreatedAt time.Time `json:"created_at"`
}

type outboxList struct {
	Items      []outboxItem `json:"items"`
	NextCursor string       `json:"next_cursor"`
}

type fileView struct {
	ID           int64             `json:"id"`
	PartnerID    string            `json:"partner_id"`
	Channel      string            `json:"channel"`
	Filename     string            `json:"filename"`
	Size         int64             `json:"size"`
	SHA256       string            `json:"sha256"`
	Status       string            `json:"status"`
	Runs         int               `json:"runs"`
	Summary      map[string]any    `json:"summary"`
	Interchanges []json.RawMessage `json:"interchanges"`
	Transactions []struct {
		SetID  string `json:"set_id"`
		Status string `json:"status"`
		Errors []struct {
			Level    string `json:"level"`
			Code     string `json:"code"`
			Segment  string `json:"segment"`
			Position int    `json:"position"`
			Message  string `json:"message"`
		} `json:"errors"`
	} `json:"transactions"`
	Acks      []outboxItem `json:"acks"`
	Documents []struct {
		ID     int64  `json:"id"`
		Type   string `json:"type"`
		Number string `json:"number"`
		Status string `json:"status"`
	} `json:"documents"`
	Exceptions []struct {
		Check  string `json:"check"`
		Code   string `json:"code"`
		Action string `json:"action"`
	} `json:"exceptions"`
}

// TestInboundToOutbox follows a file from upload to its 997 being picked up.
func TestInboundToOutbox(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	data := order(t, 101, "4500012345", "ACMERETAIL")
	id := b.sendWait(t, keyAcme, "po-4500012345.edi", data)

	var f fileView
	b.get(t, fmt.Sprintf("/api/v1/files/%d", id), keyAcme, http.StatusOK, &f)
	if f.Status != "accepted" || f.PartnerID != "acme-retail" || f.Channel != "api" || f.Size != int64(len(data)) ||
		f.Filename != "po-4500012345.edi" || len(f.SHA256) != 64 || f.Runs != 1 || f.Summary["status"] != "accepted" {
		t.Fatalf("file %+v", f)
	}
	if len(f.Interchanges) != 1 || len(f.Transactions) != 1 || f.Transactions[0].SetID != "850" || len(f.Acks) != 1 || f.Acks[0].Type != "997" {
		t.Fatalf("interchanges %d, transactions %+v, acks %+v", len(f.Interchanges), f.Transactions, f.Acks)
	}

	var box outboxList
	b.get(t, "/api/v1/outbox", keyAcme, http.StatusOK, &box)
	if len(box.Items) != 1 || box.Items[0] != f.Acks[0] || box.Items[0].Kind != "ack" || box.NextCursor != "" {
		t.Fatalf("outbox %+v, file's acks %+v", box, f.Acks)
	}
	item := fmt.Sprintf("/api/v1/outbox/%d", box.Items[0].ID)
	r := b.do(t, call{method: http.MethodGet, path: item, secret: keyAcme})
	r.expect(t, http.StatusOK, nil)
	if ct := r.header.Get("Content-Type"); ct != "application/edi-x12" {
		t.Errorf("Content-Type %q", ct)
	}
	if disp, params, err := mime.ParseMediaType(r.header.Get("Content-Disposition")); err != nil || disp != "attachment" ||
		params["filename"] != box.Items[0].Filename || box.Items[0].Filename == "" {
		t.Errorf("Content-Disposition %q for %q (%v)", r.header.Get("Content-Disposition"), box.Items[0].Filename, err)
	}
	if !strings.HasPrefix(string(r.body), "ISA*") || !strings.Contains(string(r.body), "ST*997*") ||
		!strings.Contains(string(r.body), "AK5*A~") || len(r.body) != box.Items[0].Size {
		t.Errorf("997 of %d bytes: %s", box.Items[0].Size, r.body)
	}

	for range 2 { // picking up twice is no error
		b.do(t, call{method: http.MethodDelete, path: item, secret: keyAcme}).expect(t, http.StatusNoContent, nil)
	}
	b.get(t, "/api/v1/outbox", keyAcme, http.StatusOK, &box)
	if len(box.Items) != 0 {
		t.Errorf("outbox after pick-up %+v", box)
	}
	again := b.do(t, call{method: http.MethodGet, path: item, secret: keyAcme})
	if again.expect(t, http.StatusOK, nil); !bytes.Equal(again.body, r.body) {
		t.Error("a picked-up item's bytes changed")
	}
	b.get(t, fmt.Sprintf("/api/v1/files/%d", id), keyAcme, http.StatusOK, &f)
	if len(f.Acks) != 1 {
		t.Errorf("a picked-up ack left the file's acks: %+v", f.Acks)
	}
	b.do(t, call{method: http.MethodDelete, path: "/api/v1/outbox/999999", secret: keyAcme}).failure(t, 404, "not_found")
	b.do(t, call{method: http.MethodGet, path: "/api/v1/outbox/x", secret: keyAcme}).failure(t, 400, "bad_request")
}

func TestOutboxPaging(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	for i := range 3 {
		b.sendWait(t, keyAcme, "po.edi", order(t, 201+i, fmt.Sprintf("PO-%d", i), "ACMERETAIL"))
	}
	var all []outboxItem
	cursor := ""
	for page := 0; ; page++ {
		var box outboxList
		b.get(t, "/api/v1/outbox?limit=2&cursor="+cursor, keyAcme, http.StatusOK, &box)
		all = append(all, box.Items...)
		if cursor = box.NextCursor; cursor == "" {
			break
		}
		if page > 3 {
			t.Fatal("paging does not end")
		}
	}
	if len(all) != 3 {
		t.Fatalf("%d items over the pages", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID <= all[i-1].ID {
			t.Errorf("not oldest first: %+v", all)
		}
	}
	b.do(t, call{method: http.MethodGet, path: "/api/v1/outbox?cursor=%25%25", secret: keyAcme}).failure(t, 400, "bad_request")
}

// chunked hides a reader's length so that the client sends it chunked,
// without Content-Length.
type chunked struct{ r io.Reader }

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p) }

func TestInboundRefuses(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	big := bytes.Repeat([]byte("x"), defaultLimit+1)
	tests := []struct {
		name   string
		body   io.Reader
		status int
		code   string
		msg    string
	}{
		{"over the limit with Content-Length", bytes.NewReader(big), 413, "too_large", "limit"},
		{"over the limit, chunked", chunked{bytes.NewReader(big)}, 413, "too_large", "limit"},
		{"far over the limit, chunked", chunked{io.LimitReader(zeros{}, 4*defaultLimit)}, 413, "too_large", "limit"},
		{"empty", nil, 400, "bad_request", "empty"},
		{"empty, chunked", chunked{strings.NewReader("")}, 400, "bad_request", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.do(t, call{method: http.MethodPost, path: "/api/v1/inbound", secret: keyAcme, body: tt.body})
			if msg := r.failure(t, tt.status, tt.code); !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q", msg)
			}
		})
	}
	var files struct {
		Items []any `json:"items"`
	}
	b.get(t, "/api/v1/files", tokViewer, http.StatusOK, &files)
	if len(files.Items) != 0 {
		t.Errorf("refused bodies left %d files", len(files.Items))
	}
	exact := bytes.Repeat([]byte("y"), defaultLimit)
	b.sendWait(t, keyAcme, "exact.bin", string(exact)) // the limit itself is allowed
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestInboundFilename(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	long := strings.Repeat("é", 200) + ".edi"
	tests := []struct{ header, want string }{
		{"../../etc/passwd", "passwd"},
		{`..\..\windows\win.ini`, "win.ini"},
		{"inbound/2026/11/po.edi", "po.edi"},
		{"/abs/path/", ""},
		{"..", ""},
		{"with\ttab.edi", "withtab.edi"},
		{"  padded.edi  ", "padded.edi"},
		{"\u202egpj.exe", "gpj.exe"},
		{"bad\xffutf8.edi", "badutf8.edi"},
		{long, strings.Repeat("é", 127)},
		{"", ""},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%d %q", i, tt.header), func(t *testing.T) {
			t.Parallel()
			id := b.send(t, keyAcme, tt.header, fmt.Sprintf("payload %d", i))
			var f fileView
			b.get(t, fmt.Sprintf("/api/v1/files/%d", id), keyAcme, http.StatusOK, &f)
			if f.Filename != tt.want || len(f.Filename) > 255 || !utf8.ValidString(f.Filename) {
				t.Errorf("stored as %q, want %q", f.Filename, tt.want)
			}
		})
	}
}
