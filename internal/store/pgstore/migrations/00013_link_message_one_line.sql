-- +goose Up
-- Link messages are stored on one line (store.LinkMessage): a browser sends a form's line break
-- back as CRLF, so the filter on the whole message could not find a message with one again.
-- This puts the messages stored before on one line too.
UPDATE orders SET link_message = btrim(regexp_replace(link_message, '\s+', ' ', 'g'))
WHERE link_message ~ '[\r\n\t]';

-- +goose Down
SELECT 1;
