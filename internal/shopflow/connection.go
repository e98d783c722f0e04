package shopflow

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// Verdict is what 接続テスト found: whether the marketplace took the shop's credentials, and
// what the operator should do, in Japanese.
type Verdict struct {
	OK      bool
	Message string
}

// testWindow is the span of orders 接続テスト asks for: a minute back from now, so that the
// marketplace answers with few or no orders, in one call.
const testWindow = time.Minute

// CheckConnection makes one harmless read for the shop, its import's search over the last
// minute, through the shop's client (so through the shared transport: paced on the credential's
// quota, written to 連携履歴), and says what is wrong when it fails: the credentials, the
// endpoint (DNS, TLS, no answer), or the quota.
func CheckConnection(ctx context.Context, client channel.Client, sh shop.Shop, now time.Time) Verdict {
	label := sh.Channel.Label()
	_, err := client.Fetch(ctx, now.Add(-testWindow), now)
	if err == nil {
		return Verdict{OK: true, Message: fmt.Sprintf("接続できました。%sが認証情報を受け付けました(注文の読み取り1回、連携履歴に記録しました)。止まっている自動処理は「自動処理」で開始してください。", label)}
	}
	return Verdict{Message: connectionProblem(label, sh, err)}
}

func connectionProblem(label string, sh shop.Shop, err error) string {
	var ce *channel.Error
	isChannel := errors.As(err, &ce)
	status := 0
	if isChannel {
		status = ce.HTTPStatus
	}
	var dns *net.DNSError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var record tls.RecordHeaderError
	var netErr net.Error
	switch {
	case isChannel && ce.Class == channel.Auth:
		return fmt.Sprintf("認証エラー: %sが認証情報を受け付けませんでした%s。%sを確かめて入れ直してください(期限切れや、発行直後でまだ有効になっていないキーもこうなります)。%s",
			label, statusNote(status), keyNames(sh), marketplaceWords(ce))
	case status == http.StatusTooManyRequests:
		return fmt.Sprintf("%sの呼び出し上限に達しています(HTTP 429)。認証情報は受け付けられています。しばらく待ってから、もう一度接続テストしてください。", label)
	case errors.As(err, &dns):
		return fmt.Sprintf("接続先が見つかりません(DNS: %s)。接続先URLのホスト名を確かめてください(本番のモールなら接続先URLは空欄にします)。", dns.Name)
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &record):
		return "接続先とTLS(https)で安全に接続できませんでした(証明書が信頼できない、ホスト名と合わない、またはhttpsでない接続先です)。接続先URLを確かめてください。"
	case errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("%sが時間内に応答しませんでした(タイムアウト)。接続先URLを確かめ、正しければ時間をおいてもう一度接続テストしてください。", label)
	case status >= 500:
		return fmt.Sprintf("%sが障害かメンテナンス中です(HTTP %d)。時間をおいてもう一度接続テストしてください。%s", label, status, marketplaceWords(ce))
	case status == 0 && (isChannel && ce.Class == channel.Transient || !isChannel):
		return fmt.Sprintf("%sに接続できませんでした。接続先URL(ホスト名とポート)を確かめてください。詳細: %s", label, lastWords(err))
	}
	return fmt.Sprintf("%sへの読み取りが失敗しました%s。%s", label, statusNote(status), marketplaceWords(ce))
}

func statusNote(status int) string {
	if status == 0 {
		return ""
	}
	return fmt.Sprintf("(HTTP %d)", status)
}

// keyNames lists the channel's required credentials, as the settings page names them.
func keyNames(sh shop.Shop) string {
	var names []string
	for _, k := range sh.Channel.CredentialKeys() {
		if k.Required {
			names = append(names, "「"+k.Label+"」")
		}
	}
	return strings.Join(names, "と")
}

// marketplaceWords is the marketplace's own code and message, when it gave them.
func marketplaceWords(ce *channel.Error) string {
	if ce == nil || (ce.Code == "" && ce.Message == "") {
		return ""
	}
	return strings.TrimSpace(fmt.Sprintf("モールの応答: %s %s", ce.Code, ce.Message))
}

// lastWords is the innermost error's text (connection refused, …), without the wrapping.
func lastWords(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
