-- +goose Up
-- The order list's keyword search on a store of a million orders: trigram indexes let
-- "number or buyer name contains …" use an index (pg_trgm, part of PostgreSQL's contrib, is a
-- trusted extension: the database owner may create it). Keywords under three characters, such as
-- a family name 佐藤, search the buyer name from its start, on the pattern index.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX orders_number_trgm ON orders USING gin (number public.gin_trgm_ops);
CREATE INDEX orders_buyer_name_trgm ON orders USING gin (buyer_name public.gin_trgm_ops);
CREATE INDEX orders_buyer_name_prefix ON orders (buyer_name text_pattern_ops);

-- +goose Down
DROP INDEX orders_buyer_name_prefix;
DROP INDEX orders_buyer_name_trgm;
DROP INDEX orders_number_trgm;
