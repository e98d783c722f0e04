-- +goose Up
-- channel_tokens keep a shop's short-lived marketplace access token (an OAuth access token, an hour or so),
-- sealed like its credentials, so that every instance on the database uses the one token until
-- it expires instead of each refreshing its own.
CREATE TABLE channel_tokens (
    shop_id    BIGINT PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
    token      BYTEA NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE channel_tokens;
