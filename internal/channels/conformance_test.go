package channels_test

import (
	"encoding/base64"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/channeltest"
	_ "github.com/ichigen-oms/ichigen/internal/channel/channeltest/testmall/testmallsim"
	_ "github.com/ichigen-oms/ichigen/internal/channels"
	"github.com/ichigen-oms/ichigen/internal/secret"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestConformance runs channeltest.Exercise on every connected channel, on SQLite and on
// PostgreSQL (skipped, saying so, when no server answers; a failure under
// ICHIGEN_REQUIRE_POSTGRES=1).
func TestConformance(t *testing.T) {
	t.Parallel()
	key := base64.StdEncoding.EncodeToString(secret.NewKey())
	for _, spec := range channel.All() {
		if spec.Planned {
			continue
		}
		t.Run(spec.Name+"/sqlite", func(t *testing.T) {
			t.Parallel()
			channeltest.Exercise(t, spec.Name, "", "")
		})
		t.Run(spec.Name+"/postgres", func(t *testing.T) {
			t.Parallel()
			channeltest.Exercise(t, spec.Name, storetest.PostgresSchemaURL(t), key)
		})
	}
}
