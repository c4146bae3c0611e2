package ui

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/partnergate/partnergate/gateway/store"
)

// maxSearchDocuments bounds the documents of one search.
const maxSearchDocuments = 100

// lifecycleDoc is one document of an order's lifecycle.
type lifecycleDoc struct {
	*store.Document
	// Set is the X12 set it came from ("850"), or "CSV".
	Set string
	// Orders are the order numbers a shipment fills.
	Orders     []string
	Deliveries []*store.Delivery
	Exceptions []*store.Exception
}

type searchPage struct {
	Q       string
	Docs    []*lifecycleDoc
	Limited bool
}

// search is GET /ui/search?q=: the documents of an order or shipment number
// across partners, in the order they were made, each with its status,
// deliveries and exceptions: 850 → 940 → 945 → 856.
func (h *dash) search(r *http.Request) (*view, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := &searchPage{Q: q}
	if q == "" {
		return &view{name: "search", title: "Search", data: page}, nil
	}
	if len(q) > 80 {
		return nil, badRequest("The number is too long: at most 80 characters.")
	}
	ctx, st, db := r.Context(), h.d.Store, h.d.DB
	docs, err := st.SearchDocuments(ctx, db, &store.SearchDocumentsParams{Number: q, Limit: maxSearchDocuments + 1})
	if err != nil {
		return nil, err
	}
	if len(docs) > maxSearchDocuments {
		docs, page.Limited = docs[:maxSearchDocuments], true
	}
	for _, d := range docs {
		ld := &lifecycleDoc{Document: d}
		var body struct {
			Source struct {
				Format string `json:"format"`
				Set    string `json:"set"`
			} `json:"source"`
			OrderNumbers []string `json:"order_numbers"`
		}
		_ = json.Unmarshal(d.Body, &body) // a canonical document; the fields are optional
		ld.Set, ld.Orders = body.Source.Set, body.OrderNumbers
		if ld.Set == "" {
			ld.Set = strings.ToUpper(body.Source.Format)
		}
		if ld.Deliveries, err = st.DocumentDeliveries(ctx, db, d.ID); err != nil {
			return nil, err
		}
		ld.Exceptions, err = st.ListExceptions(ctx, db, &store.ListExceptionsParams{
			ExceptionFilter: store.ExceptionFilter{DocumentID: d.ID}, Limit: 50})
		if err != nil {
			return nil, err
		}
		page.Docs = append(page.Docs, ld)
	}
	return &view{name: "search", title: "Search " + truncate(q, 40), data: page}, nil
}
