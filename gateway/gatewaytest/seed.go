package gatewaytest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// SeedPartners returns n partners p000, p001, … for the seeds below.
func SeedPartners(n int) []Partner {
	ps := make([]Partner, n)
	for i := range ps {
		ps[i] = Partner{ID: fmt.Sprintf("p%03d", i), Sender: fmt.Sprintf("P%03d", i)}
	}
	return ps
}

// SeedScorecards fills the scorecard rollups with what 1 million documents
// of the 100 partners of SeedPartners(100) leave over the 30 days before
// now: 4 files an hour in each of the 4 shards of every hour and day, 3.5
// documents a file on average and one file in ten with an exception of
// one check and one code (288,000 hourly rows, 12,400 daily rows, 57,600
// hourly and 41,200 daily code rows). The rows are written with
// generate_series, not by processing files, for benchmarks of the read
// path.
func SeedScorecards(tb testing.TB, pool *pgxpool.Pool, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	var sums []string
	for i := 1; i <= 18; i++ {
		sums = append(sums, fmt.Sprintf("sum(ack_latency[%d])::integer", i))
	}
	bucketSums := strings.Join(sums, ", ")
	seed := []string{
		`INSERT INTO scorecard_hours (partner_id, hour, shard, files, transaction_sets, accepted, rejected, csv_documents,
			documents, exceptional, exceptions, duplicates, late_asns, failed_deliveries, ack_count, ack_latency)
		SELECT 'p' || lpad(p::text, 3, '0'), date_trunc('hour', $1::timestamptz) - h * interval '1 hour', s,
			1, d + r, d, r, 0, d, r, r, (p + h) % 50 / 49, 0, (p + h + s) % 97 / 96, 1,
			(SELECT array_agg((i = (p + h + s) % 9)::int ORDER BY i) FROM generate_series(0, 17) i)
		FROM generate_series(0, 99) p, generate_series(0, 719) h, generate_series(0, 3) s,
			LATERAL (SELECT 3 + (p * 7 + h * 3 + s) % 2 AS d, ((p + h + s) % 10 = 0)::int AS r) AS v`,
		// The days are the sums of their hours, as RecordFileFacts keeps them.
		`INSERT INTO scorecard_days (partner_id, day, shard, files, transaction_sets, accepted, rejected, csv_documents,
			documents, exceptional, exceptions, duplicates, late_asns, failed_deliveries, ack_count, ack_latency)
		SELECT partner_id, date_trunc('day', hour, 'UTC'), shard, sum(files), sum(transaction_sets), sum(accepted),
			sum(rejected), sum(csv_documents), sum(documents), sum(exceptional), sum(exceptions), sum(duplicates),
			sum(late_asns), sum(failed_deliveries), sum(ack_count), ARRAY[` + bucketSums + `]
		FROM scorecard_hours GROUP BY 1, 2, 3`,
		// A check and a code for each row with an exception.
		`INSERT INTO scorecard_hour_codes (partner_id, hour, shard, kind, name, count)
		SELECT partner_id, hour, shard, kind, CASE kind
			WHEN 'check' THEN (ARRAY['x12_validation', 'missing_scac', 'unknown_ship_to', 'past_date', 'price_list',
				'late_asn'])[1 + (extract(epoch FROM hour)::bigint / 3600 + shard) % 6]
			ELSE (ARRAY['AK304:8', 'AK304:3', 'AK403:7', 'AK403:1', 'AK502:5', 'AK502:1', 'TA105:006', 'TA105:025',
				'IK304:8', 'csv:required'])[1 + (extract(epoch FROM hour)::bigint / 3600 * 3 + shard) % 10] END, exceptions
		FROM scorecard_hours, unnest(ARRAY['check', 'code']) AS kind WHERE exceptions > 0`,
		`INSERT INTO scorecard_day_codes (partner_id, day, shard, kind, name, count)
		SELECT partner_id, date_trunc('day', hour, 'UTC'), shard, kind, name, sum(count)
		FROM scorecard_hour_codes GROUP BY 1, 2, 3, 4, 5`,
	}
	for i, q := range seed {
		var args []any
		if i == 0 {
			args = append(args, now)
		}
		if _, err := pool.Exec(ctx, q, args...); err != nil {
			tb.Fatal(err)
		}
	}
	for _, q := range []string{`ANALYZE scorecard_hours`, `ANALYZE scorecard_days`, `ANALYZE scorecard_hour_codes`,
		`ANALYZE scorecard_day_codes`} {
		if _, err := pool.Exec(ctx, q); err != nil {
			tb.Fatal(err)
		}
	}
}

// SeedDocuments writes 1 million documents of the 100 partners of
// SeedPartners(100) over the 30 days before now: 100,000 files of 10
// purchase orders each, one document in 20 held with an open missing_scac
// exception. It returns the number of documents.
func SeedDocuments(tb testing.TB, pool *pgxpool.Pool, now time.Time) int64 {
	tb.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO files (partner_id, channel, filename, size, sha256, received_at, status, runs, processed_at)
		SELECT 'p' || lpad((f % 100)::text, 3, '0'), 'api', 'f' || f || '.edi', 7000, sha256(f::text::bytea),
			$1::timestamptz - (f % 720) * interval '1 hour', 'accepted', 1, $1::timestamptz - (f % 720) * interval '1 hour'
		FROM generate_series(1, 100000) f`,
		`INSERT INTO documents (file_id, transaction_seq, interchange_seq, group_seq, partner_id, type, kind, number,
			business_key, status, run, body, created_at)
		SELECT f.id, s, 0, 0, f.partner_id, 'order', 'purchase_order', 'PO-' || f.id || '-' || s,
			'order/purchase_order/original/PO-' || f.id || '-' || s,
			CASE WHEN (f.id * 10 + s) % 20 = 0 THEN 'held' ELSE 'accepted' END, 1,
			json_build_object('schema', 'canonical/v1', 'type', 'order', 'kind', 'purchase_order',
				'order_number', 'PO-' || f.id || '-' || s), f.received_at
		FROM files f, generate_series(0, 9) s`,
		`INSERT INTO exceptions (partner_id, file_id, document_id, transaction_seq, check_name, severity, action, message,
			created_at)
		SELECT partner_id, file_id, id, transaction_seq, 'missing_scac', 'error', 'hold', 'the order has no carrier SCAC',
			created_at FROM documents WHERE status = 'held'`,
		`ANALYZE files`, `ANALYZE documents`, `ANALYZE exceptions`,
	} {
		var args []any
		if strings.Contains(q, "$1") {
			args = append(args, now)
		}
		if _, err := pool.Exec(ctx, q, args...); err != nil {
			tb.Fatal(err)
		}
	}
	var n int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}
