-- +goose Up
-- The keyword search also finds the buyer's reading (フリガナ), as an operator types it: from
-- its first kana on the pattern index, from three characters on the trigram index.
--
-- A name or reading searched from its start is read from the pattern indexes alone, with the
-- shop, the phase and the date the list filters and sorts on (an index-only scan, once vacuum has
-- marked the pages visible): a family name that 15,000 buyers share is counted and its newest
-- page found without visiting 15,000 rows.
CREATE INDEX orders_buyer_kana_prefix ON orders (buyer_kana text_pattern_ops) INCLUDE (shop_id, phase_id, ordered_at, id);
CREATE INDEX orders_buyer_kana_trgm ON orders USING gin (buyer_kana public.gin_trgm_ops);
DROP INDEX orders_buyer_name_prefix;
CREATE INDEX orders_buyer_name_prefix ON orders (buyer_name text_pattern_ops) INCLUDE (shop_id, phase_id, ordered_at, id);

-- +goose Down
DROP INDEX orders_buyer_name_prefix;
CREATE INDEX orders_buyer_name_prefix ON orders (buyer_name text_pattern_ops);
DROP INDEX orders_buyer_kana_trgm;
DROP INDEX orders_buyer_kana_prefix;
