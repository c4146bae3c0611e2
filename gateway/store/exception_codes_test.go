package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/migrations"
)

// TestExceptionCodesMigration records exceptions with bare codes and their
// scorecard counts under migration 12, and checks that migration 13
// qualifies each code with the ack element that carries it, and renames
// the keys of the file's counts and of the hour and day rollups to match.
func TestExceptionCodesMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, p := migratedTo(t, ctx, 12)
	s := store.New(nil)
	kept, deleted := insertFile(t, ctx, s, pool), insertFile(t, ctx, s, pool)
	for seq, level := range []string{"segment", "element", "set"} {
		errs, _ := json.Marshal([]map[string]string{{"level": level, "code": "x"}})
		exec(t, ctx, pool, `INSERT INTO transactions (file_id, seq, interchange_seq, group_seq, group_control, functional_id,
			version, set_id, control_number, byte_offset, size, status, errors)
			VALUES ($1, $2, 0, 0, '1', 'PO', '004010', '850', '0001', 0, 1, 'rejected', $3)`, kept.ID, seq, errs)
	}
	ran := time.Now().Add(-time.Hour)
	exceptions := []struct {
		check string
		seq   any
		code  string
		at    time.Time
		want  string
	}{
		{"x12_validation", 0, "7", ran, "AK304:7"},
		{"x12_validation", 1, "7", ran, "AK403:7"},
		{"x12_validation", 2, "5", ran, "AK502:5"},
		{"x12_envelope", nil, "025", ran, "TA105:025"},
		{"x12_envelope", nil, "5", ran, "AK905:5"},
		{"impersonation", nil, "006", ran, "TA105:006"},
		{"unknown_ship_to", 1, "7", ran, "AK403:7"},
		{"missing_scac", 1, "AK403:1", ran, "AK403:1"},
		{"csv_validation", nil, "", ran, ""},
		{"delivery_rejected", 1, "422", time.Now().Add(time.Hour), "422"}, // after the run
	}
	for _, e := range exceptions {
		exec(t, ctx, pool, `INSERT INTO exceptions (partner_id, file_id, transaction_seq, check_name, code, severity, action,
			message, created_at) VALUES ('acme', $1, $2, $3, $4, 'error', 'reject', 'm', $5)`, kept.ID, e.seq, e.check, e.code, e.at)
	}
	received := time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)
	record(t, s, pool, &store.FileFacts{FileID: kept.ID, PartnerID: "acme", ReceivedAt: received, Sets: 3, Rejected: 3,
		ByCode: map[string]int{"7": 3, "5": 2, "025": 1, "006": 1, "AK403:1": 1}})
	record(t, s, pool, &store.FileFacts{FileID: deleted.ID, PartnerID: "acme", ReceivedAt: received, Sets: 1, Rejected: 1,
		ByCode: map[string]int{"7": 1}})
	exec(t, ctx, pool, `DELETE FROM files WHERE id = $1`, deleted.ID)

	if _, err := p.UpTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT code FROM exceptions ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for i, e := range exceptions {
		if i >= len(codes) || codes[i] != e.want {
			t.Errorf("%s exception %q: code after migration %v, want %q", e.check, e.code, codes, e.want)
		}
	}
	want := "AK304:7=1 AK403:1=1 AK403:7=2 AK502:5=1 AK905:5=1 TA105:006=1 TA105:025=1"
	if got := countsOf(t, ctx, pool, `SELECT by_code FROM file_facts WHERE file_id = $1`, kept.ID); got != want {
		t.Errorf("file_facts.by_code %s, want %s", got, want)
	}
	if got := countsOf(t, ctx, pool, `SELECT by_code FROM file_facts WHERE file_id = $1`, deleted.ID); got != "7=1" {
		t.Errorf("by_code of the deleted file %s, want 7=1", got)
	}
	for _, table := range []string{"scorecard_hour_codes", "scorecard_day_codes"} {
		q := `SELECT jsonb_object_agg(name, n) FROM (SELECT name, sum(count) AS n FROM ` + table + `
			WHERE kind = 'code' GROUP BY name) c`
		if got := countsOf(t, ctx, pool, q); got != "7=1 "+want {
			t.Errorf("%s: %s, want 7=1 %s", table, got, want)
		}
	}
}

// migratedTo returns a new database migrated up to version, and the
// provider that migrates it further.
func migratedTo(t *testing.T, ctx context.Context, version int64) (*pgxpool.Pool, *goose.Provider) {
	t.Helper()
	pool, err := pgxpool.New(ctx, dbtest.NewEmpty(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	db := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() { _ = db.Close() })
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	return pool, p
}

func exec(t *testing.T, ctx context.Context, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := pool.Exec(ctx, sql, args...); err != nil {
		t.Fatal(err)
	}
}

// countsOf reads a JSON object of counts and writes it as sorted
// "name=count" pairs.
func countsOf(t *testing.T, ctx context.Context, pool *pgxpool.Pool, sql string, args ...any) string {
	t.Helper()
	var raw []byte
	if err := pool.QueryRow(ctx, sql, args...).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	var m map[string]int
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(out, " ")
}
