package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	_ "github.com/ichigen-oms/ichigen/internal/channels" // every channel ichigen talks to
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// paceAllowance is the least room by which calls are spaced wider than the quota's step as
// ichigen claims them: room for what can still bring two calls closer on their way to the
// marketplace once claimed (the moment between the claim and the send, the two requests' paths
// through the network and the marketplace's front end). It is a share of the step with a floor
// for the fixed part: 1% + 1 ms, 0.989 of the quota at 1 call/s and 0.985 at 5/s. A machine that
// stalls now and then brings calls closer than that; each 429 widens the room for the
// credential (allowances), and calls that go through narrow it back.
func paceAllowance(step time.Duration) time.Duration {
	return step/100 + time.Millisecond
}

// paceStep is the least time between two calls of one credential under a quota of perSecond,
// as their slots are reserved and as they are claimed and sent.
func paceStep(perSecond float64) time.Duration {
	step := quotaStep(perSecond)
	return step + paceAllowance(step)
}

// quotaStep is the least time between two calls the quota itself allows.
func quotaStep(perSecond float64) time.Duration {
	return time.Duration(float64(time.Second) / perSecond)
}

// allowances widens a credential's pacing after the marketplace refused a call over its quota,
// and narrows it back as calls go through: each 429 doubles the room over the quota's step,
// each call that goes through takes a little of it back, so that a loaded machine's 429s stay rare without giving up the
// quota on a quiet one. A 429 costs more than a call on some marketplaces (Yahoo!ショッピング
// blocks the URL for a while); the room's cap of a quarter step bounds what it gives up. Each
// instance keeps its own; they pace through the same call slots.
type allowances struct {
	mu    sync.Mutex
	extra map[string]time.Duration
	// usual is, by credential and operation, how soon an answer usually begins to come back
	// after its call was written: a low mark that falls at once to a faster answer and rises a
	// 64th of the way to a slower one.
	usual map[string]time.Duration
	// left is, by credential, the latest moment this instance noted a call as having left
	// (Sent, Answered): the next claim keeps a step from it without waiting for the database's
	// copy of the note, which a busy database writes late.
	left map[string]time.Time
}

// easeCalls is how many calls that go through take the widened room back by about 63%: a
// thousand, so that a machine that stalls now and then meets a 429 about once in that many
// calls (over 200, au PAY's drain under a full test run met 2 in 603). The room one 429 gives
// is 2% of the step, so keeping it that long costs at most 2% of the quota.
const easeCalls = 1000

func newAllowances() *allowances {
	return &allowances{extra: map[string]time.Duration{}, usual: map[string]time.Duration{}, left: map[string]time.Time{}}
}

// leftAt notes that a call of the credential is taken to have left at at (the latest note wins).
func (a *allowances) leftAt(key string, at time.Time) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if at.After(a.left[key]) {
		a.left[key] = at
	}
}

// lastLeft is the latest moment noted by leftAt for the credential (zero when none).
func (a *allowances) lastLeft(key string) time.Time {
	if a == nil {
		return time.Time{}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.left[key]
}

// late returns by how much an answer that came rtt after its call was written came later than
// the credential's answers to op usually do (0 for the first, none faster), at most most, and
// notes rtt.
func (a *allowances) late(key, op string, rtt, most time.Duration) time.Duration {
	if a == nil {
		return 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	k := key + "\x00" + op
	usual, seen := a.usual[k]
	switch {
	case !seen || rtt < usual:
		a.usual[k] = rtt
		return 0
	default:
		a.usual[k] = usual + (rtt-usual)/64
		return min(rtt-usual, most)
	}
}

// of returns the room a credential's pacing has been widened by.
func (a *allowances) of(key string) time.Duration {
	if a == nil {
		return 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.extra[key]
}

// widen doubles the room, and adds 2% of the step, after a 429, up to a quarter step.
func (a *allowances) widen(key string, step time.Duration) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.extra[key] = min(step/4, 2*a.extra[key]+step/50)
}

// ease narrows the room a little for a call that went through.
func (a *allowances) ease(key string) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if e := a.extra[key]; e > 0 {
		a.extra[key] = e - max(e/easeCalls, time.Microsecond)
	}
}

// channels builds channel clients for shops.
type channels struct {
	store       store.Store
	http        *http.Client
	asyncSettle time.Duration
	allowances  *allowances
}

func newChannels(st store.Store, timeout time.Duration) *channels {
	return &channels{store: st, http: &http.Client{Timeout: timeout}, allowances: newAllowances()}
}

// pacer spaces the calls of one credential through the store's call slots, so that every
// instance on one database together stays within the marketplace's quota.
func (c *channels) pacer(channelName, credential string, quota float64) channel.Pacer {
	sum := sha256.Sum256([]byte(channelName + ":" + credential)) // the slot's key is no secret
	return storePacer{store: c.store, key: channelName + ":" + hex.EncodeToString(sum[:8]), least: paceStep(quota), quota: quotaStep(quota), rooms: c.allowances}
}

// storePacer paces in two steps. A call reserves the next slot (a step after the one before)
// and sleeps until it comes; then, as it wakes, it claims the call, which holds only when the
// last call claimed or sent is a step behind. A caller that woke late (a busy machine, a paused
// instance, a slow answer from the database) has thus pushed the callers after it instead of
// leaving right before them, and the marketplace sees the spacing ichigen meant, not only
// ichigen's slots. Sent moves the last call to the moment it really left. The transport makes a
// write's journal mark between the two steps (channel.SlotPacer), so that a claim is followed
// by the send alone.
type storePacer struct {
	store store.Store
	key   string
	least time.Duration // the quota's step and the least allowance
	quota time.Duration // the quota's step
	rooms *allowances   // how much 429s widened the allowance
}

// step is the spacing of the credential's calls now: the least, and what 429s widened it by.
func (p storePacer) step() time.Duration { return p.least + p.rooms.of(p.key) }

// Throttled widens the credential's spacing after a 429.
func (p storePacer) Throttled() { p.rooms.widen(p.key, p.quota) }

// Wait takes the credential's next call slot, waits for it and claims the call.
func (p storePacer) Wait(ctx context.Context) error {
	if err := p.Await(ctx); err != nil {
		return err
	}
	return p.Claim(ctx)
}

// Await reserves the credential's next call slot and waits for it.
func (p storePacer) Await(ctx context.Context) error {
	wait, err := p.store.ReserveCall(ctx, p.key, p.step())
	if err != nil {
		return err
	}
	return channel.Sleep(ctx, wait)
}

// Claim claims the call once the last one is a step behind, waiting again while it is not.
func (p storePacer) Claim(ctx context.Context) error {
	for {
		if wait := time.Until(p.rooms.lastLeft(p.key).Add(p.step())); wait > 0 {
			if err := channel.Sleep(ctx, wait); err != nil {
				return err
			}
		}
		wait, err := p.store.ClaimCall(ctx, p.key, p.step())
		if err != nil || wait == 0 {
			return err
		}
		if err := channel.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// sentMarkTimeout bounds the note that a call left: it is made beside the call, not before it.
const sentMarkTimeout = 5 * time.Second

// Sent notes, beside the call that leaves now, that it left now, less the allowance: a call that
// left within the allowance of its claim keeps the spacing it was claimed with (the next claim
// is a step and the allowance after this one's), and only one that left later pushes the next.
// Either way the next call leaves at least a step after this one.
func (p storePacer) Sent(ctx context.Context) {
	at := time.Now().Add(p.quota - p.step())
	p.rooms.ease(p.key)
	p.rooms.leftAt(p.key, at)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sentMarkTimeout)
	go func() {
		defer cancel()
		_ = p.store.MarkCallSent(ctx, p.key, at) // a lost note leaves the claim's time, a little earlier
	}()
}

// Answered keeps the next call from coming closer than the quota's step to where this one may
// have arrived: a call reaches the marketplace between its write and its answer, and what the
// answer took beyond the usual (allowances.late) may all have been spent before it arrived (a
// stall of the machine or the network; measured on a loaded machine: answers written 200 ms
// apart arrived 168 ms apart when the first stalled 39 ms after its write, and the second was
// refused 429). The call is then taken to have left that much later (Sent's note, moved on), at
// most half a step (stalls of 53 and 81 ms were measured at au PAY's 200 ms step with load 18 on
// 2 cores): an answer slow for the marketplace's own work costs the pace that much, and only
// when it is slower than usual. The note is kept in this instance at once, and written to the
// database for the others.
func (p storePacer) Answered(ctx context.Context, op string, wrote, answered time.Time) {
	late := p.rooms.late(p.key, op, answered.Sub(wrote), p.quota/2)
	if late == 0 {
		return // as usual: Sent's note holds
	}
	at := wrote.Add(late + p.quota - p.step())
	p.rooms.leftAt(p.key, at)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sentMarkTimeout)
	go func() {
		defer cancel()
		_ = p.store.MarkCallSent(ctx, p.key, at)
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
	if ok && spec.FileOnly {
		return nil, fmt.Errorf("「%s」はAPIのない店舗です。注文はCSVファイルで取り込み、出荷データはCSVファイルで書き出してください。", sh.Channel.Label())
	}
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
		Tokens: shopTokens{st: c.store, shopID: sh.ID}, Buckets: storeBuckets{st: c.store}})
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
