package jobs

import (
	"context"
	"slices"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// seeingProcessor records the orders it is handed, and those its context names for the call
// history (channel.WithOrders), and decides each as done.
type seeingProcessor struct{ seen, named []int64 }

func (p *seeingProcessor) Process(ctx context.Context, _ workflow.JobKind, orders []order.Order, _ channel.Journal) ([]channel.Result, error) {
	p.named = append(p.named, channel.OrdersFrom(ctx)...)
	var out []channel.Result
	for _, o := range orders {
		p.seen = append(p.seen, o.ID)
		out = append(out, channel.Result{OrderID: o.ID, OK: true, LinkStatus: "sent"})
	}
	return out, nil
}

// TestTheDispatcherDecidesWhatTheChannelMustNotSee: the channel's table is applied before the
// processor is called, so a bundle child, a bundled or cancelled order is never handed to it where
// the table says so; they are decided (passed, refused) or left without a result (skipped).
func TestTheDispatcherDecidesWhatTheChannelMustNotSee(t *testing.T) {
	t.Parallel()
	fixed := order.Amounts{Postage: order.YenOf(500), PaymentFee: order.YenOf(0), Total: order.YenOf(3500)}
	normal := order.Order{ID: 1, ManagementClass: order.Normal, Amounts: fixed}
	child := order.Order{ID: 2, ManagementClass: order.BundleChild, Amounts: fixed, LinkStatus: "before"}
	parent := order.Order{ID: 3, ManagementClass: order.BundleParent, Amounts: fixed}
	cancelled := order.Order{ID: 4, ManagementClass: order.Normal, Amounts: fixed, MarketplaceStatus: order.StatusCancelled}
	reported := order.Order{ID: 5, ManagementClass: order.Normal, Amounts: fixed, LinkStatus: string(aupay.LinkShipReported)}
	// Cancelled with its postage not fixed: the postage is what the operator fixes first.
	unfixed := order.Order{ID: 6, ManagementClass: order.Normal, MarketplaceStatus: order.StatusCancelled}
	all := []order.Order{normal, child, parent, cancelled, reported, unfixed}
	deps := Deps{Eligibility: func(sh shop.Shop, kind workflow.JobKind) workflow.Eligibility {
		if sh.Channel == shop.Channel(aupay.Channel) {
			return aupay.Eligibility[kind]
		}
		return rakuten.Eligibility[kind]
	}}
	refused := func(o order.Order, msg string) channel.Result {
		return channel.Result{OrderID: o.ID, LinkStatus: string(rakuten.LinkConfirmError), Message: msg}
	}
	refusedAs := func(o order.Order, status workflow.LinkStatus, msg string) channel.Result {
		return channel.Result{OrderID: o.ID, LinkStatus: string(status), Message: msg}
	}
	auCancelled := aupay.Eligibility[workflow.JobShipReport].Cancelled.Message
	sent := func(o order.Order) channel.Result { return channel.Result{OrderID: o.ID, OK: true, LinkStatus: "sent"} }
	cases := []struct {
		name    string
		channel shop.Channel
		kind    workflow.JobKind
		seen    []int64
		results []channel.Result
	}{
		{"rakuten confirm", shop.Channel(rakuten.Name), workflow.JobConfirm, []int64{1, 5},
			[]channel.Result{refused(child, rakuten.MsgBundled), refused(parent, rakuten.MsgBundled), refused(cancelled, rakuten.MsgCancelled), refused(unfixed, rakuten.MsgPostageUnset), sent(normal), sent(reported)}},
		{"rakuten ship report", shop.Channel(rakuten.Name), workflow.JobShipReport, []int64{1, 3, 5},
			[]channel.Result{{OrderID: 2, OK: true, LinkStatus: "before", Message: rakuten.MsgBundleChildReported},
				refusedAs(cancelled, rakuten.LinkShipReportError, rakuten.MsgCancelledShipReport), refusedAs(unfixed, rakuten.LinkShipReportError, rakuten.MsgCancelledShipReport),
				sent(normal), sent(parent), sent(reported)}},
		{"rakuten payment review", shop.Channel(rakuten.Name), workflow.JobPaymentReview, []int64{1, 2, 3, 4, 5, 6},
			[]channel.Result{sent(normal), sent(child), sent(parent), sent(cancelled), sent(reported), sent(unfixed)}},
		{"au ship report", shop.Channel(aupay.Channel), workflow.JobShipReport, []int64{1, 3},
			[]channel.Result{refusedAs(cancelled, aupay.LinkShipReportError, auCancelled), refusedAs(unfixed, aupay.LinkShipReportError, auCancelled), sent(normal), sent(parent)}},
		{"au complete", shop.Channel(aupay.Channel), workflow.JobComplete, []int64{5}, []channel.Result{sent(reported)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			proc := &seeingProcessor{}
			results, err := deps.process(context.Background(), proc, shop.Shop{Channel: c.channel}, c.kind, all, &Journal{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(proc.seen, c.seen) {
				t.Errorf("the processor saw %v, want %v", proc.seen, c.seen)
			}
			if !slices.Equal(results, c.results) {
				t.Errorf("results\n%+v\nwant\n%+v", results, c.results)
			}
		})
	}
}

// TestTheDispatcherNamesTheOrdersOfEachBatch: the context the processor gets names the orders
// handed to it (channel.WithOrders), those decided without a call left out, so each batched call
// is linked to every order it carried, whatever the channel; the rule's job kind stays.
func TestTheDispatcherNamesTheOrdersOfEachBatch(t *testing.T) {
	t.Parallel()
	fixed := order.Amounts{Postage: order.YenOf(500), PaymentFee: order.YenOf(0), Total: order.YenOf(3500)}
	orders := []order.Order{{ID: 1, Amounts: fixed}, {ID: 2, ManagementClass: order.BundleChild, Amounts: fixed}, {ID: 3, Amounts: fixed}}
	deps := Deps{Eligibility: func(shop.Shop, workflow.JobKind) workflow.Eligibility {
		return rakuten.Eligibility[workflow.JobConfirm]
	}}
	proc := &seeingProcessor{}
	ctx := channel.WithCall(context.Background(), string(workflow.JobConfirm), 0)
	if _, err := deps.process(ctx, proc, shop.Shop{Channel: shop.Channel(rakuten.Name)}, workflow.JobConfirm, orders, &Journal{}); err != nil {
		t.Fatal(err)
	}
	if want := []int64{1, 3}; !slices.Equal(proc.named, want) || !slices.Equal(proc.seen, want) {
		t.Errorf("the processor was handed %v and its context named %v, want %v both", proc.seen, proc.named, want)
	}
}

// TestAConfirmedBundleIsNotConfirmedAgain: seed 003 confirms orders, then bundles them. An order
// RMS confirmed (or reviewed) before it was bundled passes the confirm rule without a call, its
// link status kept; a bundled order not confirmed yet is refused with what to do.
func TestAConfirmedBundleIsNotConfirmedAgain(t *testing.T) {
	t.Parallel()
	fixed := order.Amounts{Postage: order.YenOf(500), PaymentFee: order.YenOf(0), Total: order.YenOf(3500)}
	parent := order.Order{ID: 1, ManagementClass: order.BundleParent, Amounts: fixed, LinkStatus: string(rakuten.LinkConfirmed)}
	child := order.Order{ID: 2, ManagementClass: order.BundleChild, Amounts: fixed, LinkStatus: string(rakuten.LinkPaymentReviewed)}
	unconfirmed := order.Order{ID: 3, ManagementClass: order.BundleParent, Amounts: fixed}
	normal := order.Order{ID: 4, ManagementClass: order.Normal, Amounts: fixed}
	deps := Deps{Eligibility: func(shop.Shop, workflow.JobKind) workflow.Eligibility {
		return rakuten.Eligibility[workflow.JobConfirm]
	}}
	proc := &seeingProcessor{}
	results, err := deps.process(context.Background(), proc, shop.Shop{Channel: shop.Channel(rakuten.Name)}, workflow.JobConfirm,
		[]order.Order{parent, child, unconfirmed, normal}, &Journal{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(proc.seen, []int64{4}) {
		t.Errorf("RMS was asked to confirm %v, want only the unconfirmed, unbundled order", proc.seen)
	}
	want := []channel.Result{
		{OrderID: 1, OK: true, LinkStatus: string(rakuten.LinkConfirmed), Message: rakuten.MsgAlreadyConfirmed},
		{OrderID: 2, OK: true, LinkStatus: string(rakuten.LinkPaymentReviewed), Message: rakuten.MsgAlreadyConfirmed},
		{OrderID: 3, LinkStatus: string(rakuten.LinkConfirmError), Message: rakuten.MsgBundled},
		{OrderID: 4, OK: true, LinkStatus: "sent"},
	}
	if !slices.Equal(results, want) {
		t.Errorf("results\n%+v\nwant\n%+v", results, want)
	}
}
