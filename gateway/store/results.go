package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Interchange is what processing recorded about one ISA…IEA of a file.
type Interchange struct {
	FileID            int64           `json:"-"`
	Seq               int             `json:"seq"`
	Offset            int64           `json:"offset"`
	SenderQualifier   string          `json:"sender_qualifier"`
	SenderID          string          `json:"sender_id"`
	ReceiverQualifier string          `json:"receiver_qualifier"`
	ReceiverID        string          `json:"receiver_id"`
	ControlNumber     string          `json:"control_number"`
	Version           string          `json:"version"`
	Status            string          `json:"status"` // accepted or rejected
	DuplicateOf       *int64          `json:"duplicate_of_file,omitempty"`
	Errors            json.RawMessage `json:"errors"`
}

// QueueInterchange adds the insert of ic to b.
func (s *Store) QueueInterchange(b *pgx.Batch, ic *Interchange) {
	b.Queue(`INSERT INTO interchanges (file_id, seq, byte_offset, sender_qualifier, sender_id, receiver_qualifier,
		receiver_id, control_number, version, status, duplicate_of, errors)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		ic.FileID, ic.Seq, ic.Offset, ic.SenderQualifier, ic.SenderID, ic.ReceiverQualifier, ic.ReceiverID,
		ic.ControlNumber, ic.Version, ic.Status, ic.DuplicateOf, jsonOr(ic.Errors, "[]"))
}

// InterchangeKey identifies an interchange across files: the partner, the
// ISA05/ISA06 sender and the ISA13 control number.
type InterchangeKey struct {
	PartnerID, SenderQualifier, SenderID, ControlNumber string
}

// ClaimInterchange records that file fileID carries the interchange key as
// its seq-th interchange. When another file claimed the key first, it
// returns that file's ID and true. A concurrent claim of the same key waits
// for the other transaction to end.
func (s *Store) ClaimInterchange(ctx context.Context, tx DB, k InterchangeKey, fileID int64, seq int) (int64, bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO interchange_keys (partner_id, sender_qualifier, sender_id, control_number, file_id, seq)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		k.PartnerID, k.SenderQualifier, k.SenderID, k.ControlNumber, fileID, seq)
	if err != nil {
		return 0, false, fmt.Errorf("store: file %d interchange %s: %w", fileID, k.ControlNumber, err)
	}
	if tag.RowsAffected() == 1 {
		return 0, false, nil
	}
	var first int64
	err = tx.QueryRow(ctx, `SELECT file_id FROM interchange_keys WHERE partner_id = $1 AND sender_qualifier = $2
		AND sender_id = $3 AND control_number = $4`, k.PartnerID, k.SenderQualifier, k.SenderID, k.ControlNumber).Scan(&first)
	if err != nil {
		return 0, false, fmt.Errorf("store: file %d interchange %s: %w", fileID, k.ControlNumber, err)
	}
	return first, true, nil
}

// Transaction is the outcome of one transaction set of a file.
type Transaction struct {
	FileID         int64           `json:"-"`
	Seq            int             `json:"seq"`
	InterchangeSeq int             `json:"interchange_seq"`
	GroupSeq       int             `json:"group_seq"`
	GroupControl   string          `json:"group_control"`
	FunctionalID   string          `json:"functional_id"`
	Version        string          `json:"version"`
	SetID          string          `json:"set_id"`
	ControlNumber  string          `json:"control_number"`
	Offset         int64           `json:"offset"`
	Size           int64           `json:"size"`
	Status         string          `json:"status"`
	Errors         json.RawMessage `json:"errors"`
}

// QueueTransactions adds to b one statement inserting ts.
func (s *Store) QueueTransactions(b *pgx.Batch, ts []*Transaction) {
	n := len(ts)
	var (
		files                        = make([]int64, n)
		seqs, ics, groups            = make([]int32, n), make([]int32, n), make([]int32, n)
		gctl, fids, vers, sets, ctls = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		offs, sizes                  = make([]int64, n), make([]int64, n)
		statuses, errs               = make([]string, n), make([]string, n)
	)
	for i, t := range ts {
		files[i], seqs[i], ics[i], groups[i] = t.FileID, int32(t.Seq), int32(t.InterchangeSeq), int32(t.GroupSeq)
		gctl[i], fids[i], vers[i], sets[i], ctls[i] = t.GroupControl, t.FunctionalID, t.Version, t.SetID, t.ControlNumber
		offs[i], sizes[i], statuses[i], errs[i] = t.Offset, t.Size, t.Status, string(jsonOr(t.Errors, "[]"))
	}
	b.Queue(`INSERT INTO transactions (file_id, seq, interchange_seq, group_seq, group_control, functional_id, version,
		set_id, control_number, byte_offset, size, status, errors)
		SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[],
			$8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::text[], $13::json[])`,
		files, seqs, ics, groups, gctl, fids, vers, sets, ctls, offs, sizes, statuses, errs)
}

// QueueVoid adds to b what voids the sets and documents of a rejected
// envelope: the file's interchange interchangeSeq, and within it only group
// groupSeq when groupSeq >= 0.
func (s *Store) QueueVoid(b *pgx.Batch, fileID int64, interchangeSeq, groupSeq int) {
	b.Queue(`UPDATE transactions SET status = 'rejected' WHERE file_id = $1 AND interchange_seq = $2
		AND ($3 < 0 OR group_seq = $3)`, fileID, interchangeSeq, groupSeq)
	b.Queue(`DELETE FROM documents WHERE file_id = $1 AND interchange_seq = $2 AND ($3 < 0 OR group_seq = $3)`,
		fileID, interchangeSeq, groupSeq)
}

// Document statuses.
const (
	DocumentAccepted = "accepted"
	DocumentHeld     = "held"
	DocumentRejected = "rejected"
)

// Document is a canonical document kept from a file.
type Document struct {
	ID             int64  `json:"id"`
	FileID         int64  `json:"file_id"`
	TransactionSeq int    `json:"transaction_seq"`
	InterchangeSeq int    `json:"-"`
	GroupSeq       int    `json:"-"`
	PartnerID      string `json:"partner_id"`
	Type           string `json:"type"`
	Kind           string `json:"kind"`
	Number         string `json:"number"`
	BusinessKey    string `json:"business_key"`
	// Purpose is the document's canonical.PurposeOf, set by processing; it
	// is not stored apart from the body.
	Purpose string `json:"-"`
	// OrderNumbers are, for a shipment, the order numbers it names
	// (partners.ShipmentOrderNumbers), set by processing. UpsertDocuments
	// indexes the shipment by them in shipment_orders; they are not stored
	// apart from the body otherwise.
	OrderNumbers []string        `json:"-"`
	Status       string          `json:"status"`
	DuplicateOf  *int64          `json:"duplicate_of,omitempty"`
	Run          int             `json:"-"`
	Body         json.RawMessage `json:"document"`
	CreatedAt    time.Time       `json:"created_at"`
}

const documentColumns = `id, file_id, transaction_seq, interchange_seq, group_seq, partner_id, type, kind, number,
	business_key, status, duplicate_of, run, body, created_at`

func scanDocument(row pgx.Row) (*Document, error) {
	var d Document
	err := row.Scan(&d.ID, &d.FileID, &d.TransactionSeq, &d.InterchangeSeq, &d.GroupSeq, &d.PartnerID, &d.Type,
		&d.Kind, &d.Number, &d.BusinessKey, &d.Status, &d.DuplicateOf, &d.Run, &d.Body, &d.CreatedAt)
	if err != nil {
		return nil, notFound(err)
	}
	return &d, nil
}

// UpsertDocuments stores documents, keyed by file and transaction; a
// document made again by a later run of the same file keeps its ID. It sets
// each document's ID and CreatedAt.
func (s *Store) UpsertDocuments(ctx context.Context, tx DB, docs []*Document) error {
	if len(docs) == 0 {
		return nil
	}
	now := s.Now()
	c := documentColumnsOf(docs)
	rows, err := tx.Query(ctx, `INSERT INTO documents (file_id, transaction_seq, interchange_seq, group_seq, partner_id,
			type, kind, number, business_key, status, duplicate_of, run, body, created_at)
		SELECT *, $14::timestamptz FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::text[], $6::text[],
			$7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::int[], $13::json[])
		ON CONFLICT (file_id, transaction_seq) DO UPDATE SET interchange_seq = excluded.interchange_seq,
			group_seq = excluded.group_seq, type = excluded.type, kind = excluded.kind, number = excluded.number,
			business_key = excluded.business_key, status = excluded.status, duplicate_of = excluded.duplicate_of,
			run = excluded.run, body = excluded.body
		RETURNING transaction_seq, id, created_at`,
		c.files, c.seqs, c.ics, c.groups, c.partners, c.types, c.kinds, c.numbers, c.keys, c.statuses, c.dups, c.runs,
		c.bodies, now)
	if err != nil {
		return fmt.Errorf("store: storing %d documents of file %d: %w", len(docs), docs[0].FileID, err)
	}
	bySeq := make(map[int]*Document, len(docs))
	for _, d := range docs {
		bySeq[d.TransactionSeq] = d
	}
	var seq int
	var id int64
	var at time.Time
	_, err = pgx.ForEachRow(rows, []any{&seq, &id, &at}, func() error {
		if d := bySeq[seq]; d != nil {
			d.ID, d.CreatedAt = id, at
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: storing %d documents of file %d: %w", len(docs), docs[0].FileID, err)
	}
	return s.indexShipmentOrders(ctx, tx, docs)
}

// indexShipmentOrders writes the shipment_orders rows of documents that
// have IDs, replacing those a document had from an earlier run of its file.
func (s *Store) indexShipmentOrders(ctx context.Context, tx DB, docs []*Document) error {
	var (
		ids                   []int64
		rerun                 bool
		partners, kinds, nums []string
		docIDs                []int64
	)
	for _, d := range docs {
		ids = append(ids, d.ID)
		rerun = rerun || d.Run > 1
		for _, n := range d.OrderNumbers {
			partners, kinds, nums, docIDs = append(partners, d.PartnerID), append(kinds, d.Kind), append(nums, n), append(docIDs, d.ID)
		}
	}
	b := &pgx.Batch{}
	if rerun {
		b.Queue(`DELETE FROM shipment_orders WHERE document_id = ANY($1)`, ids)
	}
	if len(nums) > 0 {
		b.Queue(`INSERT INTO shipment_orders (partner_id, kind, order_number, document_id)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING`,
			partners, kinds, nums, docIDs)
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: indexing the order numbers of %d documents of file %d: %w", len(docs), docs[0].FileID, err)
	}
	return nil
}

// documentArrays are documents as column arrays, for unnest.
type documentArrays struct {
	files                                           []int64
	seqs, ics, groups, runs                         []int32
	partners, types, kinds, numbers, keys, statuses []string
	dups                                            []*int64
	bodies                                          []string
}

func documentColumnsOf(docs []*Document) *documentArrays {
	n := len(docs)
	c := &documentArrays{files: make([]int64, n), seqs: make([]int32, n), ics: make([]int32, n), groups: make([]int32, n),
		runs: make([]int32, n), partners: make([]string, n), types: make([]string, n), kinds: make([]string, n),
		numbers: make([]string, n), keys: make([]string, n), statuses: make([]string, n), dups: make([]*int64, n),
		bodies: make([]string, n)}
	for i, d := range docs {
		c.files[i], c.seqs[i], c.ics[i], c.groups[i], c.runs[i] = d.FileID, int32(d.TransactionSeq),
			int32(d.InterchangeSeq), int32(d.GroupSeq), int32(d.Run)
		c.partners[i], c.types[i], c.kinds[i], c.numbers[i] = d.PartnerID, d.Type, d.Kind, d.Number
		c.keys[i], c.statuses[i], c.dups[i], c.bodies[i] = d.BusinessKey, d.Status, d.DuplicateOf, string(d.Body)
	}
	return c
}

// ClaimDocumentKeys records each document as the first with its partner and
// business key, where no other document is. It returns, for each document
// that is not the first, the ID of the one that is. Documents must have IDs.
func (s *Store) ClaimDocumentKeys(ctx context.Context, tx DB, docs []*Document) (map[int64]int64, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	partners, keys, ids := make([]string, len(docs)), make([]string, len(docs)), make([]int64, len(docs))
	for i, d := range docs {
		partners[i], keys[i], ids[i] = d.PartnerID, d.BusinessKey, d.ID
	}
	rows, err := tx.Query(ctx, `INSERT INTO document_keys (partner_id, business_key, document_id)
		SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING RETURNING document_id`, partners, keys, ids)
	if err != nil {
		return nil, fmt.Errorf("store: claiming document keys: %w", err)
	}
	claimed, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(claimed) == len(docs) {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT d.id, k.document_id FROM unnest($1::text[], $2::text[], $3::bigint[]) AS d(partner_id, business_key, id)
		JOIN document_keys k USING (partner_id, business_key) WHERE k.document_id <> d.id`, partners, keys, ids)
	if err != nil {
		return nil, fmt.Errorf("store: reading document keys: %w", err)
	}
	defer rows.Close()
	first := map[int64]int64{}
	for rows.Next() {
		var id, orig int64
		if err := rows.Scan(&id, &orig); err != nil {
			return nil, err
		}
		first[id] = orig
	}
	return first, rows.Err()
}

// MarkDuplicate sets a document's status and the document it duplicates.
func (s *Store) MarkDuplicate(ctx context.Context, tx DB, id, of int64, status string) error {
	_, err := tx.Exec(ctx, `UPDATE documents SET status = $2, duplicate_of = $3 WHERE id = $1`, id, status, of)
	if err != nil {
		return fmt.Errorf("store: document %d: %w", id, err)
	}
	return nil
}

func jsonOr(raw json.RawMessage, empty string) []byte {
	if len(raw) == 0 {
		return []byte(empty)
	}
	return raw
}
