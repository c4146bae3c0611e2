package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/partnergate/partnergate/gateway/store"
)

// Deliveries retries deliveries to the ERP and WMS;
// *delivery.Forwarder is one.
type Deliveries interface {
	Retry(ctx context.Context, filter store.DeliveryFilter) ([]*store.Delivery, error)
}

const codeConflict = "conflict"

var deliveryStatuses = []string{store.DeliveryPending, store.DeliveryBlocked, store.DeliveryDelivered,
	store.DeliveryRejected, store.DeliveryDead}

// deliveryFilter reads status, destination and partner.
func deliveryFilter(q url.Values) (store.DeliveryFilter, error) {
	f := store.DeliveryFilter{Status: q.Get("status"), Destination: q.Get("destination"), PartnerID: q.Get("partner")}
	if f.Status != "" && !slices.Contains(deliveryStatuses, f.Status) {
		return f, badRequest("status: want one of %s, got %.20q", strings.Join(deliveryStatuses, ", "), f.Status)
	}
	return f, nil
}

// listDeliveries is GET /api/v1/deliveries?status=&destination=&partner=:
// deliveries, newest first.
func (a *api) listDeliveries(r *http.Request) (*result, error) {
	q := r.URL.Query()
	pg, err := readPage(q)
	if err != nil {
		return nil, err
	}
	f, err := deliveryFilter(q)
	if err != nil {
		return nil, err
	}
	p := &store.ListDeliveriesParams{DeliveryFilter: f, Before: pg.cursor, Limit: pg.limit}
	ds, err := a.d.Store.ListDeliveries(r.Context(), a.d.DB, p)
	if err != nil {
		return nil, err
	}
	out := list[*store.Delivery]{Items: nonNil(ds)}
	if len(ds) > 0 {
		out.NextCursor, err = nextCursor(r.Context(), len(ds), pg.limit, ds[len(ds)-1].ID,
			func(ctx context.Context, before int64) (bool, error) {
				probe := *p
				probe.Before, probe.Limit = before, 1
				more, err := a.d.Store.ListDeliveries(ctx, a.d.DB, &probe)
				return len(more) > 0, err
			})
	}
	return ok(out), err
}

// getDelivery is GET /api/v1/deliveries/{id}, with its attempts.
func (a *api) getDelivery(r *http.Request) (*result, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	d, err := a.d.Store.GetDelivery(r.Context(), a.d.DB, id)
	if err != nil {
		return nil, orNotFound(err, "delivery", id)
	}
	return ok(d), nil
}

// retried is the answer of the retry endpoints.
type retried struct {
	Retried int     `json:"retried"`
	IDs     []int64 `json:"ids"`
}

// retryDelivery is POST /api/v1/deliveries/{id}/retry: a dead or rejected
// delivery is tried again.
func (a *api) retryDelivery(r *http.Request) (*result, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	d, err := a.d.Store.GetDelivery(r.Context(), a.d.DB, id)
	if err != nil {
		return nil, orNotFound(err, "delivery", id)
	}
	if d.Status != store.DeliveryDead && d.Status != store.DeliveryRejected {
		return nil, &apiError{status: http.StatusConflict, code: codeConflict,
			msg: "delivery " + d.IdempotencyKey + " is " + d.Status + "; only dead or rejected deliveries are retried"}
	}
	return a.retry(r, store.DeliveryFilter{IDs: []int64{id}})
}

// retryDeliveries is POST /api/v1/deliveries/retry?status=&destination=&partner=:
// the bulk replay of dead (by default) or rejected deliveries.
func (a *api) retryDeliveries(r *http.Request) (*result, error) {
	f, err := deliveryFilter(r.URL.Query())
	if err != nil {
		return nil, err
	}
	if f.Status == "" {
		f.Status = store.DeliveryDead
	}
	if f.Status != store.DeliveryDead && f.Status != store.DeliveryRejected {
		return nil, badRequest("status: only dead or rejected deliveries are retried, got %q", f.Status)
	}
	return a.retry(r, f)
}

func (a *api) retry(r *http.Request, f store.DeliveryFilter) (*result, error) {
	if a.d.Deliveries == nil {
		return nil, &apiError{status: http.StatusConflict, code: codeConflict, msg: "no destinations are configured"}
	}
	ds, err := a.d.Deliveries.Retry(r.Context(), f)
	if err != nil {
		return nil, err
	}
	out := retried{Retried: len(ds), IDs: make([]int64, len(ds))}
	for i, d := range ds {
		out.IDs[i] = d.ID
	}
	a.log.InfoContext(r.Context(), "deliveries retried", "request_id", RequestIDFrom(r.Context()),
		"staff", StaffFrom(r.Context()).Name, "count", len(ds), "status", f.Status, "destination", f.Destination,
		"partner", f.PartnerID)
	return &result{status: http.StatusAccepted, body: out}, nil
}
