-- +goose Up
-- channel_tokens keep a shop's short-lived marketplace access token (an OAuth access token, an hour or so),
-- sealed like its credentials, so that every instance on the database uses the one token until
-- it expires instead of each refreshing its own.
CREATE TABLE channel_tokens (
    shop_id    INTEGER PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
    token      BLOB NOT NULL,
    expires_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE channel_tokens;
