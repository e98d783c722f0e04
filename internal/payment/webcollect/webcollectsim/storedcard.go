package webcollectsim

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
)

// DefaultAccessKey is the access key (アクセスキー) the simulator checks check_sum with when none
// is configured: seven digits, as the contract's keys are.
const DefaultAccessKey = "1111111"

// member is a cart member's stored cards, behind the authentication key the cart chose.
type member struct {
	authKey string
	cards   []webcollect.CardData
}

// StoreCard keeps a card for a member, as A08 does when a buyer ticks 「カードを登録する」:
// masked to its last four digits, at most webcollect.MaxStoredCards per member (false past it).
// The demo cart and the tests use it.
func (s *Server) StoreCard(m webcollect.Member, last4, exp, owner string) (webcollect.CardData, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mem := s.members[m.ID]
	if mem == nil {
		mem = &member{authKey: m.AuthenticationKey}
		s.members[m.ID] = mem
	}
	if len(mem.cards) >= webcollect.MaxStoredCards {
		return webcollect.CardData{}, false
	}
	s.nextCard++
	card := webcollect.CardData{CardKey: fmt.Sprint(s.nextCard), MaskingCardNo: "************" + last4, CardExp: exp, CardOwner: owner,
		LastCreditDate: webcollect.FormatDateTime(s.Sim.Clock.Now())}
	mem.cards = append(mem.cards, card)
	return card, true
}

// checkMember answers the stored-card functions' check_sum: a wrong sum, or a member whose
// authentication key differs, is refused with code.
func (s *Server) checkMember(r *http.Request, code string) (webcollect.Member, string) {
	m := webcollect.Member{ID: r.PostForm.Get("member_id"), AuthenticationKey: r.PostForm.Get("authentication_key")}
	if r.PostForm.Get("check_sum") != webcollect.CheckSum(m, s.cfg.AccessKey) {
		return m, code
	}
	return m, ""
}

// creditInfoGet is A03: the member's cards, masked; a member without cards has none.
func (s *Server) creditInfoGet(r *http.Request) webcollect.Reply {
	m, code := s.checkMember(r, webcollect.CodeCardInfoCheckSum)
	if code != "" {
		return webcollect.Reply{ErrorCode: code}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var cards []webcollect.CardData
	if mem := s.members[m.ID]; mem != nil && mem.authKey == m.AuthenticationKey {
		cards = slices.Clone(mem.cards)
	}
	return webcollect.Reply{CardUnit: fmt.Sprint(len(cards)), CardData: cards}
}

// creditInfoDelete is A05: one card, by its key and last credit date.
func (s *Server) creditInfoDelete(r *http.Request) webcollect.Reply {
	m, code := s.checkMember(r, webcollect.CodeCardDeleteCheckSum)
	if code != "" {
		return webcollect.Reply{ErrorCode: code}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	mem := s.members[m.ID]
	if mem == nil || mem.authKey != m.AuthenticationKey {
		return webcollect.Reply{ErrorCode: webcollect.CodeCardDeleteNoCard}
	}
	i := slices.IndexFunc(mem.cards, func(c webcollect.CardData) bool {
		return c.CardKey == r.PostForm.Get("card_key") && c.LastCreditDate == r.PostForm.Get("last_credit_date")
	})
	if i < 0 {
		return webcollect.Reply{ErrorCode: webcollect.CodeCardDeleteNoCard}
	}
	mem.cards = slices.Delete(mem.cards, i, i+1)
	return webcollect.Reply{}
}

// StoredCardsOf is what the simulator keeps for a member, for the tests to check a delete.
func (s *Server) StoredCardsOf(m webcollect.Member) []webcollect.CardData {
	s.mu.Lock()
	defer s.mu.Unlock()
	if mem := s.members[m.ID]; mem != nil && mem.authKey == m.AuthenticationKey {
		return slices.Clone(mem.cards)
	}
	return nil
}
