package channel

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Spec is everything ichigen knows of one channel, registered once by the channel's own package
// (Register, in its init) and read by the rest of the house: shops, credentials, rules, the
// dispatcher, the order operations, the web UI, `ichigen sim` and the demo. Nothing outside a
// channel's package switches on its name; a Spec that leaves out what a connected channel needs
// is refused when it registers (Register panics) or when ichigen starts (CheckRegistry).
type Spec struct {
	// Name is the channel's code, stored with each shop: "rakuten", "aupay".
	Name string
	// Label is the channel's Japanese name (楽天市場), LabelEN its English one (Rakuten Ichiba)
	// and Short the name e-mail subjects use (楽天).
	Label, LabelEN, Short string
	// Position places the channel in the lists operators see (filters, the new-shop form).
	Position int
	// Planned marks a channel ichigen lists (filters, labels) but does not talk to yet: no shop
	// can be created on it and it has no client.
	Planned bool
	// FileOnly marks a channel without an API (the CSV shop: a mall ichigen does not speak yet,
	// phone and fax orders): its orders come in as a CSV file through the shop's saved column
	// mapping (internal/orderimport) and its shipments go out as a CSV file, so it has no
	// client, quota, credentials, import job or simulator. Shops can be created on it; its demo
	// shop is FileDemo.
	FileOnly bool
	// FileDemo is a file-only channel's demo shop.
	FileDemo *FileDemo

	// Endpoint is the marketplace API's production address; a shop's "endpoint" credential
	// points a client at a simulator instead.
	Endpoint string
	// Credentials are what the channel's client reads from a shop, in the order the settings
	// page asks for them.
	Credentials []CredentialKey
	// JobKinds are the automation the channel offers, in the order the UI lists them.
	JobKinds []workflow.JobKind
	// Flow is the channel's usual run of rules, offered to a new shop (stopped until its
	// credentials are in); nil offers none.
	Flow Flow
	// JobLabels, when set, name job kinds in the channel's own words where they differ from
	// the common ones (workflow.JobKind.Label), as in the error e-mails' subjects.
	JobLabels map[workflow.JobKind]string
	// LinkStatuses are the channel's own link statuses (空欄 and the rule errors are added by
	// LinkStatusesOf), in the order the UI lists them.
	LinkStatuses []LinkStatus
	// Eligibility says, per job kind, which orders the channel acts on; the dispatcher applies it
	// before the client sees a batch (a bundle child, a cancelled order, a link status that does
	// not fit the kind). A job kind that needs a target phase must have one.
	Eligibility map[workflow.JobKind]workflow.Eligibility
	// BatchSize is how many orders one dispatch round hands to the client (0: the dispatcher's
	// default of 100, the bulk calls' limit). A channel that makes a call per order takes fewer,
	// so that a round at the marketplace's pace stays well inside a job's time and a run can stop
	// between rounds.
	BatchSize int
	// PollOrdersPerCall is how many orders one call of a polling kind (決済審査結果確認,
	// 注文情報ステータス取得) reads (0: one a call, as au PAY's per-trade read): 要対応 divides a
	// backlog by it to say how many calls, and how long at the quota, one sweep of it takes.
	PollOrdersPerCall int
	// Quota is what the marketplace allows one credential.
	Quota Quota
	// SplitWarning is what the operator confirms before splitting an order of the channel ("":
	// nothing to warn of).
	SplitWarning string
	// StatusName, when set, names the marketplace's own status code (Rakuten's orderProgress
	// 200) as the marketplace's screens do (楽天処理中); nil where the stored status is the name.
	StatusName func(raw string) string
	// UnconfirmedCancelAfter is how long the marketplace keeps an order left unconfirmed
	// (注文確認待ち) before cancelling it, counted from the order; 0 when it does not.
	UnconfirmedCancelAfter time.Duration
	// UnpaidCancelAfter is how long the marketplace waits for the buyer's payment of an order it
	// settles (a prepaid one in 審査中) before cancelling it, counted from the order; 0 when it
	// does not.
	UnpaidCancelAfter time.Duration
	// Cancel is how an operator cancels an order at the marketplace through ichigen; nil when
	// the channel's client cannot (the client is then no Canceller).
	Cancel *CancelSpec
	// Edit is what of an order's contents (注文内容修正) the marketplace takes through its API;
	// nil when the channel's client changes nothing (see EditSpec).
	Edit *EditSpec

	// Authorization, when set, is how a shop is authorised through the marketplace's consent
	// screen (OAuth 2.0 authorization code) instead of a key typed in.
	Authorization *Authorization

	// BuyerDataRetention, when set, is how long after shipment the channel's orders keep the
	// buyer's and recipients' personal data before a periodic job removes it (Amazon's data
	// protection rules); nil keeps it.
	BuyerDataRetention *Retention

	// NewClient builds the client of one shop.
	NewClient func(Account) (Client, error)
	// Simulator is the channel's simulator, set by its simulator package (RegisterSimulator).
	Simulator *Simulator
}

// LinkStatus is one of a channel's link statuses.
type LinkStatus struct {
	Status workflow.LinkStatus
	Label  string
	// Pending: the order waits for the marketplace's outcome of a write (発送完了報告中); the
	// dispatcher comes back to it.
	Pending bool
	// Manual: an operator may set it by hand, with a phase move (the retry path after an error).
	Manual bool
	// Splittable: nothing the marketplace holds of the order stops a split (分割) yet, as on
	// 空欄 (Rakuten's 注文確認済み: nothing is shipped).
	Splittable bool
	// Bundlable: nothing the marketplace holds of the order stops a bundle (同梱) yet, as on
	// 空欄: seed 003 confirms orders before bundling them (Rakuten's 注文確認済み, 決済審査済み:
	// nothing is shipped, and the parent is reported under its own number).
	Bundlable bool
}

// CancelSpec is what a marketplace accepts of a cancellation sent through its API.
type CancelSpec struct {
	// Reasons are the reasons the marketplace takes, the usual one first.
	Reasons []CancelReason
	// Statuses are the marketplace statuses in which it accepts a cancellation.
	Statuses []order.MarketplaceStatus
	// Refusal tells the operator what to do with an order in another status.
	Refusal string
}

// CancelReason is one reason a marketplace takes for a cancellation: its code on the wire and
// its words.
type CancelReason struct {
	Code, Label string
}

// Allows says whether the marketplace accepts the cancellation of an order in status s.
func (c *CancelSpec) Allows(s order.MarketplaceStatus) bool {
	return c != nil && slices.Contains(c.Statuses, s)
}

// Reason returns the reason with the code, and whether the marketplace takes it.
func (c *CancelSpec) Reason(code string) (CancelReason, bool) {
	if c == nil {
		return CancelReason{}, false
	}
	for _, r := range c.Reasons {
		if r.Code == code {
			return r, true
		}
	}
	return CancelReason{}, false
}

// Quota is the pace a marketplace allows one credential.
type Quota struct {
	// PerSecond is calls a second per credential: the pace ichigen keeps to, and against which
	// the call history's counts are shown.
	PerSecond float64
	// PaceKey names the credential the quota belongs to (the licenseKey, the API key): shops
	// sharing its value share one pace.
	PaceKey string
	// OverrideKey names an optional credential that replaces PerSecond with the pace a shop has
	// agreed with its marketplace ("callsPerSecond").
	OverrideKey string
	// PerDay is the calls a day the marketplace allows, reset at 00:00 Japan time (0: no daily
	// cap). 要対応 shows the day's use against it, counted from the call history every instance
	// writes, and warns before it runs out.
	PerDay int
}

// Account is what a channel client is built from: one shop's credentials, with what every
// client shares.
type Account struct {
	ShopID   int64
	ShopName string
	// Credentials are the shop's plain credentials; BaseURL is its endpoint, or the channel's
	// production address.
	Credentials map[string]string
	BaseURL     string
	HTTP        *http.Client
	Recorder    Recorder
	Pacer       Pacer
	// Settle is how long a write whose answer was lost is left to the marketplace before the
	// orders are read back (the channel's default when zero).
	Settle time.Duration
	// Stored, when set, returns the marketplace update time of each of numbers ichigen holds
	// (a number not stored is left out): a channel whose import reads every order by a call of
	// its own reads only those new or changed since.
	Stored func(ctx context.Context, numbers []string) (map[string]time.Time, error)
	// Tokens, when set, keeps the shop's short-lived access token where every instance finds it
	// (a channel whose marketplace issues them from a refresh token).
	Tokens TokenKeeper
	// Buckets, when set, keeps the token buckets of the shop's credential in the database,
	// shared by every instance (a channel whose marketplace limits each operation by a bucket).
	Buckets Buckets
}

// TokenKeeper keeps one shop's short-lived access token, shared by every instance on the
// database, so that it is refreshed once when it runs out, not once per instance.
type TokenKeeper interface {
	// Load returns the kept token and its expiry; "" when none is kept.
	Load(ctx context.Context) (string, time.Time, error)
	// Save keeps a token until expiresAt.
	Save(ctx context.Context, token string, expiresAt time.Time) error
}

// Client is what every channel client does for the job engine: import orders and run phase
// rules. Optional abilities are further interfaces the jobs look for (jobs.Refetcher, …).
type Client interface {
	Fetch(ctx context.Context, from, to time.Time) ([]order.Order, error)
	Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, journal Journal) ([]Result, error)
}

var (
	registryMu sync.RWMutex
	registry   = map[string]*Spec{}
)

// Register adds a channel. It panics on a Spec that cannot work — a name taken, no label, a
// connected channel without credentials, job kinds, client or quota — since that is a mistake in
// the code, found the first time the program or any test starts.
func Register(s Spec) {
	if err := s.check(); err != nil {
		panic(fmt.Sprintf("channel.Register(%q): %v", s.Name, err))
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, taken := registry[s.Name]; taken {
		panic(fmt.Sprintf("channel.Register(%q): registered twice", s.Name))
	}
	for _, l := range s.LinkStatuses {
		workflow.RegisterLinkStatus(l.Status, l.Label)
	}
	registry[s.Name] = &s
}

func (s Spec) check() error {
	switch {
	case s.Name == "" || s.Label == "" || s.LabelEN == "":
		return fmt.Errorf("name, label and English label are required")
	case s.Planned:
		return nil
	case s.FileOnly:
		return s.checkFileOnly()
	case len(s.Credentials) == 0:
		return fmt.Errorf("a connected channel needs credentials")
	case len(s.JobKinds) == 0 || !slices.Contains(s.JobKinds, workflow.JobImport):
		return fmt.Errorf("a connected channel needs job kinds, the import among them")
	case s.NewClient == nil:
		return fmt.Errorf("a connected channel needs a client constructor")
	case s.Quota.PerSecond <= 0:
		return fmt.Errorf("a connected channel needs a quota")
	}
	for _, k := range s.JobKinds {
		if _, ok := s.Eligibility[k]; k.NeedsTargetPhase() && !ok {
			return fmt.Errorf("job kind %s has no eligibility", k)
		}
	}
	names := map[string]bool{}
	for _, k := range s.Credentials {
		names[k.Name] = true
	}
	for _, key := range []string{s.Quota.PaceKey, s.Quota.OverrideKey} {
		if key != "" && !names[key] {
			return fmt.Errorf("quota names credential %q, which the channel does not have", key)
		}
	}
	for _, l := range s.LinkStatuses {
		if l.Status == workflow.LinkNone || l.Label == "" {
			return fmt.Errorf("link status %q needs a code and a label", l.Status)
		}
	}
	return nil
}

// checkFileOnly refuses a file-only channel that claims something only a connected channel with
// an API has: a client, credentials, a quota, a job kind (its import is an upload) or a
// simulator.
func (s Spec) checkFileOnly() error {
	switch {
	case s.NewClient != nil || len(s.Credentials) > 0 || s.Quota != (Quota{}) || s.Endpoint != "" || s.Authorization != nil:
		return fmt.Errorf("a file-only channel has no client, credentials, quota, endpoint or authorization")
	case len(s.JobKinds) > 0 || s.Cancel != nil:
		return fmt.Errorf("a file-only channel has no job kinds and no cancellation: it makes no calls")
	case s.Simulator != nil:
		return fmt.Errorf("a file-only channel has no simulator")
	case s.FileDemo == nil || s.FileDemo.ShopName == "" || s.FileDemo.Orders == nil:
		return fmt.Errorf("a file-only channel needs a demo shop with orders (FileDemo)")
	}
	return nil
}

// FileDemo is a file-only channel's demo shop: `ichigen demo` creates it, saves its settings
// and imports the order files its buyers send, as an operator uploads them.
type FileDemo struct {
	ShopName, Code string
	// Settings are the shop settings the demo saves (store.Store.SetShopSetting), by name: the
	// CSV column mapping and the shipment layout.
	Settings map[string]any
	// Orders writes an order file of count orders placed at at, numbered from first; rand is
	// the demo's random source.
	Orders func(count, first int, at time.Time, rand func(n int) int) []byte
}

// RegisterSimulator gives a registered channel its simulator; the simulator's package calls it
// in its init.
func RegisterSimulator(name string, sim Simulator) {
	registryMu.Lock()
	defer registryMu.Unlock()
	s, ok := registry[name]
	if !ok {
		panic(fmt.Sprintf("channel.RegisterSimulator(%q): no such channel", name))
	}
	if s.FileOnly {
		panic(fmt.Sprintf("channel.RegisterSimulator(%q): a file-only channel has no simulator", name))
	}
	if sim.New == nil || sim.Demo.ShopName == "" || sim.Demo.Rules == nil || sim.Demo.Orders == nil {
		panic(fmt.Sprintf("channel.RegisterSimulator(%q): a simulator needs New and a demo shop with rules and orders", name))
	}
	s.Simulator = &sim
}

// CheckRegistry says what a connected channel lacks that only the whole program can tell: its
// simulator (the demo and `ichigen sim` need one for every channel). Start-up refuses to run
// with a lack.
func CheckRegistry() error {
	for _, s := range All() {
		if !s.Planned && !s.FileOnly && s.Simulator == nil {
			return fmt.Errorf("channel %q has no simulator registered: import its simulator package in internal/channels", s.Name)
		}
	}
	return nil
}

// Lookup returns a registered channel.
func Lookup(name string) (*Spec, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	s, ok := registry[name]
	return s, ok
}

// All lists the registered channels in their Position order.
func All() []*Spec {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]*Spec, 0, len(registry))
	for _, s := range registry {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Position != out[j].Position {
			return out[i].Position < out[j].Position
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// HasJobKind reports whether the channel offers a job kind.
func (s *Spec) HasJobKind(k workflow.JobKind) bool { return slices.Contains(s.JobKinds, k) }

// JobLabel names a job kind in the channel's words (JobLabels), or in the common ones.
func (s *Spec) JobLabel(k workflow.JobKind) string {
	if l := s.JobLabels[k]; l != "" {
		return l
	}
	return k.Label()
}

// PendingLinkStatuses are the link statuses of every channel whose orders wait for the
// marketplace's outcome of a write.
func PendingLinkStatuses() []workflow.LinkStatus {
	var out []workflow.LinkStatus
	for _, s := range All() {
		for _, l := range s.LinkStatuses {
			if l.Pending {
				out = append(out, l.Status)
			}
		}
	}
	return out
}
