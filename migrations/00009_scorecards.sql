-- Partner scorecards, kept incrementally: every processing run adds what it
-- counted to an hourly and a daily rollup per partner, so reading a
-- scorecard sums rollup rows and never scans documents.
-- file_facts keeps what each file's current run contributed; a reprocessed
-- file replaces its contribution (the rollup gets new − old), so it is never
-- counted twice. See gateway/store/scorecards.go.

-- +goose Up
-- One row per partner, hour of receipt (UTC) and shard. Concurrent runs of
-- one partner's files update the shard of their file ID (file_id % 4), so
-- they do not all queue behind one row lock until their transactions
-- commit; reads sum the shards. ack_latency counts runs by the latency bucket of
-- their acknowledgments (the bounds are ackLatencyBounds in
-- gateway/store/scorecards.go; the last bucket is everything above them).
CREATE TABLE scorecard_hours (
    partner_id        text        NOT NULL,
    hour              timestamptz NOT NULL,
    shard             smallint    NOT NULL,
    files             integer     NOT NULL DEFAULT 0,
    transaction_sets  integer     NOT NULL DEFAULT 0,
    accepted          integer     NOT NULL DEFAULT 0,
    rejected          integer     NOT NULL DEFAULT 0,
    csv_documents     integer     NOT NULL DEFAULT 0,
    documents         integer     NOT NULL DEFAULT 0,
    -- exceptional counts sets and CSV documents that raised any exception.
    exceptional       integer     NOT NULL DEFAULT 0,
    exceptions        integer     NOT NULL DEFAULT 0,
    duplicates        integer     NOT NULL DEFAULT 0,
    late_asns         integer     NOT NULL DEFAULT 0,
    failed_deliveries integer     NOT NULL DEFAULT 0,
    ack_count         integer     NOT NULL DEFAULT 0,
    ack_latency       integer[]   NOT NULL CHECK (cardinality(ack_latency) = 18),
    PRIMARY KEY (partner_id, hour, shard)
);
CREATE INDEX scorecard_hours_hour ON scorecard_hours (hour);

-- The same by UTC day (day is midnight UTC), kept alongside the hours, so
-- that a window reads its whole days here and only its first and last
-- days' hours from scorecard_hours.
CREATE TABLE scorecard_days (
    partner_id        text        NOT NULL,
    day               timestamptz NOT NULL,
    shard             smallint    NOT NULL,
    files             integer     NOT NULL DEFAULT 0,
    transaction_sets  integer     NOT NULL DEFAULT 0,
    accepted          integer     NOT NULL DEFAULT 0,
    rejected          integer     NOT NULL DEFAULT 0,
    csv_documents     integer     NOT NULL DEFAULT 0,
    documents         integer     NOT NULL DEFAULT 0,
    exceptional       integer     NOT NULL DEFAULT 0,
    exceptions        integer     NOT NULL DEFAULT 0,
    duplicates        integer     NOT NULL DEFAULT 0,
    late_asns         integer     NOT NULL DEFAULT 0,
    failed_deliveries integer     NOT NULL DEFAULT 0,
    ack_count         integer     NOT NULL DEFAULT 0,
    ack_latency       integer[]   NOT NULL CHECK (cardinality(ack_latency) = 18),
    PRIMARY KEY (partner_id, day, shard)
);
CREATE INDEX scorecard_days_day ON scorecard_days (day);

-- Exceptions by check name (kind 'check') and findings and exceptions by
-- error code (kind 'code': AK304, TA105, ...), per partner, hour and shard.
CREATE TABLE scorecard_hour_codes (
    partner_id text        NOT NULL,
    hour       timestamptz NOT NULL,
    shard      smallint    NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('check', 'code')),
    name       text        NOT NULL,
    count      integer     NOT NULL,
    PRIMARY KEY (partner_id, hour, shard, kind, name)
);
CREATE INDEX scorecard_hour_codes_hour ON scorecard_hour_codes (hour);

-- The same by UTC day, kept alongside, as scorecard_days is.
CREATE TABLE scorecard_day_codes (
    partner_id text        NOT NULL,
    day        timestamptz NOT NULL,
    shard      smallint    NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('check', 'code')),
    name       text        NOT NULL,
    count      integer     NOT NULL,
    PRIMARY KEY (partner_id, day, shard, kind, name)
);
CREATE INDEX scorecard_day_codes_day ON scorecard_day_codes (day);

-- What the current run of each file added to the rollup. file_id is not a
-- foreign key: what a file contributed stays counted, and recorded here,
-- even if the file is deleted. runs is 0 for a row a run has only locked.
CREATE TABLE file_facts (
    file_id          bigint      PRIMARY KEY,
    partner_id       text        NOT NULL,
    hour             timestamptz NOT NULL,
    runs             integer     NOT NULL DEFAULT 0,
    transaction_sets integer     NOT NULL DEFAULT 0,
    accepted         integer     NOT NULL DEFAULT 0,
    rejected         integer     NOT NULL DEFAULT 0,
    csv_documents    integer     NOT NULL DEFAULT 0,
    documents        integer     NOT NULL DEFAULT 0,
    exceptional      integer     NOT NULL DEFAULT 0,
    exceptions       integer     NOT NULL DEFAULT 0,
    duplicates       integer     NOT NULL DEFAULT 0,
    late_asns        integer     NOT NULL DEFAULT 0,
    by_check         jsonb       NOT NULL DEFAULT '{}',
    by_code          jsonb       NOT NULL DEFAULT '{}',
    ack_latency_ms   double precision,
    ack_bucket       smallint,
    recorded_at      timestamptz
);

-- +goose Down
DROP TABLE file_facts;
DROP TABLE scorecard_day_codes;
DROP TABLE scorecard_hour_codes;
DROP TABLE scorecard_days;
DROP TABLE scorecard_hours;
