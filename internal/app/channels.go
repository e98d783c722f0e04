package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// RakutenEndpoint is RMS's production address; a shop's "endpoint" credential points it at a
// simulator instead.
const RakutenEndpoint = "https://api.rms.rakuten.co.jp"

// AuPayEndpoint is the au PAY Market shop API's production address.
const AuPayEndpoint = "https://api.manager.wowma.jp"

// Pacing margins. Calls are spaced a little wider than the quota allows: 5%, plus a fixed
// allowance for what can bring two calls closer on their way (network jitter, the moment between
// a call's claim and its send), which at several calls a second is larger than 5% of the step.
// The 5% is the reservations' alone: a call claimed just before it leaves must only keep the
// quota's step plus the allowance from the one before, so a late call pushes the next by its
// lateness and no more.
const (
	paceMargin = 1.05
	paceJitter = 25 * time.Millisecond
)

// paceStep is the spacing of one credential's reserved call slots under a quota of perSecond.
func paceStep(perSecond float64) time.Duration {
	return time.Duration(paceMargin*float64(time.Second)/perSecond) + paceJitter
}

// paceFloor is the least time between two calls of one credential as they are claimed and sent.
func paceFloor(perSecond float64) time.Duration {
	return time.Duration(float64(time.Second)/perSecond) + paceJitter
}

// channels builds channel clients for shops.
type channels struct {
	store       store.Store
	http        *http.Client
	asyncSettle time.Duration
}

func newChannels(st store.Store, timeout time.Duration) *channels {
	return &channels{store: st, http: &http.Client{Timeout: timeout}}
}

// pacer spaces the calls of one credential through the store's call slots, so that every
// instance on one database together stays within the marketplace's quota.
func (c *channels) pacer(channelName, credential string, quota float64) channel.Pacer {
	sum := sha256.Sum256([]byte(channelName + ":" + credential)) // the slot's key is no secret
	return storePacer{store: c.store, key: channelName + ":" + hex.EncodeToString(sum[:8]), every: paceStep(quota), floor: paceFloor(quota)}
}

// storePacer paces in two steps. A call reserves the next slot (every after the one before) and
// sleeps until it comes; then, as it wakes, it claims the call, which holds only when the last
// call claimed is floor behind. A caller that woke late (a busy machine, a paused instance, a
// slow answer from the database) has thus pushed the callers after it instead of leaving right
// before them, and the marketplace sees the spacing ichigen meant, not only ichigen's slots.
// Sent moves the last call to the moment it really left, for work done between the claim and the
// send.
type storePacer struct {
	store store.Store
	key   string
	every time.Duration
	floor time.Duration
}

// Wait takes the credential's next call slot, waits for it and claims the call.
func (p storePacer) Wait(ctx context.Context) error {
	wait, err := p.store.ReserveCall(ctx, p.key, p.every)
	for err == nil {
		if err := sleep(ctx, wait); err != nil {
			return err
		}
		if wait, err = p.store.ClaimCall(ctx, p.key, p.floor); err == nil && wait == 0 {
			return nil
		}
	}
	return err
}

// sentMarkTimeout bounds the note that a call left: it is made beside the call, not before it.
const sentMarkTimeout = 5 * time.Second

// Sent notes, beside the call that leaves now, that it left now.
func (p storePacer) Sent(ctx context.Context) {
	at := time.Now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sentMarkTimeout)
	go func() {
		defer cancel()
		_ = p.store.MarkCallSent(ctx, p.key, at) // a lost note leaves the claim's time, a little earlier
	}()
}

// sleep waits for d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fetcher returns the importing client for a shop.
func (c *channels) fetcher(sh shop.Shop) (jobs.Fetcher, error) { return c.client(sh) }

// processor returns the client that runs phase rules for a shop.
func (c *channels) processor(sh shop.Shop) (jobs.Processor, error) { return c.client(sh) }

// eligibility returns which orders a shop's channel acts on for a job kind.
func (c *channels) eligibility(sh shop.Shop, kind workflow.JobKind) workflow.Eligibility {
	switch sh.Channel {
	case shop.Rakuten:
		return rakuten.Eligibility[kind]
	case shop.AuPay:
		return aupay.Eligibility[kind]
	}
	return workflow.Eligibility{}
}

// channelClient is what every channel client does for the jobs.
type channelClient interface {
	jobs.Fetcher
	jobs.Processor
}

func (c *channels) client(sh shop.Shop) (channelClient, error) {
	switch sh.Channel {
	case shop.Rakuten:
		creds := sh.Credentials.Plain()
		if creds["serviceSecret"] == "" || creds["licenseKey"] == "" {
			return nil, fmt.Errorf("楽天の店舗「%s」にserviceSecretとlicenseKeyが設定されていません。店舗設定で入力してください。", sh.Name)
		}
		endpoint := creds["endpoint"]
		if endpoint == "" {
			endpoint = RakutenEndpoint
		}
		return &rakuten.Client{BaseURL: endpoint, ServiceSecret: creds["serviceSecret"], LicenseKey: creds["licenseKey"], ShopID: sh.ID,
			HTTP: c.http, Recorder: c.store, Limiter: c.pacer("rakuten", creds["licenseKey"], sh.CallsPerSecond()), AsyncSettle: c.asyncSettle}, nil
	case shop.AuPay:
		creds := sh.Credentials.Plain()
		if creds["apiKey"] == "" || creds["shopId"] == "" {
			return nil, fmt.Errorf("au PAY マーケットの店舗「%s」にAPIキーと店舗IDが設定されていません。店舗設定で入力してください。", sh.Name)
		}
		endpoint := creds["endpoint"]
		if endpoint == "" {
			endpoint = AuPayEndpoint
		}
		return &aupay.Client{BaseURL: endpoint, APIKey: creds["apiKey"], ShopID: creds["shopId"], IchigenShopID: sh.ID,
			HTTP: c.http, Recorder: c.store, Limiter: c.pacer("aupay", creds["apiKey"], sh.CallsPerSecond())}, nil
	}
	return nil, fmt.Errorf("チャネル「%s」との連携はまだ対応していません。", sh.Channel.Label())
}

// Every channel client offers what the jobs may ask of it; the build fails if one stops.
var (
	_ jobs.Refetcher           = (*rakuten.Client)(nil)
	_ jobs.UnimportedConfirmer = (*rakuten.Client)(nil)
	_ jobs.ExpiryChecker       = (*rakuten.Client)(nil)
	_ jobs.PostageSetter       = (*rakuten.Client)(nil)
	_ jobs.Refetcher           = (*aupay.Client)(nil)
)
