package channel

import (
	"net/http"
	"time"

	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Simulator is a channel's simulator as `ichigen sim <channel>` and the demo run it: an HTTP
// server speaking the marketplace's wire format, with a control API under /_sim/.
type Simulator struct {
	// Usage is the one-line help of `ichigen sim <channel>`, DefaultAddr where it listens.
	Usage, DefaultAddr string
	// Flags are the credentials the simulator accepts, as command-line flags.
	Flags []SimFlag
	// New starts a simulator.
	New func(SimConfig) SimServer
	// Demo is the channel's demo shop.
	Demo Demo
}

// SimFlag is one credential of a simulator as a flag of `ichigen sim <channel>`.
type SimFlag struct {
	Flag, Env, Usage string
	// Key is the credential's name (Spec.Credentials) the flag sets; Default its value when the
	// flag is not given.
	Key, Default string
}

// SimConfig configures a simulator.
type SimConfig struct {
	// Credentials the simulator accepts, by credential name; those not given take its defaults.
	Credentials map[string]string
	// QuotaPerSecond is requests per second per credential (0: unlimited).
	QuotaPerSecond float64
	Seed           uint64
	// Demo asks for the demo's pace: marketplace steps (reviews, payments) take about a minute.
	Demo bool
}

// SimServer is a running simulator.
type SimServer interface {
	Handler() http.Handler
	// Credentials are what a shop enters to use the simulator (the endpoint aside).
	Credentials() map[string]string
	// Banner is what `ichigen sim` prints once the simulator listens at url.
	Banner(url string) string
	// IntN is the simulator's random source, for the demo's own choices.
	IntN(n int) int
	// Now is the simulator's clock (the jobs of a test read it).
	Now() time.Time
	// Place has buyers place count orders now, ready to ship when readyToShip is set (paid and
	// confirmed, as far as the marketplace asks), and returns their numbers.
	Place(count int, readyToShip bool) []string
	// Cancel cancels an order at the marketplace.
	Cancel(number string) error
}

// Demo is a channel's demo shop: `ichigen demo` creates it on the channel's simulator, starts
// its rules and has buyers order there.
type Demo struct {
	ShopName, Code string
	// Phases are phases the demo shop needs besides the default ones.
	Phases []string
	// Rules are the demo shop's rules; phase gives a phase's id by name.
	Rules func(phase func(name string) int64) []workflow.Rule
	// Orders has buyers place orders: the first batch when first is set (ordered at, half an
	// hour before now), else the few of one moment.
	Orders func(sim SimServer, first bool, at time.Time)
	// IntakePath, when set, is the path under ichigen's address where the demo shop's
	// simulator posts its orders (a cart that pushes, as the own cart does, rather than one
	// ichigen pulls from); the simulator has a PushTo(url string) method.
	IntakePath func(shopID int64) string
}
