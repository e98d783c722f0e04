package aupaysim

import (
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// PhaseShipReflected is the phase the demo shop adds between its ship report and its completion
// (出荷情報反映済み orders wait there for 自動受注完了ステータス反映).
const PhaseShipReflected = "出荷反映済み"

func init() {
	channel.RegisterSimulator(aupay.Channel, channel.Simulator{
		Usage:       "au PAY Market (Wowma) shop API simulator (/wmshopapi/<proc>, control API under /_sim/)",
		DefaultAddr: "127.0.0.1:8082",
		Flags: []channel.SimFlag{
			{Flag: "api-key", Env: "ICHIGEN_SIM_API_KEY", Key: "apiKey", Default: DefaultAPIKey, Usage: "API key the simulator accepts (Authorization: Bearer)"},
			{Flag: "shop-id", Env: "ICHIGEN_SIM_SHOP_ID", Key: "shopId", Default: DefaultShopID, Usage: "au shop id (shopId) the simulator answers for"},
		},
		New: func(c channel.SimConfig) channel.SimServer {
			cfg := Config{APIKey: c.Credentials["apiKey"], ShopID: c.Credentials["shopId"], QuotaPerSecond: c.QuotaPerSecond, Seed: c.Seed}
			if c.Demo { // prepaid trades are paid within two minutes
				cfg.PaymentDelay = 2 * time.Minute
			}
			return registered{New(cfg)}
		},
		Demo: channel.Demo{
			ShopName: "au PAY デモ店 (シミュレーター)", Code: DefaultShopID, Phases: []string{PhaseShipReflected},
			// Seed 000's three rules: new trades wait for au's 発送待ち (payment in), are packed,
			// their shipments reflected, then their status set to 完了.
			Rules: func(p func(string) int64) []workflow.Rule {
				return []workflow.Rule{
					{Kind: workflow.JobImport, Interval: 30 * time.Second},
					{Kind: workflow.JobStatusFetch, TargetPhaseID: p("新規受付"), SuccessPhaseID: p("出荷待ち"), ErrorPhaseID: p("エラー"), Interval: time.Minute},
					{Kind: workflow.JobShipReport, TargetPhaseID: p("出荷済み"), SuccessPhaseID: p(PhaseShipReflected), ErrorPhaseID: p("エラー")},
					{Kind: workflow.JobComplete, TargetPhaseID: p(PhaseShipReflected), SuccessPhaseID: p("完了"), ErrorPhaseID: p("エラー")},
				}
			},
			// Trades paid by card are ready to ship (発送待ち); bank transfers wait for the
			// buyer's payment (発送前入金待ち) first.
			Orders: func(sim channel.SimServer, first bool, at time.Time) {
				s := sim.(registered).Server
				if first {
					s.Generate(GenerateOptions{Count: 10, At: at, Status: aupay.StatusAwaitingShipment})
					s.Generate(GenerateOptions{Count: 3, At: at, Status: aupay.StatusAwaitingPayment, Settlement: "銀行振込"})
					return
				}
				opts := GenerateOptions{Count: 1 + s.Sim.Gen.IntN(2), Status: aupay.StatusAwaitingShipment}
				if s.Sim.Gen.IntN(4) == 0 {
					opts.Status, opts.Settlement = aupay.StatusAwaitingPayment, "銀行振込"
				}
				s.Generate(opts)
			},
		},
	})
}

// registered is the simulator as channel.SimServer.
type registered struct{ *Server }

func (r registered) Credentials() map[string]string {
	key, shopID := r.Server.Credentials()
	return map[string]string{"apiKey": key, "shopId": shopID}
}

func (r registered) IntN(n int) int { return r.Sim.Gen.IntN(n) }

func (r registered) Now() time.Time { return r.Sim.Clock.Now() }

// Place places card trades: 発送待ち when ready to ship, else 新規受付.
func (r registered) Place(count int, readyToShip bool) []string {
	opts := GenerateOptions{Count: count, Settlement: "クレジットカード決済"}
	if readyToShip {
		opts.Status = aupay.StatusAwaitingShipment
	}
	return r.Generate(opts)
}

func (r registered) Banner(url string) string {
	key, shopID := r.Server.Credentials()
	return fmt.Sprintf("au PAY Market simulator on %s\n  API key:       %s\n  shopId:        %s\n  key expires:   %s\n  quota:         %g request(s)/s per key\n"+
		"  make orders:   curl -X POST %s/_sim/orders -d '{\"count\":10,\"status\":\"発送待ち\"}'\n",
		url, key, shopID, r.KeyExpiresAt().Format(time.DateOnly), r.cfg.QuotaPerSecond, url)
}
