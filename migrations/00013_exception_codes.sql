-- Exception codes name the acknowledgment element that carries them,
-- "AK403:7" (invalid code value) rather than "7", which is also AK304 7
-- (segment not in proper sequence). This qualifies the codes of exceptions
-- raised before, and renames the keys of the scorecard counts by code
-- (file_facts.by_code and the rollups) to match.

-- +goose Up
UPDATE exceptions e SET code = (CASE
        WHEN e.check_name IN ('impersonation', 'wrong_receiver', 'duplicate_interchange') THEN 'TA105'
        -- TA105 codes have three digits, AK905 codes one or two.
        WHEN e.check_name = 'x12_envelope' AND length(e.code) = 3 THEN 'TA105'
        WHEN e.check_name = 'x12_envelope' THEN 'AK905'
        -- The code is the one of the set's first finding.
        WHEN e.check_name = 'x12_validation' THEN coalesce((
            SELECT CASE t.errors -> 0 ->> 'level' WHEN 'segment' THEN 'AK304' WHEN 'element' THEN 'AK403' ELSE 'AK502' END
            FROM transactions t WHERE t.file_id = e.file_id AND t.seq = e.transaction_seq), 'AK502')
        -- Policy checks carry AK403 codes.
        ELSE 'AK403'
    END) || ':' || e.code
WHERE e.code <> '' AND strpos(e.code, ':') = 0
    AND e.check_name IN ('impersonation', 'wrong_receiver', 'duplicate_interchange', 'x12_envelope', 'x12_validation',
        'missing_scac', 'unknown_ship_to', 'past_date', 'price_list', 'fractional_quantity', 'duplicate_key',
        'over_shipment', 'late_asn');

-- A file's counts by code are those of the exceptions its last run found;
-- files deleted since keep their old keys.
CREATE TEMPORARY TABLE by_code_change ON COMMIT DROP AS
SELECT ff.file_id, ff.partner_id, ff.hour, (ff.file_id % 4)::smallint AS shard, ff.by_code AS old,
    coalesce((SELECT jsonb_object_agg(c.code, c.n) FROM (
            SELECT code, count(*) AS n FROM exceptions
            WHERE file_id = ff.file_id AND code <> '' AND created_at <= ff.recorded_at GROUP BY code) c),
        '{}'::jsonb) AS new
FROM file_facts ff
WHERE ff.by_code <> '{}' AND ff.runs > 0 AND EXISTS (SELECT 1 FROM files f WHERE f.id = ff.file_id);
DELETE FROM by_code_change WHERE old = new;

UPDATE file_facts ff SET by_code = c.new FROM by_code_change c WHERE ff.file_id = c.file_id;

-- What each changed file takes out of its rollup rows and puts back.
CREATE TEMPORARY TABLE by_code_delta ON COMMIT DROP AS
SELECT partner_id, hour, shard, name, sum(n)::integer AS n FROM (
    SELECT c.partner_id, c.hour, c.shard, o.key AS name, -o.value::integer AS n FROM by_code_change c, jsonb_each_text(c.old) o
    UNION ALL
    SELECT c.partner_id, c.hour, c.shard, o.key, o.value::integer FROM by_code_change c, jsonb_each_text(c.new) o
) d GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;

INSERT INTO scorecard_hour_codes AS h (partner_id, hour, shard, kind, name, count)
SELECT partner_id, hour, shard, 'code', name, n FROM by_code_delta
ON CONFLICT (partner_id, hour, shard, kind, name) DO UPDATE SET count = h.count + EXCLUDED.count;

INSERT INTO scorecard_day_codes AS d (partner_id, day, shard, kind, name, count)
SELECT partner_id, date_trunc('day', hour, 'UTC'), shard, 'code', name, sum(n) FROM by_code_delta GROUP BY 1, 2, 3, 5
ON CONFLICT (partner_id, day, shard, kind, name) DO UPDATE SET count = d.count + EXCLUDED.count;

DELETE FROM scorecard_hour_codes WHERE kind = 'code' AND count = 0;
DELETE FROM scorecard_day_codes WHERE kind = 'code' AND count = 0;

-- +goose Down
-- The codes stay qualified: which were bare before is not recorded.
SELECT 1;
