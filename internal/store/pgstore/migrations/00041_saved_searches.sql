-- +goose Up
-- The order list's saved searches (issue 20 item 3): a name, the list's query string the side
-- bar links to, and the store query it stands for as JSON (what counts it and what the API runs).
CREATE TABLE saved_searches (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL,
    filter TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
);

-- +goose Down
DROP TABLE saved_searches;
