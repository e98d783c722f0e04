package amazonsim

import (
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

func init() {
	channel.RegisterSimulator(amazon.Channel, channel.Simulator{
		Usage:       "Amazon SP-API (JP) simulator: LWA /auth/o2/token, Tokens API, Orders API v0 (control API under /_sim/)",
		DefaultAddr: "127.0.0.1:8084",
		Flags: []channel.SimFlag{
			{Flag: "client-id", Env: "ICHIGEN_SIM_CLIENT_ID", Key: "clientId", Default: DefaultClientID, Usage: "LWA client ID the simulator accepts"},
			{Flag: "client-secret", Env: "ICHIGEN_SIM_CLIENT_SECRET", Key: "clientSecret", Default: DefaultClientSecret, Usage: "LWA client secret the simulator accepts"},
			{Flag: "refresh-token", Env: "ICHIGEN_SIM_REFRESH_TOKEN", Key: "refreshToken", Default: DefaultRefreshToken, Usage: "LWA refresh token the simulator accepts"},
			{Flag: "seller-id", Env: "ICHIGEN_SIM_SELLER_ID", Key: "sellerId", Default: DefaultSellerID, Usage: "seller ID (merchant token) the simulator answers for"},
		},
		New: func(c channel.SimConfig) channel.SimServer {
			cfg := Config{ClientID: c.Credentials["clientId"], ClientSecret: c.Credentials["clientSecret"], RefreshToken: c.Credentials["refreshToken"],
				SellerID: c.Credentials["sellerId"], Seed: c.Seed}
			// `ichigen sim amazon` (a quota given) and the demo enforce the model's usage plans; the
			// conformance suite, which gives none, does not wait on them.
			if c.QuotaPerSecond > 0 || c.Demo {
				cfg.RateFactor = 1
			}
			if c.Demo { // convenience-store payments arrive and FBA orders ship within minutes
				cfg.PaymentDelay, cfg.AFNShipDelay = 2*time.Minute, 3*time.Minute
			}
			return registered{New(cfg)}
		},
		Demo: channel.Demo{
			ShopName: "Amazon デモ店 (シミュレーター)", Code: DefaultSellerID,
			// Orders are imported once paid (Unshipped), their status checked, packed by the demo
			// packer and their shipments confirmed, after which Amazon has them Shipped. FBA orders
			// pass the shipment confirmation without a call: Amazon ships them.
			Rules: func(p func(string) int64) []workflow.Rule {
				return []workflow.Rule{
					{Kind: workflow.JobImport, Interval: time.Minute}, // getOrders refills one call a minute
					{Kind: workflow.JobStatusFetch, TargetPhaseID: p("新規受付"), SuccessPhaseID: p("出荷待ち"), ErrorPhaseID: p("エラー"), Interval: time.Minute},
					{Kind: workflow.JobShipReport, TargetPhaseID: p("出荷済み"), SuccessPhaseID: p("完了"), ErrorPhaseID: p("エラー")},
				}
			},
			Orders: func(sim channel.SimServer, first bool, at time.Time) {
				s := sim.(registered).Server
				if first {
					s.Generate(GenerateOptions{Count: 12, At: at, AFNShare: 0.2})
					s.Generate(GenerateOptions{Count: 3, At: at, Status: "Pending", PaymentMethod: "CVS"})
					return
				}
				s.Generate(GenerateOptions{Count: 1 + s.Sim.Gen.IntN(2), AFNShare: 0.2})
			},
		},
	})
}

// registered is the simulator as channel.SimServer.
type registered struct{ *Server }

func (r registered) IntN(n int) int { return r.Sim.Gen.IntN(n) }

func (r registered) Now() time.Time { return r.Sim.Clock.Now() }

// Place places MFN orders: Unshipped (paid) when ready to ship, else Pending.
func (r registered) Place(count int, readyToShip bool) []string {
	opts := GenerateOptions{Count: count, Fulfillment: "MFN", PaymentMethod: "Other"}
	if !readyToShip {
		opts.Status, opts.PaymentMethod = "Pending", "CVS"
	}
	return r.Generate(opts)
}

func (r registered) Banner(url string) string {
	c := r.Server.Credentials()
	plans := "not enforced"
	if r.cfg.RateFactor > 0 {
		plans = fmt.Sprintf("the model's usage plans ×%g (getOrders 0.0167/s burst 20, confirmShipment 2/s burst 10, …)", r.cfg.RateFactor)
	}
	return fmt.Sprintf("Amazon SP-API simulator on %s\n  clientId:      %s\n  clientSecret:  %s\n  refreshToken:  %s\n  sellerId:      %s\n  token buckets: %s\n"+
		"  make orders:   curl -X POST %s/_sim/orders -d '{\"count\":10,\"afn_share\":0.2}'\n",
		url, c["clientId"], c["clientSecret"], c["refreshToken"], c["sellerId"], plans, url)
}
