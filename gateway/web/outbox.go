package web

import (
	"bytes"
	"context"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/partnergate/partnergate/gateway/store"
)

// outboxJSON is an outbox item as the API lists it.
type outboxJSON struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Type      string    `json:"type"`
	Filename  string    `json:"filename"`
	Size      int       `json:"size"`
	CreatedAt time.Time `json:"created_at"`
	// PickedUpAt is shown in a file's acks, not in the outbox, which holds
	// only what waits.
	PickedUpAt *time.Time `json:"picked_up_at,omitempty"`
}

func newOutboxJSON(it *store.OutboxItem) outboxJSON {
	return outboxJSON{ID: it.ID, Kind: it.Kind, Type: it.Type, Filename: it.Filename, Size: it.Size,
		CreatedAt: it.CreatedAt, PickedUpAt: it.PickedUpAt}
}

// listOutbox is GET /api/v1/outbox: what waits for the calling partner,
// oldest first.
func (a *api) listOutbox(r *http.Request) (*result, error) {
	pg, err := readPage(r.URL.Query())
	if err != nil {
		return nil, err
	}
	p := &store.ListOutboxParams{PartnerID: PartnerFrom(r.Context()).ID, After: pg.cursor, Limit: pg.limit}
	items, err := a.d.Store.ListOutbox(r.Context(), a.d.DB, p)
	if err != nil {
		return nil, err
	}
	out := list[outboxJSON]{Items: make([]outboxJSON, 0, len(items))}
	for _, it := range items {
		out.Items = append(out.Items, newOutboxJSON(it))
	}
	if len(items) > 0 {
		out.NextCursor, err = nextCursor(r.Context(), len(items), pg.limit, items[len(items)-1].ID, a.moreOutbox(p))
	}
	return ok(out), err
}

// moreOutbox reports whether ListOutbox with p finds an item after an ID.
func (a *api) moreOutbox(p *store.ListOutboxParams) func(context.Context, int64) (bool, error) {
	return func(ctx context.Context, after int64) (bool, error) {
		probe := *p
		probe.After, probe.Limit = after, 1
		items, err := a.d.Store.ListOutbox(ctx, a.d.DB, &probe)
		return len(items) > 0, err
	}
}

// getOutbox is GET /api/v1/outbox/{id}: the bytes of one of the calling
// partner's items, picked up or not.
func (a *api) getOutbox(r *http.Request) (*result, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	it, err := a.d.Store.GetOutbox(r.Context(), a.d.DB, PartnerFrom(r.Context()).ID, id)
	if err != nil {
		return nil, orNotFound(err, "outbox item", id)
	}
	return &result{status: http.StatusOK, download: &download{contentType: outboxContentType(it),
		filename: it.Filename, size: int64(len(it.Body)), body: bytes.NewReader(it.Body)}}, nil
}

// outboxContentType is application/edi-x12 for X12 (acks and sets named by
// their three digits), else guessed from the filename's extension.
func outboxContentType(it *store.OutboxItem) string {
	if it.Type == "TA1" || len(it.Type) == 3 && strings.Trim(it.Type, "0123456789") == "" {
		return "application/edi-x12"
	}
	switch strings.ToLower(path.Ext(it.Filename)) {
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".json":
		return "application/json"
	}
	return "application/octet-stream"
}

// pickUp is DELETE /api/v1/outbox/{id}: the partner has the item, and it
// leaves the outbox. Picking an item up twice is not an error.
func (a *api) pickUp(r *http.Request) (*result, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	if err := a.d.Store.PickUp(r.Context(), a.d.DB, PartnerFrom(r.Context()).ID, id); err != nil {
		return nil, orNotFound(err, "outbox item", id)
	}
	return &result{status: http.StatusNoContent}, nil
}
