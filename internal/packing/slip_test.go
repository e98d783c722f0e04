package packing

import (
	"slices"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// A slip states each tax rate's tax-included total and the tax in it, as a qualified invoice
// does: the reduced-rate food apart from the standard-rate goods, with postage and the payment
// fee at the standard rate; destinations are お届け先1, 2, never the marketplace's basket id.
func TestSlipTaxesPerRateAndNamesDestinations(t *testing.T) {
	t.Parallel()
	o := order.Order{Number: "R-1",
		Packages: []order.Package{{Key: "300", ShipTo: order.Person{Name: "山田 花子"}}, {Key: "310", ShipTo: order.Person{Name: "佐藤 一郎"}}},
		Lines: []order.Line{
			{PackageKey: "300", Name: "緑茶", UnitPrice: 1080, Quantity: 2, TaxRate: 8},
			{PackageKey: "310", Name: "湯呑み", UnitPrice: 2200, Quantity: 1, TaxRate: 10},
		},
		Amounts: order.Amounts{Postage: order.YenOf(660), PaymentFee: order.YenOf(330), Total: order.YenOf(5350)},
	}
	s := NewSlip(o, "お茶の店", shop.Sender{}, order.Order{})
	want := []SlipTax{{Rate: 10, Base: 2200 + 660 + 330, Tax: 290}, {Rate: 8, Base: 2160, Tax: 160}}
	if !slices.Equal(s.Taxes, want) {
		t.Fatalf("taxes %+v, want %+v", s.Taxes, want)
	}
	if s.Goods != order.YenOf(4360) || !s.ShowAmounts || s.From.Name != "お茶の店" {
		t.Fatalf("goods %v, show amounts %v, from %q", s.Goods, s.ShowAmounts, s.From.Name)
	}
	if s.Recipients[0].Title != "お届け先1" || s.Recipients[1].Title != "お届け先2" {
		t.Fatalf("recipients %+v", s.Recipients)
	}
	if PackageTitle(order.Order{Packages: o.Packages[:1]}, "300") != "お届け先" {
		t.Fatal("the only destination is not titled お届け先")
	}
}

// A split child's slip lists its goods but no payment: the amounts stay whole on the order it
// was split from, which the slip names.
func TestSplitChildSlipPointsToTheOrigin(t *testing.T) {
	t.Parallel()
	child := order.Order{Number: "R-1-1", ManagementClass: order.Split, SplitFromID: 7,
		Lines: []order.Line{{Name: "湯呑み", UnitPrice: 2200, Quantity: 1, TaxRate: 10}}, Amounts: order.Amounts{Postage: order.Unfixed()}}
	s := NewSlip(child, "お茶の店", shop.Sender{Name: "お茶の店 発送係"}, order.Order{Number: "R-1"})
	if s.ShowAmounts || !strings.Contains(s.Note, "R-1 の納品書") || s.From.Name != "お茶の店 発送係" {
		t.Fatalf("show amounts %v, note %q, from %q", s.ShowAmounts, s.Note, s.From.Name)
	}
}
