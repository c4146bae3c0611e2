package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

type document map[string]any

func (d document) id() int64 { f, _ := d["id"].(float64); return int64(f) }

type documentList struct {
	Items      []document `json:"items"`
	NextCursor string     `json:"next_cursor"`
}

func TestDocuments(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	files := map[string]int64{}
	for i := range 5 {
		po := fmt.Sprintf("PO-%d", i)
		files[po] = b.sendWait(t, keyAcme, po+".edi", order(t, 601+i, po, "ACMERETAIL"))
	}
	files["PO-G"] = b.sendWait(t, keyGlobex, "g.edi", order(t, 601, "PO-G", "GLOBEX"))

	tests := []struct {
		query string
		want  []string // order numbers, newest first
	}{
		{"", []string{"PO-G", "PO-4", "PO-3", "PO-2", "PO-1", "PO-0"}},
		{"?type=order", []string{"PO-G", "PO-4", "PO-3", "PO-2", "PO-1", "PO-0"}},
		{"?type=shipment", nil},
		{"?number=PO-3", []string{"PO-3"}},
		{"?partner=globex", []string{"PO-G"}},
		{"?partner=acme-retail&type=order", []string{"PO-4", "PO-3", "PO-2", "PO-1", "PO-0"}},
		{"?partner=globex&number=PO-3", nil},
		{fmt.Sprintf("?file=%d", files["PO-2"]), []string{"PO-2"}},
	}
	for _, tt := range tests {
		for _, limit := range []int{2, 500} {
			t.Run(fmt.Sprintf("%s limit %d", tt.query, limit), func(t *testing.T) {
				t.Parallel()
				docs := pageDocuments(t, b, tt.query, limit)
				var got []string
				for _, d := range docs {
					got = append(got, d["order_number"].(string))
					want := "acme-retail"
					if d["order_number"] == "PO-G" {
						want = "globex"
					}
					if d["partner_id"] != want || d["status"] != "accepted" || d.id() <= 0 || d["type"] != "order" ||
						int64(d["file_id"].(float64)) != files[d["order_number"].(string)] || d["schema"] != "canonical/v1" {
						t.Errorf("document %v", d)
					}
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}
	}
	t.Run("one document", func(t *testing.T) {
		t.Parallel()
		var l documentList
		b.get(t, "/api/v1/documents?number=PO-1", tokViewer, http.StatusOK, &l)
		var d document
		b.get(t, fmt.Sprintf("/api/v1/documents/%d", l.Items[0].id()), tokViewer, http.StatusOK, &d)
		if ds, ok := d["deliveries"].([]any); !ok || len(ds) != 0 {
			t.Errorf("deliveries %v, want [] without destinations", d["deliveries"])
		}
		delete(d, "deliveries")
		if fmt.Sprint(d) != fmt.Sprint(l.Items[0]) {
			t.Errorf("GET by ID %v\nlisted %v", d, l.Items[0])
		}
		b.do(t, call{method: "GET", path: "/api/v1/documents/999999", secret: tokViewer}).failure(t, 404, "not_found")
		b.do(t, call{method: "GET", path: "/api/v1/documents?file=x", secret: tokViewer}).failure(t, 400, "bad_request")
		b.do(t, call{method: "GET", path: "/api/v1/documents?limit=-1", secret: tokViewer}).failure(t, 400, "bad_request")
	})
}

// pageDocuments lists documents page by page, checking that next_cursor is
// set on every full page but the last.
func pageDocuments(t *testing.T, b *testBundle, query string, limit int) []document {
	t.Helper()
	sep := "?"
	if query != "" {
		sep = "&"
	}
	var all []document
	cursor := ""
	for pages := 1; ; pages++ {
		var l documentList
		b.get(t, fmt.Sprintf("/api/v1/documents%s%slimit=%d&cursor=%s", query, sep, limit, cursor), tokViewer, http.StatusOK, &l)
		if l.Items == nil || len(l.Items) > limit || (l.NextCursor != "" && len(l.Items) != limit) {
			t.Fatalf("page %d: %v items, next_cursor %q", pages, l.Items, l.NextCursor)
		}
		if pages > 1 && len(l.Items) == 0 {
			t.Fatalf("page %d: next_cursor led to an empty page", pages)
		}
		all = append(all, l.Items...)
		if cursor = l.NextCursor; cursor == "" {
			return all
		}
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
}
