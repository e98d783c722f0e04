-- +goose Up
-- A bounce (a delivery status notification that comes back after the shop's server took the
-- mail) names the mail by its Message-ID; 要対応 counts a shop's recent bounces.
CREATE INDEX order_mails_message_id ON order_mails (message_id);
CREATE INDEX order_mails_bounced ON order_mails (shop_id, updated_at) WHERE state = 'bounced';

-- +goose Down
DROP INDEX order_mails_bounced;
DROP INDEX order_mails_message_id;
