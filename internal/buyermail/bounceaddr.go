package buyermail

import (
	"strconv"
	"strings"
)

// ShopBounceAddress is the address a shop's sender mailbox forwards its bounces to: the bounce
// listener's mailbox with the shop's ID as a subaddress (RFC 5233), bounce+12@ichigen.example.
// A report that reaches it is the shop's, so it is matched even when it returns no Message-ID
// (by the failed recipient among the shop's mails). "" when mailbox is not an address.
func ShopBounceAddress(mailbox string, shopID int64) string {
	local, domain, ok := strings.Cut(mailbox, "@")
	if !ok || local == "" || domain == "" || shopID <= 0 {
		return ""
	}
	local, _, _ = strings.Cut(local, "+")
	return local + "+" + strconv.FormatInt(shopID, 10) + "@" + domain
}

// ShopOfBounceAddress reads the shop's ID back from an envelope recipient ShopBounceAddress
// made; 0 for any other address.
func ShopOfBounceAddress(rcpt string) int64 {
	local, _, ok := strings.Cut(strings.Trim(rcpt, "<>"), "@")
	if !ok {
		return 0
	}
	_, sub, ok := strings.Cut(local, "+")
	if !ok {
		return 0
	}
	id, err := strconv.ParseInt(sub, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
