-- AS2 messages received: one row per (partner, Message-ID), recorded right
-- after the payload is committed, with the MDN sent for it. A repeated
-- Message-ID finds its row and is answered from it, not ingested again.

-- +goose Up
CREATE TABLE as2_messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id  text        NOT NULL,
    message_id  text        NOT NULL,
    file_id     bigint REFERENCES files (id) ON DELETE SET NULL,
    -- mic is the base64 Received-Content-MIC and mic_alg its algorithm,
    -- such as sha256.
    mic         text        NOT NULL,
    mic_alg     text        NOT NULL,
    disposition text        NOT NULL,
    -- mdn is the MDN sent, headers and body; empty when none was asked.
    mdn         bytea       NOT NULL,
    received_at timestamptz NOT NULL,
    UNIQUE (partner_id, message_id)
);
CREATE INDEX as2_messages_file ON as2_messages (file_id);

-- +goose Down
DROP TABLE as2_messages;
