-- Delivery of outbox items to partners whose channel is AS2, by the
-- as2_send job.

-- +goose Up
-- delivered_at is when the partner's MDN confirmed the item (the item is
-- then picked up too); delivery_failed_at when the last attempt failed and no
-- more are made. delivery_attempts counts the attempts made; delivery_error
-- is the error of the last failed one, or the MDN's warning once delivered.
-- delivery_message_id is the Message-ID the item is sent with and
-- delivery_mdn the MDN that confirmed it, headers and body. All stay NULL,
-- 0 and '' for items partners pick up themselves.
ALTER TABLE outbox
    ADD COLUMN delivered_at        timestamptz,
    ADD COLUMN delivery_failed_at  timestamptz,
    ADD COLUMN delivery_attempts   integer NOT NULL DEFAULT 0,
    ADD COLUMN delivery_error      text    NOT NULL DEFAULT '',
    ADD COLUMN delivery_message_id text    NOT NULL DEFAULT '',
    ADD COLUMN delivery_mdn        bytea;

-- +goose Down
ALTER TABLE outbox
    DROP COLUMN delivered_at,
    DROP COLUMN delivery_failed_at,
    DROP COLUMN delivery_attempts,
    DROP COLUMN delivery_error,
    DROP COLUMN delivery_message_id,
    DROP COLUMN delivery_mdn;
