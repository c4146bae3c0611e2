package store

import (
	"context"
	"fmt"
)

// LatestDocument returns the partner's latest document of a type, kind and
// business number that is not rejected, or ErrNotFound.
func (s *Store) LatestDocument(ctx context.Context, db DB, partnerID, docType, kind, number string) (*Document, error) {
	d, err := scanDocument(db.QueryRow(ctx, `SELECT `+documentColumns+` FROM documents
		WHERE type = $1 AND number = $2 AND partner_id = $3 AND kind = $4 AND status <> 'rejected'
		ORDER BY id DESC LIMIT 1`, docType, number, partnerID, kind))
	if err != nil {
		return nil, notFound(err)
	}
	return d, nil
}

// OrderShipmentsParams selects the shipments OrderShipments returns.
type OrderShipmentsParams struct {
	PartnerID string
	// Kind is the shipments' kind: ship_notice or warehouse_shipping_advice.
	Kind string
	// OrderNumber is the order the shipments name (shipment_orders).
	OrderNumber string
	// Except is a shipment number left out: that of the shipment being
	// checked, which replaces its earlier versions.
	Except string
	// FileID and Run leave out the documents that runs of file FileID
	// before run Run made: the run under way replaces or drops them. A
	// FileID of 0 leaves nothing out.
	FileID int64
	Run    int
}

// OrderShipments returns, oldest first, the latest version of each of the
// partner's shipments of p.Kind that names p.OrderNumber, counting only
// versions that are not rejected and not duplicates, as LatestDocument
// does: held ones count. A shipment whose latest version no longer names
// the order is not returned.
func (s *Store) OrderShipments(ctx context.Context, db DB, p *OrderShipmentsParams) ([]*Document, error) {
	rows, err := db.Query(ctx, `SELECT `+documentColumns+` FROM (
			SELECT DISTINCT ON (d.number) d.* FROM documents d
			WHERE d.type = 'shipment' AND d.partner_id = $1 AND d.kind = $2 AND d.number <> $4
				AND d.number IN (SELECT n.number FROM shipment_orders so JOIN documents n ON n.id = so.document_id
					WHERE so.partner_id = $1 AND so.kind = $2 AND so.order_number = $3)
				AND d.status <> 'rejected' AND d.duplicate_of IS NULL AND NOT (d.file_id = $5 AND d.run < $6)
			ORDER BY d.number, d.id DESC
		) latest
		WHERE EXISTS (SELECT FROM shipment_orders so WHERE so.document_id = latest.id AND so.partner_id = $1
			AND so.kind = $2 AND so.order_number = $3)
		ORDER BY id`, p.PartnerID, p.Kind, p.OrderNumber, p.Except, p.FileID, p.Run)
	if err != nil {
		return nil, fmt.Errorf("store: shipments of order %s of partner %s: %w", p.OrderNumber, p.PartnerID, err)
	}
	docs, err := collect(rows, scanDocument)
	if err != nil {
		return nil, fmt.Errorf("store: shipments of order %s of partner %s: %w", p.OrderNumber, p.PartnerID, err)
	}
	return docs, nil
}

// ExceptionCounts are what a file's exceptions add to its partner's
// scorecard.
type ExceptionCounts struct {
	// Exceptional counts the file's sets and CSV documents that were
	// rejected or raised any exception.
	Exceptional int
	Exceptions  int
	ByCheck     map[string]int
	ByCode      map[string]int
}

// FileExceptionCounts counts the exceptions of a file and the sets and
// documents they concern.
func (s *Store) FileExceptionCounts(ctx context.Context, db DB, fileID int64) (*ExceptionCounts, error) {
	c := &ExceptionCounts{ByCheck: map[string]int{}, ByCode: map[string]int{}}
	err := db.QueryRow(ctx, `SELECT count(*) FROM (
			SELECT seq FROM transactions WHERE file_id = $1 AND status = 'rejected'
			UNION SELECT transaction_seq FROM exceptions WHERE file_id = $1 AND transaction_seq IS NOT NULL) s`,
		fileID).Scan(&c.Exceptional)
	if err != nil {
		return nil, fmt.Errorf("store: exceptional sets of file %d: %w", fileID, err)
	}
	rows, err := db.Query(ctx, `SELECT check_name, code, count(*) FROM exceptions WHERE file_id = $1 GROUP BY 1, 2`, fileID)
	if err != nil {
		return nil, fmt.Errorf("store: exceptions of file %d: %w", fileID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var check, code string
		var n int
		if err := rows.Scan(&check, &code, &n); err != nil {
			return nil, err
		}
		c.Exceptions += n
		c.ByCheck[check] += n
		if code != "" {
			c.ByCode[code] += n
		}
	}
	return c, rows.Err()
}
