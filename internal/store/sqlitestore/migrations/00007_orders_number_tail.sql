-- +goose Up
-- Nothing to add on SQLite: a keyword of digits is narrowed by the trigram table and its tail
-- compared on the few rows found. The version keeps both engines' migrations in step.
SELECT 1;

-- +goose Down
SELECT 1;
