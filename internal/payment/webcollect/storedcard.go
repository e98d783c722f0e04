package webcollect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// Stored cards (お預かりカード, オプションサービス): webコレクト keeps up to MaxStoredCards cards
// of a cart member, by the member's id and authentication key, and answers them masked. A03
// lists them and A05 deletes one; a card is stored by A08 itself (member_id with the token) and
// its number never reaches the cart or ichigen. Every stored-card call carries check_sum, the
// lowercase hex SHA-256 of member_id + authentication_key + access_key, where access_key is the
// merchant's contract key (marketplace-apis.md §5a: tarosky/kuroneko-pay and the EC-CUBE
// plugins agree). A04 (changing a card) is left out: it needs the card's data, which ichigen
// never holds, and its field list is only inferred from error texts.

// MaxStoredCards is how many cards webコレクト keeps per member (A092000006, EC-CUBE's
// CREDIT_SAVE_LIMIT).
const MaxStoredCards = 3

// Member names a cart member's stored cards: the cart's member id and the authentication key the
// cart chose for the member.
type Member struct {
	ID, AuthenticationKey string
}

// CheckSum is the stored-card functions' check_sum for a member under the merchant's access key.
func CheckSum(m Member, accessKey string) string {
	sum := sha256.Sum256([]byte(m.ID + m.AuthenticationKey + accessKey))
	return hex.EncodeToString(sum[:])
}

// Masked reports whether a card number is shown masked (only * and at most its last four
// digits): a stored card's number must never be kept or shown in full.
func (c CardData) Masked() bool {
	digits := 0
	for _, r := range c.MaskingCardNo {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r != '*' && r != '-' && r != ' ':
			return false
		}
	}
	return digits <= 4 && strings.Contains(c.MaskingCardNo, "*")
}

func (c *Client) memberForm(m Member) url.Values {
	return url.Values{"member_id": {m.ID}, "authentication_key": {m.AuthenticationKey}, "check_sum": {CheckSum(m, c.AccessKey)}}
}

// StoredCards lists a member's stored cards, masked (A03); a member without cards has none.
func (c *Client) StoredCards(ctx context.Context, m Member) ([]CardData, error) {
	r, err := c.call(ctx, FuncCreditInfoGet, c.memberForm(m), nil)
	if err != nil {
		return nil, err
	}
	return r.CardData, nil
}

// DeleteStoredCard deletes one stored card of a member (A05), named by the card key and last
// credit date A03 answered.
func (c *Client) DeleteStoredCard(ctx context.Context, m Member, card CardData) error {
	form := c.memberForm(m)
	form.Set("card_key", card.CardKey)
	form.Set("last_credit_date", card.LastCreditDate)
	_, err := c.call(ctx, FuncCreditInfoDelete, form, nil)
	return err
}
