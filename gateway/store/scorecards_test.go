package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// scorecardNow is the time the scorecards of the tests are asked for: the
// 24h window starts 2026-11-25T13:00Z, 7d 2026-11-19T13:00Z and 30d
// 2026-10-27T13:00Z.
var scorecardNow = at("2026-11-26T12:30:00Z")

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// record runs RecordFileFacts in a transaction of its own.
func record(t *testing.T, s *store.Store, pool *pgxpool.Pool, f *store.FileFacts) {
	t.Helper()
	err := pgx.BeginFunc(context.Background(), pool, func(tx pgx.Tx) error {
		return s.RecordFileFacts(context.Background(), tx, f)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// seedScorecards records the facts the scorecard tests expect, with a
// reprocessed file (3) whose first run must not count and a file (1)
// recorded twice alike. Files 2, 3, 5, 6, 7 and 8 sit on the windows'
// edges.
func seedScorecards(t *testing.T, s *store.Store, pool *pgxpool.Pool) {
	t.Helper()
	f1 := &store.FileFacts{FileID: 1, PartnerID: "acme", ReceivedAt: at("2026-11-26T12:10:00Z"),
		Sets: 10, Accepted: 9, Rejected: 1, Documents: 9, Exceptional: 2, Exceptions: 3,
		ByCheck: map[string]int{"x12_validation": 1, "missing_scac": 2}, ByCode: map[string]int{"AK304:8": 1},
		AckLatency: 80 * time.Millisecond}
	facts := []*store.FileFacts{
		f1,
		{FileID: 2, PartnerID: "acme", ReceivedAt: at("2026-11-25T13:00:00Z"), Sets: 5, Accepted: 5, Documents: 5,
			AckLatency: 3 * time.Second},
		// File 3's first run, replaced below.
		{FileID: 3, PartnerID: "acme", ReceivedAt: at("2026-11-25T12:59:59.999Z"), Sets: 20, Rejected: 20,
			Exceptional: 20, Exceptions: 21, ByCheck: map[string]int{"x12_validation": 20, "impersonation": 1},
			ByCode: map[string]int{"AK304:8": 20, "TA105:006": 1}, AckLatency: 4 * time.Minute},
		{FileID: 4, PartnerID: "acme", ReceivedAt: at("2026-11-22T08:00:00Z"), CSVDocuments: 10, Documents: 8,
			Exceptional: 2, Exceptions: 2, LateASNs: 3, ByCheck: map[string]int{"csv_validation": 2},
			AckLatency: 40 * time.Second},
		{FileID: 5, PartnerID: "acme", ReceivedAt: at("2026-11-19T13:00:00Z"), Sets: 4, Accepted: 4, Documents: 4,
			Duplicates: 1, AckLatency: 200 * time.Millisecond},
		{FileID: 6, PartnerID: "acme", ReceivedAt: at("2026-11-19T12:59:00Z"), Sets: 100, Accepted: 100, Documents: 100,
			AckLatency: 25 * time.Hour},
		{FileID: 7, PartnerID: "acme", ReceivedAt: at("2026-10-27T13:00:00Z"), Sets: 1, Accepted: 1, Documents: 1,
			AckLatency: time.Second},
		{FileID: 8, PartnerID: "acme", ReceivedAt: at("2026-10-27T12:59:59Z"), Sets: 1000, Accepted: 1000, Documents: 1000,
			AckLatency: time.Second},
		{FileID: 11, PartnerID: "globex", ReceivedAt: at("2026-11-26T09:00:00Z"), Sets: 10, Accepted: 10, Documents: 10,
			AckLatency: 500 * time.Millisecond},
		{FileID: 12, PartnerID: "globex", ReceivedAt: at("2026-11-24T09:00:00Z"), Sets: 10, Rejected: 10,
			Exceptional: 10, Exceptions: 10, ByCode: map[string]int{"AK502:5": 10}, AckLatency: 2 * time.Second},
		// File 3 reprocessed: its contribution is replaced.
		{FileID: 3, PartnerID: "acme", ReceivedAt: at("2026-11-25T12:59:59.999Z"), Sets: 20, Accepted: 15, Rejected: 5,
			Documents: 15, Exceptional: 5, Exceptions: 5, ByCheck: map[string]int{"x12_validation": 5},
			ByCode: map[string]int{"AK304:8": 5}, AckLatency: 30 * time.Hour}, // the first run's latency stands
		f1, // file 1 reprocessed alike
	}
	for _, f := range facts {
		record(t, s, pool, f)
	}
	ctx := context.Background()
	for _, when := range []string{"2026-11-26T11:15:00Z", "2026-11-26T11:59:59Z", "2026-11-20T00:00:00Z", "2026-11-19T12:00:00Z"} {
		if err := s.RecordDeliveryFailure(ctx, pool, "acme", at(when)); err != nil {
			t.Fatal(err)
		}
	}
	checkDaysMatchHours(t, pool)
}

// checkDaysMatchHours fails t unless each row of scorecard_days holds the
// sums of its hours.
func checkDaysMatchHours(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	var differ int
	err := pool.QueryRow(context.Background(), `SELECT count(*) FROM (
		SELECT partner_id, date_trunc('day', hour, 'UTC') AS day, shard, sum(files) AS files,
			sum(transaction_sets) AS sets, sum(documents) AS documents, sum(exceptional) AS exceptional,
			sum(failed_deliveries) AS failed, sum(ack_count) AS acks, sum(ack_latency[1] + 2 * ack_latency[6]) AS buckets
		FROM scorecard_hours GROUP BY 1, 2, 3) h
		FULL JOIN (SELECT partner_id, day, shard, files::bigint, transaction_sets::bigint AS sets, documents::bigint,
			exceptional::bigint, failed_deliveries::bigint AS failed, ack_count::bigint AS acks,
			(ack_latency[1] + 2 * ack_latency[6])::bigint AS buckets FROM scorecard_days) d USING (partner_id, day, shard)
		WHERE (h.files, h.sets, h.documents, h.exceptional, h.failed, h.acks, h.buckets)
			IS DISTINCT FROM (d.files, d.sets, d.documents, d.exceptional, d.failed, d.acks, d.buckets)`).Scan(&differ)
	if err != nil || differ != 0 {
		t.Errorf("%d days differ from their hours (%v)", differ, err)
	}
	err = pool.QueryRow(context.Background(), `SELECT count(*) FROM (
		SELECT partner_id, date_trunc('day', hour, 'UTC') AS day, shard, kind, name, sum(count) AS n
		FROM scorecard_hour_codes GROUP BY 1, 2, 3, 4, 5) h
		FULL JOIN (SELECT partner_id, day, shard, kind, name, count::bigint AS n FROM scorecard_day_codes) d
			USING (partner_id, day, shard, kind, name)
		WHERE h.n IS DISTINCT FROM d.n`).Scan(&differ)
	if err != nil || differ != 0 {
		t.Errorf("%d day codes differ from their hours' (%v)", differ, err)
	}
}

// trend returns the days from first to last, zeros but for set, whose
// exception rates it fills in.
func trend(first, last string, set ...store.ScorecardDay) []store.ScorecardDay {
	var out []store.ScorecardDay
	for d := at(first + "T00:00:00Z"); !d.After(at(last + "T00:00:00Z")); d = d.Add(24 * time.Hour) {
		day := store.ScorecardDay{Day: d.Format(time.DateOnly)}
		for _, s := range set {
			if s.Day == day.Day {
				day = s
				if n := s.TransactionSets + s.CSVDocuments; n > 0 {
					day.ExceptionRate = float64(s.Exceptional) / float64(n)
				}
			}
		}
		out = append(out, day)
	}
	return out
}

// slas are the SLAs of the tests: acme's, and none for the others.
func slas(id string) partners.SLA {
	if id != "acme" {
		return partners.SLA{}
	}
	two := 2
	return partners.SLA{MaxExceptionRate: "0.05", MaxAckLatency: time.Minute, MaxLateASNs: &two}
}

// sameScorecard fails t when got is not want, comparing their JSON.
func sameScorecard(t *testing.T, got, want *store.Scorecard) {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if string(g) != string(w) {
		t.Errorf("scorecard\n%s\nwant\n%s", g, w)
	}
}

func acmeScorecards() map[string]*store.Scorecard {
	f1Trend := store.ScorecardDay{Day: "2026-11-26", Files: 1, TransactionSets: 10, Documents: 9, Exceptional: 2, Exceptions: 3}
	day24 := store.ScorecardDay{Day: "2026-11-25", Files: 1, TransactionSets: 5, Documents: 5}
	day25 := store.ScorecardDay{Day: "2026-11-25", Files: 2, TransactionSets: 25, Documents: 20, Exceptional: 5, Exceptions: 5}
	day22 := store.ScorecardDay{Day: "2026-11-22", Files: 1, CSVDocuments: 10, Documents: 8, Exceptional: 2, Exceptions: 2}
	day19 := store.ScorecardDay{Day: "2026-11-19", Files: 1, TransactionSets: 4, Documents: 4}
	return map[string]*store.Scorecard{
		// Files 1 and 2, two delivery failures.
		"24h": {PartnerID: "acme", Window: "24h", From: at("2026-11-25T13:00:00Z"), To: scorecardNow,
			Files: 2, TransactionSets: 15, Accepted: 14, Rejected: 1, Documents: 14, Exceptional: 2, Exceptions: 3,
			ExceptionRate: 2.0 / 15, ByCheck: map[string]int64{"x12_validation": 1, "missing_scac": 2},
			ByCode: map[string]int64{"AK304:8": 1}, AckCount: 2, AckLatencyP50MS: 100, AckLatencyP95MS: 5000,
			FailedDeliveries: 2, SLABreaches: []string{"exception_rate 0.1333 above max_exception_rate 0.05"},
			Trend: trend("2026-11-25", "2026-11-26", day24, f1Trend)},
		// Files 1 to 5 (3 as reprocessed), three delivery failures;
		// latencies 80ms, 3s, 4m, 40s, 200ms.
		"7d": {PartnerID: "acme", Window: "7d", From: at("2026-11-19T13:00:00Z"), To: scorecardNow,
			Files: 5, TransactionSets: 39, Accepted: 33, Rejected: 6, CSVDocuments: 10, Documents: 41,
			Exceptional: 9, Exceptions: 10, ExceptionRate: 9.0 / 49,
			ByCheck: map[string]int64{"x12_validation": 6, "missing_scac": 2, "csv_validation": 2},
			ByCode:  map[string]int64{"AK304:8": 6}, Duplicates: 1, AckCount: 5, AckLatencyP50MS: 5000,
			AckLatencyP95MS: 300000, LateASNs: 3, FailedDeliveries: 3,
			SLABreaches: []string{"exception_rate 0.1837 above max_exception_rate 0.05",
				"ack_latency_p95 5m0s above max_ack_latency 1m0s", "late_asns 3 above max_late_asns 2"},
			Trend: trend("2026-11-19", "2026-11-26", day19, day22, day25, f1Trend)},
		// Files 1 to 7, four delivery failures; 25h reads as 24h.
		"30d": {PartnerID: "acme", Window: "30d", From: at("2026-10-27T13:00:00Z"), To: scorecardNow,
			Files: 7, TransactionSets: 140, Accepted: 134, Rejected: 6, CSVDocuments: 10, Documents: 142,
			Exceptional: 9, Exceptions: 10, ExceptionRate: 9.0 / 150,
			ByCheck: map[string]int64{"x12_validation": 6, "missing_scac": 2, "csv_validation": 2},
			ByCode:  map[string]int64{"AK304:8": 6}, Duplicates: 1, AckCount: 7, AckLatencyP50MS: 5000,
			AckLatencyP95MS: 24 * 3600 * 1000, LateASNs: 3, FailedDeliveries: 4,
			SLABreaches: []string{"exception_rate 0.06 above max_exception_rate 0.05",
				"ack_latency_p95 24h0m0s above max_ack_latency 1m0s", "late_asns 3 above max_late_asns 2"},
			Trend: trend("2026-10-27", "2026-11-26", store.ScorecardDay{Day: "2026-10-27", Files: 1, TransactionSets: 1, Documents: 1},
				store.ScorecardDay{Day: "2026-11-19", Files: 2, TransactionSets: 104, Documents: 104},
				day22, day25, f1Trend)},
	}
}

// TestScorecardWindows checks a partner's scorecards over 24h, 7d and 30d
// against hand-computed numbers: window edges, a reprocessed file counted
// once with its last run's numbers (and its first run's latency), trend
// days, percentiles and SLA
// breaches.
func TestScorecardWindows(t *testing.T) {
	t.Parallel()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	seedScorecards(t, s, pool)
	windows := map[string]time.Duration{"24h": 24 * time.Hour, "7d": 7 * 24 * time.Hour, "30d": 30 * 24 * time.Hour}
	for name, want := range acmeScorecards() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := s.Scorecard(context.Background(), pool, "acme", windows[name], scorecardNow, slas)
			if err != nil {
				t.Fatal(err)
			}
			sameScorecard(t, got, want)
		})
	}
}

// TestScorecardsAllPartners checks Scorecards for every active partner,
// and for a list of partners, one of which has had no activity.
func TestScorecardsAllPartners(t *testing.T) {
	t.Parallel()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	seedScorecards(t, s, pool)
	ctx := context.Background()
	week := 7 * 24 * time.Hour
	globex := &store.Scorecard{PartnerID: "globex", Window: "7d", From: at("2026-11-19T13:00:00Z"), To: scorecardNow,
		Files: 2, TransactionSets: 20, Accepted: 10, Rejected: 10, Documents: 10, Exceptional: 10, Exceptions: 10,
		ExceptionRate: 0.5, ByCheck: map[string]int64{}, ByCode: map[string]int64{"AK502:5": 10}, AckCount: 2,
		AckLatencyP50MS: 500, AckLatencyP95MS: 2000, SLABreaches: []string{},
		Trend: trend("2026-11-19", "2026-11-26",
			store.ScorecardDay{Day: "2026-11-24", Files: 1, TransactionSets: 10, Exceptional: 10, Exceptions: 10},
			store.ScorecardDay{Day: "2026-11-26", Files: 1, TransactionSets: 10, Documents: 10})}
	idle := &store.Scorecard{PartnerID: "idle", Window: "7d", From: at("2026-11-19T13:00:00Z"), To: scorecardNow,
		ByCheck: map[string]int64{}, ByCode: map[string]int64{}, SLABreaches: []string{}, Trend: trend("2026-11-19", "2026-11-26")}

	all, err := s.Scorecards(ctx, pool, week, scorecardNow, nil, slas)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Fatalf("%d scorecards, want acme and globex", len(all))
	}
	sameScorecard(t, all[0], acmeScorecards()["7d"])
	sameScorecard(t, all[1], globex)

	some, err := s.Scorecards(ctx, pool, week, scorecardNow, []string{"idle", "globex"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(some) != 2 {
		t.Fatalf("%d scorecards, want globex and idle", len(some))
	}
	sameScorecard(t, some[0], globex)
	sameScorecard(t, some[1], idle)

	if _, err := s.Scorecards(ctx, pool, 90*time.Minute, scorecardNow, nil, nil); err == nil {
		t.Error("a window of 90m was taken")
	}
}

// TestRecordFileFactsReplaces checks that each run of a file replaces what
// the previous one added, down to the rollup rows themselves, and that a
// file keeps counting once.
func TestRecordFileFactsReplaces(t *testing.T) {
	t.Parallel()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	ctx := context.Background()
	received := scorecardNow.Add(-time.Hour)
	runs := []*store.FileFacts{
		{Sets: 3, Rejected: 3, Exceptional: 3, Exceptions: 4, ByCheck: map[string]int{"a": 4}, ByCode: map[string]int{"x": 2, "y": 1},
			AckLatency: time.Hour},
		{Sets: 3, Accepted: 2, Rejected: 1, Documents: 2, Exceptional: 1, Exceptions: 1, ByCheck: map[string]int{"b": 1},
			ByCode: map[string]int{"y": 1}, AckLatency: -time.Second},
		{Sets: 3, Accepted: 3, Documents: 3, AckLatency: 10 * time.Second},
	}
	for i, f := range runs {
		f.FileID, f.PartnerID, f.ReceivedAt = 42, "acme", received
		record(t, s, pool, f)
		got, err := s.Scorecard(ctx, pool, "acme", 24*time.Hour, scorecardNow, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Files != 1 || got.TransactionSets != 3 || got.Accepted != int64(f.Accepted) || got.Documents != int64(f.Documents) ||
			got.Exceptions != int64(f.Exceptions) || got.AckCount != 1 || len(got.ByCheck) != len(f.ByCheck) || len(got.ByCode) != len(f.ByCode) {
			t.Errorf("after run %d: %+v", i+1, got)
		}
		for name, n := range f.ByCode {
			if got.ByCode[name] != int64(n) {
				t.Errorf("after run %d: code %s %d, want %d", i+1, name, got.ByCode[name], n)
			}
		}
	}
	checkDaysMatchHours(t, pool)
	var runsSeen, codeRows int
	if err := pool.QueryRow(ctx, `SELECT runs FROM file_facts WHERE file_id = 42`).Scan(&runsSeen); err != nil || runsSeen != 3 {
		t.Errorf("file_facts.runs %d, %v; want 3", runsSeen, err)
	}
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM scorecard_hour_codes) + (SELECT count(*) FROM scorecard_day_codes)`).Scan(&codeRows); err != nil || codeRows != 0 {
		t.Errorf("%d code rows left, %v; want none", codeRows, err)
	}
	got, err := s.Scorecard(ctx, pool, "acme", 24*time.Hour, scorecardNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.AckLatencyP50MS != 3600000 || got.AckLatencyP95MS != 3600000 {
		t.Errorf("latency p50 %v p95 %v, want the first run's 1h bucket", got.AckLatencyP50MS, got.AckLatencyP95MS)
	}
}

// TestRecordFileFactsConcurrentFirstRuns runs the first two runs of a file
// in concurrent transactions: the second waits for the first and then
// replaces it, so the file counts once.
func TestRecordFileFactsConcurrentFirstRuns(t *testing.T) {
	t.Parallel()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	ctx := context.Background()
	f := &store.FileFacts{FileID: 7, PartnerID: "acme", ReceivedAt: scorecardNow, Sets: 1, Accepted: 1, Documents: 1}
	first, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(ctx)
	if err := s.RecordFileFacts(ctx, first, f); err != nil {
		t.Fatal(err)
	}
	second, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Rollback(ctx)
	var pid int
	if err := second.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.RecordFileFacts(ctx, second, f) }()
	waitForLock(t, pool, pid)
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := second.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s.Scorecard(ctx, pool, "acme", time.Hour, scorecardNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Files != 1 || got.TransactionSets != 1 || got.AckCount != 1 {
		t.Errorf("files %d, sets %d, acks %d; want 1 each", got.Files, got.TransactionSets, got.AckCount)
	}
}

// waitForLock waits until the backend pid waits for a lock.
func waitForLock(t *testing.T, pool *pgxpool.Pool, pid int) {
	t.Helper()
	for i := 0; ; i++ {
		var waiting bool
		err := pool.QueryRow(context.Background(),
			`SELECT coalesce(wait_event_type = 'Lock', false) FROM pg_stat_activity WHERE pid = $1`, pid).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting {
			return
		}
		if i == 10000 {
			t.Fatal("the second run never waited for the first")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestRecordFileFactsRefuses checks the required fields.
func TestRecordFileFactsRefuses(t *testing.T) {
	t.Parallel()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	for _, f := range []*store.FileFacts{
		{PartnerID: "acme", ReceivedAt: scorecardNow},
		{FileID: 1, ReceivedAt: scorecardNow},
		{FileID: 1, PartnerID: "acme"},
	} {
		err := s.RecordFileFacts(context.Background(), pool, f)
		if err == nil || !strings.HasPrefix(err.Error(), "store: RecordFileFacts") {
			t.Errorf("%+v: %v", f, err)
		}
	}
	if err := s.RecordDeliveryFailure(context.Background(), pool, "", scorecardNow); err == nil {
		t.Error("a delivery failure without a partner was counted")
	}
}

// TestScorecardWindowNames checks the names of windows.
func TestScorecardWindowNames(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{time.Hour: "1h", 24 * time.Hour: "24h", 36 * time.Hour: "36h",
		48 * time.Hour: "2d", 7 * 24 * time.Hour: "7d", 30 * 24 * time.Hour: "30d"} {
		if got := store.ScorecardWindow(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}

// TestRecordFileFactsConcurrentRuns records runs of 40 files, over two days
// and several hours, from 8 transactions at once, each file several times:
// no transaction deadlocks, and each file counts once.
func TestRecordFileFactsConcurrentRuns(t *testing.T) {
	t.Parallel()
	_, pool := dbtest.New(t)
	s := store.New(nil)
	ctx := context.Background()
	facts := func(id int64) *store.FileFacts {
		return &store.FileFacts{FileID: id, PartnerID: "acme", ReceivedAt: scorecardNow.Add(-time.Duration(id%5) * 11 * time.Hour),
			Sets: 2, Accepted: 1, Rejected: 1, Documents: 1, Exceptional: 1, Exceptions: 2,
			ByCheck: map[string]int{"x12_validation": 1, "missing_scac": 1}, ByCode: map[string]int{"AK304:8": 1, "AK403:7": 1},
			AckLatency: time.Duration(id) * time.Second}
	}
	errs := make(chan error, 8)
	for w := range 8 {
		go func() {
			for i := range 40 {
				id := int64((i*7+w*3)%40 + 1)
				err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return s.RecordFileFacts(ctx, tx, facts(id)) })
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Scorecard(ctx, pool, "acme", 7*24*time.Hour, scorecardNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Files != 40 || got.TransactionSets != 80 || got.Exceptions != 80 || got.AckCount != 40 ||
		got.ByCheck["missing_scac"] != 40 || got.ByCode["AK403:7"] != 40 {
		t.Errorf("%+v", got)
	}
	checkDaysMatchHours(t, pool)
}
