-- +goose Up
-- login_attempts counts the login and password tries per key (a hash of the login and the
-- address, or of the address alone) in a window that ends at expires_at. The count lives here,
-- not in one process's memory, so a restart does not reset it and instances behind one load
-- balancer share it. Rows whose window has ended are pruned as new tries come in.
CREATE TABLE login_attempts (
    key_hash   TEXT     PRIMARY KEY,
    attempts   BIGINT   NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_attempts_expires ON login_attempts (expires_at);

-- +goose Down
DROP TABLE login_attempts;
