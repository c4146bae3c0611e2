package web

import (
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/partnergate/partnergate/gateway/store"
)

// fileJSON is a file as the API shows it.
type fileJSON struct {
	ID          int64           `json:"id"`
	PartnerID   string          `json:"partner_id"`
	Channel     string          `json:"channel"`
	Filename    string          `json:"filename"`
	Size        int64           `json:"size"`
	SHA256      string          `json:"sha256"`
	ReceivedAt  time.Time       `json:"received_at"`
	Status      string          `json:"status"`
	Runs        int             `json:"runs"`
	ProcessedAt *time.Time      `json:"processed_at"`
	DuplicateOf *int64          `json:"duplicate_of"`
	Summary     json.RawMessage `json:"summary"`
}

func newFileJSON(f *store.File) fileJSON {
	return fileJSON{ID: f.ID, PartnerID: f.PartnerID, Channel: f.Channel, Filename: f.Filename, Size: f.Size,
		SHA256: hex.EncodeToString(f.SHA256), ReceivedAt: f.ReceivedAt, Status: f.Status, Runs: f.Runs,
		ProcessedAt: f.ProcessedAt, DuplicateOf: f.DuplicateOf, Summary: f.Summary}
}

// fileDetail is what a partner sees of one of its files.
type fileDetail struct {
	fileJSON
	Interchanges []*store.Interchange `json:"interchanges"`
	Transactions []*store.Transaction `json:"transactions"`
	Acks         []outboxJSON         `json:"acks"`
}

// staffFileDetail adds what only staff see.
type staffFileDetail struct {
	fileDetail
	Documents []documentSummary `json:"documents"`
	// DocumentsCursor, when not "", lists the documents beyond the first
	// maxLimit with GET /api/v1/documents?file=ID&cursor=….
	DocumentsCursor string             `json:"documents_next_cursor"`
	Exceptions      []*store.Exception `json:"exceptions"`
}

// documentSummary is a document without its body.
type documentSummary struct {
	ID             int64     `json:"id"`
	TransactionSeq int       `json:"transaction_seq"`
	Type           string    `json:"type"`
	Kind           string    `json:"kind"`
	Number         string    `json:"number"`
	Status         string    `json:"status"`
	DuplicateOf    *int64    `json:"duplicate_of"`
	CreatedAt      time.Time `json:"created_at"`
}

// getFile is GET /api/v1/files/{id}: a partner sees its own files, staff
// see every file with its documents and exceptions.
func (a *api) getFile(r *http.Request) (*result, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	owner := "" // staff see every partner's files
	if p := PartnerFrom(ctx); p != nil {
		owner = p.ID
	}
	f, err := a.d.Store.GetFile(ctx, a.d.DB, id, owner)
	if err != nil {
		return nil, orNotFound(err, "file", id)
	}
	detail, err := a.fileDetail(ctx, f, owner)
	if err != nil {
		return nil, err
	}
	if owner != "" {
		return ok(detail), nil
	}
	staff, err := a.staffFileDetail(ctx, detail)
	if err != nil {
		return nil, err
	}
	return ok(staff), nil
}

func (a *api) fileDetail(ctx context.Context, f *store.File, owner string) (*fileDetail, error) {
	d := &fileDetail{fileJSON: newFileJSON(f)}
	var err error
	if d.Interchanges, err = a.d.Store.FileInterchanges(ctx, a.d.DB, f.ID); err != nil {
		return nil, err
	}
	if d.Transactions, err = a.d.Store.FileTransactions(ctx, a.d.DB, f.ID); err != nil {
		return nil, err
	}
	acks, err := a.d.Store.ListOutbox(ctx, a.d.DB, &store.ListOutboxParams{PartnerID: owner, FileID: f.ID, Limit: maxLimit})
	if err != nil {
		return nil, err
	}
	d.Interchanges, d.Transactions = nonNil(d.Interchanges), nonNil(d.Transactions)
	d.Acks = make([]outboxJSON, 0, len(acks))
	for _, it := range acks {
		d.Acks = append(d.Acks, newOutboxJSON(it))
	}
	return d, nil
}

func (a *api) staffFileDetail(ctx context.Context, d *fileDetail) (*staffFileDetail, error) {
	s := &staffFileDetail{fileDetail: *d}
	p := &store.ListDocumentsParams{FileID: d.ID, Limit: maxLimit}
	docs, err := a.d.Store.ListDocuments(ctx, a.d.DB, p)
	if err != nil {
		return nil, err
	}
	if len(docs) > 0 {
		s.DocumentsCursor, err = nextCursor(ctx, len(docs), maxLimit, docs[len(docs)-1].ID, a.moreDocuments(p))
		if err != nil {
			return nil, err
		}
	}
	s.Documents = make([]documentSummary, 0, len(docs))
	for _, doc := range docs {
		s.Documents = append(s.Documents, documentSummary{ID: doc.ID, TransactionSeq: doc.TransactionSeq, Type: doc.Type,
			Kind: doc.Kind, Number: doc.Number, Status: doc.Status, DuplicateOf: doc.DuplicateOf, CreatedAt: doc.CreatedAt})
	}
	slices.SortFunc(s.Documents, func(x, y documentSummary) int { return cmp.Compare(x.TransactionSeq, y.TransactionSeq) })
	ex, err := a.d.Store.FileExceptions(ctx, a.d.DB, d.ID)
	if err != nil {
		return nil, err
	}
	s.Exceptions = nonNil(ex)
	return s, nil
}

// knownFileStatus reports whether status is a file status.
func knownFileStatus(status string) bool {
	switch status {
	case store.FileReceived, store.FileAccepted, store.FilePartiallyAccepted, store.FileRejected, store.FileDuplicate:
		return true
	}
	return false
}

// listFiles is GET /api/v1/files?partner=&status=: files, newest first.
func (a *api) listFiles(r *http.Request) (*result, error) {
	q := r.URL.Query()
	pg, err := readPage(q)
	if err != nil {
		return nil, err
	}
	p := &store.ListFilesParams{PartnerID: q.Get("partner"), Status: q.Get("status"), Before: pg.cursor, Limit: pg.limit}
	if p.Status != "" && !knownFileStatus(p.Status) {
		return nil, badRequest("status: want received, accepted, partially_accepted, rejected or duplicate, got %.40q", p.Status)
	}
	files, err := a.d.Store.ListFiles(r.Context(), a.d.DB, p)
	if err != nil {
		return nil, err
	}
	out := list[fileJSON]{Items: make([]fileJSON, 0, len(files))}
	for _, f := range files {
		out.Items = append(out.Items, newFileJSON(f))
	}
	if len(files) > 0 {
		out.NextCursor, err = nextCursor(r.Context(), len(files), pg.limit, files[len(files)-1].ID, a.moreFiles(p))
	}
	return ok(out), err
}

// moreFiles reports whether ListFiles with p finds a file before an ID.
func (a *api) moreFiles(p *store.ListFilesParams) func(context.Context, int64) (bool, error) {
	return func(ctx context.Context, before int64) (bool, error) {
		probe := *p
		probe.Before, probe.Limit = before, 1
		files, err := a.d.Store.ListFiles(ctx, a.d.DB, &probe)
		return len(files) > 0, err
	}
}

// rawFile is GET /api/v1/files/{id}/raw: the bytes as received.
func (a *api) rawFile(r *http.Request) (*result, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	f, err := a.d.Store.GetFile(r.Context(), a.d.DB, id, "")
	if err != nil {
		return nil, orNotFound(err, "file", id)
	}
	return &result{status: http.StatusOK, download: &download{contentType: "application/octet-stream",
		filename: f.Filename, size: f.Size, body: a.d.Store.FileReader(r.Context(), a.d.DB, f)}}, nil
}

// reprocess is POST /api/v1/files/{id}/reprocess.
func (a *api) reprocess(r *http.Request) (*result, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	if err := a.d.Pipeline.Reprocess(r.Context(), id); err != nil {
		return nil, orNotFound(err, "file", id)
	}
	a.log.InfoContext(r.Context(), "reprocessing queued", "request_id", RequestIDFrom(r.Context()),
		"file_id", id, "staff", StaffFrom(r.Context()).Name)
	return &result{status: http.StatusAccepted, body: receipt{FileID: id, Status: "queued"}}, nil
}
