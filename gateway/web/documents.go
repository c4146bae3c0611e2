package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/partnergate/partnergate/gateway/store"
)

// documentJSON returns the canonical document of d with the gateway's
// fields merged into its top level: id, partner_id, file_id, status and,
// for a duplicate, duplicate_of.
func documentJSON(d *store.Document) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(d.Body, &m); err != nil {
		return nil, fmt.Errorf("web: document %d: its body is not a JSON object: %w", d.ID, err)
	}
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	status, _ := json.Marshal(d.Status)
	partner, _ := json.Marshal(d.PartnerID)
	m["id"] = json.RawMessage(strconv.FormatInt(d.ID, 10))
	m["file_id"] = json.RawMessage(strconv.FormatInt(d.FileID, 10))
	m["partner_id"], m["status"] = partner, status
	if d.DuplicateOf != nil {
		m["duplicate_of"] = json.RawMessage(strconv.FormatInt(*d.DuplicateOf, 10))
	}
	return json.Marshal(m)
}

// listDocuments is GET /api/v1/documents?type=&number=&partner=&file=:
// documents, newest first.
func (a *api) listDocuments(r *http.Request) (*result, error) {
	q := r.URL.Query()
	pg, err := readPage(q)
	if err != nil {
		return nil, err
	}
	p := &store.ListDocumentsParams{PartnerID: q.Get("partner"), Type: q.Get("type"), Number: q.Get("number"),
		Before: pg.cursor, Limit: pg.limit}
	if s := q.Get("file"); s != "" {
		if p.FileID, err = strconv.ParseInt(s, 10, 64); err != nil || p.FileID <= 0 {
			return nil, badRequest("file: want a positive integer, got %.40q", s)
		}
	}
	docs, err := a.d.Store.ListDocuments(r.Context(), a.d.DB, p)
	if err != nil {
		return nil, err
	}
	out := list[json.RawMessage]{Items: make([]json.RawMessage, 0, len(docs))}
	for _, d := range docs {
		doc, err := documentJSON(d)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, doc)
	}
	if len(docs) > 0 {
		out.NextCursor, err = nextCursor(r.Context(), len(docs), pg.limit, docs[len(docs)-1].ID, a.moreDocuments(p))
	}
	return ok(out), err
}

// moreDocuments reports whether ListDocuments with p finds a document
// before an ID.
func (a *api) moreDocuments(p *store.ListDocumentsParams) func(context.Context, int64) (bool, error) {
	return func(ctx context.Context, before int64) (bool, error) {
		probe := *p
		probe.Before, probe.Limit = before, 1
		docs, err := a.d.Store.ListDocuments(ctx, a.d.DB, &probe)
		return len(docs) > 0, err
	}
}

// getDocument is GET /api/v1/documents/{id}.
func (a *api) getDocument(r *http.Request) (*result, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	d, err := a.d.Store.GetDocument(r.Context(), a.d.DB, id)
	if err != nil {
		return nil, orNotFound(err, "document", id)
	}
	doc, err := documentJSON(d)
	if err != nil {
		return nil, err
	}
	ds, err := a.d.Store.DocumentDeliveries(r.Context(), a.d.DB, id)
	if err != nil {
		return nil, err
	}
	return ok(withDeliveries(doc, ds)), nil
}

// withDeliveries adds the document's delivery history to its JSON.
func withDeliveries(doc json.RawMessage, ds []*store.Delivery) json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(doc, &m)
	m["deliveries"], _ = json.Marshal(nonNil(ds))
	out, _ := json.Marshal(m)
	return out
}
