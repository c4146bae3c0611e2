-- Deliveries of canonical documents to the ERP and WMS: one row per
-- document and destination, written in the transaction that stores the
-- document, and one row per HTTP attempt.

-- +goose Up
CREATE TABLE deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id     bigint      NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    partner_id      text        NOT NULL,
    file_id         bigint      NOT NULL,
    transaction_seq integer     NOT NULL,
    destination     text        NOT NULL,
    path            text        NOT NULL,
    -- chain_key is the document's type, kind and number: deliveries of one
    -- chain to one destination go in the order of receipt (file_id,
    -- transaction_seq), so that a cancel never overtakes its order.
    chain_key       text        NOT NULL,
    purpose         text        NOT NULL DEFAULT '',
    idempotency_key text        NOT NULL UNIQUE,
    status          text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'blocked', 'delivered', 'rejected', 'dead')),
    -- blocked_by is the earlier delivery of the chain this one waits for.
    blocked_by      bigint REFERENCES deliveries (id) ON DELETE SET NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    max_attempts    integer     NOT NULL,
    last_status     integer,
    last_error      text        NOT NULL DEFAULT '',
    next_attempt_at timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    UNIQUE (document_id, destination)
);
CREATE INDEX deliveries_open_chain ON deliveries (destination, partner_id, chain_key, file_id, transaction_seq)
    WHERE status IN ('pending', 'blocked', 'dead');
CREATE INDEX deliveries_status_id ON deliveries (status, id DESC);
CREATE INDEX deliveries_partner_id ON deliveries (partner_id, id DESC);
CREATE INDEX deliveries_blocked_by ON deliveries (blocked_by) WHERE blocked_by IS NOT NULL;

CREATE TABLE delivery_attempts (
    delivery_id bigint           NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt     integer          NOT NULL,
    started_at  timestamptz      NOT NULL,
    latency_ms  double precision NOT NULL,
    status_code integer,
    outcome     text             NOT NULL CHECK (outcome IN ('delivered', 'retry', 'rejected')),
    error       text             NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, attempt)
);

-- Files still waiting for processing, which a cancel or change must not
-- overtake (see deliveries.chain_key).
CREATE INDEX files_partner_unprocessed ON files (partner_id, id) WHERE status = 'received';

-- +goose Down
DROP INDEX files_partner_unprocessed;
DROP TABLE delivery_attempts;
DROP TABLE deliveries;
