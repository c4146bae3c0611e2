package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/store"
)

// TestOutboxSending records an item as sent asking for an asynchronous
// MDN, finds it by its partner and Message-ID, and records the MDN's
// outcome with RecordOutboxDelivery.
func TestOutboxSending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	var b pgx.Batch
	s.QueueOutbox(&b, &store.OutboxItem{PartnerID: "acme", Kind: store.OutboxAck, Type: "997", Filename: "997.x12", Body: []byte("ISA")})
	if err := pool.SendBatch(ctx, &b).Close(); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := pool.QueryRow(ctx, `SELECT max(id) FROM outbox`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OutboxDeliveryByMessageID(ctx, pool, "acme", ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an empty Message-ID matches an unsent item: %v", err)
	}
	// An earlier attempt failed.
	if err := s.RecordOutboxDelivery(ctx, pool, &store.RecordOutboxDeliveryParams{ID: id, Attempt: 1, MessageID: "<1@us>",
		Err: "503"}); err != nil {
		t.Fatal(err)
	}
	p := &store.RecordOutboxSendingParams{ID: id, Attempt: 2, MessageID: "<1@us>", MIC: "mic=", MICAlg: "sha-256"}
	if err := s.RecordOutboxSending(ctx, pool, p); err != nil {
		t.Fatal(err)
	}
	d, err := s.OutboxDeliveryByMessageID(ctx, pool, "acme", "<1@us>")
	if err != nil || d.Item.ID != id || d.SentAt == nil || d.MIC != "mic=" || d.MICAlg != "sha-256" || d.Attempts != 2 ||
		d.Error != "" || d.DeliveredAt != nil || d.FailedAt != nil || string(d.Item.Body) != "ISA" {
		t.Fatalf("sent item: %+v, %v", d, err)
	}
	if _, err := s.OutboxDeliveryByMessageID(ctx, pool, "globex", "<1@us>"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another partner's Message-ID: %v, want ErrNotFound", err)
	}
	if err := s.RecordOutboxDelivery(ctx, pool, &store.RecordOutboxDeliveryParams{ID: id, Attempt: d.Attempts, MessageID: "<1@us>",
		Delivered: true, MDN: []byte("mdn")}); err != nil {
		t.Fatal(err)
	}
	// A failed attempt recorded after the MDN leaves the item delivered.
	if err := s.RecordOutboxDelivery(ctx, pool, &store.RecordOutboxDeliveryParams{ID: id, Attempt: 2, MessageID: "<1@us>",
		Err: "timeout", Final: true}); err != nil {
		t.Fatal(err)
	}
	// A delivered item keeps its state when sent again.
	if err := s.RecordOutboxSending(ctx, pool, &store.RecordOutboxSendingParams{ID: id, Attempt: 3, MessageID: "<1@us>",
		MIC: "other="}); err != nil {
		t.Fatal(err)
	}
	if d, err := s.OutboxDeliveryByID(ctx, pool, id); err != nil || d.DeliveredAt == nil || d.MIC != "mic=" || d.Attempts != 2 ||
		d.Item.PickedUpAt == nil || string(d.MDN) != "mdn" || d.Error != "" || d.FailedAt != nil {
		t.Errorf("delivered item: %+v, %v", d, err)
	}
	if err := s.RecordOutboxSending(ctx, pool, &store.RecordOutboxSendingParams{ID: -1, Attempt: 1}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RecordOutboxSending of no item: %v, want ErrNotFound", err)
	}
}
