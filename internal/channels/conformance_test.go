package channels_test

import (
	"encoding/base64"
	"sync"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/channeltest"
	_ "github.com/ichigen-oms/ichigen/internal/channel/channeltest/testmall/testmallsim"
	_ "github.com/ichigen-oms/ichigen/internal/channels"
	"github.com/ichigen-oms/ichigen/internal/secret"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// conformanceAtOnce is how many channel/engine runs of the suite go at the same time. The suite
// mostly waits (on job timeouts, rescues, a simulator's quota): its runs take little CPU, so
// they go several at a time rather than two (go test's -parallel, GOMAXPROCS on this machine),
// which would make the package take the sum of the runs instead of about the longest.
const conformanceAtOnce = 6

// TestConformance runs channeltest.Exercise on every connected channel, on SQLite and on
// PostgreSQL (skipped, saying so, when no server answers; a failure under
// ICHIGEN_REQUIRE_POSTGRES=1).
func TestConformance(t *testing.T) {
	t.Parallel()
	key := base64.StdEncoding.EncodeToString(secret.NewKey())
	slots := make(chan struct{}, conformanceAtOnce)
	var wg sync.WaitGroup
	run := func(name string, exercise func(t *testing.T)) {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			// t.Run from several goroutines at once: each subtest runs in its own goroutine and
			// all of them return before TestConformance does.
			t.Run(name, exercise)
		})
	}
	for _, spec := range channel.All() {
		if spec.Planned {
			continue
		}
		run(spec.Name+"/sqlite", func(t *testing.T) {
			channeltest.Exercise(t, spec.Name, "", "")
		})
		run(spec.Name+"/postgres", func(t *testing.T) {
			channeltest.Exercise(t, spec.Name, storetest.PostgresSchemaURL(t), key)
		})
	}
	wg.Wait()
}
