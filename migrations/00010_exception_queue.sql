-- The exception queue: lists filtered by check and document, the open
-- counts the dashboard and /metrics read, and the open holds a release
-- looks for on a document.

-- +goose Up
CREATE INDEX exceptions_document ON exceptions (document_id) WHERE document_id IS NOT NULL;
CREATE INDEX exceptions_open_partner_check ON exceptions (partner_id, check_name) WHERE status = 'open';
CREATE INDEX exceptions_check_id ON exceptions (check_name, id DESC);

-- +goose Down
DROP INDEX exceptions_check_id;
DROP INDEX exceptions_open_partner_check;
DROP INDEX exceptions_document;
