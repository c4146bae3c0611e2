package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/store"
)

func TestAS2Messages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	if _, err := s.AS2Message(ctx, pool, "acme", "<1@acme>"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("AS2Message before: %v, want ErrNotFound", err)
	}
	f, err := s.InsertFile(ctx, pool, &store.InsertFileParams{PartnerID: "acme", Channel: "as2", Filename: "po.edi",
		Body: strings.NewReader("ISA")})
	if err != nil {
		t.Fatal(err)
	}
	p := &store.InsertAS2MessageParams{PartnerID: "acme", MessageID: "<1@acme>", FileID: f.ID, MIC: "abc=", MICAlg: "sha256",
		Disposition: "automatic-action/MDN-sent-automatically; processed", MDN: []byte("mdn")}
	m, inserted, err := s.InsertAS2Message(ctx, pool, p)
	if err != nil || !inserted || m.ID == 0 {
		t.Fatalf("InsertAS2Message: %+v, %v, %v", m, inserted, err)
	}
	again := *p
	again.MIC, again.MDN = "other=", nil
	first, inserted, err := s.InsertAS2Message(ctx, pool, &again)
	if err != nil || inserted || first.ID != m.ID || first.MIC != "abc=" || string(first.MDN) != "mdn" || *first.FileID != f.ID {
		t.Fatalf("InsertAS2Message again: %+v, %v, %v", first, inserted, err)
	}
	other := *p
	other.PartnerID = "globex"
	if _, inserted, err := s.InsertAS2Message(ctx, pool, &other); err != nil || !inserted {
		t.Fatalf("the same Message-ID from another partner: %v, %v", inserted, err)
	}
	got, err := s.AS2Message(ctx, pool, "acme", "<1@acme>")
	if err != nil || got.ID != m.ID || got.Disposition != p.Disposition || got.MICAlg != "sha256" ||
		got.MDNAttempts != 0 || got.MDNDeliveredAt != nil || got.MDNFailedAt != nil {
		t.Fatalf("AS2Message: %+v, %v", got, err)
	}

	attempts := []struct {
		p                 store.RecordMDNAttemptParams
		delivered, failed bool
		wantAttempts      int
		wantErr           string
	}{
		{store.RecordMDNAttemptParams{ID: m.ID, Attempt: 1, Err: "500"}, false, false, 1, "500"},
		{store.RecordMDNAttemptParams{ID: m.ID, Attempt: 2, Err: "refused", Final: true}, false, true, 2, "refused"},
		{store.RecordMDNAttemptParams{ID: m.ID, Attempt: 3}, true, false, 3, ""},
	}
	for _, a := range attempts {
		if err := s.RecordMDNAttempt(ctx, pool, &a.p); err != nil {
			t.Fatalf("RecordMDNAttempt %+v: %v", a.p, err)
		}
		got, err := s.AS2MessageByID(ctx, pool, m.ID)
		if err != nil || got.MDNAttempts != a.wantAttempts || got.MDNError != a.wantErr ||
			(got.MDNDeliveredAt != nil) != a.delivered || (got.MDNFailedAt != nil) != a.failed {
			t.Errorf("after %+v: %+v, %v", a.p, got, err)
		}
	}
	if err := s.RecordMDNAttempt(ctx, pool, &store.RecordMDNAttemptParams{ID: -1, Attempt: 1}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RecordMDNAttempt of no row: %v, want ErrNotFound", err)
	}
	if _, err := s.AS2MessageByID(ctx, pool, -1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AS2MessageByID of no row: %v, want ErrNotFound", err)
	}
}
