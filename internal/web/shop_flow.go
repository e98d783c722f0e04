package web

import (
	"context"
	"strconv"
	"time"

	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// credentialsComplete reports whether a shop has every credential its channel requires: one
// that has not is not working, whatever its status says (認証情報未設定, not 稼働中). A channel
// without credentials (the CSV shop) needs none.
func credentialsComplete(sh shop.Shop) bool {
	if len(sh.Channel.CredentialKeys()) == 0 {
		return true
	}
	return sh.Channel.CheckCredentials(sh.Credentials) == nil
}

// intervalLabel says how often a polling rule runs as it is: 「30秒ごと」 for the demo's
// half-minute import, never 「0分ごと」.
func intervalLabel(ctx context.Context, d time.Duration) string {
	switch {
	case d <= 0:
		return intervalLabel(ctx, workflow.DefaultPollInterval)
	case d%time.Minute != 0:
		return tf(ctx, "%s秒ごと", strconv.Itoa(int(d/time.Second)))
	case d%time.Hour == 0:
		return tf(ctx, "%s時間ごと", strconv.Itoa(int(d/time.Hour)))
	}
	return tf(ctx, "%s分ごと", minutes(d))
}
