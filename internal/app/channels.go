package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	_ "github.com/ichigen-oms/ichigen/internal/channels" // every channel ichigen talks to
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

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
		if err := channel.Sleep(ctx, wait); err != nil {
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

// fetcher returns the importing client for a shop.
func (c *channels) fetcher(sh shop.Shop) (jobs.Fetcher, error) { return c.client(sh) }

// processor returns the client that runs phase rules for a shop.
func (c *channels) processor(sh shop.Shop) (jobs.Processor, error) { return c.client(sh) }

// eligibility returns which orders a shop's channel acts on for a job kind: its registration's
// table.
func (c *channels) eligibility(sh shop.Shop, kind workflow.JobKind) workflow.Eligibility {
	return sh.Channel.Spec().Eligibility[kind]
}

// client builds a shop's client through its channel's registration: the shop's credentials,
// its endpoint (the marketplace's own unless set), and its pace, shared by every shop and
// instance holding the same credential.
func (c *channels) client(sh shop.Shop) (channel.Client, error) {
	spec, ok := channel.Lookup(string(sh.Channel))
	if !ok || spec.Planned || spec.NewClient == nil {
		return nil, fmt.Errorf("チャネル「%s」との連携はまだ対応していません。", sh.Channel.Label())
	}
	creds := sh.Credentials.Plain()
	var pacer channel.Pacer
	if key := spec.Quota.PaceKey; key != "" && creds[key] != "" {
		pacer = c.pacer(spec.Name, creds[key], sh.CallsPerSecond())
	}
	return spec.NewClient(channel.Account{ShopID: sh.ID, ShopName: sh.Name, Credentials: creds, BaseURL: cmp.Or(creds["endpoint"], spec.Endpoint),
		HTTP: c.http, Recorder: c.store, Pacer: pacer, Settle: c.asyncSettle, Stored: c.stored(sh.ID),
		Tokens: shopTokens{st: c.store, shopID: sh.ID}})
}

// shopTokens keeps a shop's access token in the store, shared by every instance.
type shopTokens struct {
	st     store.Store
	shopID int64
}

func (k shopTokens) Load(ctx context.Context) (string, time.Time, error) {
	token, exp, err := k.st.ChannelToken(ctx, k.shopID)
	if apperror.Is(err, apperror.NotFound) {
		return "", time.Time{}, nil
	}
	return token, exp, err
}

func (k shopTokens) Save(ctx context.Context, token string, expiresAt time.Time) error {
	return k.st.SaveChannelToken(ctx, k.shopID, token, expiresAt)
}

// stored returns what a shop's orders hold of their marketplace update time, by number.
func (c *channels) stored(shopID int64) func(ctx context.Context, numbers []string) (map[string]time.Time, error) {
	return func(ctx context.Context, numbers []string) (map[string]time.Time, error) {
		out := make(map[string]time.Time, len(numbers))
		for _, n := range numbers {
			o, err := c.store.GetOrderByNumber(ctx, shopID, n)
			if apperror.Is(err, apperror.NotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out[n] = o.MarketplaceUpdatedAt
		}
		return out, nil
	}
}
