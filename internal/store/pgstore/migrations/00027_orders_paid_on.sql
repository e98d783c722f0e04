-- +goose Up
-- paid_on is the day an operator confirmed a payment by hand (入金確認, YYYY-MM-DD in Japan
-- time): the payments the shop collects itself (選択制決済), which the marketplace never reports.
-- While it is set the order stays 入金済み whatever an import reads from the marketplace.
ALTER TABLE orders ADD COLUMN paid_on TEXT;

-- +goose Down
ALTER TABLE orders DROP COLUMN paid_on;
