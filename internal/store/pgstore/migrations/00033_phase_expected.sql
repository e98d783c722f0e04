-- +goose Up
-- An order's time in its phase, against what the company expects of the phase (issue 13 item 8):
-- phase_entered_at is when the order came into the phase it is in (import, a move by hand or by
-- a rule), and a phase's expected_hours how long an order should stay in it (0: no limit); 要対応
-- counts each shop's orders in a phase for longer than that.
--
-- Orders already stored entered their phase at their last move into it, or when they were
-- imported if no move is recorded.
ALTER TABLE orders ADD COLUMN phase_entered_at TIMESTAMPTZ;
UPDATE orders SET phase_entered_at = COALESCE(
    (SELECT MAX(e.at) FROM order_events e WHERE e.order_id = orders.id AND e.to_phase_id = orders.phase_id),
    created_at);
CREATE INDEX orders_shop_phase_entered ON orders (shop_id, phase_id, phase_entered_at);
ALTER TABLE phases ADD COLUMN expected_hours BIGINT NOT NULL DEFAULT 0;

-- +goose Down
DROP INDEX orders_shop_phase_entered;
ALTER TABLE orders DROP COLUMN phase_entered_at;
ALTER TABLE phases DROP COLUMN expected_hours;
