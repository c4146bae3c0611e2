-- The order numbers each shipment names, so that over_shipment finds the
-- other shipments against an order by an index instead of reading every
-- shipment's body. Rows are written with the shipment's document
-- (store.UpsertDocuments, from partners.ShipmentOrderNumbers) and go with
-- it.

-- +goose Up
CREATE TABLE shipment_orders (
    partner_id   text   NOT NULL,
    kind         text   NOT NULL,
    order_number text   NOT NULL,
    document_id  bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (partner_id, kind, order_number, document_id)
);
CREATE INDEX shipment_orders_document ON shipment_orders (document_id);

-- The shipments stored before: their order_numbers as they are and their
-- lines' order_number trimmed, as partners.ShipmentOrderNumbers names them.
INSERT INTO shipment_orders (partner_id, kind, order_number, document_id)
SELECT DISTINCT d.partner_id, d.kind, n.number, d.id
FROM documents d
CROSS JOIN LATERAL (
    SELECT o.value AS number
    FROM json_array_elements_text(CASE WHEN json_typeof(d.body -> 'order_numbers') = 'array'
        THEN d.body -> 'order_numbers' END) o
    UNION
    SELECT btrim(l ->> 'order_number', E' \t\n\r\f\x0B')
    FROM json_array_elements(CASE WHEN json_typeof(d.body -> 'lines') = 'array' THEN d.body -> 'lines' END) l
) n
WHERE d.type = 'shipment' AND n.number <> '';

-- +goose Down
DROP TABLE shipment_orders;
