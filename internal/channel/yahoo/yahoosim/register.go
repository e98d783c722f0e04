package yahoosim

import (
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/yahoo"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// PhaseShipReflected is the phase the demo shop adds between its ship report and its completion
// (orders whose shipment Yahoo holds wait there for 完了).
const PhaseShipReflected = "出荷反映済み"

func init() {
	channel.RegisterSimulator(yahoo.Channel, channel.Simulator{
		Usage:       "Yahoo!ショッピング order API simulator (/ShoppingWebService/V1/<op>, OAuth under /yconnect/v2/, control API under /_sim/)",
		DefaultAddr: "127.0.0.1:8083",
		Flags: []channel.SimFlag{
			{Flag: "client-id", Env: "ICHIGEN_SIM_CLIENT_ID", Key: "clientId", Default: DefaultClientID, Usage: "application ID (Client ID) the simulator accepts"},
			{Flag: "client-secret", Env: "ICHIGEN_SIM_CLIENT_SECRET", Key: "clientSecret", Default: DefaultClientSecret, Usage: "application secret the simulator accepts"},
			{Flag: "seller-id", Env: "ICHIGEN_SIM_SELLER_ID", Key: "sellerId", Default: DefaultSellerID, Usage: "store account (SellerId) the simulator answers for"},
			{Flag: "refresh-token", Env: "ICHIGEN_SIM_REFRESH_TOKEN", Key: "refreshToken", Default: DefaultRefreshToken, Usage: "refresh token issued at start, as if the store had authorised once"},
		},
		New: func(c channel.SimConfig) channel.SimServer {
			cfg := Config{ClientID: c.Credentials["clientId"], ClientSecret: c.Credentials["clientSecret"], SellerID: c.Credentials["sellerId"],
				RefreshToken: c.Credentials["refreshToken"], QuotaPerSecond: c.QuotaPerSecond, Seed: c.Seed}
			if c.Demo { // prepaid orders are paid within two minutes
				cfg.PaymentDelay = 2 * time.Minute
			}
			return registered{New(cfg)}
		},
		Demo: channel.Demo{
			ShopName: "Yahoo!ショッピング デモ店 (シミュレーター)", Code: DefaultSellerID, Phases: []string{PhaseShipReflected},
			// New orders are taken (処理中), wait for their payment, are packed, their shipment
			// reported, then completed once Yahoo allows it.
			Rules: func(p func(string) int64) []workflow.Rule {
				return []workflow.Rule{
					{Kind: workflow.JobImport, Interval: 30 * time.Second},
					{Kind: workflow.JobConfirm, TargetPhaseID: p("新規受付"), SuccessPhaseID: p("入金待ち"), ErrorPhaseID: p("エラー")},
					{Kind: workflow.JobPaymentReview, TargetPhaseID: p("入金待ち"), SuccessPhaseID: p("出荷待ち"), ErrorPhaseID: p("エラー"), Interval: time.Minute},
					{Kind: workflow.JobShipReport, TargetPhaseID: p("出荷済み"), SuccessPhaseID: p(PhaseShipReflected), ErrorPhaseID: p("エラー")},
					{Kind: workflow.JobComplete, TargetPhaseID: p(PhaseShipReflected), SuccessPhaseID: p("完了"), ErrorPhaseID: p("エラー")},
				}
			},
			// Most orders are paid at once (card, PayPay); a few by bank transfer wait for the
			// buyer's payment.
			Orders: func(sim channel.SimServer, first bool, at time.Time) {
				s := sim.(registered).Server
				if first {
					s.Generate(GenerateOptions{Count: 10, At: at, PayMethod: "payment_a1"})
					s.Generate(GenerateOptions{Count: 3, At: at, PayMethod: "payment_b1"})
					return
				}
				opts := GenerateOptions{Count: 1 + s.Sim.Gen.IntN(2), PayMethod: "payment_a17"}
				if s.Sim.Gen.IntN(4) == 0 {
					opts.PayMethod = "payment_b1"
				}
				s.Generate(opts)
			},
		},
	})
}

// registered is the simulator as channel.SimServer.
type registered struct{ *Server }

func (r registered) IntN(n int) int { return r.Sim.Gen.IntN(n) }
func (r registered) Now() time.Time { return r.Sim.Clock.Now() }
func (r registered) Banner(u string) string {
	c := r.Server.Credentials()
	return fmt.Sprintf("Yahoo!ショッピング simulator on %s\n  application ID: %s\n  secret:         %s\n  sellerId:       %s\n  refresh token:  %s\n"+
		"  authorise:      %s%s?response_type=code&client_id=%s&redirect_uri=<your callback>\n  quota:          %g request(s)/s per URL, %d a day\n"+
		"  make orders:    curl -X POST %s/_sim/orders -d '{\"count\":10}'\n",
		u, c["clientId"], c["clientSecret"], c["sellerId"], c["refreshToken"], u, yahoo.AuthorizePath, c["clientId"], r.cfg.QuotaPerSecond, r.cfg.DailyCap, u)
}

// Place places card orders, taken by the store (seen) when ready to ship.
func (r registered) Place(count int, readyToShip bool) []string {
	return r.Generate(GenerateOptions{Count: count, PayMethod: "payment_a1", Seen: readyToShip})
}
