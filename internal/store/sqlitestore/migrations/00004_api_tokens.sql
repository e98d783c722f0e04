-- +goose Up
-- api_tokens are the REST API's credentials: each belongs to a user and acts with that user's
-- permission group. The client holds a random token; only its SHA-256 is kept here, so a copy
-- of the database calls no API.
CREATE TABLE api_tokens (
    id           INTEGER  PRIMARY KEY,
    token_hash   TEXT     NOT NULL UNIQUE,
    user_id      INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT     NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- +goose Down
DROP TABLE api_tokens;
