-- +goose Up
-- A bundle's or a split's children are found by the order they belong to.
CREATE INDEX orders_bundle_parent ON orders (bundle_parent_id) WHERE bundle_parent_id IS NOT NULL;
CREATE INDEX orders_split_from ON orders (split_from_id) WHERE split_from_id IS NOT NULL;

-- +goose Down
DROP INDEX orders_split_from;
DROP INDEX orders_bundle_parent;
