-- What the poller took from partners' own SFTP servers. A row is claimed
-- (committed) before a remote file is stored, completed with the stored
-- file's ID right after, and marked removed once the remote file is gone.
-- A poll that finds a row for a file still on the server knows it already
-- stored that file, even when the process died between storing and
-- removing it: see gateway/poller.

-- +goose Up
CREATE TABLE remote_pickups (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id    text        NOT NULL,
    remote_path   text        NOT NULL,
    size          bigint      NOT NULL,
    mtime         timestamptz NOT NULL,
    -- after_file_id is the largest files.id committed when the row was
    -- claimed: the stored copy, if any, has a larger ID.
    after_file_id bigint      NOT NULL,
    file_id       bigint REFERENCES files (id) ON DELETE SET NULL,
    claimed_at    timestamptz NOT NULL,
    picked_at     timestamptz,
    removed_at    timestamptz
);
-- One live row per remote file version; removed rows are history, so a
-- later file with the same name, size and time is a new file.
CREATE UNIQUE INDEX remote_pickups_live ON remote_pickups (partner_id, remote_path, size, mtime)
    WHERE removed_at IS NULL;
CREATE INDEX remote_pickups_file ON remote_pickups (file_id);

-- +goose Down
DROP TABLE remote_pickups;
