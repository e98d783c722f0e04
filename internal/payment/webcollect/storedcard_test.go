package webcollect_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect/webcollectsim"
)

// A member's stored cards are listed masked and one is deleted on the member's request; a wrong
// access key (a bad check_sum) and a card already deleted are refused with webコレクト's code
// and what to do, and a member's cards are not another's.
func TestStoredCardsAreListedMaskedAndDeletedOneByOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, webcollectsim.Config{})
	b.client.AccessKey = b.sim.AccessKey()
	taro := webcollect.Member{ID: "M-0001", AuthenticationKey: "k3y"}
	var stored []webcollect.CardData
	for i, last4 := range []string{"1111", "4242", "0005", "9999"} {
		card, ok := b.sim.StoreCard(taro, last4, "1229", "TARO YAMADA")
		if ok != (i < webcollect.MaxStoredCards) {
			t.Fatalf("card %d stored %v: at most %d per member", i+1, ok, webcollect.MaxStoredCards)
		}
		if ok {
			stored = append(stored, card)
		}
	}
	b.sim.StoreCard(webcollect.Member{ID: "M-0002", AuthenticationKey: "other"}, "3333", "0130", "HANAKO SATO")

	cards, err := b.client.StoredCards(ctx, taro)
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 3 {
		t.Fatalf("%d cards, want 3", len(cards))
	}
	for i, c := range cards {
		if !c.Masked() || !strings.HasSuffix(c.MaskingCardNo, []string{"1111", "4242", "0005"}[i]) || c.CardKey == "" || c.CardExp != "1229" {
			t.Fatalf("card %d: %+v", i, c)
		}
	}
	// The same member id under another authentication key sees no cards.
	if other, err := b.client.StoredCards(ctx, webcollect.Member{ID: "M-0001", AuthenticationKey: "guess"}); err != nil || len(other) != 0 {
		t.Fatalf("another key sees %+v, %v", other, err)
	}

	if err := b.client.DeleteStoredCard(ctx, taro, stored[1]); err != nil {
		t.Fatal(err)
	}
	if cards, _ = b.client.StoredCards(ctx, taro); len(cards) != 2 || cards[0].CardKey != stored[0].CardKey || cards[1].CardKey != stored[2].CardKey {
		t.Fatalf("after deleting the second: %+v", cards)
	}
	err = b.client.DeleteStoredCard(ctx, taro, stored[1])
	if class, code := codeOf(err); class != channel.Rejected || code != webcollect.CodeCardDeleteNoCard || !strings.Contains(err.Error(), "管理画面") {
		t.Fatalf("deleting it again: %v (%v %s)", err, class, code)
	}

	b.client.AccessKey = "0000000"
	_, err = b.client.StoredCards(ctx, taro)
	if class, code := codeOf(err); class != channel.Rejected || code != webcollect.CodeCardInfoCheckSum {
		t.Fatalf("a wrong access key: %v (%v %s)", err, class, code)
	}
	if err := b.client.DeleteStoredCard(ctx, taro, stored[0]); err == nil {
		t.Fatal("a delete with a wrong check_sum went through")
	}
	if cards, _ := b.sim.Trade("none"); cards.OrderNo != "" {
		t.Fatal("stored cards made a trade")
	}
}

func TestMaskedRefusesAFullCardNumber(t *testing.T) {
	t.Parallel()
	for number, masked := range map[string]bool{"************1111": true, "4111-****-****-1111": false, "4111111111111111": false, "": false, "****": true} {
		if got := (webcollect.CardData{MaskingCardNo: number}).Masked(); got != masked {
			t.Errorf("%q masked %v, want %v", number, got, masked)
		}
	}
}
