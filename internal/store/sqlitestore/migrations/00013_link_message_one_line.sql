-- +goose Up
-- Link messages are stored on one line (store.LinkMessage): a browser sends a form's line break
-- back as CRLF, so the filter on the whole message could not find a message with one again.
-- This puts the messages stored before on one line too.
UPDATE orders SET link_message = trim(replace(replace(replace(replace(replace(replace(
        link_message, char(13) || char(10), ' '), char(10), ' '), char(13), ' '), char(9), ' '), '   ', ' '), '  ', ' '))
WHERE link_message LIKE '%' || char(10) || '%' OR link_message LIKE '%' || char(13) || '%' OR link_message LIKE '%' || char(9) || '%';

-- +goose Down
SELECT 1;
