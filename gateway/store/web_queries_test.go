package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestCountPartnerFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	var last *store.File
	for _, p := range []struct{ partner, status string }{
		{"acme", store.FileAccepted}, {"acme", store.FileAccepted}, {"acme", store.FileRejected}, {"acme", ""}, {"globex", store.FileAccepted},
	} {
		f, err := s.InsertFile(ctx, pool, &store.InsertFileParams{PartnerID: p.partner, Channel: "api", Body: strings.NewReader("x")})
		if err != nil {
			t.Fatal(err)
		}
		if p.status != "" {
			if err := s.FinishFile(ctx, pool, &store.FinishFileParams{ID: f.ID, Status: p.status, Run: 1, Summary: map[string]any{}}); err != nil {
				t.Fatal(err)
			}
		}
		if p.partner == "acme" {
			last = f
		}
	}
	tests := []struct {
		partner  string
		total    int64
		byStatus map[string]int64
	}{
		{"acme", 4, map[string]int64{"accepted": 2, "rejected": 1, "received": 1}},
		{"globex", 1, map[string]int64{"accepted": 1}},
		{"nobody", 0, map[string]int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.partner, func(t *testing.T) {
			t.Parallel()
			pf, err := s.CountPartnerFiles(ctx, pool, tt.partner)
			if err != nil {
				t.Fatal(err)
			}
			if pf.Total != tt.total || len(pf.ByStatus) != len(tt.byStatus) {
				t.Fatalf("%+v, want total %d by status %v", pf, tt.total, tt.byStatus)
			}
			for k, n := range tt.byStatus {
				if pf.ByStatus[k] != n {
					t.Errorf("%s: %d, want %d", k, pf.ByStatus[k], n)
				}
			}
			switch {
			case tt.total == 0 && pf.LastReceivedAt != nil:
				t.Errorf("last received %v with no file", pf.LastReceivedAt)
			case tt.partner == "acme" && (pf.LastReceivedAt == nil || !pf.LastReceivedAt.Equal(last.ReceivedAt)):
				t.Errorf("last received %v, want %v", pf.LastReceivedAt, last.ReceivedAt)
			}
		})
	}
}

func TestTransfers(t *testing.T) {
	t.Parallel()
	_, pool := dbtest.New(t)
	ctx := context.Background()
	st := store.New(nil)
	zero, err := st.Transfers(ctx, pool, "acme")
	if err != nil || zero.LastLoginAt != nil || zero.FilesIn != 0 {
		t.Fatalf("before any transfer: %+v, %v", zero, err)
	}
	steps := []error{
		st.RecordLogin(ctx, pool, "acme", "sftp"),
		st.RecordFilesMoved(ctx, pool, "acme", 2, 1),
		st.RecordFilesMoved(ctx, pool, "acme", 1, 0),
		st.RecordPoll(ctx, pool, "acme", errors.New("dial tcp: connection refused")),
		st.RecordPoll(ctx, pool, "acme", nil),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	got, err := st.Transfers(ctx, pool, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if got.LastLoginAt == nil || got.LastLoginChannel != "sftp" || got.LastPollAt == nil || got.FilesIn != 3 ||
		got.FilesOut != 1 || got.LastError != "dial tcp: connection refused" || got.LastErrorAt == nil {
		t.Errorf("status %+v", got)
	}
}
