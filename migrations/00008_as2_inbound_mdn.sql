-- Asynchronous MDNs for what we send: an outbox item sent over AS2 to a
-- partner whose channels.as2.mdn is async waits for the MDN the partner
-- POSTs to our AS2 endpoint, matched by its Original-Message-ID.

-- +goose Up
-- delivery_mic is the base64 MIC of the signed payload entity and
-- delivery_mic_alg its algorithm as named in micalg (sha-256, ...), which the
-- MDN's Received-Content-MIC must match. delivery_sent_at is when the item
-- was last POSTed asking for an asynchronous MDN; NULL for synchronous
-- MDNs and items never sent.
ALTER TABLE outbox
    ADD COLUMN delivery_mic      text NOT NULL DEFAULT '',
    ADD COLUMN delivery_mic_alg  text NOT NULL DEFAULT '',
    ADD COLUMN delivery_sent_at  timestamptz;
-- An MDN names the Message-ID it answers; the partner is who sent it.
CREATE INDEX outbox_delivery_message ON outbox (partner_id, delivery_message_id) WHERE delivery_message_id <> '';

-- +goose Down
DROP INDEX outbox_delivery_message;
ALTER TABLE outbox
    DROP COLUMN delivery_mic,
    DROP COLUMN delivery_mic_alg,
    DROP COLUMN delivery_sent_at;
