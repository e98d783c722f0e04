package rakutensim

import (
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

func init() {
	channel.RegisterSimulator(rakuten.Name, channel.Simulator{
		Usage:       "Rakuten RMS order API 2.0 simulator (/es/2.0/order/<op>/, control API under /_sim/)",
		DefaultAddr: "127.0.0.1:8081",
		Flags: []channel.SimFlag{
			{Flag: "service-secret", Env: "ICHIGEN_SIM_SERVICE_SECRET", Key: "serviceSecret", Default: "SP338005_demoServiceSecret", Usage: "serviceSecret the simulator accepts"},
			{Flag: "license-key", Env: "ICHIGEN_SIM_LICENSE_KEY", Key: "licenseKey", Default: "SL338005_demoLicenseKey", Usage: "licenseKey the simulator accepts"},
		},
		New: func(c channel.SimConfig) channel.SimServer {
			cfg := Config{ServiceSecret: c.Credentials["serviceSecret"], LicenseKey: c.Credentials["licenseKey"], QuotaPerSecond: c.QuotaPerSecond, Seed: c.Seed}
			if c.Demo { // reviews end after a minute, prepaid buyers pay within minutes; a few fail, as they do at RMS
				cfg.ReviewDelay, cfg.ReviewNGShare, cfg.PaymentWait = time.Minute, 0.03, 3*time.Minute
			}
			return registered{New(cfg)}
		},
		Demo: channel.Demo{
			ShopName: "楽天デモ店 (シミュレーター)", Code: "338005",
			// New orders are confirmed, wait for Rakuten's review, are packed by the demo packer,
			// and their shipments reported.
			Rules: func(p func(string) int64) []workflow.Rule {
				return []workflow.Rule{
					{Kind: workflow.JobImport, Interval: 30 * time.Second},
					{Kind: workflow.JobConfirm, TargetPhaseID: p("新規受付"), SuccessPhaseID: p("確認待ち"), ErrorPhaseID: p("エラー")},
					{Kind: workflow.JobPaymentReview, TargetPhaseID: p("確認待ち"), SuccessPhaseID: p("出荷待ち"), ErrorPhaseID: p("エラー"), Interval: time.Minute},
					{Kind: workflow.JobShipReport, TargetPhaseID: p("出荷済み"), SuccessPhaseID: p("完了"), ErrorPhaseID: p("エラー")},
				}
			},
			Orders: func(sim channel.SimServer, first bool, at time.Time) {
				s := sim.(registered).Server
				if first {
					s.Generate(GenerateOptions{Count: 25, At: at, UnfixedPostageShare: 0.1})
					return
				}
				s.Generate(GenerateOptions{Count: 1 + s.Sim.Gen.IntN(3), UnfixedPostageShare: 0.1})
			},
		},
	})
}

// registered is the simulator as channel.SimServer.
type registered struct{ *Server }

func (r registered) Credentials() map[string]string {
	secret, key := r.Server.Credentials()
	return map[string]string{"serviceSecret": secret, "licenseKey": key}
}

func (r registered) IntN(n int) int { return r.Sim.Gen.IntN(n) }

func (r registered) Now() time.Time { return r.Sim.Clock.Now() }

func (r registered) Place(count int, readyToShip bool) []string {
	return r.Generate(GenerateOptions{Count: count, ReadyToShip: readyToShip})
}

func (r registered) Banner(url string) string {
	secret, key := r.Server.Credentials()
	return fmt.Sprintf("Rakuten RMS simulator on %s\n  serviceSecret: %s\n  licenseKey:    %s\n  quota:         %g request(s)/s per key\n"+
		"  make orders:   curl -X POST %s/_sim/orders -d '{\"count\":10}'\n", url, secret, key, r.cfg.QuotaPerSecond, url)
}
