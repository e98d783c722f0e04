package demo

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/buyermail/relaysim"
	"github.com/ichigen-oms/ichigen/internal/channel"
)

func TestPackerNumbersPassTheYamatoCheck(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		n := yamatoNumber(r.IntN)
		if msg := channel.ValidateTracking("1001", n); msg != "" {
			t.Fatalf("%s: %s", n, msg)
		}
	}
}

// The demo relay refuses about one buyer address in BounceOneIn, always the same ones, so that
// 不達 shows in the demo by itself and a buyer's every mail comes back alike.
func TestDemoRelayBouncesOneAddressInThirty(t *testing.T) {
	t.Parallel()
	n := 0
	const addrs = 3000
	for i := range addrs {
		m := relaysim.Message{To: []string{fmt.Sprintf("%032xs1@pc.fw.rakuten.ne.jp", i*7919)}}
		if bounces(m) {
			n++
			if !bounces(m) {
				t.Fatal("the same address picked once only")
			}
		}
	}
	if n < addrs/BounceOneIn/2 || n > addrs/BounceOneIn*2 {
		t.Fatalf("%d of %d addresses bounce, want about %d", n, addrs, addrs/BounceOneIn)
	}
}
