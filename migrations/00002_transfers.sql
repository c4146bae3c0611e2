-- How each partner's file transfers went: logins to the gateway's SFTP
-- server, polls of the partner's own server, files moved each way.

-- +goose Up
CREATE TABLE partner_transfers (
    partner_id    text        PRIMARY KEY,
    last_login_at timestamptz,
    last_login_channel text   NOT NULL DEFAULT '',
    last_poll_at  timestamptz,
    files_in      bigint      NOT NULL DEFAULT 0,
    files_out     bigint      NOT NULL DEFAULT 0,
    last_error    text        NOT NULL DEFAULT '',
    last_error_at timestamptz
);

-- +goose Down
DROP TABLE partner_transfers;
