-- Asynchronous MDNs: the delivery of the MDN of a message to the
-- partner's Receipt-Delivery-Option URL, by the as2_send_mdn job.

-- +goose Up
-- mdn_delivered_at is when a delivery was answered 2xx; mdn_failed_at when
-- the last attempt failed and no more are made. mdn_attempts counts the
-- attempts made and mdn_error is the error of the last failed one. All stay
-- NULL, 0 and '' for synchronous MDNs.
ALTER TABLE as2_messages
    ADD COLUMN mdn_delivered_at timestamptz,
    ADD COLUMN mdn_failed_at    timestamptz,
    ADD COLUMN mdn_attempts     integer NOT NULL DEFAULT 0,
    ADD COLUMN mdn_error        text    NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE as2_messages
    DROP COLUMN mdn_delivered_at,
    DROP COLUMN mdn_failed_at,
    DROP COLUMN mdn_attempts,
    DROP COLUMN mdn_error;
