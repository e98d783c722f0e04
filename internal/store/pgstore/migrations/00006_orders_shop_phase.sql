-- +goose Up
-- The order list's typical search, one shop's phase newest first, and the side bar's count of
-- each phase of a shop read this index alone.
CREATE INDEX orders_shop_phase_ordered ON orders (shop_id, phase_id, ordered_at DESC, id DESC);

-- +goose Down
DROP INDEX orders_shop_phase_ordered;
