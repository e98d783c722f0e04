package ownshopsim

import (
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

func init() {
	channel.RegisterSimulator(ownshop.Channel, channel.Simulator{
		Usage:       "own cart + クロネコwebコレクト simulator (cart feed /cart/v1/orders, gateway /api/<function>, control API under /_sim/)",
		DefaultAddr: "127.0.0.1:8085",
		Flags: []channel.SimFlag{
			{Flag: "cart-secret", Env: "ICHIGEN_SIM_CART_SECRET", Key: "cartSecret", Default: DefaultSecret, Usage: "secret the cart signs with (X-Ichigen-Signature)"},
			{Flag: "trader-code", Env: "ICHIGEN_SIM_TRADER_CODE", Key: "traderCode", Default: "888888709", Usage: "webコレクト 加盟店コード the gateway accepts"},
		},
		New: func(c channel.SimConfig) channel.SimServer {
			return New(Config{Secret: c.Credentials["cartSecret"], TraderCode: c.Credentials["traderCode"], QuotaPerSecond: c.QuotaPerSecond, Seed: c.Seed})
		},
		Demo: channel.Demo{
			ShopName: "自社カート デモ店 (シミュレーター)", Code: "ownshop",
			// Card orders are imported as 仮売上, their authorisation checked at webコレクト
			// (決済確認), packed, and captured (売上確定) once shipped: 決済完了 by themselves.
			Rules: func(p func(string) int64) []workflow.Rule {
				// No import rule: the demo cart posts its orders to the intake (IntakePath).
				return []workflow.Rule{
					{Kind: workflow.JobPaymentReview, TargetPhaseID: p("新規受付"), SuccessPhaseID: p("出荷待ち"), ErrorPhaseID: p("エラー"), Interval: time.Minute},
					{Kind: workflow.JobCapture, TargetPhaseID: p("出荷済み"), SuccessPhaseID: p("完了"), ErrorPhaseID: p("エラー")},
				}
			},
			IntakePath: func(shopID int64) string { return fmt.Sprintf("/api/v1/ownshop/shops/%d/orders", shopID) },
			Orders: func(sim channel.SimServer, first bool, at time.Time) {
				s := sim.(*Server)
				if first {
					s.place(5, at)
					return
				}
				s.place(1+s.IntN(2), s.Now())
			},
		},
	})
}
