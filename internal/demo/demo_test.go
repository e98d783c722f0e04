package demo

import (
	"math/rand/v2"
	"testing"

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
