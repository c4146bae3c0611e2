-- The dashboard (gateway/web/ui): sign-in sessions kept in the database, so
-- that any gateway node serves any signed-in browser and signing out ends
-- the session everywhere; and the indexes of its search by order or
-- shipment number.

-- +goose Up
-- A session of a member of staff who signed in with a token. The cookie
-- holds a random session ID; only its SHA-256 is stored here, never the
-- token. csrf is the per-session token of the dashboard's forms.
CREATE TABLE ui_sessions (
    id_hash    bytea       PRIMARY KEY,
    staff      text        NOT NULL,
    role       text        NOT NULL,
    csrf       text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX ui_sessions_expires ON ui_sessions (expires_at);

-- Documents by number across partners and types (documents_type_number
-- needs the type first).
CREATE INDEX documents_number ON documents (number);
-- Shipments by the order numbers they fill.
CREATE INDEX documents_shipment_orders ON documents USING gin (((body::jsonb) -> 'order_numbers') jsonb_path_ops)
    WHERE type = 'shipment';

-- +goose Down
DROP INDEX documents_shipment_orders;
DROP INDEX documents_number;
DROP TABLE ui_sessions;
