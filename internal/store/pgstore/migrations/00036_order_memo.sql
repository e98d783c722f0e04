-- +goose Up
-- memo is ichigen's own note on an order (備考・メモ), written by the operators and never by an
-- import, so it stays across re-imports and overwrites. buyer_remarks is what the buyer wrote
-- with the order at the marketplace (備考欄: Rakuten remarks, au PAY tradeRemarks), refreshed
-- with the order's other buyer data.
ALTER TABLE orders ADD COLUMN memo TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN buyer_remarks TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orders DROP COLUMN buyer_remarks;
ALTER TABLE orders DROP COLUMN memo;
