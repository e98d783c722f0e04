package amazon

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// Client calls the SP-API for one shop (one seller). It exchanges the refresh token for an
// access token through LWA, asks the Tokens API for a Restricted Data Token before reading
// buyer data, and spaces each operation's calls by that operation's usage plan. Tokens and
// buckets are held per credential by the process, so every client of one seller shares them.
// Every call is recorded in the API call history with tokens, secrets and buyer data removed.
type Client struct {
	BaseURL string // the SP-API endpoint, or a simulator's URL
	// LWAURL is the LWA token endpoint: LWAEndpoint in production, the simulator's own path
	// beside a simulator.
	LWAURL                 string
	ClientID, ClientSecret string
	RefreshToken           string
	SellerID               string
	// RateFactor scales the usage plans for a seller Amazon granted higher ones (0: 1).
	RateFactor    float64
	IchigenShopID int64
	HTTP          *http.Client
	Recorder      channel.Recorder // nil: no history
	// Buckets, when set, keeps the usage plans' buckets in the database, shared by every
	// instance; without it they are the process's own.
	Buckets channel.Buckets
}

// names are Amazon's words in the transport's messages.
var names = channel.Names{API: "Amazon SP-API", Service: "Amazon", Host: "Amazon SP-API", Record: "注文",
	NoAnswer: "Amazonへの出荷通知の応答がありませんでした(タイムアウト)。反映されたかどうかを注文を再取得して確認します。"}

// credentialKey names the seller's tokens and buckets without holding a secret.
func (c *Client) credentialKey() string {
	sum := sha256.Sum256([]byte(c.LWAURL + "\x00" + c.ClientID + "\x00" + c.ClientSecret + "\x00" + c.RefreshToken))
	return hex.EncodeToString(sum[:12])
}

// tokenCache holds access tokens and RDTs by credential and resource until shortly before they
// expire. Expired entries are dropped as new ones are added, so it holds at most a few tokens
// per shop.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
}

type cachedToken struct {
	value   string
	expires time.Time
}

var tokens = &tokenCache{m: map[string]cachedToken{}}

// tokenMargin is how long before its expiry a token is no longer used.
const tokenMargin = 2 * time.Minute

func (tc *tokenCache) get(key string) (string, bool) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	t, ok := tc.m[key]
	if !ok || time.Now().After(t.expires) {
		return "", false
	}
	return t.value, true
}

func (tc *tokenCache) put(key, value string, lifetime time.Duration) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	now := time.Now()
	for k, t := range tc.m {
		if now.After(t.expires) {
			delete(tc.m, k)
		}
	}
	tc.m[key] = cachedToken{value: value, expires: now.Add(lifetime - tokenMargin)}
}

func (tc *tokenCache) drop(prefix string) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	for k := range tc.m {
		if strings.HasPrefix(k, prefix) {
			delete(tc.m, k)
		}
	}
}

// budgets are the per-operation token buckets, per seller, shared by every client of the process.
var budgets sync.Map // endpoint|client|seller|op|factor → *rate.Limiter

// bucketPacer paces an operation's calls by its bucket.
type bucketPacer struct{ l *rate.Limiter }

func (p bucketPacer) Wait(ctx context.Context) error { return p.l.Wait(ctx) }

// pacer returns the operation's bucket for this seller: the usage plan's burst, refilled at its
// rate (scaled by RateFactor).
func (c *Client) pacer(op string) channel.Pacer {
	plan, ok := UsagePlans[op]
	if !ok {
		return nil
	}
	plan = plan.Scaled(c.RateFactor)
	// Amazon's plans are per selling partner and application, at one endpoint.
	key := fmt.Sprintf("%s|%s|%s|%s|%g", c.BaseURL, c.ClientID, c.SellerID, op, c.RateFactor)
	if c.Buckets != nil {
		sum := sha256.Sum256([]byte(key)) // the bucket's name is no secret, and short
		return c.Buckets.Bucket("amazon:"+op+":"+hex.EncodeToString(sum[:12]), plan.Rate, plan.Burst)
	}
	l, _ := budgets.LoadOrStore(key, rate.NewLimiter(rate.Limit(plan.Rate), plan.Burst))
	return bucketPacer{l.(*rate.Limiter)}
}

// errExpiredToken marks a 403 for an access token past its life: the token is fetched anew and
// the call made once more.
var errExpiredToken = errors.New("access token expired")

// transport makes one operation's calls with token (none for LWA).
func (c *Client) transport(op, token string) *channel.Transport {
	return &channel.Transport{Channel: Channel, Names: names, Format: "json", HTTP: c.HTTP, Pacer: c.pacer(op), Recorder: redacting{c.Recorder},
		ShopID: c.IchigenShopID, IsWrite: IsWrite, AnswerCap: AnswerCap, Classify: classify,
		Auth: func(req *http.Request) {
			if token != "" {
				req.Header.Set(AccessTokenHeader, token)
			}
			req.Header.Set("User-Agent", "ichigen/1.0 (Language=Go)")
		}}
}

// IsWrite tells the operations that change an order at Amazon.
func IsWrite(op string) bool { return op == OpConfirmShipment }

// AnswerCap is the most an operation's answer can legitimately bring: a page of 100 orders, or
// one order's items, is far below it.
func AnswerCap(op string) int64 {
	if op == OpGetOrders {
		return 8 << 20
	}
	return 2 << 20
}

// accessToken returns the seller's LWA access token, exchanging the refresh token when none
// is held.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	key := c.credentialKey() + "|access"
	if t, ok := tokens.get(key); ok {
		return t, nil
	}
	body, _ := json.Marshal(LWARequest{GrantType: "refresh_token", RefreshToken: c.RefreshToken, ClientID: c.ClientID, ClientSecret: c.ClientSecret})
	var out LWAResponse
	err := c.transport(OpLWA, "").Do(ctx, channel.Request{Op: OpLWA, Method: http.MethodPost, URL: c.LWAURL, Body: body, ContentType: "application/json"}, &out)
	if err != nil {
		return "", err
	}
	if out.AccessToken == "" {
		return "", &channel.Error{Channel: Channel, Operation: OpLWA, Class: channel.Transient, Message: "Amazon(LWA)がアクセストークンを返しませんでした。自動で再試行します。"}
	}
	tokens.put(key, out.AccessToken, time.Duration(cmp.Or(out.ExpiresIn, 3600))*time.Second)
	return out.AccessToken, nil
}

// restrictedToken returns an RDT opening GET path (with dataElements) for this seller.
func (c *Client) restrictedToken(ctx context.Context, path string, elements ...string) (string, error) {
	key := c.credentialKey() + "|rdt|" + path + "|" + strings.Join(elements, ",")
	if t, ok := tokens.get(key); ok {
		return t, nil
	}
	body, _ := json.Marshal(CreateRestrictedDataTokenRequest{RestrictedResources: []RestrictedResource{{Method: http.MethodGet, Path: path, DataElements: elements}}})
	var out CreateRestrictedDataTokenResponse
	if err := c.call(ctx, OpCreateRDT, http.MethodPost, PathRDT, nil, body, nil, &out); err != nil {
		return "", err
	}
	if out.RestrictedDataToken == "" {
		return "", &channel.Error{Channel: Channel, Operation: OpCreateRDT, Class: channel.Transient, Message: "Amazon(Tokens API)が制限付きデータトークンを返しませんでした。自動で再試行します。"}
	}
	tokens.put(key, out.RestrictedDataToken, time.Duration(cmp.Or(out.ExpiresIn, 3600))*time.Second)
	return out.RestrictedDataToken, nil
}

// tokenFunc gives the token a call is made with.
type tokenFunc func(ctx context.Context) (string, error)

// rdtFor is a tokenFunc of a Restricted Data Token opening GET path (with dataElements).
func (c *Client) rdtFor(path string, elements ...string) tokenFunc {
	return func(ctx context.Context) (string, error) { return c.restrictedToken(ctx, path, elements...) }
}

// call makes one SP-API call with the token tok gives (the access token when nil). A 403 for
// an expired token drops the seller's tokens, fetches new ones and calls once more.
func (c *Client) call(ctx context.Context, op, method, path string, query url.Values, body []byte, tok tokenFunc, out any) error {
	u := strings.TrimRight(c.BaseURL, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	if tok == nil {
		tok = c.accessToken
	}
	for attempt := 0; ; attempt++ {
		t, err := tok(ctx)
		if err != nil {
			return err
		}
		r := channel.Request{Op: op, Method: method, URL: u, Body: body, RecordURL: true}
		if body != nil {
			r.ContentType = "application/json"
		}
		err = c.transport(op, t).Do(ctx, r, out)
		if attempt == 0 && errors.Is(err, errExpiredToken) {
			tokens.drop(c.credentialKey())
			continue
		}
		return err
	}
}

// classify reads an answer into out and maps it onto the error classes.
func classify(a channel.Answer, out any) *channel.Error {
	if a.Op == OpLWA {
		return classifyLWA(a, out)
	}
	var errs ErrorList
	_ = json.Unmarshal(a.Body, &errs)
	var first Error
	if len(errs.Errors) > 0 {
		first = errs.Errors[0]
	}
	var e *channel.Error
	switch {
	case a.Status == http.StatusNoContent:
		return nil
	case a.Status >= 200 && a.Status < 300 && len(errs.Errors) > 0:
		e = &channel.Error{Class: channel.Transient, Message: "Amazon SP-APIがエラーを返しました(" + first.Code + ": " + first.Message + ")。自動で再試行します。"}
		if a.Write {
			e.Class = channel.UnknownOutcome
		}
	case a.Status >= 200 && a.Status < 300:
		if out == nil || len(bytes.TrimSpace(a.Body)) == 0 {
			return nil
		}
		if err := json.Unmarshal(a.Body, out); err != nil {
			return a.Malformed(err)
		}
		return nil
	case a.Status == http.StatusForbidden && strings.Contains(strings.ToLower(first.Message), "expired"):
		e = &channel.Error{Class: channel.Auth, Err: errExpiredToken, Message: "Amazonのアクセストークンの有効期限が切れていました。新しいトークンを取得しても続く場合は、店舗設定の更新トークンを確認してください。"}
	case a.Status == http.StatusUnauthorized || a.Status == http.StatusForbidden:
		e = &channel.Error{Class: channel.Auth, Message: "Amazonへのアクセスが拒否されました(" + first.Message + ")。セラーセントラルの「アプリとサービス」→「アプリの管理」でアプリの認可が有効か、注文・配送のロールが付いているかを確認し、必要なら更新トークンを発行し直して店舗設定に貼り付けてください。"}
	case a.Status == http.StatusTooManyRequests:
		// SP-API sends no Retry-After: the transport's default wait, then the operation's own
		// bucket paces the next try.
		e = a.Throttled("Amazon SP-APIの利用枠(" + a.Op + ")を超えました。間隔をあけて自動で再試行します。")
	case a.Status == http.StatusServiceUnavailable:
		e = &channel.Error{Class: channel.Transient, Message: "Amazon SP-APIは一時的に利用できません(メンテナンスまたは過負荷)。自動で再試行します。"}
		if a.Write {
			e.Class = channel.UnknownOutcome
			e.Message = "Amazon SP-APIが一時的に利用できないと応答しました(HTTP 503)。反映されたかどうかを注文を再取得して確認します。"
		}
	case a.Status >= 500:
		e = a.ServerError()
	case a.Status == http.StatusNotFound:
		e = &channel.Error{Class: channel.Rejected, Message: "Amazonにこの注文が見つかりません(" + first.Message + ")。注文番号がAmazonの注文番号と一致するか確認してください。"}
	default:
		msg := first.Message
		if msg == "" {
			msg = fmt.Sprintf("HTTP %d", a.Status)
		}
		e = &channel.Error{Class: channel.Rejected, Message: "Amazonがリクエストを受け付けませんでした: " + msg + "。内容を確認して注文を修正し、もう一度処理してください。"}
	}
	e.Code = first.Code
	e.RetryAfter = cmp.Or(e.RetryAfter, a.RetryAfter)
	return e
}

// classifyLWA maps the token exchange's answer.
func classifyLWA(a channel.Answer, out any) *channel.Error {
	if a.Status == http.StatusOK {
		if err := json.Unmarshal(a.Body, out); err != nil {
			return a.Malformed(err)
		}
		return nil
	}
	var le LWAError
	_ = json.Unmarshal(a.Body, &le)
	var e *channel.Error
	switch {
	case le.Error == "invalid_client" || a.Status == http.StatusUnauthorized:
		e = &channel.Error{Class: channel.Auth, Message: "Amazon(LWA)がクライアントIDまたはクライアントシークレットを受け付けませんでした。セラーセントラルのデベロッパーセントラルでLWA認証情報を確認し(クライアントシークレットは定期的に更新が必要です)、店舗設定に入力し直してください。"}
	case le.Error == "invalid_grant" || le.Error == "unauthorized_client" || le.Error == "access_denied":
		e = &channel.Error{Class: channel.Auth, Message: "Amazon(LWA)が更新トークンを受け付けませんでした(取り消されたか、別のアプリのものです)。セラーセントラルでアプリを認可し直して更新トークンを発行し、店舗設定に貼り付けてください。"}
	case a.Status == http.StatusTooManyRequests:
		e = a.Throttled("Amazon(LWA)の呼び出し回数の上限に達しました。間隔をあけて自動で再試行します。")
	case a.Status >= 500:
		e = a.ServerError()
	default:
		e = &channel.Error{Class: channel.Rejected, Message: fmt.Sprintf("Amazon(LWA)がトークンの発行を受け付けませんでした(%s)。店舗設定のAmazonの認証情報を確認してください。", cmp.Or(le.Error, a.Op))}
	}
	e.Code = le.Error
	return e
}
