package app

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// RakutenEndpoint is RMS's production address; a shop's "endpoint" credential points it at a
// simulator instead.
const RakutenEndpoint = "https://api.rms.rakuten.co.jp"

// RakutenCallsPerSecond paces the calls of one license key: RMS allows about one a second, and
// the 5% margin keeps network jitter from bringing two calls closer than that.
const RakutenCallsPerSecond = 0.95

// channels builds channel clients for shops, sharing one rate limiter per credential within this
// instance.
type channels struct {
	store    store.Store
	http     *http.Client
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

func newChannels(st store.Store, timeout time.Duration) *channels {
	return &channels{store: st, http: &http.Client{Timeout: timeout}, limiters: map[string]*rate.Limiter{}}
}

func (c *channels) limiter(key string, perSecond float64) *rate.Limiter {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.limiters[key]
	if !ok {
		l = rate.NewLimiter(rate.Limit(perSecond), 1)
		c.limiters[key] = l
	}
	return l
}

// fetcher returns the importing client for a shop.
func (c *channels) fetcher(sh shop.Shop) (jobs.Fetcher, error) { return c.client(sh) }

// processor returns the client that runs phase rules for a shop.
func (c *channels) processor(sh shop.Shop) (jobs.Processor, error) { return c.client(sh) }

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
			HTTP: c.http, Recorder: c.store, Limiter: c.limiter("rakuten:"+creds["licenseKey"], RakutenCallsPerSecond)}, nil
	}
	return nil, fmt.Errorf("チャネル「%s」との連携はまだ対応していません。", sh.Channel.Label())
}

// Every channel client offers what the jobs may ask of it; the build fails if one stops.
var (
	_ jobs.Refetcher           = (*rakuten.Client)(nil)
	_ jobs.UnimportedConfirmer = (*rakuten.Client)(nil)
	_ jobs.ExpiryChecker       = (*rakuten.Client)(nil)
)
