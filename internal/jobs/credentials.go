package jobs

import (
	"context"
	"fmt"
	"math"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// ExpiryChecker is a channel client that can ask when its credentials expire.
type ExpiryChecker = channel.ExpiryChecker

// CheckCredentialsArgs asks each shop's marketplace when its credentials expire, stores the date,
// and e-mails a warning from 14 days before (楽天: the licenseKey lives 90 days).
type CheckCredentialsArgs struct{}

// Kind implements river.JobArgs.
func (CheckCredentialsArgs) Kind() string { return "check_credentials" }

type checkCredentialsWorker struct {
	river.WorkerDefaults[CheckCredentialsArgs]
	deps Deps
}

func (w *checkCredentialsWorker) Work(ctx context.Context, job *river.Job[CheckCredentialsArgs]) error {
	shops, err := w.deps.Store.ListShops(ctx)
	if err != nil {
		return err
	}
	client := river.ClientFromContext[dbTx](ctx)
	now := w.deps.Now()
	ctx = channel.WithCall(ctx, "check_credentials", 0)
	for _, sh := range shops {
		if sh.Status == shop.AuthError || w.deps.Fetcher == nil {
			continue
		}
		f, err := w.deps.Fetcher(sh)
		if err != nil {
			continue
		}
		checker, ok := f.(ExpiryChecker)
		if !ok {
			continue
		}
		expiry, err := checker.LicenseExpiry(ctx)
		if channel.ClassOf(err) == channel.Auth {
			if err := w.deps.authFailed(ctx, client, sh, err); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			w.deps.Logger.Warn("credential expiry not read", "shop", sh.ID, "error", err)
			continue
		}
		if err := w.deps.Store.SetCredentialsExpiry(ctx, sh.ID, expiry); err != nil {
			return err
		}
		sh.CredentialsExpireAt = expiry
		if sh.CredentialsExpireSoon(now) {
			days := int(math.Ceil(expiry.Sub(now).Hours() / 24))
			subject := fmt.Sprintf("(ichigen) %s APIキー有効期限のお知らせ(%s)", sh.Channel.Label(), sh.Name)
			body := fmt.Sprintf("店舗「%s」の%s APIキー(licenseKey)は %s に有効期限が切れます(あと%d日)。\n期限が切れると受注取込・注文確認・発送完了報告が止まります。RMSの「WEB APIサービス」で新しいキーを発行し、ichigen の店舗設定に保存してください。\n",
				sh.Name, sh.Channel.Label(), expiry.In(order.JST).Format("2006/01/02"), days)
			if err := w.deps.notify(ctx, client, subject, body); err != nil {
				return err
			}
		}
	}
	return nil
}
