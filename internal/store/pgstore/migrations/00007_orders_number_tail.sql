-- +goose Up
-- A keyword of digits finds the order numbers that end with it, on this index: digits share
-- their trigrams with every order number, so the trigram index cannot narrow such a search.
CREATE INDEX orders_number_reversed ON orders (reverse(number) text_pattern_ops);

-- +goose Down
DROP INDEX orders_number_reversed;
