-- +goose Up
-- The keyword search also finds the buyer's reading (フリガナ), as an operator types it: from
-- its first kana on the pattern index, from three characters on the trigram index.
CREATE INDEX orders_buyer_kana_prefix ON orders (buyer_kana text_pattern_ops);
CREATE INDEX orders_buyer_kana_trgm ON orders USING gin (buyer_kana public.gin_trgm_ops);

-- +goose Down
DROP INDEX orders_buyer_kana_trgm;
DROP INDEX orders_buyer_kana_prefix;
