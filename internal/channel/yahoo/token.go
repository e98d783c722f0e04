package yahoo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// tokens holds the access tokens of this process, per application, secret and refresh token:
// clients are built per job run and share them, so that a token is refreshed about once an hour,
// not once a run.
var tokens = struct {
	mu sync.Mutex
	m  map[string]cachedToken
}{m: map[string]cachedToken{}}

type cachedToken struct {
	access  string
	expires time.Time
}

// refreshMargin is how long before its end an access token is replaced.
const refreshMargin = 5 * time.Minute

// maxCachedTokens bounds the cache; past it, the cache starts afresh.
const maxCachedTokens = 10_000

func (c *Client) tokenKey() string {
	h := sha256.Sum256([]byte(c.TokenURL + "\x00" + c.ClientID + "\x00" + c.ClientSecret + "\x00" + c.RefreshToken))
	return hex.EncodeToString(h[:])
}

// accessToken returns a valid access token, refreshing it when it is near its end or when fresh
// is set (Yahoo called the last one invalid). A refresh Yahoo refuses is an Auth error: the
// shop's calls stop until it is authorised again.
func (c *Client) accessToken(ctx context.Context, fresh bool) (string, error) {
	key := c.tokenKey()
	tokens.mu.Lock()
	defer tokens.mu.Unlock()
	if t, ok := tokens.m[key]; ok && !fresh && time.Now().Before(t.expires.Add(-refreshMargin)) {
		return t.access, nil
	}
	delete(tokens.m, key)
	if len(tokens.m) >= maxCachedTokens {
		tokens.m = map[string]cachedToken{}
	}
	if c.Tokens != nil && !fresh { // another instance may have refreshed it
		if access, exp, err := c.Tokens.Load(ctx); err == nil && access != "" && time.Now().Before(exp.Add(-refreshMargin)) {
			tokens.m[key] = cachedToken{access: access, expires: exp}
			return access, nil
		}
	}
	answer, err := c.refresh(ctx)
	if err != nil {
		return "", err
	}
	exp := time.Now().Add(time.Duration(answer.ExpiresIn) * time.Second)
	tokens.m[key] = cachedToken{access: answer.AccessToken, expires: exp}
	if c.Tokens != nil {
		// Kept for the other instances; should it fail, each refreshes its own, as Yahoo allows.
		_ = c.Tokens.Save(context.WithoutCancel(ctx), answer.AccessToken, exp)
	}
	return answer.AccessToken, nil
}

// refresh asks the token endpoint for an access token with the refresh token.
func (c *Client) refresh(ctx context.Context) (TokenAnswer, error) {
	body := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {c.RefreshToken}}.Encode()
	var answer TokenAnswer
	t := &channel.Transport{Channel: Channel, Names: names, Format: "json", HTTP: c.HTTP, Recorder: tokenRecorder{c.Recorder},
		ShopID: c.IchigenShopID, IsWrite: func(string) bool { return false }, AnswerCap: func(string) int64 { return 64 << 10 },
		Classify: classifyToken,
		Auth: func(req *http.Request) {
			req.SetBasicAuth(url.QueryEscape(c.ClientID), url.QueryEscape(c.ClientSecret))
		}}
	err := t.Do(ctx, channel.Request{Op: OpToken, Method: http.MethodPost, URL: c.TokenURL, Body: []byte(body),
		ContentType: "application/x-www-form-urlencoded"}, &answer)
	return answer, err
}

// Exchange trades an authorization code for tokens (the authorisation screen's callback) and
// returns the refresh token and the access token's answer.
func Exchange(ctx context.Context, httpClient *http.Client, tokenURL, clientID, clientSecret, code, redirectURI string) (TokenAnswer, error) {
	body := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}}.Encode()
	var answer TokenAnswer
	t := &channel.Transport{Channel: Channel, Names: names, Format: "json", HTTP: httpClient,
		IsWrite: func(string) bool { return false }, AnswerCap: func(string) int64 { return 64 << 10 }, Classify: classifyToken,
		Auth: func(req *http.Request) { req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(clientSecret)) }}
	err := t.Do(ctx, channel.Request{Op: OpToken, Method: http.MethodPost, URL: tokenURL, Body: []byte(body), ContentType: "application/x-www-form-urlencoded"}, &answer)
	return answer, err
}

// classifyToken reads the token endpoint's JSON answer.
func classifyToken(a channel.Answer, out any) *channel.Error {
	answer := out.(*TokenAnswer)
	*answer = TokenAnswer{}
	jsonErr := json.Unmarshal(a.Body, answer)
	var e *channel.Error
	switch {
	case a.Status == http.StatusOK && (jsonErr != nil || answer.AccessToken == ""):
		return a.Malformed(jsonErr)
	case a.Status == http.StatusOK:
		return nil
	case answer.Error == "invalid_grant":
		e = &channel.Error{Class: channel.Auth, Message: "Yahoo!ショッピングの認可が切れています(リフレッシュトークンが無効か期限切れです)。" + msgReauthorize}
	case answer.Error == "invalid_client" || a.Status == http.StatusUnauthorized:
		e = &channel.Error{Class: channel.Auth, Message: "Yahoo!ショッピングのアプリケーションIDまたはシークレットが正しくありません。店舗設定で入力し直してください。"}
	case a.Status == http.StatusTooManyRequests:
		e = a.Throttled("Yahoo! ID連携の呼び出し回数の上限に達しました。間隔をあけて自動で再試行します。")
	case a.Status >= 500:
		e = a.ServerError()
	default:
		e = &channel.Error{Class: channel.Auth, Message: "Yahoo! ID連携がアクセストークンを発行しませんでした(" + strings.TrimSpace(answer.Error+" "+answer.ErrorDescription) + ")。" + msgReauthorize}
	}
	e.Code = answer.Error
	return e
}

// tokenRecorder records token calls without their request and answer, which carry the refresh
// token and the access token: only that a token was asked for, and how it went.
type tokenRecorder struct{ inner channel.Recorder }

func (r tokenRecorder) RecordCall(ctx context.Context, call channel.Call) (int64, error) {
	if r.inner == nil {
		return 0, nil
	}
	call.Request = "POST " + TokenPath + " grant_type=refresh_token (トークンは記録しません)"
	if call.Outcome == channel.OutcomeOK {
		call.Response = "アクセストークンを発行しました(トークンは記録しません)"
	}
	return r.inner.RecordCall(ctx, call)
}
