package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnergate/partnergate/partners"
)

// Partner scorecards are kept incrementally (migration 00009): each
// processing run of a file adds its FileFacts to an hourly and a daily
// rollup of its partner (scorecard_hours, scorecard_days and their codes)
// in the run's transaction, and file_facts remembers them, so that a
// reprocessed file replaces what its earlier run added instead of counting
// twice. Reading a scorecard sums the rollup rows of the window: its whole
// days from the daily rollup, the hours before and after them from the
// hourly one.

// FileFacts is what one processing run of a file adds to its partner's scorecard.
type FileFacts struct {
	FileID     int64
	PartnerID  string
	ReceivedAt time.Time // the hour bucket is the file's receipt hour
	// Sets, Accepted and Rejected count X12 transaction sets.
	Sets, Accepted, Rejected int
	// CSVDocuments counts the CSV documents read (accepted or rejected).
	CSVDocuments int
	// Documents counts the canonical documents kept.
	Documents int
	// Exceptional counts the sets and CSV documents that raised any
	// exception (rejected, held or warned).
	Exceptional int
	Exceptions  int
	Duplicates  int
	LateASNs    int
	// ByCheck counts exceptions by check name.
	ByCheck map[string]int
	// ByCode counts findings and exceptions by error code (AK304, TA105, …).
	ByCode map[string]int
	// AckLatency is the time from receipt to the acknowledgments being
	// ready. A file counts once in the latency percentiles, with its first
	// run's latency; a negative latency counts as 0.
	AckLatency time.Duration
}

// Latency buckets of the scorecards. A run's acknowledgment latency is
// counted in the first bucket whose upper bound it does not exceed, or in
// the last bucket when it exceeds them all. A percentile is read as the
// upper bound of the bucket it falls in, so it is never below the true
// value; one in the last bucket reads as 24h, the highest bound.
var ackLatencyBounds = [...]time.Duration{
	100 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second,
	5 * time.Second, 10 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute,
	10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour, 4 * time.Hour, 24 * time.Hour,
}

// ackBuckets is the length of scorecard_hours.ack_latency.
const ackBuckets = len(ackLatencyBounds) + 1

// scorecardShards is how many rollup rows a partner's hour is spread over
// (by file ID), so that concurrent runs do not wait for each other's
// commits on one row.
const scorecardShards = 4

// AckLatencyBounds returns the upper bounds of the scorecards' latency
// buckets, in increasing order; above the last is one more bucket.
func AckLatencyBounds() []time.Duration { return slices.Clone(ackLatencyBounds[:]) }

// ackBucket returns the bucket of a latency.
func ackBucket(d time.Duration) int {
	i, _ := slices.BinarySearch(ackLatencyBounds[:], d) // the first bound >= d
	return i
}

// ackBucketMS is what a percentile falling in bucket i reads, in milliseconds.
func ackBucketMS(i int) float64 {
	i = min(i, len(ackLatencyBounds)-1)
	return float64(ackLatencyBounds[i]) / float64(time.Millisecond)
}

// rollupKey is one row of scorecard_hours.
type rollupKey struct {
	partnerID string
	hour      int64 // Unix seconds
	shard     int16
}

func compareRollupKeys(a, b rollupKey) int {
	return cmp.Or(strings.Compare(a.partnerID, b.partnerID), cmp.Compare(a.hour, b.hour), cmp.Compare(a.shard, b.shard))
}

// codeKey is one row of scorecard_hour_codes or scorecard_day_codes
// within a rollup row.
type codeKey struct{ kind, name string }

// rollupColumns are the count columns of scorecard_hours, in the order of
// the col… indexes, of rollupDelta.counts and of scorecardSums.
var rollupColumns = [...]string{"files", "transaction_sets", "accepted", "rejected", "csv_documents", "documents",
	"exceptional", "exceptions", "duplicates", "late_asns", "failed_deliveries", "ack_count"}

// Indexes of rollupColumns.
const (
	colFiles = iota
	colSets
	colAccepted
	colRejected
	colCSVDocuments
	colDocuments
	colExceptional
	colExceptions
	colDuplicates
	colLateASNs
	colFailedDeliveries
	colAckCount
)

// rollupCounts are values of rollupColumns.
type rollupCounts[T int | int64] [len(rollupColumns)]T

// rollupDelta is what to add to one rollup row and its codes.
type rollupDelta struct {
	counts  rollupCounts[int]
	buckets [ackBuckets]int
	codes   map[codeKey]int
}

// add adds sign × f to d.
func (d *rollupDelta) add(f *recordedFacts, sign int) {
	var c rollupCounts[int]
	c[colFiles], c[colSets], c[colAccepted], c[colRejected] = 1, f.Sets, f.Accepted, f.Rejected
	c[colCSVDocuments], c[colDocuments], c[colExceptional], c[colExceptions] = f.CSVDocuments, f.Documents, f.Exceptional, f.Exceptions
	c[colDuplicates], c[colLateASNs], c[colAckCount] = f.Duplicates, f.LateASNs, 1
	for i, v := range c {
		d.counts[i] += sign * v
	}
	d.buckets[f.bucket] += sign
	for name, n := range f.ByCheck {
		d.codes[codeKey{"check", name}] += sign * n
	}
	for name, n := range f.ByCode {
		d.codes[codeKey{"code", name}] += sign * n
	}
}

// zero reports whether d adds nothing.
func (d *rollupDelta) zero() bool {
	if d.counts != (rollupCounts[int]{}) || d.buckets != [ackBuckets]int{} {
		return false
	}
	for _, n := range d.codes {
		if n != 0 {
			return false
		}
	}
	return true
}

// recordedFacts are FileFacts as file_facts holds them.
type recordedFacts struct {
	FileFacts
	hour   time.Time
	bucket int
}

// RecordFileFacts adds what a processing run of a file counted to its
// partner's scorecard, replacing what an earlier run of the file added.
// Call it once per run inside the run's transaction, as late as possible:
// the rollup rows it updates stay locked until the transaction ends.
func (s *Store) RecordFileFacts(ctx context.Context, tx DB, f *FileFacts) error {
	switch {
	case f.FileID <= 0:
		return errors.New("store: RecordFileFacts: FileID must be positive")
	case f.PartnerID == "":
		return fmt.Errorf("store: RecordFileFacts: file %d: PartnerID is required", f.FileID)
	case f.ReceivedAt.IsZero():
		return fmt.Errorf("store: RecordFileFacts: file %d: ReceivedAt is required", f.FileID)
	}
	now := &recordedFacts{FileFacts: *f, hour: f.ReceivedAt.UTC().Truncate(time.Hour), bucket: ackBucket(f.AckLatency)}
	// Make sure the file's row exists, then lock it: a concurrent first run
	// of the same file waits here, and then reads what this one recorded.
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO file_facts (file_id, partner_id, hour) VALUES ($1, $2, $3) ON CONFLICT (file_id) DO NOTHING`,
		f.FileID, f.PartnerID, now.hour)
	var (
		runs      int
		was       recordedFacts
		oldBucket *int16
	)
	b.Queue(`SELECT partner_id, hour, runs, transaction_sets, accepted, rejected, csv_documents, documents, exceptional,
		exceptions, duplicates, late_asns, by_check, by_code, ack_bucket FROM file_facts WHERE file_id = $1 FOR UPDATE`,
		f.FileID).QueryRow(func(row pgx.Row) error {
		return row.Scan(&was.PartnerID, &was.hour, &runs, &was.Sets, &was.Accepted, &was.Rejected, &was.CSVDocuments,
			&was.Documents, &was.Exceptional, &was.Exceptions, &was.Duplicates, &was.LateASNs, &was.ByCheck, &was.ByCode,
			&oldBucket)
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: file %d facts: %w", f.FileID, err)
	}

	shard := int16(f.FileID % scorecardShards)
	deltas := map[rollupKey]*rollupDelta{}
	delta := func(k rollupKey) *rollupDelta {
		if deltas[k] == nil {
			deltas[k] = &rollupDelta{codes: map[codeKey]int{}}
		}
		return deltas[k]
	}
	if runs > 0 && oldBucket != nil {
		was.bucket = min(int(*oldBucket), ackBuckets-1)
		delta(rollupKey{was.PartnerID, was.hour.Unix(), shard}).add(&was, -1)
		// The partner waited for the first run's acks; a reprocessing
		// days later does not make that wait longer.
		now.bucket = was.bucket
	}
	delta(rollupKey{f.PartnerID, now.hour.Unix(), shard}).add(now, +1)

	b = &pgx.Batch{}
	queueRollups(b, deltas)
	latency := max(f.AckLatency, 0)
	b.Queue(`UPDATE file_facts SET partner_id = $2, hour = $3, runs = runs + 1, transaction_sets = $4, accepted = $5,
		rejected = $6, csv_documents = $7, documents = $8, exceptional = $9, exceptions = $10, duplicates = $11,
		late_asns = $12, by_check = $13, by_code = $14,
		ack_latency_ms = CASE WHEN runs > 0 THEN ack_latency_ms ELSE $15 END, ack_bucket = $16, recorded_at = $17
		WHERE file_id = $1`,
		f.FileID, f.PartnerID, now.hour, f.Sets, f.Accepted, f.Rejected, f.CSVDocuments, f.Documents, f.Exceptional,
		f.Exceptions, f.Duplicates, f.LateASNs, nonNilCounts(f.ByCheck), nonNilCounts(f.ByCode),
		float64(latency)/float64(time.Millisecond), now.bucket, s.Now())
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: file %d scorecard: %w", f.FileID, err)
	}
	return nil
}

func nonNilCounts(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// queueRollups adds deltas to their hour rows and codes and to the day
// rows and codes of those hours. Every transaction locks rows in the same
// order: hours, days, hour codes, day codes, each by key (and kind and
// name); so two never wait for each other the other way round.
func queueRollups(b *pgx.Batch, deltas map[rollupKey]*rollupDelta) {
	days := map[rollupKey]*rollupDelta{}
	hours := slices.SortedFunc(maps.Keys(deltas), compareRollupKeys)
	for _, k := range hours {
		d := deltas[k]
		if d.zero() {
			continue
		}
		queueUpsert(b, upsertHour, k, d)
		dk := k
		dk.hour = time.Unix(k.hour, 0).UTC().Truncate(24 * time.Hour).Unix()
		day := days[dk]
		if day == nil {
			day = &rollupDelta{codes: map[codeKey]int{}}
			days[dk] = day
		}
		for i, n := range d.counts {
			day.counts[i] += n
		}
		for i, n := range d.buckets {
			day.buckets[i] += n
		}
		for c, n := range d.codes {
			day.codes[c] += n
		}
	}
	dayKeys := slices.SortedFunc(maps.Keys(days), compareRollupKeys)
	for _, k := range dayKeys {
		if d := days[k]; !d.zero() {
			queueUpsert(b, upsertDay, k, d)
		}
	}
	for _, k := range hours {
		queueCodes(b, "scorecard_hour_codes", "hour", k, deltas[k].codes)
	}
	for _, k := range dayKeys {
		queueCodes(b, "scorecard_day_codes", "day", k, days[k].codes)
	}
}

// queueUpsert adds d's counts and buckets to the row k of upsert's table.
func queueUpsert(b *pgx.Batch, upsert string, k rollupKey, d *rollupDelta) {
	args := []any{k.partnerID, time.Unix(k.hour, 0).UTC(), k.shard}
	for _, v := range d.counts {
		args = append(args, v)
	}
	b.Queue(upsert, append(args, d.buckets[:])...)
}

// queueCodes adds codes to those of the row k of table, whose period
// column is period, and deletes those that come to 0.
func queueCodes(b *pgx.Batch, table, period string, k rollupKey, codes map[codeKey]int) {
	var kinds, names []string
	var counts []int
	for _, c := range slices.SortedFunc(maps.Keys(codes), func(a, b codeKey) int {
		return cmp.Or(strings.Compare(a.kind, b.kind), strings.Compare(a.name, b.name))
	}) {
		if n := codes[c]; n != 0 {
			kinds, names, counts = append(kinds, c.kind), append(names, c.name), append(counts, n)
		}
	}
	if len(counts) == 0 {
		return
	}
	at := time.Unix(k.hour, 0).UTC()
	b.Queue(`INSERT INTO `+table+` AS c (partner_id, `+period+`, shard, kind, name, count)
		SELECT $1, $2, $3, kind, name, count FROM unnest($4::text[], $5::text[], $6::integer[]) AS u(kind, name, count)
		ON CONFLICT (partner_id, `+period+`, shard, kind, name) DO UPDATE SET count = c.count + EXCLUDED.count`,
		k.partnerID, at, k.shard, kinds, names, counts)
	if slices.ContainsFunc(counts, func(n int) bool { return n < 0 }) {
		b.Queue(`DELETE FROM `+table+` WHERE partner_id = $1 AND `+period+` = $2 AND shard = $3 AND count = 0`,
			k.partnerID, at, k.shard)
	}
}

// upsertHour and upsertDay add $4… to the counts of the rollup row ($1,
// $2, $3) and the array after them to its latency buckets, element by
// element.
var (
	upsertHour = upsertRollup("scorecard_hours", "hour")
	upsertDay  = upsertRollup("scorecard_days", "day")
)

func upsertRollup(table, period string) string {
	var cols, vals, sets []string
	for i, c := range rollupColumns {
		cols = append(cols, c)
		vals = append(vals, "$"+strconv.Itoa(i+4))
		sets = append(sets, c+" = h."+c+" + EXCLUDED."+c)
	}
	n := len(rollupColumns) + 4
	return `INSERT INTO ` + table + ` AS h (partner_id, ` + period + `, shard, ` + strings.Join(cols, ", ") + `, ack_latency)
		VALUES ($1, $2, $3, ` + strings.Join(vals, ", ") + `, $` + strconv.Itoa(n) + `::integer[])
		ON CONFLICT (partner_id, ` + period + `, shard) DO UPDATE SET ` + strings.Join(sets, ", ") + `,
		ack_latency = ARRAY(SELECT u.a + u.b FROM unnest(h.ack_latency, EXCLUDED.ack_latency) WITH ORDINALITY AS u(a, b, i)
			ORDER BY u.i)`
}

// RecordDeliveryFailure counts a failed (dead-lettered) delivery of one of
// the partner's documents in the hour of at.
func (s *Store) RecordDeliveryFailure(ctx context.Context, tx DB, partnerID string, at time.Time) error {
	if partnerID == "" {
		return errors.New("store: RecordDeliveryFailure: partnerID is required")
	}
	d := &rollupDelta{}
	d.counts[colFailedDeliveries] = 1
	b := &pgx.Batch{}
	queueRollups(b, map[rollupKey]*rollupDelta{{partnerID, at.UTC().Truncate(time.Hour).Unix(), 0}: d})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: partner %s delivery failure: %w", partnerID, err)
	}
	return nil
}

// Scorecard is a partner's record over a window of time: what it sent, how
// much of it raised exceptions, how fast it was acknowledged, and which of
// its SLA thresholds it breached.
type Scorecard struct {
	PartnerID string `json:"partner_id"`
	// Window is the length of the window, such as "24h", "7d" or "30d".
	Window string `json:"window"`
	// From is the start of the window's first hour and To the end of the
	// window (the time asked about): the window is the last whole hours,
	// the current one included.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Files counts files received, each once however often it was
	// processed.
	Files int64 `json:"files"`
	// TransactionSets, Accepted and Rejected count X12 transaction sets.
	TransactionSets int64 `json:"transaction_sets"`
	Accepted        int64 `json:"accepted"`
	Rejected        int64 `json:"rejected"`
	// CSVDocuments counts CSV documents read, accepted or rejected.
	CSVDocuments int64 `json:"csv_documents"`
	// Documents counts canonical documents kept.
	Documents int64 `json:"documents"`
	// Exceptional counts the sets and CSV documents that raised an
	// exception, and Exceptions the exceptions.
	Exceptional int64 `json:"exceptional"`
	Exceptions  int64 `json:"exceptions"`
	// ExceptionRate is Exceptional ÷ (TransactionSets + CSVDocuments), 0
	// when there were none.
	ExceptionRate float64 `json:"exception_rate"`
	// ByCheck counts exceptions by check name, ByCode findings and
	// exceptions by error code.
	ByCheck map[string]int64 `json:"by_check"`
	ByCode  map[string]int64 `json:"by_code"`
	// Duplicates counts duplicate files, interchanges and documents.
	Duplicates int64 `json:"duplicates"`
	// AckCount counts the processing runs the latency percentiles
	// measure. AckLatencyP50MS and AckLatencyP95MS are the median and the
	// 95th percentile of the time from receipt to acknowledgments, in
	// milliseconds, each read as the upper bound of its latency bucket
	// (see AckLatencyBounds); 0 when AckCount is 0.
	AckCount        int64   `json:"ack_count"`
	AckLatencyP50MS float64 `json:"ack_latency_p50_ms"`
	AckLatencyP95MS float64 `json:"ack_latency_p95_ms"`
	// LateASNs counts late ship notices.
	LateASNs int64 `json:"late_asns"`
	// FailedDeliveries counts the partner's documents whose delivery to
	// the ERP or WMS was dead-lettered.
	FailedDeliveries int64 `json:"failed_deliveries"`
	// SLABreaches names each SLA threshold the window breached, such as
	// "exception_rate 0.08 above max_exception_rate 0.05"; acknowledgment
	// latency is measured by AckLatencyP95MS.
	SLABreaches []string `json:"sla_breaches"`
	// Trend is the window day by day (UTC), oldest first; the first day
	// counts from From only.
	Trend []ScorecardDay `json:"trend"`

	buckets [ackBuckets]int64
}

// ScorecardDay is one UTC day of a scorecard's trend.
type ScorecardDay struct {
	// Day is the date, such as "2026-11-26".
	Day             string  `json:"day"`
	Files           int64   `json:"files"`
	TransactionSets int64   `json:"transaction_sets"`
	CSVDocuments    int64   `json:"csv_documents"`
	Documents       int64   `json:"documents"`
	Exceptional     int64   `json:"exceptional"`
	Exceptions      int64   `json:"exceptions"`
	ExceptionRate   float64 `json:"exception_rate"`
}

// SLAFunc returns the SLA a partner's scorecard is measured against; the
// zero SLA measures nothing.
type SLAFunc func(partnerID string) partners.SLA

// ScorecardWindow returns the form of a window Scorecard.Window has: "7d"
// for two days or more in whole days, else hours, such as "24h" or "36h".
func ScorecardWindow(window time.Duration) string {
	if window >= 48*time.Hour && window%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(window/(24*time.Hour)), 10) + "d"
	}
	return strconv.FormatInt(int64(window/time.Hour), 10) + "h"
}

// Scorecard returns a partner's scorecard over the window ending at now:
// the last window/1h hours, the current one included. sla, when not nil,
// gives the thresholds of SLABreaches. A partner with no activity gets a
// scorecard of zeros.
func (s *Store) Scorecard(ctx context.Context, db DB, partnerID string, window time.Duration, now time.Time, sla SLAFunc) (*Scorecard, error) {
	cards, err := s.Scorecards(ctx, db, window, now, []string{partnerID}, sla)
	if err != nil {
		return nil, err
	}
	return cards[0], nil
}

// Scorecards returns the scorecards of several partners over the window
// ending at now, by partner ID. With partnerIDs nil they are those of every
// partner with activity in the window; else one for each of partnerIDs,
// with zeros for a partner without activity. sla is as for Scorecard.
func (s *Store) Scorecards(ctx context.Context, db DB, window time.Duration, now time.Time, partnerIDs []string, sla SLAFunc) ([]*Scorecard, error) {
	if window < time.Hour || window%time.Hour != 0 {
		return nil, fmt.Errorf("store: scorecard window %v: want a whole number of hours", window)
	}
	to := now.UTC()
	from := to.Truncate(time.Hour).Add(time.Hour - window)
	// The window's days from firstDay on, today's included, are read from
	// scorecard_days (no hour of today comes after now), the hours before
	// firstDay from scorecard_hours. Each range is half-open, which keeps
	// the plans of the prepared statements good for any window.
	end := to.Truncate(time.Hour).Add(time.Hour)
	firstDay := from.Truncate(24 * time.Hour)
	if !firstDay.Equal(from) {
		firstDay = firstDay.Add(24 * time.Hour)
	}
	if firstDay.After(to) { // the window is a part of today
		firstDay = end
	}
	cards := map[string]*Scorecard{}
	for _, id := range partnerIDs {
		cards[id] = newScorecard(id, window, from, to)
	}
	// card returns the scorecard of a partner, or nil for one not asked for.
	card := func(id string) *Scorecard {
		c := cards[id]
		if c == nil && partnerIDs == nil {
			c = newScorecard(id, window, from, to)
			cards[id] = c
		}
		return c
	}
	// One partner is selected by the query; for several, reading them all
	// and leaving out the others is cheaper than a filter of many IDs.
	filter, args := "", []any{from, firstDay, end}
	if len(partnerIDs) == 1 {
		filter, args = " AND partner_id = $4", append(args, partnerIDs[0])
	}
	b := &pgx.Batch{}
	b.Queue(scorecardSums(filter), args...).Query(func(rows pgx.Rows) error {
		var (
			id     string
			day    time.Time
			counts rollupCounts[int64]
			bucket [ackBuckets]int64
		)
		dest := []any{&id, &day}
		for i := range counts {
			dest = append(dest, &counts[i])
		}
		for i := range bucket {
			dest = append(dest, &bucket[i])
		}
		_, err := pgx.ForEachRow(rows, dest, func() error {
			if c := card(id); c != nil {
				c.addDay(day, &counts, &bucket)
			}
			return nil
		})
		return err
	})
	b.Queue(scorecardCodes(filter), args...).Query(func(rows pgx.Rows) error {
		var (
			id, kind, name string
			n              int64
		)
		_, err := pgx.ForEachRow(rows, []any{&id, &kind, &name, &n}, func() error {
			c := card(id)
			switch {
			case c == nil:
			case kind == "check":
				c.ByCheck[name] = n
			default:
				c.ByCode[name] = n
			}
			return nil
		})
		return err
	})
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("store: scorecards: %w", err)
	}
	out := slices.SortedFunc(maps.Values(cards), func(a, b *Scorecard) int { return strings.Compare(a.PartnerID, b.PartnerID) })
	for _, c := range out {
		c.finish()
		if sla != nil {
			c.SLABreaches = slaBreaches(c, sla(c.PartnerID))
		}
	}
	return out, nil
}

// scorecardSums sums the rollups of a window by partner and UTC day: the
// hours from $1 to before $2 and the days from $2 to before $3, each with
// filter.
func scorecardSums(filter string) string {
	var sums strings.Builder
	for _, c := range rollupColumns {
		sums.WriteString(", sum(" + c + ")")
	}
	for i := 1; i <= ackBuckets; i++ {
		sums.WriteString(", sum(ack_latency[" + strconv.Itoa(i) + "])")
	}
	return `SELECT partner_id, date_trunc('day', hour, 'UTC')` + sums.String() + ` FROM scorecard_hours
		WHERE hour >= $1 AND hour < $2` + filter + ` GROUP BY 1, 2
	UNION ALL
	SELECT partner_id, day` + sums.String() + ` FROM scorecard_days WHERE day >= $2 AND day < $3` + filter + ` GROUP BY 1, 2`
}

// scorecardCodes sums the codes of a window by partner, kind and name,
// from the same ranges as scorecardSums.
func scorecardCodes(filter string) string {
	return `SELECT partner_id, kind, name, sum(n)::bigint FROM (
		SELECT partner_id, kind, name, count AS n FROM scorecard_hour_codes WHERE hour >= $1 AND hour < $2` + filter + `
		UNION ALL
		SELECT partner_id, kind, name, count FROM scorecard_day_codes WHERE day >= $2 AND day < $3` + filter + `
	) AS c GROUP BY 1, 2, 3 HAVING sum(n) <> 0`
}

func newScorecard(id string, window time.Duration, from, to time.Time) *Scorecard {
	c := &Scorecard{PartnerID: id, Window: ScorecardWindow(window), From: from, To: to,
		ByCheck: map[string]int64{}, ByCode: map[string]int64{}, SLABreaches: []string{}}
	for d := from.Truncate(24 * time.Hour); !d.After(to); d = d.Add(24 * time.Hour) {
		c.Trend = append(c.Trend, ScorecardDay{Day: d.Format(time.DateOnly)})
	}
	return c
}

// addDay adds one day's sums, in the order of rollupColumns, and latency
// buckets.
func (c *Scorecard) addDay(day time.Time, n *rollupCounts[int64], buckets *[ackBuckets]int64) {
	c.Files += n[colFiles]
	c.TransactionSets += n[colSets]
	c.Accepted += n[colAccepted]
	c.Rejected += n[colRejected]
	c.CSVDocuments += n[colCSVDocuments]
	c.Documents += n[colDocuments]
	c.Exceptional += n[colExceptional]
	c.Exceptions += n[colExceptions]
	c.Duplicates += n[colDuplicates]
	c.LateASNs += n[colLateASNs]
	c.FailedDeliveries += n[colFailedDeliveries]
	c.AckCount += n[colAckCount]
	for i, v := range buckets {
		c.buckets[i] += v
	}
	i := int(day.UTC().Sub(c.From.Truncate(24*time.Hour)) / (24 * time.Hour))
	if i < 0 || i >= len(c.Trend) {
		return
	}
	d := &c.Trend[i]
	d.Files += n[colFiles]
	d.TransactionSets += n[colSets]
	d.CSVDocuments += n[colCSVDocuments]
	d.Documents += n[colDocuments]
	d.Exceptional += n[colExceptional]
	d.Exceptions += n[colExceptions]
}

// finish works out the rates and percentiles.
func (c *Scorecard) finish() {
	c.ExceptionRate = rate(c.Exceptional, c.TransactionSets+c.CSVDocuments)
	for i := range c.Trend {
		d := &c.Trend[i]
		d.ExceptionRate = rate(d.Exceptional, d.TransactionSets+d.CSVDocuments)
	}
	c.AckLatencyP50MS = percentile(&c.buckets, 0.50)
	c.AckLatencyP95MS = percentile(&c.buckets, 0.95)
}

func rate(n, of int64) float64 {
	if of <= 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// percentile returns the upper bound, in milliseconds, of the bucket
// holding the nearest-rank q-th percentile of counts; 0 when counts are
// all 0.
func percentile(counts *[ackBuckets]int64, q float64) float64 {
	var total int64
	for _, n := range counts {
		total += n
	}
	if total <= 0 {
		return 0
	}
	rank := int64(math.Ceil(q * float64(total)))
	var seen int64
	for i, n := range counts {
		seen += n
		if seen >= rank {
			return ackBucketMS(i)
		}
	}
	return ackBucketMS(ackBuckets - 1)
}

// slaBreaches lists the thresholds of sla that c breaches. The
// acknowledgment latency measured is the 95th percentile.
func slaBreaches(c *Scorecard, sla partners.SLA) []string {
	out := []string{}
	if sla.ExceptionRateExceeded(c.Exceptional, c.TransactionSets+c.CSVDocuments) {
		out = append(out, fmt.Sprintf("exception_rate %s above max_exception_rate %s",
			strconv.FormatFloat(math.Round(c.ExceptionRate*1e4)/1e4, 'f', -1, 64), sla.MaxExceptionRate))
	}
	if p95 := time.Duration(c.AckLatencyP95MS * float64(time.Millisecond)); c.AckCount > 0 && sla.AckLatencyExceeded(p95) {
		out = append(out, fmt.Sprintf("ack_latency_p95 %v above max_ack_latency %v", p95, sla.MaxAckLatency))
	}
	if sla.LateASNsExceeded(int(c.LateASNs)) {
		out = append(out, fmt.Sprintf("late_asns %d above max_late_asns %d", c.LateASNs, *sla.MaxLateASNs))
	}
	return out
}
