package ownshop_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop/ownshopsim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

type journal struct{ marks []channel.Result }

func (j *journal) Intend(_ context.Context, r []channel.Result) error {
	j.marks = append(j.marks, r...)
	return nil
}

type testBundle struct {
	sim    *ownshopsim.Server
	client *ownshop.Client
}

func setup(t *testing.T, cfg ownshopsim.Config, carrierSetting string) testBundle {
	t.Helper()
	sim := ownshopsim.New(cfg)
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	creds := sim.Credentials()
	creds["carrierSetting"] = carrierSetting
	c, err := ownshop.NewClient(channel.Account{ShopID: 1, ShopName: "自社カート", Credentials: creds, BaseURL: ts.URL,
		HTTP: &http.Client{Timeout: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return testBundle{sim: sim, client: c.(*ownshop.Client)}
}

// placed is a new card order of the cart, as ichigen stores it, with a shipment (none when
// carrier is "").
func (b testBundle) placed(t *testing.T, id int64, carrier, tracking string) order.Order {
	t.Helper()
	number := b.sim.Place(1, true)[0]
	page, err := b.client.Fetch(context.Background(), b.sim.Now().Add(-time.Hour), b.sim.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range page {
		if o.Number == number {
			o.ID = id
			if carrier != "" || tracking != "" {
				o.Shipments = []order.Shipment{{PackageKey: "1", ShipDate: "2026-12-03", Carrier: carrier, TrackingNumber: tracking}}
			}
			return o
		}
	}
	t.Fatalf("order %s not in the feed", number)
	return order.Order{}
}

func (b testBundle) process(t *testing.T, kind workflow.JobKind, o order.Order) channel.Result {
	t.Helper()
	res, err := b.client.Process(context.Background(), kind, []order.Order{o}, &journal{})
	if err != nil || len(res) != 1 {
		t.Fatalf("%s: %v, %d results", kind, err, len(res))
	}
	return res[0]
}

func paymentOf(r channel.Result) order.PaymentStatus {
	if r.Refreshed == nil {
		return ""
	}
	return r.Refreshed.PaymentStatus
}

func TestCaptureFollowsTheSlipRuleOfEachCarrierSetting(t *testing.T) {
	t.Parallel()
	const yamato, sagawa = "1001", "1002"
	for _, c := range []struct {
		name, setting, carrier, tracking string
		ok                               bool
		service                          string // the delivery_service_code webコレクト holds after
	}{
		{"ヤマトのみ: no slip number", ownshop.CarrierYamatoOnly, "", "", false, ""},
		{"ヤマトのみ: not 12 digits", ownshop.CarrierYamatoOnly, yamato, "44441375870", false, ""},
		{"ヤマトのみ: symbols", ownshop.CarrierYamatoOnly, yamato, "4444#1375870", false, ""},
		{"ヤマトのみ: another carrier", ownshop.CarrierYamatoOnly, sagawa, "512547514334", false, ""},
		{"ヤマトのみ: Yamato's 12 digits", ownshop.CarrierYamatoOnly, yamato, "444413758703", true, webcollect.DeliveryYamato},
		{"他社も: no slip number", ownshop.CarrierAny, "", "", true, webcollect.DeliveryOther},
		{"他社も: another carrier", ownshop.CarrierAny, sagawa, "512547514334", true, webcollect.DeliveryOther},
		{"他社も: Yamato's 12 digits", ownshop.CarrierAny, yamato, "444413758703", true, webcollect.DeliveryYamato},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, ownshopsim.Config{}, c.setting)
			o := b.placed(t, 1, c.carrier, c.tracking)
			r := b.process(t, workflow.JobCapture, o)
			trade, _ := b.sim.Gateway.Trade(ownshop.TradeOf(o))
			writes := b.sim.Sim.Counters.Snapshot().WriteRequests[ownshop.TradeOf(o)]
			if !c.ok {
				if r.OK || r.LinkStatus != string(ownshop.LinkCaptureError) || !strings.Contains(r.Message, "12桁の半角数字") && !strings.Contains(r.Message, "ヤマト運輸") {
					t.Fatalf("refusal: %+v", r)
				}
				if writes != 0 || r.Refreshed != nil {
					t.Fatalf("a refusal before any call sent %d writes and changed the payment to %s", writes, paymentOf(r))
				}
				return
			}
			if !r.OK || paymentOf(r) != order.CardCaptured || trade.StatusInfo != webcollect.StatusAwaitingSettle || trade.DeliveryServiceCode != c.service {
				t.Fatalf("capture: %+v, payment %s, trade %+v", r, paymentOf(r), trade)
			}
		})
	}
}

func TestCaptureRefusedByWebcollectIsPaymentFailed(t *testing.T) {
	t.Parallel()
	b := setup(t, ownshopsim.Config{NoTransportOption: true}, ownshop.CarrierAny)
	r := b.process(t, workflow.JobCapture, b.placed(t, 1, "1002", "512547514334"))
	if r.OK || paymentOf(r) != order.CardFailed || !strings.Contains(r.Message, webcollect.CodeShipNoOption) || !strings.Contains(r.Message, "運送オプション") {
		t.Fatalf("refused by webコレクト: %+v, payment %s", r, paymentOf(r))
	}
}

func TestAuthorizationLapsesAfter58DaysOnTheSimulatedClock(t *testing.T) {
	t.Parallel()
	b := setup(t, ownshopsim.Config{}, ownshop.CarrierYamatoOnly)
	o := b.placed(t, 1, "1001", "444413758703")
	b.sim.Sim.Clock.Advance(57 * 24 * time.Hour)
	if r := b.process(t, workflow.JobPaymentReview, o); !r.OK || paymentOf(r) != order.CardAuthorized || !strings.Contains(r.Message, "あと1日") {
		t.Fatalf("57 days on: %+v", r)
	}
	b.sim.Sim.Clock.Advance(24 * time.Hour)
	r := b.process(t, workflow.JobCapture, o)
	if r.OK || paymentOf(r) != order.CardExpired || r.Message != ownshop.MsgExpired {
		t.Fatalf("capture 58 days on: %+v, payment %s", r, paymentOf(r))
	}
	if r := b.process(t, workflow.JobPaymentReview, o); r.OK || paymentOf(r) != order.CardExpired {
		t.Fatalf("review 58 days on: %+v", r)
	}
}

func TestPaymentReviewFindsWhatWebcollectHolds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, ownshopsim.Config{}, ownshop.CarrierYamatoOnly)
	authorized := b.placed(t, 1, "", "")
	cancelledThere := b.placed(t, 2, "", "")
	if _, err := b.client.Gateway.Cancel(ctx, ownshop.TradeOf(cancelledThere), nil); err != nil { // in webコレクト's own screen
		t.Fatal(err)
	}
	unknown := authorized
	unknown.ID, unknown.RawPayload, unknown.Number = 3, nil, "NO-SUCH-TRADE"
	for _, c := range []struct {
		o    order.Order
		ok   bool
		want order.PaymentStatus
	}{
		{authorized, true, order.CardAuthorized},
		{cancelledThere, false, order.CardCancelled},
		{unknown, false, order.CardUnsettled},
	} {
		if r := b.process(t, workflow.JobPaymentReview, c.o); r.OK != c.ok || paymentOf(r) != c.want || r.Message == "" {
			t.Errorf("order %s: %+v, payment %s, want %s", c.o.Number, r, paymentOf(r), c.want.Label())
		}
	}
}

func TestCaptureEligibilityFollowsThePaymentStatus(t *testing.T) {
	t.Parallel()
	e := ownshop.Spec.Eligibility[workflow.JobCapture]
	for _, c := range []struct {
		status order.PaymentStatus
		action workflow.Action
		says   string
	}{
		{order.CardAuthorized, workflow.Take, ""},
		{order.CardCaptured, workflow.Pass, "決済完了"},
		{order.CardUnsettled, workflow.Refuse, "カード決済が終了していない"},
		{order.CardExpired, workflow.Refuse, "決済方法の変更またはキャンセル処理"},
		{order.CardCancelled, workflow.Refuse, "注文キャンセル"},
		{order.CardFailed, workflow.Refuse, "決済状況をご確認ください"},
		{order.Paid, workflow.Pass, "カード決済ではない"},
	} {
		d := e.Decide(order.Order{PaymentStatus: c.status, MarketplaceStatus: order.StatusAwaitingShipment})
		if d.Action != c.action || !strings.Contains(d.Message, c.says) {
			t.Errorf("%s: %+v", c.status.Label(), d)
		}
	}
}

func TestCancelIsSentOnlyWhileAuthorized(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, ownshopsim.Config{}, ownshop.CarrierYamatoOnly)
	o := b.placed(t, 1, "", "")
	for _, c := range []struct {
		status order.PaymentStatus
		says   string
	}{
		{order.CardUnsettled, "連動されません"},
		{order.CardCaptured, "クロネコwebコレクトの管理画面より"},
		{order.CardExpired, "仮売上期限切れ"},
	} {
		o.PaymentStatus = c.status
		_, err := b.client.CancelPayment(ctx, o)
		var e *channel.Error
		if !errors.As(err, &e) || e.Class != channel.Rejected || !strings.Contains(e.Message, c.says) {
			t.Errorf("cancel in %s: %v", c.status.Label(), err)
		}
	}
	if n := b.sim.Sim.Counters.Snapshot().WriteRequests[ownshop.TradeOf(o)]; n != 0 {
		t.Fatalf("%d cancels sent for orders not in 仮売上", n)
	}
	o.PaymentStatus = order.CardAuthorized
	got, err := b.client.CancelPayment(ctx, o)
	if err != nil || got.PaymentStatus != order.CardCancelled || got.MarketplaceStatus != order.StatusCancelled {
		t.Fatalf("cancel in 仮売上: %s %s, %v", got.PaymentStatus.Label(), got.MarketplaceStatus, err)
	}
}

func TestAutomaticReauthorizationRestartsTheLimitOfAnUnshippedOrder(t *testing.T) {
	t.Parallel()
	b := setup(t, ownshopsim.Config{}, ownshop.CarrierYamatoOnly)
	b.client.AutoReauth = true
	unshipped := b.placed(t, 1, "", "")
	shipped := b.placed(t, 2, "1001", "444413758703")
	b.sim.Sim.Clock.Advance(52 * 24 * time.Hour)
	if r := b.process(t, workflow.JobPaymentReview, unshipped); !r.OK || !strings.Contains(r.Message, "再与信") {
		t.Fatalf("6 days left, not shipped: %+v", r)
	}
	if r := b.process(t, workflow.JobPaymentReview, shipped); !r.OK || strings.Contains(r.Message, "再与信") {
		t.Fatalf("a shipped order is captured, not re-authorised: %+v", r)
	}
	b.sim.Sim.Clock.Advance(10 * 24 * time.Hour)
	if r := b.process(t, workflow.JobCapture, unshipped); r.OK {
		t.Fatalf("capture without a slip: %+v", r) // the slip rule still holds
	}
	unshipped.Shipments = shipped.Shipments
	if r := b.process(t, workflow.JobCapture, unshipped); !r.OK {
		t.Fatalf("62 days after the order, 10 after the re-authorisation: %+v", r)
	}
}
