package webcollect_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect/webcollectsim"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

type testBundle struct {
	sim    *webcollectsim.Server
	client *webcollect.Client
}

func setup(t *testing.T, cfg webcollectsim.Config) testBundle {
	t.Helper()
	sim := webcollectsim.New(cfg)
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	return testBundle{sim: sim, client: &webcollect.Client{BaseURL: ts.URL + "/api", TraderCode: sim.TraderCode(), Channel: "ownshop",
		HTTP: &http.Client{Timeout: 500 * time.Millisecond}}}
}

func codeOf(err error) (channel.Class, string) {
	var e *channel.Error
	if !errors.As(err, &e) {
		return 0, ""
	}
	return e.Class, e.Code
}

func authorize(t *testing.T, b testBundle, orderNo string, price int64) {
	t.Helper()
	if _, err := b.client.AuthorizeToken(context.Background(), webcollect.TokenAuthorization{OrderNo: orderNo, Token: "tok", Price: price,
		BuyerName: "山田 太郎", BuyerTel: "090-1234-5678", BuyerEmail: "taro@example.jp"}); err != nil {
		t.Fatal(err)
	}
}

func status(t *testing.T, b testBundle, orderNo string) webcollect.TradeStatus {
	t.Helper()
	info, found, err := b.client.TradeInfo(context.Background(), orderNo)
	if err != nil || !found {
		t.Fatalf("E04 %s: found %v, %v", orderNo, found, err)
	}
	return info.StatusInfo
}

func TestShipmentEntryCapturesOnceThenCancelAndChangeAreRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, webcollectsim.Config{})
	authorize(t, b, "C-1", 3300)
	if got := status(t, b, "C-1"); got != webcollect.StatusAuthorized {
		t.Fatalf("after A08: %s", got)
	}
	if _, err := b.client.ShipmentEntry(ctx, "C-1", "444413758703", webcollect.DeliveryYamato, nil); err != nil {
		t.Fatal(err)
	}
	if got := status(t, b, "C-1"); got != webcollect.StatusAwaitingSettle {
		t.Fatalf("after E01: %s", got)
	}
	for name, call := range map[string]func() error{
		"E01 again": func() error {
			_, err := b.client.ShipmentEntry(ctx, "C-1", "444413758703", webcollect.DeliveryYamato, nil)
			return err
		},
		"A06": func() error { _, err := b.client.Cancel(ctx, "C-1", nil); return err },
		"A07": func() error { _, err := b.client.ChangePrice(ctx, "C-1", 3000, nil); return err },
	} {
		if class, code := codeOf(call()); class != channel.Rejected || code == "" {
			t.Errorf("%s after capture: %v %s, want a refusal", name, class, code)
		}
	}
	b.sim.Sim.Clock.Advance(webcollectsim.SettleAfter)
	if got := status(t, b, "C-1"); got != webcollect.StatusSettled {
		t.Fatalf("a day after E01: %s", got)
	}
	if dup := b.sim.Sim.Counters.Snapshot().DuplicateWrites["C-1"]; dup != 1 {
		t.Fatalf("the second E01 counted as %d duplicate writes, want 1", dup)
	}
}

func TestYamatoSlipMustBeTwelveHalfWidthDigits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, webcollectsim.Config{})
	for i, c := range []struct {
		slip, service, code string
	}{
		{"", webcollect.DeliveryYamato, webcollect.CodeShipSlipMissing},
		{"4444-1375-8703", webcollect.DeliveryYamato, webcollect.CodeShipSlipChars},
		{"４４４４１３７５８７０３", webcollect.DeliveryYamato, webcollect.CodeShipSlipChars},
		{"44441375870", webcollect.DeliveryYamato, webcollect.CodeShipSlipLength},
		{"444413758703", webcollect.DeliveryYamato, ""},
		{"SAGAWA-512547514334", webcollect.DeliveryOther, ""},
	} {
		orderNo := "S-" + string(rune('A'+i))
		authorize(t, b, orderNo, 1000)
		_, err := b.client.ShipmentEntry(ctx, orderNo, c.slip, c.service, nil)
		if _, code := codeOf(err); code != c.code {
			t.Errorf("slip %q (%s): code %q, want %q (%v)", c.slip, c.service, code, c.code, err)
		}
	}
	noOption := setup(t, webcollectsim.Config{NoTransportOption: true})
	authorize(t, noOption, "N-1", 1000)
	_, err := noOption.client.ShipmentEntry(ctx, "N-1", "N-1", webcollect.DeliveryOther, nil)
	if _, code := codeOf(err); code != webcollect.CodeShipNoOption {
		t.Fatalf("他社配送 without the option: %v", err)
	}
}

func TestAuthorizationLapsesAfter58DaysAndReAuthRestartsIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, webcollectsim.Config{})
	authorize(t, b, "L-1", 2000)
	b.sim.Sim.Clock.Advance(webcollect.AuthorizationLife - time.Minute)
	authorize(t, b, "L-2", 2000)
	if _, err := b.client.ChangePrice(ctx, "L-1", 2100, nil); err != nil {
		t.Fatalf("a day before the limit the amount can change: %v", err)
	}
	b.sim.Sim.Clock.Advance(time.Minute)
	if _, code := codeOf(func() error {
		_, err := b.client.ShipmentEntry(ctx, "L-1", "444413758703", webcollect.DeliveryYamato, nil)
		return err
	}()); code != webcollect.CodeShipBadTrade {
		t.Fatalf("E01 on a lapsed authorisation: %q", code)
	}
	if _, err := b.client.ReAuth(ctx, "L-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.client.ShipmentEntry(ctx, "L-1", "444413758703", webcollect.DeliveryYamato, nil); err != nil {
		t.Fatalf("E01 after A11: %v", err)
	}
	if _, err := b.client.ShipmentEntry(ctx, "L-2", "444413758714", webcollect.DeliveryYamato, nil); err != nil {
		t.Fatalf("an authorisation of the same day is still good: %v", err)
	}
}

func TestCancelAndAmountChangeWhileAuthorized(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, webcollectsim.Config{})
	authorize(t, b, "X-1", 5000)
	if _, err := b.client.ChangePrice(ctx, "X-1", 4200, nil); err != nil {
		t.Fatal(err)
	}
	if info, _, _ := b.client.TradeInfo(ctx, "X-1"); info.SettlePrice != 4200 {
		t.Fatalf("amount after A07: %d", info.SettlePrice)
	}
	if _, code := codeOf(func() error { _, err := b.client.ChangePrice(ctx, "X-1", 4200, nil); return err }()); code != webcollect.CodeChangeSame {
		t.Fatalf("the same amount again: %q", code)
	}
	if _, err := b.client.Cancel(ctx, "X-1", nil); err != nil {
		t.Fatal(err)
	}
	if got := status(t, b, "X-1"); got != webcollect.StatusCancelled {
		t.Fatalf("after A06: %s", got)
	}
	if _, code := codeOf(func() error { _, err := b.client.Cancel(ctx, "X-1", nil); return err }()); code != webcollect.CodeCancelBadStatus {
		t.Fatalf("a second cancel: %q", code)
	}
	if _, found, err := b.client.TradeInfo(ctx, "nope"); err != nil || found {
		t.Fatalf("an unknown trade: %v %v", found, err)
	}
}

func TestFailuresAreClassified(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, webcollectsim.Config{})
	authorize(t, b, "F-1", 1000)
	wrong := *b.client
	wrong.TraderCode = "000000000"
	if class, code := codeOf(func() error { _, _, err := wrong.TradeInfo(ctx, "F-1"); return err }()); class != channel.Auth || code != webcollect.CodeAPIUnavailable {
		t.Errorf("unknown trader code: %v %s", class, code)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{MaintenanceUntil: b.sim.Sim.Clock.Now().Add(time.Hour)})
	if class, _ := codeOf(func() error { _, _, err := b.client.TradeInfo(ctx, "F-1"); return err }()); class != channel.Transient {
		t.Errorf("maintenance: %v", class)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{TooManyRequests: 1})
	if class, code := codeOf(func() error { _, _, err := b.client.TradeInfo(ctx, "F-1"); return err }()); class != channel.Transient || code != webcollect.CodePoolOver {
		t.Errorf("over quota: %v %s", class, code)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 1})
	if class, _ := codeOf(func() error {
		_, err := b.client.ShipmentEntry(ctx, "F-1", "444413758703", webcollect.DeliveryYamato, nil)
		return err
	}()); class != channel.UnknownOutcome {
		t.Errorf("E01 whose answer is lost: %v", class)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})
	if got := status(t, b, "F-1"); got != webcollect.StatusAwaitingSettle {
		t.Errorf("the lost E01 was applied, E04 says %s", got)
	}
}
