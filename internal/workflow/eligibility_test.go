package workflow

import (
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// TestEligibilityDecidesEachOrderOnceInTheFieldsOrder: the first condition that names an order
// decides it — bundle child, bundled, link status, the channel's checks, cancelled — and an order
// none names is taken.
func TestEligibilityDecidesEachOrderOnceInTheFieldsOrder(t *testing.T) {
	t.Parallel()
	refuse := func(msg string) Decision { return Decision{Action: Refuse, Status: LinkConfirmError, Message: msg} }
	flagged := func(o order.Order) bool { return o.Number == "flagged" }
	confirm := Eligibility{Bundled: refuse("bundled"), Checks: []Check{{Applies: flagged, Decision: refuse("flagged")}}, Cancelled: refuse("cancelled")}
	shipReport := Eligibility{BundleChild: Decision{Action: Pass, Message: "parent"}}
	complete := Eligibility{BundleChild: Decision{Action: Skip}, LinkStatuses: []LinkStatus{LinkAuShipReported}}
	cases := []struct {
		name  string
		e     Eligibility
		order order.Order
		want  Decision
	}{
		{"zero takes everything", Eligibility{}, order.Order{ManagementClass: order.BundleChild, MarketplaceStatus: order.StatusCancelled}, Decision{Action: Take}},
		{"normal order taken", confirm, order.Order{ManagementClass: order.Normal}, Decision{Action: Take}},
		{"bundle parent refused", confirm, order.Order{ManagementClass: order.BundleParent}, refuse("bundled")},
		{"bundle child refused as bundled", confirm, order.Order{ManagementClass: order.BundleChild}, refuse("bundled")},
		{"bundled before a check", confirm, order.Order{ManagementClass: order.BundleParent, Number: "flagged", MarketplaceStatus: order.StatusCancelled}, refuse("bundled")},
		{"check before cancelled", confirm, order.Order{Number: "flagged", MarketplaceStatus: order.StatusCancelled}, refuse("flagged")},
		{"cancelled refused", confirm, order.Order{MarketplaceStatus: order.StatusCancelled}, refuse("cancelled")},
		{"cancel pending refused", confirm, order.Order{MarketplaceStatus: order.StatusCancelPending}, refuse("cancelled")},
		{"bundle child passes", shipReport, order.Order{ManagementClass: order.BundleChild}, Decision{Action: Pass, Message: "parent"}},
		{"bundle parent taken", shipReport, order.Order{ManagementClass: order.BundleParent}, Decision{Action: Take}},
		{"cancelled taken without a decision", shipReport, order.Order{MarketplaceStatus: order.StatusCancelled}, Decision{Action: Take}},
		{"bundle child skipped", complete, order.Order{ManagementClass: order.BundleChild, LinkStatus: string(LinkAuShipReported)}, Decision{Action: Skip}},
		{"expected link status taken", complete, order.Order{ManagementClass: order.Split, LinkStatus: string(LinkAuShipReported)}, Decision{Action: Take}},
		{"other link status skipped", complete, order.Order{LinkStatus: string(LinkAuCompleteError)}, Decision{Action: Skip}},
		{"blank link status skipped", complete, order.Order{}, Decision{Action: Skip}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := c.e.Decide(c.order); got != c.want {
				t.Fatalf("Decide = %+v, want %+v", got, c.want)
			}
		})
	}
}
