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
	if err != nil || got.ID != m.ID || got.Disposition != p.Disposition || got.MICAlg != "sha256" {
		t.Fatalf("AS2Message: %+v, %v", got, err)
	}
}
